"""Progress of `journeymap measure`: rows read per query on a terminal, nothing otherwise."""

from __future__ import annotations

import sys
from pathlib import Path

from helpers import run, run_on_terminal

from .reference import random_log, write_csv
from .test_measure import ANSWERS_HEADER, EVENTS_HEADER, setup_map


def _log(tmp_path: Path) -> list[str]:
    events, answers = random_log(3, users=40)
    write_csv(tmp_path / "events.csv", events, EVENTS_HEADER)
    write_csv(tmp_path / "answers.csv", answers, ANSWERS_HEADER)
    return [
        str(setup_map(tmp_path)),
        "--events",
        str(tmp_path / "events.csv"),
        "--responses",
        str(tmp_path / "answers.csv"),
        "-o",
        str(tmp_path / "metrics.json"),
        "--isolated",
    ]


def test_a_terminal_sees_the_rows_each_query_reads(tmp_path: Path) -> None:
    args = _log(tmp_path)
    events = len((tmp_path / "events.csv").read_text().splitlines()) - 1
    answers = len((tmp_path / "answers.csv").read_text().splitlines()) - 1
    journeymap = Path(sys.executable).parent / "journeymap"
    text = run_on_terminal([str(journeymap), "measure", *args])
    rows = f"{events + answers:,}"
    assert f"journeymap measure: map ref (query 1 of 1): reading {rows} rows" in text
    assert f"journeymap measure: map ref (query 1 of 1): {rows} rows read in " in text
    # The running line is overwritten in place; the finished one stays.
    assert "\r\x1b[K" in text
    assert (tmp_path / "metrics.json").exists()


def test_nothing_when_stderr_is_not_a_terminal(tmp_path: Path) -> None:
    result = run("measure", *_log(tmp_path))
    assert result.code == 0
    assert result.err == ""


def test_duckdb_reports_how_far_a_long_query_is_and_tracks_nothing_otherwise() -> None:
    from journeymap.measure.engines.duckdb import DuckDBEngine

    engine = DuckDBEngine()
    try:
        # Tracking a query's progress costs DuckDB ~8% of a 10M-event query: off unless asked.
        assert engine.query("SELECT current_setting('enable_progress_bar')") == [(False,)]
        ticks: list[float] = []
        sql = "SELECT count(*) FROM range(100000000) AS r(x) WHERE hash(x) % 7 = 3"
        assert engine.query(sql, ticks.append) == [(14282855,)]
        assert ticks, "no progress heard during a query of more than a tenth of a second"
        assert all(0 <= done <= 100 for done in ticks)
        assert ticks == sorted(ticks)
        assert engine.query("SELECT current_setting('enable_progress_bar')") == [(False,)]
    finally:
        engine.close()
