from pathlib import Path

from .kit import hits, lint_text

MAP = """
journeymap: 1
title: Booking a trip
stages:
  - id: research
    name: Research
    steps:
      - id: searches
        name: Searches flights
        next: [books]
      - id: reads-reviews
        name: Reads reviews
  - id: booking
    name: Booking
    steps:
      - id: books
        name: Books
        next: [searches]
      - id: pays
        name: Pays
"""


def test_steps_no_transition_reaches(tmp_path: Path) -> None:
    # reads-reviews: searches jumps over it. pays: books sends customers back to searches.
    findings = lint_text(tmp_path, MAP, select="unreachable-step")
    assert hits(findings) == [
        ("unreachable-step", 10, 9, "/stages/0/steps/1"),
        ("unreachable-step", 18, 9, "/stages/1/steps/1"),
    ]
    assert findings[0].message == "step 'reads-reviews' cannot be reached: no step leads to it"


def test_the_first_step_and_file_order_successors_are_reachable(tmp_path: Path) -> None:
    text = MAP.replace("        next: [books]\n", "").replace("        next: [searches]\n", "")
    # reads-reviews now follows searches, books follows reads-reviews (across the stage
    # boundary), and pays follows books; the first step needs nothing to reach it.
    assert hits(lint_text(tmp_path, text, select="unreachable-step")) == []


def test_a_loop_back_reaches_the_first_step_without_harm(tmp_path: Path) -> None:
    text = MAP.replace("next: [books]", "next: [reads-reviews, books]").replace(
        "next: [searches]", "next: [searches, pays]"
    )
    assert hits(lint_text(tmp_path, text, select="unreachable-step")) == []
