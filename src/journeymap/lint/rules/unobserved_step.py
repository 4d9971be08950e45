"""A step with `events` that nobody reached in the measured data.

## What it does
With `lint --metrics metrics.json` (from `journeymap measure`), flags a step that lists `events`
but whose `reached` is 0: no user in the event log had a matching event. Without metrics, or for
a step without `events`, it does nothing.

## Why is this bad?
A map should describe what customers really do. A step nobody reaches is either a step of the
journey that no longer exists (the map is out of date) or a step whose `events` name the wrong
event or property (the measurement is broken); either way the map's numbers cannot be trusted
until it is fixed.

## Example
```yaml
- id: uses-voucher
  name: Enters a voucher code
  events: [voucher_applied]     # the app now sends `promo_applied`
```

## Use instead
Name the events the product really sends, or remove the step if customers no longer take it:
```yaml
- id: uses-voucher
  name: Enters a voucher code
  events: [promo_applied]
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from journeymap.findings import Severity
from journeymap.lint.core import Context, Problem

if TYPE_CHECKING:
    from journeymap.validation import Journey

NAME = "unobserved-step"
DEFAULT_SEVERITY = Severity.WARNING
# Its findings follow the measured data (`lint --metrics`), which change from run to run.
READS_METRICS = True


def check(journey: Journey, context: Context) -> Iterator[Problem]:
    if context.metrics is None:
        return
    steps = context.metrics.get("steps", {})
    for step in context.steps:
        figures = steps.get(step.id)
        if step.events and isinstance(figures, dict) and figures.get("reached") == 0:
            names = ", ".join(sorted({entry.name for entry in step.events}))
            yield Problem(
                step.pointer + "/events",
                f"step '{step.id}' was reached by no user in the measured data "
                f"(events: {names}); check its `events` or whether the step still exists",
            )
