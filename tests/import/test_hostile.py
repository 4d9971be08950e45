"""Import and export with hostile inputs: names and cells cannot inject lines, special files
are refused without reading or waiting."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from helpers import run


def test_a_fifo_named_as_a_workbook_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "steps.xlsx"
    os.mkfifo(fifo)
    done = subprocess.run(
        [sys.executable, "-m", "journeymap", "import", "xlsx", str(fifo)],
        capture_output=True,
        text=True,
        timeout=60,  # a blocking open would wait for a writer forever
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "not a regular file" in done.stderr


def test_a_workbook_linked_to_dev_zero_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "steps.xlsx"
    link.symlink_to("/dev/zero")
    result = run("import", "xlsx", link)
    assert result.code == 2
    assert "not a regular file" in result.err


def test_cell_text_and_file_names_cannot_start_lines(tmp_path: Path) -> None:
    name = tmp_path / "x\n::error file=README.md::Fake.csv"
    name.write_text(
        'Stage,Step,Emotion\nAwareness,Sees an ad,"nine\n::warning::injected"\n',
        encoding="utf-8",
    )
    result = run("import", "csv", name)
    assert result.code in (0, 1), result.err
    for line in (result.out + result.err).splitlines():
        assert not line.lstrip().startswith("::"), line


def test_export_names_the_written_file_on_one_line(tmp_path: Path) -> None:
    target = tmp_path / "a\n::notice::x.csv"
    result = run("export", "csv", Path("examples/tv-purchase.journey.yaml").resolve(), "-o", target)
    assert result.code == 0, result.err
    assert len(result.err.strip().splitlines()) == 1
    assert not any(line.lstrip().startswith("::") for line in result.err.splitlines())
