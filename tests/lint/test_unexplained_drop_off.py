from pathlib import Path

from .kit import hits
from .measured import MAP, lint_measured, metrics


def test_a_big_drop_off_with_nothing_on_the_map(tmp_path: Path) -> None:
    findings = lint_measured(tmp_path, "unexplained-drop-off", metrics())
    # carts (50%) is not above the threshold; pays (80%) is.
    assert hits(findings) == [("unexplained-drop-off", 18, 9, "/stages/0/steps/2")]
    assert findings[0].message.startswith("80% of the users at 'carts' did not get to 'pays'")


def test_a_pain_point_explains_it(tmp_path: Path) -> None:
    text = MAP.replace(
        "        emotion: -1\n", "        emotion: -1\n        pain_points: [Fees]\n"
    )
    assert hits(lint_measured(tmp_path, "unexplained-drop-off", metrics(), text)) == []
