"""The Mermaid import against Mermaid itself, and against journeymap's Mermaid renderer.

- Mermaid's own parser (lifted from the installed package, see mermaid_oracle.mjs) reads every
  case as the importer says it does: the same sections, tasks, scores and actors, or a syntax
  error where the importer warns that Mermaid cannot draw the diagram.
- `render -f mermaid` then `import mermaid` gives back the stages (those with steps), steps,
  names, emotions and personas of every example, and (a property test) of any map.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any, cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journeymap.importers.common import ImportFailure
from journeymap.importers.mermaid import Source, import_text, markdown_blocks
from journeymap.model import JourneyMap
from journeymap.render.mermaid import to_mermaid
from journeymap.render.text import one_line
from journeymap.validation import Journey

from .kit import MERMAID_CASES, mermaid_parse

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.journey.yaml"))
BREAKING = {"syntax", "mermaid-syntax", "front-matter"}


def diagrams() -> list[tuple[str, str]]:
    out = []
    for case in sorted(MERMAID_CASES.iterdir()):
        text = case.read_text("utf-8")
        if case.suffix == ".md":
            out += [(f"{case.name}:{b.first_line}", b.text) for b in markdown_blocks(text)]
        else:
            out.append((case.name, text))
    return out


DIAGRAMS = diagrams()
ALL_TEXTS = [text for _, text in DIAGRAMS]


def shown(text: str) -> str:
    """Mermaid's text as a browser shows it."""
    return " ".join(html.unescape(re.sub(r"<br\s*/?>", " ", text, flags=re.I)).split())


def steps_of(data: dict[str, Any]) -> list[tuple[str, str, int | None, list[str]]]:
    """(stage name, step name, emotion, actor names) of an imported map, in order."""
    names = {p["id"]: p["name"] for p in data.get("personas", [])}
    out = []
    for stage in data["stages"]:
        for step in stage["steps"]:
            ids = step.get("x-actors") or ([step["persona"]] if "persona" in step else [])
            out.append((stage["name"], step["name"], step.get("emotion"), [names[i] for i in ids]))
    return out


@pytest.mark.parametrize(("name", "text"), DIAGRAMS, ids=[n for n, _ in DIAGRAMS])
def test_mermaid_reads_each_case_as_the_importer_says(name: str, text: str) -> None:
    try:
        result = import_text(text, name, markdown=False)
    except ImportFailure:
        mermaid = mermaid_parse(text, ALL_TEXTS)
        assert not mermaid["ok"] or not text.lstrip().startswith("journey")
        return
    mermaid = mermaid_parse(text, ALL_TEXTS)
    if any(f.rule in BREAKING for f in result.findings):
        assert not mermaid["ok"], "the importer says Mermaid cannot draw this, but it can"
        return
    assert mermaid["ok"], f"Mermaid fails ({mermaid.get('error')}) and the importer did not say"
    data = result.maps[0].data
    if mermaid["title"]:
        assert data["title"] == shown(mermaid["title"])
    named = [s["name"] for s in data["stages"]]
    if mermaid["tasks"] and mermaid["tasks"][0]["section"] == "":
        named = named[1:]  # the stage named after the title, for tasks before any section
    # A section with no tasks is not drawn: the import leaves it out and names it in a warning.
    sections = list(zip(mermaid["sections"], mermaid["sectionTasks"], strict=True))
    assert named == [shown(s) for s, tasks in sections if tasks]
    left_out = [f.message for f in result.findings if f.rule == "empty-section"]
    assert [m.split(" has no tasks:")[0] for m in left_out] == [
        f"section {shown(s)!r}" for s, tasks in sections if not tasks
    ]
    ours = steps_of(data)
    assert len(ours) == len(mermaid["tasks"])
    for (stage, step, emotion, actors), task in zip(ours, mermaid["tasks"], strict=True):
        if task["section"]:
            assert stage == shown(task["section"])
        assert step == shown(task["task"]).removesuffix(" (emotion not recorded)")
        if emotion is not None:
            assert task["score"] == emotion + 3
        else:
            assert task["score"] not in (1, 2, 3, 4, 5) or "not recorded" in task["task"]
        assert actors == list(dict.fromkeys(shown(p) for p in task["people"] if shown(p)))


