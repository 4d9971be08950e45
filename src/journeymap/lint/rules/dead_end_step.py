"""A step that ends the journey before its last stage.

## What it does
Flags a step with `next: []` (no way forward) in any stage but the last.

## Why is this bad?
`next: []` says the journey ends here. Before the last stage, that is a customer who leaves, and
a map should say where they go (a support contact, a retry, a later stage) or show it as the
drop-off it is, with its KPI. An unexplained dead end usually is a `next` list that lost its
targets.

## Example
```yaml
stages:
  - id: consideration
    name: Consideration
    steps:
      - id: reads-reviews
        name: Reads reviews
        next: []
  - id: purchase
    name: Purchase
    steps: [...]
```

## Use instead
```yaml
stages:
  - id: consideration
    name: Consideration
    steps:
      - id: reads-reviews
        name: Reads reviews
        next: [adds-to-cart]
  - id: purchase
    name: Purchase
    steps:
      - id: adds-to-cart
        name: Adds the TV to the cart
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from journeymap.findings import Severity
from journeymap.lint.core import Context, Problem

if TYPE_CHECKING:
    from journeymap.validation import Journey

NAME = "dead-end-step"
DEFAULT_SEVERITY = Severity.WARNING


def check(journey: Journey, context: Context) -> Iterator[Problem]:
    for stage in journey.map.stages[:-1]:
        for step in stage.steps:
            if step.next is not None and not step.next:
                yield Problem(
                    step.pointer,
                    f"step '{step.id}' is a dead end (`next: []`) in stage '{stage.id}', "
                    "before the last stage",
                )
