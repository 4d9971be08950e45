"""`--format json`: one object, `{"findings": [...], "summary": {...}}`."""

from __future__ import annotations

import json

from journeymap.report.base import Report


class JsonReporter:
    name = "json"
    description = "one JSON object: findings (file, line, column, rule, severity, ...) and summary"

    def render(self, report: Report) -> str:
        findings = []
        for finding in report.findings:
            item = finding.to_dict()
            if report.command != "validate":
                item["suppressed"] = finding.suppressed
            findings.append(item)
        body = {"findings": findings, "summary": report.summary()}
        return json.dumps(body, indent=2, ensure_ascii=False) + "\n"
