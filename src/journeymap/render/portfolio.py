"""The portfolio page (`index.html`) of a render of several maps, answering "which journey
hurts most": every map with an emotion sparkline, its pain point and opportunity counts and
lint counts, most painful first; registers of all pain points (by severity) and opportunities
(by priority); and per map a channel × stage coverage matrix (how many steps use each channel
in each of its stages)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from journeymap.findings import Severity
from journeymap.render import RENDERER_BY_NAME
from journeymap.render.html import render_page
from journeymap.words import plural

if TYPE_CHECKING:
    from journeymap.render import RenderContext
    from journeymap.render.themes import Theme
    from journeymap.validation import Journey


#: Register order: the most severe (or highest priority) first, then unrated ones.
LEVEL_ORDER = {"high": 0, "medium": 1, "low": 2, None: 3}
STATUS_ORDER = {"idea": 0, "planned": 1, None: 2, "done": 3}
SPARK_WIDTH, SPARK_HEIGHT, SPARK_STEP = 120, 34, 7


def sparkline(emotions: list[int]) -> Markup:
    """A small inline SVG of the emotion curve (numbers only, no map text), zero line dashed."""
    if not emotions:
        return Markup('<span class="no-emotion">no emotion recorded</span>')
    mid = SPARK_HEIGHT // 2
    gap = SPARK_WIDTH / max(len(emotions) - 1, 1)
    coords = " ".join(
        f"{index * gap:.1f},{mid - value * SPARK_STEP}" for index, value in enumerate(emotions)
    )
    lowest = min(emotions)
    return Markup(
        f'<svg class="sparkline" width="{SPARK_WIDTH}" height="{SPARK_HEIGHT}" '
        f'viewBox="-3 -3 {SPARK_WIDTH + 6} {SPARK_HEIGHT + 6}" role="img" '
        f'aria-label="Emotion over {plural(len(emotions), "step")}, lowest {lowest:+d}" '
        'xmlns="http://www.w3.org/2000/svg">'
        f'<rect class="spark-negative" x="-3" y="{mid}" width="{SPARK_WIDTH + 6}" '
        f'height="{mid + 3}"/>'
        f'<line class="spark-zero" x1="-3" x2="{SPARK_WIDTH + 3}" y1="{mid}" y2="{mid}"/>'
        f'<polyline class="spark-line" points="{coords}"/></svg>'
    )


def _file(journey: Journey, context: RenderContext, fmt: str) -> tuple[str, str]:
    """The link to one output; a flow too big for one PNG links to its first stage's PNG."""
    if fmt == "png":
        from journeymap.render.svg import png_oversize

        first = next((s for s in journey.map.stages if s.steps), None)
        if first is not None and png_oversize(journey, context) is not None:
            return ("png per stage", f"{journey.id}-{first.id}.png")
    return (fmt, f"{journey.id}.{RENDERER_BY_NAME[fmt].extension}")


