"""A journey that stops at the purchase.

## What it does
Flags the last stage when its id or name contains, as a whole word, one of: purchase, buy,
checkout, conversion, decision, order, booking, sign-up, signup, subscribe (any case).

Words are separated by anything that is not a letter or a digit, so `online-purchase` and
`Checkout & payment` match, while `ordering` and `buyer` do not. A word preceded by `post`
(`post-purchase`, `Post purchase`) is the stage after the purchase and does not match.

## Why is this bad?
The customer journey goes from first contact to conversion *and beyond*: retention, loyalty and
advocacy are where a one-time customer becomes a repeat customer and recommends the brand. A map
that ends at the checkout is a buyer journey; it leaves out delivery, onboarding, support and
repeat purchases, where much of the experience (and churn) happens.

## Known problems
This is a keyword guess, in English only. A last stage called `Pago` or `Kauf` is not found, and
a last stage whose name uses one of the words for something else (`Order history`, `Decision
review`) is reported. A map that deliberately covers only the way to the purchase (an
acquisition funnel kept beside a separate retention map) should silence it with
`# journeymap: ignore[no-post-purchase] -- reason` or `per-file-ignores`.

## Example
```yaml
stages:
  - id: awareness
    name: Awareness
    steps: [...]
  - id: purchase
    name: Purchase
    steps: [...]
```

## Use instead
```yaml
stages:
  - id: awareness
    name: Awareness
    steps: [...]
  - id: purchase
    name: Purchase
    steps: [...]
  - id: retention
    name: Retention
    steps: [...]
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from journeymap.findings import Severity
from journeymap.lint.core import Context, Problem

if TYPE_CHECKING:
    from journeymap.validation import Journey

NAME = "no-post-purchase"
DEFAULT_SEVERITY = Severity.WARNING

WORDS = (
    "purchase",
    "buy",
    "checkout",
    "conversion",
    "decision",
    "order",
    "booking",
    "sign-up",
    "signup",
    "subscribe",
)
_WORD = re.compile(
    r"(?<![a-z0-9])(?<!post-)(?<!post )(?<!post_)("
    + "|".join(map(re.escape, WORDS))
    + r")(?![a-z0-9])"
)


def purchase_word(text: str) -> str | None:
    """The purchase word `text` contains as a whole word, if any."""
    match = _WORD.search(text.lower())
    return match.group(1) if match else None


def check(journey: Journey, context: Context) -> Iterator[Problem]:
    if not journey.map.stages:
        return
    stage = journey.map.stages[-1]
    word = purchase_word(stage.id) or purchase_word(stage.name)
    if word:
        yield Problem(
            stage.pointer,
            f"the journey ends at '{stage.name}' ({word}): "
            "add what happens after it (delivery, onboarding, retention, advocacy)",
        )
