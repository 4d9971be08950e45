import json
from pathlib import Path

from helpers import run

from .kit import hits
from .measured import MAP, lint_measured, metrics


def test_a_step_added_or_renamed_after_the_metrics(tmp_path: Path) -> None:
    renamed = MAP.replace("id: carts", "id: cart")
    findings = lint_measured(tmp_path, "stale-metrics", metrics(), renamed)
    assert hits(findings) == [("stale-metrics", 2, 5, "/id")]
    assert "the metrics have no figures for step 'cart' (added or renamed after" in (
        findings[0].message
    )
    assert "the rules that compare the map with the data skip it" in findings[0].message
    assert lint_measured(tmp_path, "stale-metrics", metrics()) == []
    # The data rules do not judge the renamed map on the old figures.
    assert lint_measured(tmp_path, "unexplained-drop-off", metrics(), renamed) == []
    assert lint_measured(tmp_path, "unexplained-drop-off", metrics()) != []


def test_metrics_of_other_maps(tmp_path: Path) -> None:
    other = metrics()
    other["maps"] = {"tv-purchase": other["maps"]["shop"]}
    findings = lint_measured(tmp_path, "stale-metrics", other)
    assert hits(findings) == [("stale-metrics", 2, 5, "/id")]
    assert "the metrics have no figures for map 'shop'" in findings[0].message


def test_nothing_without_metrics_or_events(tmp_path: Path) -> None:
    assert lint_measured(tmp_path, "stale-metrics", None) == []
    no_events = "\n".join(line for line in MAP.splitlines() if "events:" not in line)
    empty = {"journeymap-metrics": 1, "maps": {}}
    assert lint_measured(tmp_path, "stale-metrics", empty, no_events) == []


def test_a_step_that_listens_to_another_event_now(tmp_path: Path) -> None:
    """The fingerprint metrics.json keeps: same step ids, another event."""
    (tmp_path / "shop.journey.yaml").write_text(MAP)
    (tmp_path / "e.csv").write_text("user,event,time\nu1,view,0\nu1,cart,60\nu1,pay,90\n")
    out = tmp_path / "metrics.json"
    shop = tmp_path / "shop.journey.yaml"
    assert run("measure", shop, "--events", tmp_path / "e.csv", "-o", out).code == 0
    assert json.loads(out.read_text())["maps"]["shop"]["fingerprint"].startswith("jm1-")
    args = ("--metrics", out, "--select", "stale-metrics", "--isolated", "--no-cache")
    assert "stale-metrics" not in run("lint", shop, *args).out
    shop.write_text(MAP.replace("events: [pay]", "events: [order_completed]"))
    result = run("lint", shop, *args)
    assert "the map's steps, events, surveys or median-time KPIs changed after the metrics" in (
        result.out
    )
