"""Measured data that does not cover the map: metrics.json older than the map, or of another map.

## What it does
With `lint --metrics metrics.json` (from `journeymap measure`), flags a map with `events` whose
figures the file does not hold (its id is not among the measured maps), lacks for a step with
`events` (added or renamed after the metrics were made), or holds for another version of it
(metrics.json keeps a fingerprint of each map's steps, events, surveys and median-time KPIs).
The rules that compare a map with the data then skip it, rather than report on numbers of a
map that no longer exists. Without metrics, or for a map without `events`, it does nothing.

## Why is this bad?
The rules that compare a map with the data (`kpi-off-target` on measured KPIs,
`unobserved-step`, `unmapped-transition`, `unexplained-drop-off`, `emotion-contradicts-data`)
can only check what the metrics cover: a step renamed from `carts` to `cart` would lose its
measured KPI's actual and never be checked, a step that now listens to another event would be
judged on the old one's numbers, and the lint would pass in silence. Metrics made before the
change, or for another map, look like a check that is not one.

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
# Its findings follow the measured data (`lint --metrics`), which change from run to run.
READS_METRICS = True


def check(journey: Journey, context: Context) -> Iterator[Problem]:
    if context.stale is not None:
        yield Problem(
            "/id" if journey.map.id is not None else "",
            f"{context.stale}; the rules that compare the map with the data skip it: run "
            "`journeymap measure` again",
        )
