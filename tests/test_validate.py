"""`journeymap validate` as a user runs it: messages, code frames, formats, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import EXAMPLES, run, run_process

GOOD = """\
journeymap: 1
title: Good
personas:
  - {id: sam, name: Sam}
channels:
  - {id: web, name: Website, kind: digital}
stages:
  - id: awareness
    name: Awareness
    steps:
      - id: sees-ad
        name: Sees an ad
        persona: sam
        channel: web
        emotion: 1
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def test_examples_are_valid() -> None:
    result = run("validate", EXAMPLES)
    assert result.code == 0, result.out
    assert result.out.endswith("all valid\n")


def test_text_output_has_location_frame_caret_and_did_you_mean(tmp_path: Path) -> None:
    path = write(tmp_path, "m.journey.yaml", GOOD.replace("emotion: 1", "emotions: 1"))
    result = run("validate", path, cwd=tmp_path)
    assert result.code == 1
    assert result.out.splitlines() == [
        "m.journey.yaml:15:9: error schema unknown key 'emotions' (did you mean 'emotion'?)",
        " 14 |         channel: web",
        " 15 |         emotions: 1",
        "    |         ^",
        "1 file checked: 1 error, 0 warnings",
    ]


def test_all_problems_of_a_file_in_one_run(tmp_path: Path) -> None:
    text = GOOD.replace("persona: sam", "persona: sma").replace("emotion: 1", "emotion: 5")
    text = text.replace("channel: web", "channel: webb") + "      - id: sees-ad\n        name: x\n"
    path = write(tmp_path, "m.journey.yaml", text)
    result = run("validate", "--format", "json", path, cwd=tmp_path)
    assert result.code == 1
    found = [
        (f["rule"], f["line"], f["column"], f["path"]) for f in json.loads(result.out)["findings"]
    ]
    assert found == [
        ("reference", 13, 18, "/stages/0/steps/0/persona"),
        ("reference", 14, 18, "/stages/0/steps/0/channel"),
        ("schema", 15, 18, "/stages/0/steps/0/emotion"),
        ("duplicate-id", 16, 13, "/stages/0/steps/1/id"),
    ]


def test_json_shape(tmp_path: Path) -> None:
    path = write(tmp_path, "m.journey.yaml", GOOD.replace("title: Good\n", ""))
    result = run("validate", "-f", "json", path, cwd=tmp_path)
    body = json.loads(result.out)
    assert body == {
        "findings": [
            {
                "file": "m.journey.yaml",
                "line": 1,
                "column": 1,
                "rule": "schema",
                "severity": "error",
                "message": "map is missing required key 'title'",
                "path": "",
            }
        ],
        "summary": {
            "files": 1,
            "errors": 1,
            "warnings": 0,
            "infos": 0,
            "suppressed": 0,
            "passed_over": 0,
        },
    }


def test_directory_takes_only_journeymap_files(tmp_path: Path) -> None:
    write(tmp_path, "maps/a.journey.yaml", GOOD)
    write(tmp_path, "maps/other.yaml", "name: some CI config\n")
    write(tmp_path, "maps/sub/b.yml", GOOD.replace("Good", "B"))
    result = run("validate", "--verbose", "maps", cwd=tmp_path)
    assert result.code == 0
    assert "2 files checked, 1 passed over (not maps; -v names them): all valid" in result.out
    assert "passed over maps/other.yaml" in result.err


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = run("validate", tmp_path / "nope.yaml")
    assert result.code == 2
    assert "no such file or directory" in result.err


def test_directory_without_maps_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "ci.yaml", "a: 1\n")
    result = run("validate", tmp_path)
    assert result.code == 2
    assert "no journeymap files found" in result.err


def test_a_file_named_explicitly_must_be_a_map(tmp_path: Path) -> None:
    path = write(tmp_path, "ci.yaml", "a: 1\n")
    result = run("validate", path, cwd=tmp_path)
    assert result.code == 1
    assert "ci.yaml:1:1: error version missing the format version" in result.out