def carried(
    journey: Journey,
) -> tuple[str, list[tuple[str, list[tuple[str, int | None, list[str]]]]]]:
    """What a Mermaid journey carries of a map: title; the names of the stages with steps
    (Mermaid draws no section without tasks); step names, emotions and who does each step (its
    persona, or every persona), with whitespace as Mermaid shows it."""
    everyone = [one_line(p.name) for p in journey.personas]
    names = {p.id: one_line(p.name) for p in journey.personas}
    stages = []
    for stage in journey.map.stages:
        steps = []
        for step in stage.steps:
            who = [names[step.persona]] if step.persona in names else everyone
            steps.append((one_line(step.name) or step.id, step.emotion, who))
        if steps:
            stages.append((one_line(stage.name) or stage.id, steps))
    return one_line(journey.map.title) or "untitled", stages


def carried_back(
    data: dict[str, Any],
) -> tuple[str, list[tuple[str, list[tuple[str, int | None, list[str]]]]]]:
    everyone = [p["name"] for p in data.get("personas", [])]
    names = {p["id"]: p["name"] for p in data.get("personas", [])}
    stages = []
    for stage in data["stages"]:
        steps = []
        for step in stage["steps"]:
            ids = step.get("x-actors") or ([step["persona"]] if "persona" in step else [])
            who = [names[i] for i in ids]
            steps.append((step["name"], step.get("emotion"), who if who else everyone))
        stages.append((stage["name"], steps))
    return data["title"], stages


def round_trip(journey: Journey) -> dict[str, Any]:
    result = import_text(to_mermaid(journey), "rendered.mmd", markdown=False)
    # Only a stage with no steps is reported: its section, left out of the map.
    empty = sum(1 for stage in journey.map.stages if not stage.steps)
    assert [f.rule for f in result.findings] == ["empty-section"] * empty
    assert len(result.maps) == 1
    return result.maps[0].data


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name.split(".")[0] for p in EXAMPLES])
def test_every_example_survives_render_then_import(path: Path) -> None:
    from render.kit import check, journey_of

    journey = journey_of(check(path))
    data = round_trip(journey)
    assert carried_back(data) == carried(journey)
    # Mermaid itself reads the rendered diagram the same way.
    mermaid = mermaid_parse(to_mermaid(journey))
    assert mermaid["ok"]
    assert [shown(t["task"]).removesuffix(" (emotion not recorded)") for t in mermaid["tasks"]] == [
        step for _, steps in carried(journey)[1] for step, _, _ in steps
    ]


def _name() -> st.SearchStrategy[str]:
    return st.text(min_size=1, max_size=24).filter(lambda s: one_line(s) != "")


@st.composite
def maps(draw: st.DrawFn) -> Journey:
    personas = draw(st.lists(_name(), max_size=4, unique_by=one_line))
    ids = [f"p{i}" for i in range(len(personas))]
    stages = []
    for i in range(draw(st.integers(1, 4))):
        steps = []
        for j in range(draw(st.integers(0, 4))):
            step: dict[str, Any] = {"id": f"s{i}-{j}", "name": draw(_name())}
            persona = draw(st.sampled_from([None, *ids]))
            if persona:
                step["persona"] = persona
            emotion = draw(st.sampled_from([None, -2, -1, 0, 1, 2]))
            if emotion is not None:
                step["emotion"] = emotion
            steps.append(step)
        stages.append({"id": f"st{i}", "name": draw(_name()), "steps": steps})
    data = {
        "journeymap": 1,
        "title": draw(_name()),
        "personas": [{"id": i, "name": n} for i, n in zip(ids, personas, strict=True)],
        "stages": stages,
    }
    return Journey(document=cast(Any, None), map=JourneyMap.model_validate(data), id="generated")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(maps())
def test_any_rendered_map_imports_back_equal_on_what_mermaid_carries(journey: Journey) -> None:
    assert carried_back(round_trip(journey)) == carried(journey)


def test_a_source_keeps_its_file_positions() -> None:
    (block,) = markdown_blocks("text\n\n  ```mermaid\n  journey\n    A: 9\n  ```\n")
    assert block == Source("journey\n  A: 9", 4, [2, 2])
    result = import_text(
        "text\n\n  ```mermaid\n  journey\n    A: 9\n  ```\n", "x.md", markdown=True
    )
    assert [(f.line, f.column) for f in result.findings] == [(5, 8)]
