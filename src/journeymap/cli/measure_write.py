"""The body of `journeymap measure`, without typer: measure, write metrics.json, the exit code.

`commands/measure.py` (typer) and `quick.py` (a plain command line's fast path) both parse a
command line into `MeasureArgs` and call `measure_and_write`, so both give the same output and
exit code.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from journeymap.cli.output import EXIT_OK, fail, link_printer, note, write_output


@dataclass(frozen=True)
class MeasureArgs:
    """`journeymap measure`'s arguments and options, as given (None: not given)."""

    paths: list[str]
    events: str | None = None
    responses: str | None = None
    since: str | None = None
    until: str | None = None
    window: str | None = None
    by: str | None = None
    path: str | None = None
    output: Path | None = None
    engine: str | None = None
    sql: bool = False
    dialect: str = "duckdb"
    results: list[Path] = field(default_factory=list)
    memory_limit: str | None = None
    config: Path | None = None
    isolated: bool = False
    config_rev: str | None = None
    no_cache: bool = False


def measure_and_write(args: MeasureArgs) -> int:
    """Measure `args.paths`, write metrics.json (or the SQL); the exit code."""
    from journeymap.config import ConfigError
    from journeymap.inputs import InputError
    from journeymap.measure.command import MeasureOptions, run
    from journeymap.measure.engines import MeasureError
    from journeymap.runner import InputOptions

    options = MeasureOptions(
        InputOptions(
            args.config,
            args.isolated,
            args.config_rev,
            on_note=note,
            on_link=link_printer(True, "journeymap measure: note: "),
        ),
        events=args.events,
        responses=args.responses,
        since=args.since,
        until=args.until,
        window=args.window,
        by=args.by,
        path=args.path,
        engine=args.engine,
        memory_limit=args.memory_limit,
        sql=args.sql,
        dialect=args.dialect,
        results=args.results,
        cache=not args.no_cache,
    )
    from journeymap.measure.engines import duckdb, is_duckdb

    if not (args.sql or args.results) and is_duckdb(args.engine):
        duckdb.start_early()  # the default engine, unless the configuration names another
    try:
        measured = run(args.paths, options, _progress if sys.stderr.isatty() else None)
    except (ConfigError, InputError, MeasureError) as err:
        fail(str(err))
    finally:
        duckdb.discard_started()
    write_output(measured.text, args.output)
    for warning in measured.warnings:
        note(f"journeymap measure: warning: {warning}")
    return EXIT_OK


def _progress(message: str, *, done: bool = True) -> None:
    """On a terminal: a line that the next message overwrites while a query runs."""
    sys.stderr.write(f"\r\x1b[Kjourneymap measure: {message}" + ("\n" if done else ""))
    sys.stderr.flush()
