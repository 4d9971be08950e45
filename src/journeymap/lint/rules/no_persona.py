"""A map with no persona.

## What it does
Flags a map when neither it nor the libraries it `uses` define a persona.

## Why is this bad?
Personas are the starting point of an experience map: a journey is always somebody's journey.
Without a persona (with goals, needs and pain points), the map drifts into a description of the
company's process and loses the customer's perspective, which is the first mistake on most lists
of journey-mapping mistakes.

## Example
```yaml
journeymap: 1
title: Joining a gym
stages: [...]
```

## Use instead
```yaml
journeymap: 1
title: Joining a gym
personas:
  - id: alex
    name: Alex, restarting a routine
    goals: [Get back in shape after a long break]
    needs: [A plan that fits around work]
stages: [...]
```
Or share personas across maps with a library: `uses: [shared/personas.yaml]`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from journeymap.findings import Severity
from journeymap.lint.core import Context, Problem

if TYPE_CHECKING:
    from journeymap.validation import Journey

NAME = "no-persona"
DEFAULT_SEVERITY = Severity.WARNING


def check(journey: Journey, context: Context) -> Iterator[Problem]:
    if journey.personas:
        return
    where = "/personas" if "personas" in journey.document.data else ""
    yield Problem(
        where,
        "the map defines no persona, and neither do the libraries it uses: whose journey is this?",
    )
