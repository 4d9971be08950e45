from pathlib import Path

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
  - id: purchase
    name: Purchase
    feedback: [{method: csat}]
    steps:
      - id: pays
        name: Pays
  - id: delivery
    name: Delivery
    steps:
      - id: waits
        name: Waits
      - id: receives
        name: Receives the TV
        feedback:
          - method: survey
"""


def test_stage_without_any_feedback(tmp_path: Path) -> None:
    findings = lint_text(tmp_path, MAP, select="missing-feedback")
    assert hits(findings) == [("missing-feedback", 4, 5, "/stages/0")]
    assert "stage 'awareness' collects no customer feedback" in findings[0].message


def test_feedback_on_the_stage_or_one_step_is_enough(tmp_path: Path) -> None:
    text = MAP.replace(
        "        name: Sees an ad\n",
        "        name: Sees an ad\n        feedback: [{method: nps}]\n",
    )
    assert hits(lint_text(tmp_path, text, select="missing-feedback")) == []
