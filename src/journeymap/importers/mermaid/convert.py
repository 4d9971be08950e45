"""A read journey diagram as map data: sections as stages, tasks as steps, actors as personas.

Mapping: title → `title`; accTitle/accDescr → `description`; each `section` → a stage (a
repeated name is a new stage); each task → a step, score 1-5 → emotion score − 3; actors →
personas, the step's `persona` when it has exactly one, else all of them under `x-actors`.

A section with no tasks is left out, with a warning: Mermaid draws nothing for it (it draws a
section above its tasks), and a stage with no steps would make the map fail `lint`
(`empty-stage`).
"""

from __future__ import annotations

import re
from typing import Any

from journeymap.importers.common import Ids, ImportedMap, ImportResult, slug
from journeymap.importers.mermaid.lexer import Diagram

KIND = "a Mermaid journey diagram"
# What the journey renderer appends to a step with no emotion (drawn at the neutral score 3).
NOT_RECORDED = " (emotion not recorded)"


def to_map(diagram: Diagram, result: ImportResult, map_ids: Ids, stem: str) -> ImportedMap:
    title = diagram.title or diagram.front_title or diagram.acc_title
    title = title or " ".join(re.sub(r"[-_]+", " ", stem).split()).capitalize() or "Journey"
    described = [
        text
        for text in (diagram.acc_title, diagram.acc_descr)
        if text and text != title and " ".join(text.split()) != title
    ]
    data: dict[str, Any] = {
        "journeymap": 1,
        "id": map_ids.make(title, slug(stem, "journey")),
        "title": title,
    }
    if described:
        data["description"] = "\n\n".join(described)
    persona_ids = Ids()
    personas: dict[str, str] = {}  # actor name -> persona id
    stage_ids, step_ids = Ids(), Ids()
    stages: list[dict[str, Any]] = []
    for section in diagram.sections:
        if not section.tasks:
            result.warn(
                section.line,
                section.column,
                "empty-section",
                f"section {section.name!r} has no tasks: Mermaid draws nothing for it, and a "
                "stage with no steps fails lint (empty-stage), so the map leaves it out; give "
                "it tasks to import it as a stage",
            )
            continue
        name = section.name if section.name is not None else title
        name = name or "Untitled stage"
        steps: list[dict[str, Any]] = []
        for task in section.tasks:
            step_name, emotion = task.name, None
            if task.score is not None:
                emotion = task.score - 3
                if task.score == 3 and step_name.endswith(NOT_RECORDED):
                    step_name, emotion = step_name[: -len(NOT_RECORDED)], None
            step_name = step_name or "Untitled step"
            step: dict[str, Any] = {"id": step_ids.make(step_name, "step"), "name": step_name}
            ids = []
            for actor in dict.fromkeys(task.actors):
                if actor not in personas:
                    personas[actor] = persona_ids.make(actor, "persona")
                ids.append(personas[actor])
            if len(ids) == 1:
                step["persona"] = ids[0]
            if emotion is not None:
                step["emotion"] = emotion
            if len(ids) > 1:
                step["x-actors"] = ids
            steps.append(step)
        stages.append({"id": stage_ids.make(name, "stage"), "name": name, "steps": steps})
    if personas:
        data["personas"] = [{"id": ident, "name": name} for name, ident in personas.items()]
    data["stages"] = stages
    return ImportedMap(data, f"{result.file}:{diagram.line}", KIND)
