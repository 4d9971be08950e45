"""A persona that no step names, in a map whose every step names one.

## What it does
When every step names a `persona`, flags each persona declared in the map's own `personas` that
no step names. A step without `persona` is about all the personas (the format says so), so a map
with such a step gives each persona a step, and is not checked; neither is a map whose steps
name no persona. Personas from libraries are shared by many maps and are not checked.

## Why is this bad?
A map that assigns steps to personas says whose experience each step is. A persona named by no
step has no journey in the map: either its steps are missing (the map covers fewer customers
than it claims) or the persona is a leftover.

## Example
```yaml
personas:
  - id: maria
    name: Maria, the patient
  - id: daniel
    name: Daniel, her son
stages:
  - id: booking
    name: Booking
    steps:
      - id: books-visit
        name: Books a visit
        persona: maria
```

## Use instead
```yaml
stages:
  - id: booking
    name: Booking
    steps:
      - id: books-visit
        name: Books a visit
        persona: maria
      - id: gets-reminder
        name: Gets the reminder for his mother
        persona: daniel
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from journeymap.findings import Severity
from journeymap.lint.core import Context, Problem

if TYPE_CHECKING:
    from journeymap.validation import Journey

NAME = "unused-persona"
DEFAULT_SEVERITY = Severity.INFO


def check(journey: Journey, context: Context) -> Iterator[Problem]:
    named = {step.persona for step in context.steps}
    if not named or None in named:  # no steps, or a step about every persona
        return
    for persona in journey.map.personas:
        if persona.id not in named:
            yield Problem(persona.pointer, f"persona '{persona.id}' is not named by any step")
