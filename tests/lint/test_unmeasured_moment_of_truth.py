from pathlib import Path

from .kit import hits, lint_text

MAP = """
journeymap: 1
title: Joining a gym
stages:
  - id: first-visit
    name: First visit
    steps:
      - id: tour
        name: Gets a tour
        moment_of_truth: true
        kpis: [{name: Tours given}]
      - id: first-workout
        name: First workout
        moment_of_truth: true
      - id: measured-sibling
        name: Fills in a survey
        feedback: [{method: survey}]
  - id: retention
    name: Retention
    feedback: [{method: nps}]
    steps:
      - id: renews
        name: Renews
        moment_of_truth: true
"""


def test_moment_of_truth_without_kpi_or_feedback(tmp_path: Path) -> None:
    # A sibling step's feedback does not measure first-workout; the stage-level NPS does
    # measure renews.
    findings = lint_text(tmp_path, MAP, select="unmeasured-moment-of-truth")
    assert hits(findings) == [("unmeasured-moment-of-truth", 11, 9, "/stages/0/steps/1")]
    assert findings[0].message.startswith("moment of truth 'first-workout' has no KPI")


def test_feedback_on_the_step_passes(tmp_path: Path) -> None:
    text = MAP.replace(
        "        name: First workout\n",
        "        name: First workout\n        feedback: [{method: csat}]\n",
    )
    assert hits(lint_text(tmp_path, text, select="unmeasured-moment-of-truth")) == []
