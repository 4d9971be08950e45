"""A lint's report written as the files are linted, in bounded memory.

Each file's findings are formatted in the worker that linted it (`linted_part`, the pipeline's
`finish` step, after the result cache), and the parent only merges the parts in report order
and writes them (`write_report`): it holds a few files' parts, never the run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from journeymap.lint.run import LintedFile
from journeymap.report.stream import Context, Part, StreamingReporter, Totals, Writer, write_parts


def linted_part(
    reporter: StreamingReporter, context: Context, linted: LintedFile, position: int
) -> Part:
    """One linted file as its share of the report (run in the worker that linted it)."""
    part = reporter.part(linted.display, linted.findings, context)
    part.failed = linted.failed
    part.position = position
    return part


def write_report(parts: Iterable[Part], writer: Writer, passed_over: Callable[[], int]) -> Totals:
    """Write every part through `writer` as it comes; `passed_over()`, asked once every part
    has come, is the number of files passed over for the summary."""
    totals = Totals()

    def counted() -> Iterator[Part]:
        yield from parts
        totals.passed_over = passed_over()

    return write_parts(counted(), writer, totals)
