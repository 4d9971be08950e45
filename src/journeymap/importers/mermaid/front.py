"""A diagram's front matter, found as Mermaid's pattern finds it, in time linear in the text.

Mermaid's pattern, with the indent of a Markdown block, is
`([^\\S\\n]*)-{3}\\s*\\n(.*?)\\n\\1-{3}\\s*\\n+` (dot matches newlines). Run by a backtracking
engine it tries every newline of the blank lines after the opening `---` as the start of the
body, and from each scans the whole text for a closing fence: `---` and 20,000 newlines with
no closing fence took 5 s. Here the closing fence is looked for once, line by line, and the
pattern's choices are reproduced: the body starts after the last of those blank lines, unless
that newline is the closing fence's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_INDENT = re.compile(r"[^\S\n]*")
_SPACE = re.compile(r"\s*")


@dataclass(frozen=True)
class FrontMatter:
    indent: str
    body: str
    body_start: int
    end: int  # after the newlines that end the closing fence


def front_matter(text: str) -> FrontMatter | None:
    """The front matter at the start of `text`, as Mermaid's pattern matches it, or None."""
    indent = text[: _end(_INDENT, text, 0)]
    after = len(indent) + 3
    if not text.startswith("---", len(indent)):
        return None
    blank_end = _end(_SPACE, text, after)
    first, last = text.find("\n", after, blank_end), text.rfind("\n", after, blank_end)
    if first < 0:
        return None
    fence = "\n" + indent + "---"
    closing = _closing(text, fence, first + 1)
    if closing is None:
        return None
    start = last + 1
    if closing[0] < start:  # only the last blank line's newline can start the closing fence
        later = _closing(text, fence, start)
        if later is not None:
            closing = later
        else:
            start = text.rfind("\n", after, last) + 1
    return FrontMatter(indent, text[start : closing[0]], start, closing[1])


def _closing(text: str, fence: str, pos: int) -> tuple[int, int] | None:
    """The first closing fence from `pos`: where its newline is, and where its match ends.

    A `---` whose white space runs on to something other than a newline does not close; the
    next candidate then starts after that white space, so no character is looked at twice.
    """
    while True:
        at = text.find(fence, pos)
        if at < 0:
            return None
        after = at + len(fence)
        newline = text.rfind("\n", after, _end(_SPACE, text, after))
        if newline >= 0:
            return at, newline + 1
        pos = at + 1


def _end(pattern: re.Pattern[str], text: str, pos: int) -> int:
    """Where a run of `pattern` (which may match nothing) from `pos` ends."""
    match = pattern.match(text, pos)
    return match.end() if match else pos
