"""A channel that no step uses.

## What it does
Flags a channel declared in the map's own `channels` that no step names. Channels from libraries
are shared by many maps and are not checked.

## Why is this bad?
The channels of a map are its touchpoints' inventory; identifying the key touchpoints is the
first journey-mapping best practice. A declared but unused channel is either a touchpoint the
journey forgot to show (a gap in the map) or a leftover that misleads readers about where
customers interact with the brand.

## Example
```yaml
channels:
  - id: web
    name: Website
  - id: phone
    name: Phone line
stages:
  - id: booking
    name: Booking
    steps:
      - id: books
        name: Books online
        channel: web
```

## Use instead
Show where the phone line is used, or remove it:
```yaml
channels:
  - id: web
    name: Website
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from journeymap.findings import Severity
from journeymap.lint.core import Context, Problem

if TYPE_CHECKING:
    from journeymap.validation import Journey

NAME = "unused-channel"
DEFAULT_SEVERITY = Severity.INFO


def check(journey: Journey, context: Context) -> Iterator[Problem]:
    if not journey.map.channels:
        return
    used = {step.channel for step in context.steps}
    for channel in journey.map.channels:
        if channel.id not in used:
            yield Problem(
                channel.pointer, f"channel '{channel.id}' is declared but no step uses it"
            )
