"""A stage with no steps.

## What it does
Flags a stage that lists no steps.

## Why is this bad?
A journey map describes what the customer does at each stage; a stage without steps renders as
an empty column and usually hides a research gap: nobody has yet looked at what customers
actually do there. A map's stages are the chapters of the journey, and an empty chapter cannot
be measured, improved or discussed.

## Example
```yaml
stages:
  - id: retention
    name: Retention
    steps: []
```

## Use instead
```yaml
stages:
  - id: retention
    name: Retention
    steps:
      - id: gets-thank-you-email
        name: Receives a thank-you email with care tips
        channel: email
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from journeymap.findings import Severity
from journeymap.lint.core import Context, Problem

if TYPE_CHECKING:
    from journeymap.validation import Journey

NAME = "empty-stage"
DEFAULT_SEVERITY = Severity.ERROR


def check(journey: Journey, context: Context) -> Iterator[Problem]:
    for stage in journey.map.stages:
        if not stage.steps:
            yield Problem(stage.pointer, f"stage '{stage.id}' has no steps")
