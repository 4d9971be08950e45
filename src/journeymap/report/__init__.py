"""Output formats for findings, in a registry the CLI reads its `--format` choices from."""

from __future__ import annotations

from journeymap.report.base import Report, Reporter, RuleInfo
from journeymap.report.github import GithubReporter
from journeymap.report.gitlab import GitlabReporter
from journeymap.report.json import JsonReporter
from journeymap.report.junit import JunitReporter
from journeymap.report.sarif import SarifReporter
from journeymap.report.text import TextReporter

REPORTER_BY_NAME: dict[str, Reporter] = {
    reporter.name: reporter
    for reporter in (
        TextReporter(),
        JsonReporter(),
        SarifReporter(),
        JunitReporter(),
        GithubReporter(),
        GitlabReporter(),
    )
}

__all__ = ["REPORTER_BY_NAME", "Report", "Reporter", "RuleInfo"]
