"""Counted words in messages, right for one as for many: `1 format error`, `2 format errors`.

Every message that puts a number before a noun builds it here, so that none says "1 files" or
hedges with "file(s)".
"""

from __future__ import annotations


def noun(count: int, word: str, many: str | None = None) -> str:
    """`word` as `count` takes it: `error` for 1, else `errors` (or `many`, when the plural is
    not the word and an s)."""
    if count == 1:
        return word
    return many if many is not None else f"{word}s"


def plural(count: int, word: str, many: str | None = None) -> str:
    """The count and its word: `1 map`, `0 maps`, `3 maps`."""
    return f"{count} {noun(count, word, many)}"
