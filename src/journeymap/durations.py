"""Seconds as people read them, for a median-time KPI and measured medians alike (no imports:
`diff` of two metrics files uses it without loading the model)."""

from __future__ import annotations

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
