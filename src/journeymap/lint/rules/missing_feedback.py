"""A stage where no customer feedback is collected.

## What it does
Flags a stage where neither the stage nor any of its steps lists a `feedback` entry.

## Why is this bad?
Ignoring customer feedback is one of the most common journey-mapping mistakes: without a way to
hear from customers at a stage (a survey, CSAT, reviews, interviews, support contacts), the map
describes what the business assumes rather than what customers experience, and nobody notices
when the stage gets worse. Best practice is to use feedback at key moments of the experience to
find where the journey can be improved.

## Example
```yaml
stages:
  - id: delivery
    name: Delivery
    steps:
      - id: receives-tv
        name: Receives the TV
        channel: partner
```

## Use instead
```yaml
stages:
  - id: delivery
    name: Delivery
    feedback:
      - method: csat
        name: Delivery satisfaction survey
    steps:
      - id: receives-tv
        name: Receives the TV
        channel: partner
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from journeymap.findings import Severity
from journeymap.lint.core import Context, Problem

if TYPE_CHECKING:
    from journeymap.validation import Journey

NAME = "missing-feedback"
DEFAULT_SEVERITY = Severity.WARNING


def check(journey: Journey, context: Context) -> Iterator[Problem]:
    for stage in journey.map.stages:
        if stage.feedback or any(step.feedback for step in stage.steps):
            continue
        yield Problem(
            stage.pointer,
            f"stage '{stage.id}' collects no customer feedback: "
            "add `feedback` to the stage or one of its steps",
        )
