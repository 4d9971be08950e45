"""Fitting map text into Graphviz labels: cleaning, collapsing and wrapping.

(Escaping for DOT strings and HTML-like labels is in `journeymap.escape`.)
"""

from __future__ import annotations

import textwrap

from journeymap.escape import dot_clean as clean
from journeymap.escape import dot_html as html_label_text
from journeymap.escape import dot_string

__all__ = ["clean", "dot_string", "html_label_lines", "html_label_text", "one_line", "wrap"]


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


def html_label_lines(lines: list[str]) -> str:
    return "<BR/>".join(html_label_text(line) for line in lines)
