"""The change records of a semantic diff, and how values are written in their summaries.

A `Change` is one thing that changed for the customer, located by ids; a `MapDiff` is the
changes to one map. Both are plain data: the comparison (`compare.py`) makes them, through a
`Subject` that knows what they are about, and the reporters (`format.py`) print them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import TypeAlias

from journeymap.findings import Finding
from journeymap.model import Kpi

# A value as JSON output holds it: what `json.dumps` writes.
JSONValue: TypeAlias = (
    "str | int | float | bool | Sequence[JSONValue] | Mapping[str, JSONValue] | None"
)

ADDED, REMOVED, CHANGED = "+", "-", "~"
_QUOTE_MAX = 72


class DiffError(Exception):
    """Inputs that cannot be compared (exit code 2)."""


@dataclass(frozen=True)
class Change:
    """One change, located by ids. `summary` is the changelog line without its `op`."""

    op: str  # "+" added, "-" removed or resolved, "~" changed
    kind: str  # stable name for machines: "step-added", "emotion", "pain-point-resolved"...
    element: str  # "map", "persona", "channel", "stage", "step" or "finding"
    id: str  # the element's id ("" for the map itself)
    summary: str
    stage: str | None = None
    field: str | None = None
    old: JSONValue = None
    new: JSONValue = None

    @property
    def line(self) -> str:
        return f"{self.op} {self.summary}"


@dataclass
class MapDiff:
    """The changes to one map. `status` is "added", "removed", "changed" or "invalid": a side
    is not a valid map, so it was not compared; `findings` are its format errors."""

    id: str
    title: str
    status: str
    old_file: str | None
    new_file: str | None
    changes: list[Change] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)  # the files that are not valid maps

    @property
    def header(self) -> str:
        if self.status == "invalid":
            errors = len(self.findings)
            count = f"{errors} error{'s' if errors != 1 else ''}"
            if len(self.invalid) == 1:
                return f"{self.id}: not compared: {self.invalid[0]} is not a valid map ({count})"
            files = " and ".join(self.invalid)
            return f"{self.id}: not compared: {files} are not valid maps ({count})"
        suffix = {"added": " (new map)", "removed": " (map removed)"}.get(self.status, "")
        return f"{self.id}: {self.title}{suffix}"

    @property
    def shown(self) -> bool:
        """Whether reporters list this map: it changed, or it is new or gone."""
        return bool(self.changes) or self.status != "changed"


@dataclass(frozen=True)
class Subject:
    """What changes are about: an element, how summaries name it, and its stage (if any)."""

    element: str  # "map", "persona", "channel", "stage" or "step"
    id: str
    label: str  # "step pays (Purchase)": the start of most summaries
    stage: str | None = None

    def change(
        self,
        op: str,
        kind: str,
        summary: str,
        field: str | None = None,
        old: JSONValue = None,
        new: JSONValue = None,
    ) -> Change:
        return Change(op, kind, self.element, self.id, summary, self.stage, field, old, new)

    def scalar(self, name: str, old: object, new: object) -> Iterator[Change]:
        """A field with one value: `step x (Stage): owner "a" → "b"`."""
        if plain(old) != plain(new):
            text = f"{self.label}: {name.replace('_', ' ')} {scalar(old)} → {scalar(new)}"
            yield self.change(CHANGED, name.replace("_", "-"), text, name, plain(old), plain(new))

    def renamed(self, old: str, new: str) -> Iterator[Change]:
        if old != new:
            text = f"{self.label}: renamed {quote(old)} → {quote(new)}"
            yield self.change(CHANGED, f"{self.element}-renamed", text, "name", old, new)

    def texts(self, name: str, label: str, old: list[str], new: list[str]) -> Iterator[Change]:
        """A list of plain texts (tags, thoughts...): each removed, then each added, as written."""
        removed = Counter(old) - Counter(new)
        added = Counter(new) - Counter(old)
        for text in old:
            if removed[text] > 0:
                removed[text] -= 1
                summary = f"{self.label}: {label} removed {quote(text)}"
                yield self.change(REMOVED, f"{name}-removed", summary, name, old=text)
        for text in new:
            if added[text] > 0:
                added[text] -= 1
                summary = f"{self.label}: {label} added {quote(text)}"
                yield self.change(ADDED, f"{name}-added", summary, name, new=text)

    def changed(self, name: str, old: object, new: object) -> Iterator[Change]:
        """A field shown only as changed (feedback, evidence, links...)."""
        if plain(old) != plain(new):
            yield self.change(CHANGED, name, f"{self.label}: {name} changed", name)


def quote(text: object) -> str:
    """Map text in a summary: on one line, in quotes, cut after 72 characters."""
    value = " ".join(str(text).split())
    if len(value) > _QUOTE_MAX:
        value = value[: _QUOTE_MAX - 1].rstrip() + "…"
    return f'"{value}"'


def signed(value: int | None) -> str:
    """An emotion: `+1`, `0`, `-2`, or `none`."""
    if value is None:
        return "none"
    return f"+{value}" if value > 0 else str(value)


def number(value: object) -> str:
    """A KPI figure: `3` rather than `3.0`, `none` when not given."""
    if value is None:
        return "none"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def scalar(value: object) -> str:
    """A field's value in a summary: quoted text, `yes`/`no`, an enum's value, or `none`."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, str):
        return quote(value)
    return str(getattr(value, "value", value))


def plain(value: object) -> JSONValue:
    """A JSON-ready value: models as their JSON (defaults left out), enums as their values."""
    if hasattr(value, "model_dump"):
        dumped: dict[str, JSONValue] = value.model_dump(mode="json", exclude_defaults=True)
        return dumped
    if isinstance(value, list):
        return [plain(v) for v in value]
    if hasattr(value, "value"):
        return plain(value.value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def kpi_figure(kpi: Kpi, value: object) -> str:
    """A KPI's target or actual: a `median-time`'s seconds as a duration (`2 h 11 min`), as
    `lint` and the page show them; any other as `number` writes it."""
    from journeymap.model.measures import Measure

    if kpi.measure is Measure.MEDIAN_TIME and isinstance(value, int | float):
        return kpi.figure(value)
    return number(value)


def kpi_values(kpi: Kpi) -> str:
    """` target 100, actual 80 %`: a KPI's figures after its name, or "" when it has none."""
    parts = [
        f"{name} {kpi_figure(kpi, getattr(kpi, name))}"
        for name in ("target", "actual")
        if getattr(kpi, name) is not None
    ]
    unit = f" {kpi.unit}" if kpi.unit and parts else ""
    return (" " + ", ".join(parts) + unit) if parts else ""
