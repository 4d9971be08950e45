"""`journeymap lint` and `journeymap rules` below the command line: plain functions, no typer.

The CLI parses arguments into `LintOptions` and calls `run`, which lints every map and hands
each file's result on to the CLI's `finish` (the reporter's part of the report), in report
order, or raises `ConfigError`, `InputError` or `MetricsError`. Tests call these directly too.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from journeymap.findings import FORMAT_RULES, Finding, RuleInfo, Severity, fail_rank
from journeymap.inspection import Inspection as Checked
from journeymap.lint import RULE_BY_NAME, lint_checked
from journeymap.lint.core import check_rule_names
from journeymap.mapids import MapId, id_from_json, map_id_of
from journeymap.runner import InputOptions

if TYPE_CHECKING:
    from journeymap.inputs import Tally

U = TypeVar("U")

_FORMAT_SUMMARIES = {
    "syntax": "The file is not valid YAML.",
    "schema": "The map does not match the format (a missing, unknown or mistyped key).",
    "reference": "A persona, channel, step or library reference names nothing that exists.",
    "duplicate-id": "An id is defined twice (in a map, or two maps of a run share one).",
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


@dataclass(frozen=True)
class LintOptions:
    """A lint's settings, as the command line gives them (`select` as `["a,b", "c"]`)."""

    inputs: InputOptions = field(default_factory=InputOptions)
    select: list[str] | None = None
    ignore: list[str] | None = None
    fail_on: str | None = None  # error, warning, info or never; None: the configuration's
    today: dt.date | None = None
    metrics: Path | None = None  # None: the configuration's measure.metrics, if it exists
    cache: bool = True
    jobs: int | None = None


@dataclass(frozen=True)
class LintedFile:
    """What a run keeps of one file: small, so it can come back from a worker process."""

    display: str
    findings: list[Finding]
    failed: bool
    map_id: MapId | None = None  # for the run-wide check that no two maps share an id

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
        data = {"display": self.display, "failed": self.failed, "findings": findings}
        return {**data, "map_id": self.map_id}

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
        return cls(display, findings, bool(data["failed"]), id_from_json(data["map_id"]))


def reject_unknown_rules(select: set[str] | None, ignore: set[str] | None) -> None:
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
    return LintedFile(checked.display, findings, failed, map_id_of(checked))


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


def run(
    paths: list[str],
    options: LintOptions,
    finish: Callable[[LintedFile, int], U],
    *,
    by_name: bool = False,
    tally: Tally | None = None,
) -> Iterator[U]:
    """Lint every map in `paths`, results from the cache where they are current.

    Each file's `LintedFile` goes to `finish` in the worker, with the file's place among the
    inputs, and what it makes comes back, in file order (or by name with `by_name`, the order
    of a report). Raises ConfigError (an unknown rule, a bad configuration), InputError (a
    path that cannot be used, no maps) or MetricsError (a metrics file that cannot be read).
    """
    import functools

    from journeymap.cache import Cached
    from journeymap.lint.core import check_config
    from journeymap.runner import each_file_then, load_metrics, result_cache

    selected, ignored = split_names(options.select), split_names(options.ignore)
    reject_unknown_rules(selected, ignored)
    day = options.today or dt.date.today()
    measured, measured_key = load_metrics(options.metrics, paths, options.inputs)
    task = functools.partial(
        lint_one,
        select=selected,
        ignore=ignored,
        fail_on=options.fail_on,
        today=day,
        metrics=measured,
    )
    salt = [sorted(selected or []), sorted(ignored or []), options.fail_on, str(day)]
    salt += [measured_key] if measured_key else []
    cache = result_cache(options.cache, "lint", f"{salt!r}|{selected is None}")
    cached = None
    if cache is not None:
        cached = Cached(cache, dump=LintedFile.to_json, load=LintedFile.from_json)
    return each_file_then(
        paths,
        options.inputs,
        task,
        finish,
        options.jobs,
        cached,
        tally,
        by_name=by_name,
        before=lambda found: check_config(found, RULE_BY_NAME),
    )


def default_format() -> str:
    """The report format when none is given: github inside GitHub Actions, else text."""
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
