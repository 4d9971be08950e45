"""The shape of metrics.json, checked before `lint` and `render` read figures from it: a file
from a pull request with a string where a count belongs must stop with a message naming the
place, not fail inside a rule or a lane.

Keys may be missing (readers take a missing figure as unknown); what is present must have the
type `journeymap measure` writes. Unknown keys are left alone (a newer journeymap may add some).
"""

from __future__ import annotations

import math
from typing import Any

_NUMBER = "number"  # an int or a finite float, or null
_COUNT = "count"  # a whole number >= 0, or null
_TEXT = "text"  # a string, or null
_FLAG = "flag"  # true or false
_NAME = "name"  # a string (a transition's steps: readers index by them)

_SURVEY: dict[str, Any] = {
    "method": _TEXT,
    "count": _COUNT,
    "mean": _NUMBER,
    "share_4_5": _NUMBER,
    "nps": _NUMBER,
}
_STEP: dict[str, Any] = {
    "reached": _COUNT,
    "left": _COUNT,
    "funnel": _COUNT,
    "conversion": _NUMBER,
    "from_previous": _NUMBER,
    "drop_off": _NUMBER,
    "median_seconds": _NUMBER,
    "median_seconds_from": {"*": _NUMBER},
    "surveys": {"*": _SURVEY},
}
_FIGURES: dict[str, Any] = {
    "steps": {"*": _STEP},
    "stages": {"*": {"reached": _COUNT, "funnel": _COUNT}},
    "transitions": [
        {"!": ("from", "to"), "from": _NAME, "to": _NAME, "users": _COUNT, "on_map": _FLAG}
    ],
    "path": [_NAME],
}
_MAP: dict[str, Any] = {**_FIGURES, "segments": {"*": _FIGURES}, "fingerprint": _TEXT}
DOCUMENT: dict[str, Any] = {
    "period": {"since": _TEXT, "until": _TEXT},
    "window_days": _NUMBER,
    "by": _TEXT,
    "maps": {"*": _MAP},
}


def shape_problem(data: dict[str, Any]) -> str | None:
    """What first differs from the shape `journeymap measure` writes (None: nothing)."""
    if not isinstance(data.get("maps"), dict):
        return "`maps` must be an object"
    return _problem(data, DOCUMENT, "")


def _problem(value: Any, shape: Any, where: str) -> str | None:
    if isinstance(shape, str):
        return None if _fits(value, shape) else f"`{where}` must be a {_NAMES[shape]}"
    if isinstance(shape, list):
        if not isinstance(value, list):
            return f"`{where}` must be a list"
        for k, item in enumerate(value):
            found = _problem(item, shape[0], f"{where}[{k}]")
            if found:
                return found
        return None
    if not isinstance(value, dict):
        return f"`{where}` must be an object"
    for key in shape.get("!", ()):
        if key not in value:
            return f"`{where}` has no `{key}`"
    for key, item in value.items():
        inner = shape.get("*", shape.get(key)) if key != "!" else None
        if inner is not None:
            found = _problem(item, inner, f"{where}.{key}" if where else str(key))
            if found:
                return found
    return None


_NAMES = {
    _NUMBER: "number or null",
    _COUNT: "whole number or null",
    _TEXT: "string or null",
    _FLAG: "true or false",
    _NAME: "string",
}


def _fits(value: Any, kind: str) -> bool:
    if kind == _FLAG:
        return isinstance(value, bool)
    if kind == _NAME:
        return isinstance(value, str)
    if value is None:
        return True
    if kind == _TEXT:
        return isinstance(value, str)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if kind == _COUNT:
        return isinstance(value, int) and value >= 0
    return math.isfinite(value)
