"""`--format github`: GitHub Actions workflow commands, which become annotations on the PR.

`::error file=F,line=L,col=C,title=T::message` for each active finding (info is a `notice`),
escaped as the Actions toolkit does: `%`, `\\r` and `\\n` everywhere, and `:` and `,` in the
properties too. `step_summary` is the Markdown table for `$GITHUB_STEP_SUMMARY`.
"""

from __future__ import annotations

from journeymap.escape import markdown, workflow_data, workflow_property
from journeymap.findings import Severity
from journeymap.report.base import Report
from journeymap.report.text import summary_line

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
MAX_SUMMARY_ROWS = 500  # the step summary is capped at 1 MiB; keep it readable well below that


class GithubReporter:
    name = "github"
    description = "GitHub Actions annotations (the default when GITHUB_ACTIONS=true)"

    def render(self, report: Report) -> str:
        out = []
        for finding in report.active:
            props = ",".join(
                f"{key}={workflow_property(value)}"
                for key, value in (
                    ("file", finding.file),
                    ("line", str(finding.line)),
                    ("col", str(finding.column)),
                    ("title", f"journeymap: {finding.rule}"),
                )
            )
            out.append(f"::{_COMMAND[finding.severity]} {props}::{workflow_data(finding.message)}")
        out.append(summary_line(report))
        return "\n".join(out) + "\n"


def step_summary(report: Report) -> str:
    """A Markdown section for the job summary page: counts, then a table of the findings."""
    title = f"## journeymap {report.command}"
    lines = [title, "", summary_line(report), ""]
    active = report.active
    if active:
        lines += ["| File | Line | Severity | Rule | Message |", "| --- | ---: | --- | --- | --- |"]
        for finding in active[:MAX_SUMMARY_ROWS]:
            lines.append(
                f"| {markdown(finding.file)} | {finding.line} | {finding.severity.value} | "
                f"`{finding.rule}` | {markdown(finding.message)} |"
            )
        if len(active) > MAX_SUMMARY_ROWS:
            lines.append(f"\n…and {len(active) - MAX_SUMMARY_ROWS} more findings.")
        lines.append("")
    return "\n".join(lines) + "\n"
