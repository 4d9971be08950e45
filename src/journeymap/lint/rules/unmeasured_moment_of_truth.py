"""A moment of truth that nobody measures.

## What it does
Flags a step marked `moment_of_truth: true` when neither the step nor its stage (the stage's own
`kpis` and `feedback`, not those of other steps) has a KPI or a feedback entry.

## Why is this bad?
Moments of truth are the few steps that decide whether the customer stays or leaves. They are
where measuring and tracking the journey and listening to customer feedback matter most; an
unmeasured moment of truth is a critical step the team cannot see getting better or worse.

## Example
```yaml
steps:
  - id: first-visit
    name: First visit to the club
    moment_of_truth: true
```

## Use instead
```yaml
steps:
  - id: first-visit
    name: First visit to the club
    moment_of_truth: true
    kpis:
      - name: Members who come back within 7 days
        target: 0.7
    feedback:
      - method: csat
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from journeymap.findings import Severity
from journeymap.lint.core import Context, Problem

if TYPE_CHECKING:
    from journeymap.validation import Journey

NAME = "unmeasured-moment-of-truth"
DEFAULT_SEVERITY = Severity.WARNING


def check(journey: Journey, context: Context) -> Iterator[Problem]:
    for stage in journey.map.stages:
        stage_measured = bool(stage.kpis or stage.feedback)
        for step in stage.steps:
            if step.moment_of_truth and not (stage_measured or step.kpis or step.feedback):
                yield Problem(
                    step.pointer,
                    f"moment of truth '{step.id}' has no KPI or feedback "
                    "(on the step or its stage)",
                )
