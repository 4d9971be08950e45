from pathlib import Path

from .kit import hits
from .measured import MAP, lint_measured, metrics, step


def test_a_survey_nobody_answered(tmp_path: Path) -> None:
    typo = MAP.replace("survey: cart_csat", "survey: cart_cast")
    data = metrics()
    data["maps"]["shop"]["steps"]["carts"] = step(
        50, 50, 0.5, cart_cast={"method": "csat", "count": 0, "share_4_5": None}
    )
    findings = lint_measured(tmp_path, "unanswered-survey", data, typo)
    assert hits(findings) == [("unanswered-survey", 17, 43, "/stages/0/steps/1/feedback/0/survey")]
    assert "survey 'cart_cast' of step 'carts' has no answer in the measured data" in (
        findings[0].message
    )
    assert lint_measured(tmp_path, "unanswered-survey", metrics()) == []


def test_a_map_none_of_whose_surveys_got_an_answer(tmp_path: Path) -> None:
    """The rule's own example, when the typo'd survey is the map's only one: every count is 0,
    and that is what the rule is for (it used to take it for a run without answers)."""
    data = metrics()
    for figures in data["maps"]["shop"]["steps"].values():
        figures["left"] = 0  # metrics of this version (older ones: the test below)
        for survey in figures["surveys"].values():
            survey["count"] = 0
    findings = lint_measured(tmp_path, "unanswered-survey", data)
    assert len(findings) == 3 and all("has no answer" in f.message for f in findings)


def test_older_metrics_without_answers_say_nothing(tmp_path: Path) -> None:
    """Metrics made before survey figures were null without --responses (and before `left`)
    wrote a count of 0 for every survey: that is no answer measured, not a typo."""
    data = metrics()
    for figures in data["maps"]["shop"]["steps"].values():
        for survey in figures["surveys"].values():
            survey["count"] = 0
    assert lint_measured(tmp_path, "unanswered-survey", data) == []


def test_nothing_without_answers_or_metrics(tmp_path: Path) -> None:
    """Measured without --responses, every survey's count is null: that says nothing."""
    data = metrics()
    for figures in data["maps"]["shop"]["steps"].values():
        for survey in figures["surveys"].values():
            survey.update(count=None, mean=None, share_4_5=None, nps=None)
    assert lint_measured(tmp_path, "unanswered-survey", data) == []
    assert lint_measured(tmp_path, "unanswered-survey", None) == []
