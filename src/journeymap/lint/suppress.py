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
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from journeymap.findings import Finding
from journeymap.pointers import escape, parse_pointer

if TYPE_CHECKING:
    from journeymap.loader import Document

# The rule list is required; a bare `ignore` is still parsed, so that `invalid-suppression`
# reports it rather than letting it silently do nothing.
_DIRECTIVE = re.compile(
    r"journeymap:\s*(?P<kind>file-ignore|ignore)(?![\w-])(?:\s*\[(?P<names>[^\]]*)\])?"
    r"(?:\s*--\s*(?P<reason>.*\S))?"
)
_NAME = re.compile(r"[^,\s]+")


@dataclass(frozen=True)
class Directive:
    """One suppression comment."""

    line: int  # 1-based line of the comment
    column: int  # 1-based column of `journeymap:`
    file_wide: bool
    rules: tuple[tuple[str, int], ...]  # (name, 1-based column)
    reason: str | None
    target: int  # the line whose node it silences (0 for file-wide)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.rules)


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


def parse(lines: list[str]) -> list[Directive]:
    """Every suppression directive in a file's lines."""
    out: list[Directive] = []
    for index, line in enumerate(lines):
        if "journeymap:" not in line or "ignore" not in line:
            continue
        start = _comment_start(line)
        if start < 0:
            continue
        body = line[start + 1 :]
        stripped = body.lstrip()
        match = _DIRECTIVE.match(stripped)
        if match is None:
            continue
        offset = start + 1 + (len(body) - len(stripped))  # index of `journeymap:` in the line
        names_at = offset + match.start("names")
        rules = tuple(
            (m.group(0), names_at + m.start() + 1)
            for m in _NAME.finditer(match.group("names") or "")
        )
        file_wide = match.group("kind") == "file-ignore"
        own_line = not line[:start].strip()
        target = 0
        if not file_wide:
            target = index + 1
            if own_line:
                target = _next_yaml_line(lines, index + 1)
        out.append(
            Directive(
                line=index + 1,
                column=offset + 1,
                file_wide=file_wide,
                rules=rules,
                reason=match.group("reason"),
                target=target,
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
    """Which rules are silenced where in one document."""

    document: Document
    directives: list[Directive]
    file_rules: set[str] = field(default_factory=set)
    by_line: dict[int, set[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, document: Document) -> Suppressions:
        # Cheap test first: most files have no directive, and splitting lines costs.
        directives = parse(document.lines) if "ignore" in document.text else []
        out = cls(document, directives)
        for directive in directives:
            if directive.file_wide:
                out.file_rules.update(directive.names)
            elif directive.target:
                out.by_line.setdefault(directive.target, set()).update(directive.names)
        return out

    def covers(self, finding: Finding) -> bool:
        """Whether a directive silences this finding (never a format error)."""
        if finding.is_format_error:
            return False
        if finding.rule in self.file_rules:
            return True
        if not self.by_line:
            return False
        lines = {finding.line, *self._node_lines(finding.path)}
        return any(finding.rule in self.by_line.get(line, ()) for line in lines)

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
        if not self.directives:
            return findings
        return [f.with_suppressed() if self.covers(f) else f for f in findings]
