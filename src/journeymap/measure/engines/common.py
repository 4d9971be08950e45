"""What every engine shares: the data's description, its checks and the staged views' SELECT.

`MeasureError` names the file or table and the column; the checks (`missing_column`,
`score_check`, `bad_score_message`) word the same problem the same way on every engine.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from journeymap.measure.sqltext import SCORE_RANGES, literal, prop

Row = tuple[Any, ...]
Progress = Callable[[str], None]
# A running query's progress, in percent: DuckDB's estimate; on Spark, the stages run.
Tick = Callable[[float], None]

FORMATS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "json",
    ".ndjson": "json",
    ".json": "json",
}


class MeasureError(Exception):
    """Bad input (a missing column, an unreadable time...) or an unreachable engine; exit 2."""


@dataclass(frozen=True)
class Columns:
    """The names of the columns in the data, from `[measure] columns` in the configuration."""

    user: str = "user"
    event: str = "event"
    time: str = "time"
    survey: str = "survey"
    score: str = "score"

    def explain(self, role: str, guess: str | None = None) -> str:
        """Where the name of the `role` column comes from, and how to change it (to `guess`,
        the column that is probably it, if any)."""
        name = getattr(self, role)
        if name == role:
            return (
                f"the {role} column; if yours has another name, map it in the configuration: "
                f"[measure] columns = {{{role} = {json.dumps(guess or 'YOUR_COLUMN')}}}"
            )
        mapped = f"{{{role} = {json.dumps(name)}}}"
        return f"the {role} column, as the configuration maps it: [measure] columns = {mapped}"


@dataclass
class Source:
    """What `--events` or `--responses` names, and what the checks need to know about it."""

    spec: str
    role: str  # "events" | "responses"
    properties: dict[str, str] = field(default_factory=dict)  # name -> where the map uses it
    by: str | None = None
    methods: dict[str, str] = field(default_factory=dict)  # survey id -> csat | nps | ces


class Engine(Protocol):
    dialect: str
    name: str

    def stage(self, source: Source, columns: Columns) -> None: ...

    def query(self, sql: str, tick: Tick | None = None) -> list[Row]: ...

    def count(self, view: str) -> int: ...

    def close(self) -> None: ...


TIME_HELP = (
    "expected an ISO 8601 time (2026-10-14T09:30:00, with or without Z or an offset) "
    "or seconds since 1970"
)


# The text of a time every engine reads alike: an ISO 8601 date, time (to any fraction of a
# second: the engines keep microseconds) and offset (up to 14 hours), or a zone's name after a
# space. Written without backslashes, so that RE2 (DuckDB), PostgreSQL and Java (Spark) read
# it the same. Each engine's own parser takes more (`now`, `epoch`, `01/02/2026` by the
# server's DateStyle, an offset of 25 hours), and not the same more.
ISO_TIME = (
    "[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.][0-9]+)?)?)?"
    "(Z|[+-](0[0-9]|1[0-4])(:?[0-9]{2})?| +[A-Z][A-Za-z0-9_/+-]*)?"
)


def missing_column(source: Source, columns: Columns, have: Sequence[str], where: str) -> None:
    """MeasureError for the first column the run needs that the data lacks."""
    roles = (
        ("user", "event", "time")
        if source.role == "events"
        else ("user", "survey", "score", "time")
    )
    if len(have) == 1 and any(sep in have[0] for sep in ",\t"):
        raise MeasureError(
            f"{where}: cannot split it into columns (read as one: {have[0][:60]!r}): its lines "
            "do not all have the same number of fields; look for a line with a field too many "
            "or a quote that is not closed"
        )
    missing = [role for role in roles if getattr(columns, role) not in have]
    if len(missing) == 1:
        role = missing[0]
        name = getattr(columns, role)
        close = _likely_column(role, name, have)
        hint = f" (did you mean '{close}'?)" if close else ""
        raise MeasureError(
            f"{where}: no column '{name}'{hint} ({columns.explain(role, close)}); "
            f"it has: {', '.join(have)}"
        )
    if missing:  # all of them at once: not one run per column
        raise MeasureError(_all_missing(missing, columns, have, where))
    for name, used in sorted(source.properties.items()):
        if name not in have:
            raise MeasureError(
                f"{where}: no column '{name}', which a `where` of {used} compares; "
                f"it has: {', '.join(have)}"
            )
    if source.by is not None and source.by not in have:
        raise MeasureError(
            f"{where}: no column '{source.by}' to split by (--by); it has: {', '.join(have)}"
        )


def _all_missing(missing: list[str], columns: Columns, have: Sequence[str], where: str) -> str:
    named = [f"'{getattr(columns, role)}'" for role in missing]
    listed = ", ".join(named[:-1]) + f" or {named[-1]}"
    guessed = {role: _likely_column(role, getattr(columns, role), have) for role in missing}
    mapping = ", ".join(f"{r} = {json.dumps(c or 'YOUR_COLUMN')}" for r, c in guessed.items())
    return (
        f"{where}: no column {listed} (the columns the run needs; if yours have other names, "
        f"map them in the configuration: [measure] columns = {{{mapping}}}); "
        f"it has: {', '.join(have)}"
    )


# Words in a column's name that say which role it plays, to suggest it when the name differs.
_ROLE_WORDS = {
    "user": ("user", "uid", "userid", "customer", "visitor", "client", "member", "person"),
    "event": ("event", "action", "eventname"),
    "time": ("time", "timestamp", "ts", "date", "datetime", "when"),
    "survey": ("survey", "question", "questionnaire"),
    "score": ("score", "rating", "answer", "value"),
}


def _likely_column(role: str, name: str, have: Sequence[str]) -> str | None:
    """The one column of `have` that is probably the `role` column the run calls `name`: the
    same name in another case or spelling (`User_ID` for `user_id`), else the only column with
    a word of the role (`User ID` for user, `Timestamp` for time); None when unsure."""

    def plain(text: str) -> str:
        return re.sub(r"[^a-z0-9]", "", text.lower())

    same = [c for c in have if plain(c) == plain(name)]
    if len(same) == 1:
        return same[0]

    def words(text: str) -> set[str]:
        split = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", text)  # camelCase
        parts = [w for w in re.split(r"[^a-z0-9]+", split.lower()) if w]
        return {*parts, "".join(parts)}

    likely = [c for c in have if words(c) & set(_ROLE_WORDS.get(role, ()))]
    return likely[0] if len(likely) == 1 else None


def score_check(methods: dict[str, str], score: str, survey: str) -> str:
    """A condition true for an answer whose score is out of its method's range or not whole."""
    tests = [f"{score} <> ROUND({score})"]
    for method, (low, high) in SCORE_RANGES.items():
        ids = sorted(s for s, m in methods.items() if m == method)
        if ids:
            tests.append(
                f"({survey} IN ({', '.join(literal(i) for i in ids)}) "
                f"AND ({score} < {low} OR {score} > {high}))"
            )
    return " OR ".join(tests)


