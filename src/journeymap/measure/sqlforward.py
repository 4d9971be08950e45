"""The funnel of the users who move forward, from one row per step instead of one join per step.

A user moves *forward* when, in time order (then step order), each of their steps comes after
the step before it in the file and none comes back: no row of `matched` has `prev > step`. On
the default path (the steps with events, in file order) the funnel of such a user needs no
search, and the query takes it from the rows they have; the one-join-per-step funnel
(`journeymap.measure.sql`) runs only for the other users. Why that gives the same figures:

- each of the user's steps is one run of events (a step that came back would sit after a later
  step, a row with `prev > step`), so `matched` has one row per step, at the run's first event,
  the earliest event of that step;
- the path's first step is the user's smallest step, so its row is their first: `t0`;
- the funnel's step k takes the earliest event of the step at or after the time of step k - 1
  within the window: that step's run comes after the previous step's in the order (a larger
  step), so it is the row's time, as long as it is within `t0 + window`;
- so the user is counted at path position k exactly when they have a row for every position up
  to k (the low k + 1 bits of their step mask) and that row is within the window (the times only
  grow along the path, so the earlier rows are too), and the time taken from position a to b is
  the difference of those two rows' times.

Those rows (`forward_rows`) give the same times taken as the joins would (`taken`); the funnel
past its first step is counted from them as before, and its first step is the users with a `t0`.
"""

from __future__ import annotations

from journeymap.measure.plan import MapPlan


def applies(plan: MapPlan, steps: list[int]) -> bool:
    """The path is the steps with events in file order (positions are mask bits), and has more
    than one step (a funnel to follow)."""
    return len(plan.path) > 1 and plan.path == steps


def forward_rows(plan: MapPlan, window: int, by: bool, ctes: list[str]) -> None:
    """`forward_rows`: per forward user, their row at each path position they got to (`prefix`:
    the mask bits of the positions up to this one)."""
    seg = "u.segment, " if by else ""
    positions = ", ".join(f"({step}, {k}, {(2 << k) - 1})" for k, step in enumerate(plan.path))
    ctes.append(
        f"forward_rows AS (SELECT m.user_id, {seg}v.pos, m.t FROM matched AS m "
        "JOIN per_user AS u ON u.user_id = m.user_id AND u.forward = 1 "
        f"JOIN (VALUES {positions}) AS v(step, pos, prefix) ON v.step = m.step "
        f"WHERE (u.steps_mask & v.prefix) = v.prefix AND m.t <= u.t0 + {window})"
    )


def taken(pairs: list[tuple[int, int]], by: bool, segment: str) -> list[str]:
    """The times taken by forward users between the path positions of `pairs`: one join for
    all consecutive pairs, one per other pair (a median-time KPI from an earlier step)."""
    seg = "y.segment" if by else segment
    parts = []
    if any(a == b - 1 for a, b in pairs):
        parts.append(
            f"SELECT x.pos AS a, y.pos AS b, {seg} AS segment, y.t - x.t AS d "
            "FROM forward_rows AS y JOIN forward_rows AS x ON x.user_id = y.user_id "
            "AND x.pos = y.pos - 1"
        )
    for a, b in pairs:
        if a != b - 1:
            parts.append(
                f"SELECT {a} AS a, {b} AS b, {seg} AS segment, y.t - x.t AS d "
                "FROM forward_rows AS y JOIN forward_rows AS x ON x.user_id = y.user_id "
                f"AND x.pos = {a} WHERE y.pos = {b}"
            )
    return parts
