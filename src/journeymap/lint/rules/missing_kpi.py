"""A stage with no KPI.

## What it does
Flags a stage where neither the stage nor any of its steps has a KPI (`kpis`).

## Why is this bad?
Not measuring and tracking the journey is a common mistake: without a metric per stage
(conversion, completion, satisfaction, time), a team cannot tell whether the stage works, make
data-driven decisions about it, or see whether a change improved it. A journey map is also where
the quantitative KPIs that marketing, sales and product teams follow are tied to the experience.

## Example
```yaml
stages:
  - id: consideration
    name: Consideration
    steps:
      - id: compares-models
        name: Compares models online
        channel: web
```

## Use instead
```yaml
stages:
  - id: consideration
    name: Consideration
    kpis:
      - name: Product page to cart rate
        target: 0.08
        actual: 0.06
    steps:
      - id: compares-models
        name: Compares models online
        channel: web
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from journeymap.findings import Severity
from journeymap.lint.core import Context, Problem

if TYPE_CHECKING:
    from journeymap.validation import Journey

NAME = "missing-kpi"
DEFAULT_SEVERITY = Severity.WARNING


def check(journey: Journey, context: Context) -> Iterator[Problem]:
    for stage in journey.map.stages:
        if stage.kpis or any(step.kpis for step in stage.steps):
            continue
        yield Problem(
            stage.pointer,
            f"stage '{stage.id}' has no KPI: add `kpis` to the stage or one of its steps",
        )
