"""Shared helpers of the render tests: the examples, rendering one map in memory."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from journeymap.config import ConfigFinder
from journeymap.inspection import Inspection, Inspector
from journeymap.render import RenderContext, render_journey
from journeymap.validation import Journey

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
DATA = Path(__file__).resolve().parent / "data"
GOLDEN = Path(__file__).resolve().parent / "golden"
BUILD = REPO / "build"
#: A fixed "today" so the health panel's stale-map check never changes the goldens.
TODAY = dt.date(2026, 11, 23)
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.journey.yaml"))
_FLOW_SVG = re.compile(r'<svg role="img" aria-label="Flow diagram.*?</svg>', re.DOTALL)


def check(path: Path) -> Inspection:
    return Inspector(ConfigFinder(None, False)).inspect(path)


def journey_of(checked: Inspection) -> Journey:
    assert checked.journey is not None, [f.message for f in checked.findings]
    return checked.journey


def render(path: Path, fmt: str) -> bytes:
    checked = check(path)
    context = RenderContext(checked=checked, today=TODAY)
    return render_journey(journey_of(checked), fmt, context)


def without_flow_svg(html: str) -> str:
    """The page with Graphviz's drawing replaced by a marker: its coordinates depend on the
    Graphviz version, and the DOT golden already pins what is drawn."""
    return _FLOW_SVG.sub("<!-- flow diagram drawn by Graphviz -->", html)
