"""Counted words: right for one as for many (`1 format error`, never `1 format error(s)`)."""

from __future__ import annotations

from journeymap.words import noun, plural


def test_one_and_many() -> None:
    assert [plural(n, "format error") for n in (0, 1, 2)] == [
        "0 format errors",
        "1 format error",
        "2 format errors",
    ]
    assert [noun(n, "is", "are") for n in (0, 1, 2)] == ["are", "is", "are"]
