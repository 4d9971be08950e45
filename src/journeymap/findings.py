"""Findings: what every check (format or lint) reports, and their severities."""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum


class Severity(StrEnum):
    """How serious a finding is; ordered from most to least."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.ERROR: 3, Severity.WARNING: 2, Severity.INFO: 1}
# `fail-on` / `--fail-on`: the least severe finding that fails a run; `never` fails none.
FAIL_ON = ("error", "warning", "info", "never")


def fail_rank(fail_on: str) -> int:
    """The rank a finding must reach to fail a run under `fail_on` (ValueError if unknown)."""
    if fail_on == "never":
        return 99
    if fail_on not in FAIL_ON:
        raise ValueError(f"fail-on {fail_on!r}: must be one of {', '.join(FAIL_ON)}")
    return _RANK[Severity(fail_on)]


@dataclass(frozen=True)
class RuleInfo:
    """Metadata about a rule, for reporters that describe rules (SARIF, JUnit)."""

    name: str
    severity: Severity
    summary: str
    doc: str = ""


# The kinds of format problem `validate` reports; they are always errors and cannot be suppressed.
FORMAT_RULES = (
    "syntax",
    "schema",
    "reference",
    "duplicate-id",
    "duplicate-key",
    "limits",
    "encoding",
    "version",
    "internal",
)
#: The rule of a finding that reports a bug in journeymap met while handling one file: the
#: other files are still checked, and the run exits 2.
INTERNAL = "internal"


# Not frozen, though a finding is a value that nothing changes (`with_suppressed` makes a copy):
# a frozen dataclass takes five times as long to build (2.4 us against 0.4), and a run over
# a thousand maps builds and unpickles tens of thousands. Hashable all the same.
@dataclass(slots=True, unsafe_hash=True)
class Finding:
    """One problem at one place in one file.

    `line` and `column` are 1-based; `path` is the JSON Pointer of the node ("" for the document).
    """

    file: str
    line: int
    column: int
    rule: str
    severity: Severity
    message: str
    path: str = ""
    suppressed: bool = False

    @property
    def is_format_error(self) -> bool:
        return self.rule in FORMAT_RULES

    def __reduce__(self) -> tuple[type[Finding], tuple[object, ...]]:
        # Findings come back from worker processes by the thousand: pickled as the arguments
        # to build them again, they cost half of a frozen slots dataclass's generic state.
        return (
            Finding,
            (
                self.file,
                self.line,
                self.column,
                self.rule,
                self.severity,
                self.message,
                self.path,
                self.suppressed,
            ),
        )

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return ORDER(self)

    def with_suppressed(self, suppressed: bool = True) -> Finding:
        return replace(self, suppressed=suppressed)

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "rule": self.rule,
            "severity": self.severity.value,
            "message": self.message,
            "path": self.path,
        }


# The order of findings in every report, as a key for sort (attrgetter: a C call, three times
# quicker than a method over the 20,000 findings of a large run).
ORDER: Callable[[Finding], tuple[str, int, int, str, str]] = operator.attrgetter(
    "file", "line", "column", "rule", "message"
)


def internal_finding(display: str, err: BaseException) -> Finding:
    """An unexpected error while handling one file, as a finding of that file (exit code 2)."""
    reason = " ".join(str(err).split())[:200]
    return Finding(
        display,
        1,
        1,
        INTERNAL,
        Severity.ERROR,
        f"internal error while checking this file: {type(err).__name__}"
        f"{': ' + reason if reason else ''}. This is a bug in journeymap: run again with "
        "--debug for the traceback and report it",
    )


def finding_from_dict(data: dict[str, object]) -> Finding:
    """The inverse of `Finding.to_dict` (plus `suppressed`), for cached results."""
    return Finding(
        file=str(data["file"]),
        line=int(data["line"]),  # type: ignore[call-overload]
        column=int(data["column"]),  # type: ignore[call-overload]
        rule=str(data["rule"]),
        severity=Severity(str(data["severity"])),
        message=str(data["message"]),
        path=str(data["path"]),
        suppressed=bool(data.get("suppressed", False)),
    )
