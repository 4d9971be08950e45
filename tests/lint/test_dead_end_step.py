from pathlib import Path

from .kit import hits, lint_text

MAP = """
journeymap: 1
title: Booking a trip
stages:
  - id: research
    name: Research
    steps:
      - id: reads-reviews
        name: Reads bad reviews and gives up
        next: []
      - id: searches
        name: Searches
        next: [books]
  - id: booking
    name: Booking
    steps:
      - id: books
        name: Books
        next: []
"""


def test_dead_ends_before_the_last_stage(tmp_path: Path) -> None:
    findings = lint_text(tmp_path, MAP, select="dead-end-step")
    assert hits(findings) == [("dead-end-step", 7, 9, "/stages/0/steps/0")]
    assert "step 'reads-reviews' is a dead end (`next: []`) in stage 'research'" in (
        findings[0].message
    )


def test_next_absent_or_in_the_last_stage_passes(tmp_path: Path) -> None:
    text = MAP.replace("        next: []\n      - id: searches", "      - id: searches")
    assert hits(lint_text(tmp_path, text, select="dead-end-step")) == []
