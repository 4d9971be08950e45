"""The measured TV example: its data is what the seeded generator makes, and the map measured
on it gives the findings the demo shows."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from helpers import EXAMPLES, run

DATA = EXAMPLES / "data"


def test_committed_data_is_the_generators_output(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("generate", DATA / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(tmp_path)
    for name in ("tv-events.csv", "tv-answers.csv"):
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), (
            f"{name} is stale: run python examples/data/generate.py"
        )


def test_the_measured_tv_map(tmp_path: Path) -> None:
    tv = EXAMPLES / "tv-purchase.journey.yaml"
    metrics = tmp_path / "metrics.json"
    result = run("measure", tv, "--config", DATA / "journeymap.toml", "-o", metrics)
    assert result.code == 0, result.err
    figures = json.loads(metrics.read_text())["maps"]["tv-purchase"]
    assert figures["steps"]["sees-ad"]["funnel"] == 400
    assert figures["path"][-1] == "writes-review"
    lint = run(
        "lint", tv, "--metrics", metrics, "--isolated", "--today", "2026-11-23", "--format", "json"
    )
    found = [(f["rule"], f["line"]) for f in json.loads(lint.out)["findings"]]
    assert found == [
        ("unmapped-transition", 67),
        ("unexplained-drop-off", 186),
        ("emotion-contradicts-data", 318),
    ]
    assert lint.code == 0  # warnings; fail-on is error
