"""A map that has not been reviewed for a long time.

## What it does
Flags a map whose `updated` date is more than `stale-after-days` days (default 180) before
today. A map with no `updated` date gets an info-level finding instead, since its age is
unknown. A severity set for this rule in the configuration applies to both.

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

## Use instead
Review the map with the people who own the journey, then record the date:
```yaml
journeymap: 1
title: Buying a new TV
updated: 2026-10-14
```

## Options
- `stale-after-days` (configuration, default 180): how old `updated` may be.
- `--today YYYY-MM-DD` (command line): the date to compare with, for reproducible CI runs.
"""

from __future__ import annotations

from collections.abc import Iterator

from journeymap.findings import Severity
from journeymap.lint.core import Context, Problem
from journeymap.validation import Journey

NAME = "stale-map"
DEFAULT_SEVERITY = Severity.WARNING


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
    if age > context.stale_after_days:
        yield Problem(
            "/updated",
            f"the map was last updated {age} days ago ({updated.isoformat()}), "
            f"more than {context.stale_after_days}: review it",
        )
