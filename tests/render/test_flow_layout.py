"""The flow diagram's text stays clear of its lines: no edge runs through a stage's name or
goal, and each edge label sits beside its own edge with no other edge through it.

Checked on the layout `dot` computes (its JSON output: text boxes and edge curves in points),
for every example and for the measured TV purchase, whose wide edges and labels ("⇄ 316
users", "24 users, not on the map") crowd the drawing most.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import pytest

from journeymap.render.graph import header_id, row_length, stage_rows, to_dot
from journeymap.render.svg import run_dot
from journeymap.render.themes import THEMES

from .kit import EXAMPLE_FILES, EXAMPLES, check, journey_of, render

Box = tuple[float, float, float, float]  # left, bottom, right, top
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


def _texts(ops: list[dict[str, Any]] | None) -> list[tuple[str, Box]]:
    """The text an object draws (its xdot `T` operations), each with its box."""
    size, found = 14.0, []
    for op in ops or []:
        if op["op"] == "F":
            size = op["size"]
        elif op["op"] == "T":
            (x, y), width = op["pt"], op["width"]
            left = {"l": x, "c": x - width / 2, "r": x - width}[op["align"]]
            found.append((op["text"], (left, y - 0.25 * size, left + width, y + 0.75 * size)))
    return found


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


def _inside(point: Point, box: Box) -> bool:
    return box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]


def _distance(points: list[Point], box: Box) -> float:
    return min(
        math.hypot(max(box[0] - x, 0, x - box[2]), max(box[1] - y, 0, y - box[3]))
        for x, y in points
    )


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
def test_no_edge_runs_through_a_stage_name_or_goal(case: str) -> None:
    objects, curves = _layout(case)
    stage_texts = [
        (text, box)
        for o in objects
        if str(o.get("name", "")).startswith(("cluster_", "stage:"))
        for text, box in _texts(o.get("_ldraw_"))
    ]
    assert stage_texts
    for text, box in stage_texts:
        crossing = [edge for edge, points in curves.items() if any(_inside(p, box) for p in points)]
        assert not crossing, f"{case}: {crossing} run through the stage text {text!r}"


@pytest.mark.parametrize("case", CASES)
def test_each_edge_label_is_beside_its_own_edge_and_no_other(case: str) -> None:
    objects, curves = _layout(case)
    names = {i: str(o.get("name")) for i, o in enumerate(objects) if "tail" not in o}
    labels = 0
    for edge in (o for o in objects if "tail" in o and o.get("style") != "invis"):
        own = f"{names[edge['tail']]}->{names[edge['head']]}"
        for text, box in _texts(edge.get("_ldraw_")):
            labels += 1
            near = _distance(curves[own], box)
            for other, points in curves.items():
                if other == own:
                    continue
                assert not any(_inside(p, box) for p in points), f"{other} crosses {text!r}"
                assert near <= _distance(points, box), f"{text!r} is nearer {other} than {own}"
            assert near <= 12, f"{case}: {text!r} is {near:.0f} pt from its edge {own}"
    assert labels


def test_stage_names_are_header_nodes_leading_their_first_row_not_cluster_labels() -> None:
    """The property the layout relies on: `dot` routes edges around nodes, never around a
    cluster's label, so the name is a node, in its stage's box, first in its first row."""
    path = EXAMPLES / "trip-booking.journey.yaml"
    journey = journey_of(check(path))
    dot = render(path, "dot").decode("utf-8")
    clusters = re.findall(r"^  subgraph cluster_\d+ \{\n(.*?)^  \}", dot, re.MULTILINE | re.DOTALL)
    assert len(clusters) == len(journey.map.stages)
    length = row_length(len(list(journey.steps())))
    for stage, body in zip(journey.map.stages, clusters, strict=True):
        assert not re.search(r"^    label=", body, re.MULTILINE), stage.id
        head = f'"{header_id(stage)}"'
        assert f"    {head} [label=<<B>{stage.name.split()[0]}" in body
        first = " ".join(f'"{step.id}"' for step in stage_rows(stage, length)[0])
        assert f"{{rank=same; {head} {first}}}" in body
        assert f'  {head} -> "{stage.steps[0].id}" [style=invis, weight=100]' in dot


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
    makes a cycle, and `dot` may reorder the row around it, moving the stage's header off the
    row's start; written forwards with `dir=back`, the row keeps map order."""
    dot = render(EXAMPLES / "trip-booking.journey.yaml", "dot").decode("utf-8")
    assert '"reads-reviews" -> "searches-flights"' not in dot
    assert (
        '  "searches-flights" -> "reads-reviews" [dir=back, tailport="ne", headport="nw", '
        'class="transition"]'
    ) in dot
