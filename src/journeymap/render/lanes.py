"""What each lane of the map grid holds for one step, as plain data for the templates.

A lane's value is what the `lane` macro in `_macros.html.j2` prints: text, lists of text, or
small dicts of already formatted values (KPIs, the handoff, evidence and links, the Measured
lane of `render --metrics`). Map text stays text here; Jinja escapes it on the page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from journeymap.escape import href
from journeymap.render.themes import emotion_text

if TYPE_CHECKING:
    from journeymap.model import Channel, Kpi, Step
    from journeymap.validation import Journey


def safe_href(url: str) -> str | None:
    """The URL if it is http, https, mailto or relative; None for any other scheme."""
    return href(url)


def format_number(value: object) -> str:
    """A number as written on the page: a whole float without its `.0`."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


class Fields(dict[str, Any]):
    """A dict whose keys are also attributes: the template's `row.key` then is a plain
    attribute lookup, not a failed one (an exception) before the item (a third of the
    page's time on a 2,000-step map). Not to be changed after it is made."""

    def __init__(self, items: dict[str, Any]) -> None:
        super().__init__(items)
        self.__dict__.update(items)


def kpi_view(kpi: Kpi) -> dict[str, Any]:
    """A KPI's name, target and actual with their unit, and whether it is on target."""
    off = kpi.off_target()
    return Fields(
        {
            "name": kpi.name,
            "target": None if kpi.target is None else kpi.figure(kpi.target),
            "actual": None if kpi.actual is None else kpi.figure(kpi.shown_actual()),
            "better": kpi.better.value,
            "state": "none" if off is None else ("off" if off else "on"),
        }
    )


def _handoff(step: Step, previous: Step | None, channels: dict[str, Channel]) -> Any:
    """The Handoffs lane: the change of channel from the step before (with the step's
    `handoff` text), or the text alone; None when there is neither."""
    if previous is not None and previous.channel and step.channel:
        if previous.channel == step.channel:
            return None
        before, after = channels.get(previous.channel), channels.get(step.channel)
        return {
            "from": before.name if before else previous.channel,
            "to": after.name if after else step.channel,
            "text": step.handoff,
        }
    if step.handoff:
        return {"from": None, "to": None, "text": step.handoff}
    return None


def step_lanes(step: Step, previous: Step | None, channels: dict[str, Channel]) -> dict[str, Any]:
    """Every lane's value for `step` (`previous` is the step before it in the map)."""
    channel = channels.get(step.channel) if step.channel else None
    return {
        "action": step.action,
        "touchpoint": (step.touchpoint, channel) if step.touchpoint or channel else None,
        "handoff": _handoff(step, previous, channels),
        "thoughts": step.thoughts,
        "emotion": step.emotion,
        "pain_points": step.pain_points,
        "opportunities": step.opportunities,
        "kpis": [kpi_view(k) for k in step.kpis],
        "feedback": step.feedback,
        "frontstage": step.frontstage,
        "backstage": step.backstage,
        "support": step.support,
        "evidence": (
            (step.owner, step.evidence, [(link, safe_href(link.url)) for link in step.links])
            if step.owner or step.evidence or step.links
            else None
        ),
    }


def _duration(seconds: float) -> str:
    """A median time as people read it, to a tenth of its unit (36.5 min, not 36)."""
    if seconds < 120:
        return f"{seconds:g} s"
    for below, size, unit in ((7200, 60, "min"), (172800, 3600, "h")):
        if seconds < below:
            return f"{format_number(round(seconds / size, 1))} {unit}"
    return f"{format_number(round(seconds / 86400, 1))} days"


def _survey_text(survey_id: str, result: dict[str, Any]) -> str:
    count = result.get("count")
    if count is None:
        return f"{survey_id}: answers not measured"
    if not count:
        return f"{survey_id}: no answers"
    method = result.get("method")
    if method == "csat":
        share, mean = result.get("share_4_5", 0), result.get("mean", 0)
        return f"CSAT {share:.0%} 4-5 (mean {mean:.2f}, n={count})"
    if method == "nps":
        return f"NPS {result.get('nps', 0):+.0f} (n={count})"
    return f"CES {result.get('mean', 0):.2f} (n={count})"


def measured_basis(metrics: dict[str, Any] | None) -> str:
    """What the Measured lane's figures were computed over: the period, the funnel's window
    and the `--by` column, in words (metrics.json's top level)."""
    if metrics is None:
        return ""
    period: Any = metrics.get("period")
    since, until = (
        (period.get("since"), period.get("until")) if isinstance(period, dict) else (None, None)
    )
    parts = [
        "all the data" if not since and not until else f"{since or 'start'} to {until or 'end'}"
    ]
    window = metrics.get("window_days")
    if isinstance(window, int | float) and not isinstance(window, bool):
        from journeymap.measure.use import window_text

        parts.append(f"funnel window {window_text(float(window))}")
    if isinstance(metrics.get("by"), str):
        parts.append(f"by {metrics['by']}")
    return ", ".join(parts)


def measured_lane(journey: Journey, figures: dict[str, Any] | None) -> dict[str, Any]:
    """Per step id, what the Measured lane shows (plain text and numbers, escaped by Jinja)."""
    if figures is None:
        return {}
    out: dict[str, Any] = {}
    steps = figures.get("steps", {})
    for step in journey.steps():
        m = steps.get(step.id)
        if not isinstance(m, dict):
            continue
        conversion, drop, median = m.get("conversion"), m.get("drop_off"), m.get("median_seconds")
        out[step.id] = {
            "reached": m.get("reached"),
            "conversion": conversion,
            "conversion_text": f"{conversion:.0%}" if isinstance(conversion, int | float) else "",
            "drop_off": drop,
            "drop_off_text": f"{drop:.0%}" if isinstance(drop, int | float) else "",
            "median": _duration(median) if isinstance(median, int | float) else None,
            "surveys": [
                _survey_text(sid, r)
                for sid, r in sorted(m.get("surveys", {}).items())
                if isinstance(r, dict)
            ],
            "emotion": emotion_text(step.emotion) if step.emotion is not None else None,
        }
    return out
