"""A stage with no steps, or a map with no stages.

## What it does
Flags a stage that lists no steps, and a map that has no stages at all (no `stages`, or
`stages: []`): the format allows both, so that a map can be started bit by bit, but neither
maps a journey yet.

## Why is this bad?
A journey map describes what the customer does at each stage; a stage without steps renders as
an empty column and usually hides a research gap: nobody has yet looked at what customers
actually do there. A map's stages are the chapters of the journey, and an empty chapter cannot
be measured, improved or discussed. A map without stages has nothing to map: it renders as an
empty grid, and most other rules pass it for lack of anything to check.

## Example
```yaml
stages:
  - id: retention
    name: Retention
    steps: []
```

```yaml
journeymap: 1
title: Onboarding
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
    if not journey.map.stages:
        where = "/stages" if "stages" in journey.document.data else ""
        yield Problem(
            where, "the map has no stages: add `stages`, each with the steps customers take there"
        )
    for stage in journey.map.stages:
        if not stage.steps:
            yield Problem(stage.pointer, f"stage '{stage.id}' has no steps")
