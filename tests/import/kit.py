"""Shared by the import tests: case folders, goldens, Mermaid's own parser, map loading."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from helpers import REPO

HERE = Path(__file__).resolve().parent
MERMAID_CASES = HERE / "mermaid" / "cases"
MERMAID_EXPECTED = HERE / "mermaid" / "expected"
ORACLE = HERE / "mermaid_oracle.mjs"
MERMAID_CHUNKS = REPO / "tools" / "node_modules" / "mermaid" / "dist" / "chunks" / "mermaid.core"


def compare_golden(golden: Path, actual: str, update: bool) -> None:
    if update:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
        return
    assert golden.exists(), f"{golden.name} is missing; run pytest --update-golden"
    assert actual == golden.read_text(encoding="utf-8"), (
        f"{golden.name} differs; if the change is intended, run pytest --update-golden "
        "and review the diff"
    )


_PARSED: dict[str, dict[str, Any]] = {}


def mermaid_parse(text: str, also: list[str] | None = None) -> dict[str, Any]:
    """What Mermaid's own journey parser makes of a diagram (skips without node/Mermaid).

    One node process reads a batch: `also` names diagrams to parse in the same run, for later
    calls (starting node and loading Mermaid's bundle is most of the time).
    """
    if text in _PARSED:
        return _PARSED[text]
    node = shutil.which("node")
    if node is None or not MERMAID_CHUNKS.is_dir():
        pytest.skip("needs node and the Mermaid package in tools/ (scripts/setup installs them)")
    batch = list(dict.fromkeys([text, *(also or [])]))
    proc = subprocess.run(
        [node, str(ORACLE), str(MERMAID_CHUNKS)],
        input=json.dumps(batch),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    results = json.loads(proc.stdout)
    if isinstance(results, dict):
        pytest.skip(f"Mermaid's parser cannot be lifted from its bundle: {results['unusable']}")
    _PARSED.update(zip(batch, results, strict=True))
    return _PARSED[text]
