"""The map as one self-contained HTML page: header, personas, the map grid with the emotion
curve, the flow diagram and a health panel of lint findings.

Map text reaches the page only as data for Jinja templates with autoescape on; it is never
part of a template, a script or a style. The page's Content-Security-Policy allows only its
own inline style and script, by their SHA-256 hashes, so the page needs no network and runs
nothing else.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from journeymap.csp import csp_hash
from journeymap.escape import href
from journeymap.pointers import element_at
from journeymap.render.graph import channel_names, transitions
from journeymap.render.svg import flow_image, inline_svg
from journeymap.render.themes import EMOTION_LABELS, Theme, emotion_colour, emotion_text

if TYPE_CHECKING:
    from journeymap.findings import Finding
    from journeymap.model import Kpi, Stage, Step
    from journeymap.render import RenderContext
    from journeymap.validation import Journey


CURVE_HEIGHT = 170
CURVE_TOP = 28
CURVE_STEP = 28  # pixels between two emotion levels
#: A group of the health panel with more findings than this starts folded.
FOLD_AFTER = 6


def safe_href(url: str) -> str | None:
    """The URL if it is http, https, mailto or relative; None for any other scheme."""
    return href(url)


def content_security_policy(style: str, script: str | None) -> str:
    script_src = csp_hash(script) if script is not None else "'none'"
    return (
        f"default-src 'none'; style-src {csp_hash(style)}; script-src {script_src}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def theme_css(theme: Theme) -> str:
    """The theme as CSS custom properties (`emotion_-2` -> `--emotion-n2`)."""
    lines = [":root {"]
    for key, value in theme.items():
        name = key.replace("_-", "-n").replace("_", "-")
        lines.append(f"  --{name}: {value};")
    lines.append("}")
    return "\n".join(lines)


def format_number(value: object) -> str:
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
    off = kpi.off_target()
    unit = f" {kpi.unit}" if kpi.unit else ""
    return Fields(
        {
            "name": kpi.name,
            "target": None if kpi.target is None else format_number(kpi.target) + unit,
            "actual": None if kpi.actual is None else format_number(kpi.actual) + unit,
            "better": kpi.better.value,
            "state": "none" if off is None else ("off" if off else "on"),
        }
    )


@dataclass
class Column:
    """One column of the grid: a step, or a placeholder for a stage with no steps."""

    index: int
    stage: Stage
    step: Step | None
    persona: str = ""
    lanes: dict[str, Any] = field(default_factory=dict)
    number: int = 0  # the step's number on the page, from 1 (0 for a placeholder)
    stage_start: bool = False  # the first column of its stage: a stage boundary is drawn


@dataclass(frozen=True)
class Lane:
    """A row of the grid. `group` places it: the experience lanes, then the service-blueprint
    block, then the insight lanes. A new lane is one entry here, a value in `_step_lanes` and
    (unless it is a plain list of text) a branch in the `lane` macro."""

    key: str
    label: str
    group: str
    toggle: str  # the lane toggle that shows or hides the row


# Lanes in the order they are drawn: the standard service-blueprint order (the customer's
# touchpoints and actions directly above the line of interaction).
LANES: tuple[Lane, ...] = (
    Lane("thoughts", "Thoughts", "experience", "thoughts"),
    Lane("emotion", "Emotion", "experience", "emotion"),
    Lane("touchpoint", "Touchpoint and channel", "blueprint", "touchpoint"),
    Lane("handoff", "Handoffs", "blueprint", "handoff"),
    Lane("action", "Customer action", "blueprint", "action"),
    Lane("frontstage", "Frontstage", "blueprint", "blueprint"),
    Lane("backstage", "Backstage", "blueprint", "blueprint"),
    Lane("support", "Support processes", "blueprint", "blueprint"),
    Lane("pain_points", "Pain points", "insights", "pain_points"),
    Lane("opportunities", "Opportunities", "insights", "opportunities"),
    Lane("kpis", "KPIs", "insights", "kpis"),
    Lane("feedback", "Feedback", "insights", "feedback"),
    Lane("evidence", "Evidence and links", "insights", "evidence"),
    # From `render --metrics` only: what the data says, beside what the map claims.
    Lane("measured", "Measured", "insights", "measured"),
)
BLUEPRINT = ("frontstage", "backstage", "support")
#: The line drawn above each service-blueprint lane, and what it separates.
LINES: dict[str, tuple[str, str]] = {
    "frontstage": (
        "Line of interaction",
        "the customer's actions are above, the staff they meet below",
    ),
    "backstage": (
        "Line of visibility",
        "what the customer sees is above, what happens out of sight below",
    ),
    "support": (
        "Line of internal interaction",
        "staff are above, supporting systems and partners below",
    ),
}
TOGGLE_LABELS = {"blueprint": "Service blueprint"}


def _step_lanes(
    step: Step, previous: Step | None, channels: dict[str, Any], personas: dict[str, str]
) -> dict[str, Any]:
    channel = channels.get(step.channel) if step.channel else None
    handoff: dict[str, Any] | None = None
    if previous is not None and previous.channel and step.channel:
        if previous.channel != step.channel:
            before = channels.get(previous.channel)
            handoff = {
                "from": before.name if before else previous.channel,
                "to": channel.name if channel else step.channel,
                "text": step.handoff,
            }
    elif step.handoff:
        handoff = {"from": None, "to": None, "text": step.handoff}
    return {
        "action": step.action,
        "touchpoint": (step.touchpoint, channel) if step.touchpoint or channel else None,
        "handoff": handoff,
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


def columns(journey: Journey) -> list[Column]:
    channels = channel_names(journey)
    personas = {p.id: p.name for p in journey.personas}
    out: list[Column] = []
    previous: Step | None = None
    number = 0
    for stage in journey.map.stages:
        if not stage.steps:
            out.append(Column(len(out), stage, None, stage_start=True))
        for position, step in enumerate(stage.steps):
            lanes = _step_lanes(step, previous, channels, personas)
            number += 1
            out.append(
                Column(len(out), stage, step, step.persona or "", lanes, number, position == 0)
            )
            previous = step
    return out


def rows(journey_lanes: list[Lane]) -> list[dict[str, Any]]:
    """The grid's rows: each present lane, with the blueprint's three lines in their places
    (all three whenever the map has any service-blueprint lane)."""
    keys = {lane.key for lane in journey_lanes}
    blueprint = any(key in keys for key in BLUEPRINT)
    out: list[dict[str, Any]] = []
    for lane in LANES:
        if blueprint and lane.key in LINES:
            name, meaning = LINES[lane.key]
            out.append(
                Fields(
                    {
                        "kind": "line",
                        "key": f"line-{lane.key}",
                        "label": name,
                        "help": meaning,
                        "group": "blueprint",
                        "toggle": "blueprint",
                    }
                )
            )
        if lane.key in keys:
            out.append(
                Fields(
                    {
                        "kind": "curve" if lane.key == "emotion" else "lane",
                        "key": lane.key,
                        "label": lane.label,
                        "group": lane.group,
                        "toggle": lane.toggle,
                    }
                )
            )
    return out


#: Line styles of the emotion curve, one per persona: colour and dash (legible in greyscale).
SERIES_STYLES = ("solid", "dashed", "dotted", "dashdot")


def emotion_curve(
    cols: list[Column], theme: Theme, personas: list[tuple[str, str]] | None = None
) -> dict[str, Any]:
    """Geometry of the emotion curve: x as a percentage of the row's width (so it follows the
    columns at any width, in print too), y in pixels from +2 at the top to -2 at the bottom.

    With steps of several personas there is one line per persona (`personas`, in map order);
    a step without a persona belongs to every line."""
    count = len(cols) or 1

    def y(value: int) -> int:
        return CURVE_TOP + (2 - value) * CURVE_STEP

    def x(index: int | float) -> str:
        return f"{index * 100 / count:.4f}%"

    points = []
    for position, col in enumerate(cols):
        step = col.step
        if step is None or step.emotion is None:
            continue
        points.append(
            {
                "step": step.id,
                "name": step.name,
                "emotion": step.emotion,
                "label": f"{step.emotion:+d}" if step.emotion else "0",
                "text": emotion_text(step.emotion),
                "x": x(position + 0.5),
                "y": y(step.emotion),
                "colour": emotion_colour(theme, step.emotion),
                "column": col.index,
                "persona": col.persona,
            }
        )
    used = [(pid, name) for pid, name in personas or [] if any(p["persona"] == pid for p in points)]
    lines: list[tuple[str, str | None]] = [(pid, name) for pid, name in used]
    if len(lines) < 2:
        lines = [("", None)]
    series = []
    for index, (pid, name) in enumerate(lines):
        mine = [p for p in points if not pid or p["persona"] in ("", pid)]
        series.append(
            {
                "persona": pid,
                "name": name,
                "style": SERIES_STYLES[index % len(SERIES_STYLES)],
                "colour": theme[f"series_{index % len(SERIES_STYLES)}"]
                if pid
                else theme["emotion_line"],
                "points": " ".join(f"{p['column']}:{p['y']}" for p in mine),
                "segments": [
                    {"x1": a["x"], "y1": a["y"], "x2": b["x"], "y2": b["y"]}
                    for a, b in itertools.pairwise(mine)
                ],
            }
        )
    levels = [{"value": v, "y": y(v), "label": EMOTION_LABELS[v]} for v in (2, 1, 0, -1, -2)]
    boundaries = [
        {"x": x(position), "stage": col.stage.id}
        for position, col in enumerate(cols)
        if col.stage_start and position
    ]
    return {
        "points": points,
        "series": series,
        "levels": levels,
        "height": CURVE_HEIGHT,
        "negative": {"y": y(0), "height": CURVE_HEIGHT - y(0)},
        "boundaries": boundaries,
    }


#: Steps in one band of the grid. A longer map is drawn as several grids, one below the other,
#: each of whole stages where they fit (a longer stage is cut), so every band reads at a
#: legible size on screen and each prints on its own page with its lane labels.
BAND_LIMIT = 20


def bands(cols: list[Column], limit: int = BAND_LIMIT) -> list[list[Column]]:
    if len(cols) <= limit:
        return [cols]
    out: list[list[Column]] = []
    current: list[Column] = []
    for stage, group in itertools.groupby(cols, key=lambda c: c.stage.id):
        del stage
        stage_cols = list(group)
        for start in range(0, len(stage_cols), limit):
            chunk = stage_cols[start : start + limit]
            if current and len(current) + len(chunk) > limit:
                out.append(current)
                current = []
            current += chunk
    if current:
        out.append(current)
    return out


def band_view(
    index: int, band: list[Column], theme: Theme, personas: list[tuple[str, str]]
) -> dict[str, Any]:
    """One grid: its columns, its stages (a stage cut by the band limit is `continued` in the
    next band, and only its first part carries the stage's anchor) and its emotion curve."""
    stages: list[tuple[Stage, list[Column], bool]] = []
    for _, group in itertools.groupby(band, key=lambda c: c.stage.id):
        stage_cols = list(group)
        continued = stage_cols[0].step is not None and stage_cols[0].stage.steps[0] is not (
            stage_cols[0].step
        )
        stages.append((stage_cols[0].stage, stage_cols, continued))
    return {
        "index": index,
        "columns": band,
        "stages": stages,
        "curve": emotion_curve(band, theme, personas),
    }


def _target_of(path: str, journey: Journey) -> tuple[str, str] | None:
    """The page anchor and a name for what a finding's JSON pointer concerns."""
    element = element_at(journey.map, path)
    if element is None:
        return None
    return f"{element.kind}-{element.id}", f"{element.kind} ‘{element.name}’"


def health(findings: list[Finding], journey: Journey) -> dict[str, Any]:
    shown = [f for f in findings if not f.suppressed and f.file == journey.file]
    items = []
    for finding in shown:
        target = _target_of(finding.path, journey)
        items.append(
            {
                "severity": finding.severity.value,
                "rule": finding.rule,
                "message": finding.message,
                "line": finding.line,
                "anchor": target[0] if target else None,
                "where": target[1] if target else "the map",
            }
        )
    counts = {s: sum(1 for i in items if i["severity"] == s) for s in ("error", "warning", "info")}
    rank = {"error": 0, "warning": 1, "info": 2}
    by_rule: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        by_rule.setdefault(str(item["rule"]), []).append(item)
    groups = [
        {
            "rule": rule,
            "severity": min((i["severity"] for i in found), key=rank.__getitem__),
            "items": found,
            "open": len(found) <= FOLD_AFTER,
        }
        for rule, found in by_rule.items()
    ]
    groups.sort(key=lambda g: (rank[g["severity"]], -len(g["items"]), g["rule"]))
    return {
        "items": items,
        "groups": groups,
        "counts": counts,
        "suppressed": sum(1 for f in findings if f.suppressed),
    }


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:g} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    if seconds < 172800:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"


