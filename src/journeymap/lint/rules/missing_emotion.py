"""A step with no emotion.

## What it does
Flags a step that has no `emotion` (an integer from -2, very negative, to +2, very positive).

## Why is this bad?
A journey map shows how customers feel at each step, not only what they do: the emotional curve
is what reveals friction, and incorporating emotions is part of avoiding the common pitfalls of
journey mapping. A step without an emotion leaves a hole in that curve.

## Example
```yaml
steps:
  - id: waits-for-delivery
    name: Waits for the delivery slot
    channel: email
```

## Use instead
```yaml
steps:
  - id: waits-for-delivery
    name: Waits for the delivery slot
    channel: email
    emotion: -1
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from journeymap.findings import Severity
from journeymap.lint.core import Context, Problem

if TYPE_CHECKING:
    from journeymap.validation import Journey

NAME = "missing-emotion"
DEFAULT_SEVERITY = Severity.INFO


def check(journey: Journey, context: Context) -> Iterator[Problem]:
    for step in context.steps:
        if step.emotion is None:
            yield Problem(step.pointer, f"step '{step.id}' has no emotion (-2 to +2)")
