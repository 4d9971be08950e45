"""Output formats for findings, in a registry the CLI reads its `--format` choices from.

`REPORTER_BY_NAME` (in `registry.py`) is imported on first use: reporters pull in XML and JSON
machinery that `journeymap --version` should not pay for. `REPORTER_NAMES` is the cheap list of
its keys (a test checks they match).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from journeymap.findings import RuleInfo
from journeymap.report.base import Report, Reporter

if TYPE_CHECKING:
    from journeymap.report.registry import REPORTER_BY_NAME

REPORTER_NAMES = ("text", "json", "sarif", "junit", "github", "gitlab")


def __getattr__(name: str) -> object:
    if name == "REPORTER_BY_NAME":
        from journeymap.report.registry import REPORTER_BY_NAME

        return REPORTER_BY_NAME
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["REPORTER_BY_NAME", "REPORTER_NAMES", "Report", "Reporter", "RuleInfo"]
