"""`--format text`: `file:line:col: severity rule message`, a code frame, and a summary."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from journeymap.escape import line_start, terminal
from journeymap.files import read_bounded
from journeymap.findings import Finding, Severity
from journeymap.inputs import links_not_followed
from journeymap.loader import DEFAULT_LIMITS
from journeymap.report.base import Report
from journeymap.report.stream import Context, Part, Totals, pieces_of, render
from journeymap.words import plural

_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}
_MAX_FRAME = 160


def _paint(text: str, code: str, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color else text


def _clean(line: str) -> str:
    """A source line fit for a terminal (`escape.terminal`); a tab is shown as `→`, one
    column like the tab it stands for, so a caret under it stays in place."""
    return terminal(line.replace("\t", "→"))  # replace returns the line itself when no tab


def _window_start(length: int, column: int) -> int:
    """Where a code frame's window of a long line starts: the caret near its middle."""
    if length <= _MAX_FRAME:
        return 0
    return max(0, min(column - 1 - _MAX_FRAME // 2, length - _MAX_FRAME))


def _cut(line: str, start: int) -> str:
    """At most _MAX_FRAME characters of a line from `start`, with `…` where text is cut."""
    if len(line) <= _MAX_FRAME and not start:
        return line
    part = line[start : start + _MAX_FRAME]
    return ("…" if start else "") + part + ("…" if start + _MAX_FRAME < len(line) else "")


class TextReporter:
    name = "text"
    description = "for people: file:line:col, a code frame with a caret, and a summary"
    by_files = False

    def __init__(self, max_bytes: int = DEFAULT_LIMITS.max_bytes) -> None:
        self.max_bytes = max_bytes

    def _lines(self, file: str, sources: dict[str, list[str] | None]) -> list[str] | None:
        """A file's lines, read once per part (`sources`): never kept from one run to the
        next, which may see another file under the same name."""
        if file in sources:
            return sources[file]
        lines: list[str] | None
        try:
            # Bounded like the map's own read: the name may be a link to /dev/zero or a FIFO.
            raw = read_bounded(file, self.max_bytes)
            lines = None if len(raw) > self.max_bytes else raw.decode("utf-8").splitlines()
        except (OSError, UnicodeDecodeError, ValueError):  # ValueError: a NUL in the name
            lines = None
        sources[file] = lines
        return lines

    def frame(
        self, finding: Finding, color: bool, sources: dict[str, list[str] | None] | None = None
    ) -> list[str]:
        lines = self._lines(finding.file, {} if sources is None else sources)
        number = finding.line
        if not lines or not 1 <= number <= len(lines):
            return []
        shown = str(number)
        width = len(shown)
        line = _clean(lines[number - 1])
        start = _window_start(len(line), finding.column)
        out = []
        if number > 1 and lines[number - 2].strip():
            before = _cut(_clean(lines[number - 2]), start)
            out.append(f" {str(number - 1).rjust(width)} | {before}")
        out.append(f" {shown} | {_cut(line, start)}")
        # The caret sits under the column, counted in the cut line (after its leading "…").
        offset = min(max(finding.column, 1), len(line) + 1) - start + (1 if start else 0)
        caret = " " * (offset - 1) + "^"
        out.append(f" {' ' * width} | {_paint(caret, _COLORS[finding.severity], color)}")
        return out

    def block(
        self,
        finding: Finding,
        color: bool,
        names: dict[str, str] | None = None,
        sources: dict[str, list[str] | None] | None = None,
    ) -> str:
        """One finding's lines: where and what, then its code frame."""
        # The file's name is the author's and the message quotes map text: both are cleaned,
        # a name once for all its findings (`names`, a file's findings, share it).
        name = names.get(finding.file) if names is not None else None
        if name is None:
            name = line_start(finding.file)
            if names is not None:
                names[finding.file] = name
        where = _paint(f"{name}:{finding.line}:{finding.column}:", "1", color)
        severity = _paint(finding.severity.value, _COLORS[finding.severity], color)
        head = f"{where} {severity} {finding.rule} {_clean(finding.message)}"
        return "\n".join([head, *self.frame(finding, color, sources)])

    def part(self, display: str, findings: list[Finding], context: Context) -> Part:
        """A file's findings formatted (in the worker that linted it), and its counts."""
        part = Part.counted(display, findings)
        # Read the file afresh for each part: a name read in an earlier run of this process
        # (tests, serve) may be another file now, or the same file edited.
        names: dict[str, str] = {}
        sources: dict[str, list[str] | None] = {}
        part.pieces = pieces_of(
            findings, lambda f: self.block(f, context.color, names, sources), True
        )
        return part

    def writer(self, out: Callable[[str], object], context: Context) -> LinesWriter:
        return LinesWriter(out, context.command)

    def render(self, report: Report) -> str:
        return render(self, report)


class LinesWriter:
    """A line (or block of lines) per active finding, then the summary line."""

    def __init__(self, out: Callable[[str], object], command: str) -> None:
        self.out = out
        self.command = command

    def piece(self, payload: Any) -> None:
        self.out(f"{payload}\n")

    def file(self, part: Part) -> None:
        pass

    def close(self, totals: Totals) -> None:
        self.out(summary_text(self.command, totals.summary()) + "\n")


def files_checked(files: int, passed_over: int, links: int = 0) -> str:
    """`6 files checked` and, when some were, `, 2 passed over (not maps; -v names them)` and
    `, 1 link not followed (...; -v names it)`."""
    text = f"{plural(files, 'file')} checked"
    if passed_over:
        text += f", {passed_over} passed over (not maps; -v names them)"
    if links:
        text += f", {links_not_followed(links)}"
    return text


def summary_line(report: Report) -> str:
    return summary_text(report.command, report.summary())


def summary_text(command: str, s: dict[str, int]) -> str:
    """`6 files checked: 2 errors, 1 warning` or `... : all clean`, from a run's counts."""
    files = files_checked(s["files"], s["passed_over"], s["links_not_followed"])
    if not s["errors"] + s["warnings"] + s["infos"]:
        verb = "valid" if command == "validate" else "clean"
        tail = f" ({s['suppressed']} suppressed)" if s["suppressed"] else ""
        return f"{files}: all {verb}{tail}"
    parts = [plural(s["errors"], "error"), plural(s["warnings"], "warning")]
    if s["infos"]:
        parts.append(plural(s["infos"], "info"))
    tail = f", {s['suppressed']} suppressed" if s["suppressed"] else ""
    return f"{files}: {', '.join(parts)}{tail}"
