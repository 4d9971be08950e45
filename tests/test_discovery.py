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
REPO = Path(__file__).resolve().parents[1]
LINT_QUIET = {"validate": [], "lint": ["--select", "empty-stage"]}
FORGOT = GOOD.replace("journeymap: 1\n", "").replace("emotion: 1", "emotion: 9")


def folder(tmp_path: Path, files: dict[str, str]) -> Path:
    (tmp_path / ".git").mkdir(parents=True)
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
    assert "maps/forgot-version.journey.yaml: not rendered: 1 format error" in rendered.err


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
    assert rendered.err.endswith("; 2 YAML files passed over (not maps; -v names them)\n")
    checked = run("render", "maps", "-o", "out", "--check", cwd=root)
    assert checked.err.endswith("; 2 YAML files passed over (not maps; -v names them)\n")
    verbose = run("validate", "maps", "-v", cwd=root)
    assert "passed over maps/ci.yaml (no top-level `journeymap: 1`)" in verbose.err


def test_a_ci_job_named_journeymap_is_not_a_map(tmp_path: Path) -> None:
    """Trial defect: docs/examples/gitlab-ci.yml as `.gitlab-ci.yml` (a job named `journeymap`)
    made `journeymap validate .`, the job's own first line, fail with a version error."""
    job = (REPO / "docs" / "examples" / "gitlab-ci.yml").read_text("utf-8")
    assert job.startswith("journeymap:") or "\njourneymap:\n" in job
    root = folder(
        tmp_path, {"good.journey.yaml": GOOD, "ci.yml": job, "flow.yaml": "journeymap: [1]\n"}
    )
    (root / ".gitlab-ci.yml").write_text(job, "utf-8")
    for where in (".", "maps"):
        result = run("validate", where, cwd=root)
        assert (result.code, result.out) == (
            0,
            f"1 file checked, {2 if where == 'maps' else 3} passed over (not maps; -v names them): "
            "all valid\n",
        )
    probable = run("validate", "maps", cwd=folder(tmp_path / "p", {"x.yaml": "journeymap: 1\n"}))
    assert probable.code == 1  # a version on its line is still a map (title missing)


