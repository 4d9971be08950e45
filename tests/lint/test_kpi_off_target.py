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
