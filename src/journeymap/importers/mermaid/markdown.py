"""The Mermaid blocks of a Markdown file, each a diagram's text and where it sits in the file."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class Source:
    """One diagram's text and where it sits in the file (Markdown blocks are indented)."""

    text: str
    first_line: int  # the file line of the text's first line, 1-based
    indents: list[int] = field(default_factory=list)  # columns stripped from each line


_FENCE = re.compile(r"( {0,3})(`{3,}|~{3,})(.*)$")


def markdown_blocks(text: str) -> list[Source]:
    """The ```mermaid fenced blocks of a Markdown text (CommonMark fences; a fence inside
    another fenced block is text, not a diagram)."""
    lines = text.split("\n")
    blocks: list[Source] = []
    i = 0
    while i < len(lines):
        match = _FENCE.fullmatch(lines[i])
        if match is None or (match.group(2)[0] == "`" and "`" in match.group(3)):
            i += 1
            continue
        indent, fence = len(match.group(1)), match.group(2)
        info = match.group(3).strip().split(maxsplit=1)
        is_mermaid = bool(info) and info[0].lower().split("{", 1)[0] == "mermaid"
        close = re.compile(rf" {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*")
        body: list[str] = []
        indents: list[int] = []
        j = i + 1
        while j < len(lines) and not close.fullmatch(lines[j]):
            line = lines[j]
            strip = min(len(line) - len(line.lstrip(" ")), indent)
            body.append(line[strip:])
            indents.append(strip)
            j += 1
        if is_mermaid:
            blocks.append(Source("\n".join(body), i + 2, indents))
        i = j + 1
    return blocks
