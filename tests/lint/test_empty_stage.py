from pathlib import Path

from journeymap.findings import Severity

from .kit import hits, lint_text

MAP = """
journeymap: 1
title: Buying a TV
stages:
  - id: awareness
    name: Awareness
    steps:
      - id: sees-ad
        name: Sees an ad
  - id: retention
    name: Retention
    steps: []
  - id: advocacy
    name: Advocacy
"""


def test_stages_without_steps_are_errors(tmp_path: Path) -> None:
    findings = lint_text(tmp_path, MAP, select="empty-stage")
    assert hits(findings) == [
        ("empty-stage", 9, 5, "/stages/1"),
        ("empty-stage", 12, 5, "/stages/2"),
    ]
    assert {f.severity for f in findings} == {Severity.ERROR}
    assert findings[0].message == "stage 'retention' has no steps"


def test_stages_with_steps_pass(tmp_path: Path) -> None:
    text = MAP.replace("    steps: []\n", "    steps: [{id: thanks, name: Gets thanks}]\n")
    text = text.replace(
        "    name: Advocacy\n", "    name: Advocacy\n    steps: [{id: r, name: R}]\n"
    )
    assert hits(lint_text(tmp_path, text, select="empty-stage")) == []
