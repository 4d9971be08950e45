"""`journeymap diff OLD.json NEW.json` for two metrics files: what changed in the measures.

Per map and step: reach, funnel, conversion, drop-off, median time and survey scores that
changed; observed transitions that appeared or disappeared; maps and steps added or removed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from journeymap.measure.use import load

# The step figures compared, with how to show them.
_FIGURES = (
    ("reached", "reached", "count"),
    ("funnel", "funnel", "count"),
    ("conversion", "conversion", "ratio"),
    ("drop_off", "drop-off", "ratio"),
    ("median_seconds", "median time", "seconds"),
)
_SURVEY = (
    ("share_4_5", "share 4-5", "ratio"),
    ("mean", "mean", "number"),
    ("nps", "NPS", "number"),
    ("count", "answers", "count"),
)


@dataclass(frozen=True)
class Change:
    map: str
    sign: str  # "~" changed, "+" added, "-" removed
    what: str
    old: Any = None
    new: Any = None
    text: str = ""


def is_metrics_file(path: Path) -> bool:
    """A `.json` file whose start says it is metrics.json (cheap: no full parse)."""
    if path.suffix.lower() != ".json" or not path.is_file():
        return False
    try:
        with path.open("rb") as handle:
            return b'"journeymap-metrics"' in handle.read(4096)
    except OSError:
        return False


def _show(value: Any, kind: str) -> str:
    if value is None:
        return "—"
    if kind == "ratio":
        return f"{value:.1%}"
    if kind == "seconds":
        return f"{value:g} s"
    if kind == "count":
        return f"{value:,}"
    return f"{value:g}"


def _delta(old: Any, new: Any, kind: str) -> str:
    if not isinstance(old, int | float) or not isinstance(new, int | float):
        return ""
    diff = new - old
    if kind == "ratio":
        return f" ({diff * 100:+.1f} pts)"
    if kind == "count":
        return f" ({diff:+,})"
    return f" ({diff:+g})"


def compare(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes: list[Change] = []
    old_maps, new_maps = old.get("maps", {}), new.get("maps", {})
    for map_id in sorted(set(old_maps) | set(new_maps)):
        if map_id not in new_maps:
            changes.append(Change(map_id, "-", "map", text=f"map {map_id} is no longer measured"))
            continue
        if map_id not in old_maps:
            changes.append(Change(map_id, "+", "map", text=f"map {map_id} is measured"))
            continue
        a, b = old_maps[map_id].get("steps", {}), new_maps[map_id].get("steps", {})
        for step in [s for s in b if s in a] + [s for s in a if s not in b]:
            if step not in b:
                changes.append(Change(map_id, "-", f"step {step}", text=f"step {step}: gone"))
                continue
            for key, label, kind in _FIGURES:
                x, y = a[step].get(key), b[step].get(key)
                if x != y:
                    text = f"step {step}: {label} {_show(x, kind)} → {_show(y, kind)}"
                    changes.append(
                        Change(map_id, "~", f"step {step} {key}", x, y, text + _delta(x, y, kind))
                    )
            sa, sb = a[step].get("surveys", {}), b[step].get("surveys", {})
            for survey in sorted(set(sa) | set(sb)):
                for key, label, kind in _SURVEY:
                    x = sa.get(survey, {}).get(key)
                    y = sb.get(survey, {}).get(key)
                    if x != y:
                        text = f"step {step}: {survey} {label} {_show(x, kind)} → {_show(y, kind)}"
                        changes.append(
                            Change(
                                map_id,
                                "~",
                                f"survey {survey} {key}",
                                x,
                                y,
                                text + _delta(x, y, kind),
                            )
                        )
        for step in b:
            if step not in a:
                changes.append(Change(map_id, "+", f"step {step}", text=f"step {step}: new"))
        ta = {(t["from"], t["to"]): t for t in old_maps[map_id].get("transitions", [])}
        tb = {(t["from"], t["to"]): t for t in new_maps[map_id].get("transitions", [])}
        for pair in list(tb) + [k for k in ta if k not in tb]:
            where = f"{pair[0]} → {pair[1]}"
            if pair not in ta:
                note = "" if tb[pair].get("on_map") else ", not on the map"
                changes.append(
                    Change(
                        map_id,
                        "+",
                        f"transition {where}",
                        None,
                        tb[pair]["users"],
                        f"transition {where}: {tb[pair]['users']:,} users{note}",
                    )
                )
            elif pair not in tb:
                changes.append(
                    Change(
                        map_id,
                        "-",
                        f"transition {where}",
                        ta[pair]["users"],
                        None,
                        f"transition {where}: no longer taken",
                    )
                )
            elif ta[pair]["users"] != tb[pair]["users"]:
                x, y = ta[pair]["users"], tb[pair]["users"]
                changes.append(
                    Change(
                        map_id,
                        "~",
                        f"transition {where}",
                        x,
                        y,
                        f"transition {where}: {x:,} → {y:,} users" + _delta(x, y, "count"),
                    )
                )
    return changes


def compare_files(old: Path, new: Path, fmt: str) -> tuple[str, bool]:
    """The report in `fmt` (text, json, markdown) and whether anything changed."""
    changes = compare(load(old), load(new))
    if fmt == "json":
        items = [
            {"map": c.map, "change": c.sign, "what": c.what, "old": c.old, "new": c.new}
            for c in changes
        ]
        return json.dumps({"changes": items}, indent=2, sort_keys=True) + "\n", bool(changes)
    lines: list[str] = []
    current = None
    for change in changes:
        if change.map != current:
            current = change.map
            lines.append(f"### {current}" if fmt == "markdown" else current)
        bullet = "- " if fmt == "markdown" else "  "
        lines.append(f"{bullet}{change.sign} {change.text}")
    if not changes:
        lines.append("no changes in the measures")
    return "\n".join(lines) + "\n", bool(changes)
