"""bench/run.py works end to end on a tiny corpus: a smoke test, the benchmark is not timed here."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

ROWS = [
    "bare interpreter",
    "journeymap --version",
    "journeymap lint, 1 small map",
    "journeymap lint, 12 maps, cold",
    "journeymap lint, 12 maps, warm (2nd run)",
    "journeymap lint, 6 maps",
    "yamllint, 6 maps",
    "check-jsonschema, 6 maps",
    "yamllint, 12 maps",
    "check-jsonschema, 12 maps",
    "journeymap render html+svg, 4 maps",
    "Mermaid CLI (mmdc), 1 map",
    "journeymap render html+svg, 1 map of 40 steps",
    "journeymap diff --rev HEAD~1, 2 of 12 maps changed",
    "journeymap diff --rev HEAD~1, 2 of 24 maps changed",
    "journeymap render, 12 maps, no cache",
    "journeymap render, 12 maps, unchanged (2nd run)",
    "journeymap render --check, 12 maps, no cache",
    "journeymap render --check, 12 maps, unchanged (2nd run)",
    "journeymap render html+svg, 1 map of 200 steps, no cache",
]

# a number and its unit: "1.6x faster", "0.656 s", "37 MB", "327 ms" (x stands for the sign)
QUANTITY = r"(?P<{0}>\d+(?:\.\d+)?)(?P<{0}_unit>×| s| ms| MB)(?P<{0}_faster> faster)?"
TARGET_LINE = re.compile(
    r"(?P<name>.+?) {2,}"
    + QUANTITY.format("measured")
    + r" {2,}(?P<op>[≤≥]) "
    + QUANTITY.format("limit")
    + r" {2,}(?P<result>PASS|FAIL|not judged)"
)


def check_target(line: str, name: str | None = None, *, judged: bool = True) -> None:
    """A target's line: its name, a measured number, the limit, and the verdict they imply
    (PASS or FAIL), or "not judged" in a smoke run."""
    match = TARGET_LINE.fullmatch(line.rstrip())
    assert match, f"not a target line with a number, its limit and a verdict: {line!r}"
    if name is not None:
        assert match["name"] == name
    assert match["measured_unit"] == match["limit_unit"], line
    assert match["measured_faster"] == match["limit_faster"], line
    if not judged:
        assert match["result"] == "not judged", line
        return
    measured, limit = float(match["measured"]), float(match["limit"])
    meets = measured <= limit if match["op"] == "≤" else measured >= limit
    assert match["result"] == ("PASS" if meets else "FAIL"), line


TARGETS = [
    "lint of 6 maps vs yamllint",
    "lint of 6 maps vs check-jsonschema",
    "lint of 12 maps (cold), wall",
    "lint of 12 maps, peak memory",
    "`journeymap --version` vs `python -c pass`",
    "render of the 40-step map, HTML+SVG",
    "batch render, HTML+SVG, per map",
    "batch render per map vs Mermaid CLI on one map",
]


@pytest.mark.slow
def test_quick_run_prints_every_row_and_writes_the_table(tmp_path: Path) -> None:
    out = tmp_path / "performance.md"
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    for row in ROWS:
        assert any(line.startswith(row + " ") for line in lines), f"no row {row!r}"
    header = lines.index(next(line for line in lines if line.startswith("target  ")))
    assert lines[header].split() == ["target", "measured", "(median)", "limit", "result"]
    assert set(lines[header + 1]) <= {"-", " "}
    shown = lines[header + 2 : header + 2 + len(TARGETS)]
    for target, line in zip(TARGETS, shown, strict=True):
        check_target(line, target, judged=False)  # a smoke run is too small to judge
    startup = [
        "`journeymap lint` of 1 small map vs `python -c pass`",
        "`journeymap --version` vs `python -c pass` (start-up)",
    ]
    for target in startup:  # bench/startup.py's, judged after the others
        line = next(line for line in lines if line.startswith(target + "  "))
        check_target(line, target, judged=False)
    assert "smoke run: targets not judged" in done.stdout
    assert "skipped (--quick)" in done.stdout
    assert f"wrote {out}" in done.stdout

    doc = out.read_text(encoding="utf-8")
    assert doc.startswith("# Performance\n")
    for heading in ("## Machine", "## Targets", "## Measurements", "## Commands", "## Notes"):
        assert heading in doc
    assert "**Quick run**" in doc
    assert "- **CPU**: " in doc and "- **Python**: " in doc
    table = [line for line in doc.splitlines() if line.startswith("| ")]
    assert table[0].startswith("| target | measured (median) | limit | result |")
    for target, row in zip(TARGETS, table[1 : 1 + len(TARGETS)], strict=True):
        cells = [cell.strip() for cell in row.strip("|").split(" | ")]
        check_target("  ".join(cells), target, judged=False)
    for row in ROWS:
        assert any(line.startswith(f"| {row} | ") for line in table), f"no Markdown row {row!r}"
    assert "journeymap-bench-" not in doc  # temporary paths are shown as $CORPUS and $OUT


@pytest.mark.slow
def test_measure_benchmark_smoke_run() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "measure.py"), "--quick", "--no-out"],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("same figures: True") == 2
    assert "<!-- measure:start -->" in proc.stdout


def test_the_published_targets_agree_with_their_numbers() -> None:
    """docs/performance.md (a full run): every target has a number, its limit, and PASS or
    FAIL as the two imply."""
    doc = (ROOT / "docs" / "performance.md").read_text(encoding="utf-8")
    lines = doc.splitlines()
    start = lines.index("| target | measured (median) | limit | result |")
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("| "):
            break
        rows.append(line)
    # The quick run's targets, those the full run judges after them, and with --scale (as
    # the published run is made) the repository-scale ones.
    scale = ("peak memory (process tree)", "vs 10000 maps", "filling the cache", "warm vs cold")
    assert len(rows) == len(TARGETS) + 7 + 5
    names = " ".join(row.split(" | ")[0] for row in rows)
    later = ("diff --rev", "of 1 small map", "second render of", "second render --check")
    for name in (*later, *scale):
        assert name in names, name
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split(" | ")]
        check_target("  ".join(cells))
    with pytest.raises(AssertionError):  # the check has teeth
        check_target(rows[0].replace("PASS", "FAIL").strip("|").replace(" | ", "  "))
