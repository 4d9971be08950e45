"""The `measure` command's work: maps and options in, metrics.json (or SQL) text out.

`run` returns the text to write or raises `MeasureError`, `ConfigError` or `InputError`; the
command line (`cli/commands/measure.py`) prints it and sets the exit code. Nothing here writes
to stdout or stderr.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from journeymap.runner import InputOptions

if TYPE_CHECKING:
    from journeymap.measure.run import Report, Request
    from journeymap.validation import Journey


@dataclass(frozen=True)
class MeasureOptions:
    """A measure's settings, as the command line gives them (None: the configuration's)."""

    inputs: InputOptions = field(default_factory=InputOptions)
    events: str | None = None
    responses: str | None = None
    since: str | None = None
    until: str | None = None
    window: str | None = None  # None: the configuration's measure.window, else 14d
    by: str | None = None
    path: str | None = None  # "a,b,c"
    engine: str | None = None
    memory_limit: str | None = None
    sql: bool = False  # the queries for a warehouse instead of running them
    dialect: str = "duckdb"
    results: list[Path] = field(default_factory=list)  # the exported results of the queries


def run(paths: list[str], options: MeasureOptions, progress: Report | None = None) -> str:
    """metrics.json for the maps in `paths` (or, with `sql`, the queries that compute it).

    `progress`, when given, hears the rows each query reads while it runs."""
    from journeymap.measure.run import from_results, measure, sql_text

    journeys, settings = _maps(paths, options.inputs)
    request = _request(options, settings)
    if options.sql:
        return sql_text(journeys, request, options.dialect)
    if options.results:
        return from_results(journeys, request, options.results)
    return measure(journeys, request, progress)


def _maps(paths: list[str], inputs: InputOptions) -> tuple[list[Journey], dict[str, object]]:
    """The maps (not libraries) in `paths`, and the `[measure]` settings of the first one's
    configuration; a map with format errors stops the run."""
    from journeymap.measure.engines import MeasureError
    from journeymap.runner import each_file

    journeys = []
    settings: dict[str, object] = {}
    for checked in each_file(paths, inputs, lambda c: c, jobs=1):
        if checked.findings:
            raise MeasureError(
                f"{checked.display}: {len(checked.findings)} format error(s); "
                f"run `journeymap validate {checked.display}`"
            )
        if checked.journey is not None:
            journeys.append(checked.journey)
            if not settings:
                settings = checked.config.measure
    if not journeys:
        raise MeasureError(f"no maps in {', '.join(paths)} (only libraries)")
    return journeys, settings


def _request(options: MeasureOptions, settings: dict[str, object]) -> Request:
    """The command line's options over the configuration's `[measure]` settings."""
    from journeymap.measure.engines import Columns
    from journeymap.measure.run import Request

    columns_table = settings.get("columns", {})
    assert isinstance(columns_table, dict)
    return Request(
        events=options.events or _text(settings.get("events")),
        responses=options.responses or _text(settings.get("responses")),
        columns=Columns(**columns_table),
        since=options.since,
        until=options.until,
        window=options.window or _text(settings.get("window")) or "14d",
        by=options.by,
        path=_steps(options.path, settings.get("path")),
        engine=options.engine or _text(settings.get("engine")),
        memory_limit=options.memory_limit,
    )


def _steps(option: str | None, setting: object) -> list[str] | None:
    """`--path a,b,c`, else `[measure] path`, else None (the steps with events)."""
    if option:
        return [p.strip() for p in option.split(",") if p.strip()]
    if isinstance(setting, list):
        return [str(p) for p in setting]
    return None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
