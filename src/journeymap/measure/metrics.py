"""From the rows of a map's query (`journeymap.measure.sql`) to `metrics.json`.

Every row holds integers; the ratios, means and medians are divided here, in Python, so that
every engine gives the same bytes.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from journeymap.measure.plan import MapPlan
from journeymap.measure.sql import RESULT_COLUMNS

METRICS_VERSION = 1
Row = tuple[Any, ...]


def _int(value: Any) -> int | None:
    return None if value is None or value == "" else int(value)


def _number(value: float | None) -> int | float | None:
    """Whole numbers as integers, so `1` is not written `1.0`."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _ratio(num: int | None, den: int | None) -> int | float | None:
    if num is None or not den:
        return None
    return _number(num / den)


def _median(values: list[int]) -> int | float | None:
    """Seconds from the one or two middle values of a time taken, in microseconds."""
    if not values:
        return None
    return _number(sum(values) / len(values) / 1_000_000)


def _survey(
    method: str, answers: bool, n: int, total: int, n45: int, n910: int, n06: int
) -> dict[str, Any]:
    """A survey's figures; without answers (measured without --responses) every one is null,
    which no answer at all (a count of 0) is not."""
    out: dict[str, Any] = {"method": method, "count": n if answers else None}
    if method in ("csat", "ces"):
        out["mean"] = _ratio(total, n)
    if method == "csat":
        out["share_4_5"] = _ratio(n45, n)
    if method == "nps":
        out["nps"] = _number(100 * (n910 - n06) / n) if n else None
    return out


@dataclass
class _Tallies:
    """One segment's result rows added up by part (the `part` column of the queries)."""

    reach: dict[int, int] = field(default_factory=dict)  # step -> users who reached it
    stage_reach: dict[int, int] = field(default_factory=dict)  # stage -> users
    funnel: dict[int, int] = field(default_factory=dict)  # path position -> users
    medians: dict[tuple[int, int], list[int]] = field(
        default_factory=lambda: defaultdict(list)
    )  # (from, to) path positions -> middle times taken
    transitions: dict[tuple[int, int], int] = field(default_factory=dict)  # (from, to) -> users
    left: dict[int, int] = field(default_factory=dict)  # step -> users who left it for another
    surveys: dict[int, tuple[int, int, int, int, int]] = field(
        default_factory=dict
    )  # survey -> answers, score total, 4-5s, 9-10s, 0-6s


def _tally(rows: Iterable[Row]) -> _Tallies:
    """The rows' counts added up per step, stage, path position, transition and survey."""
    t = _Tallies()
    for _map, part, _segment, a, b, n, x, y, z, w in rows:
        a, b, n, x = _int(a), _int(b), _int(n), _int(x)
        if part == "reach" and a is not None:
            t.reach[a] = t.reach.get(a, 0) + (n or 0)
        elif part == "stage" and a is not None:
            t.stage_reach[a] = t.stage_reach.get(a, 0) + (n or 0)
        elif part == "funnel" and a is not None:
            t.funnel[a] = t.funnel.get(a, 0) + (n or 0)
        elif part == "median" and a is not None and b is not None and x is not None:
            t.medians[a, b].append(x)
        elif part == "transition" and a is not None and b is not None:
            t.transitions[a, b] = t.transitions.get((a, b), 0) + (n or 0)
        elif part == "left" and a is not None:
            t.left[a] = t.left.get(a, 0) + (n or 0)
        elif part == "survey" and a is not None:
            o = t.surveys.get(a, (0, 0, 0, 0, 0))
            t.surveys[a] = (
                o[0] + (n or 0),
                o[1] + (x or 0),
                o[2] + (_int(y) or 0),
                o[3] + (_int(z) or 0),
                o[4] + (_int(w) or 0),
            )
    return t


def figures(plan: MapPlan, rows: Iterable[Row], answers: bool = True) -> dict[str, Any]:
    """The `steps`, `stages` and `transitions` of one map (one segment's rows); `answers`:
    whether survey answers were measured."""
    t = _tally(rows)
    position = {step: k for k, step in reversed(list(enumerate(plan.path)))}
    first = t.funnel.get(0, 0) if plan.path else None
    steps = {
        step.id: _step_figures(plan, t, i, position.get(i), first, answers)
        for i, step in enumerate(plan.steps)
    }
    return {"steps": steps, "stages": _stage_figures(plan, t), "transitions": _observed(plan, t)}


