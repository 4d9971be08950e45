"""A step with pain points and no opportunities.

## What it does
Flags a step that lists `pain_points` but no `opportunities`.

## Why is this bad?
Journey maps exist to identify areas for improvement: a pain point is only half of the finding.
Without an opportunity (an idea, who owns it, its priority), the pain is recorded and then
forgotten, and the map does not lead to action.

## Example
```yaml
steps:
  - id: chooses-plan
    name: Chooses a payment plan
    pain_points: [The plans' cancellation terms are hidden]
```

## Use instead
```yaml
steps:
  - id: chooses-plan
    name: Chooses a payment plan
    pain_points: [The plans' cancellation terms are hidden]
    opportunities:
      - text: Show cancellation terms next to each plan
        priority: high
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from journeymap.findings import Severity
from journeymap.lint.core import Context, Problem

if TYPE_CHECKING:
    from journeymap.validation import Journey

NAME = "pain-without-opportunity"
DEFAULT_SEVERITY = Severity.INFO


def check(journey: Journey, context: Context) -> Iterator[Problem]:
    for step in context.steps:
        if step.pain_points and not step.opportunities:
            count = len(step.pain_points)
            yield Problem(
                step.pointer,
                f"step '{step.id}' lists {count} pain point{'s' if count > 1 else ''} "
                "and no opportunities",
            )
