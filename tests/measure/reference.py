"""A plain-Python implementation of docs/measure.md, independent of the SQL, for the tests."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
import statistics
from dataclasses import dataclass
from typing import Any

# A four-step map: a -> b -> c -> d, with `b` also leading to `d` (next: [c, d]).
STEPS = ["a", "b", "c", "d"]
EVENTS = {"a": "view", "b": "cart", "c": "pay", "d": "done"}
ON_MAP = {("a", "b"), ("b", "c"), ("b", "d"), ("c", "d")}
STAGES = {"first": ["a", "b"], "second": ["c", "d"]}
MAP = """\
journeymap: 1
id: ref
title: Reference funnel
stages:
  - id: first
    name: First
    steps:
      - {id: a, name: A, events: [view]}
      - {id: b, name: B, events: [cart], next: [c, d],
         feedback: [{method: csat, survey: cart_csat}]}
  - id: second
    name: Second
    steps:
      - {id: c, name: C, events: [pay]}
      - {id: d, name: D, events: [done], feedback: [{method: nps, survey: done_nps}]}
"""
T0 = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)


def iso(seconds: float) -> str:
    return (T0 + dt.timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def ratio(num: int, den: int) -> int | float | None:
    return number(num / den) if den else None


def steps_by_user(events: list[tuple[str, str, float]]) -> dict[str, list[tuple[float, int]]]:
    """Each user's (time, step index) of the events that mark a step."""
    step_of = {name: step for step, name in EVENTS.items()}
    by_user: dict[str, list[tuple[float, int]]] = {}
    for user, event, t in events:
        if event in step_of:
            by_user.setdefault(user, []).append((t, STEPS.index(step_of[event])))
    return by_user


def reference(
    events: list[tuple[str, str, float]],
    answers: list[tuple[str, str, int, float]],
    window: float = 14 * 86400,
    path: list[str] = STEPS,
) -> dict[str, Any]:
    """metrics.json's `maps.ref` for events (user, event, seconds after T0), the funnel along
    `path` (`--path`, steps without repeats)."""
    by_user = steps_by_user(events)
    reached = {
        s: sum(1 for evs in by_user.values() if any(STEPS[k] == s for _, k in evs)) for s in STEPS
    }
    counted = [0] * len(path)
    taken: list[list[float]] = [[] for _ in path]
    transitions: dict[tuple[str, str], set[str]] = {}
    left: dict[str, set[str]] = {}  # step -> users who left it for another step
    for user, evs in by_user.items():
        times = [sorted(t for t, k in evs if STEPS[k] == step) for step in path]
        if times[0]:
            t0 = previous = times[0][0]
            counted[0] += 1
            for k in range(1, len(path)):
                later = [t for t in times[k] if t >= previous]
                if not later or later[0] > t0 + window:
                    break
                counted[k] += 1
                taken[k].append(later[0] - previous)
                previous = later[0]
        sequence = [k for _, k in sorted(set(evs))]
        collapsed = [k for i, k in enumerate(sequence) if i == 0 or sequence[i - 1] != k]
        for x, y in itertools.pairwise(collapsed):
            transitions.setdefault((STEPS[x], STEPS[y]), set()).add(user)
            left.setdefault(STEPS[x], set()).add(user)
    surveys: dict[str, list[int]] = {}
    for _user, survey, score, _t in answers:
        surveys.setdefault(survey, []).append(score)
    steps: dict[str, Any] = {}
    for s in STEPS:
        if s not in path:
            off_path = ("funnel", "conversion", "from_previous", "drop_off", "median_seconds")
            steps[s] = {"reached": reached[s], "left": len(left.get(s, ())), "surveys": {}}
            steps[s] |= dict.fromkeys(off_path)
            continue
        k = path.index(s)
        prev = counted[k - 1] if k else None
        steps[s] = {
            "reached": reached[s],
            "left": len(left.get(s, ())),
            "funnel": counted[k],
            "conversion": (1 if counted[0] else None) if k == 0 else ratio(counted[k], counted[0]),
            "from_previous": ratio(counted[k], prev) if prev is not None else None,
            "drop_off": ratio(prev - counted[k], prev) if prev is not None else None,
            "median_seconds": number(statistics.median(taken[k])) if k and taken[k] else None,
            "surveys": {},
        }
    csat = surveys.get("cart_csat", [])
    steps["b"]["surveys"]["cart_csat"] = {
        "method": "csat",
        "count": len(csat),
        "mean": ratio(sum(csat), len(csat)),
        "share_4_5": ratio(sum(1 for s in csat if s >= 4), len(csat)),
    }
    nps = surveys.get("done_nps", [])
    promoters = sum(1 for s in nps if s >= 9) - sum(1 for s in nps if s <= 6)
    steps["d"]["surveys"]["done_nps"] = {
        "method": "nps",
        "count": len(nps),
        "nps": number(100 * promoters / len(nps)) if nps else None,
    }
    stages = {
        name: {
            "reached": sum(1 for evs in by_user.values() if any(STEPS[k] in ids for _, k in evs)),
            "funnel": _stage_funnel(counted, path, ids),
        }
        for name, ids in STAGES.items()
    }
    listed = [
        {"from": a, "to": b, "users": len(users), "on_map": (a, b) in ON_MAP}
        for (a, b), users in sorted(
            transitions.items(),
            key=lambda item: (STEPS.index(item[0][0]), STEPS.index(item[0][1])),
        )
    ]
    return {"steps": steps, "stages": stages, "transitions": listed, "path": path}


