"""`lint --metrics`: measured KPIs get their actuals from metrics.json, so kpi-off-target fires on
real numbers; a bad metrics file is a usage error."""

from __future__ import annotations

from pathlib import Path

from helpers import run

MAP = """\
journeymap: 1
id: shop
title: Shopping
updated: 2026-11-01
stages:
  - id: buy
    name: Buy
    kpis:
      - {name: Stage reach, measure: reach, target: 3}
    steps:
      - id: views
        name: Views
        events: [view]
      - id: pays
        name: Pays
        events: [pay]
        kpis:
          - {name: Conversion, measure: conversion, target: 0.75}
          - {name: Time to pay, measure: median-time, target: 100, better: lower}
"""


def test_measured_kpis_are_checked_on_the_data(tmp_path: Path) -> None:
    (tmp_path / "shop.journey.yaml").write_text(MAP)
    (tmp_path / "e.csv").write_text(
        "user,event,time\nu1,view,0\nu1,pay,60\nu2,view,0\nu2,pay,240\nu3,view,0\nu4,view,0\n"
    )
    metrics = tmp_path / "metrics.json"
    assert (
        run(
            "measure", tmp_path / "shop.journey.yaml", "--events", tmp_path / "e.csv", "-o", metrics
        ).code
        == 0
    )
    result = run(
        "lint",
        tmp_path / "shop.journey.yaml",
        "--metrics",
        metrics,
        "--isolated",
        "--select",
        "kpi-off-target",
        "--today",
        "2026-11-02",
        "--no-cache",
    )
    messages = [line for line in result.out.splitlines() if "kpi-off-target" in line]
    assert len(messages) == 3, result.out
    # The stage's reach is that of its last step on the path, pays: 2 users.
    assert (
        "KPI 'Stage reach' of stage 'buy' is off target: 2 is below the target of 3"
        in (messages[0])
    )
    assert (
        "KPI 'Conversion' of step 'pays' is off target: 0.5 is below the target of 0.75"
        in (messages[1])
    )
    # The median of 60 s and 240 s, in minutes and seconds (a median time is in seconds).
    assert (
        "KPI 'Time to pay' of step 'pays' is off target: 2 min 30 s is above the target of "
        "1 min 40 s (lower is better)"
    ) in messages[2]
    # Without the metrics, the measured KPIs have no actual: nothing to compare.
    plain = run(
        "lint",
        tmp_path / "shop.journey.yaml",
        "--isolated",
        "--select",
        "kpi-off-target",
        "--no-cache",
    )
    assert "kpi-off-target" not in plain.out


def test_a_missing_metrics_file_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "shop.journey.yaml").write_text(MAP)
    result = run("lint", tmp_path / "shop.journey.yaml", "--metrics", tmp_path / "none.json")
    assert result.code == 2
    assert "none.json" in result.err


def test_a_configured_metrics_file_not_there_yet_is_said(tmp_path: Path) -> None:
    """A fresh clone, before `journeymap measure` wrote the configuration's metrics file: lint
    and render work, and say on stderr that they had no measured figures."""
    (tmp_path / "shop.journey.yaml").write_text(MAP)
    (tmp_path / "journeymap.toml").write_text('[measure]\nmetrics = "build/metrics.json"\n')
    lint = run("lint", "shop.journey.yaml", "--today", "2026-11-02", "--no-cache", cwd=tmp_path)
    said = (
        "note: build/metrics.json (the configuration's [measure] metrics) does not exist: no "
        "measured figures in this run; `journeymap measure MAPS -o build/metrics.json` writes it"
    )
    assert lint.code == 0, lint.err
    assert lint.err.strip() == said
    render = run("render", "shop.journey.yaml", "-o", "out", "-f", "html", cwd=tmp_path)
    assert render.code == 0, render.err
    assert said in render.err.splitlines()


def test_a_configured_metrics_path_that_is_a_folder_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "shop.journey.yaml").write_text(MAP)
    (tmp_path / "journeymap.toml").write_text('[measure]\nmetrics = "build"\n')
    (tmp_path / "build").mkdir()
    result = run("lint", "shop.journey.yaml", "--no-cache", cwd=tmp_path)
    assert result.code == 2
    assert result.err == "journeymap: error: build: named by [measure] metrics, and not a file\n"