def test_strict_makes_a_passed_over_file_an_error(tmp_path: Path) -> None:
    root = folder(tmp_path, {"good.journey.yaml": GOOD, "ci.yaml": "name: CI\n"})
    for command in ("validate", "lint"):
        result = run(command, "maps", "--strict", *LINT_QUIET[command], cwd=root)
        assert result.code == 1
        assert result.out.startswith(
            "maps/ci.yaml:1:1: error version not a journeymap file (no top-level `journeymap: 1`), "
            "and --strict does not pass over YAML files"
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
    assert "maps/gone.journey.yaml: not rendered: 1 format error" in rendered.err
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


def linked(tmp_path: Path) -> tuple[Path, list[str]]:
    """A project whose `maps` folder has one map and links the walk does not follow (to a map
    out of the project, to a folder out of it, to a folder in it, and a hidden one, which
    stays unsaid like any hidden entry); and the `-v` lines that name them, in walk order."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    trip = elsewhere / "trip.journey.yaml"
    trip.write_text(GOOD.replace("emotion: 1", "emotion: 2"), "utf-8")
    root = folder(tmp_path / "project", {"good.journey.yaml": GOOD})
    (root / "shared").mkdir()
    (root / "maps" / "trip.journey.yaml").symlink_to(trip)
    (root / "maps" / "elsewhere").symlink_to(elsewhere)
    (root / "maps" / "shared").symlink_to("../shared")
    (root / "maps" / ".hidden").symlink_to(elsewhere)
    return root, [
        f"not followed maps/elsewhere (a symbolic link to the folder {str(elsewhere)!r}; "
        "name it on the command line to search it)",
        "not followed maps/shared (a symbolic link to the folder '../shared'; name it on the "
        "command line to search it)",
        f"not followed maps/trip.journey.yaml (a symbolic link to {str(trip)!r}, out of the "
        "project; name it on the command line to read it)",
    ]


LINKS = "3 links not followed (out of the project, or to folders; -v names them)"


def test_links_in_a_loop_are_errors_and_crash_nothing(tmp_path: Path) -> None:
    """Two arguments (a folder and a file) made every command resolve each file to drop
    repeats, and a loop of links raised from `Path.resolve`: an internal error."""
    root = folder(tmp_path, {"good.journey.yaml": GOOD})
    (root / "maps" / "a.journey.yaml").symlink_to("b.journey.yaml")
    (root / "maps" / "b.journey.yaml").symlink_to("a.journey.yaml")
    loop = "a symbolic link to 'b.journey.yaml', which leads round a loop of links"
    for command in ("validate", "lint"):
        result = run(command, "maps", "maps/good.journey.yaml", *LINT_QUIET[command], cwd=root)
        assert result.code == 1, (command, result.err)
        assert f"maps/a.journey.yaml:1:1: error encoding cannot read: {loop}" in result.out
        assert result.out.endswith("3 files checked: 2 errors, 0 warnings\n")
        named = run(command, "maps/a.journey.yaml", cwd=root)
        assert (named.code, named.err) == (2, f"journeymap: error: maps/a.journey.yaml: {loop}\n")
    rendered = run(
        "render", "maps", "maps/good.journey.yaml", "-o", "out", "-f", "mermaid", cwd=root
    )
    assert rendered.code == 1, rendered.err
    assert "internal error" not in rendered.err
    assert (root / "out" / "good.mmd").is_file()


def test_validate_and_lint_count_the_links_not_followed_and_v_names_them(
    tmp_path: Path,
) -> None:
    """A link out of the project is not followed (docs/security.md), nor a link to a folder;
    neither is silent: `1 file checked: all clean` made the user think the linked map was."""
    root, named = linked(tmp_path.resolve())
    for command, verdict in (("validate", "all valid"), ("lint", "all clean")):
        quiet = LINT_QUIET[command]
        result = run(command, "maps", *quiet, cwd=root)
        assert (result.code, result.out, result.err) == (
            0, f"1 file checked, {LINKS}: {verdict}\n", ""
        ), command  # fmt: skip
        verbose = run(command, "-v", "maps", *quiet, cwd=root)
        assert (verbose.code, verbose.out) == (0, result.out), command
        assert verbose.err.splitlines() == named, command
        twice = run(command, "maps", "./maps", *quiet, cwd=root)  # each link is counted once
        assert twice.out == result.out, command
        data = json.loads(run(command, "maps", "-f", "json", *quiet, cwd=root).out)
        assert (data["summary"]["passed_over"], data["summary"]["links_not_followed"]) == (0, 3)
    # Named on the command line, what a link leads to is read: the user chose it.
    assert run("validate", "maps/trip.journey.yaml", cwd=root).out == "1 file checked: all valid\n"
    assert run("validate", "maps/elsewhere", cwd=root).out == "1 file checked: all valid\n"


def test_render_counts_the_links_not_followed_and_v_names_them(tmp_path: Path) -> None:
    root, named = linked(tmp_path.resolve())
    rendered = run("render", "maps", "-o", "out", "-f", "mermaid", cwd=root)
    assert (rendered.code, rendered.err) == (
        0, f"rendered 1 map into out: 1 file written, 0 unchanged; {LINKS}\n"
    )  # fmt: skip
    checked = run("render", "-v", "maps", "-o", "out", "-f", "mermaid", "--check", cwd=root)
    assert checked.code == 0
    assert checked.err.splitlines() == [*named, f"1 output in out is current; {LINKS}"]


def test_measure_and_diff_name_each_link_not_followed_in_a_note(tmp_path: Path) -> None:
    """They have no -v and no summary line; a map left out of either must not pass unsaid
    (diff would show the map as removed)."""
    root, named = linked(tmp_path.resolve())
    measured = run("measure", "maps", "--sql", cwd=root)
    assert measured.code == 0, measured.err
    assert measured.err.splitlines() == [f"journeymap measure: note: {line}" for line in named]
    (root / "old").mkdir()
    (root / "old" / "good.journey.yaml").write_text(GOOD, "utf-8")
    diffed = run("diff", "old", "maps", "--no-lint", cwd=root)
    assert diffed.code == 0, diffed.err
    assert diffed.err.splitlines() == [f"journeymap diff: note: {line}" for line in named]


def test_one_link_not_followed_and_a_folder_with_only_links(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.journey.yaml"
    outside.write_text(GOOD.replace("emotion: 1", "emotion: 9"), "utf-8")  # not valid: unread
    root = folder(tmp_path / "project", {"good.journey.yaml": GOOD})
    (root / "maps" / "out.journey.yaml").symlink_to(outside)
    one = "1 link not followed (out of the project, or to a folder; -v names it)"
    result = run("validate", "maps", cwd=root)
    assert (result.code, result.out) == (0, f"1 file checked, {one}: all valid\n")
    (root / "maps" / "good.journey.yaml").unlink()
    alone = run("validate", "maps", cwd=root)
    assert (alone.code, alone.err) == (
        2, f"journeymap: error: no journeymap files found in maps; {one}\n"
    )  # fmt: skip
    verbose = run("lint", "-v", "maps", cwd=root)
    assert verbose.code == 2
    assert verbose.err.splitlines() == [
        f"not followed maps/out.journey.yaml (a symbolic link to {str(outside)!r}, out of the "
        "project; name it on the command line to read it)",
        "journeymap: error: no journeymap files found in maps; 1 link not followed (out of the "
        "project, or to a folder; named above)",
    ]


def test_a_link_left_out_by_the_configuration_is_not_counted(tmp_path: Path) -> None:
    root, _ = linked(tmp_path.resolve())
    (root / "journeymap.toml").write_text('exclude = ["trip.journey.yaml", "shared"]\n')
    result = run("validate", "maps", cwd=root)
    one = "1 link not followed (out of the project, or to a folder; -v names it)"
    assert (result.code, result.out) == (0, f"1 file checked, {one}: all valid\n")


def test_a_link_and_where_it_points_reach_the_terminal_inert(tmp_path: Path) -> None:
    """A link's name and its target are committed by whoever opened the pull request."""
    outside = tmp_path / "evil\u202eswap.journey.yaml"
    outside.write_text(GOOD, "utf-8")
    root = folder(tmp_path / "project", {"good.journey.yaml": GOOD})
    (root / "maps" / "a\x1b[2J\n::error::b.journey.yaml").symlink_to(outside)
    result = run("validate", "-v", "maps", cwd=root)
    assert result.code == 0
    assert result.err == (
        f"not followed maps/a?[2J?::error::b.journey.yaml (a symbolic link to "
        f"{str(outside)!r}, out of the project; name it on the command line to read it)\n"
    )
    assert "\\u202e" in result.err
    assert not any(c in result.err for c in "\x1b\u202e")
