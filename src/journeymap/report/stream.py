"""Reports written as a run goes: each file's share formatted where it was linted, merged here.

A reporter that streams (every one in the registry) has two halves:

- `part(display, findings, context)`, run in the worker that linted the file: the file's
  counts, and its findings already formatted as `pieces`, each with the finding's place in
  the report's order (`findings.ORDER`), or, for a reporter whose report goes file by file
  (JUnit), the file's whole `section`;
- `writer(out, context)`, run in the process that writes the report: takes the pieces in
  report order and the parts in the order they come, and writes its document through `out`.

`write_parts` drives a writer: parts must arrive sorted by file name (`Part.display`) for a
reporter ordered by findings (`by_files` False), or in the inputs' order for one that goes
file by file. It holds at most the last file's pieces (more only when two inputs share a
name), never the run. `render` (the whole report as one string, for a report held in memory)
goes through the same writers, so both give the same bytes.

A run-wide check (two maps with one id, `with_same_ids`) finds more of a file's findings
after its part was made: they go in an addendum part, whose pieces fall into place by their
keys, or, for a reporter that writes a file's whole section at once, into the file's part
made again from its findings (which such a part keeps while it may need them).
"""

from __future__ import annotations

import heapq
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, Protocol

from journeymap.findings import INTERNAL, ORDER, Finding, RuleInfo, Severity
from journeymap.report.base import Report, Reporter

Key = tuple[str, int, int, str, str]


@dataclass(frozen=True)
class Context:
    """What formatting needs to know about the run, in the workers and the writer."""

    command: str = "lint"
    rules: dict[str, RuleInfo] = field(default_factory=dict)
    color: bool = False
    # A file's place among the inputs (reporters that list the files in their order).
    position: Callable[[str], int] | None = None


@dataclass
class Part:
    """One file's share of a report, small enough to come back from a worker process."""

    display: str
    pieces: list[tuple[Key, Any]] = field(default_factory=list)  # sorted by key
    section: Any = None
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    suppressed: int = 0
    failed: bool = False
    internal: bool = False
    listed: bool = True  # one of the run's files (not only where some finding points)
    position: int = 0  # its place among the run's inputs (the report's files are in that order)
    map_id: tuple[str, int, int] | None = None  # the map's id and where (`mapids.MapId`)
    #: More of a listed file's findings, found after its part was made (a run-wide check):
    #: its pieces are written, but it does not count as another file.
    addendum: bool = False
    #: The file's findings, kept by a part with a `section` that a run-wide check may have
    #: to make again (a map with an id); None otherwise.
    findings: list[Finding] | None = None

    @classmethod
    def counted(cls, display: str, findings: Iterable[Finding], failed: bool = False) -> Part:
        """A part with the counts of `findings` (pieces and section left to the reporter)."""
        part = cls(display, failed=failed)
        for finding in findings:
            if finding.suppressed:
                part.suppressed += 1
            elif finding.severity is Severity.ERROR:
                part.errors += 1
            elif finding.severity is Severity.WARNING:
                part.warnings += 1
            else:
                part.infos += 1
            part.internal = part.internal or finding.rule == INTERNAL
        return part


@dataclass
class Totals:
    """The run's counts, summed part by part."""

    files: int = 0
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    suppressed: int = 0
    passed_over: int = 0
    links_not_followed: int = 0
    failed: bool = False
    internal: bool = False

    def add(self, part: Part) -> None:
        self.files += part.listed
        self.errors += part.errors
        self.warnings += part.warnings
        self.infos += part.infos
        self.suppressed += part.suppressed
        self.failed = self.failed or part.failed
        self.internal = self.internal or part.internal

    @property
    def active(self) -> int:
        return self.errors + self.warnings + self.infos

    def summary(self) -> dict[str, int]:
        """As `Report.summary()`."""
        return {
            "files": self.files,
            "errors": self.errors,
            "warnings": self.warnings,
            "infos": self.infos,
            "suppressed": self.suppressed,
            "passed_over": self.passed_over,
            "links_not_followed": self.links_not_followed,
        }


class Writer(Protocol):
    def piece(self, payload: Any) -> None: ...

    def file(self, part: Part) -> None: ...

    def close(self, totals: Totals) -> None: ...


class StreamingReporter(Reporter, Protocol):
    """A reporter that can also write its report as a run goes."""

    by_files: bool

    def part(self, display: str, findings: list[Finding], context: Context) -> Part: ...

    def writer(self, out: Callable[[str], object], context: Context) -> Writer: ...


