from pathlib import Path

from .kit import hits
from .measured import MAP, lint_measured, metrics


def test_a_step_added_or_renamed_after_the_metrics(tmp_path: Path) -> None:
    renamed = MAP.replace("id: carts", "id: cart")
    findings = lint_measured(tmp_path, "stale-metrics", metrics(), renamed)
    assert hits(findings) == [("stale-metrics", 13, 9, "/stages/0/steps/1")]
    assert "step 'cart' has events but no figures in the metrics" in findings[0].message
    assert lint_measured(tmp_path, "stale-metrics", metrics()) == []


def test_metrics_of_other_maps(tmp_path: Path) -> None:
    other = metrics()
    other["maps"] = {"tv-purchase": other["maps"]["shop"]}
    findings = lint_measured(tmp_path, "stale-metrics", other)
    assert hits(findings) == [("stale-metrics", 2, 5, "/id")]
    assert "the metrics have no figures for map 'shop'" in findings[0].message


def test_nothing_without_metrics_or_events(tmp_path: Path) -> None:
    assert lint_measured(tmp_path, "stale-metrics", None) == []
    no_events = "\n".join(line for line in MAP.splitlines() if "events:" not in line)
    assert (
        lint_measured(tmp_path, "stale-metrics", {"journeymap-metrics": 1, "maps": {}}, no_events)
        == []
    )
