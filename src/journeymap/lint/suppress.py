"""Suppression comments: `# journeymap: ignore[rule-a, rule-b] -- reason`.

- `ignore[...]` after YAML on a line silences those rules for the node that starts on that line
  (a mapping entry counts when its key is on that line) and for everything inside it.
- `ignore[...]` on a line of its own applies to the next line that holds YAML (blank lines and
  other comments in between are skipped, so several directives can be stacked).
- `file-ignore[...]` anywhere silences those rules in the whole file.

A directive is a comment whose text starts with `journeymap:`; a comment that merely mentions
one (`# see journeymap: ignore[...]`) is not a directive. Format errors can never be silenced.

There is one grammar: the rules are always named. A bare `# journeymap: ignore -- reason` is
not "every rule" (as a bare `noqa` is in ruff): it silences nothing and `invalid-suppression`
reports it. A blanket ignore would also hide findings of rules added later, and of problems the
author never saw; naming the rule keeps every suppression reviewable.

A comment that is plainly meant as a directive but is not written as one silences nothing
either, and `invalid-suppression` shows how to write it: `journeymap` in any case, with or
without its colon, then a word at most two edits from `ignore` or `file-ignore`, then a rule
list (`[`), a lint rule's name, a reason (`--`) or nothing (`# JourneyMap ignore[x]`,
`# journeymap: ingore[x]`, `# journeymap: ignore x`). Prose that starts with the word
(`# journeymap renders this stage as...`) is no directive.

`Suppressions.apply` notes which directive silenced which rule, so that `unused-suppression`
can report the ones that silenced nothing.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from journeymap.findings import Finding
from journeymap.pointers import escape, parse_pointer
from journeymap.suggest import edit_distance

if TYPE_CHECKING:
    from journeymap.loader import Document

# The rule list is required; a bare `ignore` is still parsed, so that `invalid-suppression`
# reports it rather than letting it silently do nothing.
_DIRECTIVE = re.compile(
    r"journeymap:\s*(?P<kind>file-ignore|ignore)(?![\w-])(?:\s*\[(?P<names>[^\]]*)\])?"
    r"(?:\s*--\s*(?P<reason>.*\S))?"
)
# A malformed directive: `journeymap` in any case, a colon or not, a word within two edits of
# `ignore` or `file-ignore`, then a rule list (`[`), a lint rule's name, a reason (`--`) or
# nothing. Prose that starts with the word (`# journeymap renders this stage as...`,
# `# journeymap: ignored for now`) has none of these after its second word.
_LOOSE = re.compile(
    r"(?P<prefix>(?i:journeymap))(?P<sep>\s*:?)\s*(?P<word>[A-Za-z][\w-]*)\s*(?P<rest>.*)"
)
# A list with no closing bracket ends before the reason, or at the end of the line.
_LIST = re.compile(r"\[(?P<names>[^\]]*?)(?P<close>\]|\s*(?=--)|$)")
_REASON = re.compile(r"--\s*(?P<reason>.*\S)")
_NAME = re.compile(r"[^,\s]+")
_KINDS = ("ignore", "file-ignore")
_WORD_EDITS = 2


@dataclass(frozen=True)
class Directive:
    """One suppression comment (a malformed one has `mistakes` and silences nothing)."""

    line: int  # 1-based line of the comment
    column: int  # 1-based column of `journeymap`
    file_wide: bool
    rules: tuple[tuple[str, int], ...]  # (name, 1-based column)
    reason: str | None
    target: int  # the line whose node it silences (0 for file-wide)
    mistakes: tuple[str, ...] = ()  # what is wrong with how it is written

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.rules)

    @property
    def kind(self) -> str:
        return "file-ignore" if self.file_wide else "ignore"

    @property
    def fixed(self) -> str:
        """The comment as it should be written (without its reason)."""
        return f"# journeymap: {self.kind}[{', '.join(self.names) or 'rule-a, rule-b'}]"


@dataclass(frozen=True)
class _Read:
    """What a comment's text says, before it is placed in the file."""

    file_wide: bool
    names: str  # the rule names as written
    names_at: int  # their index in the comment's text
    reason: str | None
    mistakes: tuple[str, ...] = ()


