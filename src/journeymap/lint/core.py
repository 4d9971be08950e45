"""The lint engine: the rule contract, the registry, and running rules over checked files.

A rule module has a `NAME`, a `DEFAULT_SEVERITY`, a docstring that is its user documentation,
optionally `OPTIONS` (the settings it reads, set in `[rules.options.<rule>]`), and a
`check(journey, context)` generator of `Problem`s (where and what). The engine, not the
rule, stamps the rule name and the severity (from the configuration, else the default) on each
finding, and marks the findings that suppression comments silence.

Optional too: `check_library(document, library, context)`, for shared libraries;
`READS_METRICS = True` when the rule's findings follow the measured data; and
`check_suppressions(suppressions, ran)`, run after every other rule's findings have gone
through the suppressions, for a rule about the comments themselves (`unused-suppression`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, TypeAlias

from journeymap.config import Config, ConfigError
from journeymap.findings import FORMAT_RULES, Finding, Severity
from journeymap.suggest import did_you_mean
from journeymap.transitions import step_transitions

if TYPE_CHECKING:
    from journeymap.lint.suppress import Suppressions
    from journeymap.loader import Document
    from journeymap.model import Library, Step
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


Number = int | float


@dataclass(frozen=True, slots=True)
class Option:
    """A setting a rule reads, declared beside its `DEFAULT_SEVERITY`.

    The type is the default's: a whole number (`int`) or any number (`float`).
    """

    name: str
    default: Number
    doc: str
    minimum: Number | None = None
    maximum: Number | None = None

    @property
    def kind(self) -> str:
        return "whole number" if isinstance(self.default, int) else "number"

    def value(self, given: object) -> Number:
        """`given` as this option's type; ValueError saying what it must be otherwise."""
        whole = isinstance(self.default, int)
        if (
            isinstance(given, bool)
            or not isinstance(given, int | float)
            or (whole and not isinstance(given, int))
        ):
            raise ValueError(f"must be a {self.kind}{self._range()}")
        if (self.minimum is not None and given < self.minimum) or (
            self.maximum is not None and given > self.maximum
        ):
            raise ValueError(f"must be a {self.kind}{self._range()}")
        return given

    def _range(self) -> str:
        if self.minimum is not None and self.maximum is not None:
            return f" from {self.minimum:g} to {self.maximum:g}"
        if self.minimum is not None:
            return f", {self.minimum:g} or more"
        return ""

    def describe(self) -> str:
        """One Markdown list item for the rule's documentation."""
        kind = f"{self.kind}{self._range()}, default {self.default:g}"
        return f"- `{self.name}` ({kind}): {self.doc}."


class Context:
    """What rules share for one map: settings, and facts computed once (transitions)."""

    def __init__(
        self,
        journey: Journey | None,
        *,
        today: dt.date,
        options: dict[str, dict[str, Number]] | None = None,
        metrics: dict[str, Any] | None = None,
        stale: str | None = None,
    ) -> None:
        self.journey = journey
        self.today = today
        # Rule name -> option name -> value, defaults already filled in (`resolve_options`).
        self.options = options or {}
        # The map's figures from `lint --metrics` (journeymap.measure.use), or None.
        self.metrics = metrics
        # Why the metrics lint was given cannot be read for this map (`metrics` is then None).
        self.stale = stale

    def option(self, rule: str, name: str) -> Number:
        """The value of a rule's option for this map's configuration."""
        return self.options[rule][name]

    @cached_property
    def steps(self) -> list[Step]:
        return list(self.journey.steps()) if self.journey else []

    @cached_property
    def transitions(self) -> list[tuple[Step, Step]]:
        """Every (from, to) pair: a step's `next`, or else the step after it in file order."""
        return step_transitions(self.steps)

    @cached_property
    def incoming(self) -> dict[str, list[Step]]:
        """For each step id, the steps with a transition into it."""
        out: dict[str, list[Step]] = {step.id: [] for step in self.steps}
        for source, target in self.transitions:
            out[target.id].append(source)
        return out


CheckMap: TypeAlias = "Callable[[Journey, Context], Iterable[Problem]]"
CheckLibrary: TypeAlias = "Callable[[Document, Library, Context], Iterable[Problem]]"
CheckSuppressions: TypeAlias = "Callable[[Suppressions, Collection[str]], Iterable[Problem]]"


