"""`--format json`: one object, `{"findings": [...], "summary": {...}}`, a finding per line.

One finding per line keeps the output readable and diffable while every line is encoded by the
C encoder (`indent=` would switch to the pure-Python one, 6% of a 1,000-map lint run), and lets
the document be written as a run goes: each line is made in the worker that linted its file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from journeymap.findings import Finding
from journeymap.report.base import Report
from journeymap.report.stream import Context, Part, Totals, pieces_of, render

_encode = json.JSONEncoder(ensure_ascii=False).encode


class JsonReporter:
    name = "json"
    description = "one JSON object: findings (file, line, column, rule, severity, ...) and summary"
    by_files = False

    def part(self, display: str, findings: list[Finding], context: Context) -> Part:
        part = Part.counted(display, findings)
        part.pieces = pieces_of(findings, lambda f: _line(f, context.command), False)
        return part

    def writer(self, out: Callable[[str], object], context: Context) -> JsonWriter:
        return JsonWriter(out)

    def render(self, report: Report) -> str:
        return render(self, report)


def _line(finding: Finding, command: str) -> str:
    item = finding.to_dict()
    if command != "validate":
        item["suppressed"] = finding.suppressed
    return "    " + _encode(item)


class JsonWriter:
    def __init__(self, out: Callable[[str], object]) -> None:
        self.out = out
        self.first = True

    def piece(self, payload: Any) -> None:
        self.out(('{\n  "findings": [\n' if self.first else ",\n") + payload)
        self.first = False

    def file(self, part: Part) -> None:
        pass

    def close(self, totals: Totals) -> None:
        head = '{\n  "findings": []' if self.first else "\n  ]"
        self.out(f'{head},\n  "summary": {_encode(totals.summary())}\n}}\n')
