"""SQL text for the measure queries: identifiers and values quoted (never spliced raw), and
the generated names of the properties a `where` compares."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from journeymap.measure.plan import MapPlan

# Each survey method's scale: a score outside it is an error (checked before a run, and counted
# by the printed queries, so that exported results with such answers are refused).
SCORE_RANGES = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}


def ident(name: str) -> str:
    """A column name from the map or the configuration, quoted for SQL (never spliced raw):
    DuckDB's (and standard SQL's) double quotes, a quote inside doubled, as sqlglot writes it;
    without importing sqlglot, which only --sql and the other engines need."""
    return '"' + name.replace('"', '""') + '"'


def literal(value: str) -> str:
    """A text value in single quotes, a quote inside doubled (no backslash escapes in DuckDB)."""
    return "'" + value.replace("'", "''") + "'"


def prop(index: int) -> str:
    """The staged view's column for the index-th property (in sorted order) that a `where`
    compares. Generated names, so a property called `event`, `t` or `user_id` cannot clash
    with the view's own columns."""
    return f"p{index}"


def property_names(plans: Iterable[MapPlan]) -> list[str]:
    """Every property a `where` of these maps compares, sorted: `p0`, `p1`... in this order."""
    return sorted({name for plan in plans for name in plan.properties})


def text_forms(value: str | int | float) -> list[str]:
    """How a `where` value may be written in the data: `3` also as `3.0`."""
    if isinstance(value, bool | str):
        return [str(value)]
    if float(value).is_integer():
        return [str(int(value)), f"{int(value)}.0"]
    return [repr(float(value))]


def _n(value: str) -> str:
    return f"CAST({value} AS BIGINT)"


def row(
    part: str,
    a: str,
    b: str,
    n: str,
    x: str = "NULL",
    y: str = "NULL",
    z: str = "NULL",
    w: str = "NULL",
    segment: str = "segment",
) -> str:
    cols = [a, b, n, x, y, z, w]
    return f"SELECT '{part}' AS part, {segment} AS segment, " + ", ".join(
        f"{_n(c)} AS {name}" for c, name in zip(cols, "abnxyzw", strict=True)
    )


def bits(items: list[int]) -> str:
    """VALUES rows `(item, bit)`: the c-th item gets bit c."""
    return ", ".join(f"({item}, {1 << c})" for c, item in enumerate(items))


def segment_of(by: bool) -> str:
    return "segment" if by else "CAST(NULL AS VARCHAR)"


# sqlglot warns when a dialect cannot say NULLS LAST; no ordered column of these queries holds
# NULLs whose place matters (ids, times, step numbers; the result's row order is not read).
QUIET: dict[str, Any] = {"unsupported_level": "IGNORE"}
