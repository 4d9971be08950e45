"""Most users drop off before a step, and the map says nothing about why.

## What it does
With `lint --metrics metrics.json`, flags a step on the measured path whose `drop_off` (the
share of the users at the step before who did not get to it) is above the `drop-off` option
(default 50%) when neither the step before it (where they left) nor the step itself lists a pain
point or an opportunity.

## Why is this bad?
Where customers leave is where the journey hurts. Journey mapping exists to explain such moments:
a big drop-off with no pain point and no opportunity on the map means the team has not yet
looked at the most important problem in the data.

## Example
```yaml
- id: compares-online
  name: Compares models online
- id: visits-store          # 70% of users never get here
  name: Sees the TVs in a store
```

## Use instead
Research the drop-off and record what you learn:
```yaml
- id: compares-online
  name: Compares models online
  pain_points: [Specs are not comparable across brands]
  opportunities: [Side-by-side comparison of three models]
```"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import TYPE_CHECKING

from journeymap.findings import Severity
from journeymap.lint.core import Context, Option, Problem

if TYPE_CHECKING:
    from journeymap.validation import Journey

NAME = "unexplained-drop-off"
DEFAULT_SEVERITY = Severity.WARNING
# Its findings follow the measured data (`lint --metrics`), which change from run to run.
READS_METRICS = True
OPTIONS = (
    Option(
        "drop-off",
        0.5,
        "the share of users lost before a step above which it needs an explanation "
        "(also `drop-off` under `[measure.thresholds]`)",
        minimum=0,
        maximum=1,
    ),
)


def check(journey: Journey, context: Context) -> Iterator[Problem]:
    if context.metrics is None:
        return
    limit = context.option(NAME, "drop-off")
    by_id = {step.id: step for step in context.steps}
    path = [s for s in context.metrics.get("path", []) if s in by_id]
    steps = context.metrics.get("steps", {})
    for before_id, step_id in itertools.pairwise(path):
        drop = steps.get(step_id, {}).get("drop_off")
        if not isinstance(drop, int | float) or drop <= limit:
            continue
        before, step = by_id[before_id], by_id[step_id]
        if before.pain_points or before.opportunities or step.pain_points or step.opportunities:
            continue
        yield Problem(
            step.pointer,
            f"{drop:.0%} of the users at '{before_id}' did not get to '{step_id}', and neither "
            "step has a pain point or an opportunity that explains it",
        )
