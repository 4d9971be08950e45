"""The worked example of docs/measure.md: its map and log, run, give the numbers it states."""

from __future__ import annotations

import json
import re
from pathlib import Path

from helpers import REPO, run


def test_the_worked_example(tmp_path: Path) -> None:
    text = (REPO / "docs" / "measure.md").read_text("utf-8")
    example = text[text.index("## A worked example") :]
    blocks = re.findall(r"```(\w*)\n(.*?)```", example, flags=re.S)
    map_text = next(body for lang, body in blocks if lang == "yaml")
    events = next(body for lang, body in blocks if lang == "" and body.startswith("user,"))
    stated = next(body for lang, body in blocks if lang == "json")
    (tmp_path / "checkout.journey.yaml").write_text(map_text)
    (tmp_path / "events.csv").write_text(events)
    (tmp_path / "answers.csv").write_text(
        "user,survey,score,time\nann,cart_csat,5,2026-10-01T09:04:00Z\n"
        "cat,cart_csat,4,2026-10-02T08:10:00Z\ndan,cart_csat,2,2026-10-03T12:02:00Z\n"
    )
    result = run(
        "measure",
        tmp_path / "checkout.journey.yaml",
        "--events",
        tmp_path / "events.csv",
        "--responses",
        tmp_path / "answers.csv",
    )
    assert result.code == 0, result.err
    steps = json.loads(result.out)["maps"]["checkout"]["steps"]
    assert json.loads("{" + stated + "}") == steps