def _step_figures(
    plan: MapPlan, t: _Tallies, i: int, k: int | None, first: int | None, answers: bool
) -> dict[str, Any]:
    """Step `i`'s entry: reach, and where it is on the path (position `k`) its funnel,
    conversion from the first step, drop-off and median time from the previous one."""
    step = plan.steps[i]
    here = t.funnel.get(k, 0) if k is not None else None
    before = t.funnel.get(k - 1, 0) if k is not None and k > 0 else None
    entry: dict[str, Any] = {
        "reached": t.reach.get(i, 0) if step.events else None,
        "left": t.left.get(i, 0) if step.events else None,
        "funnel": here,
        "conversion": (1 if here else None) if k == 0 else _ratio(here, first),
        "from_previous": _ratio(here, before) if k else None,
        "drop_off": _ratio(before - here, before)
        if k and here is not None and before is not None
        else None,
        "median_seconds": _median(t.medians.get((k - 1, k), [])) if k else None,
        "surveys": {
            plan.surveys[s].id: _survey(
                plan.surveys[s].method, answers, *t.surveys.get(s, (0,) * 5)
            )
            for s in plan.step_surveys.get(i, [])
        },
    }
    extra = _medians_from(plan, t, k)
    if extra:
        entry["median_seconds_from"] = extra
    return entry


def _medians_from(plan: MapPlan, t: _Tallies, k: int | None) -> dict[str, Any]:
    """Median times to path position `k` from earlier steps other than the previous one."""
    extra = {
        plan.steps[plan.path[a]].id: _median(values)
        for (a, b), values in sorted(t.medians.items())
        if k is not None and b == k and a != k - 1
    }
    if k is not None:
        for a, b in plan.median_pairs:
            if b == k and a != k - 1:
                extra.setdefault(plan.steps[plan.path[a]].id, None)
    return extra


def _stage_figures(plan: MapPlan, t: _Tallies) -> dict[str, Any]:
    """Per stage: the users who reached any of its steps, and the funnel at its last step
    on the path."""
    stages: dict[str, Any] = {}
    for s, stage_id in enumerate(plan.stage_ids):
        on_path = [k for k, i in enumerate(plan.path) if plan.stage_of[i] == s]
        has_events = any(plan.steps[i].events for i, of in enumerate(plan.stage_of) if of == s)
        stages[stage_id] = {
            "reached": t.stage_reach.get(s, 0) if has_events else None,
            "funnel": t.funnel.get(on_path[-1], 0) if on_path else None,
        }
    return stages


def _observed(plan: MapPlan, t: _Tallies) -> list[dict[str, Any]]:
    """The transitions users took, whether or not the map draws them."""
    ids = [step.id for step in plan.steps]
    return [
        {"from": ids[a], "to": ids[b], "users": users, "on_map": (a, b) in plan.on_map}
        for (a, b), users in sorted(t.transitions.items())
    ]


def map_metrics(plan: MapPlan, rows: list[Row], by: str | None, answers: bool) -> dict[str, Any]:
    """A map's entry in `maps`: the figures, the path, and with `--by` the same per segment;
    `answers`: whether survey answers were measured (--responses)."""
    overall = [r for r in rows if r[1] != "median" or r[2] is None]
    out = figures(plan, overall, answers)
    out["path"] = [plan.steps[i].id for i in plan.path]
    out["fingerprint"] = plan.fingerprint()
    if by is not None:
        segments: dict[str, list[Row]] = defaultdict(list)  # one pass: many segments are fine
        for r in rows:
            if r[2] is not None:
                segments[str(r[2])].append(r)
        out["segments"] = {
            name: figures(plan, segments[name], answers) for name in sorted(segments)
        }
    return out


def document(
    maps: dict[str, Any],
    *,
    since: str | None,
    until: str | None,
    window_seconds: float,
    by: str | None,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "journeymap-metrics": METRICS_VERSION,
        "period": {"since": since, "until": until},
        "window_days": _number(window_seconds / 86400),
        "maps": maps,
    }
    if by is not None:
        out["by"] = by
    return out


def dumps(doc: dict[str, Any]) -> str:
    """Sorted keys at every level, two-space indents: the same figures give the same bytes."""
    return json.dumps(doc, sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def header() -> tuple[str, ...]:
    return RESULT_COLUMNS
