from pathlib import Path

from .kit import hits, lint_text

MAP = """
journeymap: 1
title: A clinic visit
personas:
  - id: maria
    name: Maria, the patient
  - id: daniel
    name: Daniel, her son
stages:
  - id: booking
    name: Booking
    steps:
      - {id: books, name: Books a visit, persona: maria}
      - {id: gets-reminder, name: Gets a reminder}
"""


def test_persona_no_step_names(tmp_path: Path) -> None:
    findings = lint_text(tmp_path, MAP, select="unused-persona")
    assert hits(findings) == [("unused-persona", 6, 5, "/personas/1")]
    assert findings[0].message == "persona 'daniel' is not named by any step"


def test_steps_that_name_no_persona_are_about_everyone(tmp_path: Path) -> None:
    text = MAP.replace(", persona: maria}", "}")
    assert hits(lint_text(tmp_path, text, select="unused-persona")) == []
