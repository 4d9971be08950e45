"""`journeymap diff OLD.json NEW.json` for two metrics files: what changed in the measures.

Per map and step (in the funnel path's order, then the other steps by id): reach, funnel,
conversion, drop-off, median time and survey scores that changed; per stage, its reach and
funnel; observed transitions that appeared or disappeared; maps, steps and stages added or
removed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from journeymap.measure.use import load, window_text

# The step figures compared, with how to show them.
_FIGURES = (
    ("reached", "reached", "count"),
    ("left", "left for another step", "count"),
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
        from journeymap.durations import duration_text

        return duration_text(value)
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
    if kind == "seconds":
        from journeymap.durations import duration_text

        return f" ({'+' if diff >= 0 else ''}{duration_text(diff)})"
    return f" ({diff:+g})"


def compare(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """What changed between two metrics documents, map by map (in id order)."""
    changes = _basis_changes(old, new)
    old_maps, new_maps = old.get("maps", {}), new.get("maps", {})
    for map_id in sorted(set(old_maps) | set(new_maps)):
        if map_id not in new_maps:
            changes.append(Change(map_id, "-", "map", text=f"map {map_id} is no longer measured"))
        elif map_id not in old_maps:
            changes.append(Change(map_id, "+", "map", text=f"map {map_id} is measured"))
        else:
            changes += _map_changes(map_id, old_maps[map_id], new_maps[map_id])
    return changes


# How the figures were measured: when it differs, they are not comparable one to one.
_BASIS = (
    (("period", "since"), "since"),
    (("period", "until"), "until"),
    (("window_days",), "window"),
    (("by",), "--by"),
)


def _basis_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes: list[Change] = []
    for keys, label in _BASIS:
        x, y = _dig(old, keys), _dig(new, keys)
        if x != y:
            shown = _window if label == "window" else _plain
            text = f"{label}: {shown(x)} → {shown(y)} (measured differently: compare with care)"
            changes.append(Change("", "~", ".".join(keys), x, y, text))
    return changes


def _dig(doc: dict[str, Any], keys: tuple[str, ...]) -> Any:
    value: Any = doc
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _window(value: Any) -> str:
    return window_text(float(value)) if isinstance(value, int | float) else _plain(value)


def _plain(value: Any) -> str:
    return "—" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def _map_changes(map_id: str, a: dict[str, Any], b: dict[str, Any]) -> list[Change]:
    """A map's funnel path, steps and transitions, then each segment's (with `--by`)."""
    changes: list[Change] = []
    fa, fb = a.get("fingerprint"), b.get("fingerprint")
    if fa and fb and fa != fb:
        said = (
            "the map changed between the two (its steps, events, surveys or median-time KPIs): "
            "a figure may have moved with it, not with the customers"
        )
        changes.append(Change(map_id, "~", "fingerprint", fa, fb, said))
    if a.get("path") != b.get("path"):
        old, new = ", ".join(a.get("path", [])), ", ".join(b.get("path", []))
        changes.append(Change(map_id, "~", "path", old, new, f"funnel path: {old} → {new}"))
    order = [*b.get("path", []), *a.get("path", [])]
    changes += _figures_changes(map_id, a, b, order)
    sa, sb = a.get("segments", {}), b.get("segments", {})
    for name in sorted(set(sa) | set(sb)):
        if name not in sb:
            changes.append(Change(map_id, "-", f"segment {name}", text=f"segment {name}: gone"))
        elif name not in sa:
            changes.append(Change(map_id, "+", f"segment {name}", text=f"segment {name}: new"))
        else:
            changes += [
                Change(
                    c.map,
                    c.sign,
                    f"segment {name} {c.what}",
                    c.old,
                    c.new,
                    f"segment {name}: {c.text}",
                )
                for c in _figures_changes(map_id, sa[name], sb[name], order)
            ]
    return changes


def _figures_changes(
    map_id: str, a: dict[str, Any], b: dict[str, Any], order: list[str]
) -> list[Change]:
    """Steps (in `order`, the funnel path's, then by id), stages, then transitions."""
    steps = _step_changes(map_id, a.get("steps", {}), b.get("steps", {}), order)
    stages = _stage_changes(map_id, a.get("stages", {}), b.get("stages", {}))
    moves = _transition_changes(map_id, a.get("transitions", []), b.get("transitions", []))
    return steps + stages + moves


def _step_changes(
    map_id: str, a: dict[str, Any], b: dict[str, Any], order: list[str]
) -> list[Change]:
    """The steps of both, then the gone ones: their changed figures, and which steps are gone
    or new; in the journey's order as far as the funnel path gives it (metrics.json keeps its
    keys sorted: by id, 'creates-account' came before 'finds-course')."""
    rank: dict[str, int] = {}
    for step in order:
        rank.setdefault(step, len(rank))

    def journey_order(names: set[str]) -> list[str]:
        return sorted(names, key=lambda name: (rank.get(name, len(rank)), name))

    changes: list[Change] = []
    for step in journey_order(set(b) & set(a)) + journey_order(set(a) - set(b)):
        if step not in b:
            changes.append(Change(map_id, "-", f"step {step}", text=f"step {step}: gone"))
            continue
        changes += _figure_changes(map_id, step, a[step], b[step])
    for step in journey_order(set(b) - set(a)):
        changes.append(Change(map_id, "+", f"step {step}", text=f"step {step}: new"))
    return changes


def _stage_changes(map_id: str, a: dict[str, Any], b: dict[str, Any]) -> list[Change]:
    """Each stage's reach and funnel that changed (by stage id), and stages gone or new."""
    changes: list[Change] = []
    for stage in sorted(set(a) | set(b)):
        if stage not in b:
            changes.append(Change(map_id, "-", f"stage {stage}", text=f"stage {stage}: gone"))
        elif stage not in a:
            changes.append(Change(map_id, "+", f"stage {stage}", text=f"stage {stage}: new"))
        else:
            for key, label, kind in _FIGURES:
                x, y = a[stage].get(key), b[stage].get(key)
                if x != y and (key in a[stage] or key in b[stage]):
                    text = f"stage {stage}: {label} {_show(x, kind)} → {_show(y, kind)}"
                    what = f"stage {stage} {key}"
                    changes.append(Change(map_id, "~", what, x, y, text + _delta(x, y, kind)))
    return changes


def _figure_changes(map_id: str, step: str, a: dict[str, Any], b: dict[str, Any]) -> list[Change]:
    """One step's figures that changed, then its surveys' (in survey id order)."""
    changes: list[Change] = []
    for key, label, kind in _FIGURES:
        x, y = a.get(key), b.get(key)
        if x != y:
            text = f"step {step}: {label} {_show(x, kind)} → {_show(y, kind)}"
            changes.append(
                Change(map_id, "~", f"step {step} {key}", x, y, text + _delta(x, y, kind))
            )
    sa, sb = a.get("surveys", {}), b.get("surveys", {})
    for survey in sorted(set(sa) | set(sb)):
        for key, label, kind in _SURVEY:
            x = sa.get(survey, {}).get(key)
            y = sb.get(survey, {}).get(key)
            if x != y:
                text = f"step {step}: {survey} {label} {_show(x, kind)} → {_show(y, kind)}"
                what = f"survey {survey} {key}"
                changes.append(Change(map_id, "~", what, x, y, text + _delta(x, y, kind)))
    return changes


def _transition_changes(
    map_id: str, old: list[dict[str, Any]], new: list[dict[str, Any]]
) -> list[Change]:
    """Observed transitions taken anew (in the new order), no longer taken, or by other
    numbers of users."""
    changes: list[Change] = []
    ta = {(t["from"], t["to"]): t for t in old}
    tb = {(t["from"], t["to"]): t for t in new}
    for pair in list(tb) + [k for k in ta if k not in tb]:
        where = f"{pair[0]} → {pair[1]}"
        what = f"transition {where}"
        if pair not in ta:
            users = tb[pair]["users"]
            note = "" if tb[pair].get("on_map") else ", not on the map"
            text = f"transition {where}: {users:,} user{'' if users == 1 else 's'}{note}"
            changes.append(Change(map_id, "+", what, None, users, text))
        elif pair not in tb:
            text = f"transition {where}: no longer taken"
            changes.append(Change(map_id, "-", what, ta[pair]["users"], None, text))
        elif ta[pair]["users"] != tb[pair]["users"]:
            x, y = ta[pair]["users"], tb[pair]["users"]
            plural = "" if y == 1 else "s"
            text = f"transition {where}: {x:,} → {y:,} user{plural}" + _delta(x, y, "count")
            changes.append(Change(map_id, "~", what, x, y, text))
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
            title = current or "measured with"
            lines.append(f"### {title}" if fmt == "markdown" else title)
        bullet = "- " if fmt == "markdown" else "  "
        lines.append(f"{bullet}{change.sign} {change.text}")
    if not changes:
        lines.append("no changes in the measures")
    return "\n".join(lines) + "\n", bool(changes)
