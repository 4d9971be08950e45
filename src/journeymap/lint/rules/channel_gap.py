"""A change of channel with no handoff.

## What it does
Flags a step that some transition reaches from a step on a different channel, when the step has
no `handoff` saying what context carries over (the cart, a reference number, the shortlist).

A transition is a step's `next`, or else the step that follows it in file order (across stage
boundaries). Steps without a channel are not compared. The finding is reported once per step,
however many transitions reach it.

## Why is this bad?
Customers expect to move from one channel to another without friction or confusion; failing to
provide a seamless experience across channels is one of the most common journey mistakes. When
nothing carries over, the customer repeats themselves, starts again, or gives up.

## Known problems
Without `next`, steps follow each other in file order, across stages. A map that lists parallel
alternatives one after another (a web step, then a phone step for the same moment) without
`next` gets gaps between alternatives no customer goes through; give those steps `next`.

## Example
```yaml
steps:
  - id: builds-cart
    name: Builds a cart on the website
    channel: web
  - id: calls-store
    name: Calls the store to ask about delivery
    channel: phone
```

## Use instead
```yaml
steps:
  - id: builds-cart
    name: Builds a cart on the website
    channel: web
  - id: calls-store
    name: Calls the store to ask about delivery
    channel: phone
    handoff: The agent finds the cart from the customer's email address
```
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from journeymap.findings import Severity
from journeymap.lint.core import Context, Problem

if TYPE_CHECKING:
    from journeymap.validation import Journey

NAME = "channel-gap"
DEFAULT_SEVERITY = Severity.WARNING


def check(journey: Journey, context: Context) -> Iterator[Problem]:
    incoming = context.incoming
    for step in context.steps:
        if step.channel is None or step.handoff:
            continue
        for source in incoming[step.id]:
            if source.channel is not None and source.channel != step.channel:
                yield Problem(
                    step.pointer,
                    f"step '{step.id}' switches from channel '{source.channel}' "
                    f"(step '{source.id}') to '{step.channel}' with no `handoff`",
                )
                break
