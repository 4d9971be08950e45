"""The map as one self-contained HTML page: header, personas, the map grid with the emotion
curve, the flow diagram and a health panel of lint findings.

This module gathers the page's data and renders its templates; the grid's shape is in
`grid.py`, each lane's value in `lanes.py`, the emotion curve in `curve.py`, the health panel
in `health.py`.

Map text reaches the page only as data for Jinja templates with autoescape on; it is never
part of a template, a script or a style. The page's Content-Security-Policy allows only its
own inline style and script, by their SHA-256 hashes, so the page needs no network and runs
nothing else.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from journeymap.csp import csp_hash
from journeymap.render.deferred import Deferred, forked
from journeymap.render.flowedges import transitions
from journeymap.render.grid import LANES, Column, band_view, bands, columns, rows, toggles
from journeymap.render.health import health
from journeymap.render.lanes import kpi_view, measured_basis, measured_lane
from journeymap.render.svg import flow_image, inline_svg
from journeymap.render.themes import EMOTION_LABELS, Theme, emotion_text

if TYPE_CHECKING:
    from journeymap.render import RenderContext
    from journeymap.validation import Journey


def content_security_policy(style: str, script: str | None) -> str:
    """The page's policy: nothing but its own inline style and script (by hash)."""
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


def _grid_rows(
    journey: Journey, context: RenderContext, step_cols: list[Column]
) -> list[dict[str, Any]]:
    """The grid's rows: the lanes some step fills in (the Measured lane added to the steps
    first, with `render --metrics`; empty for a step the figures do not know, such as one
    added to the map after it was measured)."""
    measured = measured_lane(journey, context.figures(journey))
    if measured:
        for col in step_cols:
            if col.step is not None:
                col.lanes["measured"] = measured.get(col.step.id)
    present = [
        lane
        for lane in LANES
        if any(c.lanes.get(lane.key) not in (None, [], "") for c in step_cols)
    ]
    return rows(present)


def page_context(journey: Journey, context: RenderContext) -> dict[str, Any]:
    """Everything the map template shows, as plain data."""
    figures = context.figures(journey)
    if figures is not None:  # measured KPIs show the data's actual, as `lint --metrics` reads it
        from journeymap.measure.use import fill_actuals

        fill_actuals(journey, figures)
    m = journey.map
    cols = columns(journey)
    step_cols = [c for c in cols if c.step is not None]
    grid_rows = _grid_rows(journey, context, step_cols)
    personas = journey.personas
    used_personas = {c.persona for c in step_cols if c.persona}
    flow_label = escape(f"Flow diagram of {m.title}")
    edges = transitions(journey)
    stage_info = any(s.goal or s.description or s.kpis or s.feedback for s in m.stages)
    curve_personas = [(p.id, p.name) for p in personas if p.id in used_personas]
    return {
        "map": m,
        "id": journey.id,
        "source": context.source_name(journey),
        "personas": personas,
        "persona_filter": [p for p in personas if p.id in used_personas]
        if len(used_personas) > 1
        else [],
        "channels": journey.channels,
        "stages": [(stage, [c for c in cols if c.stage is stage]) for stage in m.stages],
        "stage_numbers": {stage.id: i for i, stage in enumerate(m.stages)},
        "columns": cols,
        "measured_basis": measured_basis(context.metrics) if figures is not None else "",
        "step_count": len(step_cols),
        "rows": grid_rows,
        "toggles": toggles(grid_rows),
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


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a page renders: Jinja makes millions of
    short-lived objects on a big map, and the collector's passes over them were half of the
    page's CPU time on a 5,000-step map (2.5 s, 1.3 s without). A page makes little cyclic
    garbage; the collector runs again, as it was, when the page is done."""
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class HtmlRenderer:
    name = "html"
    extension = "html"
    description = "a self-contained page: map grid, emotion curve, flow diagram, health panel"

    def render(self, journey: Journey, context: RenderContext) -> bytes:
        with collector_paused():
            data = page_context(journey, context)
            if context.parallel and data["step_count"] >= PARALLEL_PAGE_STEPS:
                import os

                if hasattr(os, "fork"):
                    data["stack_html"] = forked(lambda: render_block("map.html.j2", "stack", data))
            return render_page("map.html.j2", data, context.theme)
