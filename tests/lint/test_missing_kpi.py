from pathlib import Path

from .kit import hits, lint_text

MAP = """
journeymap: 1
title: Buying a TV
stages:
  - id: awareness
    name: Awareness
    kpis: [{name: Reach}]
    steps:
      - id: sees-ad
        name: Sees an ad
  - id: consideration
    name: Consideration
    steps:
      - id: compares
        name: Compares
        kpis: []
  - id: purchase
    name: Purchase
    steps:
      - id: pays
        name: Pays
        kpis:
          - name: Conversion
            target: 0.1
"""


def test_stage_without_any_kpi(tmp_path: Path) -> None:
    findings = lint_text(tmp_path, MAP, select="missing-kpi")
    assert hits(findings) == [("missing-kpi", 10, 5, "/stages/1")]
    assert findings[0].message.startswith("stage 'consideration' has no KPI")


def test_a_kpi_on_a_step_is_enough(tmp_path: Path) -> None:
    text = MAP.replace("        kpis: []\n", "        kpis: [{name: Comparisons}]\n")
    assert hits(lint_text(tmp_path, text, select="missing-kpi")) == []
