"""A small map and hand-written metrics for the rules that compare a map with measured data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from journeymap.config import ConfigFinder
from journeymap.findings import Finding
from journeymap.inspection import Inspector
from journeymap.lint import lint_checked

from .kit import TODAY, write

MAP = """
journeymap: 1
id: shop
title: Shopping
stages:
  - id: buy
    name: Buy
    steps:
      - id: views
        name: Views a product
        emotion: 1
        events: [view]
        feedback: [{method: csat, survey: view_csat}]
      - id: carts
        name: Adds to cart
        emotion: -1
        events: [cart]
        feedback: [{method: csat, survey: cart_csat}]
      - id: pays
        name: Pays
        emotion: 2
        events: [pay]
        feedback: [{method: nps, survey: pay_nps}]
        kpis: [{name: Conversion, measure: conversion, target: 0.5}]
"""


def step(reached: int, funnel: int, drop: float | None, **surveys: Any) -> dict[str, Any]:
    return {"reached": reached, "funnel": funnel, "drop_off": drop, "surveys": surveys}


def metrics(**changes: Any) -> dict[str, Any]:
    figures: dict[str, Any] = {
        "path": ["views", "carts", "pays"],
        "steps": {
            "views": step(
                100, 100, None, view_csat={"method": "csat", "count": 10, "share_4_5": 0.4}
            ),
            "carts": step(50, 50, 0.5, cart_csat={"method": "csat", "count": 10, "share_4_5": 0.9}),
            "pays": step(0, 10, 0.8, pay_nps={"method": "nps", "count": 4, "nps": -25}),
        },
        "transitions": [
            {"from": "views", "to": "carts", "users": 50, "on_map": True},
            {"from": "views", "to": "pays", "users": 3, "on_map": False},
            {"from": "carts", "to": "views", "users": 20, "on_map": False},
        ],
    }
    figures.update(changes)
    return {"journeymap-metrics": 1, "maps": {"shop": figures}}


def lint_measured(
    tmp_path: Path, rule: str, data: dict[str, Any] | None, text: str = MAP
) -> list[Finding]:
    path = write(tmp_path, text)
    checked = Inspector(ConfigFinder(isolated=True)).inspect(path)
    return lint_checked(checked, select={rule}, today=TODAY, metrics=data)
