"""`--format sarif`: SARIF 2.1.0, for GitHub code scanning and other static-analysis viewers.

Every rule the run knows is described (short and full description, help, default level);
suppressed findings are results with an in-source `suppressions` entry, as the spec asks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import PurePosixPath
from urllib.parse import quote

from journeymap import __version__
from journeymap.findings import Finding, RuleInfo, Severity
from journeymap.report.base import Report
from journeymap.report.gitlab import ArrayWriter
from journeymap.report.stream import Context, Part, Totals, pieces_of, render, scratch

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


def _result(finding: Finding, index: int) -> str:
    """A finding as an item of `results`, indented as json.dumps(log, indent=2) puts it."""
    result: dict[str, object] = {
        "ruleId": finding.rule,
        "ruleIndex": index,
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
    return _ITEM + json.dumps(result, indent=2, ensure_ascii=False).replace("\n", "\n" + _ITEM)


_ITEM = " " * 8  # the depth of an item of runs[0].results (and of runs[0].artifacts)


class SarifReporter:
    name = "sarif"
    description = "SARIF 2.1.0 (GitHub code scanning), suppressed findings included"
    by_files = False

    def part(self, display: str, findings: list[Finding], context: Context) -> Part:
        """Each finding as its result; one of a rule the run does not describe is left to the
        writer, which adds the rule (and knows its index)."""
        index = {name: i for i, name in enumerate(context.rules)}

        def result(finding: Finding) -> str | Finding:
            at = index.get(finding.rule)
            return finding if at is None else _result(finding, at)

        part = Part.counted(display, findings)
        part.pieces = pieces_of(findings, result, False)
        return part

    def writer(self, out: Callable[[str], object], context: Context) -> SarifWriter:
        return SarifWriter(out, context)

    def render(self, report: Report) -> str:
        return render(self, report)


class SarifWriter:
    """Results go to a scratch file as they come (the rules and the artifacts come first in
    the document, and are known only at the end); the document is written on `close`."""

    def __init__(self, out: Callable[[str], object], context: Context) -> None:
        self.out = out
        self.rules = dict(context.rules)
        self.files: list[tuple[int, str]] = []
        self.results = scratch()
        self.count = 0

    def piece(self, payload: str | Finding) -> None:
        if isinstance(payload, Finding):  # a rule the caller did not describe (format checks)
            info = self.rules.setdefault(
                payload.rule, RuleInfo(payload.rule, Severity.ERROR, payload.rule)
            )
            payload = _result(payload, list(self.rules).index(info.name))
        self.results.write(("" if not self.count else ",\n") + payload)
        self.count += 1

    def file(self, part: Part) -> None:
        self.files.append((part.position, part.display))

    def close(self, totals: Totals) -> None:
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
                            "rules": [_descriptor(info) for info in self.rules.values()],
                        }
                    },
                    "artifacts": "\0artifacts",
                    "results": "\0results",
                    "columnKind": "unicodeCodePoints",
                }
            ],
        }
        head = json.dumps(log, indent=2, ensure_ascii=False)
        before, rest = head.split('"\\u0000artifacts"', 1)
        between, after = rest.split('"\\u0000results"', 1)
        self.out(before)
        artifacts = ArrayWriter(self.out, " " * 6)
        self.files.sort(key=lambda item: item[0])
        for _, file in self.files:
            location = json.dumps({"location": {"uri": _uri(file)}}, indent=2, ensure_ascii=False)
            artifacts.piece(_ITEM + location.replace("\n", "\n" + _ITEM))
        artifacts.end()
        self.out(between)
        with self.results:
            if not self.count:
                self.out("[]")
            else:
                self.out("[\n")
                self.results.seek(0)
                while chunk := self.results.read(1 << 16):
                    self.out(chunk)
                self.out("\n" + " " * 6 + "]")
        self.out(after + "\n")
