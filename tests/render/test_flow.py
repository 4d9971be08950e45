"""The flow diagram as a reader sees it: wrapped by stage into the shape of a page, edge labels
beside their arrows (never on a box) and readable on what is behind them, and a map too big for
one PNG written as a PNG per stage, with a warning."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from helpers import run
from journeymap.render import svg as svg_module
from journeymap.render.themes import THEMES

from .kit import EXAMPLE_FILES, EXAMPLES, check, journey_of, render

SVG_NS = "{http://www.w3.org/2000/svg}"
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _luminance(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _box(element: ET.Element) -> tuple[float, float, float, float]:
    """Bounding box of the first path or polygon in `element`."""
    shape = element.find(f".//{SVG_NS}path")
    if shape is None:
        shape = element.find(f".//{SVG_NS}polygon")
    assert shape is not None
    values = [float(v) for v in NUMBER.findall(shape.get("d") or shape.get("points") or "")]
    xs, ys = values[0::2], values[1::2]
    return min(xs), min(ys), max(xs), max(ys)


def _classes(element: ET.Element) -> str:
    return (element.get("class") or "").replace("&#45;", "-")


def _svg(path: Path) -> ET.Element:
    return ET.fromstring(render(path, "svg"))


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name.split(".")[0])
def test_flow_is_at_most_three_times_as_wide_as_high(path: Path) -> None:
    root = _svg(path)
    width = float(root.get("width", "0").removesuffix("pt"))
    height = float(root.get("height", "0").removesuffix("pt"))
    assert width / height <= 3, f"{path.name}: flow is {width:.0f}×{height:.0f} pt"
    # And it does wrap: more than one row of steps (a strip would be a single row).
    nodes = [g for g in root.iter(f"{SVG_NS}g") if _classes(g).startswith("node step")]
    rows = {round(_box(g)[1]) for g in nodes}
    assert len(rows) > 1


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name.split(".")[0])
def test_edge_labels_sit_off_the_boxes_and_are_readable(path: Path) -> None:
    theme = THEMES["default"]
    root = _svg(path)
    groups = list(root.iter(f"{SVG_NS}g"))
    nodes = [_box(g) for g in groups if _classes(g).startswith("node step")]
    clusters = [
        (_box(g), g.find(f".//{SVG_NS}path").get("fill"))  # type: ignore[union-attr]
        for g in groups
        if _classes(g) == "cluster"
    ]
    labels = 0
    for edge in (g for g in groups if _classes(g).startswith("edge")):
        for text in edge.iter(f"{SVG_NS}text"):
            labels += 1
            x, y = float(text.get("x", "0")), float(text.get("y", "0"))
            size = float(text.get("font-size", "10"))
            for left, top, right, bottom in nodes:
                inside = left - 2 <= x <= right + 2 and top - 2 <= y - size / 2 <= bottom + 2
                assert not inside, f"{path.name}: label {text.text!r} sits on a step box"
            behind = theme["surface"]
            for (left, top, right, bottom), fill in clusters:
                if left <= x <= right and top <= y <= bottom and fill:
                    behind = fill
            ratio = contrast(text.get("fill", "#000000"), behind)
            assert ratio >= 4.5, f"{path.name}: label {text.text!r} contrast {ratio:.2f}"
    if "gym-membership" in path.name:
        assert labels > 0  # it has channel changes, one without a handoff


def test_a_flow_too_big_for_one_png_is_written_per_stage_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = EXAMPLES / "tv-purchase.journey.yaml"
    journey = journey_of(check(path))
    monkeypatch.setattr(svg_module, "PNG_MAX_SIDE", 1000)
    result = run("render", path, "-o", tmp_path, "-f", "png")
    assert result.code == 0, result.err
    assert "journeymap: warning: " in result.err
    assert "wrote one PNG per stage instead" in result.err
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(f"{journey.id}-{stage.id}.png" for stage in journey.map.stages)
    for name in names:
        assert (tmp_path / name).read_bytes().startswith(b"\x89PNG")


def test_a_split_png_leaves_the_other_formats_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the PNG is split: the formats asked before and after it are one file each."""
    path = EXAMPLES / "tv-purchase.journey.yaml"
    journey = journey_of(check(path))
    monkeypatch.setattr(svg_module, "PNG_MAX_SIDE", 1000)
    result = run("render", path, "-o", tmp_path, "-f", "svg,png,mermaid")
    assert result.code == 0, result.err
    stages = [f"{journey.id}-{stage.id}.png" for stage in journey.map.stages]
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted([*stages, f"{journey.id}.svg", f"{journey.id}.mmd"])
    assert (tmp_path / f"{journey.id}.svg").read_bytes().lstrip().startswith(b"<")


def test_the_portfolio_links_a_split_png_to_its_first_stage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(svg_module, "PNG_MAX_SIDE", 1000)
    maps = [EXAMPLES / "tv-purchase.journey.yaml", EXAMPLES / "gym-membership.journey.yaml"]
    assert run("render", *maps, "-o", tmp_path, "-f", "html,png").code == 0
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert '<a href="tv-purchase-awareness.png">png per stage</a>' in index
    assert (tmp_path / "tv-purchase-awareness.png").is_file()


def test_a_flow_that_fits_is_one_png_without_a_warning(tmp_path: Path) -> None:
    result = run("render", EXAMPLES / "tv-purchase.journey.yaml", "-o", tmp_path, "-f", "png")
    assert result.code == 0
    assert "warning" not in result.err
    assert [p.name for p in tmp_path.iterdir()] == ["tv-purchase.png"]