def _survey_text(survey_id: str, result: dict[str, Any]) -> str:
    count = result.get("count") or 0
    if not count:
        return f"{survey_id}: no answers"
    method = result.get("method")
    if method == "csat":
        share, mean = result.get("share_4_5", 0), result.get("mean", 0)
        return f"CSAT {share:.0%} 4-5 (mean {mean:.2f}, n={count})"
    if method == "nps":
        return f"NPS {result.get('nps', 0):+.0f} (n={count})"
    return f"CES {result.get('mean', 0):.2f} (n={count})"


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


def lane_printer() -> Callable[[Any, str], Markup]:
    """`ui.lane(key, col.lanes[key])` once per step and lane: the grid and the step cards
    show the same lane, so the second asks a dict instead of running the macro again."""
    from journeymap.render.templates import environment

    lane = environment().get_template("_macros.html.j2").module.lane  # type: ignore[attr-defined]
    done: dict[tuple[int, str], Markup] = {}

    def printed(col: Any, key: str) -> Markup:
        found = done.get((col.index, key))
        if found is None:
            found = done[(col.index, key)] = lane(key, col.lanes[key])
        return found

    return printed


class Deferred:
    """Markup computed when a template first prints it (Jinja asks for `__html__`)."""

    def __init__(self, compute: Callable[[], Markup]) -> None:
        self._compute = compute

    def __html__(self) -> Markup:
        return self._compute()


