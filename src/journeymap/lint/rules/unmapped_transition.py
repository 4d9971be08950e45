"""Customers often go from one step to another in a way the map does not show.

## What it does
With `lint --metrics metrics.json`, flags an observed transition from step A to step B that the
map does not have (B is not in A's `next`, nor, without `next`, the step after A) when it was
made by at least `share` (default 5%) of the users who left A for any step (the step's `left`
in the metrics: each user once, however many steps they went to from A).

## Why is this bad?
A journey map is a model of what customers do. A path that a real share of them take but the map
leaves out (skipping the comparison, going back to the cart) is a blind spot: its pain points and
opportunities are never discussed.

## Example
The data shows 30% of users going from `sees-ad` straight to `adds-to-cart`, but the map has:
```yaml
- id: sees-ad
  next: [compares-online]
```

## Use instead
Add the transition (and think about why customers take it):
```yaml
- id: sees-ad
  next: [compares-online, adds-to-cart]
```"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from journeymap.findings import Severity
from journeymap.lint.core import Context, Option, Problem

if TYPE_CHECKING:
    from journeymap.validation import Journey

NAME = "unmapped-transition"
DEFAULT_SEVERITY = Severity.WARNING
# Its findings follow the measured data (`lint --metrics`), which change from run to run.
READS_METRICS = True
OPTIONS = (
    Option(
        "share",
        0.05,
        "the share of the users leaving a step from which an unmapped transition is reported "
        "(also `unmapped-transition-share` under `[measure.thresholds]`)",
        minimum=0,
        maximum=1,
    ),
)


def check(journey: Journey, context: Context) -> Iterator[Problem]:
    if context.metrics is None:
        return
    share = context.option(NAME, "share")
    by_id = {step.id: step for step in context.steps}
    mapped = {(a.id, b.id) for a, b in context.transitions}
    observed = [t for t in context.metrics.get("transitions", []) if isinstance(t, dict)]
    steps = context.metrics.get("steps", {})
    # Metrics made before `left` (the users who left a step, each once) was measured: the sum
    # of each move's users, which counts a user who left for two steps twice.
    leaving: dict[str, int] = {}
    for item in observed:
        leaving[item["from"]] = leaving.get(item["from"], 0) + int(item.get("users", 0))
    for item in observed:
        source, target = item.get("from"), item.get("to")
        if source not in by_id or target not in by_id or (source, target) in mapped:
            continue
        step = steps.get(source)
        left = step.get("left") if isinstance(step, dict) else None
        total = left if isinstance(left, int) else leaving.get(source, 0)
        users = int(item.get("users", 0))
        if total and users / total >= share:
            yield Problem(
                by_id[source].pointer,
                f"{users} of {total} users ({users / total:.0%}) who left step '{source}' went "
                f"to '{target}', a transition the map does not have; add it to `next`",
            )
