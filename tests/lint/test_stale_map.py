import datetime as dt
from pathlib import Path

from journeymap.config import ConfigFinder
from journeymap.findings import Severity

from .kit import hits, lint_file, lint_text, write

MAP = """
journeymap: 1
title: Buying a TV
updated: 2026-05-26
stages: [{id: s, name: S, steps: [{id: a, name: A}]}]
"""


def test_older_than_180_days(tmp_path: Path) -> None:
    findings = lint_text(tmp_path, MAP, select="stale-map", today=dt.date(2026, 11, 23))
    assert hits(findings) == [("stale-map", 3, 10, "/updated")]
    assert findings[0].severity is Severity.WARNING
    assert findings[0].message.startswith("the map was last updated 181 days ago (2026-05-26)")


def test_exactly_180_days_is_not_stale(tmp_path: Path) -> None:
    assert hits(lint_text(tmp_path, MAP, select="stale-map", today=dt.date(2026, 11, 22))) == []


def test_missing_updated_is_info(tmp_path: Path) -> None:
    findings = lint_text(tmp_path, MAP.replace("updated: 2026-05-26\n", ""), select="stale-map")
    assert hits(findings) == [("stale-map", 1, 1, "")]
    assert findings[0].severity is Severity.INFO


def test_stale_after_days_option(tmp_path: Path) -> None:
    config = tmp_path / "journeymap.toml"
    config.write_text("stale-after-days = 365\n[rules]\nstale-map = 'error'\n")
    path = write(tmp_path, MAP)
    finder = ConfigFinder(config)
    today = dt.date(2027, 5, 27)
    assert (
        hits(lint_file(path, select={"stale-map"}, today=dt.date(2027, 5, 26), finder=finder)) == []
    )
    findings = lint_file(path, select={"stale-map"}, today=today, finder=finder)
    assert hits(findings) == [("stale-map", 3, 10, "/updated")]
    assert findings[0].severity is Severity.ERROR


def test_a_date_in_the_future_is_a_finding(tmp_path: Path) -> None:
    text = MAP.replace("2026-05-26", "2027-06-01")
    findings = lint_text(tmp_path, text, select="stale-map", today=dt.date(2026, 12, 5))
    assert hits(findings) == [("stale-map", 3, 10, "/updated")]
    assert findings[0].severity is Severity.WARNING
    assert findings[0].message == (
        "`updated` 2027-06-01 is in the future (today is 2026-12-05): a typo? "
        "Write the date the map was last reviewed"
    )


def test_tomorrow_is_today_in_another_time_zone(tmp_path: Path) -> None:
    for today, found in ((dt.date(2026, 5, 25), []), (dt.date(2026, 5, 24), ["/updated"])):
        findings = lint_text(tmp_path, MAP, select="stale-map", today=today)
        assert [f.path for f in findings] == found, today


def test_the_command_line_reports_a_future_date(tmp_path: Path) -> None:
    from helpers import run

    path = write(tmp_path, MAP.replace("2026-05-26", "2027-06-01"))
    result = run("lint", path, "--select", "stale-map", "--today", "2026-12-05", "--no-cache")
    assert result.code == 0, result.err  # a warning: lint fails on errors by default
    assert result.out.splitlines()[0] == (
        f"{path}:3:10: warning stale-map `updated` 2027-06-01 is in the future (today is "
        "2026-12-05): a typo? Write the date the map was last reviewed"
    )
