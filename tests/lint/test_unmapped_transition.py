from pathlib import Path

from .kit import hits
from .measured import lint_measured, metrics


def test_a_transition_taken_by_enough_users(tmp_path: Path) -> None:
    findings = lint_measured(tmp_path, "unmapped-transition", metrics())
    # views -> pays is 3 of 53 (5.7%, reported); carts -> views is 20 of 20.
    assert hits(findings) == [
        ("unmapped-transition", 8, 9, "/stages/0/steps/0"),
        ("unmapped-transition", 13, 9, "/stages/0/steps/1"),
    ]
    assert findings[0].message.startswith("3 of 53 users (6%) who left step 'views' went to 'pays'")


def test_below_the_threshold_passes(tmp_path: Path) -> None:
    data = metrics(
        transitions=[
            {"from": "views", "to": "carts", "users": 97, "on_map": True},
            {"from": "views", "to": "pays", "users": 3, "on_map": False},
        ]
    )
    assert hits(lint_measured(tmp_path, "unmapped-transition", data)) == []


def test_the_share_is_of_the_users_who_left_each_counted_once(tmp_path: Path) -> None:
    """A user who left `views` for `carts` and, later, for `pays` is one of the users who left
    it: with `left` measured (50 users, not the 53 moves), 3 is 6% of them."""
    data = metrics()
    data["maps"]["shop"]["steps"]["views"]["left"] = 50
    findings = lint_measured(tmp_path, "unmapped-transition", data)
    assert findings[0].message.startswith("3 of 50 users (6%) who left step 'views' went to 'pays'")
