"""`journeymap measure` below the command line: maps + data -> metrics.json, SQL, or results."""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from journeymap.durations import window_seconds
from journeymap.measure import results
from journeymap.measure.engines import Columns, MeasureError, Source, connect
from journeymap.measure.metrics import document, dumps, map_metrics
from journeymap.measure.plan import MapFacts, MapPlan, make_plan
from journeymap.measure.sql import (
    DIALECTS,
    Period,
    map_query,
    transpile,
)
from journeymap.measure.sqlstages import stages
from journeymap.measure.sqltext import property_names
from journeymap.words import noun, plural


def parse_window(text: str, source: str = "--window") -> float:
    """`14d`, `12h`, `30m`, `45s` -> seconds; `source` names where it came from in errors."""
    try:
        return window_seconds(text)
    except ValueError as err:
        raise MeasureError(f"{source} {text!r}: {err}") from None


def parse_moment(text: str, option: str) -> int:
    """A date (midnight UTC) or an ISO 8601 time -> microseconds since 1970."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
            moment = dt.datetime.combine(dt.date.fromisoformat(text.strip()), dt.time(), dt.UTC)
        else:
            moment = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=dt.UTC)
    except ValueError:
        raise MeasureError(
            f"{option} {text!r}: expected a date (2026-10-01) or an ISO 8601 time"
        ) from None
    delta = moment - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds


@dataclass
class Request:
    """Everything a run needs besides the maps, from the command line and `[measure]`."""

    events: str | None = None
    responses: str | None = None
    columns: Columns = field(default_factory=Columns)
    since: str | None = None
    until: str | None = None
    window: str = "14d"
    by: str | None = None
    path: list[str] | dict[str, list[str]] | None = None  # a dict: per map id
    path_from: str = "--path"  # where `path` came from, for errors: or `measure.path`
    # With `measure.path`, where each step is written (FILE:LINE:COLUMN), as `path` is shaped.
    path_at: list[str] | dict[str, list[str]] | None = None
    window_from: str = "--window"  # or `measure.window`
    engine: str | None = None
    memory_limit: str | None = None

    def period(self) -> Period:
        since = parse_moment(self.since, "--since") if self.since else None
        until = parse_moment(self.until, "--until") if self.until else None
        if since is not None and until is not None and until <= since:
            raise MeasureError(f"--until {self.until} is not after --since {self.since}")
        return Period(since, until, round(parse_window(self.window, self.window_from) * 1e6))


def plans(facts: list[MapFacts], request: Request) -> list[MapPlan]:
    from journeymap.measure.plan import PlanError

    seen: dict[str, str] = {}
    out = []
    for one in facts:
        if one.id in seen:
            from journeymap.mapids import same_id_message

            line, column = one.id_at
            raise MeasureError(
                f"{one.file}:{line}:{column}: {same_id_message(one.id, seen[one.id])}"
            )
        seen[one.id] = one.file
        try:
            path, places = request.path, request.path_at
            if isinstance(path, dict):  # `measure.path` per map; the others take the default
                path = path.get(one.id)
            if isinstance(places, dict):
                places = places.get(one.id)
            out.append(make_plan(one, path, request.path_from, places))
        except PlanError as err:
            raise MeasureError(str(err)) from None
    return out


def _sources(found: list[MapPlan], request: Request) -> tuple[Source, Source | None]:
    if not request.events:
        raise MeasureError(
            "no event log: give --events PATH (or set `events` under [measure] in the "
            "configuration)"
        )
    properties: dict[str, str] = {}
    methods: dict[str, str] = {}
    for plan in found:
        for name, where in plan.properties.items():
            properties.setdefault(name, where)
        for survey in plan.surveys:
            method = methods.setdefault(survey.id, survey.method)
            if method != survey.method and request.responses:
                first = next(p.id for p in found if any(s.id == survey.id for s in p.surveys))
                raise MeasureError(
                    f"survey '{survey.id}' is {method} in map '{first}' and {survey.method} in "
                    f"map '{plan.id}': one survey's answers are on one scale; give one its own "
                    "id, or measure the maps apart"
                )
    events = Source(request.events, "events", properties, request.by)
    responses = None
    if request.responses:
        responses = Source(request.responses, "responses", methods=methods)
    return events, responses


class Report(Protocol):
    """Where progress goes (a terminal's stderr): `done=False` for a line that the next message
    replaces (the running query's rows read), `done=True` for a line that stays."""

    def __call__(self, message: str, *, done: bool = True) -> None: ...


@dataclass(frozen=True)
class Measured:
    """What a run gives: the text to write, and what its reader should hear about it."""

    text: str
    warnings: tuple[str, ...] = ()


def unmatched(maps: dict[str, Any], events: str) -> tuple[str, ...]:
    """A warning for each map that no event reached: all zeros are a result, but far more
    often event names that are not the log's, or the wrong column read as `event`; and for a
    map with no step to measure."""
    out = []
    for map_id, figures in sorted(maps.items()):
        reached = [step.get("reached") for step in figures.get("steps", {}).values()]
        if all(n is None for n in reached):
            out.append(
                f"map {map_id!r}: none of its steps has `events`, so there is nothing to "
                "measure; list under a step's `events` the names of the log's events that mark "
                "it"
            )
        elif not any(reached):
            out.append(
                f"map {map_id!r}: no event in {events} matched any of its steps (so every "
                "figure is 0); are its steps' `events` the names in the log, and is `event` "
                "the column that holds them (`columns` under [measure] in the configuration)?"
            )
    return tuple(out)


def path_warnings(found: list[MapPlan], request: Request) -> tuple[str, ...]:
    """A warning for a map id of a configured `path` table that is not a map of this run but
    close to one (likely a typo, which leaves that map on its default path)."""
    from journeymap.suggest import did_you_mean

    if not isinstance(request.path, dict):
        return ()
    ids = sorted(plan.id for plan in found)
    out = []
    for name in sorted(set(request.path) - set(ids)):
        hint = did_you_mean(name, ids)
        if hint:
            out.append(
                f"{request.path_from} names map '{name}', which is not among the maps "
                f"measured{hint}; a map it does not name is measured along its default path"
            )
    return tuple(out)


def measure(facts: list[MapFacts], request: Request, progress: Report | None = None) -> Measured:
    """metrics.json for the maps, computed on the engine. With `progress`, the rows each query
    reads (the staged events and answers) and, on DuckDB, how far it is while it runs."""
    found = plans(facts, request)
    period = request.period()
    events, responses = _sources(found, request)
    engine = connect(request.engine, memory_limit=request.memory_limit)
    try:
        if progress:
            progress(f"reading {events.spec} ({engine.name})")
        engine.stage(events, request.columns)
        if responses is not None:
            if progress:
                progress(f"reading {responses.spec}")
            engine.stage(responses, request.columns)
        total = 0
        if progress:
            total = engine.count("jm_events")
            if responses is not None:
                total += engine.count("jm_responses")
        counted = f"{total:,} {noun(total, 'row')}"
        maps: dict[str, Any] = {}
        names = property_names(found)
        for number, plan in enumerate(found, 1):
            sql = map_query(
                plan,
                period,
                by=request.by is not None,
                responses=bool(responses),
                properties=names,
                dialect=engine.dialect,
            )
            tick = None
            head = f"map {plan.id} (query {number} of {len(found)})"
            if progress:
                report = progress
                progress(f"{head}: reading {counted}", done=False)

                def tick(percent: float, report: Report = report, head: str = head) -> None:
                    # DuckDB's estimate of the whole query's progress, not only its reading.
                    report(f"{head}: reading {counted}, {percent:.0f}% done", done=False)

            started = time.perf_counter()
            rows = engine.query(transpile(sql, engine.dialect), tick)
            if progress:
                took = time.perf_counter() - started
                progress(
                    f"{head}: {counted} read in {took:.1f} s, {plural(len(rows), 'result row')}"
                )
            maps[plan.id] = map_metrics(plan, rows, request.by, responses is not None)
    finally:
        engine.close()
    within = "".join(
        f" {word} {value}"
        for word, value in (("since", request.since), ("before", request.until))
        if value
    )
    warned = path_warnings(found, request) + unmatched(maps, events.spec + within)
    return Measured(dumps(_document(maps, request)), warned)


def _document(maps: dict[str, Any], request: Request) -> dict[str, Any]:
    return document(
        maps,
        since=request.since,
        until=request.until,
        window_seconds=parse_window(request.window, request.window_from),
        by=request.by,
    )


# Warehouses that compute a CTE again at every place that names it, and run scripts with
# temporary tables: their SQL keeps the CTEs named more than once in tables first.
SCRIPT_DIALECTS = ("bigquery",)
SCRIPT_NOTE = [
    "-- Each map is a script: the CTEs it names more than once go into temporary tables",
    "-- first (BigQuery would compute them again at each place), then its query, the last",
    "-- statement, whose rows are the ones to export.",
]


# Text in the queries doubles a quote and takes a backslash as text: PostgreSQL reads it so
# only with standard strings on (its default since 9.1; `--engine postgresql` sets it).
POSTGRES_NOTE = [
    "-- Run with standard_conforming_strings = on (PostgreSQL's default): the text in these",
    "-- queries takes a backslash as text.",
]


def sql_text(facts: list[MapFacts], request: Request, dialect: str) -> str:
    """The queries to run in a warehouse, in its dialect, with how to set up their two views."""
    if dialect not in DIALECTS:
        raise MeasureError(f"--dialect {dialect!r}: choose one of {', '.join(DIALECTS)}")
    found = plans(facts, request)
    basis = _basis(found, request, request.period())
    props = basis.properties
    again = _results_command(request)
    text, number = _type_names(dialect)
    lines = [
        f"-- journeymap measure: one query per map ({dialect}). Each reads two views:",
        f"--   jm_events(user_id {text}, event {text}, t {number}, by_value {text}"
        + "".join(f", p{i}" for i in range(len(props)))
        + ")",
        f"--   jm_responses(user_id {text}, survey {text}, score {number}, t {number})",
        "-- where t is microseconds since 1970-01-01 UTC and by_value the --by column (or NULL).",
        *(f"--   p{i}: the property {name!r} (compared as text)" for i, name in enumerate(props)),
        *(SCRIPT_NOTE if dialect in SCRIPT_DIALECTS else []),
        *(POSTGRES_NOTE if dialect == "postgres" else []),
        "-- Export the rows of every query into one CSV file with a header line, then run:",
        f"--   {again}",
        "-- (each query's 'plan' row says which maps and options its rows are for).",
    ]
    for plan in found:
        sql = map_query(
            plan,
            basis.period,
            by=request.by is not None,
            responses=basis.surveys,
            properties=props,
            dialect=dialect,
            stamp=results.stamp(plan, basis),
        )
        lines.append("")
        lines.append(f"-- map {_comment(plan.id)} ({_comment(plan.file)})")
        if dialect not in SCRIPT_DIALECTS:
            lines.append(transpile(sql, dialect, pretty=True) + ";")
            continue
        *shared, final = stages(sql, "duckdb", dialect, pretty=True)
        lines += [f"CREATE OR REPLACE TEMP TABLE {s.table} AS\n{s.select};" for s in shared]
        lines.append(final.select + ";")
    return "\n".join(lines) + "\n"


def _type_names(dialect: str) -> tuple[str, str]:
    """The warehouse's own names of text and 64-bit integers (BigQuery: STRING, INT64)."""
    from sqlglot import exp

    text = exp.DataType.build("TEXT").sql(dialect=dialect)
    return text, exp.DataType.build("BIGINT").sql(dialect=dialect)


def _comment(text: str) -> str:
    """Text for a line of an SQL comment: control characters (a newline would end the
    comment) shown as escapes."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _results_command(request: Request) -> str:
    """The command that reads the exported rows, with the options that shaped the queries."""
    import shlex

    options = {
        "--path": ",".join(request.path) if isinstance(request.path, list) else None,
        **_options(request),
    }
    if options["--window"] == "14d":
        options["--window"] = None  # the default: no need to say it
    words = ["journeymap", "measure", "MAPS", "--results", "FILE"]
    for option, value in options.items():
        if value is not None:
            words += [option, shlex.quote(value)]
    return _comment(" ".join(words))


def from_results(facts: list[MapFacts], request: Request, paths: list[Path]) -> Measured:
    """metrics.json from the exported results of the --sql queries."""
    found = plans(facts, request)
    maps = results.from_results(found, _basis(found, request, request.period()), paths)
    shown = ", ".join(str(p) for p in paths)
    warned = path_warnings(found, request) + unmatched(maps, f"the results {shown}")
    return Measured(dumps(_document(maps, request)), warned)


def _options(request: Request) -> dict[str, str | None]:
    """The options, as given, that change what the queries compute besides the path."""
    return {
        "--since": request.since,
        "--until": request.until,
        "--window": request.window,
        "--by": request.by,
    }


def _basis(found: list[MapPlan], request: Request, period: Period) -> results.Basis:
    surveys = any(plan.surveys for plan in found)
    return results.Basis(period, _options(request), property_names(found), surveys)
