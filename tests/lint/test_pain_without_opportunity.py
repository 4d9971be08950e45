from pathlib import Path

from .kit import hits, lint_text

MAP = """
journeymap: 1
title: Joining a gym
stages:
  - id: joining
    name: Joining
    steps:
      - id: chooses-plan
        name: Chooses a plan
        pain_points:
          - Hidden cancellation terms
          - text: Too many plans
            severity: high
      - id: pays
        name: Pays
        pain_points: [Card declined]
        opportunities: [Offer direct debit]
      - id: gets-email
        name: Gets the welcome email
        opportunities: [Add a first-visit checklist]
"""


def test_pain_points_without_opportunities(tmp_path: Path) -> None:
    findings = lint_text(tmp_path, MAP, select="pain-without-opportunity")
    assert hits(findings) == [("pain-without-opportunity", 7, 9, "/stages/0/steps/0")]
    assert findings[0].message == "step 'chooses-plan' lists 2 pain points and no opportunities"


def test_an_opportunity_answers_the_pain(tmp_path: Path) -> None:
    text = MAP.replace(
        "            severity: high\n",
        "            severity: high\n        opportunities: [Show terms]\n",
    )
    assert hits(lint_text(tmp_path, text, select="pain-without-opportunity")) == []


def test_one_pain_point_is_singular(tmp_path: Path) -> None:
    text = MAP.replace("        opportunities: [Offer direct debit]\n", "")
    findings = lint_text(tmp_path, text, select="pain-without-opportunity")
    assert [f.message for f in findings] == [
        "step 'chooses-plan' lists 2 pain points and no opportunities",
        "step 'pays' lists 1 pain point and no opportunities",
    ]
