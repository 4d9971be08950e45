"""Linting inline YAML maps written to a temporary directory, through the public API."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

from journeymap.config import ConfigFinder
from journeymap.findings import Finding
from journeymap.inspection import Inspector
from journeymap.lint import lint_checked

TODAY = dt.date(2026, 11, 23)


def write(directory: Path, text: str, name: str = "map.journey.yaml") -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def lint_file(
    path: Path,
    *,
    select: set[str] | None = None,
    ignore: set[str] | None = None,
    today: dt.date = TODAY,
    finder: ConfigFinder | None = None,
) -> list[Finding]:
    inspector = Inspector(finder or ConfigFinder(isolated=True))
    return lint_checked(inspector.inspect(path), select=select, ignore=ignore, today=today)


def lint_text(
    directory: Path,
    text: str,
    *,
    select: set[str] | str | None = None,
    today: dt.date = TODAY,
    name: str = "map.journey.yaml",
) -> list[Finding]:
    chosen = {select} if isinstance(select, str) else select
    return lint_file(write(directory, text, name), select=chosen, today=today)


def hits(findings: list[Finding]) -> list[tuple[str, int, int, str]]:
    """(rule, line, column, path) of the active findings, in report order."""
    return [(f.rule, f.line, f.column, f.path) for f in findings if not f.suppressed]
