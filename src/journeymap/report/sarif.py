"""`--format sarif`: SARIF 2.1.0, for GitHub code scanning and other static-analysis viewers.

Every rule the run knows is described (short and full description, help, default level);
suppressed findings are results with an in-source `suppressions` entry, as the spec asks.
"""

from __future__ import annotations

import json
import re
from pathlib import PurePosixPath
from urllib.parse import quote

from journeymap import __version__
from journeymap.findings import Finding, RuleInfo, Severity
from journeymap.report.base import Report

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_SECTION = re.compile(r"^## What it does\n(.*?)(?=^## |\Z)", re.MULTILINE | re.DOTALL)


def _uri(file: str) -> str:
    path = PurePosixPath(file)
    if path.is_absolute():
        return "file://" + quote(file)
    return quote(file)


def _full_description(info: RuleInfo) -> str:
    match = _SECTION.search(info.doc)
    text = match.group(1).strip() if match else info.summary
    return " ".join(text.split())


def _descriptor(info: RuleInfo) -> dict[str, object]:
    help_text = info.doc.strip() or info.summary
    return {
        "id": info.name,
        "name": "".join(word.capitalize() for word in info.name.split("-")),
        "shortDescription": {"text": info.summary},
        "fullDescription": {"text": _full_description(info)},
        "help": {"text": help_text, "markdown": help_text},
        "defaultConfiguration": {"level": _LEVEL[info.severity]},
        "properties": {"tags": ["journey-map"]},
    }


def _fingerprint(finding: Finding) -> str:
    """Stable when lines move: the file, the rule and the node's JSON Pointer."""
    import hashlib

    key = "\0".join((finding.file, finding.rule, finding.path, finding.message))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


class SarifReporter:
    name = "sarif"
    description = "SARIF 2.1.0 (GitHub code scanning), suppressed findings included"

    def render(self, report: Report) -> str:
        rules = dict(report.rules)
        for finding in report.findings:  # a rule the caller did not describe (format checks)
            if finding.rule not in rules:
                rules[finding.rule] = RuleInfo(finding.rule, Severity.ERROR, finding.rule)
        index = {name: i for i, name in enumerate(rules)}
        results = []
        for finding in report.findings:
            result: dict[str, object] = {
                "ruleId": finding.rule,
                "ruleIndex": index[finding.rule],
                "level": _LEVEL[finding.severity],
                "message": {"text": finding.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": _uri(finding.file)},
                            "region": {
                                "startLine": max(finding.line, 1),
                                "startColumn": max(finding.column, 1),
                            },
                        },
                        **(
                            {"logicalLocations": [{"fullyQualifiedName": finding.path}]}
                            if finding.path
                            else {}
                        ),
                    }
                ],
                "partialFingerprints": {"journeymapFinding/v1": _fingerprint(finding)},
            }
            if finding.suppressed:
                result["suppressions"] = [{"kind": "inSource", "status": "accepted"}]
            results.append(result)
        log = {
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "journeymap",
                            "version": __version__,
                            "semanticVersion": __version__,
                            "rules": [_descriptor(info) for info in rules.values()],
                        }
                    },
                    "artifacts": [{"location": {"uri": _uri(file)}} for file in report.files],
                    "results": results,
                    "columnKind": "unicodeCodePoints",
                }
            ],
        }
        return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
