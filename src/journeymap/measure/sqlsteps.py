"""The parts of a map's query that read each user's steps in time order: `matched` (the tagged
events, sorted once per user), reach and stage reach, and the observed transitions.

`matched` keeps the step before each event (`prev`) and leaves out the events that only repeat
the step before them at a later time. That changes no figure:

- a transition is a row whose step differs from `prev`, and every such row is kept;
- reach and the time of a user's first event of a step read the first row of each run of a
  step, and that is kept;
- the funnel takes the earliest event of its step at or after the previous step's time `τ`:
  when it is not the first of its run, the row before it (same step) is earlier than `τ`, so
  the previous step's event at `τ` sorts between the two (then it is not a repeat) or, at the
  same time, right after it: that happens only when the previous step comes later in the file
  (rows at the same time are ordered by step), and then the next row has the same time as the
  earliest event, and that keeps it. Along a path in file order no such tie can happen, and
  the query leaves that test (a second value read from each user's window) out.

Counting the users of each transition needs no grouping by user for a user who entered each of
their steps once: such a user makes each move at most once. Only the others' moves are grouped
by user, to count each user once.
"""

from __future__ import annotations

from itertools import pairwise

from journeymap.measure.plan import MapPlan
from journeymap.measure.sqltext import bits, row, segment_of


def collapse(plan: MapPlan, by: bool, ctes: list[str]) -> None:
    """`matched` from `tagged`: each user's events ordered by time, then step, with `prev`;
    with the next row's time (`nt`) only where a tie can need it (a path out of file order)."""
    seg = ", segment" if by else ""
    order = "PARTITION BY user_id ORDER BY t, step"
    lead, tie = "", ""
    if not in_file_order(plan.path):
        lead, tie = f", LEAD(t) OVER ({order}) AS nt", " OR nt = t"
    ctes.append(
        f"matched AS (SELECT user_id, t, step, prev{seg} FROM (SELECT user_id, t, step{seg}, "
        f"LAG(step) OVER ({order}) AS prev{lead} FROM tagged) AS o "
        f"WHERE prev IS NULL OR prev <> step{tie})"
    )


def in_file_order(path: list[int]) -> bool:
    """Each step of the path comes after the one before it in the file (the default path)."""
    return all(a < b for a, b in pairwise(path))


def reach_by_masks(
    plan: MapPlan,
    steps: list[int],
    by: bool,
    ctes: list[str],
    parts: list[str],
    forward: bool = False,
) -> None:
    """Reach per step and stage from one row per user (`per_user`): a bit per step reached and
    the time of the first event of the path's first step. A grouping by user is far smaller
    than one by user and step (a tenth of the rows on a 20-step map, less memory). A user
    reached a stage when they reached one of its steps: the stage's mask is its steps' bits.
    `revisits` is 0 when the user has one row per step reached (each step entered once). With
    `forward`, `forward` is 1 for a user with a `t0` who never moved back to an earlier step
    (`journeymap.measure.sqlforward`), and `firsts0`, where the funnel's joins start, leaves
    those users out."""
    seg = "segment, " if by else ""
    first = f"MIN(CASE WHEN m.step = {plan.path[0]} THEN m.t END)" if plan.path else "NULL"
    entered = " + ".join(
        f"CASE WHEN (steps_mask & {1 << c}) <> 0 THEN 1 ELSE 0 END" for c in range(len(steps))
    )
    down, moved, slow = "", "", ""
    if forward:
        down = ", MAX(CASE WHEN m.prev > m.step THEN 1 ELSE 0 END) AS down"
        moved = ", CASE WHEN down = 0 AND t0 IS NOT NULL THEN 1 ELSE 0 END AS forward"
        slow = " AND forward = 0"
    ctes.append(
        f"per_user AS (SELECT user_id, {seg}steps_mask, t0, CASE WHEN n = {entered} THEN 0 "
        f"ELSE 1 END AS revisits{moved} FROM (SELECT m.user_id, {'m.segment, ' if by else ''}"
        f"BIT_OR(CAST(s.bit AS BIGINT)) AS steps_mask, {first} AS t0, COUNT(*) AS n{down} "
        f"FROM matched AS m JOIN (VALUES {bits(steps)}) AS s(step, bit) ON s.step = m.step "
        f"GROUP BY m.user_id{', m.segment' if by else ''}) AS counted)"
    )
    if plan.path:
        ctes.append(
            f"firsts0 AS (SELECT user_id, {seg}t0 AS t FROM per_user WHERE t0 IS NOT NULL{slow})"
        )
    stage_masks: dict[int, int] = {}
    for c, step in enumerate(steps):
        stage = plan.stage_of[step]
        stage_masks[stage] = stage_masks.get(stage, 0) | (1 << c)
    stages = ", ".join(f"({stage}, {mask})" for stage, mask in sorted(stage_masks.items()))
    group = f" GROUP BY {'u.segment, ' if by else ''}"
    segment = "u.segment" if by else segment_of(False)
    parts.append(
        row("reach", "s.step", "NULL", "COUNT(*)", segment=segment)
        + f" FROM per_user AS u JOIN (VALUES {bits(steps)}) "
        "AS s(step, bit) ON (u.steps_mask & s.bit) <> 0" + group + "s.step"
    )
    parts.append(
        row("stage", "s.stage", "NULL", "COUNT(*)", segment=segment)
        + f" FROM per_user AS u JOIN (VALUES {stages}) "
        "AS s(stage, bits) ON (u.steps_mask & s.bits) <> 0" + group + "s.stage"
    )


