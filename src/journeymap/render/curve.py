"""The emotion curve of one band of the grid: a point per step with an emotion, one line per
persona, the five levels and the stage boundaries, as geometry for the template's SVG.

x is a percentage of the row's width (so the curve follows the columns at any width, in
print too); y is in pixels, from +2 at the top to -2 at the bottom.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

from journeymap.render.themes import EMOTION_LABELS, Theme, emotion_colour, emotion_text

if TYPE_CHECKING:
    from journeymap.render.grid import Column

CURVE_HEIGHT = 170
CURVE_TOP = 28
CURVE_STEP = 28  # pixels between two emotion levels
#: Line styles of the emotion curve, one per persona: colour and dash (legible in greyscale).
SERIES_STYLES = ("solid", "dashed", "dotted", "dashdot")


def _y(value: int) -> int:
    """The height of an emotion level, in pixels from the top of the curve's row."""
    return CURVE_TOP + (2 - value) * CURVE_STEP


def _x(index: int | float, count: int) -> str:
    """The position of column `index` (of `count`), as a percentage of the row's width."""
    return f"{index * 100 / count:.4f}%"


def _points(cols: list[Column], theme: Theme, count: int) -> list[dict[str, Any]]:
    """A point in the middle of each step's column that has an emotion."""
    points = []
    for position, col in enumerate(cols):
        step = col.step
        if step is None or step.emotion is None:
            continue
        points.append(
            {
                "step": step.id,
                "name": step.name,
                "emotion": step.emotion,
                "label": f"{step.emotion:+d}" if step.emotion else "0",
                "text": emotion_text(step.emotion),
                "x": _x(position + 0.5, count),
                "y": _y(step.emotion),
                "colour": emotion_colour(theme, step.emotion),
                "column": col.index,
                "persona": col.persona,
            }
        )
    return points


def _series(
    points: list[dict[str, Any]], theme: Theme, personas: list[tuple[str, str]]
) -> list[dict[str, Any]]:
    """The lines through the points: one per persona with points when there are two or
    more such personas (a point without a persona is on every line), else one line."""
    used = [(pid, name) for pid, name in personas if any(p["persona"] == pid for p in points)]
    lines: list[tuple[str, str | None]] = [(pid, name) for pid, name in used]
    if len(lines) < 2:
        lines = [("", None)]
    series = []
    for index, (pid, name) in enumerate(lines):
        mine = [p for p in points if not pid or p["persona"] in ("", pid)]
        series.append(
            {
                "persona": pid,
                "name": name,
                "style": SERIES_STYLES[index % len(SERIES_STYLES)],
                "colour": theme[f"series_{index % len(SERIES_STYLES)}"]
                if pid
                else theme["emotion_line"],
                "points": " ".join(f"{p['column']}:{p['y']}" for p in mine),
                "segments": [
                    {"x1": a["x"], "y1": a["y"], "x2": b["x"], "y2": b["y"]}
                    for a, b in itertools.pairwise(mine)
                ],
            }
        )
    return series


def emotion_curve(
    cols: list[Column], theme: Theme, personas: list[tuple[str, str]] | None = None
) -> dict[str, Any]:
    """Geometry of the emotion curve over `cols`. With steps of several personas there is
    one line per persona (`personas`, in map order); a step without a persona belongs to
    every line."""
    count = len(cols) or 1
    points = _points(cols, theme, count)
    levels = [{"value": v, "y": _y(v), "label": EMOTION_LABELS[v]} for v in (2, 1, 0, -1, -2)]
    boundaries = [
        {"x": _x(position, count), "stage": col.stage.id}
        for position, col in enumerate(cols)
        if col.stage_start and position
    ]
    return {
        "points": points,
        "series": _series(points, theme, personas or []),
        "levels": levels,
        "height": CURVE_HEIGHT,
        "negative": {"y": _y(0), "height": CURVE_HEIGHT - _y(0)},
        "boundaries": boundaries,
    }
