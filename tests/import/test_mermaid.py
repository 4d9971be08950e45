"""`journeymap import mermaid`: Mermaid's own test inputs and docs examples, and real-world
shapes, each against its expected map and findings (goldens: `pytest --update-golden`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import run

from .kit import MERMAID_CASES, MERMAID_EXPECTED, compare_golden

CASES = sorted(p for p in MERMAID_CASES.iterdir() if p.suffix in (".mmd", ".md"))


def imported(case: Path, out: Path) -> tuple[str, int]:
    """The golden text of one case: exit code, findings, and every map written."""
    result = run(
        "import", "mermaid", case.name, "-o", str(out), "--format", "json", cwd=case.parent
    )
    lines = [f"# exit {result.code}"]
    if result.code == 2:
        lines.append(f"# {result.err.strip()}")
    else:
        for f in json.loads(result.out)["findings"]:
            lines.append(f"# {f['line']}:{f['column']} {f['severity']} {f['rule']} {f['message']}")
    for written in sorted(out.glob("*.journey.yaml")):
        lines.append(f"--- {written.name}")
        lines.append(written.read_text(encoding="utf-8").rstrip("\n"))
    return "\n".join(lines) + "\n", result.code


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Path, tmp_path: Path, update_golden: bool) -> None:
    text, code = imported(case, tmp_path)
    compare_golden(MERMAID_EXPECTED / f"{case.stem}.txt", text, update_golden)
    if code != 2:
        # Every map an import writes is a valid map.
        checked = run("validate", str(tmp_path), "--no-cache")
        assert (checked.code, checked.out.splitlines()[-1:]) == (0, [checked.out.splitlines()[-1]])
        assert "all valid" in checked.out


def test_clean_import_prints_the_map_and_exits_0(tmp_path: Path) -> None:
    result = run("import", "mermaid", MERMAID_CASES / "docs-working-day.mmd")
    assert result.code == 0
    assert result.out.startswith(
        f"# Imported from {MERMAID_CASES / 'docs-working-day.mmd'}:1 (a Mermaid journey diagram)"
    )
    assert "title: My working day\n" in result.out
    assert result.err.endswith(
        f"1 map imported from {MERMAID_CASES / 'docs-working-day.mmd'}: no problems\n"
    )


def test_warnings_are_located_with_a_code_frame(tmp_path: Path) -> None:
    target = tmp_path / "groceries.journey.yaml"
    result = run("import", "mermaid", "trailing-comma.mmd", "-o", target, cwd=MERMAID_CASES)
    assert result.code == 1
    assert result.err == ""
    assert result.out.splitlines()[:4] == [
        "trailing-comma.mmd:4:31: warning empty-actor an empty actor (a trailing comma?): "
        "Mermaid draws an actor with no name; left out",
        " 3 |   section Order",
        " 4 |     Browse offers: 4: Ana, Ben,",
        "   |                               ^",
    ]
    assert f"trailing-comma.mmd:1 -> {target} (1 stage, 3 steps, 2 personas)" in result.out
    assert result.out.endswith("1 map imported from trailing-comma.mmd: 0 errors, 3 warnings\n")
    assert target.read_text("utf-8").startswith("# Imported from trailing-comma.mmd:1 ")


def test_an_empty_section_is_left_out_with_a_warning_and_the_map_lints(
    tmp_path: Path,
) -> None:
    """A `section` with no tasks became a stage with `steps: []`, which lint rejects
    (empty-stage, exit 1), and the import said nothing about it."""
    target = tmp_path / "repair.journey.yaml"
    result = run("import", "mermaid", "empty-section.mmd", "-o", target, cwd=MERMAID_CASES)
    assert result.code == 1
    assert result.out.splitlines()[:4] == [
        "empty-section.mmd:3:3: warning empty-section section 'Notice' has no tasks: Mermaid "
        "draws nothing for it, and a stage with no steps fails lint (empty-stage), so the map "
        "leaves it out; give it tasks to import it as a stage",
        " 2 |   title Booking a repair",
        " 3 |   section Notice",
        "   |   ^",
    ]
    assert f"empty-section.mmd:1 -> {target} (2 stages, 2 steps, 1 persona)" in result.out
    assert result.out.endswith("1 map imported from empty-section.mmd: 0 errors, 3 warnings\n")
    linted = run("lint", target, "--isolated", "--no-cache", "--today", "2026-11-23")
    assert linted.code == 0, linted.out
    assert "empty-stage" not in linted.out
    assert linted.out.splitlines()[-1].startswith("1 file checked: 0 errors,")


def test_several_journeys_need_a_directory() -> None:
    result = run("import", "mermaid", "readme-two-journeys.md", cwd=MERMAID_CASES)
    assert result.code == 2
    assert result.err == (
        "journeymap: error: readme-two-journeys.md holds 2 journey diagrams (lines 13, 22); "
        "give -o a directory to write one map for each\n"
    )


def test_several_journeys_go_into_a_folder_made_for_them(tmp_path: Path) -> None:
    out = tmp_path / "imported"
    result = run("import", "mermaid", "readme-two-journeys.md", "-o", f"{out}/", cwd=MERMAID_CASES)
    assert result.code in (0, 1), result.err
    assert len(list(out.glob("*.journey.yaml"))) == 2


def test_an_existing_map_is_overwritten_only_with_force(tmp_path: Path) -> None:
    """A map edited by hand, then `import ... -o` over it: its edits were lost without a word."""
    target = tmp_path / "groceries.journey.yaml"
    target.write_text("# my hand edits\n", "utf-8")
    args = ("import", "mermaid", "trailing-comma.mmd", "-o", target)
    refused = run(*args, cwd=MERMAID_CASES)
    assert refused.code == 2
    # The words of `init` and `export` (one helper): one file to write, so no "nothing was
    # written" (that is said when more would have been).
    assert refused.err == (
        f"journeymap: error: {target} already exists; use --force to overwrite it\n"
    )
    assert target.read_text("utf-8") == "# my hand edits\n"
    assert run(*args, "--force", cwd=MERMAID_CASES).code == 1  # its warnings
    assert target.read_text("utf-8").startswith("# Imported from trailing-comma.mmd:1 ")


def test_maps_that_exist_are_all_named_and_none_is_written(tmp_path: Path) -> None:
    """Two maps to write into a folder: each one there already is named, and the other map
    is not written either."""
    args = ("import", "mermaid", "readme-two-journeys.md", "-o", f"{tmp_path}/")
    returns = tmp_path / "returns.journey.yaml"
    returns.write_text("# mine\n", "utf-8")
    one = run(*args, cwd=MERMAID_CASES)
    assert (one.code, one.err) == (
        2,
        f"journeymap: error: {returns} already exists; use --force to overwrite it "
        "(nothing was written)\n",
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["returns.journey.yaml"]
    checkout = tmp_path / "checkout.journey.yaml"
    checkout.write_text("# mine too\n", "utf-8")
    both = run(*args, cwd=MERMAID_CASES)
    assert (both.code, both.err) == (
        2,
        f"journeymap: error: {checkout}, {returns} already exist; use --force to overwrite "
        "them (nothing was written)\n",
    )
    assert returns.read_text("utf-8") == "# mine\n"


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = run("import", "mermaid", tmp_path / "nope.mmd")
    assert result.code == 2
    assert result.err == f"journeymap: error: {tmp_path / 'nope.mmd'}: no such file\n"


def test_work_is_bounded_for_many_tasks_of_one_name() -> None:
    from journeymap.importers.mermaid import import_text
    from journeymap.importers.mermaid.lexer import MAX_TASKS

    result = import_text("journey\n" + "Task: 5: Me\n" * (MAX_TASKS + 5), "big.mmd", markdown=False)
    assert [(f.rule, f.severity.value) for f in result.findings] == [
        ("too-long", "warning"),
        ("limits", "error"),
    ]
    steps = result.maps[0].data["stages"][0]["steps"]
    assert [s["id"] for s in steps[:3]] == ["task", "task-2", "task-3"]
    assert len(steps) == MAX_TASKS
    assert steps[-1]["id"] == f"task-{MAX_TASKS}"


def test_an_empty_diagram_is_not_a_journey(tmp_path: Path) -> None:
    empty = tmp_path / "empty.mmd"
    empty.write_text("%%{init: {}}%%\n%% nothing here\n", encoding="utf-8")
    result = run("import", "mermaid", empty)
    assert (result.code, result.err) == (
        2,
        f"journeymap: error: {empty} is not a Mermaid journey diagram: it is empty\n",
    )


def test_private_use_characters_in_text_are_kept() -> None:
    # The lexer masks entity codes' `#` and `;` with U+E000 and U+E001; text that holds those
    # characters itself must get them back, not a `#` or a `;` (found by the round-trip test).
    from journeymap.importers.mermaid import import_text

    text = "journey\n  title a\ue000b\n  section s\ue001\n    t: 3: p\ue000\n"
    result = import_text(text, "x.mmd", markdown=False)
    assert result.findings == []
    data = result.maps[0].data
    assert data["title"] == "a\ue000b"
    assert data["stages"][0]["name"] == "s\ue001"
    assert data["personas"][0]["name"] == "p\ue000"
