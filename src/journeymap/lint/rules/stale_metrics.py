"""Measured data that does not cover the map: metrics.json older than the map, or of another map.

## What it does
With `lint --metrics metrics.json` (from `journeymap measure`), flags a map with `events` that
has no figures in the file at all (its id is not among the measured maps), and a step with
`events` that has no figures (added or renamed after the metrics were made). Without metrics,
or for a map without `events`, it does nothing.

## Why is this bad?
The rules that compare a map with the data (`kpi-off-target` on measured KPIs,
`unobserved-step`, `unmapped-transition`, `unexplained-drop-off`, `emotion-contradicts-data`)
can only check what the metrics cover: a step renamed from `carts` to `cart` would lose its
measured KPI's actual and never be checked, and the lint would pass in silence. Metrics made
before the change, or for another map, look like a check that is not one.

## Example
```yaml
- id: cart                # was `carts` when metrics.json was made
  name: Adds to cart
  events: [cart]
```

## Use instead
Measure again after changing the map (`journeymap measure maps/ -o metrics.json`), and lint
with the new file:
```yaml
- id: cart                # in the new metrics.json too
  name: Adds to cart
  events: [cart]
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from journeymap.findings import Severity
from journeymap.lint.core import Context, Problem

if TYPE_CHECKING:
    from journeymap.validation import Journey

NAME = "stale-metrics"
DEFAULT_SEVERITY = Severity.WARNING

_AGAIN = "run `journeymap measure` again"


def check(journey: Journey, context: Context) -> Iterator[Problem]:
    if not context.measured or not any(step.events for step in context.steps):
        return  # (a map without events has nothing to measure)
    if context.metrics is None:
        yield Problem(
            "/id" if journey.map.id is not None else "",
            f"the metrics have no figures for map '{journey.id}' (made before it was added or "
            f"renamed, or for other maps); {_AGAIN} with this map",
        )
        return
    steps = context.metrics.get("steps", {})
    for step in context.steps:
        if step.events and step.id not in steps:
            yield Problem(
                step.pointer,
                f"step '{step.id}' has events but no figures in the metrics (added or renamed "
                f"after they were made); {_AGAIN}",
            )