def _as_written(value: Any) -> Any:
    """A score as text, as a CSV file writes it: a table's NUMERIC 9 comes as Decimal('9.000000'),
    shown '9' (as DuckDB reads it from a file), not as Python writes it."""
    from decimal import Decimal

    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, float):
        return f"{value:g}"
    return str(value) if isinstance(value, int) else value


def bad_score_message(
    where: str, line: str, column: str, value: Any, survey: Any, methods: dict[str, str]
) -> str:
    value = _as_written(value)
    method = methods.get(str(survey))
    if method is None:
        return f"{where}{line}: column '{column}': score {value!r} is not a whole number"
    low, high = SCORE_RANGES[method]
    if is_number(value) and float(value) != int(float(value)) and low <= float(value) <= high:
        return f"{where}{line}: column '{column}': score {value!r} is not a whole number"
    return (
        f"{where}{line}: column '{column}': score {value!r} of survey '{survey}' is outside "
        f"{method}'s range {low}-{high}"
    )


# Seconds since 1970 from the year 10000 on are no time (most often milliseconds): every engine
# reads such a number as an unreadable time, reported with its row.
MAX_SECONDS = 253_402_300_800


def time_hint(value: Any) -> str:
    """What to say after "cannot read VALUE as a time"."""
    if is_number(value) and math.isfinite(float(value)) and abs(float(value)) >= MAX_SECONDS:
        return (
            "a number of seconds since 1970 past the year 10000 (milliseconds? divide by "
            "1000); expected seconds, or an ISO 8601 time"
        )
    return TIME_HELP


def seconds_to_micros(number: str, rounded: str = "CAST(ROUND({} * 1000000) AS BIGINT)") -> str:
    """SQL: microseconds from the number of seconds `number`, NULL from the year 10000 on;
    `rounded` is the engine's expression of BIGINT(ROUND(number * 1e6)) with `{}` for it."""
    return f"CASE WHEN abs({number}) < {MAX_SECONDS} THEN {rounded.format(number)} END"


_GLOB = "*?["
_MAX_FILES = 100_000


def _matches(spec: str) -> list[Path]:
    """The files a pattern matches, sorted. `**` does not go into linked folders (a link to
    `.` would make it loop), and no more than `_MAX_FILES` are listed; hidden files only when
    the pattern names them (as a shell would)."""
    parts = Path(spec).parts
    first = next(k for k, part in enumerate(parts) if any(ch in part for ch in _GLOB))
    base = Path(*parts[:first]) if first else Path()
    pattern = Path(*parts[first:])
    if pattern.name == "**":  # pathlib's final `**` lists folders; a shell's, their files too
        pattern = pattern / "*"
    hidden = any(p.startswith(".") and p not in (".", "..") for p in pattern.parts)
    found: dict[Path, Path] = {}  # real path -> the first name it was found by
    for path in base.glob(str(pattern)):
        inside = path.relative_to(base).parts
        if not hidden and any(p.startswith(".") and p not in (".", "..") for p in inside):
            continue
        if any(ch in p for p in inside for ch in _GLOB):
            raise MeasureError(
                f"{path}: a name with *, ? or [ cannot be read (the engines would take it for "
                "a pattern); rename it"
            )
        if path.is_file():
            found.setdefault(path.resolve(), path)
            if len(found) > _MAX_FILES:
                raise MeasureError(f"{spec}: matches more than {_MAX_FILES:,} files")
    return sorted(found.values())


