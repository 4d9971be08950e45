"""Mermaid `journey` diagrams as maps: a `.mmd` file, or each journey block in Markdown.

The diagram is read the way Mermaid reads it (`user-journey/parser/journey.jison`, `journeyDb`
and the preprocessing in `mermaidAPI`): front matter and `%%{...}%%` directives first, entity
codes (`#58;`) kept whole, then the lexer's rules in their order, first match wins. Where an
author's text would not survive Mermaid (`#` starts a comment anywhere in a line; `;` is a
syntax error), the importer keeps the text as written and says, at its line and column, what
Mermaid would have shown instead.

Mapping: title → `title`; accTitle/accDescr → `description`; each `section` → a stage (a
repeated name is a new stage); each task → a step, score 1-5 → emotion score − 3; actors →
personas, the step's `persona` when it has exactly one, else all of them under `x-actors`.
"""

from __future__ import annotations

import html.entities
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from journeymap.importers.common import Ids, ImportedMap, ImportFailure, ImportResult, slug

KIND = "a Mermaid journey diagram"
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mdx")
MERMAID_MAX_TEXT = 50_000  # mermaidAPI's MAX_TEXTLENGTH: longer diagrams are not drawn
_NOTHING = "an empty one"  # a Markdown block with nothing in it
MAX_TASKS = 10_000  # per diagram: bounds the work a hostile file can cause
# What the journey renderer appends to a step with no emotion (drawn at the neutral score 3).
NOT_RECORDED = " (emotion not recorded)"

_MASK_HASH, _MASK_SEMI = "\ue000", "\ue001"
_ENTITY = re.compile(r"#\w+;", re.ASCII)  # \w as in JavaScript: ASCII only
_ENTITY_CODE = re.compile(r"#(\w+);", re.ASCII)
_FRONT_MATTER = re.compile(r"([^\S\n]*)-{3}\s*\n(.*?)\n\1-{3}\s*\n+", re.S)
_BREAK = re.compile(r"<br\s*/?>", re.I)

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

_JS_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?", re.I)
_JS_RADIX = {"0x": 16, "0o": 8, "0b": 2}


@dataclass
class Source:
    """One diagram's text and where it sits in the file (Markdown blocks are indented)."""

    text: str
    first_line: int  # the file line of the text's first line, 1-based
    indents: list[int] = field(default_factory=list)  # columns stripped from each line


@dataclass
class _Task:
    name: str
    score: int | None
    actors: list[str]
    line: int


@dataclass
class _Section:
    name: str | None  # None: the tasks before any section
    line: int
    tasks: list[_Task] = field(default_factory=list)


@dataclass
class _Diagram:
    line: int  # where `journey` is
    title: str | None = None
    title_line: int = 0
    front_title: str | None = None
    acc_title: str | None = None
    acc_descr: str | None = None
    sections: list[_Section] = field(default_factory=list)


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
        reader = _Reader(source, result)
        diagram = reader.read()
        if diagram is None:
            others.append(reader.first_word or _NOTHING)
            continue
        result.maps.append(_to_map(diagram, result, map_ids, stem))
    if not result.maps:
        if markdown:
            blocks = f"; its mermaid blocks are: {', '.join(others)}" if others else ""
            raise ImportFailure(f"{display} holds no Mermaid journey diagram{blocks}")
        first = others[0] if others and others[0] != _NOTHING else None
        what = f"it starts with {first!r}, not 'journey'" if first else "it is empty"
        raise ImportFailure(f"{display} is not a Mermaid journey diagram: {what}")
    return result


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


def _blank(text: str, start: int, end: int) -> str:
    """Text with [start, end) replaced by spaces, newlines kept (positions stay put)."""
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


def _mask_entities(text: str) -> str:
    """Entity codes with their `#` and `;` masked, as Mermaid encodes them before lexing."""
    return _ENTITY.sub(lambda m: _MASK_HASH + m.group()[1:-1] + _MASK_SEMI, text)


def _entity(match: re.Match[str]) -> str:
    name = match.group(1)
    if name.isdigit():
        code = int(name) if len(name) < 8 else -1
        if 0 < code < 0x110000 and not 0xD800 <= code < 0xE000:
            return chr(code)
        return match.group()
    return html.entities.html5.get(name + ";", match.group())


def shown_text(raw: str) -> str:
    """Text as Mermaid draws it: entity codes decoded, `<br>` and whitespace as one space."""
    text = _BREAK.sub(" ", raw)  # before decoding: `#60;br#62;` is drawn as text
    text = text.replace(_MASK_HASH, "#").replace(_MASK_SEMI, ";")
    return " ".join(_ENTITY_CODE.sub(_entity, text).split())