def page_context(journey: Journey, context: RenderContext) -> dict[str, Any]:
    """Everything the map template shows, as plain data."""
    m = journey.map
    cols = columns(journey)
    step_cols = [c for c in cols if c.step is not None]
    measured = measured_lane(journey, context.figures(journey.id))
    for col in step_cols:
        if col.step is not None and col.step.id in measured:
            col.lanes["measured"] = measured[col.step.id]
    present = [
        lane
        for lane in LANES
        if any(c.lanes.get(lane.key) not in (None, [], "") for c in step_cols)
    ]
    grid_rows = rows(present)
    toggles: list[tuple[str, str]] = []
    for row in grid_rows:
        if row["kind"] != "line" and all(t != row["toggle"] for t, _ in toggles):
            toggles.append((row["toggle"], TOGGLE_LABELS.get(row["toggle"], row["label"])))
    personas = journey.personas
    used_personas = {c.persona for c in step_cols if c.persona}
    flow_label = escape(f"Flow diagram of {m.title}")
    edges = transitions(journey)
    stage_info = any(s.goal or s.description or s.kpis or s.feedback for s in m.stages)
    curve_personas = [(p.id, p.name) for p in personas if p.id in used_personas]
    return {
        "map": m,
        "id": journey.id,
        "source": journey.document.path.name,
        "personas": personas,
        "persona_filter": [p for p in personas if p.id in used_personas]
        if len(used_personas) > 1
        else [],
        "channels": journey.channels,
        "stages": [(stage, [c for c in cols if c.stage is stage]) for stage in m.stages],
        "stage_numbers": {stage.id: i for i, stage in enumerate(m.stages)},
        "columns": cols,
        "step_count": len(step_cols),
        "rows": grid_rows,
        "toggles": toggles,
        "stage_info": stage_info,
        "bands": [
            band_view(i, band, context.theme, curve_personas) for i, band in enumerate(bands(cols))
        ],
        # Drawn when the template reaches it, so `dot` (prefetched) overlaps the rest.
        "flow_svg": Deferred(
            lambda: Markup(inline_svg(flow_image(journey, context, "svg"), str(flow_label)))
        ),
        "switches": sum(1 for e in edges if e.channel_switch),
        "missing_handoffs": sum(1 for e in edges if e.missing_handoff),
        "moments": sum(1 for c in step_cols if c.step is not None and c.step.moment_of_truth),
        "health": health(context.findings(), journey),
        "kpi_stage": {stage.id: [kpi_view(k) for k in stage.kpis] for stage in m.stages},
        "lane_html": lane_printer(),
        "emotion_labels": EMOTION_LABELS,
        "emotion_text": emotion_text,
        "persona_names": {p.id: p.name for p in personas},
        "theme": context.theme,
    }


