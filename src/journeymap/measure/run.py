"""`journeymap measure` below the command line: maps + data -> metrics.json, SQL, or results."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from journeymap.measure.engines import Columns, MeasureError, Source, connect
from journeymap.measure.metrics import Row, document, dumps, map_metrics
from journeymap.measure.plan import MapFacts, MapPlan, make_plan
from journeymap.measure.sql import (
    DIALECTS,
    RESULT_COLUMNS,
    Period,
    map_query,
    transpile,
)
from journeymap.measure.sqlstages import stages
from journeymap.measure.sqltext import property_names

_WINDOW = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([dhms])\s*$")
_UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}


def parse_window(text: str) -> float:
    """`14d`, `12h`, `30m`, `45s` -> seconds."""
    match = _WINDOW.match(text)
    if not match or float(match.group(1)) <= 0:
        raise MeasureError(f"--window {text!r}: expected a duration such as 14d, 12h, 30m or 45s")
    return float(match.group(1)) * _UNITS[match.group(2)]


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
    path: list[str] | None = None
    engine: str | None = None
    memory_limit: str | None = None

    def period(self) -> Period:
        since = parse_moment(self.since, "--since") if self.since else None
        until = parse_moment(self.until, "--until") if self.until else None
        if since is not None and until is not None and until <= since:
            raise MeasureError(f"--until {self.until} is not after --since {self.since}")
        return Period(since, until, round(parse_window(self.window) * 1_000_000))


def plans(facts: list[MapFacts], request: Request) -> list[MapPlan]:
    from journeymap.measure.plan import PlanError

    seen: dict[str, str] = {}
    out = []
    for one in facts:
        if one.id in seen:
            raise MeasureError(f"two maps have the id '{one.id}': {seen[one.id]} and {one.file}")
        seen[one.id] = one.file
        try:
            out.append(make_plan(one, request.path))
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
            methods.setdefault(survey.id, survey.method)
    events = Source(request.events, "events", properties, request.by)
    responses = None
    if request.responses:
        responses = Source(request.responses, "responses", methods=methods)
    return events, responses


class Report(Protocol):
    """Where progress goes (a terminal's stderr): `done=False` for a line that the next message
    replaces (the running query's rows read), `done=True` for a line that stays."""

    def __call__(self, message: str, *, done: bool = True) -> None: ...


def measure(facts: list[MapFacts], request: Request, progress: Report | None = None) -> str:
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
                progress(f"{head}: reading {total:,} rows", done=False)

                def tick(percent: float, report: Report = report, head: str = head) -> None:
                    # DuckDB's estimate of the whole query's progress, not only its reading.
                    report(f"{head}: reading {total:,} rows, {percent:.0f}% done", done=False)

            started = time.perf_counter()
            rows = engine.query(transpile(sql, engine.dialect), tick)
            if progress:
                took = time.perf_counter() - started
                progress(f"{head}: {total:,} rows read in {took:.1f} s, {len(rows)} result rows")
            maps[plan.id] = map_metrics(plan, rows, request.by)
    finally:
        engine.close()
    return dumps(_document(maps, request))


def _document(maps: dict[str, Any], request: Request) -> dict[str, Any]:
    return document(
        maps,
        since=request.since,
        until=request.until,
        window_seconds=parse_window(request.window),
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


def sql_text(facts: list[MapFacts], request: Request, dialect: str) -> str:
    """The queries to run in a warehouse, in its dialect, with how to set up their two views."""
    if dialect not in DIALECTS:
        raise MeasureError(f"--dialect {dialect!r}: choose one of {', '.join(DIALECTS)}")
    found = plans(facts, request)
    period = request.period()
    has_surveys = any(plan.surveys for plan in found)
    props = property_names(found)
    lines = [
        f"-- journeymap measure: one query per map ({dialect}). Each reads two views:",
        "--   jm_events(user_id TEXT, event TEXT, t BIGINT, by_value TEXT"
        + "".join(f", p{i}" for i in range(len(props)))
        + ")",
        "--   jm_responses(user_id TEXT, survey TEXT, score BIGINT, t BIGINT)",
        "-- where t is microseconds since 1970-01-01 UTC and by_value the --by column (or NULL).",
        *(f"--   p{i}: the property {name!r} (compared as text)" for i, name in enumerate(props)),
        *(SCRIPT_NOTE if dialect in SCRIPT_DIALECTS else []),
        "-- Export the rows of every query into one CSV file with a header line, then run:",
        "--   journeymap measure MAPS --results FILE"
        + (f" --by {request.by}" if request.by else ""),
    ]
    for plan in found:
        sql = map_query(
            plan,
            period,
            by=request.by is not None,
            responses=has_surveys,
            properties=props,
            dialect=dialect,
        )
        lines.append("")
        lines.append(f"-- map {plan.id} ({plan.file})")
        if dialect not in SCRIPT_DIALECTS:
            lines.append(transpile(sql, dialect, pretty=True) + ";")
            continue
        *shared, final = stages(sql, "duckdb", dialect, pretty=True)
        lines += [f"CREATE OR REPLACE TEMP TABLE {s.table} AS\n{s.select};" for s in shared]
        lines.append(final.select + ";")
    return "\n".join(lines) + "\n"


def _cell(value: str) -> Any:
    return None if value == "" else value


def read_results(paths: list[Path]) -> list[Row]:
    """Rows exported from the warehouse: CSV with a header, or JSON Lines."""
    rows: list[Row] = []
    for path in paths:
        try:
            text = path.read_text("utf-8-sig")
        except OSError as err:
            raise MeasureError(f"{path}: cannot read: {err.strerror or err}") from None
        if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
            for number, line in enumerate(text.splitlines(), 1):
                if not line.strip():
                    continue
                try:
                    item = json.loads(line)
                except json.JSONDecodeError as err:
                    raise MeasureError(f"{path}:{number}: not JSON: {err.msg}") from None
                if not isinstance(item, dict):
                    raise MeasureError(f"{path}:{number}: expected an object per line")
                keys = {str(k).lower(): v for k, v in item.items()}
                missing = [c for c in RESULT_COLUMNS if c not in keys]
                if missing:
                    raise MeasureError(f"{path}:{number}: no column '{missing[0]}'")
                rows.append(tuple(keys[c] for c in RESULT_COLUMNS))
            continue
        reader = csv.reader(text.splitlines())
        header = [h.strip().lower() for h in next(reader, [])]
        missing = [c for c in RESULT_COLUMNS if c not in header]
        if missing:
            raise MeasureError(
                f"{path}:1: no column '{missing[0]}' in the header; expected "
                f"{','.join(RESULT_COLUMNS)} (the columns of the queries from --sql)"
            )
        index = [header.index(c) for c in RESULT_COLUMNS]
        for number, record in enumerate(reader, 2):
            if not record:
                continue
            if len(record) < len(header):
                raise MeasureError(f"{path}:{number}: {len(record)} fields, expected {len(header)}")
            rows.append(tuple(_cell(record[i]) for i in index))
    for row in rows:
        for value in row[3:]:
            if value is not None and not re.fullmatch(r"-?\d+(\.0+)?", str(value)):
                raise MeasureError(f"results: {value!r} is not a whole number (row {row})")
    return [
        tuple(row[:3]) + tuple(None if v is None else int(float(v)) for v in row[3:])
        for row in rows
    ]


def from_results(facts: list[MapFacts], request: Request, paths: list[Path]) -> str:
    """metrics.json from the exported results of the --sql queries."""
    found = plans(facts, request)
    request.period()
    rows = read_results(paths)
    maps = {
        plan.id: map_metrics(plan, [r for r in rows if r[0] == plan.id], request.by)
        for plan in found
    }
    known = {plan.id for plan in found}
    unknown = sorted({str(r[0]) for r in rows} - known)
    if unknown:
        raise MeasureError(
            f"results: rows for map '{unknown[0]}', which is not among the maps given"
        )
    return dumps(_document(maps, request))
