"""A checked map: the `Journey` that lint rules and renderers read, and the map's id."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from journeymap.findings import Finding
from journeymap.loader import Document
from journeymap.model import SLUG_RE, Channel, JourneyMap, Library, Persona, Step
from journeymap.validation.schema import slug_hint


@dataclass
class Journey:
    """A valid map with the personas and channels of its libraries merged in."""

    document: Document
    map: JourneyMap
    id: str
    libraries: list[tuple[Document, Library]] = field(default_factory=list)

    @property
    def file(self) -> str:
        return self.document.display

    @property
    def personas(self) -> list[Persona]:
        return [*self.map.personas, *(p for _, lib in self.libraries for p in lib.personas)]

    @property
    def channels(self) -> list[Channel]:
        return [*self.map.channels, *(c for _, lib in self.libraries for c in lib.channels)]

    def steps(self) -> Iterator[Step]:
        for stage in self.map.stages:
            yield from stage.steps


def map_id(doc: Document, value: JourneyMap) -> tuple[str, Finding | None]:
    """The map's id: its `id`, else its file name up to the first dot (a finding if no slug)."""
    if value.id:
        return value.id, None
    stem = doc.path.name.split(".", 1)[0]
    if SLUG_RE.fullmatch(stem):
        return stem, None
    return stem, doc.finding(
        "",
        "schema",
        f"the file name '{doc.path.name}' does not give a valid map id; "
        f"add `id:` with a slug{slug_hint(stem)}",
    )