def _comment_start(line: str) -> int:
    """The index of the `#` that starts a comment on this line, or -1.

    A `#` starts a comment at the start of a line or after whitespace, outside quotes.
    """
    quote = ""
    for index, char in enumerate(line):
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"" and (index == 0 or line[index - 1] in " \t[{,:-"):
            quote = char
        elif char == "#" and (index == 0 or line[index - 1] in " \t"):
            return index
    return -1


def _kind(word: str) -> str | None:
    """`ignore` or `file-ignore` when `word` is one of them or a slip of the keyboard away."""
    lowered = word.lower()
    for kind in _KINDS:
        if edit_distance(lowered, kind, _WORD_EDITS) <= _WORD_EDITS:
            return kind
    return None


def _leading_rules(rest: str, known: Collection[str]) -> int:
    """The length of the run of lint rule names `rest` starts with (`missing-kpi, x -- why`)."""
    end = 0
    for match in _NAME.finditer(rest):
        if match.group(0) not in known:
            break
        end = match.end()
    return end


def _mistakes(loose: re.Match[str], kind: str) -> list[str]:
    prefix, sep, word = loose.group("prefix", "sep", "word")
    out = []
    if prefix != "journeymap":
        out.append(f"'{prefix}' instead of 'journeymap'")
    if ":" not in sep:
        out.append("no colon after 'journeymap'")
    elif sep != ":":
        out.append("a space before the colon")
    if word != kind:
        out.append(f"'{word}' instead of '{kind}'")
    return out


def _read(text: str, known: Collection[str]) -> _Read | None:
    """The directive a comment's text (from `journeymap` on) is, or None if it is none."""
    strict = _DIRECTIVE.match(text)
    if strict is not None and (strict.group("names") is not None or not text[strict.end() :]):
        names = strict.group("names") or ""
        at = strict.start("names")
        return _Read(strict.group("kind") == "file-ignore", names, at, strict.group("reason"))
    loose = _LOOSE.match(text)
    kind = _kind(loose.group("word")) if loose is not None else None
    if loose is None or kind is None:
        return None
    rest, at = loose.group("rest"), loose.start("rest")
    mistakes = _mistakes(loose, kind)
    listed = _LIST.match(rest)
    end = listed.end() if listed else _leading_rules(rest, known)
    names = listed.group("names") if listed else rest[:end]
    if listed:
        at += listed.start("names")
        if listed.group("close") != "]":
            mistakes.append("no closing bracket")
    elif end:
        mistakes.append("no brackets around the rules")
    after = rest[end:].lstrip()
    if strict is None and not (rest.startswith("[") or end or not after or after[:2] == "--"):
        return None
    reason = _REASON.match(after)
    return _Read(
        kind == "file-ignore",
        names,
        at,
        reason.group("reason") if reason else None,
        tuple(mistakes),
    )


def parse(lines: list[str], known: Collection[str] = ()) -> list[Directive]:
    """Every suppression directive in a file's lines, malformed ones included.

    `known` (the lint rules' names) lets `# journeymap ignore missing-kpi` count as a
    malformed directive; without it, that line is no directive.
    """
    out: list[Directive] = []
    for index, line in enumerate(lines):
        if "#" not in line or "journeymap" not in line.lower():
            continue
        start = _comment_start(line)
        if start < 0:
            continue
        body = line[start + 1 :]
        stripped = body.lstrip()
        read = _read(stripped.rstrip(), known)
        if read is None:
            continue
        offset = start + 1 + (len(body) - len(stripped))  # index of `journeymap` in the line
        names_at = offset + read.names_at
        rules = tuple((m.group(0), names_at + m.start() + 1) for m in _NAME.finditer(read.names))
        own_line = not line[:start].strip()
        target = 0
        if not read.file_wide:
            target = index + 1
            if own_line:
                target = _next_yaml_line(lines, index + 1)
        out.append(
            Directive(
                line=index + 1,
                column=offset + 1,
                file_wide=read.file_wide,
                rules=rules,
                reason=read.reason,
                target=target,
                mistakes=read.mistakes,
            )
        )
    return out


