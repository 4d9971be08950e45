from pathlib import Path

from .kit import hits
from .measured import lint_measured, metrics


def test_emotions_that_the_answers_contradict(tmp_path: Path) -> None:
    findings = lint_measured(tmp_path, "emotion-contradicts-data", metrics())
    assert hits(findings) == [
        ("emotion-contradicts-data", 10, 18, "/stages/0/steps/0/emotion"),
        ("emotion-contradicts-data", 15, 18, "/stages/0/steps/1/emotion"),
        ("emotion-contradicts-data", 20, 18, "/stages/0/steps/2/emotion"),
    ]
    assert findings[0].message == (
        "step 'views' is mapped with emotion +1 but only 40% of 10 CSAT answers are 4 or 5 "
        "(survey 'view_csat')"
    )
    assert "its NPS is -25 from 4 answers" in findings[2].message


def test_answers_that_agree_pass(tmp_path: Path) -> None:
    data = metrics()
    steps = data["maps"]["shop"]["steps"]
    steps["views"]["surveys"]["view_csat"]["share_4_5"] = 0.5
    steps["carts"]["surveys"]["cart_csat"]["share_4_5"] = 0.79
    steps["pays"]["surveys"]["pay_nps"]["nps"] = 0
    assert hits(lint_measured(tmp_path, "emotion-contradicts-data", data)) == []
