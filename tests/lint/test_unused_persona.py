from pathlib import Path

from helpers import run

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
      - {id: gets-reminder, name: Gets a reminder, persona: maria}
"""


def test_persona_no_step_names(tmp_path: Path) -> None:
    findings = lint_text(tmp_path, MAP, select="unused-persona")
    assert hits(findings) == [("unused-persona", 6, 5, "/personas/1")]
    assert findings[0].message == "persona 'daniel' is not named by any step"


def test_steps_that_name_no_persona_are_about_everyone(tmp_path: Path) -> None:
    text = MAP.replace(", persona: maria}", "}")
    assert hits(lint_text(tmp_path, text, select="unused-persona")) == []


def test_one_step_without_persona_is_a_step_of_every_persona(tmp_path: Path) -> None:
    # The format: a step without `persona` is about all personas, so daniel has that step.
    text = MAP.replace("Gets a reminder, persona: maria}", "Gets a reminder}")
    assert hits(lint_text(tmp_path, text, select="unused-persona")) == []


def test_a_mermaid_task_of_several_actors_gives_each_a_step(tmp_path: Path) -> None:
    # `import mermaid` writes a task of two actors as a step without `persona` (and x-actors).
    source = tmp_path / "day.mmd"
    source.write_text(
        "journey\n  title My day\n  section Work\n    Make tea: 5: Me\n"
        "    Go upstairs: 3: Me, Cat\n"
    )
    out = tmp_path / "day.journey.yaml"
    assert run("import", "mermaid", source, "-o", out).code == 0
    assert "x-actors" in out.read_text()
    assert hits(lint_text(tmp_path, out.read_text(), select="unused-persona")) == []
