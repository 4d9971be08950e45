"""Streamed reports: the bytes of a report held in memory, however the files come and go.

The lint command formats each file in a worker and writes the report as the files come; the
folders here are walked in an order that is not the report's (a folder's own files before its
subfolders', `a-b/` after `a/`), with broken maps, suppressed findings, and findings that
escape each output.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from helpers import EXAMPLES, REPO, run_process
from journeymap import pool
from journeymap.config import ConfigFinder
from journeymap.findings import ORDER
from journeymap.inputs import discover
from journeymap.inspection import Inspector
from journeymap.lint import lint_checked
from journeymap.lint.run import rule_infos
from journeymap.mapids import SameIds, map_id_of
from journeymap.report import REPORTER_BY_NAME, REPORTER_NAMES, Report

TODAY = "2026-11-23"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("tree")
    (root / ".git").mkdir()
    sources = sorted(EXAMPLES.glob("*.journey.yaml")) + sorted(
        (REPO / "tests" / "cases" / "invalid").glob("*.yaml")
    )
    folders = ["maps", "maps/a", "maps/a-b", "maps/a/z", "maps/zz"]
    for index, source in enumerate(sources * 2):
        folder = root / folders[index % len(folders)]
        folder.mkdir(parents=True, exist_ok=True)
        name = (
            source.name if source.name.endswith(".journey.yaml") else f"{source.stem}.journey.yaml"
        )
        shutil.copyfile(source, folder / f"{index % 7}-{name}")
    return root


def in_memory(project: Path, fmt: str) -> str:
    """The report as one string, from findings gathered in discovery order and sorted."""
    finder = ConfigFinder(None, False)
    inspector = Inspector(finder)
    files, findings, ids = [], [], []
    for path in discover(["maps"], finder).files:
        inspection = inspector.inspect(path)
        files.append(inspection.display)
        findings += lint_checked(inspection, today=dt.date.fromisoformat(TODAY))
        ids.append((inspection.display, map_id_of(inspection)))
    # Maps that share an id: an error on the later one, in the report's order.
    same_ids = SameIds()
    in_order = ids if REPORTER_BY_NAME[fmt].by_files else sorted(ids, key=lambda item: item[0])
    findings += [f for f in (same_ids.check(*item) for item in in_order) if f is not None]
    report = Report("lint", files, sorted(findings, key=ORDER), rule_infos())
    return REPORTER_BY_NAME[fmt].render(report)


@pytest.mark.parametrize("fmt", REPORTER_NAMES)
def test_a_streamed_report_has_the_bytes_of_one_held_in_memory(
    project: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)  # the in-memory report names files as the command does
    expected = in_memory(project, fmt)
    for jobs in ("1", "2"):
        result = run_process(
            "lint", "--no-cache", "--today", TODAY, "-f", fmt, "-j", jobs, "maps",
            cwd=project, timeout=120,
        )  # fmt: skip
        assert result.code == 1, result.err
        assert result.out == expected, (fmt, jobs)


def test_a_bad_configuration_stops_the_run_before_any_report(project: Path, tmp_path: Path) -> None:
    copy = tmp_path / "p"
    shutil.copytree(project, copy)
    (copy / "maps" / "zz" / "journeymap.toml").write_text('[rules]\nno-such-rule = "off"\n')
    result = run_process("lint", "--today", TODAY, "-j", "2", "maps", cwd=copy, timeout=120)
    assert result.code == 2
    assert result.out == ""
    assert "unknown rule 'no-such-rule'" in result.err


def _square(n: int) -> int:
    if n == 13:
        raise ValueError("thirteen")
    return n * n


@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_the_pool_keeps_the_order_and_raises_in_turn(jobs: int) -> None:
    items = list(range(13))
    assert list(pool.ordered_map(_square, items, jobs)) == [n * n for n in items]
    results = pool.ordered_map(_square, list(range(40)), jobs)
    assert [next(results) for _ in range(13)] == [n * n for n in range(13)]
    with pytest.raises(ValueError, match="thirteen"):
        next(results)


def test_a_worker_that_dies_is_an_error_not_a_hang() -> None:
    import os

    def die(n: int) -> int:
        if n == 50:
            os._exit(9)
        return n

    with pytest.raises(pool.WorkerLost):
        list(pool.ordered_map(die, list(range(200)), 2))
