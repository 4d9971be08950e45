from pathlib import Path

from .kit import hits, lint_text

MAP = """
journeymap: 1
title: Booking a trip
stages:
  - id: booking
    name: Booking
    kpis:
      - name: Checkout completion
        target: 0.75
        actual: 0.68
        unit: ratio
      - {name: On target, target: 0.5, actual: 0.5}
      - {name: Text target, target: "< 2 days", actual: 3}
      - {name: No actual, target: 3}
    steps:
      - id: pays
        name: Pays
        kpis:
          - name: Time to pay
            target: 120
            actual: 150
            unit: seconds
            better: lower
          - {name: Fast enough, target: 120, actual: 90, better: lower}
          - {name: Integer higher, target: 10, actual: 12}
"""


def test_numeric_actual_misses_target(tmp_path: Path) -> None:
    findings = lint_text(tmp_path, MAP, select="kpi-off-target")
    assert hits(findings) == [
        ("kpi-off-target", 7, 9, "/stages/0/kpis/0"),
        ("kpi-off-target", 18, 13, "/stages/0/steps/0/kpis/0"),
    ]
    assert findings[0].message == (
        "KPI 'Checkout completion' of stage 'booking' is off target: 0.68 ratio is below "
        "the target of 0.75 ratio (higher is better)"
    )
    assert "150 seconds is above the target of 120 seconds (lower is better)" in (
        findings[1].message
    )


def test_on_target_passes(tmp_path: Path) -> None:
    text = MAP.replace("actual: 0.68", "actual: 0.8").replace("actual: 150", "actual: 120")
    assert hits(lint_text(tmp_path, text, select="kpi-off-target")) == []


def test_a_unit_after_1_is_singular(tmp_path: Path) -> None:
    text = MAP.replace(
        "          - {name: Fast enough,",
        "          - {name: Days to fix, target: 1, actual: 2.5, unit: days, better: lower}\n"
        "          - {name: Visits, target: 2, actual: 1, unit: visits per week}\n"
        "          - {name: Fast enough,",
    )
    messages = [f.message for f in lint_text(tmp_path, text, select="kpi-off-target")]
    assert (
        "KPI 'Days to fix' of step 'pays' is off target: 2.5 days is above the target of 1 day "
        "(lower is better)"
    ) in messages
    assert (
        "KPI 'Visits' of step 'pays' is off target: 1 visit per week is below the target of "
        "2 visits per week (higher is better)"
    ) in messages


def test_figures_as_people_read_them() -> None:
    from journeymap.model import Kpi
    from journeymap.model.measures import duration_text

    assert [duration_text(s) for s in (7860, 3600, 150, 150.5, 45, 0, 90061, 14 * 86400)] == [
        "2 h 11 min",
        "1 h",
        "2 min 30 s",
        "2 min 30.5 s",
        "45 s",
        "0 s",
        "1 day 1 h 1 min 1 s",
        "14 days",
    ]
    # To the microsecond, never in exponent form, never `60 s` or `1 min 60 s`.
    edges = (3600.000001, 59.9999996, 119.9999999, 3599.5, -90)
    assert [duration_text(s) for s in edges] == [
        "1 h 0.000001 s",
        "1 min",
        "2 min",
        "59 min 59.5 s",
        "-1 min 30 s",
    ]
    units = ["days", "seconds", "visits per week", "%", "ratio", "kbps", "status", "ms", "hrs"]
    shown = [Kpi(name="k", unit=unit).figure(1) for unit in units]
    assert shown == [
        "1 day",
        "1 second",
        "1 visit per week",
        "1 %",
        "1 ratio",
        "1 kbps",
        "1 status",
        "1 ms",
        "1 hr",
    ]
    assert Kpi(name="k", unit="days").figure(1.0) == "1 day"
    assert Kpi(name="k", unit="days").figure("< 2") == "< 2 days"  # text: as written
