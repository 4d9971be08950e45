"""JSON Pointers (RFC 6901): how findings name the node they are about.

`pointer(("stages", 0, "steps", 2))` is `/stages/0/steps/2`; `~` and `/` inside a key are
escaped as `~0` and `~1`. `element_at` tells which map element (step, stage, persona, channel)
a pointer falls in, for the messages and links of `diff` and the HTML page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from journeymap.model import JourneyMap


def escape(part: str | int) -> str:
    """One reference token, escaped."""
    return str(part).replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    """One reference token, as the key it names."""
    return token.replace("~1", "/").replace("~0", "~")


def pointer(parts: Iterable[str | int]) -> str:
    """The JSON Pointer for a path of keys and indexes."""
    return "".join("/" + escape(part) for part in parts)


def parse_pointer(ptr: str) -> list[str]:
    """The keys and indexes (as text) a pointer names; `""` is the whole document."""
    if not ptr:
        return []
    return [unescape(token) for token in ptr.split("/")[1:]]


@dataclass(frozen=True, slots=True)
class Element:
    """A named element of a map: `kind` is step, stage, persona or channel."""

    kind: str
    id: str
    name: str


def element_at(journey_map: JourneyMap, ptr: str) -> Element | None:
    """The innermost step, stage, persona or channel a pointer falls in; None for the map
    itself or a pointer that leads nowhere."""
    parts = parse_pointer(ptr)
    try:
        if len(parts) >= 2 and parts[0] == "stages":
            stage = journey_map.stages[_index(parts[1])]
            if len(parts) >= 4 and parts[2] == "steps":
                step = stage.steps[_index(parts[3])]
                return Element("step", step.id, step.name)
            return Element("stage", stage.id, stage.name)
        if len(parts) >= 2 and parts[0] == "personas":
            persona = journey_map.personas[_index(parts[1])]
            return Element("persona", persona.id, persona.name)
        if len(parts) >= 2 and parts[0] == "channels":
            channel = journey_map.channels[_index(parts[1])]
            return Element("channel", channel.id, channel.name)
    except (ValueError, IndexError):
        return None
    return None


def _index(token: str) -> int:
    """An array index token: digits only (no sign, as RFC 6901 says)."""
    if not token.isdigit():
        raise ValueError(token)
    return int(token)
