"""`--format gitlab`: a GitLab Code Quality report (a JSON array), shown in merge requests.

Each active finding becomes `{description, check_name, fingerprint, severity, location}`.
The fingerprint hashes the file, rule and message (not the line), so a finding keeps its
identity when lines above it move and GitLab can tell new findings from old ones.
See https://docs.gitlab.com/ee/ci/testing/code_quality.html#code-quality-report-format
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable
from typing import Any

from journeymap.findings import Finding, Severity
from journeymap.report.base import Report
from journeymap.report.stream import Context, Part, Totals, pieces_of, render

_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


class GitlabReporter:
    name = "gitlab"
    description = "GitLab Code Quality report (artifacts:reports:codequality)"
    by_files = False

    def part(self, display: str, findings: list[Finding], context: Context) -> Part:
        """Each active finding as its issue, indented as an item of the array."""
        # The fingerprint counts repeats of (file, rule, message): all in this file's findings.
        seen: Counter[tuple[str, str, str]] = Counter()

        def issue(finding: Finding) -> str:
            key = (finding.file, finding.rule, finding.message)
            seen[key] += 1
            digest = hashlib.sha256("\0".join([*key, str(seen[key])]).encode("utf-8")).hexdigest()
            item = {
                "type": "issue",
                "description": finding.message,
                "check_name": finding.rule,
                "fingerprint": digest,
                "severity": _SEVERITY[finding.severity],
                "location": {"path": finding.file, "lines": {"begin": finding.line}},
            }
            return _indented(json.dumps(item, indent=2, ensure_ascii=False), "  ")

        part = Part.counted(display, findings)
        part.pieces = pieces_of(findings, issue, True)
        return part

    def writer(self, out: Callable[[str], object], context: Context) -> ArrayWriter:
        return ArrayWriter(out, "")

    def render(self, report: Report) -> str:
        return render(self, report)


def _indented(text: str, prefix: str) -> str:
    return prefix + text.replace("\n", "\n" + prefix)


class ArrayWriter:
    """A JSON array as `json.dumps(items, indent=2)` writes it, an item at a time; `indent` is
    the indentation of the line the array closes on."""

    def __init__(self, out: Callable[[str], object], indent: str) -> None:
        self.out = out
        self.indent = indent
        self.first = True

    def piece(self, payload: Any) -> None:
        self.out(("[\n" if self.first else ",\n") + payload)
        self.first = False

    def file(self, part: Part) -> None:
        pass

    def end(self) -> None:
        self.out("[]" if self.first else f"\n{self.indent}]")

    def close(self, totals: Totals) -> None:
        self.end()
        self.out("\n")
