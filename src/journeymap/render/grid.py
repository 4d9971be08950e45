"""The map grid's shape: its columns (one per step), its rows (the lanes a map fills in, with
the service blueprint's lines) and its bands (a long map drawn as several grids).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from journeymap.render.curve import emotion_curve
from journeymap.render.graph import channel_names
from journeymap.render.lanes import Fields, step_lanes

if TYPE_CHECKING:
    from journeymap.model import Stage, Step
    from journeymap.render.themes import Theme
    from journeymap.validation import Journey


@dataclass
class Column:
    """One column of the grid: a step, or a placeholder for a stage with no steps."""

    index: int
    stage: Stage
    step: Step | None
    persona: str = ""
    lanes: dict[str, Any] = field(default_factory=dict)
    number: int = 0  # the step's number on the page, from 1 (0 for a placeholder)
    stage_start: bool = False  # the first column of its stage: a stage boundary is drawn


@dataclass(frozen=True)
class Lane:
    """A row of the grid. `group` places it: the experience lanes, then the service-blueprint
    block, then the insight lanes. A new lane is one entry here, a value in
    `lanes.step_lanes` and (unless it is a plain list of text) a branch in the `lane` macro."""

    key: str
    label: str
    group: str
    toggle: str  # the lane toggle that shows or hides the row


# Lanes in the order they are drawn: the standard service-blueprint order (the customer's
# touchpoints and actions directly above the line of interaction).
LANES: tuple[Lane, ...] = (
    Lane("thoughts", "Thoughts", "experience", "thoughts"),
    Lane("emotion", "Emotion", "experience", "emotion"),
    Lane("touchpoint", "Touchpoint and channel", "blueprint", "touchpoint"),
    Lane("handoff", "Handoffs", "blueprint", "handoff"),
    Lane("action", "Customer action", "blueprint", "action"),
    Lane("frontstage", "Frontstage", "blueprint", "blueprint"),
    Lane("backstage", "Backstage", "blueprint", "blueprint"),
    Lane("support", "Support processes", "blueprint", "blueprint"),
    Lane("pain_points", "Pain points", "insights", "pain_points"),
    Lane("opportunities", "Opportunities", "insights", "opportunities"),
    Lane("kpis", "KPIs", "insights", "kpis"),
    Lane("feedback", "Feedback", "insights", "feedback"),
    Lane("evidence", "Evidence and links", "insights", "evidence"),
    # From `render --metrics` only: what the data says, beside what the map claims.
    Lane("measured", "Measured", "insights", "measured"),
)
BLUEPRINT = ("frontstage", "backstage", "support")
#: The line drawn above each service-blueprint lane, and what it separates.
LINES: dict[str, tuple[str, str]] = {
    "frontstage": (
        "Line of interaction",
        "the customer's actions are above, the staff they meet below",
    ),
    "backstage": (
        "Line of visibility",
        "what the customer sees is above, what happens out of sight below",
    ),
    "support": (
        "Line of internal interaction",
        "staff are above, supporting systems and partners below",
    ),
}
TOGGLE_LABELS = {"blueprint": "Service blueprint"}


def columns(journey: Journey) -> list[Column]:
    """The grid's columns in map order, each step with its lanes filled in."""
    channels = channel_names(journey)
    out: list[Column] = []
    previous: Step | None = None
    number = 0
    for stage in journey.map.stages:
        if not stage.steps:
            out.append(Column(len(out), stage, None, stage_start=True))
        for position, step in enumerate(stage.steps):
            lanes = step_lanes(step, previous, channels)
            number += 1
            out.append(
                Column(len(out), stage, step, step.persona or "", lanes, number, position == 0)
            )
            previous = step
    return out


def rows(journey_lanes: list[Lane]) -> list[dict[str, Any]]:
    """The grid's rows: each present lane, with the blueprint's three lines in their places
    (all three whenever the map has any service-blueprint lane)."""
    keys = {lane.key for lane in journey_lanes}
    blueprint = any(key in keys for key in BLUEPRINT)
    out: list[dict[str, Any]] = []
    for lane in LANES:
        if blueprint and lane.key in LINES:
            name, meaning = LINES[lane.key]
            out.append(
                Fields(
                    {
                        "kind": "line",
                        "key": f"line-{lane.key}",
                        "label": name,
                        "help": meaning,
                        "group": "blueprint",
                        "toggle": "blueprint",
                    }
                )
            )
        if lane.key in keys:
            out.append(
                Fields(
                    {
                        "kind": "curve" if lane.key == "emotion" else "lane",
                        "key": lane.key,
                        "label": lane.label,
                        "group": lane.group,
                        "toggle": lane.toggle,
                    }
                )
            )
    return out


def toggles(grid_rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The page's lane toggles, one per distinct toggle of the rows, in row order."""
    out: list[tuple[str, str]] = []
    for row in grid_rows:
        if row["kind"] != "line" and all(t != row["toggle"] for t, _ in out):
            out.append((row["toggle"], TOGGLE_LABELS.get(row["toggle"], row["label"])))
    return out


#: Steps in one band of the grid. A longer map is drawn as several grids, one below the other,
#: each of whole stages where they fit (a longer stage is cut), so every band reads at a
#: legible size on screen and each prints on its own page with its lane labels.
BAND_LIMIT = 20


def bands(cols: list[Column], limit: int = BAND_LIMIT) -> list[list[Column]]:
    """The columns cut into bands of at most `limit`, whole stages where they fit."""
    if len(cols) <= limit:
        return [cols]
    out: list[list[Column]] = []
    current: list[Column] = []
    for stage, group in itertools.groupby(cols, key=lambda c: c.stage.id):
        del stage
        stage_cols = list(group)
        for start in range(0, len(stage_cols), limit):
            chunk = stage_cols[start : start + limit]
            if current and len(current) + len(chunk) > limit:
                out.append(current)
                current = []
            current += chunk
    if current:
        out.append(current)
    return out


def band_view(
    index: int, band: list[Column], theme: Theme, personas: list[tuple[str, str]]
) -> dict[str, Any]:
    """One grid: its columns, its stages (a stage cut by the band limit is `continued` in the
    next band, and only its first part carries the stage's anchor) and its emotion curve."""
    stages: list[tuple[Stage, list[Column], bool]] = []
    for _, group in itertools.groupby(band, key=lambda c: c.stage.id):
        stage_cols = list(group)
        continued = stage_cols[0].step is not None and stage_cols[0].stage.steps[0] is not (
            stage_cols[0].step
        )
        stages.append((stage_cols[0].stage, stage_cols, continued))
    return {
        "index": index,
        "columns": band,
        "stages": stages,
        "curve": emotion_curve(band, theme, personas),
    }