@dataclass(frozen=True)
class Rule:
    """A lint rule, as the registry holds it."""

    name: str
    default_severity: Severity
    doc: str
    check: CheckMap
    check_library: CheckLibrary | None = None
    options: tuple[Option, ...] = ()
    reads_metrics: bool = False  # its findings follow the measured data (`lint --metrics`)
    check_suppressions: CheckSuppressions | None = None

    @property
    def summary(self) -> str:
        """The first line of the documentation."""
        return self.doc.strip().splitlines()[0].strip() if self.doc.strip() else ""

    @property
    def documentation(self) -> str:
        """The docstring, with an `## Options` section made from the declared options."""
        doc = self.doc.strip()
        if not self.options:
            return doc
        items = "\n".join(option.describe() for option in self.options)
        return (
            f"{doc}\n\n## Options\nSet in the configuration, under "
            f"`[rules.options.{self.name}]`:\n{items}"
        )

    @classmethod
    def from_module(cls, module: ModuleType) -> Rule:
        return cls(
            name=module.NAME,
            default_severity=module.DEFAULT_SEVERITY,
            doc=module.__doc__ or "",
            check=module.check,
            check_library=getattr(module, "check_library", None),
            options=tuple(getattr(module, "OPTIONS", ())),
            reads_metrics=getattr(module, "READS_METRICS", False),
            check_suppressions=getattr(module, "check_suppressions", None),
        )


def resolve_options(rules: dict[str, Rule], config: Config) -> dict[str, dict[str, Number]]:
    """Every rule option's value for files under `config`: the configured one, else the default.

    The values were checked by `check_config`.
    """
    out: dict[str, dict[str, Number]] = {}
    for rule in rules.values():
        if rule.options:
            given = config.rule_options.get(rule.name, {})
            out[rule.name] = {o.name: given.get(o.name, o.default) for o in rule.options}
    return out


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


def check_configured_rules(config: Config) -> None:
    """`check_config` against every rule, for the commands that read a configuration without
    linting (validate, measure) and for render before it starts: a configuration is refused
    the same way by each. The rules are imported only when the configuration names one."""
    if config.rules or config.rule_options or config.per_file_ignores:
        from journeymap.lint import RULE_BY_NAME

        check_config(config, RULE_BY_NAME)


def check_config(config: Config, rules: dict[str, Rule]) -> None:
    """Raise ConfigError when the configuration names a rule that does not exist, or sets a
    rule option the rule does not have or to a value it does not take."""
    known_set = set(rules)
    for name in config.rules:
        if name not in known_set:
            where = config.locate("rules", name)
            raise ConfigError(f"{where}: rules: {unknown_rule_message(name, known_set)}")
    for pattern, names in config.per_file_ignores.items():
        where = config.locate("per-file-ignores", pattern)
        check_rule_names(names, known_set, f"{where}: per-file-ignores '{pattern}'")
    for name, given in config.rule_options.items():
        table = f"rules.options.{name}"
        if name not in known_set:
            raise ConfigError(
                f"{config.locate(table)}: [{table}]: {unknown_rule_message(name, known_set)}"
            )
        declared = {option.name: option for option in rules[name].options}
        for key, value in given.items():
            option = declared.get(key)
            if option is None:
                hint = did_you_mean(key, sorted(declared), "its options") if declared else ""
                raise ConfigError(
                    f"{config.locate(table, key)}: [{table}]: rule '{name}' has no option "
                    f"'{key}'{hint or ' (it has no options)'}; `journeymap rules {name}` "
                    "documents it"
                )
            try:
                option.value(value)
            except ValueError as err:
                raise ConfigError(
                    f"{config.locate(table, key)}: [{table}] {key} = {value!r}: {err}"
                ) from None


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
        yield from findings_of(rule, configured, problems, document)


def run_suppression_rules(
    rules: dict[str, Rule],
    enabled: dict[str, Severity | None],
    document: Document,
    suppressions: Suppressions,
    ran: Collection[str],
) -> Iterator[Finding]:
    """Run the enabled rules about suppression comments, once `suppressions` has applied to
    the findings of the other rules; `ran` names the rules that ran on this document."""
    for name, configured in enabled.items():
        rule = rules[name]
        if rule.check_suppressions is not None:
            problems = rule.check_suppressions(suppressions, ran)
            yield from findings_of(rule, configured, problems, document)


def findings_of(
    rule: Rule, configured: Severity | None, problems: Iterable[Problem], document: Document
) -> Iterator[Finding]:
    """A rule's problems as findings: located, with the rule's name and severity."""
    for problem in problems:
        if problem.line is not None:
            line, column = problem.line, problem.column or 1
        else:
            line, column = document.position(problem.pointer)
        severity = configured or problem.severity or rule.default_severity
        yield Finding(
            document.display, line, column, rule.name, severity, problem.message, problem.pointer
        )
