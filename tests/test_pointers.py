"""JSON Pointers: escaping round-trips, and the element a pointer falls in."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from journeymap.model import JourneyMap
from journeymap.pointers import Element, element_at, parse_pointer, pointer

MAP = JourneyMap.model_validate(
    {
        "journeymap": 1,
        "title": "T",
        "personas": [{"id": "sam", "name": "Sam"}],
        "channels": [{"id": "web", "name": "Web"}],
        "stages": [{"id": "s", "name": "S", "steps": [{"id": "a", "name": "A"}]}],
    }
)


@given(st.lists(st.text(max_size=8) | st.integers(min_value=0, max_value=99), max_size=5))
def test_pointer_round_trips(parts: list[str | int]) -> None:
    assert parse_pointer(pointer(parts)) == [str(part) for part in parts]


def test_escaping_follows_rfc_6901() -> None:
    assert pointer(["a/b", "m~n", 0]) == "/a~1b/m~0n/0"
    assert parse_pointer("/~01") == ["~1"]  # not "/": ~1 is unescaped first, then ~0
    assert parse_pointer("") == []


def test_element_at() -> None:
    found = [element_at(MAP, p) for p in ("/stages/0/steps/0/emotion", "/stages/0/kpis/0")]
    assert [(e.kind, e.id) for e in found if e] == [("step", "a"), ("stage", "s")]
    assert element_at(MAP, "/personas/0/goals") == Element("persona", "sam", "Sam")
    assert element_at(MAP, "/channels/0") == Element("channel", "web", "Web")
    # The map itself, indexes that do not exist, and ones RFC 6901 does not allow.
    for ptr in ("", "/title", "/stages/1", "/stages/0/steps/9", "/stages/-1", "/stages/x"):
        assert element_at(MAP, ptr) is None, ptr
