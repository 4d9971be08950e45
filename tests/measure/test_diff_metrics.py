"""`journeymap diff OLD.json NEW.json` on two metrics files."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import run


def metrics(reached: int, conversion: float, transitions: list[dict]) -> dict:
    step = {
        "reached": reached,
        "funnel": reached,
        "conversion": conversion,
        "drop_off": None,
        "from_previous": None,
        "median_seconds": None,
        "surveys": {"s": {"method": "nps", "count": 10, "nps": 20}},
    }
    return {
        "journeymap-metrics": 1,
        "period": {"since": None, "until": None},
        "window_days": 14,
        "maps": {
            "m": {"path": ["a"], "steps": {"a": step}, "stages": {}, "transitions": transitions}
        },
    }


def test_changes_of_measures(tmp_path: Path) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(
        json.dumps(metrics(100, 0.5, [{"from": "a", "to": "b", "users": 4, "on_map": True}]))
    )
    new.write_text(
        json.dumps(metrics(120, 0.425, [{"from": "a", "to": "c", "users": 7, "on_map": False}]))
    )
    result = run("diff", old, new, "--exit-code")
    assert result.code == 1, result.err
    assert result.out == (
        "m\n"
        "  ~ step a: reached 100 → 120 (+20)\n"
        "  ~ step a: funnel 100 → 120 (+20)\n"
        "  ~ step a: conversion 50.0% → 42.5% (-7.5 pts)\n"
        "  + transition a → c: 7 users, not on the map\n"
        "  - transition a → b: no longer taken\n"
    )
    same = run("diff", old, old, "--exit-code")
    assert same.code == 0
    assert same.out == "no changes in the measures\n"
    as_json = json.loads(run("diff", old, new, "-f", "json").out)
    assert as_json["changes"][0] == {
        "change": "~",
        "map": "m",
        "new": 120,
        "old": 100,
        "what": "step a reached",
    }


def test_a_change_of_basis_path_or_segments_is_shown(tmp_path: Path) -> None:
    old_doc = metrics(100, 0.5, [])
    new_doc = metrics(100, 0.5, [])
    new_doc["window_days"] = 1 / 24  # --window 1h
    new_doc["by"] = "device"
    new_doc["maps"]["m"]["path"] = ["a", "b"]
    segment = {"steps": {"a": dict(new_doc["maps"]["m"]["steps"]["a"], reached=60)}}
    new_doc["maps"]["m"]["segments"] = {"mobile": segment}
    old_doc["maps"]["m"]["fingerprint"] = "jm1-aaaa"
    new_doc["maps"]["m"]["fingerprint"] = "jm1-bbbb"  # a step moved to another event since
    old_doc["maps"]["m"]["segments"] = {
        "mobile": {"steps": {"a": dict(old_doc["maps"]["m"]["steps"]["a"], reached=50)}},
        "tv": {"steps": {}},
    }
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(old_doc))
    new.write_text(json.dumps(new_doc))
    result = run("diff", old, new)
    assert result.out == (
        "measured with\n"
        "  ~ window: 14 days → 1 h (measured differently: compare with care)\n"
        "  ~ --by: — → device (measured differently: compare with care)\n"
        "m\n"
        "  ~ the map changed between the two (its steps, events, surveys or median-time KPIs): "
        "a figure may have moved with it, not with the customers\n"
        "  ~ funnel path: a → a, b\n"
        "  ~ segment mobile: step a: reached 50 → 60 (+10)\n"
        "  - segment tv: gone\n"
    ), result.out


def test_a_metrics_file_against_a_map_is_a_usage_error(tmp_path: Path) -> None:
    old = tmp_path / "old.json"
    old.write_text(json.dumps(metrics(1, 1.0, [])))
    other = tmp_path / "m.journey.yaml"
    other.write_text("journeymap: 1\ntitle: M\nstages: []\n")
    result = run("diff", old, other)
    assert result.code == 2
    assert "old.json is a metrics file and " in result.err and "m.journey.yaml is not" in result.err


def test_medians_read_as_durations(tmp_path: Path) -> None:
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    before, after = metrics(10, 1.0, []), metrics(10, 1.0, [])
    before["maps"]["m"]["steps"]["a"]["median_seconds"] = 249270
    after["maps"]["m"]["steps"]["a"]["median_seconds"] = 252870.5
    old.write_text(json.dumps(before))
    new.write_text(json.dumps(after))
    result = run("diff", old, new)
    assert result.code == 0, result.err
    assert (
        "~ step a: median time 2 days 21 h 14 min 30 s → 2 days 22 h 14 min 30.5 s "
        "(+1 h 0.5 s)" in result.out
    ), result.out


def test_the_second_file_missing_broken_or_of_another_version(tmp_path: Path) -> None:
    """Named for what is wrong with it, in either order, not 'is a metrics file and ... not'."""
    good = tmp_path / "good.json"
    good.write_text(json.dumps(metrics(1, 1.0, [])))
    (tmp_path / "broken.json").write_text('{"a":')
    (tmp_path / "v99.json").write_text(
        json.dumps({**metrics(1, 1.0, []), "journeymap-metrics": 99})
    )
    said = {
        "missing.json": "missing.json: no such file",
        "broken.json": "broken.json: not JSON: ",
        "v99.json": "v99.json: a metrics file of version 99, which this journeymap does not read",
    }
    for name, says in said.items():
        for pair in ((good, tmp_path / name), (tmp_path / name, good)):
            result = run("diff", *pair)
            assert result.code == 2 and says in result.err, (pair, result.err)


def test_steps_come_in_the_journey_s_order_and_stages_are_compared(tmp_path: Path) -> None:
    """Trial: steps were listed by id ('creates-account' before 'finds-course'), and a stage's
    reach and funnel were never compared."""

    def doc(scale: int, stages: dict) -> dict:
        steps = {
            name: {"reached": n * scale, "funnel": n * scale, "surveys": {}}
            for name, n in (("finds-course", 10), ("creates-account", 6), ("pays", 3))
        }
        steps["extra"] = {"reached": scale, "surveys": {}}  # off the funnel path: after it
        path = ["finds-course", "creates-account", "pays"]
        the_map = {"path": path, "steps": steps, "stages": stages, "transitions": []}
        return {"journeymap-metrics": 1, "maps": {"m": the_map}}

    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(doc(1, {"learn": {"reached": 10, "funnel": 6}, "gone": {}})))
    new.write_text(json.dumps(doc(2, {"learn": {"reached": 20, "funnel": 6}})))
    result = run("diff", old, new)
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "m",
        "  ~ step finds-course: reached 10 → 20 (+10)",
        "  ~ step finds-course: funnel 10 → 20 (+10)",
        "  ~ step creates-account: reached 6 → 12 (+6)",
        "  ~ step creates-account: funnel 6 → 12 (+6)",
        "  ~ step pays: reached 3 → 6 (+3)",
        "  ~ step pays: funnel 3 → 6 (+3)",
        "  ~ step extra: reached 1 → 2 (+1)",
        "  - stage gone: gone",
        "  ~ stage learn: reached 10 → 20 (+10)",
    ]
