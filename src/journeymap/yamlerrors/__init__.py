"""YAML syntax errors as people make them, rewritten into located messages with a hint.

libyaml reports where its scanner gave up, in its own terms: an unclosed quote is "found
unexpected end of stream" at the end of the file, `emotion:1` is "could not find expected ':'"
on the next line, an indent of 7 instead of 8 is "did not find expected '-' indicator". Here
each of those is moved to where the author has to look (the opening quote, the line missing a
space) and said in the author's terms, with what to do. The parser's own words are kept at the
end of the message, for experts and for searching the web.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from journeymap.yamlerrors.indentation import (
    FIRST_KEY,
    Found,
    has_content,
    key_column,
    misindented,
)

# `key:value` on one line: a key, a colon, then no space. Not `http://` or a time (`10:30`).
_NO_SPACE = re.compile(r"^(?P<lead>\s*(?:-\s+)*)(?P<key>[A-Za-z_][\w-]*):(?P<after>[^\s/:])")


@dataclass(frozen=True)
class SyntaxProblem:
    line: int  # 1-based
    column: int  # 1-based
    message: str


def _original(err: yaml.MarkedYAMLError) -> str:
    problem = err.problem or "invalid YAML"
    return f"{problem} ({err.context})" if err.context else problem


def explain(text: str, err: yaml.MarkedYAMLError) -> SyntaxProblem:
    """The located, human message for a syntax error in `text`."""
    lines = text.split("\n")
    mark = err.problem_mark or err.context_mark
    line0, col0 = (mark.line, mark.column) if mark else (0, 0)
    original = _original(err)
    found = (
        _second_document(err, line0, col0)
        or _tab(lines, err, line0)
        or _unclosed_quote(lines, err)
        or _missing_space(lines, err, line0)
        or _colon_in_text(lines, err, line0, col0)
        or _document_end(lines, err, line0)
        or _item_after_key(lines, err, line0, col0)
        or _unclosed_bracket(lines, err, line0, col0)
        or _in_brackets(lines, err, line0, col0)
        or misindented(lines, err, line0)
    )
    if found is None:
        return SyntaxProblem(line0 + 1, col0 + 1, f"YAML syntax error: {original}")
    line, column, human = found
    return SyntaxProblem(line + 1, column + 1, f"YAML syntax error: {human} [YAML: {original}]")


def _second_document(err: yaml.MarkedYAMLError, line0: int, col0: int) -> Found:
    """`---` after a map starts another document; PyYAML says only "but found another"."""
    if err.problem != "but found another document":
        return None
    return (
        line0,
        col0,
        "a second YAML document starts here: a file holds one map; delete this `---` line and "
        "what follows, or move it to a file of its own",
    )


def _tab(lines: list[str], err: yaml.MarkedYAMLError, line0: int) -> Found:
    problem = err.problem or ""
    if "tab" not in problem and "'\\t'" not in problem and not _at_tab(lines, err):
        return None
    start = err.context_mark.line if err.context_mark else line0
    for index in range(min(line0, len(lines) - 1), max(start, 0) - 1, -1):
        leading = lines[index][: len(lines[index]) - len(lines[index].lstrip(" \t"))]
        if "\t" in leading:
            return (
                index,
                leading.index("\t"),
                ("a tab in the indentation: indent with spaces (YAML does not allow tabs there)"),
            )
    if line0 < len(lines) and "\t" in lines[line0]:
        return line0, lines[line0].index("\t"), "a tab where YAML does not allow one: use spaces"
    return None


def _at_tab(lines: list[str], err: yaml.MarkedYAMLError) -> bool:
    """A tab where a token should start (a tab before `- id: x`): libyaml says only that the
    character "cannot start any token", without naming it."""
    mark = err.problem_mark
    if mark is None or mark.line >= len(lines):
        return False
    return lines[mark.line][mark.column : mark.column + 1] == "\t"


def _unclosed_quote(lines: list[str], err: yaml.MarkedYAMLError) -> Found:
    problem = err.problem or ""
    if err.context != "while scanning a quoted scalar" or err.context_mark is None:
        return None
    if "end of stream" not in problem and "document" not in problem:
        return None
    mark = err.context_mark
    line = lines[mark.line] if mark.line < len(lines) else ""
    quote = line[mark.column : mark.column + 1]
    quote = quote if quote in ("'", '"') else '"'
    return (
        mark.line,
        mark.column,
        (
            f"this quote is never closed: add the closing {quote} (everything after it, to the "
            "end of the file, was read as one text)"
        ),
    )


def _missing_space(lines: list[str], err: yaml.MarkedYAMLError, line0: int) -> Found:
    if err.context != "while scanning a simple key":
        return None
    start = err.context_mark.line if err.context_mark else line0
    for index in range(start, min(line0, len(lines) - 1) + 1):
        match = _NO_SPACE.match(lines[index])
        if match:
            colon = match.end("key")
            key, rest = match.group("key"), lines[index][colon + 1 :].strip()
            return (
                index,
                colon,
                (
                    f"put a space after ':' (`{key}: {rest}`): without it YAML reads "
                    f"`{key}:{rest}` as text, not as a key and a value"
                ),
            )
    return None


def _colon_in_text(lines: list[str], err: yaml.MarkedYAMLError, line0: int, col0: int) -> Found:
    if not (err.problem or "").startswith("mapping values are not allowed"):
        return None
    if line0 >= len(lines):
        return None
    first = FIRST_KEY.match(lines[line0])
    if first is None or col0 < first.end():
        return None  # the colon is the line's first: a line indented too far (below)
    value = lines[line0][first.end() :].strip()
    return (
        line0,
        col0,
        (
            f"a ': ' inside unquoted text: quote this text (`\"{value}\"`), or it reads as a "
            "key and a value"
        ),
    )


def _document_end(lines: list[str], err: yaml.MarkedYAMLError, line0: int) -> Found:
    """`...` where a value should start: YAML's end-of-document marker, with nothing before it."""
    if not (err.problem or "").startswith("did not find expected node content"):
        return None
    if line0 >= len(lines) or lines[line0].rstrip() != "...":
        return None
    return (
        line0,
        0,
        (
            "a line `...` ends a YAML document, and nothing came before it: a map starts with "
            "`journeymap: 1`; delete this line or put the map above it"
        ),
    )


