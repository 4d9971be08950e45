"""A step that no transition reaches.

## What it does
Flags a step, other than the first step of the map, that no transition leads to.

A transition is a step's `next`, or else the step that follows it in file order (across stage
boundaries); the last step has none. A step becomes unreachable when every step before it sends
customers elsewhere with an explicit `next`.

## Why is this bad?
An unreachable step describes something no customer can get to on the journey as drawn: either
a `next` list forgot it (the map is wrong) or the step is left over from an earlier version (the
map is stale). Either way the rendered flow misleads its readers.

## Example
```yaml
steps:
  - id: searches
    name: Searches for flights
    next: [books]
  - id: reads-reviews      # nothing leads here
    name: Reads reviews
  - id: books
    name: Books the flight
```

## Use instead
```yaml
steps:
  - id: searches
    name: Searches for flights
    next: [reads-reviews, books]
  - id: reads-reviews
    name: Reads reviews
  - id: books
    name: Books the flight
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from journeymap.findings import Severity
from journeymap.lint.core import Context, Problem

if TYPE_CHECKING:
    from journeymap.validation import Journey

NAME = "unreachable-step"
DEFAULT_SEVERITY = Severity.WARNING


def check(journey: Journey, context: Context) -> Iterator[Problem]:
    incoming = context.incoming
    for step in context.steps[1:]:
        if not incoming[step.id]:
            yield Problem(step.pointer, f"step '{step.id}' cannot be reached: no step leads to it")
