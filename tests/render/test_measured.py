"""`render --metrics`: edge widths by observed users, unmapped and untaken transitions, and the
Measured lane; without metrics nothing changes (the golden files cover that)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from helpers import run

MAP = """\
journeymap: 1
id: shop
title: Shopping
stages:
  - id: buy
    name: Buy
    steps:
      - {id: views, name: Views, emotion: 1, events: [view],
         feedback: [{method: csat, survey: view_csat}]}
      - {id: carts, name: Carts, events: [cart]}
      - {id: pays, name: Pays, events: [pay]}
"""
EVENTS = """\
user,event,time
u1,view,2026-10-01T00:00:00Z
u1,cart,2026-10-01T00:01:00Z
u2,view,2026-10-01T00:00:00Z
u2,pay,2026-10-01T00:05:00Z
u3,view,2026-10-01T00:00:00Z
u3,cart,2026-10-01T00:03:00Z
"""
ANSWERS = "user,survey,score,time\nu1,view_csat,5,0\nu2,view_csat,2,0\n"


def rendered(
    tmp_path: Path,
    fmt: str,
    edited: str | None = None,
    answers: str | None = ANSWERS,
    measured: str = MAP,
) -> str:
    """The map (`measured`) measured (with `answers`, unless None), then (`edited` in its place,
    when given) rendered with the figures."""
    (tmp_path / "shop.journey.yaml").write_text(measured)
    (tmp_path / "e.csv").write_text(EVENTS)
    responses: list[str | Path] = []
    if answers is not None:
        (tmp_path / "r.csv").write_text(answers)
        responses = ["--responses", tmp_path / "r.csv"]
    metrics = tmp_path / "metrics.json"
    result = run(
        "measure",
        tmp_path / "shop.journey.yaml",
        "--events",
        tmp_path / "e.csv",
        *responses,
        "-o",
        metrics,
    )
    assert result.code == 0, result.err
    if edited is not None:
        (tmp_path / "shop.journey.yaml").write_text(edited)
    result = run(
        "render",
        tmp_path / "shop.journey.yaml",
        "-o",
        tmp_path / "out",
        "-f",
        fmt,
        "--metrics",
        metrics,
        "--isolated",
        "--today",
        "2026-10-02",
    )
    assert result.code == 0, result.err
    return (tmp_path / "out" / f"shop.{fmt}").read_text()


def test_flow_edges_by_observed_users(tmp_path: Path) -> None:
    lines = rendered(tmp_path, "dot").splitlines()
    edges = [line.strip() for line in lines if "->" in line and "style=invis" not in line]
    assert edges == [
        '"views" -> "carts" [penwidth=8.00, label="2 users", class="transition"]',
        '"carts" -> "pays" [penwidth=1.00, label="0 users", style="dashed", '
        'class="transition untaken"]',
        '"views" -> "pays" [penwidth=4.50, label="1 user, not on the map", color="#a61b1b", '
        'fontcolor="#a61b1b", style="dotted", class="transition unmapped"]',
    ]


def test_the_measured_lane(tmp_path: Path) -> None:
    html = rendered(tmp_path, "html")
    assert '<tr class="lane lane-measured" data-lane="measured">' in html
    assert "Reached by <strong>3</strong> users" in html
    assert "Conversion 67% <meter" in html
    assert "CSAT 50% 4-5 (mean 3.50, n=2) (mapped emotion +1" in html


def test_the_measured_lane_tells_no_answers_from_answers_not_measured(tmp_path: Path) -> None:
    assert "view_csat: answers not measured" in rendered(tmp_path, "html", answers=None)
    html = rendered(tmp_path, "html", answers="user,survey,score,time\n")
    assert "view_csat: no answers" in html and "not measured" not in html


def test_a_step_added_after_measuring_has_an_empty_measured_cell(tmp_path: Path) -> None:
    added = "      - {id: compares, name: Compares}\n      - {id: carts,"
    html = rendered(tmp_path, "html", MAP.replace("      - {id: carts,", added))
    row = html.split('<tr class="lane lane-measured" data-lane="measured">')[1].split("</tr>")[0]
    cells = re.findall(r'data-col="(\d+)">(.*?)</td>', row, re.DOTALL)
    assert [(col, "Reached by" in text) for col, text in cells] == [
        ("0", True),
        ("1", False),
        ("2", True),
        ("3", True),
    ]
    assert cells[1][1].strip() == ""


def test_a_file_that_is_not_metrics_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "shop.journey.yaml").write_text(MAP)
    (tmp_path / "m.json").write_text(json.dumps({"maps": {}}))
    result = run(
        "render",
        tmp_path / "shop.journey.yaml",
        "-o",
        tmp_path / "out",
        "--metrics",
        tmp_path / "m.json",
    )
    assert result.code == 2
    assert "m.json: not a metrics file" in result.err
    assert not (tmp_path / "out").exists()


def test_measured_kpis_show_the_data_s_actual_on_the_page(tmp_path: Path) -> None:
    with_kpi = MAP.replace(
        "{id: pays, name: Pays, events: [pay]}",
        "{id: pays, name: Pays, events: [pay],\n"
        "         kpis: [{name: Pay rate, measure: conversion, target: 0.9}]}",
    ).replace(
        "{id: carts, name: Carts, events: [cart]}",
        "{id: carts, name: Carts, events: [cart],\n"
        "         kpis: [{name: Cart rate, measure: conversion, target: 0.9}]}",
    )
    (tmp_path / "shop.journey.yaml").write_text(with_kpi)
    page = rendered(tmp_path, "html", edited=with_kpi)
    kpi = page[page.index("Pay rate") :][:300]
    cart = page[page.index("Cart rate") :][:300]
    assert "actual <strong>0.6667</strong> vs target 0.9" in cart, cart  # 2 of 3, as people read
    # Nobody went views -> carts -> pays (u2 paid without a cart): the funnel's conversion is 0.
    assert "actual <strong>0</strong> vs target 0.9" in kpi and "off target" in kpi, kpi


def test_a_median_time_kpi_shows_durations_on_the_page(tmp_path: Path) -> None:
    with_kpi = MAP.replace(
        "{id: carts, name: Carts, events: [cart]}",
        "{id: carts, name: Carts, events: [cart],\n"
        "         kpis: [{name: Time to cart, measure: median-time, target: 60, better: lower},\n"
        "                {name: Days to ship, target: 1, actual: 2, unit: days, better: lower}]}",
    )
    page = rendered(tmp_path, "html", measured=with_kpi)
    timed = page[page.index("Time to cart") :][:300]
    shipped = page[page.index("Days to ship") :][:300]
    # views -> carts took u1 1 min and u3 3 min: the median is 2 min.
    assert "actual <strong>2 min</strong> vs target 1 min" in timed, timed
    assert "actual <strong>2 days</strong> vs target 1 day" in shipped, shipped


def test_the_measured_lane_says_what_it_was_measured_over(tmp_path: Path) -> None:
    html = rendered(tmp_path, "html")
    head = html.split('<tr class="lane lane-measured" data-lane="measured">')[1].split("</th>")[0]
    assert '<span class="lane-note">all the data, funnel window 14 days</span>' in head


def test_a_window_is_shown_as_it_is_written() -> None:
    from journeymap.measure.use import window_text

    assert [window_text(d) for d in (14, 1, 1 / 24, 90 / 1440, 45 / 86400, 1.5)] == [
        "14 days",
        "1 day",
        "1 h",
        "90 min",
        "45 s",
        "36 h",
    ]


def test_a_median_time_is_shown_to_a_tenth_of_its_unit() -> None:
    from journeymap.render.lanes import _duration

    assert [_duration(s) for s in (45, 2190, 9000, 200000)] == [
        "45 s",
        "36.5 min",
        "2.5 h",
        "2.3 days",
    ]


def test_a_change_of_channel_keeps_its_users_and_its_mark(tmp_path: Path) -> None:
    """A change of channel was drawn with its ⇄ mark alone, at width 2: its observed users'
    label and width were overwritten (DOT takes the last of an attribute given twice)."""
    channels = (
        "channels:\n  - {id: web, name: Web, kind: digital}\n"
        "  - {id: shop, name: Shop, kind: physical}\n"
    )
    edited = (
        MAP.replace("stages:\n", channels + "stages:\n")
        .replace("events: [view],", "channel: web, events: [view],")
        .replace("{id: carts, name: Carts,", "{id: carts, name: Carts, channel: shop, handoff: H,")
        .replace("{id: pays, name: Pays,", "{id: pays, name: Pays, channel: web,")
    )
    edges = [
        line.strip()
        for line in rendered(tmp_path, "dot", edited=edited).splitlines()
        if "->" in line and "unmapped" not in line and "style=invis" not in line
    ]
    assert edges == [
        '"views" -> "carts" [penwidth=8.00, label="⇄ 2 users", fontcolor="#1f2933", '
        'class="transition channel-switch"]',
        '"carts" -> "pays" [penwidth=1.00, label="0 users · ⚠ no handoff", color="#a61b1b", '
        'fontcolor="#a61b1b", style="dashed", class="transition untaken channel-switch '
        'missing-handoff"]',
    ]