def _registers(
    journey: Journey, page: str | None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The map's pain points and opportunities for the portfolio's registers, in map order."""
    m = journey.map
    pains: list[dict[str, Any]] = []
    opportunities: list[dict[str, Any]] = []
    for stage in m.stages:
        for step in stage.steps:
            where = {
                "map": m.title,
                "stage": stage.name,
                "step": step.name,
                "href": f"{page}#step-{step.id}" if page else None,
            }
            for pain in step.pain_points:
                pains.append(
                    {
                        **where,
                        "text": pain.text,
                        "level": pain.severity.value if pain.severity else None,
                        "owner": pain.owner,
                    }
                )
            for opp in step.opportunities:
                opportunities.append(
                    {
                        **where,
                        "text": opp.text,
                        "level": opp.priority.value if opp.priority else None,
                        "owner": opp.owner,
                        "status": opp.status.value if opp.status else None,
                    }
                )
    return pains, opportunities


def map_summary(journey: Journey, context: RenderContext, formats: list[str]) -> dict[str, Any]:
    """What the portfolio shows of one map, as plain JSON data: made where the map is rendered
    (a worker), kept in the render cache, so the page needs no map in memory."""
    m = journey.map
    findings = [f for f in context.findings() if not f.suppressed]
    page = f"{journey.id}.html" if "html" in formats else None
    steps = [step for stage in m.stages for step in stage.steps]
    emotions = [step.emotion for step in steps if step.emotion is not None]
    map_pains = [p for step in steps for p in step.pain_points]
    map_channels = [c for c in journey.channels if any(s.channel == c.id for s in steps)]
    pains, opportunities = _registers(journey, page)
    return {
        "id": journey.id,
        "title": m.title,
        "owner": m.owner,
        "status": m.status.value,
        "updated": m.updated.isoformat() if m.updated else None,
        "stages": len(m.stages),
        "steps": sum(len(s.steps) for s in m.stages),
        "pains": len(map_pains),
        "high_pains": sum(1 for p in map_pains if p.severity and p.severity.value == "high"),
        "opportunities": sum(len(step.opportunities) for step in steps),
        "emotions": emotions,
        "mean": sum(emotions) / len(emotions) if emotions else 0.0,
        "lowest": min(emotions) if emotions else None,
        "coverage": {
            "stages": [stage.name for stage in m.stages],
            "channels": [
                [
                    channel.name,
                    [sum(1 for s in stage.steps if s.channel == channel.id) for stage in m.stages],
                ]
                for channel in map_channels
            ],
        },
        "errors": sum(1 for f in findings if f.severity is Severity.ERROR),
        "warnings": sum(1 for f in findings if f.severity is Severity.WARNING),
        "page": page,
        "source": context.source_name(journey),
        "files": [list(_file(journey, context, fmt)) for fmt in formats],
        "pain_points": pains,
        "opportunity_list": opportunities,
    }


_TEXT = (str,)
_MAYBE_TEXT = (str, type(None))
_WHERE = {"map": _TEXT, "stage": _TEXT, "step": _TEXT, "href": _MAYBE_TEXT, "text": _TEXT}
_SHAPE: dict[str, tuple[type, ...]] = {
    "id": _TEXT,
    "title": _TEXT,
    "owner": _MAYBE_TEXT,
    "status": _TEXT,
    "updated": _MAYBE_TEXT,
    "stages": (int,),
    "steps": (int,),
    "pains": (int,),
    "high_pains": (int,),
    "opportunities": (int,),
    "emotions": (list,),
    "mean": (int, float),
    "lowest": (int, type(None)),
    "coverage": (dict,),
    "errors": (int,),
    "warnings": (int,),
    "page": _MAYBE_TEXT,
    "source": _TEXT,
    "files": (list,),
    "pain_points": (list,),
    "opportunity_list": (list,),
}


def valid_summary(data: object) -> dict[str, Any]:
    """`data` if it has the shape `map_summary` makes, else ValueError: a summary read back
    from the cache is checked before it reaches the page."""

    def need(ok: bool) -> None:
        if not ok:
            raise ValueError("not a map summary")

    need(isinstance(data, dict) and set(data) == set(_SHAPE))
    assert isinstance(data, dict)
    for key, types in _SHAPE.items():
        need(isinstance(data[key], types) and not isinstance(data[key], bool))
    need(all(type(e) is int and -2 <= e <= 2 for e in data["emotions"]))
    files = data["files"]
    need(
        all(
            isinstance(f, list) and len(f) == 2 and all(isinstance(x, str) for x in f)
            for f in files
        )
    )
    coverage = data["coverage"]
    need(set(coverage) == {"stages", "channels"})
    need(
        isinstance(coverage["stages"], list) and all(isinstance(s, str) for s in coverage["stages"])
    )
    for row in coverage["channels"]:
        need(isinstance(row, list) and len(row) == 2 and isinstance(row[0], str))
        need(isinstance(row[1], list) and all(type(n) is int for n in row[1]))
    levels = set(LEVEL_ORDER)
    for item in data["pain_points"]:
        need(isinstance(item, dict) and set(item) == {*_WHERE, "level", "owner"})
        need(item["level"] in levels and isinstance(item["owner"], _MAYBE_TEXT))
        need(all(isinstance(item[k], t) for k, t in _WHERE.items()))
    for item in data["opportunity_list"]:
        need(isinstance(item, dict) and set(item) == {*_WHERE, "level", "owner", "status"})
        need(item["level"] in levels and item["status"] in STATUS_ORDER)
        need(isinstance(item["owner"], _MAYBE_TEXT))
        need(all(isinstance(item[k], t) for k, t in _WHERE.items()))
    return data


def portfolio_context(summaries: list[dict[str, Any]]) -> dict[str, Any]:
    """The portfolio template's data from the maps' summaries (`map_summary`), in map order."""
    maps: list[dict[str, Any]] = []
    pains: list[dict[str, Any]] = []
    opportunities: list[dict[str, Any]] = []
    for summary in summaries:
        entry = {k: v for k, v in summary.items() if k not in ("pain_points", "opportunity_list")}
        entry["sparkline"] = sparkline(summary["emotions"])
        maps.append(entry)
        pains += summary["pain_points"]
        opportunities += summary["opportunity_list"]
    # Which journey hurts most: most high-severity pain points, then most pain points, then
    # the lowest average emotion; ties keep the order given.
    maps.sort(key=lambda m: (-m["high_pains"], -m["pains"], m["mean"]))
    pains.sort(key=lambda p: LEVEL_ORDER[p["level"]])
    opportunities.sort(key=lambda o: (LEVEL_ORDER[o["level"]], STATUS_ORDER[o["status"]]))
    return {
        "sources": [summary["source"] for summary in summaries],  # the page's mark (marks.py)
        "maps": maps,
        "pains": pains,
        "opportunities": opportunities,
        "totals": {
            "maps": len(maps),
            "steps": sum(m["steps"] for m in maps),
            "errors": sum(m["errors"] for m in maps),
            "warnings": sum(m["warnings"] for m in maps),
        },
    }


def render_portfolio(summaries: list[dict[str, Any]], theme: Theme) -> bytes:
    return render_page("portfolio.html.j2", portfolio_context(summaries), theme, script=False)
