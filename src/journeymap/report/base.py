"""What every reporter receives, and the contract it implements."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol

from journeymap.findings import Finding, RuleInfo, Severity


@dataclass
class Report:
    """The outcome of one run: every finding (suppressed ones included) and what was checked."""

    command: str
    files: list[str]
    findings: list[Finding]
    rules: dict[str, RuleInfo] = field(default_factory=dict)
    color: bool = False
    passed_over: int = 0  # YAML files found in folders that are not maps
    links_not_followed: int = 0  # links found in folders: to folders, or out of the project

    @property
    def active(self) -> list[Finding]:
        return [f for f in self.findings if not f.suppressed]

    def summary(self) -> dict[str, int]:
        counts = Counter(f.severity for f in self.active)
        return {
            "files": len(self.files),
            "errors": counts[Severity.ERROR],
            "warnings": counts[Severity.WARNING],
            "infos": counts[Severity.INFO],
            "suppressed": sum(1 for f in self.findings if f.suppressed),
            "passed_over": self.passed_over,
            "links_not_followed": self.links_not_followed,
        }


class Reporter(Protocol):
    """Turns a report into the text of one output format."""

    name: str
    description: str

    def render(self, report: Report) -> str: ...
