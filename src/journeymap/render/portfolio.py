"""The portfolio page (`index.html`) of a render of several maps: every map with its size and
lint counts, a register of all pain points and opportunities, and a channel × stage coverage
matrix (how many steps use each channel in each stage, across the maps)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from journeymap.findings import Severity
from journeymap.render import RENDERER_BY_NAME
from journeymap.render.html import render_page

if TYPE_CHECKING:
    from journeymap.render import RenderContext
    from journeymap.render.themes import Theme
    from journeymap.validation import Journey


def portfolio_context(
    rendered: list[tuple[Journey, RenderContext]], formats: list[str]
) -> dict[str, Any]:
    maps: list[dict[str, Any]] = []
    pains: list[dict[str, Any]] = []
    opportunities: list[dict[str, Any]] = []
    channel_names: dict[str, str] = {}
    stage_names: dict[str, str] = {}
    coverage: dict[tuple[str, str], int] = {}
    for journey, context in rendered:
        m = journey.map
        findings = [f for f in context.findings() if not f.suppressed]
        page = f"{journey.id}.html" if "html" in formats else None
        maps.append(
            {
                "id": journey.id,
                "title": m.title,
                "owner": m.owner,
                "status": m.status.value,
                "updated": m.updated.isoformat() if m.updated else None,
                "stages": len(m.stages),
                "steps": sum(len(s.steps) for s in m.stages),
                "errors": sum(1 for f in findings if f.severity is Severity.ERROR),
                "warnings": sum(1 for f in findings if f.severity is Severity.WARNING),
                "page": page,
                "files": [
                    (fmt, f"{journey.id}.{RENDERER_BY_NAME[fmt].extension}") for fmt in formats
                ],
            }
        )
        for channel in journey.channels:
            channel_names.setdefault(channel.id, channel.name)
        for stage in m.stages:
            stage_names.setdefault(stage.id, stage.name)
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
                if step.channel:
                    key = (step.channel, stage.id)
                    coverage[key] = coverage.get(key, 0) + 1
    used_channels = [c for c in channel_names if any(k[0] == c for k in coverage)]
    return {
        "maps": maps,
        "pains": pains,
        "opportunities": opportunities,
        "channels": [(c, channel_names[c]) for c in used_channels],
        "stages": list(stage_names.items()),
        "coverage": {f"{c}|{s}": n for (c, s), n in coverage.items()},
        "totals": {
            "maps": len(maps),
            "steps": sum(m["steps"] for m in maps),
            "errors": sum(m["errors"] for m in maps),
            "warnings": sum(m["warnings"] for m in maps),
        },
    }


def render_portfolio(
    rendered: list[tuple[Journey, RenderContext]], formats: list[str], theme: Theme
) -> bytes:
    return render_page(
        "portfolio.html.j2", portfolio_context(rendered, formats), theme, script=False
    )