def _item_after_key(lines: list[str], err: yaml.MarkedYAMLError, line0: int, col0: int) -> Found:
    """`pain_points: - slow`: a block list cannot start on its key's line."""
    if not (err.problem or "").startswith("block sequence entries are not allowed"):
        return None
    line = lines[line0] if line0 < len(lines) else ""
    first = FIRST_KEY.match(line)
    if first is None or line[first.end() : col0].strip() or line[col0 : col0 + 1] != "-":
        return None
    key = line[key_column(line) : first.end()]
    item = without_comment(line[col0 + 1 :]).strip()
    if not item:
        return (
            line0,
            col0,
            (
                f"a list cannot start on the line of its key: put its items (`- ...`) on the "
                f"lines below `{key}`, indented {key_column(line) + 2} spaces"
            ),
        )
    quoted = _quoted(item)
    inline = "" if ": " in quoted or item[0] in "[{" else f", or write `{key} [{quoted}]`"
    return (
        line0,
        col0,
        (
            f"a list item cannot follow its key on the same line: put `- {item}` on the next "
            f"line, indented {key_column(line) + 2} spaces (2 more than `{key}`){inline}"
        ),
    )


def _quoted(item: str) -> str:
    """A block list's item as an item of `[...]`: quoted when it holds what ends or splits an
    item there (`slow, expensive` is one item in a block list, two in brackets), unless it is
    a quoted text already."""
    if len(item) > 1 and item[0] in "'\"" and item[-1] == item[0]:
        return item
    if item[0] in "'\"" or any(char in item for char in ",[]{}#"):
        return '"' + item.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return item


def without_comment(line: str) -> str:
    """A line without its comment (a `#` after a space, outside quotes) and trailing spaces."""
    quote, index = "", 0
    while index < len(line):
        char = line[index]
        if quote:
            if char == "\\" and quote == '"':
                index += 1  # an escaped character, `\"` included
            elif char == quote and line[index + 1 : index + 2] == quote == "'":
                index += 1  # '' inside '...'
            elif char == quote:
                quote = ""
        elif char in "'\"" and (index == 0 or line[index - 1] in " \t[{,"):
            quote = char  # a quoted text starts (not the ' inside it's)
        elif char == "#" and (index == 0 or line[index - 1] in " \t"):
            return line[:index].rstrip()
        index += 1
    return line.rstrip()


def _end_of(lines: list[str], index: int) -> str:
    """Where a closing bracket goes on a line: its end, or before its comment."""
    values = without_comment(lines[index])
    if values == lines[index].rstrip():
        return f"at the end of line {index + 1}"
    return f"at column {len(values) + 1} of line {index + 1}, before the comment"


_BRACKETS = {
    "while parsing a flow sequence": ("[", "]", "list"),
    "while parsing a flow mapping": ("{", "}", "set of keys"),
}


def _unclosed_bracket(lines: list[str], err: yaml.MarkedYAMLError, line0: int, col0: int) -> Found:
    """A `[` or `{` still open at the end of the file: libyaml stops at the end, past the last
    line, where there is nothing to show; the bracket is where the author has to look."""
    opening, closing, kind = _BRACKETS.get(err.context or "", ("", "", ""))
    mark = err.context_mark
    if not opening or mark is None or mark.line >= len(lines):
        return None
    rest = [lines[line0][col0:], *lines[line0 + 1 :]] if line0 < len(lines) else []
    if any(has_content(line) for line in rest):
        return None  # the text goes on: where it does is the place (`_in_brackets`)
    last = max(i for i in range(len(lines)) if has_content(lines[i]))
    return (
        mark.line,
        mark.column,
        f"this {opening} is never closed: end its {kind} with {closing} {_end_of(lines, last)}",
    )


def _in_brackets(lines: list[str], err: yaml.MarkedYAMLError, line0: int, col0: int) -> Found:
    """A `[...]` or `{...}` on one line that goes on past where it should: a quoted item that
    ended early (`'it's'`), or text holding a comma or bracket. Not about indentation."""
    opening, closing, kind = _BRACKETS.get(err.context or "", ("", "", ""))
    if not opening or not (err.problem or "").startswith("did not find expected"):
        return None
    mark = err.context_mark
    if mark is not None and mark.line < line0:  # opened on a line above, not closed there
        return (
            line0,
            col0,
            (
                f"the {opening} on line {mark.line + 1} is not closed before this line: end "
                f"its {kind} with {closing} ({_end_of(lines, mark.line)}), or, for a "
                f"{kind} over several lines, put a comma after each item"
            ),
        )
    return (
        line0,
        col0,
        (
            f"inside {opening} {closing} (a {kind} on one line) items are separated by commas "
            f"and it ends with {closing}, but here it goes on: did a quoted item end early? "
            "Inside '...' a quote is written '' (`'it''s'`); quote an item that holds a comma, "
            f"a bracket or `: `, or write the {kind} one item per line"
        ),
    )