def _stage_funnel(counted: list[int], path: list[str], ids: list[str]) -> int | None:
    """The funnel at the stage's last step along the path (None: none of its steps is on it)."""
    on_path = [k for k, step in enumerate(path) if step in ids]
    return counted[on_path[-1]] if on_path else None


def random_log(
    seed: int, users: int = 300
) -> tuple[list[tuple[str, str, float]], list[tuple[str, str, int, float]]]:
    """Users who wander along the map: skip, repeat, go back, stop, take weeks; whole seconds."""
    rng = random.Random(seed)
    events: list[tuple[str, str, float]] = []
    answers: list[tuple[str, str, int, float]] = []
    for n in range(users):
        user = f"u{n:04d}"
        t = float(rng.randrange(0, 20 * 86400))
        k = rng.choice([0, 0, 0, 1, 2])
        for _ in range(rng.randrange(1, 9)):
            events.append((user, EVENTS[STEPS[k]], t))
            if k == 1 and rng.random() < 0.3:
                answers.append((user, "cart_csat", rng.randint(1, 5), t + 30))
            if k == 3 and rng.random() < 0.5:
                answers.append((user, "done_nps", rng.randint(0, 10), t + 30))
            t += rng.choice([0, 0, 1, 60, 3600, 86400, 5 * 86400, 12 * 86400])
            k = max(0, min(3, k + rng.choice([1, 1, 1, 0, -1, 2])))
    rng.shuffle(events)
    return events, answers


def forward_and_not(events: list[tuple[str, str, float]]) -> tuple[int, int]:
    """How many users of a log start at the first step and never move back to an earlier one
    (the query's `forward_rows`), and how many others reach the first step (its joins)."""
    forward = other = 0
    for evs in steps_by_user(events).values():
        sequence = [k for _, k in sorted(set(evs))]
        if 0 not in sequence:
            continue
        if all(x <= y for x, y in itertools.pairwise(sequence)):
            forward += 1
        else:
            other += 1
    return forward, other


DAY = 86400


@dataclass(frozen=True)
class Case:
    """A log whose figures the tests compute by hand (test_measure.py), and that every engine
    must turn into the same bytes (test_engines.py)."""

    events: list[tuple[str, str, float]]
    args: tuple[str, ...] = ()
    answers: list[tuple[str, str, int, float]] | None = None


HAND: dict[str, Case] = {
    # A user who skips a step stops before it.
    "skip": Case([("u1", "view", 0), ("u1", "pay", 60), ("u1", "done", 120)]),
    # Repeats collapse; a restart does not open a new attempt; the last step is past 14 days.
    "repeat": Case(
        [
            ("u1", "view", 0),
            ("u1", "view", 3600),
            ("u1", "cart", 7200),
            ("u1", "cart", 9000),
            ("u1", "pay", 10 * DAY),
            ("u1", "view", 11 * DAY),
            ("u1", "done", 15 * DAY),
        ]
    ),
    # Two steps in the same second convert; the window's end is inclusive.
    "same-second": Case(
        [
            ("u1", "view", 0),
            ("u1", "cart", 0),
            ("u1", "pay", 0),
            ("u1", "done", 3600),
            ("u2", "view", 0),
            ("u2", "cart", 3601),
        ],
        ("--window", "1h"),
    ),
    "earlier-event": Case([("u1", "cart", 0), ("u1", "view", 60), ("u1", "cart", 120)]),
    # Along b -> a, the `view` that converts repeats an earlier `view` at the very second of the
    # `cart` before it (ordered by time, then step: view, view, cart).
    "repeat-at-the-step-time": Case(
        [("u1", "view", 0), ("u1", "view", 100), ("u1", "cart", 100)], ("--path", "b,a")
    ),
    "even-median": Case(
        [
            e
            for n, d in enumerate([10, 20, 30, 41])
            for e in [(f"u{n}", "view", 0), (f"u{n}", "cart", d)]
        ]
    ),
    "surveys": Case(
        [("u1", "view", 0)],
        answers=[("u1", "cart_csat", s, 0) for s in (5, 4, 2, 1)]
        + [("u1", "done_nps", s, 0) for s in (10, 9, 9, 8, 3)],
    ),
    "since-until": Case(
        [("u1", "view", 0), ("u2", "view", DAY), ("u3", "view", 2 * DAY)],
        ("--since", "2026-10-02", "--until", "2026-10-03"),
    ),
}


def write_csv(path: Any, rows: list[tuple[Any, ...]], header: str) -> None:
    lines = [header] + [
        ",".join(iso(v) if i == len(r) - 1 else str(v) for i, v in enumerate(r)) for r in rows
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def loads(text: str) -> dict[str, Any]:
    return json.loads(text)  # type: ignore[no-any-return]
