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

from journeymap.findings import Severity
from journeymap.report.base import Report

_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


class GitlabReporter:
    name = "gitlab"
    description = "GitLab Code Quality report (artifacts:reports:codequality)"

    def render(self, report: Report) -> str:
        seen: Counter[tuple[str, str, str]] = Counter()
        issues = []
        for finding in report.active:
            key = (finding.file, finding.rule, finding.message)
            seen[key] += 1
            digest = hashlib.sha256("\0".join([*key, str(seen[key])]).encode("utf-8")).hexdigest()
            issues.append(
                {
                    "type": "issue",
                    "description": finding.message,
                    "check_name": finding.rule,
                    "fingerprint": digest,
                    "severity": _SEVERITY[finding.severity],
                    "location": {"path": finding.file, "lines": {"begin": finding.line}},
                }
            )
        return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
