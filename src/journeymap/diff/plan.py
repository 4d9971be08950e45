"""Which maps a diff checks: the files that changed, and the unchanged maps a change reaches.

A file with the same content on both sides (git's blob ids, or equal bytes in two folders)
gives the same map on both, so it is neither checked nor compared, unless a change reaches it:

- a library it may use changed (its `Journey` would differ);
- a map was added, removed or given another id, and this one may share that id: maps are
  paired by id, and a second map with an id is keyed by its file too, so which maps share
  an id decides the pairs (`sources.by_id`).

Each side checks what is left in its own order, so the output is the same as when every
map is checked; only unchanged maps that were invalid on both sides are no longer reported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from journeymap.inspection import Inspection

Check = Callable[[str], Inspection | None]  # None: passed over (not a map)


@dataclass(frozen=True)
class Side:
    """One side's files by the name both sides give them, in the order they are checked."""

    names: list[str]
    check: Check


@dataclass(frozen=True)
class Reach:
    """How to find the unchanged maps (by name) that a change may reach."""

    # Given what was checked on each side: maps that may use a library that changed.
    library_users: Callable[[dict[str, Inspection], dict[str, Inspection]], set[str]]
    # Maps whose text holds one of these ids (maps named after an id are found by name).
    mentioning: Callable[[set[str]], set[str]]


def check_changed(
    old: Side, new: Side, unchanged: set[str], reach: Reach
) -> tuple[list[Inspection], list[Inspection]]:
    """The checked maps of each side, in its order: what changed and what a change reaches."""
    old_checked = _check(old, (n for n in old.names if n not in unchanged))
    new_checked = _check(new, (n for n in new.names if n not in unchanged))
    extra = reach.library_users(old_checked, new_checked)
    ids = _ids_that_moved(old_checked, new_checked)
    if ids:
        extra |= reach.mentioning(ids)
        extra |= {name for name in unchanged if _stem(name) in ids}
    extra &= unchanged
    old_checked.update(_check(old, (n for n in old.names if n in extra)))
    new_checked.update(_check(new, (n for n in new.names if n in extra)))
    return (
        [old_checked[n] for n in old.names if n in old_checked],
        [new_checked[n] for n in new.names if n in new_checked],
    )


def _check(side: Side, names: Iterable[str]) -> dict[str, Inspection]:
    out = {}
    for name in names:
        checked = side.check(name)
        if checked is not None:
            out[name] = checked
    return out


def _ids_that_moved(old: dict[str, Inspection], new: dict[str, Inspection]) -> set[str]:
    """Ids of maps on one side only, or under another id at the same name."""

    def ids(checked: dict[str, Inspection]) -> set[tuple[str, str]]:
        return {(name, c.journey.id) for name, c in checked.items() if c.journey is not None}

    return {ident for _, ident in ids(old) ^ ids(new)}


def _stem(name: str) -> str:
    """The id a map takes from its file name: the name up to its first dot."""
    return name.rsplit("/", 1)[-1].split(".", 1)[0]


def is_map_on_both(name: str, old: dict[str, Inspection], new: dict[str, Inspection]) -> bool:
    """Whether `name` was checked as a valid map on both sides (so it is no one's library)."""
    before, after = old.get(name), new.get(name)
    return (
        before is not None
        and after is not None
        and before.journey is not None
        and after.journey is not None
    )