def transitions_counted(by: bool, ctes: list[str], parts: list[str]) -> None:
    """Users per observed move from one step to a different next one, and per step the users
    who left it for another, with `per_user`: the moves counted, plus, for each user with
    `revisits`, 1 - (times they made each move, or left each step)."""
    seg, m_seg = ("segment, ", "m.segment, ") if by else ("", "")
    ctes.append(
        f"moves AS (SELECT {seg}prev, step, COUNT(*) AS n FROM matched WHERE prev <> step "
        f"GROUP BY {seg}prev, step)"
    )
    ctes.append(
        f"again AS (SELECT {m_seg}m.prev, m.step, m.user_id, COUNT(*) AS n FROM matched AS m "
        "JOIN per_user AS u ON u.user_id = m.user_id AND u.revisits = 1 "
        f"WHERE m.prev <> m.step GROUP BY {m_seg}m.prev, m.step, m.user_id)"
    )
    parts.append(
        row("transition", "prev", "step", "SUM(n)", segment=segment_of(by))
        + f" FROM (SELECT {seg}prev, step, n FROM moves UNION ALL SELECT {seg}prev, step, "
        f"1 - n AS n FROM again) AS counted GROUP BY {seg}prev, step"
    )
    parts.append(
        row("left", "prev", "NULL", "SUM(n)", segment=segment_of(by))
        + f" FROM (SELECT {seg}prev, n FROM moves UNION ALL SELECT {seg}prev, 1 - SUM(n) AS n "
        f"FROM again GROUP BY {seg}prev, user_id) AS counted GROUP BY {seg}prev"
    )


def transitions_grouped(by: bool, ctes: list[str], parts: list[str]) -> None:
    """Users per observed move, each move grouped by user, and per step the users who left it
    (maps with many steps: no masks)."""
    seg = "segment, " if by else ""
    ctes.append(
        f"moves AS (SELECT {seg}prev, step, user_id FROM matched WHERE prev <> step "
        f"GROUP BY {seg}prev, step, user_id)"
    )
    parts.append(
        row("transition", "prev", "step", "COUNT(*)", segment=segment_of(by))
        + f" FROM moves GROUP BY {seg}prev, step"
    )
    parts.append(
        row("left", "prev", "NULL", "COUNT(*)", segment=segment_of(by))
        + f" FROM (SELECT DISTINCT {seg}prev, user_id FROM moves) AS movers GROUP BY {seg}prev"
    )


def reach_by_firsts(plan: MapPlan, by: bool, ctes: list[str], parts: list[str]) -> None:
    """Reach per step and stage from each user's first event per step (maps with many steps)."""
    seg = "segment, " if by else ""
    segment = segment_of(by)
    group = f" GROUP BY {seg}" if by else " GROUP BY "
    ctes.append(
        f"firsts AS (SELECT user_id, {seg}step, MIN(t) AS t FROM matched "
        f"GROUP BY user_id, {seg}step)"
    )
    if plan.path:
        ctes.append(f"firsts0 AS (SELECT user_id, {seg}t FROM firsts WHERE step = {plan.path[0]})")
    parts.append(
        row("reach", "step", "NULL", "COUNT(*)", segment=segment) + " FROM firsts" + group + "step"
    )
    stages = ", ".join(f"({i}, {s})" for i, s in enumerate(plan.stage_of))
    # COUNT(DISTINCT ...) per group as two plain aggregations: several times faster.
    parts.append(
        row("stage", "stage", "NULL", "COUNT(*)", segment=segment)
        + f" FROM (SELECT {seg}st.stage, f.user_id FROM firsts AS f JOIN (VALUES {stages}) "
        f"AS st(step, stage) ON st.step = f.step GROUP BY {seg}st.stage, f.user_id) "
        "AS stage_users" + group + "stage"
    )
