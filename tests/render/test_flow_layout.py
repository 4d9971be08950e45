"""The flow diagram as `dot` lays it out: each row of steps reads left to right in map order.

Checked on the layout `dot` computes (its JSON output: positions, text boxes and edge curves
in points), for every example and for the measured TV purchase.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from journeymap.render.graph import row_length, stage_rows, to_dot
from journeymap.render.svg import run_dot
from journeymap.render.themes import THEMES

from .kit import EXAMPLE_FILES, EXAMPLES, check, journey_of, render

Point = tuple[float, float]

#: What `journeymap measure` finds for the TV purchase in examples/data (users per transition).
TV_FIGURES = {
    "transitions": [
        {"from": a, "to": b, "users": n}
        for a, b, n in [
            ("sees-ad", "opens-sale-page", 316),
            ("opens-sale-page", "sets-price-alert", 285),
            ("opens-sale-page", "visits-store", 24),  # not on the map
            ("sets-price-alert", "compares-models", 212),
            ("compares-models", "reads-reviews", 190),
            ("reads-reviews", "asks-in-chat", 159),
            ("asks-in-chat", "visits-store", 72),
            ("visits-store", "talks-to-salesperson", 69),
            ("talks-to-salesperson", "pays-at-till", 44),
            ("pays-at-till", "arranges-delivery", 43),
            ("arranges-delivery", "gets-confirmation", 43),
            ("gets-confirmation", "tv-delivered", 39),
            ("tv-delivered", "sets-up-tv", 34),
            ("sets-up-tv", "calls-support", 3),
            ("sets-up-tv", "gets-care-email", 31),
            ("calls-support", "gets-care-email", 3),
            ("gets-care-email", "writes-review", 22),
            ("writes-review", "shares-on-social", 10),
            ("shares-on-social", "refers-friend", 4),
        ]
    ]
}


def _dot(case: str) -> str:
    if case == "tv-purchase-measured":
        journey = journey_of(check(EXAMPLES / "tv-purchase.journey.yaml"))
        return to_dot(journey, THEMES["default"], figures=TV_FIGURES)
    return render(EXAMPLES / f"{case}.journey.yaml", "dot").decode("utf-8")


CASES = [p.name.split(".")[0] for p in EXAMPLE_FILES] + ["tv-purchase-measured"]


def _curve(pos: str) -> list[Point]:
    """Points along an edge's B-spline (`pos`), 20 per cubic piece."""
    ctl = [tuple(map(float, p.split(","))) for p in pos.split() if not p.startswith(("e,", "s,"))]
    points = []
    for i in range(0, len(ctl) - 3, 3):
        p0, p1, p2, p3 = ctl[i : i + 4]
        for k in range(21):
            t = k / 20
            w = ((1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t**3)
            points.append(
                (
                    sum(c * p[0] for c, p in zip(w, (p0, p1, p2, p3), strict=True)),
                    sum(c * p[1] for c, p in zip(w, (p0, p1, p2, p3), strict=True)),
                )
            )
    return points


def _layout(case: str) -> tuple[list[dict[str, Any]], dict[str, list[Point]]]:
    """The laid-out objects (nodes, clusters) and each drawn edge's curve, by "tail->head"."""
    data = json.loads(run_dot(_dot(case), "json"))
    objects: list[dict[str, Any]] = data["objects"]
    curves = {
        f"{objects[e['tail']]['name']}->{objects[e['head']]['name']}": _curve(e["pos"])
        for e in data["edges"]
        if e.get("style") != "invis"
    }
    return [*objects, *data["edges"]], curves


@pytest.mark.parametrize("case", CASES)
def test_each_row_reads_left_to_right_in_map_order(case: str) -> None:
    journey = journey_of(check(EXAMPLES / f"{case.removesuffix('-measured')}.journey.yaml"))
    objects, _ = _layout(case)
    x = {
        o["name"]: float(o["pos"].split(",")[0]) for o in objects if "pos" in o and "tail" not in o
    }
    length = row_length(len(list(journey.steps())))
    for stage in journey.map.stages:
        for row in stage_rows(stage, length):
            order = sorted(row, key=lambda step: x[step.id])
            assert [s.id for s in order] == [s.id for s in row], f"{case}: {stage.id}"


def test_an_edge_back_along_its_row_is_written_forwards_and_drawn_back() -> None:
    """A loop within a row (trip-booking: reads-reviews -> searches-flights) written as it is
    makes a cycle, and `dot` reordered the row around it; written forwards with `dir=back`,
    the row keeps map order."""
    dot = render(EXAMPLES / "trip-booking.journey.yaml", "dot").decode("utf-8")
    assert '"reads-reviews" -> "searches-flights"' not in dot
    assert (
        '  "searches-flights" -> "reads-reviews" [dir=back, tailport="ne", headport="nw", '
        'class="transition"]'
    ) in dot
