"""The findings of examples/, as examples/README.md documents them."""

import datetime as dt
import re
from pathlib import Path

import pytest

from helpers import EXAMPLES, run_process
from journeymap.config import ConfigFinder
from journeymap.diff import where
from journeymap.inspection import Inspector
from journeymap.lint import lint_checked

TODAY = dt.date(2026, 11, 23)

EXPECTED: dict[str, list[tuple[str, str, bool]]] = {
    "tv-purchase.journey.yaml": [],
    "service-blueprint.journey.yaml": [],
    "trip-booking.journey.yaml": [
        ("unused-channel", "/channels/5", False),
        ("kpi-off-target", "/stages/2/steps/1/kpis/0", False),
        ("missing-feedback", "/stages/4", False),
    ],
    "gym-membership.journey.yaml": [
        ("missing-kpi", "/stages/0", False),
        ("pain-without-opportunity", "/stages/2/steps/0", False),
        ("channel-gap", "/stages/3/steps/0", False),
    ],
    "phone-repair.journey.yaml": [
        ("kpi-off-target", "/stages/1/kpis/0", True),
        ("unmeasured-moment-of-truth", "/stages/2/steps/1", False),
        ("negative-ending", "/stages/3", False),
    ],
    "shared/personas.yaml": [],
}


def _lint(name: str) -> list[tuple[str, str, bool]]:
    inspector = Inspector(ConfigFinder(isolated=True))
    findings = lint_checked(inspector.inspect(EXAMPLES / name), today=TODAY)
    return [(f.rule, f.path, f.suppressed) for f in findings]


def test_every_example_is_covered() -> None:
    found = {p.relative_to(EXAMPLES).as_posix() for p in EXAMPLES.rglob("*.yaml")}
    assert found == set(EXPECTED)


def test_findings_are_pinned() -> None:
    for name, expected in EXPECTED.items():
        assert _lint(name) == expected, name


# In examples/README.md's table: "`rule` at step `id`", "**suppressed** `rule` on the `id` stage".
_README_FINDING = re.compile(
    r"(?P<suppressed>\*\*suppressed\*\* )?`(?P<rule>[a-z-]+)` "
    r"(?:at (?P<kind>step|stage|channel) `(?P<id>[^`]+)`|on the `(?P<on>[^`]+)` (?P<on_kind>\w+))"
)


def _readme_table() -> dict[str, set[tuple[str, str, bool]]]:
    """Each example's expected findings as examples/README.md states them."""
    out: dict[str, set[tuple[str, str, bool]]] = {}
    for line in (EXAMPLES / "README.md").read_text("utf-8").splitlines():
        link = re.match(r"^\| \[`([^`]+)`\]", line)
        if not link:
            continue
        cell = line.rstrip(" |").rsplit(" | ", 1)[1]
        found = set()
        for match in _README_FINDING.finditer(cell):
            kind = match.group("kind") or match.group("on_kind")
            ident = match.group("id") or match.group("on")
            found.add((match.group("rule"), f"{kind} {ident}", bool(match.group("suppressed"))))
        out[link.group(1)] = found
    return out


def test_findings_match_the_readme() -> None:
    """Issue 13: this test used to compare with a copy of the table and never read the README."""
    table = _readme_table()
    assert set(table) == set(EXPECTED)
    inspector = Inspector(ConfigFinder(isolated=True))
    for name, expected in table.items():
        checked = inspector.inspect(EXAMPLES / name)
        if checked.journey is None:  # the library: "not linted on its own"
            assert expected == set(), name
            continue
        findings = lint_checked(checked, today=TODAY)
        actual = {(f.rule, where(checked.journey, f.path), f.suppressed) for f in findings}
        assert actual == expected, name


def test_step_and_stage_ids_named_in_the_readme() -> None:
    inspector = Inspector(ConfigFinder(isolated=True))
    journey = inspector.inspect(EXAMPLES / "gym-membership.journey.yaml").journey
    assert journey is not None
    assert journey.map.stages[3].steps[0].id == "arrives-at-club"
    assert journey.map.stages[2].steps[0].id == "chooses-plan"
    assert journey.map.stages[0].id == "awareness"
    journey = inspector.inspect(EXAMPLES / "phone-repair.journey.yaml").journey
    assert journey is not None
    assert journey.map.stages[2].steps[1].id == "visits-service-centre"
    assert journey.map.stages[3].id == "follow-up"
    assert journey.map.stages[1].id == "contact-support"
    assert journey.map.stages[1].kpis[0].name == "First contact resolution"
    journey = inspector.inspect(EXAMPLES / "trip-booking.journey.yaml").journey
    assert journey is not None
    assert journey.map.channels[5].id == "phone"
    assert journey.map.stages[2].steps[1].id == "pays"
    assert journey.map.stages[4].id == "during-trip"


def test_end_to_end_exit_codes(tmp_path: Path) -> None:
    """The real command, in a child process: warnings fail only when asked."""
    args = ("lint", EXAMPLES, "--isolated", "--today", "2026-11-23")
    clean = run_process(
        "lint",
        EXAMPLES / "tv-purchase.journey.yaml",
        "--isolated",
        "--fail-on",
        "info",
        "--today",
        "2026-11-23",
    )
    assert clean.code == 0, clean.out + clean.err
    assert clean.out.strip() == "1 file checked: all clean"
    default = run_process(*args)
    assert default.code == 0, default.err
    assert (
        default.out.splitlines()[-1]
        == "6 files checked: 0 errors, 4 warnings, 4 infos, 1 suppressed"
    )
    assert run_process(*args, "--fail-on", "warning").code == 1
    assert run_process(*args, "--fail-on", "never").code == 0
    bad = tmp_path / "bad.journey.yaml"
    bad.write_text("journeymap: 1\n")
    assert run_process("lint", bad, "--isolated", "--fail-on", "never").code == 0
    assert run_process("lint", bad, "--isolated").code == 1
    assert run_process("lint", tmp_path / "missing.yaml").code == 2
    assert run_process(*args, "--today", "yesterday").code == 2


@pytest.mark.parametrize(
    "args",
    [
        ["lint", "--fail-on", "never", "--format", "text", "."],
        ["lint", "--fail-on", "never", "--format", "sarif", "."],
        ["validate", "."],
        ["rules"],
    ],
    ids=["lint-text", "lint-sarif", "validate", "rules"],
)
def test_output_nobody_reads_is_exit_1_without_a_traceback(tmp_path: Path, args: list[str]) -> None:
    """`journeymap lint . | head -0` and the like: the report was not delivered, so the run
    does not pass (exit 1, not 0), and a broken pipe is no reason for a traceback."""
    import os
    import shutil
    import subprocess
    import sys

    shutil.copytree(EXAMPLES, tmp_path, dirs_exist_ok=True)
    (tmp_path / ".git").mkdir()
    command = [sys.executable, "-m", "journeymap", *args]
    delivered = subprocess.run(command, cwd=tmp_path, capture_output=True, timeout=120, check=False)
    assert delivered.returncode == 0, delivered.stderr
    assert delivered.stdout
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before anything is written: no timing involved
    try:
        cut = subprocess.run(
            command, cwd=tmp_path, stdout=write_end, stderr=subprocess.PIPE, text=True,
            timeout=120, check=False,
        )  # fmt: skip
    finally:
        os.close(write_end)
    assert cut.returncode == 1
    assert "Traceback" not in cut.stderr and "BrokenPipeError" not in cut.stderr
    assert cut.stderr == ""
