"""The lexer and grammar of Mermaid's `journey` diagram (`journey.jison`) over one diagram.

Front matter and `%%{...}%%` directives are read and blanked first, entity codes masked, then the
lexer's rules apply in their order, first match wins. Each statement becomes part of a
`Diagram`; where Mermaid would read the author's text otherwise (`#`, `;`), a finding at the
file's line and column says what Mermaid would show, and the text is kept as written.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from journeymap.importers.common import ImportResult
from journeymap.importers.mermaid.front import FrontMatter, front_matter
from journeymap.importers.mermaid.markdown import Source
from journeymap.importers.mermaid.text import blank, decoded, js_number, mask_entities, shown_text

MERMAID_MAX_TEXT = 50_000  # mermaidAPI's MAX_TEXTLENGTH: longer diagrams are not drawn
MAX_TASKS = 10_000  # per diagram: bounds the work a hostile file can cause

# The lexer of journey.jison, rule by rule (case-insensitive). A string rule ending in a letter
# gets jison's implicit word boundary (`journey\b`).
_COMMENT = re.compile(r"%%(?!\{)[^\n]*")
_COMMENT_AFTER = re.compile(r"[^}]%%[^\n]*")
_NEWLINES = re.compile(r"\n+")
_SPACE = re.compile(r"\s+")
_HASH_COMMENT = re.compile(r"#[^\n]*")
_JOURNEY = re.compile(r"journey\b", re.I)
_ACC_TITLE = re.compile(r"accTitle\s*:\s*", re.I)
_ACC_DESCR = re.compile(r"accDescr\s*:\s*", re.I)
_ACC_DESCR_BLOCK = re.compile(r"accDescr\s*\{\s*", re.I)
# Each text rule twice: as Mermaid has it, where `#` and `;` end the text, and as the author
# meant it, up to the end of the line (or the `:` that ends a task name).
_TITLE = (re.compile(r"title\s[^#\n;]+", re.I), re.compile(r"title\s[^\n]+", re.I))
_SECTION = (re.compile(r"section\s[^#:\n;]+", re.I), re.compile(r"section\s[^:\n]+", re.I))
_TASK_NAME = (re.compile(r"[^#:\n;]+"), re.compile(r"[^:\n]+"))
_TASK_DATA = (re.compile(r":[^#\n;]+"), re.compile(r":[^\n]*"))


@dataclass
class Task:
    name: str
    score: int | None
    actors: list[str]
    line: int


@dataclass
class Section:
    name: str | None  # None: the tasks before any section
    line: int
    column: int
    tasks: list[Task] = field(default_factory=list)


@dataclass
class Diagram:
    line: int  # where `journey` is
    title: str | None = None
    title_line: int = 0
    front_title: str | None = None
    acc_title: str | None = None
    acc_descr: str | None = None
    sections: list[Section] = field(default_factory=list)


class Reader:
    """The jison lexer and grammar over one diagram's text, with findings at file positions."""

    def __init__(self, source: Source, result: ImportResult) -> None:
        self.source = source
        self.result = result
        self.first_word: str | None = None
        text = source.text
        self.line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
        self.front_title: str | None = None
        self.front_line = 0
        front = front_matter(text)
        if front is not None:
            self.front_title = self._front_matter(front)
            text = blank(text, 0, front.end)
        text = self._drop_directives(text)
        self.text = mask_entities(text)

    def where(self, pos: int) -> tuple[int, int]:
        """File line and column of a position in the diagram text."""
        import bisect

        index = bisect.bisect_right(self.line_starts, pos) - 1
        column = pos - self.line_starts[index] + 1
        indents = self.source.indents
        if index < len(indents):
            column += indents[index]
        return self.source.first_line + index, column

    def warn(self, pos: int, rule: str, message: str) -> None:
        self.result.warn(*self.where(pos), rule, message)

    def error(self, pos: int, rule: str, message: str) -> None:
        self.result.error(*self.where(pos), rule, message)

    def _front_matter(self, front: FrontMatter) -> str | None:
        import yaml

        self.front_line = self.where(0)[0]
        indent = front.indent
        body = "\n".join(
            line[len(indent) :] if line.startswith(indent) else line
            for line in front.body.split("\n")
        )
        try:
            data: Any = yaml.safe_load(body)
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            line, column = self.where(front.body_start)
            if mark is not None:
                line, column = line + mark.line, mark.column + 1
            self.result.warn(
                line,
                column,
                "front-matter",
                "the front matter is not valid YAML, so Mermaid cannot draw this diagram; "
                "its title is not imported",
            )
            return None
        if not isinstance(data, dict) or not data.get("title"):
            return None
        title = data["title"]
        return " ".join(str(title).split()) if isinstance(title, str | int | float) else None

    def _drop_directives(self, text: str) -> str:
        """`%%{init: ...}%%` directives are configuration: Mermaid removes them first."""
        start = text.find("%%{")
        while start >= 0:
            end = text.find("}%%", start + 3)
            end = len(text) if end < 0 else end + 3
            text = blank(text, start, end)
            start = text.find("%%{", end)
        return text

    # ------------------------------------------------------------------ lexer + grammar
    def _skip(self, pos: int) -> tuple[int, bool]:
        """Past comments and whitespace; True when a newline was passed."""
        text = self.text
        newline = False
        while pos < len(text):
            for rule in (_COMMENT, _COMMENT_AFTER, _NEWLINES, _SPACE, _HASH_COMMENT):
                match = rule.match(text, pos)
                if match:
                    newline = newline or "\n" in match.group()
                    pos = match.end()
                    break
            else:
                break
        return pos, newline

    def read(self) -> Diagram | None:
        text = self.text
        pos, _ = self._skip(0)
        start = _JOURNEY.match(text, pos)
        if start is None or not text.startswith("journey", pos):  # the detector is case-sensitive
            word = re.match(r"\S+", text[pos:])
            self.first_word = word.group() if word else None
            return None
        diagram = Diagram(self.where(pos)[0], front_title=self.front_title)
        if len(self.source.text) > MERMAID_MAX_TEXT:
            self.warn(
                pos,
                "too-long",
                f"the diagram is longer than {MERMAID_MAX_TEXT:,} characters: Mermaid draws "
                "an error in its place",
            )
        self.diagram = diagram
        self.tasks = 0
        pos = start.end()
        while True:
            pos, _ = self._skip(pos)
            if pos >= len(text):
                return diagram
            pos = self._statement(pos)
            if self.tasks >= MAX_TASKS:
                pos, _ = self._skip(pos)
                if pos < len(text):
                    self.error(
                        pos, "limits", f"more than {MAX_TASKS:,} tasks: the rest is not read"
                    )
                return diagram

    def _line_end(self, pos: int) -> int:
        end = self.text.find("\n", pos)
        return len(self.text) if end < 0 else end

    def _statement(self, pos: int) -> int:
        text = self.text
        if _JOURNEY.match(text, pos):
            self.error(pos, "syntax", "a second 'journey' line: Mermaid cannot draw this diagram")
            return self._line_end(pos)
        for (strict, meant), kind in ((_TITLE, "title"), (_SECTION, "section")):
            match = meant.match(text, pos)
            if match:
                self._text_problem(pos, match, strict, kind)
                value = match.group()[len(kind) + 1 :]
                if kind == "title":
                    self._title(pos, value)
                else:
                    self._section(pos, value)
                return match.end()
        for acc, which in ((_ACC_TITLE, "title"), (_ACC_DESCR, "descr")):
            found = acc.match(text, pos)
            if found:
                end = self._line_end(found.end())
                self._accessibility(which, text[found.end() : end])
                return end
        match = _ACC_DESCR_BLOCK.match(text, pos)
        if match:
            end = text.find("}", match.end())
            if end < 0:
                self.error(
                    pos, "syntax", "accDescr { is never closed with '}': Mermaid cannot draw this"
                )
                self._accessibility("descr", text[match.end() :])
                return len(text)
            self._accessibility("descr", text[match.end() : end])
            return end + 1
        match = _TASK_NAME[1].match(text, pos)
        if match:
            return self._task(pos, match)
        # A line that starts with ':' (a task with no name).
        self.error(
            pos,
            "syntax",
            "a task needs a name before ':' (name: score: actors); Mermaid cannot draw this",
        )
        return self._line_end(pos)

    def _text_problem(
        self, pos: int, meant: re.Match[str], strict: re.Pattern[str], kind: str
    ) -> bool:
        """Say what Mermaid makes of text with `#` or `;` in it; True when there was some."""
        mermaid = strict.match(self.text, pos)
        shown_end = mermaid.end() if mermaid else pos
        if shown_end >= meant.end():
            return False
        stop = self.text[shown_end]
        at = shown_end
        if stop == ";":
            self.warn(
                at,
                "mermaid-syntax",
                f"';' in a {kind}: Mermaid cannot draw this diagram "
                "(write #59; for a ';'); imported as written",
            )
        elif mermaid is None or kind == "task name":
            self.warn(
                at,
                "mermaid-syntax",
                f"'#' in a {kind} starts a comment for Mermaid, which cuts the line short and "
                "cannot draw this diagram (write #35; for a '#'); imported as written",
            )
        else:
            prefix = len(kind) + 1 if kind in ("title", "section") else 0
            shown = shown_text(mermaid.group()[prefix:])
            dropped = shown_text(self.text[shown_end : meant.end()])
            if prefix:
                message = (
                    f"Mermaid shows this {kind} as {shown!r}: '#' starts a comment for it, so "
                    f"{dropped!r} is dropped (write #35; for a '#'); imported as written"
                )
            else:  # after the score, as Mermaid does: a comment
                message = (
                    f"'#' starts a comment for Mermaid, so {dropped!r} is left out here too "
                    "(write #35; for a '#')"
                )
            self.warn(at, "dropped-text", message)
        return True

    def _title(self, pos: int, value: str) -> None:
        diagram = self.diagram
        line = self.where(pos)[0]
        if diagram.title is not None:
            self.warn(
                pos,
                "title",
                f"the title is set again (first on line {diagram.title_line}): "
                "Mermaid shows the last one, and so does the map",
            )
        diagram.title, diagram.title_line = shown_text(value), line

    def _section(self, pos: int, value: str) -> None:
        self.diagram.sections.append(Section(shown_text(value), *self.where(pos)))

    def _accessibility(self, kind: str, value: str) -> None:
        text = decoded(value.strip())
        if kind == "title":
            self.diagram.acc_title = " ".join(text.split()) or None
        else:
            lines = [line.strip() for line in text.split("\n")]
            self.diagram.acc_descr = "\n".join(lines).strip() or None

    def _task(self, pos: int, name_match: re.Match[str]) -> int:
        text = self.text
        problem = self._text_problem(pos, name_match, _TASK_NAME[0], "task name")
        name = shown_text(name_match.group())
        data = _TASK_DATA[1].match(text, name_match.end())
        if data is None:
            self.error(
                pos,
                "syntax",
                f"task {name!r} has no ':' and score: Mermaid cannot draw this diagram "
                "(write name: score: actors)",
            )
            return self._line_end(pos)
        if not problem:
            self._text_problem(data.start(), data, _TASK_DATA[0], "task")
        self.tasks += 1
        score, actors = self._task_data(data)
        if self.diagram.sections:
            section = self.diagram.sections[-1]
        else:
            section = Section(None, *self.where(pos))
            self.diagram.sections.append(section)
        section.tasks.append(Task(name, score, actors, self.where(pos)[0]))
        return data.end()

    def _task_data(self, data: re.Match[str]) -> tuple[int | None, list[str]]:
        """The score and actors of `: score: actor, actor` (journeyDb.addTask)."""
        start = data.start() + 1
        body = data.group()[1:].split("#", 1)[0]  # a comment, for Mermaid and for us
        pieces = body.split(":")
        raw_score = pieces[0].split(";", 1)[0]
        score = self._score(raw_score, start + len(pieces[0]) - len(pieces[0].lstrip()))
        actors: list[str] = []
        if len(pieces) > 1:
            offset = start + len(pieces[0]) + 1
            if len(pieces) > 2:
                extra = ":" + ":".join(pieces[2:])
                at = offset + len(pieces[1])
                self.warn(
                    at,
                    "ignored-data",
                    f"Mermaid reads a task as name: score: actors and ignores {extra.strip()!r}",
                )
            parts = pieces[1].split(",")
            for part in parts:
                name = shown_text(part)
                if name:
                    actors.append(name)
                else:
                    what = (
                        "the actor list after ':' is empty"
                        if len(parts) == 1
                        else ("an empty actor (a trailing comma?)")
                    )
                    self.warn(
                        offset - 1,  # at the ',' or ':' before the empty name
                        "empty-actor",
                        f"{what}: Mermaid draws an actor with no name; left out",
                    )
                offset += len(part) + 1
        return score, actors

    def _score(self, raw: str, at: int) -> int | None:
        shown = shown_text(raw)
        value = js_number(raw)
        if math.isfinite(value) and value == int(value) and 1 <= value <= 5:
            return int(value)
        if not shown:
            why = "the task has no score (Mermaid reads 0)"
        elif math.isnan(value):
            why = f"score {shown!r} is not a number (Mermaid draws it as NaN)"
        elif math.isfinite(value) and value != int(value):
            why = f"score {shown} is not a whole number from 1 to 5"
        else:
            why = f"score {shown} is outside Mermaid's scale of 1 to 5"
        self.warn(at, "score", f"{why}; the step is imported without an emotion")
        return None
