"""The `journeymap measure` command: arguments in, one call below, exit code out."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer


def measure(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Map files, or directories to search for them.",
            metavar="MAP...",
            show_default=False,
        ),
    ],
    events: Annotated[
        str | None,
        typer.Option(
            "--events",
            help="The event log: a CSV, Parquet or JSON Lines file or a glob of them (a table "
            "with --engine) with columns user, event, time "
            "[default: the configuration's measure.events].",
            show_default=False,
        ),
    ] = None,
    responses: Annotated[
        str | None,
        typer.Option(
            "--responses",
            help="Survey answers with columns user, survey, score, time "
            "[default: the configuration's measure.responses].",
            show_default=False,
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="DATE", help="Keep events at or after (UTC midnight)."),
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", metavar="DATE", help="Keep events before.")
    ] = None,
    window: Annotated[
        str | None,
        typer.Option(
            "--window",
            help="How long after entering the path a user may convert: 14d, 12h, 30m, 45s "
            "[default: the configuration's measure.window, else 14d].",
            show_default=False,
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option("--by", metavar="COLUMN", help="Repeat every figure per value of a column."),
    ] = None,
    path: Annotated[
        str | None,
        typer.Option(
            "--path",
            metavar="A,B,C",
            help="The funnel's steps "
            "[default: the configuration's measure.path, else the steps with events].",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write metrics.json here instead of stdout."),
    ] = None,
    engine: Annotated[
        str | None,
        typer.Option(
            "--engine",
            metavar="URL",
            help="postgresql://USER@HOST/DB, spark (local), spark://HOST:PORT "
            "[default: the configuration's measure.engine, else DuckDB, embedded].",
            show_default=False,
        ),
    ] = None,
    sql: Annotated[
        bool, typer.Option("--sql", help="Print the queries for a warehouse instead of running.")
    ] = False,
    dialect: Annotated[
        str,
        typer.Option(
            "--dialect", help="With --sql: bigquery, snowflake, trino, spark, postgres or duckdb."
        ),
    ] = "duckdb",
    results: Annotated[
        list[Path] | None,
        typer.Option(
            "--results",
            metavar="FILE",
            help="Make metrics.json from the exported result of the --sql queries (CSV or JSON "
            "Lines; repeat for several files).",
            show_default=False,
        ),
    ] = None,
    memory_limit: Annotated[
        str | None,
        typer.Option("--memory-limit", metavar="SIZE", help="DuckDB's memory limit, e.g. 2GB."),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option("--config", help="Use this configuration file.", dir_okay=False),
    ] = None,
    isolated: Annotated[
        bool, typer.Option("--isolated", help="Ignore every configuration file; use defaults.")
    ] = False,
) -> None:
    """Compute what really happens on the maps from an event log and survey answers.

    Reach, the funnel along the main path, conversion, drop-off, median times, observed
    transitions and survey scores per step, as metrics.json (sorted keys, stable bytes). The
    semantics are in docs/measure.md.
    """
    from journeymap.cli.output import EXIT_OK, fail, write_output
    from journeymap.config import ConfigError
    from journeymap.inputs import InputError
    from journeymap.measure.engines import Columns, MeasureError
    from journeymap.measure.run import Request, from_results, measure, sql_text
    from journeymap.runner import InputOptions, each_file

    journeys = []
    settings: dict[str, object] = {}
    try:
        for checked in each_file(paths, InputOptions(config, isolated), lambda c: c, jobs=1):
            if checked.findings:
                fail(
                    f"{checked.display}: {len(checked.findings)} format error(s); "
                    f"run `journeymap validate {checked.display}`"
                )
            if checked.journey is not None:
                journeys.append(checked.journey)
                if not settings:
                    settings = checked.config.measure
    except (ConfigError, InputError) as err:
        fail(str(err))
    if not journeys:
        fail(f"no maps in {', '.join(paths)} (only libraries)")
    columns_table = settings.get("columns", {})
    assert isinstance(columns_table, dict)
    request = Request(
        events=events or _text(settings.get("events")),
        responses=responses or _text(settings.get("responses")),
        columns=Columns(**columns_table),
        since=since,
        until=until,
        window=window or _text(settings.get("window")) or "14d",
        by=by,
        path=_steps(path, settings.get("path")),
        engine=engine or _text(settings.get("engine")),
        memory_limit=memory_limit,
    )

    def progress(message: str, *, done: bool = True) -> None:
        # On a terminal: a line that the next message overwrites while a query runs.
        sys.stderr.write(f"\r\x1b[Kjourneymap measure: {message}" + ("\n" if done else ""))
        sys.stderr.flush()

    try:
        if sql:
            text = sql_text(journeys, request, dialect)
        elif results:
            text = from_results(journeys, request, results)
        else:
            text = measure(journeys, request, progress if sys.stderr.isatty() else None)
    except MeasureError as err:
        fail(str(err))
    write_output(text, output)
    raise typer.Exit(EXIT_OK)


def _steps(option: str | None, setting: object) -> list[str] | None:
    """`--path a,b,c`, else `[measure] path`, else None (the steps with events)."""
    if option:
        return [p.strip() for p in option.split(",") if p.strip()]
    if isinstance(setting, list):
        return [str(p) for p in setting]
    return None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