def write_parts(
    parts: Iterable[Part], writer: Writer, totals: Totals | None = None, files: int | None = None
) -> Totals:
    """Feed `parts` to `writer` (pieces in report order), then close it with the totals
    (`files`: the number of files, when it is not the number of parts)."""
    totals = totals if totals is not None else Totals()
    held: list[tuple[Key, Any]] = []  # pieces that a later file may still come before
    for part in parts:
        totals.add(part)
        if part.listed:
            writer.file(part)
        bound = (part.display,)
        if held and held[0][0] < bound:
            cut = next((i for i, (key, _) in enumerate(held) if not key < bound), len(held))
            for _, payload in held[:cut]:
                writer.piece(payload)
            del held[:cut]
        if not held:
            held = list(part.pieces)
        elif part.pieces:  # two inputs shown under one name, or a finding in another file
            held = list(heapq.merge(held, part.pieces, key=_first))
    for _, payload in held:
        writer.piece(payload)
    if files is not None:
        totals.files = files
    writer.close(totals)
    return totals


class Linted(Protocol):
    """A file's lint result as the lint command keeps it (`lint.run.LintedFile`)."""

    display: str
    findings: list[Finding]
    failed: bool
    map_id: tuple[str, int, int] | None


def linted_part(
    reporter: StreamingReporter, context: Context, linted: Linted, position: int
) -> Part:
    """One linted file as its share of the report (run in the worker that linted it)."""
    part = reporter.part(linted.display, linted.findings, context)
    part.failed = linted.failed
    part.position = position
    part.map_id = linted.map_id
    if part.section is not None and linted.map_id is not None:
        part.findings = linted.findings  # for `with_same_ids`, should another map share its id
    return part


def with_same_ids(
    parts: Iterable[Part], reporter: StreamingReporter, context: Context
) -> Iterator[Part]:
    """`parts`, with a `duplicate-id` error on a map whose id an earlier map of the run has
    (`mapids.SameIds`): in an addendum that follows the map's part, or, when the part is
    one section written whole (JUnit), in the part made again, so the file has one section."""
    from journeymap.mapids import SameIds

    same_ids = SameIds()
    for part in parts:
        clash = same_ids.check(part.display, part.map_id)
        if clash is not None and part.findings is not None:
            yield _remade(part, sorted([*part.findings, clash], key=ORDER), reporter, context)
            continue
        yield part
        if clash is not None:
            extra = reporter.part(part.display, [clash], context)
            extra.listed, extra.addendum, extra.failed = False, True, True
            extra.position = part.position
            yield extra


def _remade(
    part: Part, findings: list[Finding], reporter: StreamingReporter, context: Context
) -> Part:
    """`part` made again from `findings`: the file's place and id kept, failed (an error)."""
    again = reporter.part(part.display, findings, context)
    again.failed, again.listed, again.position = True, part.listed, part.position
    again.map_id = part.map_id
    return again


def write_report(
    parts: Iterable[Part], writer: Writer, left_out: Callable[[], tuple[int, int]]
) -> Totals:
    """Write every part through `writer` as it comes; `left_out()`, asked once every part has
    come, is the number of files passed over and of links not followed, for the summary."""
    totals = Totals()

    def counted() -> Iterator[Part]:
        yield from parts
        totals.passed_over, totals.links_not_followed = left_out()

    return write_parts(counted(), writer, totals)


def _first(item: tuple[Key, Any]) -> Key:
    return item[0]


def render(reporter: StreamingReporter, report: Report) -> str:
    """A whole report held in memory, as one string, through the reporter's writer."""
    out: list[str] = []
    render_into(reporter, report, reporter.writer(out.append, context_of(report)))
    return "".join(out)


def context_of(report: Report) -> Context:
    return Context(report.command, report.rules, report.color, _positions(report.files))


def render_into(reporter: StreamingReporter, report: Report, writer: Writer) -> Totals:
    """Feed a report held in memory to `writer`, as a run would, file by file."""
    context = context_of(report)
    by_file: dict[str, list[Finding]] = {name: [] for name in report.files}
    for finding in report.findings:
        by_file.setdefault(finding.file, []).append(finding)
    listed = set(report.files)
    parts = []
    for name in report.files if reporter.by_files else sorted(by_file):
        part = reporter.part(name, by_file[name], context)
        part.listed = name in listed  # a finding in a file the run did not list: not a file
        part.position = context.position(name) if context.position else 0
        parts.append(part)
    totals = Totals(passed_over=report.passed_over, links_not_followed=report.links_not_followed)
    return write_parts(parts, writer, totals, files=len(report.files))


def _positions(files: list[str]) -> Callable[[str], int]:
    index = {name: i for i, name in enumerate(files)}
    return lambda name: index.get(name, len(index))


def pieces_of(
    findings: Iterable[Finding], fmt: Callable[[Finding], Any], active_only: bool
) -> list[tuple[Key, Any]]:
    """Each finding (or each active one) formatted, keyed by its place in the report."""
    out = [(ORDER(f), fmt(f)) for f in findings if not (active_only and f.suppressed)]
    out.sort(key=_first)
    return out


def scratch() -> IO[str]:
    """Where a writer keeps what its document needs after something known only at the end:
    in memory while small, then on disk."""
    return tempfile.SpooledTemporaryFile(1 << 20, "w+", encoding="utf-8", errors="surrogatepass")
