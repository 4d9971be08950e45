"""A journey that ends on a negative emotion.

## What it does
Flags the last stage when the mean `emotion` of its steps is below 0. Steps without an emotion
are left out of the mean; a last stage where no step has one is not flagged.

## Why is this bad?
The end of an experience weighs heavily in how customers remember it, whether they come back,
and what they tell others. A journey that ends unhappy points at the retention and advocacy
stages, where loyalty and word of mouth are won or lost; the map should show what will be done
about it (opportunities), or the journey is at risk.

## Example
```yaml
stages:
  - id: follow-up
    name: Follow-up
    steps:
      - id: gets-survey
        name: Gets a survey about a repair that failed again
        emotion: -2
```

## Use instead
Address the ending, and record the improvement in the to-be map:
```yaml
stages:
  - id: follow-up
    name: Follow-up
    steps:
      - id: gets-call
        name: Gets a call from the repair technician a week later
        emotion: 1
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from journeymap.findings import Severity
from journeymap.lint.core import Context, Problem

if TYPE_CHECKING:
    from journeymap.validation import Journey

NAME = "negative-ending"
DEFAULT_SEVERITY = Severity.INFO


def check(journey: Journey, context: Context) -> Iterator[Problem]:
    if not journey.map.stages:
        return
    stage = journey.map.stages[-1]
    emotions = [step.emotion for step in stage.steps if step.emotion is not None]
    if not emotions:
        return
    mean = sum(emotions) / len(emotions)
    if mean < 0:
        yield Problem(
            stage.pointer,
            f"the journey ends on a negative emotion: the mean emotion of stage "
            f"'{stage.id}' is {mean:+.2g}",
        )
