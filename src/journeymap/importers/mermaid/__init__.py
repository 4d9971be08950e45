"""Mermaid `journey` diagrams as maps: a `.mmd` file, or each journey block in Markdown.

The diagram is read the way Mermaid reads it (`user-journey/parser/journey.jison`, `journeyDb`
and the preprocessing in `mermaidAPI`): front matter and `%%{...}%%` directives first, entity
codes (`#58;`) kept whole, then the lexer's rules in their order, first match wins. Where an
author's text would not survive Mermaid (`#` starts a comment anywhere in a line; `;` is a
syntax error), the importer keeps the text as written and says, at its line and column, what
Mermaid would have shown instead.

`markdown` finds the diagrams in Markdown, `text` is what Mermaid does to text, `lexer` reads a
diagram, and `convert` makes it a map.
"""

from __future__ import annotations

from pathlib import Path

from journeymap.importers.common import Ids, ImportFailure, ImportResult
from journeymap.importers.mermaid.convert import to_map
from journeymap.importers.mermaid.lexer import Reader
from journeymap.importers.mermaid.markdown import Source, markdown_blocks

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mdx")
_NOTHING = "an empty one"  # a Markdown block with nothing in it


def import_file(path: Path, display: str) -> ImportResult:
    """Every journey diagram of a `.mmd` or Markdown file, as maps, with findings."""
    from journeymap.loader import LoadError, read

    try:
        text = read(path, display)
    except LoadError as err:
        raise ImportFailure(f"{display}: {err.finding.message}") from None
    except OSError as err:
        raise ImportFailure(f"cannot read {display}: {err.strerror or err}") from None
    markdown = path.suffix.lower() in MARKDOWN_SUFFIXES
    return import_text(text, display, markdown=markdown, stem=path.name.split(".", 1)[0])


def import_text(text: str, display: str, *, markdown: bool, stem: str = "") -> ImportResult:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    result = ImportResult(display)
    sources = markdown_blocks(text) if markdown else [Source(text, 1, [])]
    map_ids = Ids()
    others: list[str] = []
    for source in sources:
        reader = Reader(source, result)
        diagram = reader.read()
        if diagram is None:
            others.append(reader.first_word or _NOTHING)
            continue
        result.maps.append(to_map(diagram, result, map_ids, stem))
    if not result.maps:
        if markdown:
            blocks = f"; its mermaid blocks are: {', '.join(others)}" if others else ""
            raise ImportFailure(f"{display} holds no Mermaid journey diagram{blocks}")
        first = others[0] if others and others[0] != _NOTHING else None
        what = f"it starts with {first!r}, not 'journey'" if first else "it is empty"
        raise ImportFailure(f"{display} is not a Mermaid journey diagram: {what}")
    return result
