from pathlib import Path

import pytest

from journeymap.lint.rules.no_post_purchase import purchase_word

from .kit import hits, lint_text

MAP = """
journeymap: 1
title: Buying a TV
stages:
  - id: awareness
    name: Awareness
    steps: [{id: a, name: A}]
  - id: {last_id}
    name: {last_name}
    steps: [{{id: b, name: B}}]
"""


def _map(last_id: str, last_name: str) -> str:
    return (
        MAP.replace("{last_id}", last_id)
        .replace("{last_name}", last_name)
        .replace("{{", "{")
        .replace("}}", "}")
    )


@pytest.mark.parametrize(
    ("last_id", "last_name"),
    [
        ("purchase", "Purchase"),
        ("stage-5", "Checkout & payment"),
        ("online-order", "Placing it"),
        ("join", "Sign-up"),
        ("s", "Booking"),
        ("s", "Decision"),
        ("s", "Conversion"),
        ("buy", "Buy"),
        ("subscribe", "Subscribe"),
        ("s", "SignUp"),
    ],
)
def test_last_stage_at_the_purchase(tmp_path: Path, last_id: str, last_name: str) -> None:
    findings = lint_text(tmp_path, _map(last_id, last_name), select="no-post-purchase")
    assert hits(findings) == [("no-post-purchase", 7, 5, "/stages/1")]


@pytest.mark.parametrize(
    ("last_id", "last_name"),
    [
        ("retention", "Retention"),
        ("post-purchase", "Post-purchase"),
        ("after", "Post purchase care"),
        ("reordering", "Re-ordering"),
        ("buyers-club", "Buyers' club"),
        ("subscriber-perks", "Subscriber perks"),
    ],
)
def test_last_stage_after_the_purchase(tmp_path: Path, last_id: str, last_name: str) -> None:
    assert hits(lint_text(tmp_path, _map(last_id, last_name), select="no-post-purchase")) == []


def test_only_the_last_stage_counts(tmp_path: Path) -> None:
    text = _map("advocacy", "Advocacy").replace("id: awareness", "id: purchase")
    assert hits(lint_text(tmp_path, text, select="no-post-purchase")) == []


def test_words() -> None:
    assert purchase_word("online-purchase") == "purchase"
    assert purchase_word("sign-up") == "sign-up"
    assert purchase_word("ORDER") == "order"
    assert purchase_word("orders") is None
    assert purchase_word("post_purchase") is None