def test_one_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    write(tmp_path, "a.journey.yaml", GOOD)
    write(tmp_path, "b.journey.yaml", "journeymap: 1\ntitle: [unclosed\n")
    write(tmp_path, "c.journey.yaml", GOOD.replace("emotion: 1", "emotion: 9"))
    result = run("validate", "-f", "json", ".", cwd=tmp_path)
    body = json.loads(result.out)
    assert result.code == 1
    assert body["summary"]["files"] == 3
    assert sorted({f["file"] for f in body["findings"]}) == ["b.journey.yaml", "c.journey.yaml"]


@pytest.mark.parametrize(
    ("content", "rule", "line", "column"),
    [
        (b"", "schema", 1, 1),
        (b"\x00\x01\x02binary", "encoding", 1, 1),
        ("journeymap: 1\ntitle: Caf\u00e9\n".encode("latin-1"), "encoding", 2, 11),
    ],
    ids=["empty", "binary", "latin-1"],
)
def test_generated_broken_files(
    tmp_path: Path, content: bytes, rule: str, line: int, column: int
) -> None:
    path = tmp_path / "m.journey.yaml"
    path.write_bytes(content)
    result = run("validate", "-f", "json", path)
    assert result.code == 1
    [finding] = json.loads(result.out)["findings"]
    assert (finding["rule"], finding["line"], finding["column"]) == (rule, line, column)


def test_huge_file_is_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "huge.journey.yaml"
    with path.open("w") as handle:
        handle.write("journeymap: 1\ntitle: huge\nx-padding:\n")
        handle.writelines(f"  - line {i} of padding text\n" for i in range(200_000))
    result = run("validate", "-f", "json", path)
    assert result.code == 1
    [finding] = json.loads(result.out)["findings"]
    assert (finding["rule"], finding["line"], finding["column"]) == ("limits", 1, 1)


def test_limits_are_configurable(tmp_path: Path) -> None:
    write(tmp_path, "journeymap.toml", "[limits]\nmax-bytes = 100\n")
    path = write(tmp_path, "m.journey.yaml", GOOD)
    result = run("validate", path, cwd=tmp_path)
    assert result.code == 1
    assert "larger than the limit of 100 bytes" in result.out


def test_bad_config_is_exit_2_with_file_and_hint(tmp_path: Path) -> None:
    write(tmp_path, "journeymap.toml", "fail_on = 'warning'\n")
    path = write(tmp_path, "m.journey.yaml", GOOD)
    result = run("validate", path, cwd=tmp_path)
    assert result.code == 2
    assert "journeymap.toml: unknown key 'fail_on' (did you mean 'fail-on'?)" in result.err


def test_library_is_validated_and_used(tmp_path: Path) -> None:
    write(tmp_path, ".git/HEAD", "")
    write(
        tmp_path,
        "shared/people.yaml",
        "journeymap: 1\nkind: library\npersonas:\n  - {id: ana, name: Ana}\n",
    )
    text = GOOD.replace("title: Good\n", "title: Good\nuses: [shared/people.yaml]\n")
    text = text.replace("persona: sam", "persona: ana")
    write(tmp_path, "m.journey.yaml", text)
    result = run("validate", ".", cwd=tmp_path)
    assert result.code == 0, result.out
    assert "2 files checked: all valid" in result.out


def test_uses_may_not_leave_the_project(tmp_path: Path) -> None:
    write(tmp_path, "outside/lib.yaml", "journeymap: 1\nkind: library\npersonas: []\n")
    write(tmp_path, "project/.git/HEAD", "")
    text = GOOD.replace("title: Good\n", "title: Good\nuses:\n  - ../outside/lib.yaml\n")
    path = write(tmp_path, "project/m.journey.yaml", text)
    result = run("validate", "-f", "json", path, cwd=tmp_path / "project")
    [finding] = json.loads(result.out)["findings"]
    assert (finding["rule"], finding["line"], finding["column"]) == ("reference", 4, 5)
    assert "outside the project root" in finding["message"]


