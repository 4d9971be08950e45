"""Reading metrics.json back, for `lint --metrics` and `render --metrics`: a map's figures, and
the `actual` of each measured KPI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from journeymap.model import Kpi
    from journeymap.validation import Journey


class MetricsError(Exception):
    """A metrics file that cannot be used; exit 2."""


# Metrics and results files are read whole: a bound far above any real run (a 20-step map
# with 1,000 segments is ~5 MB), so that a file from a pull request cannot exhaust memory.
MAX_BYTES = 256 * 1024 * 1024


def read_text(path: Path) -> str:
    """A metrics or results file's text (UTF-8, a BOM allowed), read within `MAX_BYTES`."""
    from journeymap.files import read_bounded

    try:
        data = read_bounded(path, MAX_BYTES)
    except OSError as err:
        raise MetricsError(f"{path}: cannot read: {err.strerror or err}") from None
    if len(data) > MAX_BYTES:
        raise MetricsError(f"{path}: larger than {MAX_BYTES // 2**20} MB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MetricsError(f"{path}: cannot read: not UTF-8 text") from None


def load(path: Path) -> dict[str, Any]:
    """The parsed metrics file; MetricsError naming it when it is not one, or when a figure
    is not a number where lint and render expect one."""
    from journeymap.measure.shape import shape_problem

    try:
        data = json.loads(read_text(path), parse_constant=no_constant)
    except (ValueError, RecursionError) as err:
        raise MetricsError(f"{path}: not JSON: {str(err)[:120] or 'nested too deep'}") from None
    version = data.get("journeymap-metrics") if isinstance(data, dict) else None
    if version is not None and version != 1:
        raise MetricsError(
            f"{path}: a metrics file of version {json.dumps(version)[:40]}, which this "
            "journeymap does not read (it reads version 1): make it again with "
            "`journeymap measure`, or update journeymap"
        )
    if not isinstance(data, dict) or version != 1:
        raise MetricsError(
            f'{path}: not a metrics file (no `"journeymap-metrics": 1`); '
            "make one with `journeymap measure`"
        )
    problem = shape_problem(data)
    if problem:
        raise MetricsError(f"{path}: {problem}; make it again with `journeymap measure`")
    return data


def no_constant(name: str) -> Any:
    """For `json.loads(parse_constant=...)`: NaN and infinities are no figures."""
    raise ValueError(f"{name} is not a number a figure can be")


def outside_message(key: str, root: str) -> str:
    """Why a configured file that is a link out of the configuration's folder is not read."""
    return (
        f"measure.{key} names a link to a file outside the configuration's folder {root}; "
        f"give that file with --{key}"
    )


def staleness(journey: Journey, figures: dict[str, Any] | None) -> str | None:
    """Why `figures` (a map's entry in metrics.json, None: it has none) cannot be read for this
    version of `journey`; None when they can, or when the map has no events to measure."""
    from journeymap.measure.plan import facts_of

    steps = list(journey.steps())
    if not any(step.events for step in steps):
        return None
    if figures is None:
        return (
            f"the metrics have no figures for map '{journey.id}' (made before it was added or "
            "renamed, or for other maps)"
        )
    measured = figures.get("steps", {})
    missing = [step.id for step in steps if step.events and step.id not in measured]
    if missing:
        return (
            f"the metrics have no figures for step {', '.join(repr(s) for s in missing)} "
            "(added or renamed after they were made)"
        )
    recorded = figures.get("fingerprint")
    if isinstance(recorded, str) and recorded != facts_of(journey).fingerprint():
        return (
            "the map's steps, events, surveys or median-time KPIs changed after the metrics "
            "were made"
        )
    return None


def figures_of(metrics: dict[str, Any] | None, map_id: str) -> dict[str, Any] | None:
    if metrics is None:
        return None
    found = metrics.get("maps", {}).get(map_id)
    return found if isinstance(found, dict) else None


def _survey_value(step: dict[str, Any], method: str) -> Any:
    for survey in step.get("surveys", {}).values():
        if survey.get("method") == method:
            return {
                "csat": survey.get("share_4_5"),
                "nps": survey.get("nps"),
                "ces": survey.get("mean"),
            }[method]
    return None


def kpi_actual(
    kpi: Kpi,
    step_id: str | None,
    stage_last: str | None,
    figures: dict[str, Any],
    first: str | None,
) -> Any:
    """The value a measured KPI takes from a map's figures (None when it cannot be known)."""
    from journeymap.model import Measure  # here, not above: `lint` imports this module early

    steps = figures.get("steps", {})
    target = kpi.to or step_id or stage_last
    if target is None or target not in steps:
        return None
    here = steps[target]
    measure = kpi.measure
    if measure is Measure.REACH:
        return here.get("reached")
    if measure is Measure.DROP_OFF:
        return here.get("drop_off")
    if measure in (Measure.CSAT, Measure.NPS, Measure.CES):
        return _survey_value(here, measure.value)
    start = kpi.from_ or first
    path = figures.get("path", [])
    if measure is Measure.CONVERSION:
        if start not in steps or start not in path or target not in path:
            return None
        top, bottom = steps[start].get("funnel"), here.get("funnel")
        if not top or bottom is None:
            return None
        value = bottom / top
        return int(value) if float(value).is_integer() else value
    if measure is Measure.MEDIAN_TIME:
        if start is None or start not in path or target not in path:
            return None
        if path.index(start) == path.index(target) - 1:
            return here.get("median_seconds")
        return here.get("median_seconds_from", {}).get(start)
    return None


def fill_actuals(journey: Journey, figures: dict[str, Any]) -> None:
    """Set the `actual` of every measured KPI of the map from its figures."""
    path = figures.get("path", [])
    first = path[0] if path else None
    for stage in journey.map.stages:
        on_path = [step.id for step in stage.steps if step.id in path]
        last = on_path[-1] if on_path else None
        for kpi in stage.kpis:
            if kpi.measure is not None:
                kpi.actual = kpi_actual(kpi, None, last, figures, first)
        for step in stage.steps:
            for kpi in step.kpis:
                if kpi.measure is not None:
                    kpi.actual = kpi_actual(kpi, step.id, None, figures, first)


def window_text(days: float) -> str:
    """A funnel window of metrics.json (`window_days`) as people write it: `14 days`, `1 h`,
    `90 min`, `45 s` (not 0.0416667 days)."""
    seconds = round(days * 86400, 6)
    for size, unit in ((86400, "day"), (3600, "h"), (60, "min")):
        if seconds >= size and seconds % size == 0:
            count = int(seconds // size)
            return f"{count} {unit}{'s' if unit == 'day' and count != 1 else ''}"
    return f"{seconds:g} s"
