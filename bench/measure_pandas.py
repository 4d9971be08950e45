"""The measure semantics (docs/measure.md) written plainly with pandas: the benchmark's baseline.

    python bench/measure_pandas.py MAP EVENTS.parquet OUT.json

Handles what the benchmark map uses: steps with plain event names, the funnel along the steps in
file order with the default 14-day window, reach of steps and stages, median times, observed
transitions and the users who left each step. It
writes the same `maps.<id>` shape as `journeymap measure` for those figures, so bench/measure.py
can compare them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import yaml

WINDOW_US = 14 * 86400 * 1_000_000


def main(map_path: str, events_path: str, out: str) -> None:
    doc = yaml.safe_load(Path(map_path).read_text())
    steps = [step for stage in doc["stages"] for step in stage["steps"]]
    stage_of = [j for j, stage in enumerate(doc["stages"]) for _ in stage["steps"]]
    ids = [step["id"] for step in steps]
    mapping = pd.DataFrame(
        [(name, i) for i, step in enumerate(steps) for name in step.get("events", [])],
        columns=["event", "step"],
    )
    df = pd.read_parquet(events_path, columns=["user", "event", "time"])
    df["t"] = df["time"].astype("datetime64[us]").astype("int64")
    m = df.merge(mapping, on="event")[["user", "t", "step"]].drop_duplicates()
    reach = m.groupby("step")["user"].nunique()
    stage_reach = m.assign(stage=m.step.map(dict(enumerate(stage_of))))
    stage_reach = stage_reach.groupby("stage")["user"].nunique()

    first = m[m.step == 0].groupby("user")["t"].min()
    current = pd.DataFrame({"user": first.index, "t": first.to_numpy(), "t0": first.to_numpy()})
    funnel = [len(current)]
    medians: list[float | None] = [None]
    for k in range(1, len(steps)):
        cand = m[m.step == k][["user", "t"]].merge(current, on="user", suffixes=("", "_prev"))
        cand = cand[(cand.t >= cand.t_prev) & (cand.t <= cand.t0 + WINDOW_US)]
        nxt = (
            cand.groupby("user")
            .agg(t=("t", "min"), t_prev=("t_prev", "first"), t0=("t0", "first"))
            .reset_index()
        )
        funnel.append(len(nxt))
        medians.append(float(((nxt.t - nxt.t_prev) / 1e6).median()) if len(nxt) else None)
        current = nxt[["user", "t", "t0"]]

    ordered = m.sort_values(["user", "t", "step"])
    ordered["prev"] = ordered.groupby("user")["step"].shift()
    moves = ordered[ordered.prev.notna() & (ordered.prev != ordered.step)]
    pairs = moves.groupby(["prev", "step"])["user"].nunique()
    left = moves.groupby("prev")["user"].nunique()

    def number(value: float | None) -> float | int | None:
        if value is None:
            return None
        return int(value) if float(value).is_integer() else value

    result = {
        "steps": {
            ids[i]: {
                "reached": int(reach.get(i, 0)),
                "left": int(left.get(float(i), 0)),
                "funnel": funnel[i],
                "median_seconds": number(medians[i]),
            }
            for i in range(len(steps))
        },
        "stages": {
            stage["id"]: {"reached": int(stage_reach.get(j, 0))}
            for j, stage in enumerate(doc["stages"])
        },
        "transitions": [
            {"from": ids[int(a)], "to": ids[int(b)], "users": int(n)}
            for (a, b), n in sorted(pairs.items())
        ],
    }
    Path(out).write_text(json.dumps({"maps": {doc["id"]: result}}, sort_keys=True))


if __name__ == "__main__":
    main(*sys.argv[1:4])
