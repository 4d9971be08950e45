"""Every findings format, by name: the registry behind `--format`."""

from __future__ import annotations

from journeymap.report.github import GithubReporter
from journeymap.report.gitlab import GitlabReporter
from journeymap.report.json import JsonReporter
from journeymap.report.junit import JunitReporter
from journeymap.report.sarif import SarifReporter
from journeymap.report.stream import StreamingReporter
from journeymap.report.text import TextReporter

REPORTER_BY_NAME: dict[str, StreamingReporter] = {
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
