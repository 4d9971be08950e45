"""Making map text safe for each target: Graphviz DOT strings and HTML-like labels.

(HTML escaping is Jinja's autoescape; Mermaid has its own in `mermaid.py`.)
"""

from __future__ import annotations

import re
import textwrap

# C0/C1 control characters (but tab and newline) and the XML non-characters: Graphviz's
# HTML-like label parser is an XML parser and rejects them.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")


def clean(text: str) -> str:
    """Drop control characters; tabs become spaces."""
    return _CONTROL.sub("", text).replace("\t", " ")


def one_line(text: str) -> str:
    """Collapse all whitespace (newlines included) to single spaces."""
    return " ".join(clean(text).split())


def wrap(text: str, width: int, max_lines: int = 0) -> list[str]:
    """Wrap to `width` columns (breaking long words), optionally cut to `max_lines` with `…`."""
    lines = textwrap.wrap(one_line(text), width=width, break_long_words=True) or [""]
    if max_lines and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(0, width - 1)].rstrip() + "…"
    return lines


def dot_string(text: str) -> str:
    """A DOT double-quoted string. Backslashes are doubled so Graphviz's escString
    sequences (`\\N`, `\\G`, `\\l`...) in map text stay literal."""
    body = one_line(text).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{body}"'


def html_label_text(text: str) -> str:
    """Text for inside a Graphviz HTML-like label (an XML fragment).

    Never empty: Graphviz rejects an empty element (`<B></B>`) as a syntax error, and a name
    may be nothing but control characters, which `clean` drops.
    """
    cleaned = clean(text)
    if not cleaned:
        return "&#160;"
    return (
        cleaned.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def html_label_lines(lines: list[str]) -> str:
    return "<BR/>".join(html_label_text(line) for line in lines)
