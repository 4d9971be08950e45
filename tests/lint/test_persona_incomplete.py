from pathlib import Path

from .kit import hits, lint_file, lint_text, write

MAP = """
journeymap: 1
title: Buying a TV
personas:
  - id: complete
    name: Complete
    goals: [A good TV]
    needs: [Comparisons]
  - id: no-goals
    name: No goals
    pain_points: [Jargon]
  - id: goals-only
    name: Goals only
    goals: [A good TV]
  - id: pains-only
    name: Pains only
    goals: [x]
    pain_points: [Jargon]
  - id: bare
    name: Bare
stages:
  - id: s
    name: S
    steps: [{id: a, name: A}]
"""


def test_incomplete_personas(tmp_path: Path) -> None:
    findings = lint_text(tmp_path, MAP, select="persona-incomplete")
    assert hits(findings) == [
        ("persona-incomplete", 8, 5, "/personas/1"),
        ("persona-incomplete", 11, 5, "/personas/2"),
        ("persona-incomplete", 18, 5, "/personas/4"),
    ]
    messages = [f.message for f in findings]
    assert messages == [
        "persona 'no-goals' has no `goals`",
        "persona 'goals-only' has no `pain_points` or `needs`",
        "persona 'bare' has no `goals` and no `pain_points` or `needs`",
    ]


def test_library_personas_are_checked_in_the_library(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    library = write(
        tmp_path,
        """
        journeymap: 1
        kind: library
        personas:
          - id: sam
            name: Sam
        """,
        "shared/people.yaml",
    )
    path = write(
        tmp_path,
        "journeymap: 1\ntitle: T\nuses: [shared/people.yaml]\n"
        "stages: [{id: s, name: S, steps: [{id: a, name: A}]}]\n",
    )
    assert hits(lint_file(path, select={"persona-incomplete"})) == []
    assert hits(lint_file(library, select={"persona-incomplete"})) == [
        ("persona-incomplete", 4, 5, "/personas/0")
    ]
