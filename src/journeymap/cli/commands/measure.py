"""`journeymap measure`: what really happens on the maps, from an event log and survey answers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from journeymap.cli.options import ConfigRevOpt, IsolatedOpt, NoCacheOpt

MapsArg = Annotated[
    list[str],
    typer.Argument(
        help="Map files, or directories to search for them.", metavar="MAP...", show_default=False
    ),
]
EventsOpt = Annotated[
    str | None,
    typer.Option(
        "--events",
        help="The event log: a CSV, Parquet or JSON Lines file or a glob of them (a table "
        "with --engine) with columns user, event, time "
        "[default: the configuration's measure.events].",
        show_default=False,
    ),
]
ResponsesOpt = Annotated[
    str | None,
    typer.Option(
        "--responses",
        help="Survey answers with columns user, survey, score, time "
        "[default: the configuration's measure.responses].",
        show_default=False,
    ),
]
SinceOpt = Annotated[
    str | None,
    typer.Option("--since", metavar="DATE", help="Keep events at or after (UTC midnight)."),
]
UntilOpt = Annotated[
    str | None, typer.Option("--until", metavar="DATE", help="Keep events before.")
]
WindowOpt = Annotated[
    str | None,
    typer.Option(
        "--window",
        help="How long after entering the path a user may convert: 14d, 12h, 30m, 45s "
        "[default: the configuration's measure.window, else 14d].",
        show_default=False,
    ),
]
ByOpt = Annotated[
    str | None,
    typer.Option("--by", metavar="COLUMN", help="Repeat every figure per value of a column."),
]
StepsOpt = Annotated[
    str | None,
    typer.Option(
        "--path",
        metavar="A,B,C",
        help="The funnel's steps "
        "[default: the configuration's measure.path, else the steps with events].",
    ),
]
OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write metrics.json here instead of stdout.")
]
EngineOpt = Annotated[
    str | None,
    typer.Option(
        "--engine",
        metavar="URL",
        help="postgresql://USER@HOST/DB, spark (local), spark://HOST:PORT "
        "[default: the configuration's measure.engine (duckdb or spark: a configuration "
        "cannot name a server), else DuckDB, embedded].",
        show_default=False,
    ),
]
SqlOpt = Annotated[
    bool, typer.Option("--sql", help="Print the queries for a warehouse instead of running.")
]
DialectOpt = Annotated[
    str,
    typer.Option(
        "--dialect", help="With --sql: bigquery, snowflake, trino, spark, postgres or duckdb."
    ),
]
ResultsOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--results",
        metavar="FILE",
        help="Make metrics.json from the exported result of the --sql queries (CSV or JSON "
        "Lines; repeat for several files).",
        show_default=False,
    ),
]
MemoryLimitOpt = Annotated[
    str | None,
    typer.Option("--memory-limit", metavar="SIZE", help="DuckDB's memory limit, e.g. 2GB."),
]
ConfigOpt = Annotated[
    Path | None, typer.Option("--config", help="Use this configuration file.", dir_okay=False)
]


def measure(
    paths: MapsArg,
    events: EventsOpt = None,
    responses: ResponsesOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    window: WindowOpt = None,
    by: ByOpt = None,
    path: StepsOpt = None,
    output: OutputOpt = None,
    engine: EngineOpt = None,
    sql: SqlOpt = False,
    dialect: DialectOpt = "duckdb",
    results: ResultsOpt = None,
    memory_limit: MemoryLimitOpt = None,
    config: ConfigOpt = None,
    isolated: IsolatedOpt = False,
    config_rev: ConfigRevOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Compute what really happens on the maps from an event log and survey answers.

    Reach, the funnel along the main path, conversion, drop-off, median times, observed
    transitions and survey scores per step, as metrics.json (sorted keys, stable bytes). The
    semantics are in docs/measure.md.
    """
    from journeymap.cli.measure_write import MeasureArgs, measure_and_write

    args = MeasureArgs(
        paths=paths,
        events=events,
        responses=responses,
        since=since,
        until=until,
        window=window,
        by=by,
        path=path,
        output=output,
        engine=engine,
        sql=sql,
        dialect=dialect,
        results=results or [],
        memory_limit=memory_limit,
        config=config,
        isolated=isolated,
        config_rev=config_rev,
        no_cache=no_cache,
    )
    raise typer.Exit(measure_and_write(args))
