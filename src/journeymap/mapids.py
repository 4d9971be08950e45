"""Map ids across a run: two maps of one run must not share their id.

Render writes each map under its id and measure keys its figures by it, so `validate` and
`lint` report a map whose id an earlier map of the run already has, as a `duplicate-id`
error at its `id:` (or at 1:1 when the id comes from the file name). Each file's id comes
back with its result (and from the result cache), so the check costs a dictionary. Render
and measure, which refuse such a run, say the same (`same_id_message`) at the same place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from journeymap.findings import Finding, Severity

if TYPE_CHECKING:
    from journeymap.inspection import Inspection
    from journeymap.validation import Journey

#: A map's id and the 1-based line and column where it is given.
MapId = tuple[str, int, int]


def map_id_of(checked: Inspection) -> MapId | None:
    """The id of a valid map, with where it is written; None for a library or a broken map."""
    journey = checked.journey
    if journey is None:
        return None
    return journey.id, *id_position(journey)


def id_position(journey: Journey) -> tuple[int, int]:
    """The 1-based line and column of a map's `id:` value; 1:1 when the id is the file name's."""
    if journey.map.id is None:
        return 1, 1
    return journey.document.position("/id")


def is_shared_id(finding: Finding) -> bool:
    """Whether a finding is `SameIds`' (a map whose id another map of the run has): said at the
    map's `id:` or at 1:1, where no `duplicate-id` inside one map is (those name the second
    persona, channel, stage or step). The map was checked and linted all the same."""
    return finding.rule == "duplicate-id" and finding.path in ("", "/id")


def same_id_message(name: str, other: str) -> str:
    """What is said of a map whose id `name` the map in file `other` already has."""
    return (
        f"the map id '{name}' is also the id of {other}: give one map another `id:` "
        "(render and measure need each map's id to be unique)"
    )


def id_from_json(data: object) -> MapId | None:
    """A `MapId` kept in the result cache (a list); raises TypeError on other data."""
    if data is None:
        return None
    if not isinstance(data, list) or len(data) != 3:
        raise TypeError("map id")
    name, line, column = data
    if not isinstance(name, str) or not isinstance(line, int) or not isinstance(column, int):
        raise TypeError("map id")
    return name, line, column


class SameIds:
    """The ids seen so far in a run, in report order; `check` each map as it comes."""

    def __init__(self) -> None:
        self.seen: dict[str, str] = {}

    def check(self, display: str, map_id: MapId | None) -> Finding | None:
        """A finding when an earlier map of the run has this map's id, else None."""
        if map_id is None:
            return None
        name, line, column = map_id
        other = self.seen.setdefault(name, display)
        if other == display:
            return None
        return Finding(
            display,
            line,
            column,
            "duplicate-id",
            Severity.ERROR,
            same_id_message(name, other),
            "" if (line, column) == (1, 1) else "/id",  # 1:1: the id is the file name's
        )


def clashes(ids: list[tuple[str, MapId | None]]) -> list[Finding]:
    """The run's shared ids, each on the later map by file name (as lint's report goes)."""
    same_ids = SameIds()
    found = (same_ids.check(display, map_id) for display, map_id in sorted(ids, key=_name))
    return [finding for finding in found if finding is not None]


def _name(item: tuple[str, MapId | None]) -> str:
    return item[0]
