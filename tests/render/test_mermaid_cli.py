"""Every example's Mermaid text, and the hostile map's, is accepted by the real Mermaid CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from browser import mermaid_cli

from .kit import DATA, EXAMPLE_FILES, render

pytestmark = pytest.mark.browser
CASES = [*EXAMPLE_FILES, DATA / "hostile.journey.yaml"]


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name.split(".")[0])
def test_mermaid_cli_accepts_the_map(path: Path, tmp_path: Path) -> None:
    text = render(path, "mermaid").decode("utf-8")
    result = mermaid_cli().render(text, tmp_path / "out.svg")
    assert result.returncode == 0, result.stderr
    svg = (tmp_path / "out.svg").read_text(encoding="utf-8")
    assert 'aria-roledescription="journey"' in svg
    if "hostile" in path.name:
        assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in svg  # shown literally
        assert "<script" not in svg