def js_number(text: str) -> float:
    """JavaScript's `Number(text)`, which journeyDb applies to a score."""
    s = text.strip()
    if not s:
        return 0.0
    if _JS_DECIMAL.fullmatch(s):
        return float(s)
    radix = _JS_RADIX.get(s[:2].lower())
    if radix is not None:
        try:
            return float(int(s[2:], radix))
        except ValueError:
            return math.nan
    if s in ("Infinity", "+Infinity"):
        return math.inf
    if s == "-Infinity":
        return -math.inf
    return math.nan


class _Reader:
    """The jison lexer and grammar over one diagram's text, with findings at file positions."""

    def __init__(self, source: Source, result: ImportResult) -> None:
        self.source = source
        self.result = result
        self.first_word: str | None = None
        text = source.text
        self.line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
        self.front_title: str | None = None
        self.front_line = 0
        match = _FRONT_MATTER.match(text)
        if match is not None:
            self.front_title = self._front_matter(match)
            text = _blank(text, match.start(), match.end())
        text = self._drop_directives(text)
        self.text = _mask_entities(text)

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

    def _front_matter(self, match: re.Match[str]) -> str | None:
        import yaml

        self.front_line = self.where(match.start())[0]
        indent = match.group(1)
        body = "\n".join(
            line[len(indent) :] if line.startswith(indent) else line
            for line in match.group(2).split("\n")
        )
        try:
            data: Any = yaml.safe_load(body)
        except yaml.YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            pos = match.start(2)
            line, column = self.where(pos)
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
            text = _blank(text, start, end)
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

    def read(self) -> _Diagram | None:
        text = self.text
        pos, _ = self._skip(0)
        start = _JOURNEY.match(text, pos)
        if start is None or not text.startswith("journey", pos):  # the detector is case-sensitive
            word = re.match(r"\S+", text[pos:])
            self.first_word = word.group() if word else None
            return None
        diagram = _Diagram(self.where(pos)[0], front_title=self.front_title)
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
        self.diagram.sections.append(_Section(shown_text(value), self.where(pos)[0]))

    def _accessibility(self, kind: str, value: str) -> None:
        text = value.replace(_MASK_HASH, "#").replace(_MASK_SEMI, ";").strip()
        text = _ENTITY_CODE.sub(_entity, text)
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
            section = _Section(None, self.where(pos)[0])
            self.diagram.sections.append(section)
        section.tasks.append(_Task(name, score, actors, self.where(pos)[0]))
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


def _to_map(diagram: _Diagram, result: ImportResult, map_ids: Ids, stem: str) -> ImportedMap:
    title = diagram.title or diagram.front_title or diagram.acc_title
    title = title or " ".join(re.sub(r"[-_]+", " ", stem).split()).capitalize() or "Journey"
    described = [
        text
        for text in (diagram.acc_title, diagram.acc_descr)
        if text and text != title and " ".join(text.split()) != title
    ]
    data: dict[str, Any] = {
        "journeymap": 1,
        "id": map_ids.make(title, slug(stem, "journey")),
        "title": title,
    }
    if described:
        data["description"] = "\n\n".join(described)
    persona_ids = Ids()
    personas: dict[str, str] = {}  # actor name -> persona id
    stage_ids, step_ids = Ids(), Ids()
    stages: list[dict[str, Any]] = []
    for section in diagram.sections:
        name = section.name if section.name is not None else title
        name = name or "Untitled stage"
        steps: list[dict[str, Any]] = []
        for task in section.tasks:
            step_name, emotion = task.name, None
            if task.score is not None:
                emotion = task.score - 3
                if task.score == 3 and step_name.endswith(NOT_RECORDED):
                    step_name, emotion = step_name[: -len(NOT_RECORDED)], None
            step_name = step_name or "Untitled step"
            step: dict[str, Any] = {"id": step_ids.make(step_name, "step"), "name": step_name}
            ids = []
            for actor in dict.fromkeys(task.actors):
                if actor not in personas:
                    personas[actor] = persona_ids.make(actor, "persona")
                ids.append(personas[actor])
            if len(ids) == 1:
                step["persona"] = ids[0]
            if emotion is not None:
                step["emotion"] = emotion
            if len(ids) > 1:
                step["x-actors"] = ids
            steps.append(step)
        stages.append({"id": stage_ids.make(name, "stage"), "name": name, "steps": steps})
    if personas:
        data["personas"] = [{"id": ident, "name": name} for name, ident in personas.items()]
    data["stages"] = stages
    return ImportedMap(data, f"{result.file}:{diagram.line}", KIND)