def _next_yaml_line(lines: list[str], start: int) -> int:
    for index in range(start, len(lines)):
        text = lines[index].strip()
        if text and not text.startswith("#"):
            return index + 1
    return 0


@dataclass
class Suppressions:
    """Which rules are silenced where in one document, and which directives silenced something.

    Malformed directives are left out: they silence nothing (`invalid-suppression` says why).
    """

    document: Document
    directives: list[Directive]
    # Rule -> the file-wide directives naming it; target line -> the directives there (indices
    # into `directives`); every rule a line's directive names.
    file_rules: dict[str, list[int]] = field(default_factory=dict)
    by_line: dict[int, list[int]] = field(default_factory=dict)
    line_rules: set[str] = field(default_factory=set)
    used: set[tuple[int, str]] = field(default_factory=set)  # (directive, rule) that silenced

    @classmethod
    def of(cls, document: Document) -> Suppressions:
        # Cheap test first: most files have no directive, and splitting lines costs.
        directives = parse(document.lines) if "ignore" in document.text else []
        out = cls(document, [d for d in directives if not d.mistakes])
        for index, directive in enumerate(out.directives):
            if directive.file_wide:
                for name in directive.names:
                    out.file_rules.setdefault(name, []).append(index)
            elif directive.target:
                out.by_line.setdefault(directive.target, []).append(index)
                out.line_rules.update(directive.names)
        return out

    def covering(self, finding: Finding) -> list[int]:
        """The directives that silence this finding (never a format error)."""
        if finding.is_format_error:
            return []
        out = list(self.file_rules.get(finding.rule, ()))
        if finding.rule in self.line_rules:
            lines = {finding.line, *self._node_lines(finding.path)}
            out += (
                index
                for line in sorted(lines)
                for index in self.by_line.get(line, ())
                if finding.rule in self.directives[index].names
            )
        return out

    def covers(self, finding: Finding) -> bool:
        """Whether a directive silences this finding (never a format error)."""
        return bool(self.covering(finding))

    def _node_lines(self, ptr: str) -> set[int]:
        """Start lines of the node at `ptr`, its ancestors, and the keys they sit under.

        The document itself is left out: its first line is the first key's, and a directive
        there means that entry; `file-ignore` is the way to silence a whole file.
        """
        from yaml.nodes import SequenceNode  # a document exists: PyYAML is imported already

        doc = self.document
        out: set[int] = set()
        for node in doc.nodes_along(ptr)[1:]:
            # A block list starts where its first item does; a directive there means the item.
            # The list itself is reached through its key's line (below).
            if (
                isinstance(node, SequenceNode)
                and node.value
                and not node.flow_style
                and node.value[0].start_mark.line == node.start_mark.line
            ):
                continue
            out.add(node.start_mark.line + 1)
        prefix = ""
        for part in parse_pointer(ptr):
            prefix += "/" + escape(part)
            key = doc.key_node_at(prefix)
            if key is not None:
                out.add(key.start_mark.line + 1)
        return out

    def apply(self, findings: list[Finding]) -> list[Finding]:
        """The findings, those a directive silences marked; the directives used are noted."""
        if not self.directives:
            return findings
        out = []
        for finding in findings:
            covering = self.covering(finding)
            self.used.update((index, finding.rule) for index in covering)
            out.append(finding.with_suppressed() if covering else finding)
        return out

    def unused(self, ran: Collection[str]) -> Iterator[tuple[Directive, str, int]]:
        """(directive, rule, column) for each rule in `ran` that a directive names and that
        silenced nothing there (`apply` has seen every finding of those rules)."""
        for index, directive in enumerate(self.directives):
            for name, column in directive.rules:
                if name in ran and (index, name) not in self.used:
                    yield directive, name, column
