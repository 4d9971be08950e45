"""`--format junit`: JUnit XML, one test suite per file and one test case per rule.

A test case fails when its rule has an active error or warning in the file; info findings and
suppressed findings are listed in the test case's output without failing it. A file with format
errors has a failing `format` test case, and its lint test cases are skipped (not linted).
"""

from __future__ import annotations

from collections import defaultdict

from journeymap.escape import xml_text
from journeymap.findings import FORMAT_RULES, Finding, Severity
from journeymap.report.base import Report

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

    def render(self, report: Report) -> str:
        from xml.etree import ElementTree as ET  # only when this format is asked for

        by_case: dict[tuple[str, str], list[Finding]] = defaultdict(list)
        for finding in report.findings:
            rule = FORMAT_CASE if finding.is_format_error else finding.rule
            by_case[finding.file, rule].append(finding)
        lint_rules = [name for name in report.rules if name not in (FORMAT_CASE, *FORMAT_RULES)]
        root = ET.Element("testsuites", name=f"journeymap {report.command}")
        totals = {"tests": 0, "failures": 0, "skipped": 0}
        for file in report.files:
            suite = ET.SubElement(root, "testsuite", name=file)
            counts = {"tests": 0, "failures": 0, "skipped": 0}
            broken = bool(by_case.get((file, FORMAT_CASE)))
            extra = [r for (f, r) in by_case if f == file and r not in (FORMAT_CASE, *lint_rules)]
            for case_name in (FORMAT_CASE, *lint_rules, *extra):
                case = ET.SubElement(
                    suite, "testcase", name=case_name, classname=file, file=file, time="0"
                )
                counts["tests"] += 1
                findings = by_case.get((file, case_name), [])
                failing = [
                    f
                    for f in findings
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
                rest = [f for f in findings if f not in failing]
                if rest:
                    ET.SubElement(case, "system-out").text = "\n".join(_line(f) for f in rest)
            for key, value in counts.items():
                suite.set(key, str(value))
                totals[key] += value
            suite.set("errors", "0")
            suite.set("time", "0")
        for key, value in totals.items():
            root.set(key, str(value))
        root.set("errors", "0")
        root.set("time", "0")
        ET.indent(root)
        # ElementTree escapes markup but passes on characters XML 1.0 cannot hold at all
        # (control characters from a hostile map), which make the whole report unreadable.
        body = xml_text(ET.tostring(root, encoding="unicode"))
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
