"""A step's survey that nobody answered in the measured data.

## What it does
With `lint --metrics metrics.json` (from `journeymap measure` with `--responses`), flags a
step's `feedback` whose `survey` got no answer: the answers file has no row for that survey id
in the period (a count of 0, even when no survey of the map got one). Without metrics, or when
they were measured without answers (a count of `null`), it does nothing.

## Why is this bad?
A survey nobody answers is either not running any more, or its id in the map is not the one
the survey tool exports (`cart_cast` for `cart_csat`). Either way the step's measured
satisfaction, the KPIs that read it and `emotion-contradicts-data` have nothing to go on, and
without this rule that passes in silence.

## Example
```yaml
- id: adds-to-cart
  name: Adds to cart
  feedback:
    - {method: csat, survey: cart_cast}    # the export says cart_csat
```

## Use instead
Use the id the answers carry, or remove the survey if it no longer runs:
```yaml
- id: adds-to-cart
  name: Adds to cart
  feedback:
    - {method: csat, survey: cart_csat}
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from journeymap.findings import Severity
from journeymap.lint.core import Context, Problem

if TYPE_CHECKING:
    from journeymap.validation import Journey

NAME = "unanswered-survey"
DEFAULT_SEVERITY = Severity.WARNING
# Its findings follow the measured data (`lint --metrics`), which change from run to run.
READS_METRICS = True


def check(journey: Journey, context: Context) -> Iterator[Problem]:
    if context.metrics is None:
        return
    steps = context.metrics.get("steps", {})
    answered = {
        survey_id: figures.get("count")
        for step in steps.values()
        if isinstance(step, dict)
        for survey_id, figures in step.get("surveys", {}).items()
        if isinstance(figures, dict)
    }
    # A count of null: measured without answers (no --responses), nothing to say. Metrics
    # made before that (no step has `left`, measured since the same change) wrote 0 instead:
    # for them, no answer at all still means no answers were measured.
    older = not any(isinstance(s, dict) and "left" in s for s in steps.values())
    if older and not any(isinstance(n, int) and n > 0 for n in answered.values()):
        return
    for step in context.steps:
        for index, feedback in enumerate(step.feedback):
            if feedback.survey is not None and answered.get(feedback.survey) == 0:
                yield Problem(
                    f"{step.pointer}/feedback/{index}/survey",
                    f"survey '{feedback.survey}' of step '{step.id}' has no answer in the "
                    "measured data; check that its id is the one the answers carry",
                )
