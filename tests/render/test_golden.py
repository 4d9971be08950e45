"""Golden files of the examples: HTML (without Graphviz's coordinates), DOT and Mermaid.

Compared byte for byte; rewrite them with `pytest --update-golden` (or
JOURNEYMAP_UPDATE_GOLDEN=1) after a deliberate change, and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .kit import DATA, EXAMPLE_FILES, GOLDEN, check, journey_of, render, without_flow_svg

CASES = [
    (path, fmt, ext)
    for path in [*EXAMPLE_FILES, DATA / "hostile.journey.yaml"]
    for fmt, ext in (("html", "html"), ("dot", "dot"), ("mermaid", "mmd"))
]


@pytest.mark.parametrize(
    ("path", "fmt", "ext"), CASES, ids=[f"{p.name.split('.')[0]}-{f}" for p, f, _ in CASES]
)
def test_golden(path: Path, fmt: str, ext: str, update_golden: bool) -> None:
    data = render(path, fmt).decode("utf-8")
    if fmt == "html":
        data = without_flow_svg(data)
    golden = GOLDEN / f"{journey_of(check(path)).id}.{ext}"
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(data.encode("utf-8"))
        return
    assert golden.exists(), f"{golden.name} is missing; run pytest --update-golden"
    expected = golden.read_bytes().decode("utf-8")
    assert data == expected, (
        f"{golden.name} differs from the render; if the change is intended, "
        "run pytest --update-golden and review the diff"
    )
