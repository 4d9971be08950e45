"""Nothing passes silently: maps are recognised by name, probable maps are reported, and every
summary counts the YAML files passed over (issue 13, defect 1)."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import run

GOOD = """\
journeymap: 1
title: Good
stages:
  - id: awareness
    name: Awareness
    steps:
      - id: sees-ad
        name: Sees an ad
        emotion: 1
"""
# GOOD has lint findings (no persona, no KPI...): lint runs one rule it passes.
LINT_QUIET = {"validate": [], "lint": ["--select", "empty-stage"]}
FORGOT = GOOD.replace("journeymap: 1\n", "").replace("emotion: 1", "emotion: 9")


def folder(tmp_path: Path, files: dict[str, str]) -> Path:
    (tmp_path / ".git").mkdir()
    for name, text in files.items():
        path = tmp_path / "maps" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return tmp_path


def test_a_map_named_as_one_is_checked_without_its_version(tmp_path: Path) -> None:
    root = folder(tmp_path, {"good.journey.yaml": GOOD, "forgot-version.journey.yaml": FORGOT})
    for command in ("validate", "lint"):
        result = run(command, "maps", *LINT_QUIET[command], cwd=root)
        assert result.code == 1, (command, result.out)
        assert result.out.startswith(
            "maps/forgot-version.journey.yaml:1:1: error version missing the format version: "
            "add `journeymap: 1` at the top\n"
        )
        assert result.out.endswith("2 files checked: 1 error, 0 warnings\n")
    rendered = run("render", "maps", "-o", "out", cwd=root)
    assert rendered.code == 1
    assert "maps/forgot-version.journey.yaml: not rendered: 1 format error(s)" in rendered.err


def test_a_misspelt_version_key_is_located_at_the_key(tmp_path: Path) -> None:
    text = "title: T\njourneymp: 1\nstages: []\n"
    root = folder(tmp_path, {"typo.yaml": text, "good.journey.yaml": GOOD})
    result = run("validate", "maps", cwd=root)
    assert result.code == 1
    assert result.out.splitlines()[0] == (
        "maps/typo.yaml:2:1: error version unknown key 'journeymp' (did you mean "
        "'journeymap'?): the format version is missing; write `journeymap: 1`"
    )


def test_a_probable_map_in_a_folder_is_reported_not_passed_over(tmp_path: Path) -> None:
    probable = GOOD.replace("journeymap: 1\n", "")
    root = folder(tmp_path, {"good.journey.yaml": GOOD, "draft.yaml": probable})
    result = run("validate", "maps", cwd=root)
    assert result.code == 1
    assert result.out.startswith("maps/draft.yaml:1:1: error version missing the format version")


def test_every_summary_counts_what_was_passed_over(tmp_path: Path) -> None:
    root = folder(
        tmp_path,
        {"good.journey.yaml": GOOD, "ci.yaml": "name: CI\non: push\n", "x/compose.yml": "a: 1\n"},
    )
    expected = "1 file checked, 2 passed over (not maps; -v names them)"
    validated = run("validate", "maps", cwd=root)
    assert (validated.code, validated.out) == (0, f"{expected}: all valid\n")
    linted = run("lint", "maps", *LINT_QUIET["lint"], cwd=root)
    assert (linted.code, linted.out) == (0, f"{expected}: all clean\n")
    data = json.loads(run("validate", "maps", "-f", "json", cwd=root).out)
    assert data["summary"]["passed_over"] == 2
    rendered = run("render", "maps", "-o", "out", cwd=root)
    assert rendered.err.endswith("; 2 YAML file(s) passed over (not maps; -v names them)\n")
    checked = run("render", "maps", "-o", "out", "--check", cwd=root)
    assert checked.err.endswith("; 2 YAML file(s) passed over (not maps; -v names them)\n")
    verbose = run("validate", "maps", "-v", cwd=root)
    assert "passed over maps/ci.yaml (no top-level `journeymap` key)" in verbose.err


def test_strict_makes_a_passed_over_file_an_error(tmp_path: Path) -> None:
    root = folder(tmp_path, {"good.journey.yaml": GOOD, "ci.yaml": "name: CI\n"})
    for command in ("validate", "lint"):
        result = run(command, "maps", "--strict", *LINT_QUIET[command], cwd=root)
        assert result.code == 1
        assert result.out.startswith(
            "maps/ci.yaml:1:1: error version not a journeymap file (no top-level `journeymap` "
            "key), and --strict does not pass over YAML files"
        )
        assert result.out.endswith("2 files checked: 1 error, 0 warnings\n")
    assert run("render", "maps", "-o", "out", "--strict", cwd=root).code == 1


def test_a_link_to_nothing_in_a_folder_is_an_error_naming_where_it_points(
    tmp_path: Path,
) -> None:
    """Trial defect: `validate -v --strict dir` passed a dangling `*.journey.yaml` link over
    in silence (named on the command line it was `no such file`, exit 2)."""
    root = folder(tmp_path, {"good.journey.yaml": GOOD})
    (root / "maps" / "gone.journey.yaml").symlink_to("/nonexistent")
    (root / "maps" / "moved.journey.yaml").symlink_to("renamed.journey.yaml")
    expected = [
        "maps/gone.journey.yaml:1:1: error encoding cannot read: a symbolic link to "
        "'/nonexistent', which does not exist (No such file or directory)",
        "maps/moved.journey.yaml:1:1: error encoding cannot read: a symbolic link to "
        "'renamed.journey.yaml', which does not exist (No such file or directory)",
    ]
    for command in ("validate", "lint"):
        result = run(command, "-v", "--strict", "maps", *LINT_QUIET[command], cwd=root)
        assert result.code == 1, (command, result.err)
        assert result.out.splitlines() == [*expected, "3 files checked: 2 errors, 0 warnings"]
    rendered = run("render", "maps", "-o", "out", "-f", "mermaid", cwd=root)
    assert rendered.code == 1, rendered.err
    assert "maps/gone.journey.yaml: not rendered: 1 format error(s)" in rendered.err
    assert "a symbolic link to '/nonexistent', which does not exist" in rendered.err
    assert (root / "out" / "good.mmd").is_file()  # the others still render
    (root / "old").mkdir()
    (root / "old" / "good.journey.yaml").write_text(GOOD, "utf-8")
    diffed = run("diff", "old", "maps", "--no-lint", cwd=root)
    assert diffed.code == 1, diffed.err
    assert diffed.out.splitlines()[0] == (
        "gone: not compared: maps/gone.journey.yaml is not a valid map (1 error)"
    )
    assert "maps/moved.journey.yaml:1:1: error encoding cannot read: a symbolic link" in (
        diffed.err
    )


def test_a_link_out_of_the_project_is_still_not_followed(tmp_path: Path) -> None:
    """The walk's rule for links that lead elsewhere (docs/security.md) stays: not read."""
    outside = tmp_path / "elsewhere.journey.yaml"
    outside.write_text(GOOD.replace("emotion: 1", "emotion: 9"), "utf-8")
    (tmp_path / "project").mkdir()
    root = folder(tmp_path / "project", {"good.journey.yaml": GOOD})
    (root / "maps" / "out.journey.yaml").symlink_to(outside)
    result = run("validate", "maps", cwd=root)
    assert (result.code, result.out) == (0, "1 file checked: all valid\n")
