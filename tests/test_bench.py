"""bench/run.py works end to end on a tiny corpus: a smoke test, the benchmark is not timed here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

ROWS = [
    "bare interpreter",
    "journeymap --version",
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
]

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
    for target in TARGETS:
        matching = [line for line in lines if line.startswith(target)]
        assert matching, f"no target {target!r}"
        # Issue 13, defect 9: a smoke run printed FAIL lines and exited 0.
        assert matching[0].rstrip().endswith(("not judged", ")")), matching[0]
        assert "PASS" not in matching[0] and "FAIL" not in matching[0]
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
