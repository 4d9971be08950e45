"""`journeymap lint` and `measure` without typer, for the plain command lines that CI jobs, a
pre-commit hook or an editor run.

Typer (and the pydantic it checks values with) takes longer to import than a lint of one map
answered from the cache takes in all. `parse` reads a `lint` or `measure` command line when
every argument is plain: known options, each value well formed, at least one path. Anything else
(`--help`, an unknown or misspelt option, a value typer would refuse, `--`) returns None, and the
typer app runs instead, with its usual help and messages. What `parse` accepts, typer reads the
same way (tests/test_quick.py holds the two to the same options and results).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from journeymap.cli.lint_report import LintArgs
from journeymap.cli.measure_write import MeasureArgs

#: lint's options: spelling -> (LintArgs field, the kind of its value; None for a flag).
#: "choice": one of `_choices(field)`; "list": text, may be repeated; "paths": a path, may be
#: repeated; "count": a whole number from 1; "path": any path; "file": a path that is not a
#: folder; "text": any text.
OPTIONS: dict[str, tuple[str, str | None]] = {
    "--format": ("output_format", "choice"),
    "-f": ("output_format", "choice"),
    "--output": ("output", "path"),
    "-o": ("output", "path"),
    "--select": ("select", "list"),
    "--ignore": ("ignore", "list"),
    "--fail-on": ("fail_on", "choice"),
    "--today": ("today", "text"),
    "--metrics": ("metrics", "file"),
    "--config": ("config", "file"),
    "--isolated": ("isolated", None),
    "--config-rev": ("config_rev", "text"),
    "--verbose": ("verbose", None),
    "-v": ("verbose", None),
    "--strict": ("strict", None),
    "--jobs": ("jobs", "count"),
    "-j": ("jobs", "count"),
    "--no-cache": ("no_cache", None),
}
#: measure's options, the same way (MeasureArgs fields).
MEASURE_OPTIONS: dict[str, tuple[str, str | None]] = {
    "--events": ("events", "text"),
    "--responses": ("responses", "text"),
    "--since": ("since", "text"),
    "--until": ("until", "text"),
    "--window": ("window", "text"),
    "--by": ("by", "text"),
    "--path": ("path", "text"),
    "--output": ("output", "path"),
    "-o": ("output", "path"),
    "--engine": ("engine", "text"),
    "--sql": ("sql", None),
    "--dialect": ("dialect", "text"),
    "--results": ("results", "paths"),
    "--memory-limit": ("memory_limit", "text"),
    "--config": ("config", "file"),
    "--isolated": ("isolated", None),
    "--config-rev": ("config_rev", "text"),
    "--no-cache": ("no_cache", None),
}
_REPEATED = ("list", "paths")
FAIL_LEVELS = ("error", "warning", "info", "never")
_COUNT = re.compile(r"[1-9][0-9]{0,5}")


def _choices(field: str) -> tuple[str, ...]:
    if field == "fail_on":
        return FAIL_LEVELS
    from journeymap.report import REPORTER_NAMES

    return tuple(REPORTER_NAMES)


def parse(argv: list[str]) -> LintArgs | MeasureArgs | None:
    """`argv` (after `journeymap`) as lint's or measure's arguments, or None for the typer app
    to read."""
    if argv and argv[0] == "lint":
        values = _read(argv[1:], OPTIONS)
        return LintArgs(**values) if values else None
    if argv and argv[0] == "measure":
        values = _read(argv[1:], MEASURE_OPTIONS)
        return MeasureArgs(**values) if values else None
    return None


def _read(argv: list[str], known_options: dict[str, tuple[str, str | None]]) -> dict[str, Any]:
    """The arguments as a command's fields, or {} when typer might read them otherwise."""
    values: dict[str, Any] = {"paths": []}
    rest = iter(argv)
    for arg in rest:
        if not arg.startswith("-"):
            values["paths"].append(arg)
            continue
        name, equals, value = arg.partition("=")
        known = known_options.get(name)
        if known is None or (equals and (known[1] is None or not name.startswith("--"))):
            return {}  # unknown, `--help`, `--`, `-`, `-fjson`, `--strict=1`: typer's to say
        field, kind = known
        if kind is None:
            values[field] = True
            continue
        if not equals:
            value = next(rest, "")
        converted = _value(field, kind, value)
        if converted is None or (kind not in _REPEATED and field in values):
            return {}  # a value typer would refuse, or an option given twice
        if kind in _REPEATED:
            values.setdefault(field, []).append(converted)
        else:
            values[field] = converted
    return values if values["paths"] else {}


def _value(field: str, kind: str, value: str) -> object | None:
    """The option's value as typer would give it, or None when typer might say otherwise."""
    if not value or value.startswith("-"):
        return None  # missing, or an option where a value belongs
    if kind == "choice":
        return value if value in _choices(field) else None
    if kind == "count":
        return int(value) if _COUNT.fullmatch(value) else None
    if kind in ("path", "paths", "file"):
        path = Path(value)
        try:
            if kind == "file" and path.is_dir():
                return None  # typer refuses a folder here, with its own message
        except OSError:  # a name too long, a folder one may not look into: typer's to say
            return None
        return path
    return value  # text, list
