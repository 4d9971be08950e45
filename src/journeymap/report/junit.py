"""`--format junit`: JUnit XML, one test suite per file and one test case per rule.

A test case fails when its rule has an active error or warning in the file; info findings and
suppressed findings are listed in the test case's output without failing it. A file with format
errors has a failing `format` test case, and its lint test cases are skipped (not linted).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import Any

from journeymap.escape import xml_text
from journeymap.findings import FORMAT_RULES, Finding, Severity
from journeymap.mapids import is_shared_id
from journeymap.report.base import Report
from journeymap.report.stream import Context, Part, Totals, render, scratch

FORMAT_CASE = "format"


def _line(finding: Finding) -> str:
    tail = " (suppressed)" if finding.suppressed else ""
    return (
        f"{finding.file}:{finding.line}:{finding.column}: {finding.severity.value} "
        f"{finding.rule} {finding.message}{tail}"
    )


class JunitReporter:
    name = "junit"
    description = "JUnit XML for CI servers: a test case per file and rule"
    by_files = True

    def part(self, display: str, findings: list[Finding], context: Context) -> Part:
        """The file's test suite, as XML indented for its place in the document."""
        part = Part.counted(display, findings)
        counts, text = _suite(display, findings, context.rules)
        part.section = (counts, text)
        return part

    def writer(self, out: Callable[[str], object], context: Context) -> JunitWriter:
        return JunitWriter(out, context.command)

    def render(self, report: Report) -> str:
        return render(self, report)


def _suite(
    file: str, findings: list[Finding], rules: Mapping[str, object]
) -> tuple[dict[str, int], str]:
    from xml.etree import ElementTree as ET  # only when this format is asked for

    by_case: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_case[FORMAT_CASE if finding.is_format_error else finding.rule].append(finding)
    lint_rules = [name for name in rules if name not in (FORMAT_CASE, *FORMAT_RULES)]
    holder = ET.Element("testsuites")
    suite = ET.SubElement(holder, "testsuite", name=file)
    counts = {"tests": 0, "failures": 0, "skipped": 0}
    # Another map's id is no reason the file was not linted: its other cases stand.
    broken = any(not is_shared_id(f) for f in by_case.get(FORMAT_CASE, []))
    extra = [r for r in by_case if r not in (FORMAT_CASE, *lint_rules)]
    for case_name in (FORMAT_CASE, *lint_rules, *extra):
        case = ET.SubElement(suite, "testcase", name=case_name, classname=file, file=file, time="0")
        counts["tests"] += 1
        found = by_case.get(case_name, [])
        failing = [
            f
            for f in found
            if not f.suppressed and f.severity in (Severity.ERROR, Severity.WARNING)
        ]
        if failing:
            counts["failures"] += 1
            worst = max(failing, key=lambda f: f.severity.rank)
            count = len(failing)
            failure = ET.SubElement(
                case,
                "failure",
                message=f"{count} finding{'s' if count > 1 else ''}: {failing[0].message}",
                type=worst.severity.value,
            )
            failure.text = "\n".join(_line(f) for f in failing)
        elif broken and case_name != FORMAT_CASE:
            counts["skipped"] += 1
            ET.SubElement(case, "skipped", message="not linted: the file has format errors")
        rest = [f for f in found if f not in failing]
        if rest:
            ET.SubElement(case, "system-out").text = "\n".join(_line(f) for f in rest)
    for key, value in counts.items():
        suite.set(key, str(value))
    suite.set("errors", "0")
    suite.set("time", "0")
    ET.indent(holder)  # as the whole document is indented: the suite one level in
    suite.tail = None
    # ElementTree escapes markup but passes on characters XML 1.0 cannot hold at all
    # (control characters from a hostile map), which make the whole report unreadable.
    return counts, xml_text(ET.tostring(suite, encoding="unicode"))


class JunitWriter:
    """Test suites go to a scratch file as they come: the root element, first in the
    document, carries the totals, known only at the end."""

    def __init__(self, out: Callable[[str], object], command: str) -> None:
        self.out = out
        self.command = command
        self.suites = scratch()
        self.totals = {"tests": 0, "failures": 0, "skipped": 0}
        self.count = 0

    def piece(self, payload: Any) -> None:
        raise AssertionError("JUnit reports go file by file")

    def file(self, part: Part) -> None:
        counts, text = part.section
        for key, value in counts.items():
            self.totals[key] += value
        self.suites.write(("\n  " if self.count else "") + text)
        self.count += 1

    def close(self, totals: Totals) -> None:
        from xml.etree import ElementTree as ET

        root = ET.Element("testsuites", name=f"journeymap {self.command}")
        for key, value in self.totals.items():
            root.set(key, str(value))
        root.set("errors", "0")
        root.set("time", "0")
        if self.count:
            root.text = "suites"
        head, _, tail = xml_text(ET.tostring(root, encoding="unicode")).partition("suites</")
        self.out('<?xml version="1.0" encoding="UTF-8"?>\n' + head)
        with self.suites:
            if self.count:
                self.out("\n  ")
                self.suites.seek(0)
                while chunk := self.suites.read(1 << 16):
                    self.out(chunk)
                self.out("\n")
        self.out(("</" if tail else "") + tail + "\n")
