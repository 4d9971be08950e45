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
        emotion: 0
      - id: clicks
        name: Clicks
      - {id: reads, name: Reads, emotion: -2}
"""


def test_step_without_emotion(tmp_path: Path) -> None:
    findings = lint_text(tmp_path, MAP, select="missing-emotion")
    assert hits(findings) == [("missing-emotion", 10, 9, "/stages/0/steps/1")]
    assert findings[0].severity is Severity.INFO


def test_zero_is_an_emotion(tmp_path: Path) -> None:
    text = MAP.replace("        name: Clicks\n", "        name: Clicks\n        emotion: 0\n")
    assert hits(lint_text(tmp_path, text, select="missing-emotion")) == []