def test_uses_through_a_symlink_that_leaves_the_project(tmp_path: Path) -> None:
    write(tmp_path, "outside/lib.yaml", "journeymap: 1\nkind: library\npersonas: []\n")
    write(tmp_path, "project/.git/HEAD", "")
    (tmp_path / "project/link.yaml").symlink_to(tmp_path / "outside/lib.yaml")
    text = GOOD.replace("title: Good\n", "title: Good\nuses: [link.yaml]\n")
    path = write(tmp_path, "project/m.journey.yaml", text)
    result = run("validate", path, cwd=tmp_path / "project")
    assert result.code == 1
    assert "outside the project root" in result.out


def test_version_and_help_and_module_entry_point() -> None:
    assert run("--version").out.startswith("journeymap ")
    result = run_process("validate", "--help")
    assert result.code == 0
    assert "Exit codes" in run_process("--help").out
    assert "--format" in result.out


def test_usage_error_is_exit_2() -> None:
    result = run("validate", "--format", "xml", str(EXAMPLES))
    assert result.code == 2
    assert "xml" in result.err


def test_internal_error_is_one_line_without_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from journeymap import inspection

    def boom(*_: object) -> None:
        raise RuntimeError("simulated")

    monkeypatch.setattr(inspection.Inspector, "inspect", boom)
    path = write(tmp_path, "m.journey.yaml", GOOD)
    result = run("validate", "--no-cache", path)
    assert result.code == 2
    # A bug met on one file is that file's finding (the others would still be checked).
    head = result.out.splitlines()[0]
    assert head.startswith(f"{path}:1:1: error internal internal error while checking this ")
    assert "RuntimeError: simulated" in head and "--debug" in head
    assert "Traceback" not in result.out + result.err


def test_code_frame_neutralises_terminal_control_and_bidi_characters(tmp_path: Path) -> None:
    bidi = GOOD.replace("name: Sees an ad", "name: Sees \u202ean ad\n        emotions: 1")
    escape = GOOD.replace("name: Sees an ad", "name: Sees \x1b[31man ad")
    write(tmp_path, "bidi.journey.yaml", bidi)
    write(tmp_path, "escape.journey.yaml", escape)
    result = run("validate", ".", cwd=tmp_path)
    assert result.code == 1
    assert "\x1b" not in result.out and "\u202e" not in result.out
    assert " 12 |         name: Sees ?an ad" in result.out
    assert " 12 |         name: Sees ?[31man ad" in result.out
    assert "escape.journey.yaml:12:20: error syntax character U+001B is not allowed" in result.out


def test_an_unreadable_file_is_its_own_finding_and_the_others_are_checked(tmp_path: Path) -> None:
    good = write(tmp_path, "good.journey.yaml", GOOD)
    unreadable = tmp_path / "bad.journey.yaml"
    unreadable.symlink_to("/proc/self/mem")  # reading it fails with EIO, even as root
    result = run("validate", "-f", "json", good.name, unreadable.name, cwd=tmp_path)
    assert result.code == 1, result.err
    body = json.loads(result.out)
    assert body["summary"]["files"] == 2
    [finding] = body["findings"]
    assert (finding["file"], finding["rule"], finding["line"]) == (
        "bad.journey.yaml",
        "encoding",
        1,
    )
    assert finding["message"].startswith("cannot read: ")


def test_a_file_full_of_unknown_keys_lists_the_first_thousand_then_counts_the_rest(
    tmp_path: Path,
) -> None:
    path = tmp_path / "keys.journey.yaml"
    path.write_text(
        "journeymap: 1\ntitle: T\n" + "".join(f"k{i}: 1\n" for i in range(5000)),
        encoding="utf-8",
    )
    result = run("validate", "--no-cache", "--format", "json", path)
    assert result.code == 1
    findings = json.loads(result.out)["findings"]
    assert len(findings) == 1001
    last = findings[-1]
    assert (last["rule"], last["line"], last["column"]) == ("schema", 1003, 1)
    assert last["message"].startswith("4,000 more schema problems from here on are not listed")
