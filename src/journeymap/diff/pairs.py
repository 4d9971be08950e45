"""Pairing the two sides' maps by id, and comparing each pair; an invalid map is kept aside.

A map that is not valid on one side has no model to compare: it is a `MapDiff` of its own
(status "invalid", with its format errors), and the valid map at the same file name on the
other side is not shown as added or removed, since it was not compared either. The other
maps are still compared.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from journeymap.diff.changes import MapDiff
from journeymap.diff.compare import diff_journeys
from journeymap.diff.findings import finding_changes
from journeymap.findings import Finding
from journeymap.inspection import Inspection

LintFn = Callable[[Inspection], list[Finding]]


@dataclass
class Maps:
    """One side's maps: the valid ones by id (with their file names), the others by name."""

    valid: dict[str, Inspection] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # id key -> file name
    invalid: dict[str, Inspection] = field(default_factory=dict)  # file name -> inspection

    def keys_named(self, names: Iterable[str]) -> set[str]:
        wanted = set(names)
        return {key for key, name in self.names.items() if name in wanted}


def by_id(checked: Iterable[Inspection], name: Callable[[Inspection], str]) -> Maps:
    """Maps by id (libraries are compared through the maps that use them).

    A map whose id an earlier map already has is keyed by its file too, as `name` gives it:
    the same on both sides (relative to the folder, or to the repository), so that it pairs
    with its own other version rather than showing as one map removed and one added.
    """
    out = Maps()
    for item in checked:
        if item.library is not None:
            continue
        if item.journey is None:
            out.invalid[name(item)] = item
            continue
        ident = item.journey.id
        key = ident if ident not in out.valid else f"{ident} ({name(item)})"
        out.valid[key] = item
        out.names[key] = name(item)
    return out


def errors_of(checked: Inspection) -> list[Finding]:
    """Why a map is not valid: its format errors (every finding when it has none)."""
    return [f for f in checked.findings if f.is_format_error] or list(checked.findings)


def invalid_diff(old: Inspection | None, new: Inspection | None) -> MapDiff:
    """A map not compared because one side (or both) is not a valid map."""
    shown = next(s for s in (new, old) if s is not None and s.journey is None)
    files = [side.display if side is not None else None for side in (old, new)]
    diff = MapDiff(_id_of(shown), "", "invalid", files[0], files[1])
    for side in (old, new):
        if side is not None and side.journey is None:
            diff.invalid.append(side.display)
            diff.findings += errors_of(side)
    return diff


def map_diff(old: Inspection | None, new: Inspection | None, lint: LintFn | None = None) -> MapDiff:
    """The MapDiff of one map: added, removed, changed (possibly with no changes), or invalid."""
    if (old is not None and old.journey is None) or (new is not None and new.journey is None):
        return invalid_diff(old, new)
    old_j = old.journey if old is not None else None
    new_j = new.journey if new is not None else None
    if new_j is not None and new is not None:
        ident, title, file_new = new_j.id, new_j.map.title, new.display
    else:
        assert old_j is not None and old is not None
        ident, title, file_new = old_j.id, old_j.map.title, None
    status = "changed" if old_j and new_j else ("added" if new_j else "removed")
    diff = MapDiff(ident, title, status, old.display if old else None, file_new)
    if old_j is not None and new_j is not None:
        diff.changes = diff_journeys(old_j, new_j)
        if lint is not None and old is not None and new is not None:
            diff.changes += finding_changes(old_j, lint(old), new_j, lint(new))
    return diff


def pair(old: Maps, new: Maps, lint: LintFn | None = None) -> list[MapDiff]:
    """Invalid maps first (each with the other side's map of its name), then the maps matched
    by id: in the new side's order, then the removed ones."""
    out: list[MapDiff] = []
    old_aside = old.keys_named(new.invalid)
    new_aside = new.keys_named(old.invalid)
    old_by_name = {old.names[key]: old.valid[key] for key in old_aside}
    new_by_name = {new.names[key]: new.valid[key] for key in new_aside}
    for name, item in new.invalid.items():
        out.append(invalid_diff(old.invalid.get(name) or old_by_name.get(name), item))
    for name, item in old.invalid.items():
        if name not in new.invalid:
            out.append(invalid_diff(item, new_by_name.get(name)))
    olds = {key: item for key, item in old.valid.items() if key not in old_aside}
    news = {key: item for key, item in new.valid.items() if key not in new_aside}
    out += [map_diff(olds.get(key), item, lint) for key, item in news.items()]
    out += [map_diff(item, None, lint) for key, item in olds.items() if key not in news]
    return out


def _id_of(checked: Inspection) -> str:
    """The id an invalid map gives itself when it is a valid id, else the one it takes from
    its file name (which may be any text: the reporters escape it)."""
    from journeymap.model import SLUG_RE

    data = checked.document.data if checked.document is not None else None
    ident = data.get("id") if isinstance(data, dict) else None
    if isinstance(ident, str) and SLUG_RE.fullmatch(ident):
        return ident
    return checked.path.name.split(".", 1)[0]