def expand(spec: str) -> list[Path]:
    """The files a path or glob names, sorted; MeasureError when there are none."""
    if any(ch in spec for ch in _GLOB):
        files = _matches(spec)
        if not files:
            raise MeasureError(f"{spec}: no file matches this pattern")
        return files
    path = Path(spec)
    if not path.exists():
        raise MeasureError(f"{spec}: no such file")
    if path.is_dir():
        raise MeasureError(
            f"{spec}: is a directory; name the files, for example '{spec}/*.parquet'"
        )
    return [path]


def file_format(files: list[Path], spec: str) -> str:
    kinds = {FORMATS.get("".join(p.suffixes[-1:]).lower()) for p in files}
    if None in kinds:
        bad = next(p for p in files if FORMATS.get(p.suffix.lower()) is None)
        raise MeasureError(
            f"{bad}: unknown file type '{bad.suffix}'; use CSV (.csv, .tsv), Parquet "
            "(.parquet, .pq) or JSON Lines (.jsonl, .ndjson, .json) files"
        )
    if len(kinds) > 1:
        raise MeasureError(f"{spec}: mixes file types; use one of CSV, Parquet or JSON Lines")
    return str(kinds.pop())


def is_number(value: Any) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


def staging_select(
    source: Source,
    columns: Columns,
    quote: Callable[[str], str],
    text: str,
    time: str,
    score: str,
) -> str:
    """The SELECT that turns a source's columns into the staged view the queries read
    (`jm_events` or `jm_responses`), in one engine's identifier quoting and text type."""
    # An empty user is no user, and an empty --by value none, whatever the file type (a CSV
    # reader gives NULL for an empty field; Parquet, JSON and a table keep the empty text).
    user = f"NULLIF(CAST({quote(columns.user)} AS {text}), '')"
    if source.role == "events":
        props = "".join(
            f", {quote(name)} AS {prop(i)}" for i, name in enumerate(sorted(source.properties))
        )
        by = f"CAST(NULL AS {text})"
        if source.by:
            by = f"NULLIF(CAST({quote(source.by)} AS {text}), '')"
        return (
            f"SELECT {user} AS user_id, CAST({quote(columns.event)} AS {text}) AS event, "
            f"{time} AS t, {by} AS by_value{props}"
        )
    return (
        f"SELECT {user} AS user_id, CAST({quote(columns.survey)} AS {text}) AS survey, "
        f"CAST({score} AS BIGINT) AS score, {time} AS t"
    )


def reject_bad_rows(
    query: Callable[[str], list[Row]],
    source: Source,
    columns: Columns,
    *,
    table: str,
    where: str,
    time: tuple[str, str],
    score: str,
    survey: str,
    score_text: str | None = None,
    locate: Callable[[str, Any], str | None] | None = None,
) -> None:
    """The first row of a table whose time cannot be read (`time`: the parsed time, and the raw
    value as text, in the engine's SQL), or, for survey answers, whose score is missing or out of
    its method's range: one MeasureError naming the table and the column, worded alike on every
    engine that reads a table (DuckDB reads files, and names their lines). `locate`: the
    `FILE:LINE` of a column's value, when the table was read from files (Spark)."""
    parsed, raw = time
    bad = query(f"SELECT {raw} FROM {table} WHERE ({parsed}) IS NULL LIMIT 1")
    if bad:
        shown = "an empty value" if bad[0][0] is None else repr(bad[0][0])
        place = (locate(columns.time, bad[0][0]) if locate else None) or where
        raise MeasureError(
            f"{place}: column '{columns.time}': cannot read {shown} as a time; "
            f"{time_hint(bad[0][0])}"
        )
    if source.role != "responses":
        return
    check = score_check(source.methods, score, survey)
    shown = score_text or score  # the value as written, when `score` is parsed from text
    found = query(f"SELECT {shown}, {survey} FROM {table} WHERE {score} IS NULL OR {check} LIMIT 1")
    if found:
        value = _as_written(found[0][0])
        where = (locate(columns.score, found[0][0]) if locate else None) or where
        if value is None or not is_number(value):  # worded as DuckDB words it for a file
            shown = "an empty value" if value is None else repr(value)
            raise MeasureError(f"{where}: column '{columns.score}': {shown} is not a score")
        raise MeasureError(
            bad_score_message(where, "", columns.score, value, found[0][1], source.methods)
        )
