"""A map that has not been reviewed for a long time, or whose review date is in the future.

## What it does
Flags a map whose `updated` date is more than `after-days` days (default 180) before today
(`lint --today YYYY-MM-DD` sets the date to compare with, for reproducible CI runs), and one
whose `updated` date is in the future: more than a day after today (a day's leeway, since a map
reviewed east of a CI machine's time zone can carry tomorrow's date there), most likely a typo
(`2027` for `2026`) that would keep the map from ever looking stale. A map with no `updated`
date gets an info-level finding instead, since its age is unknown. A severity set for this rule
in the configuration applies to all three.

## Why is this bad?
Customers, channels and products change; a journey map is only useful while it matches actual
customer experiences. Continuously updating maps is one of the usual ways to avoid the common
pitfalls of journey mapping, and a review date tells readers how far to trust it.

## Example
```yaml
journeymap: 1
title: Buying a new TV
updated: 2024-01-10
```
or, reviewed in 2026:
```yaml
updated: 2027-06-01
```

## Use instead
Review the map with the people who own the journey, then record the date:
```yaml
journeymap: 1
title: Buying a new TV
updated: 2026-10-14
```"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from journeymap.findings import Severity
from journeymap.lint.core import Context, Option, Problem

if TYPE_CHECKING:
    from journeymap.validation import Journey

NAME = "stale-map"
DEFAULT_SEVERITY = Severity.WARNING
OPTIONS = (
    Option(
        "after-days",
        180,
        "how many days old `updated` may be; the older top-level `stale-after-days` sets it too",
        minimum=1,
    ),
)


def check(journey: Journey, context: Context) -> Iterator[Problem]:
    updated = journey.map.updated
    if updated is None:
        yield Problem(
            "",
            "the map has no `updated` date: add the date it was last reviewed",
            severity=Severity.INFO,
        )
        return
    age = (context.today - updated).days
    if age < -1:  # tomorrow is today somewhere east (see "What it does")
        yield Problem(
            "/updated",
            f"`updated` {updated.isoformat()} is in the future (today is "
            f"{context.today.isoformat()}): a typo? Write the date the map was last reviewed",
        )
        return
    limit = context.option(NAME, "after-days")
    if age > limit:
        yield Problem(
            "/updated",
            f"the map was last updated {age} days ago ({updated.isoformat()}), "
            f"more than {limit}: review it",
        )
