"""The lint engine: the rule contract, the registry, and running rules over checked files.

A rule module has a `NAME`, a `DEFAULT_SEVERITY`, a docstring that is its user documentation,
and a `check(journey, context)` generator of `Problem`s (where and what). The engine, not the
rule, stamps the rule name and the severity (from the configuration, else the default) on each
finding, and marks the findings that suppression comments silence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import ModuleType
from typing import Any

from journeymap.config import Config, ConfigError
from journeymap.findings import FORMAT_RULES, Finding, Severity
from journeymap.loader import Document
from journeymap.model import Library, Step
from journeymap.suggest import did_you_mean
from journeymap.validation import Journey


@dataclass(frozen=True, slots=True)
class Problem:
    """What a rule reports: the JSON Pointer of the node it is about, and a message.

    `line`/`column` locate problems that are not at a node (a comment); `severity` overrides
    the rule's default for this one problem (the configuration still wins over both).
    """

    pointer: str
    message: str
    line: int | None = None
    column: int | None = None
    severity: Severity | None = None


class Context:
    """What rules share for one map: settings, and facts computed once (transitions)."""

    def __init__(
        self,
        journey: Journey | None,
        *,
        today: dt.date,
        stale_after_days: int,
        metrics: dict[str, Any] | None = None,
        thresholds: dict[str, float] | None = None,
    ) -> None:
        self.journey = journey
        self.today = today
        self.stale_after_days = stale_after_days
        # The map's figures from `lint --metrics` (journeymap.measure.use), or None.
        self.metrics = metrics
        self.thresholds = thresholds or {}

    @cached_property
    def steps(self) -> list[Step]:
        return list(self.journey.steps()) if self.journey else []

    @cached_property
    def transitions(self) -> list[tuple[Step, Step]]:
        """Every (from, to) pair: a step's `next`, or else the step after it in file order."""
        steps = self.steps
        by_id = {step.id: step for step in steps}
        out: list[tuple[Step, Step]] = []
        for index, step in enumerate(steps):
            if step.next is not None:
                for target in dict.fromkeys(step.next):
                    if target in by_id:  # validation guarantees it; be safe for API callers
                        out.append((step, by_id[target]))
            elif index + 1 < len(steps):
                out.append((step, steps[index + 1]))
        return out

    @cached_property
    def incoming(self) -> dict[str, list[Step]]:
        """For each step id, the steps with a transition into it."""
        out: dict[str, list[Step]] = {step.id: [] for step in self.steps}
        for source, target in self.transitions:
            out[target.id].append(source)
        return out


CheckMap = Callable[[Journey, Context], Iterable[Problem]]
CheckLibrary = Callable[[Document, Library, Context], Iterable[Problem]]


@dataclass(frozen=True)
class Rule:
    """A lint rule, as the registry holds it."""

    name: str
    default_severity: Severity
    doc: str
    check: CheckMap
    check_library: CheckLibrary | None = None

    @property
    def summary(self) -> str:
        """The first line of the documentation."""
        return self.doc.strip().splitlines()[0].strip() if self.doc.strip() else ""

    @classmethod
    def from_module(cls, module: ModuleType) -> Rule:
        return cls(
            name=module.NAME,
            default_severity=module.DEFAULT_SEVERITY,
            doc=module.__doc__ or "",
            check=module.check,
            check_library=getattr(module, "check_library", None),
        )


def unknown_rule_message(name: str, known: Iterable[str]) -> str:
    if name in FORMAT_RULES:
        return (
            f"'{name}' is a format check, not a lint rule: "
            "format errors cannot be turned off or suppressed"
        )
    return f"unknown rule '{name}'{did_you_mean(name, sorted(known), 'known rules')}"


def check_rule_names(names: Iterable[str], known: Iterable[str], where: str) -> None:
    """Raise ConfigError for the first name that is not a lint rule."""
    known_set = set(known)
    for name in names:
        if name not in known_set:
            raise ConfigError(f"{where}: {unknown_rule_message(name, known_set)}")


def check_config(config: Config, known: Iterable[str]) -> None:
    """Raise ConfigError when the configuration names a rule that does not exist."""
    where = str(config.path) if config.path else "configuration"
    if config.path is not None and config.path.name == "pyproject.toml":
        where += " [tool.journeymap]"
    known_set = set(known)
    check_rule_names(config.rules, known_set, f"{where}: rules")
    for pattern, names in config.per_file_ignores.items():
        check_rule_names(names, known_set, f"{where}: per-file-ignores '{pattern}'")


def enabled_rules(
    rules: dict[str, Rule],
    config: Config,
    path: Path,
    select: set[str] | None,
    ignore: set[str] | None,
) -> dict[str, Severity | None]:
    """The rules to run on one file, each with its configured severity (None: the default).

    Order of precedence: `--select`/`--ignore` on the command line, then `per-file-ignores`,
    then `rules` in the configuration.
    """
    per_file = config.ignored_rules(path) if config.per_file_ignores else set()
    out: dict[str, Severity | None] = {}
    for name in rules:
        if select is not None and name not in select:
            continue
        if ignore and name in ignore:
            continue
        if name in per_file:
            continue
        setting = config.rules.get(name)
        if setting == "off":
            if select is None or name not in select:
                continue
            setting = None
        out[name] = Severity(setting) if setting else None
    return out


def run_rules(
    rules: dict[str, Rule],
    enabled: dict[str, Severity | None],
    document: Document,
    journey: Journey | None,
    library: Library | None,
    context: Context,
) -> Iterator[Finding]:
    """Run the enabled rules on a map (or the library-level rules on a library)."""
    for name, configured in enabled.items():
        rule = rules[name]
        if journey is not None:
            problems: Iterable[Problem] = rule.check(journey, context)
        elif library is not None and rule.check_library is not None:
            problems = rule.check_library(document, library, context)
        else:
            continue
        for problem in problems:
            if problem.line is not None:
                line, column = problem.line, problem.column or 1
            else:
                line, column = document.position(problem.pointer)
            severity = configured or problem.severity or rule.default_severity
            yield Finding(
                document.display, line, column, name, severity, problem.message, problem.pointer
            )
