"""`--format github`: GitHub Actions workflow commands, which become annotations on the PR.

`::error file=F,line=L,col=C,title=T::message` for each active finding (info is a `notice`),
escaped as the Actions toolkit does: `%`, `\\r` and `\\n` everywhere, and `:` and `,` in the
properties too. `step_summary` is the Markdown table for `$GITHUB_STEP_SUMMARY`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from journeymap.escape import markdown, workflow_data, workflow_property
from journeymap.findings import Finding, Severity
from journeymap.report.base import Report
from journeymap.report.stream import Context, Part, Totals, pieces_of, render, render_into
from journeymap.report.text import LinesWriter, summary_text
from journeymap.words import plural

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
MAX_SUMMARY_ROWS = 500  # the step summary is capped at 1 MiB; keep it readable well below that


class GithubReporter:
    name = "github"
    description = "GitHub Actions annotations (the default when GITHUB_ACTIONS=true)"
    by_files = False

    def part(self, display: str, findings: list[Finding], context: Context) -> Part:
        """Each active finding's annotation, and its row of the step summary."""
        part = Part.counted(display, findings)
        part.pieces = pieces_of(findings, lambda f: (_annotation(f), _row(f)), True)
        return part

    def writer(self, out: Callable[[str], object], context: Context) -> GithubWriter:
        return GithubWriter(out, context.command)

    def render(self, report: Report) -> str:
        return render(self, report)


def _annotation(finding: Finding) -> str:
    props = ",".join(
        f"{key}={workflow_property(value)}"
        for key, value in (
            ("file", finding.file),
            ("line", str(finding.line)),
            ("col", str(finding.column)),
            ("title", f"journeymap: {finding.rule}"),
        )
    )
    return f"::{_COMMAND[finding.severity]} {props}::{workflow_data(finding.message)}"


def _row(finding: Finding) -> str:
    return (
        f"| {markdown(finding.file)} | {finding.line} | {finding.severity.value} | "
        f"`{finding.rule}` | {markdown(finding.message)} |"
    )


class GithubWriter(LinesWriter):
    """The annotations, then the summary line; keeps what the step summary shows (its first
    rows, and the counts), not the run."""

    def __init__(self, out: Callable[[str], object], command: str) -> None:
        super().__init__(out, command)
        self.rows: list[str] = []
        self.totals = Totals()

    def piece(self, payload: Any) -> None:
        annotation, row = payload
        super().piece(annotation)
        if len(self.rows) < MAX_SUMMARY_ROWS:
            self.rows.append(row)

    def close(self, totals: Totals) -> None:
        super().close(totals)
        self.totals = totals

    def step_summary(self) -> str:
        """A Markdown section for the job summary page: counts, then a table of the findings."""
        totals = self.totals
        title = f"## journeymap {self.command}"
        lines = [title, "", summary_text(self.command, totals.summary()), ""]
        if totals.active:
            lines += [
                "| File | Line | Severity | Rule | Message |",
                "| --- | ---: | --- | --- | --- |",
            ]
            lines += self.rows
            if totals.active > MAX_SUMMARY_ROWS:
                lines.append(f"\n…and {plural(totals.active - MAX_SUMMARY_ROWS, 'more finding')}.")
            lines.append("")
        return "\n".join(lines) + "\n"


def step_summary(report: Report) -> str:
    """A Markdown section for the job summary page: counts, then a table of the findings."""
    writer = GithubWriter(lambda _: None, report.command)
    render_into(GithubReporter(), report, writer)
    return writer.step_summary()
