"""Two maps of one run with the same id: `validate` and `lint` report it on the later map.

Render and measure refuse such a run; the checks must not call it valid first.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from helpers import REPO, run

CHECKOUT = REPO / "docs" / "examples" / "checkout.md"
MESSAGE = "is also the id of a.journey.yaml: give one map another `id:`"


@pytest.fixture
def twins(tmp_path: Path) -> Path:
    """Two maps made by `init --from` the same diagram: one id, from its title."""
    for name in ("a", "b"):
        made = run("init", tmp_path / f"{name}.journey.yaml", "--from", CHECKOUT)
        assert (tmp_path / f"{name}.journey.yaml").is_file(), made.out + made.err
    return tmp_path


@pytest.mark.parametrize("command", ["validate", "lint"])
def test_a_shared_id_is_an_error_on_the_later_map_also_from_the_cache(
    twins: Path, command: str
) -> None:
    for _ in range(2):  # the second run answers both maps from the result cache
        result = run(command, ".", "--format", "json", cwd=twins)
        assert result.code == 1, result.out + result.err
        clashes = [f for f in json.loads(result.out)["findings"] if f["rule"] == "duplicate-id"]
        assert [(f["file"], f["line"], f["column"]) for f in clashes] == [("b.journey.yaml", 4, 5)]
        assert MESSAGE in clashes[0]["message"]
        assert "checking-out-for-the-first-time" in clashes[0]["message"]


def test_text_report_and_parallel_workers(twins: Path) -> None:
    for command in ("validate", "lint"):
        result = run(command, ".", "--jobs", "2", "--no-cache", cwd=twins)
        assert result.code == 1
        assert "b.journey.yaml:4:5: error duplicate-id the map id" in result.out
        assert MESSAGE in result.out


def test_junit_puts_the_error_in_the_later_map_s_own_suite(twins: Path) -> None:
    from xml.etree import ElementTree as ET

    for _ in range(2):  # the second run answers both maps from the result cache
        result = run("lint", ".", "--format", "junit", "--jobs", "1", cwd=twins)
        assert result.code == 1, result.out + result.err
        suites = ET.fromstring(result.out).findall("testsuite")
        assert [suite.get("name") for suite in suites] == ["a.journey.yaml", "b.journey.yaml"]
        failure = suites[1].find("testcase[@name='format']/failure")
        assert failure is not None and failure.text is not None
        assert failure.text.startswith("b.journey.yaml:4:5: error duplicate-id the map id")
        assert suites[0].find("testcase[@name='format']/failure") is None
        # b was linted: its lint cases pass or fail, none is "skipped: not linted"
        assert suites[1].get("skipped") == "0"
        assert suites[1].find("testcase/skipped") is None


def test_an_id_from_the_file_name_is_placed_at_the_start(twins: Path) -> None:
    one = twins / "sub" / "same.journey.yaml"
    two = twins / "same.journey.yaml"
    for path in (one, two):
        path.parent.mkdir(exist_ok=True)
        path.write_text("journeymap: 1\ntitle: Same\n", "utf-8")
    result = run("validate", one, two, "--format", "json")
    clashes = [f for f in json.loads(result.out)["findings"] if f["rule"] == "duplicate-id"]
    assert [(f["line"], f["column"], f["path"]) for f in clashes] == [(1, 1, "")]
    assert result.code == 1


def test_different_ids_pass(twins: Path) -> None:
    path = twins / "b.journey.yaml"
    path.write_text(path.read_text("utf-8").replace("id: checking-out", "id: paying"), "utf-8")
    assert run("validate", ".", cwd=twins).code == 0
    assert "duplicate-id" not in run("lint", ".", cwd=twins).out


SAME_ID = (
    "the map id 'checking-out-for-the-first-time' is also the id of a.journey.yaml: give one "
    "map another `id:` (render and measure need each map's id to be unique)"
)


def test_render_names_the_later_map_s_id_line_and_column(twins: Path) -> None:
    for _ in range(2):  # the second run answers both maps from the render cache
        result = run("render", ".", "-o", "out", cwd=twins)
        assert result.code == 1, result.err
        assert f"journeymap: error: b.journey.yaml:4:5: not rendered: {SAME_ID}\n" in result.err
        assert (twins / "out" / "checking-out-for-the-first-time.html").is_file()


@pytest.mark.parametrize("how", [[], ["--sql"]])
def test_measure_names_the_later_map_s_id_line_and_column(twins: Path, how: list[str]) -> None:
    for _ in range(2):  # the second run reads both maps' facts from the result cache
        result = run("measure", "a.journey.yaml", "b.journey.yaml", *how, cwd=twins)
        assert result.code == 2
        assert result.err == f"journeymap: error: b.journey.yaml:4:5: {SAME_ID}\n"
        assert result.out == ""


def test_measure_reads_a_cached_entry_without_the_id_s_place_again(twins: Path) -> None:
    """Facts kept by older code have no `id_at`: a miss, never a map placed at 1:1."""
    assert run("measure", ".", "--sql", cwd=twins).code == 2
    (kept,) = Path(os.environ["JOURNEYMAP_CACHE_DIR"]).glob("*/measure.jsonl")
    old = kept.read_text("utf-8").replace(',"id_at":[4,5]', "").replace(',"id_at":[1,1]', "")
    assert old.count("id_at") == 0 and old.count("\n") == 2
    kept.write_text(old, "utf-8")
    result = run("measure", ".", "--sql", cwd=twins)
    assert result.err == f"journeymap: error: b.journey.yaml:4:5: {SAME_ID}\n"


@pytest.mark.parametrize("command", ["render", "measure"])
def test_render_and_measure_place_an_id_from_the_file_name_at_1_1(
    tmp_path: Path, command: str
) -> None:
    for name in ("sub/same.journey.yaml", "same.journey.yaml"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("journeymap: 1\ntitle: Same\n", "utf-8")
    options = ["-o", "out"] if command == "render" else ["--sql"]
    result = run(command, "sub/same.journey.yaml", "same.journey.yaml", *options, cwd=tmp_path)
    assert result.code == (1 if command == "render" else 2)
    not_rendered = "not rendered: " if command == "render" else ""
    assert (
        f"journeymap: error: same.journey.yaml:1:1: {not_rendered}the map id 'same' is also "
        "the id of sub/same.journey.yaml: give one map another `id:`"
    ) in result.err