def render_page(template: str, data: dict[str, Any], theme: Theme, script: bool = True) -> bytes:
    """Render a page template with its inline style, script and matching CSP."""
    from journeymap.render.templates import environment

    env = environment()
    style = theme_css(theme) + "\n" + env.get_template("page.css").render()
    code = env.get_template("page.js").render() if script else None
    html = env.get_template(template).render(
        **data,
        style=Markup(style),
        script=Markup(code) if code is not None else None,
        csp=content_security_policy(style, code),
    )
    return html.encode("utf-8")


#: From this many steps on, the page's step cards (`stack`, about a third of its work) are
#: rendered by a forked child while this process renders the rest (where `fork` exists).
PARALLEL_PAGE_STEPS = 1000


def render_block(template: str, block: str, data: dict[str, Any]) -> str:
    """One `{% block %}` of a template alone, with the page's data (the same text as in the
    page: the block is written so that it renders the same either way)."""
    from journeymap.render.templates import environment

    env = environment()
    page = env.get_template(template)
    macros = env.get_template("_macros.html.j2").module
    context = page.new_context({**data, "ui": macros})
    return "".join(page.blocks[block](context))


def forked(compute: Callable[[], str]) -> Deferred:
    """`compute()` run in a forked child, its text read back when first printed; computed
    here instead when the child fails (or `fork` is missing)."""
    import os

    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return Deferred(lambda: Markup(compute()))
    if pid == 0:  # the child: compute, send, leave without running any cleanup of the parent
        code = 1
        try:
            # Only the pipe: a copy of the parent's pipe to a running `dot` would keep that
            # `dot` waiting for the end of its input until this child exits.
            os.closerange(3, write_end)
            os.closerange(write_end + 1, 1 << 16)
            data = compute().encode("utf-8")
            view = memoryview(data)
            while view:
                view = view[os.write(write_end, view) :]
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)

    def collect() -> Markup:
        chunks = []
        with os.fdopen(read_end, "rb") as pipe:
            while chunk := pipe.read(1 << 20):
                chunks.append(chunk)
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            return Markup(compute())
        return Markup(b"".join(chunks).decode("utf-8"))

    return Deferred(collect)


class HtmlRenderer:
    name = "html"
    extension = "html"
    description = "a self-contained page: map grid, emotion curve, flow diagram, health panel"

    def render(self, journey: Journey, context: RenderContext) -> bytes:
        data = page_context(journey, context)
        if context.parallel and data["step_count"] >= PARALLEL_PAGE_STEPS:
            import os

            if hasattr(os, "fork"):
                data["stack_html"] = forked(lambda: render_block("map.html.j2", "stack", data))
        return render_page("map.html.j2", data, context.theme)
