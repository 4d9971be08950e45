"""A KPI that misses its target.

## What it does
Flags a KPI (on a stage or a step) whose `actual` misses its `target`, in the direction of
`better`: below the target when `better: higher` (the default), above it when `better: lower`.
Only numbers are compared; a KPI with a text target or actual (`"< 2 days"`) is not checked.

## Why is this bad?
Tracking KPIs on the map is only useful if the map says where the journey falls short: a missed
target is where the team should look for friction and opportunities first. Listing it keeps the
gap visible in reviews and CI until it is closed or the target is revisited.

## Example
```yaml
kpis:
  - name: Checkout completion
    target: 0.75
    actual: 0.68
```

## Use instead
Close the gap, or record the decision to accept it for now:
```yaml
kpis:
  # journeymap: ignore[kpi-off-target] -- new baseline agreed for Q4 (CX-310)
  - name: Checkout completion
    target: 0.75
    actual: 0.68
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from journeymap.findings import Severity
from journeymap.lint.core import Context, Problem

if TYPE_CHECKING:
    from journeymap.model import Kpi
    from journeymap.validation import Journey

NAME = "kpi-off-target"
DEFAULT_SEVERITY = Severity.INFO
# A measured KPI's actual comes from the data (`lint --metrics`), which change from run to run.
READS_METRICS = True


def _check(kpis: list[Kpi], owner: str, where: str) -> Iterator[Problem]:
    for index, kpi in enumerate(kpis):
        if kpi.off_target():
            side = "below" if kpi.better == "higher" else "above"
            yield Problem(
                f"{owner}/kpis/{index}",
                f"KPI '{kpi.name}' of {where} is off target: {kpi.figure(kpi.shown_actual())} is "
                f"{side} the target of {kpi.figure(kpi.target)} ({kpi.better.value} is better)",
            )


def check(journey: Journey, context: Context) -> Iterator[Problem]:
    for stage in journey.map.stages:
        if stage.kpis:
            yield from _check(stage.kpis, stage.pointer, f"stage '{stage.id}'")
        for step in stage.steps:
            if step.kpis:  # most steps have none: no generator or text for them
                yield from _check(step.kpis, step.pointer, f"step '{step.id}'")
