"""Seconds as people read them, for a median-time KPI and measured medians alike, and the
funnel window as people write it (no imports beyond `re`: `diff` of two metrics files uses it
without loading the model, the configuration checks `[measure] window` with it)."""

from __future__ import annotations

import re

_DURATION_UNITS = ((86400, "day"), (3600, "h"), (60, "min"))


def duration_text(seconds: float) -> str:
    """A number of seconds in the units people read, exactly: `2 h 11 min`, `1 h`,
    `2 min 30.5 s`, `3 days 4 h` (every unit it needs, so that two that differ read apart)."""
    # To the microsecond first, so that 59.9999996 s is `1 min`, not `60 s`.
    sign, rest = ("-" if seconds < 0 else ""), round(abs(seconds), 6)
    parts = []
    for size, unit in _DURATION_UNITS:
        count = int(rest // size)
        if count:
            parts.append(f"{count} {unit}{'s' if unit == 'day' and count != 1 else ''}")
            rest -= count * size
    if rest or not parts:
        parts.append(f"{f'{rest:.6f}'.rstrip('0').rstrip('.')} s")  # never `1e-06 s`
    return sign + " ".join(parts)


_WINDOW = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([dhms])\s*$")
_WINDOW_UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
# A unit written out: `14 days`, `2 weeks`, `12 hrs` -> the number of the letter it means.
_SPELT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]+)\s*$")
_SPELT_UNITS = {
    **dict.fromkeys(("day", "days"), ("d", 1)),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), ("d", 7)),
    **dict.fromkeys(("hr", "hrs", "hour", "hours"), ("h", 1)),
    **dict.fromkeys(("min", "mins", "minute", "minutes"), ("m", 1)),
    **dict.fromkeys(("sec", "secs", "second", "seconds"), ("s", 1)),
}
MAX_WINDOW_DAYS = 36_500  # a century: longer is no window, and the SQL's numbers stay in 64 bits


def window_seconds(text: str) -> float:
    """`14d`, `12h`, `30m`, `45s` -> seconds; ValueError saying what is wrong with the text."""
    match = _WINDOW.match(text)
    if not match:
        raise ValueError(f"expected a duration such as 14d, 12h, 30m or 45s{_window_hint(text)}")
    seconds = float(match.group(1)) * _WINDOW_UNITS[match.group(2)]
    if seconds <= 0:
        raise ValueError("the window must be longer than 0")
    if seconds > MAX_WINDOW_DAYS * 86400:
        raise ValueError(f"at most {MAX_WINDOW_DAYS:,} days")
    return seconds


def _window_hint(text: str) -> str:
    """` (did you mean '14d'?)` for a unit written out (`14 days`), else nothing."""
    match = _SPELT.match(text)
    if match is None or match.group(2).lower() not in _SPELT_UNITS:
        return ""
    letter, times = _SPELT_UNITS[match.group(2).lower()]
    number = float(match.group(1)) * times
    return f" (did you mean '{number:g}{letter}'?)"
