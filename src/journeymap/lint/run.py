"""`journeymap lint` and `journeymap rules` below the command line: plain functions, no typer.

The CLI parses arguments and calls these; tests call them directly too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from journeymap.findings import FORMAT_RULES, ORDER, Finding, RuleInfo, Severity, fail_rank
from journeymap.inspection import Inspection as Checked
from journeymap.lint import RULE_BY_NAME, lint_checked
from journeymap.lint.core import check_rule_names

_FORMAT_SUMMARIES = {
    "syntax": "The file is not valid YAML.",
    "schema": "The map does not match the format (a missing, unknown or mistyped key).",
    "reference": "A persona, channel, step or library reference names nothing that exists.",
    "duplicate-id": "An id is defined twice.",
    "duplicate-key": "A mapping has the same key twice.",
    "limits": "The file is larger or deeper than the configured limits.",
    "encoding": "The file is not UTF-8 text.",
    "version": "The format version is missing or not supported.",
}


def split_names(values: Iterable[str] | None) -> set[str] | None:
    """`--select a,b --select c` -> {a, b, c}; None when the option was not given."""
    if values is None:
        return None
    return {name.strip() for value in values for name in value.split(",") if name.strip()}


def rule_infos() -> dict[str, RuleInfo]:
    """Metadata for reporters: every lint rule, then the format checks."""
    infos = {
        rule.name: RuleInfo(rule.name, rule.default_severity, rule.summary, rule.documentation)
        for rule in RULE_BY_NAME.values()
    }
    for name in FORMAT_RULES:
        summary = _FORMAT_SUMMARIES.get(name, f"Format error: {name}.")
        doc = f"{summary}\n\nFormat errors are always errors and cannot be suppressed."
        infos[name] = RuleInfo(name, Severity.ERROR, summary, doc)
    return infos


@dataclass
class LintRun:
    files: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    failed: bool = False


@dataclass(frozen=True)
class LintedFile:
    """What a run keeps of one file: small, so it can come back from a worker process."""

    display: str
    findings: list[Finding]
    failed: bool

    def to_json(self) -> dict[str, object]:
        """For the result cache: a list per finding (its file left out when it is this one)."""
        findings = [
            [
                "" if f.file == self.display else f.file,
                f.line,
                f.column,
                f.rule,
                f.severity.value,
                f.message,
                f.path,
                f.suppressed,
            ]
            for f in self.findings
        ]
        return {"display": self.display, "failed": self.failed, "findings": findings}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LintedFile:
        """The inverse of `to_json`; raises KeyError, TypeError or ValueError on other data."""
        display = data["display"]
        if not isinstance(display, str):
            raise TypeError("display")
        findings = [
            Finding(
                str(file or display),
                int(line),
                int(column),
                str(rule),
                Severity(severity),
                str(message),
                str(path),
                bool(suppressed),
            )
            for file, line, column, rule, severity, message, path, suppressed in data["findings"]
        ]
        return cls(display, findings, bool(data["failed"]))


def check_names(select: set[str] | None, ignore: set[str] | None) -> None:
    """Raise ConfigError for an unknown rule name in `--select` or `--ignore`."""
    if select is not None:
        check_rule_names(sorted(select), RULE_BY_NAME, "--select")
    if ignore:
        check_rule_names(sorted(ignore), RULE_BY_NAME, "--ignore")


def lint_one(
    checked: Checked,
    *,
    select: set[str] | None = None,
    ignore: set[str] | None = None,
    fail_on: str | None = None,
    today: dt.date | None = None,
    metrics: dict[str, Any] | None = None,
) -> LintedFile:
    """Lint one file; `failed` when an active finding reaches the file's fail-on level.

    `fail_on` (the command line) wins over the file's configuration.
    """
    findings = lint_checked(checked, select=select, ignore=ignore, today=today, metrics=metrics)
    threshold = fail_rank(fail_on or checked.config.fail_on)
    failed = any(f.severity.rank >= threshold for f in findings if not f.suppressed)
    return LintedFile(checked.display, findings, failed)


def lint_all(linted: Iterable[LintedFile]) -> LintRun:
    """Gather the files' results into one run, findings in a stable order."""
    run = LintRun()
    for item in linted:
        run.failed = run.failed or item.failed
        run.files.append(item.display)
        run.findings.extend(item.findings)
    run.findings.sort(key=ORDER)
    return run


def rules_table() -> str:
    """`journeymap rules`: one line per rule."""
    width = max(len(name) for name in RULE_BY_NAME)
    lines = [
        f"{rule.name:<{width}}  {rule.default_severity.value:<7}  {rule.summary}"
        for rule in RULE_BY_NAME.values()
    ]
    return "\n".join(lines) + "\n"


def rule_doc(name: str) -> str:
    """`journeymap rules NAME`: the rule's documentation (raises KeyError if unknown)."""
    rule = RULE_BY_NAME[name]
    body = rule.documentation
    return f"{rule.name} (default severity: {rule.default_severity.value})\n\n{body}\n"
