"""A persona without goals, or without pain points and needs.

## What it does
Flags a persona that has no `goals`, or that has neither `pain_points` nor `needs`.

Personas are checked in the file that defines them: a map's own personas when the map is linted,
a library's personas when the library file is linted.

## Why is this bad?
A persona is useful because it says what the customer is trying to achieve and what gets in the
way: goals, desires, expectations and needs. A persona that is only a name and a photo cannot
guide decisions, and the journey built on it cannot be checked against the customer's needs.

## Example
```yaml
personas:
  - id: sam
    name: Sam, the careful upgrader
    description: Replaces a TV every 6-8 years.
```

## Use instead
```yaml
personas:
  - id: sam
    name: Sam, the careful upgrader
    description: Replaces a TV every 6-8 years.
    goals: [Find a good TV within budget]
    needs: [Plain-language comparisons]
    pain_points: [Spec jargon]
```
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from journeymap.findings import Severity
from journeymap.lint.core import Context, Problem

if TYPE_CHECKING:
    from journeymap.loader import Document
    from journeymap.model import Library, Persona
    from journeymap.validation import Journey

NAME = "persona-incomplete"
DEFAULT_SEVERITY = Severity.INFO


def _check(personas: Iterable[Persona]) -> Iterator[Problem]:
    for persona in personas:
        missing = []
        if not persona.goals:
            missing.append("`goals`")
        if not persona.pain_points and not persona.needs:
            missing.append("`pain_points` or `needs`")
        if missing:
            yield Problem(
                persona.pointer, f"persona '{persona.id}' has no {' and no '.join(missing)}"
            )


def check(journey: Journey, context: Context) -> Iterator[Problem]:
    yield from _check(journey.map.personas)


def check_library(document: Document, library: Library, context: Context) -> Iterator[Problem]:
    yield from _check(library.personas)
