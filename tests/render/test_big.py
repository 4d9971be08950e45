"""A map above the cluster limit (stages drawn as node headers, not boxes) renders the same
bytes every time, in one process or with its page split over a forked child."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from journeymap.render import RenderContext, html, render_journey
from journeymap.render.graph import CLUSTER_LIMIT

from .kit import TODAY, check, journey_of

STAGES = 4


def big_map(steps: int) -> str:
    """`steps` steps over four stages, with branches forward and a loop back."""
    lines = ["journeymap: 1", "id: big", "title: Big", "stages:"]
    per_stage = steps // STAGES
    for s in range(STAGES):
        lines += [f"  - id: s{s}", f"    name: Stage {s}", "    steps:"]
        for n in range(s * per_stage, (s + 1) * per_stage):
            nxt = ""
            if n % 7 == 3 and n + 4 < steps:
                nxt = f", next: [p{n + 1}, p{n + 4}]"
            elif n % 40 == 39:
                nxt = f", next: [p{n + 1}, p{n - 12}]" if n + 1 < steps else f", next: [p{n - 12}]"
            lines.append(f"      - {{id: p{n}, name: Step {n}, emotion: {n % 5 - 2}{nxt}}}")
    return "\n".join(lines) + "\n"


def test_a_big_map_renders_the_same_bytes_every_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "big.journey.yaml"
    source.write_text(big_map(CLUSTER_LIMIT + 20), encoding="utf-8")
    checked = check(source)
    journey = journey_of(checked)

    def render(fmt: str, parallel: bool) -> bytes:
        context = RenderContext(checked=checked, today=TODAY, parallel=parallel)
        return render_journey(journey, fmt, context)

    dot = render("dot", False).decode("utf-8")
    assert "subgraph cluster_" not in dot  # the big-map layout: stages as node headers
    assert dot.count(" [label=<") == CLUSTER_LIMIT + 20
    assert render("dot", False).decode("utf-8") == dot
    assert render("svg", False) == render("svg", False)
    page = render("html", False)
    assert render("html", False) == page
    monkeypatch.setattr(html, "PARALLEL_PAGE_STEPS", CLUSTER_LIMIT)  # step cards forked
    assert render("html", True) == page
    assert gc.isenabled()  # paused only while a page renders
