"""Where the queries run: DuckDB (embedded, the default), PostgreSQL and Spark.

Each engine sets up the views `jm_events` and `jm_responses` over its data (files for DuckDB and
Spark, tables for PostgreSQL and Spark), checks them (missing columns, bad times, bad scores:
`MeasureError` naming the file or table and the column), then runs the transpiled queries of
`journeymap.measure.sql`. Only this setup differs between engines; the numbers come from the
same SQL.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from journeymap.measure.sql import ident, literal, prop

Row = tuple[Any, ...]
Progress = Callable[[str], None]
Tick = Callable[[float], None]  # a running query's progress, in percent (DuckDB's estimate)

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

    def explain(self, role: str) -> str:
        name = getattr(self, role)
        if name == role:
            return f"the {role} column; if it has another name, map it in the configuration: "
        return f"the {role} column, mapped in the configuration's "

    @property
    def mapping_hint(self) -> str:
        return '[measure] columns = {user = "user_id", event = "event_name", time = "ts"}'


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


_RANGES = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}
_TIME_HELP = (
    "expected an ISO 8601 time (2026-10-14T09:30:00, with or without Z or an offset) "
    "or seconds since 1970"
)


def _missing(source: Source, columns: Columns, have: Sequence[str], where: str) -> None:
    """MeasureError for the first column the run needs that the data lacks."""
    roles = (
        ("user", "event", "time")
        if source.role == "events"
        else ("user", "survey", "score", "time")
    )
    names = {c.lower(): c for c in have}
    for role in roles:
        name = getattr(columns, role)
        if name not in have:
            close = names.get(name.lower())
            hint = f" (did you mean '{close}'?)" if close else ""
            raise MeasureError(
                f"{where}: no column '{name}'{hint} ({columns.explain(role)}"
                f"{columns.mapping_hint}); it has: {', '.join(have)}"
            )
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


def _score_check(methods: dict[str, str], score: str, survey: str) -> str:
    """A condition true for an answer whose score is out of its method's range or not whole."""
    tests = [f"{score} <> ROUND({score})"]
    for method, (low, high) in _RANGES.items():
        ids = sorted(s for s, m in methods.items() if m == method)
        if ids:
            tests.append(
                f"({survey} IN ({', '.join(literal(i) for i in ids)}) "
                f"AND ({score} < {low} OR {score} > {high}))"
            )
    return " OR ".join(tests)


def _bad_score_message(
    where: str, line: str, column: str, value: Any, survey: Any, methods: dict[str, str]
) -> str:
    method = methods.get(str(survey))
    if method is None:
        return f"{where}{line}: column '{column}': score {value!r} is not a whole number"
    low, high = _RANGES[method]
    return (
        f"{where}{line}: column '{column}': score {value!r} of survey '{survey}' is outside "
        f"{method}'s range {low}-{high}"
    )


# ------------------------------------------------------------------------------------ DuckDB
_NUMERIC = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "FLOAT",
    "DOUBLE",
    "DECIMAL",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
)


def _duckdb_time(column: str, kind: str) -> str:
    """Microseconds since 1970 from a time column of this DuckDB type; NULL when unreadable."""
    kind = kind.upper()
    if kind.startswith(_NUMERIC):
        return f"CAST(ROUND(CAST({column} AS DOUBLE) * 1000000) AS BIGINT)"
    if kind.startswith("TIMESTAMP"):  # naive timestamps are UTC; epoch_us reads both kinds
        return f"epoch_us({column})"
    if kind == "DATE":
        return f"epoch_us(CAST({column} AS TIMESTAMP))"
    text = f"TRIM(CAST({column} AS VARCHAR))"
    return (
        f"CASE WHEN regexp_full_match({text}, '-?[0-9]+(\\.[0-9]+)?') "
        f"THEN CAST(ROUND(CAST({text} AS DOUBLE) * 1000000) AS BIGINT) "
        f"ELSE epoch_us(TRY_CAST({text} AS TIMESTAMPTZ)) END"
    )


def expand(spec: str) -> list[Path]:
    """The files a path or glob names, sorted; MeasureError when there are none."""
    if any(ch in spec for ch in "*?["):
        files = sorted(Path(p) for p in glob.glob(spec, recursive=True) if Path(p).is_file())  # noqa: PTH207
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
            f"{bad}: unknown file type '{bad.suffix}'; use .csv, .parquet or .jsonl files"
        )
    if len(kinds) > 1:
        raise MeasureError(f"{spec}: mixes file types; use one of CSV, Parquet or JSON Lines")
    return str(kinds.pop())


class DuckDBEngine:
    dialect = "duckdb"
    name = "DuckDB"

    def __init__(self, memory_limit: str | None = None, progress: Progress | None = None) -> None:
        import duckdb

        self._duckdb = duckdb
        self.con = duckdb.connect(":memory:")
        self.con.execute("SET TimeZone = 'UTC'")
        # The queries sort their result themselves: DuckDB may stream and spill freely.
        self.con.execute("SET preserve_insertion_order = false")
        # query_progress() for the progress line on a terminal; DuckDB itself prints nothing.
        self.con.execute("SET enable_progress_bar = true")
        self.con.execute("SET enable_progress_bar_print = false")
        # Spill files go to the system's temporary folder, not `.tmp` in the user's checkout.
        import tempfile

        self._spill = tempfile.TemporaryDirectory(prefix="journeymap-duckdb-")
        self.con.execute(f"SET temp_directory = {literal(self._spill.name)}")
        if memory_limit:
            self.con.execute(f"SET memory_limit = {literal(memory_limit)}")
        self.progress = progress
        self._text: list[str] = []

    def _reader(self, files: list[Path], kind: str, lines: bool, text: Sequence[str] = ()) -> str:
        """The table function reading the files; `text`: CSV columns read as written (DuckDB
        would otherwise guess `yes` is a boolean, `007` the number 7)."""
        names = "[" + ", ".join(literal(str(p)) for p in files) + "]"
        extra = ", filename = true" if lines else ""
        if kind == "csv":
            sep = ", delim = '\t'" if files[0].suffix.lower() == ".tsv" else ""
            if text:
                pairs = ", ".join(f"{literal(name)}: 'VARCHAR'" for name in text)
                extra += f", types = {{{pairs}}}"
            return f"read_csv({names}, header = true, union_by_name = true{sep}{extra})"
        if kind == "parquet":
            return f"read_parquet({names}, union_by_name = true{extra})"
        return f"read_json({names}, format = 'newline_delimited', union_by_name = true{extra})"

    def stage(self, source: Source, columns: Columns) -> None:
        files = expand(source.spec)
        kind = file_format(files, source.spec)
        where = str(files[0]) if len(files) == 1 else source.spec
        reader = self._reader(files, kind, lines=False)
        try:
            described = self.con.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()
        except self._duckdb.Error as err:
            raise MeasureError(f"{where}: cannot read it as {kind}: {_first_line(err)}") from None
        types = {str(row[0]): str(row[1]) for row in described}
        _missing(source, columns, list(types), where)
        roles = ("user", "event") if source.role == "events" else ("user", "survey")
        text = {getattr(columns, role) for role in roles} | set(source.properties)
        if source.by is not None:
            text.add(source.by)
        self._text = sorted(text - {columns.time, columns.score})
        reader = self._reader(files, kind, lines=False, text=self._text)
        time = _duckdb_time(ident(columns.time), types[columns.time])
        score = ""
        if source.role != "events":
            score = ident(columns.score)
            if not types[columns.score].upper().startswith(_NUMERIC):
                score = f"TRY_CAST({score} AS DOUBLE)"
        select = _staging_select(source, columns, ident, "VARCHAR", time, score)
        self._check(source, columns, files, kind, types, where)
        view = "jm_events" if source.role == "events" else "jm_responses"
        self.con.execute(f"CREATE OR REPLACE TEMP VIEW {view} AS {select} FROM {reader}")

    def _check(
        self,
        source: Source,
        columns: Columns,
        files: list[Path],
        kind: str,
        types: dict[str, str],
        where: str,
    ) -> None:
        """Find the first unreadable time (and, for answers, bad score) with its line."""
        reader = self._reader(files, kind, lines=True, text=self._text)
        time_col = ident(columns.time)
        time = _duckdb_time(time_col, types[columns.time])
        tests = [f"({time}) IS NULL"]
        select = f"CAST({time_col} AS VARCHAR) AS bad_time"
        if source.role == "responses":
            score_col = ident(columns.score)
            score = score_col
            if not types[columns.score].upper().startswith(_NUMERIC):
                score = f"TRY_CAST({score_col} AS DOUBLE)"
            survey = f"CAST({ident(columns.survey)} AS VARCHAR)"
            tests.append(
                f"({score}) IS NULL OR {_score_check(source.methods, f'({score})', survey)}"
            )
            select += f", CAST({score_col} AS VARCHAR) AS bad_score, {survey} AS survey, "
            select += f"({time}) IS NULL AS time_bad"
        sql = (
            f"SELECT * FROM (SELECT filename, ROW_NUMBER() OVER (PARTITION BY filename) AS row, "
            f"{select}, ({' OR '.join(f'({t})' for t in tests)}) AS bad FROM {reader}) AS checked "
            "WHERE bad ORDER BY filename, row LIMIT 1"
        )
        try:
            found = self.con.execute(sql).fetchall()
        except self._duckdb.Error as err:
            raise MeasureError(f"{where}: cannot read it as {kind}: {_first_line(err)}") from None
        if not found:
            return
        row = found[0]
        file, number = row[0], int(row[1])
        line = f":{number + 1}" if kind == "csv" else f":{number}" if kind == "json" else ""
        at = f" (row {number})" if kind == "parquet" else ""
        if source.role == "events" or row[5]:
            value = row[2]
            shown = "an empty value" if value is None else repr(value)
            raise MeasureError(
                f"{file}{line}: column '{columns.time}'{at}: cannot read {shown} as a time; "
                f"{_TIME_HELP}"
            )
        value = row[3]
        if value is None or not _is_number(value):
            raise MeasureError(
                f"{file}{line}: column '{columns.score}'{at}: "
                f"{'an empty value' if value is None else repr(value)} is not a score"
            )
        raise MeasureError(
            _bad_score_message(str(file), line + at, columns.score, value, row[4], source.methods)
        )

    def query(self, sql: str, tick: Tick | None = None) -> list[Row]:
        """The rows of the query; with `tick`, the query runs in a thread while this one reads
        DuckDB's progress (`query_progress()`, percent) every tenth of a second."""
        if tick is None:
            return self._fetch(sql)
        import threading

        out: list[list[Row]] = []
        failed: list[BaseException] = []

        def work() -> None:
            try:
                out.append(self._fetch(sql))
            except BaseException as err:  # re-raised in the caller's thread below
                failed.append(err)

        worker = threading.Thread(target=work, name="journeymap-duckdb", daemon=True)
        worker.start()
        try:
            while worker.is_alive():
                worker.join(0.1)
                done = self.con.query_progress()
                if worker.is_alive() and done >= 0:
                    tick(done)
        except KeyboardInterrupt:
            self.con.interrupt()
            worker.join()
            raise
        if failed:
            raise failed[0]
        return out[0]

    def _fetch(self, sql: str) -> list[Row]:
        try:
            return [tuple(row) for row in self.con.execute(sql).fetchall()]
        except self._duckdb.Error as err:
            raise MeasureError(f"DuckDB: {_first_line(err)}") from None

    def count(self, view: str) -> int:
        return int(self._fetch(f"SELECT COUNT(*) FROM {view}")[0][0])

    def close(self) -> None:
        self.con.close()
        self._spill.cleanup()


def _is_number(value: Any) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


# -------------------------------------------------------------------------------- PostgreSQL
def _pg_time(column: str, kind: str) -> str:
    if kind in ("smallint", "integer", "bigint", "numeric", "real", "double precision"):
        return f"CAST(ROUND(CAST({column} AS NUMERIC) * 1000000) AS BIGINT)"
    if kind.startswith("timestamp") or kind == "date":
        return f"CAST(ROUND(EXTRACT(EPOCH FROM {column}) * 1000000) AS BIGINT)"
    text = f"TRIM(CAST({column} AS TEXT))"
    return (
        f"CASE WHEN {text} ~ '^-?[0-9]+(\\.[0-9]+)?$' "
        f"THEN CAST(ROUND(CAST({text} AS NUMERIC) * 1000000) AS BIGINT) "
        f"ELSE CAST(ROUND(EXTRACT(EPOCH FROM pg_temp.jm_timestamptz({text})) * 1000000) "
        "AS BIGINT) END"
    )


_PG_PARSE = """
CREATE OR REPLACE FUNCTION pg_temp.jm_timestamptz(value TEXT) RETURNS TIMESTAMPTZ AS $$
BEGIN
  RETURN value::timestamptz;
EXCEPTION WHEN others THEN
  RETURN NULL;
END;
$$ LANGUAGE plpgsql IMMUTABLE
"""


def _pg_ident(name: str) -> str:
    from sqlglot import exp

    return exp.to_identifier(name, quoted=True).sql(dialect="postgres")


def _table_name(spec: str, dialect: str) -> str:
    """A table name, optionally `schema.table`, each part quoted."""
    from sqlglot import exp

    parts = spec.split(".")
    if not 1 <= len(parts) <= 3 or not all(parts):
        raise MeasureError(f"{spec}: not a table name (use table or schema.table)")
    return ".".join(exp.to_identifier(p, quoted=True).sql(dialect=dialect) for p in parts)


class PostgresEngine:
    dialect = "postgres"
    name = "PostgreSQL"

    def __init__(self, url: str) -> None:
        try:
            import psycopg
        except ImportError:
            raise MeasureError(
                "--engine postgresql needs psycopg: pip install 'journeymap[postgresql]'"
            ) from None
        self._psycopg = psycopg
        try:
            self.con = psycopg.connect(url, autocommit=True, connect_timeout=10)
        except psycopg.Error as err:
            raise MeasureError(f"cannot connect to PostgreSQL: {_first_line(err)}") from None
        self.con.execute("SET TIME ZONE 'UTC'")
        self.con.execute(_PG_PARSE)

    def _columns(self, table: str, spec: str) -> dict[str, str]:
        try:
            cur = self.con.execute(f"SELECT * FROM {table} LIMIT 0")
        except self._psycopg.Error as err:
            raise MeasureError(f"table {spec}: {_first_line(err)}") from None
        names = [d.name for d in cur.description or []]
        oids = [d.type_code for d in cur.description or []]
        kinds = {}
        for name, oid in zip(names, oids, strict=True):
            row = self.con.execute("SELECT format_type(%s, NULL)", (oid,)).fetchone()
            kinds[name] = str(row[0]) if row else "text"
        return kinds

    def stage(self, source: Source, columns: Columns) -> None:
        table = _table_name(source.spec, "postgres")
        where = f"table {source.spec}"
        types = self._columns(table, source.spec)
        _missing(source, columns, list(types), where)
        time = _pg_time(_pg_ident(columns.time), types[columns.time])
        score = f"CAST({_pg_ident(columns.score)} AS NUMERIC)"
        select = _staging_select(source, columns, _pg_ident, "TEXT", time, score)
        bad = self._query(
            f"SELECT CAST({_pg_ident(columns.time)} AS TEXT) FROM {table} WHERE ({time}) IS NULL "
            "LIMIT 1",
            where,
        )
        if bad:
            shown = "an empty value" if bad[0][0] is None else repr(bad[0][0])
            raise MeasureError(
                f"{where}: column '{columns.time}': cannot read {shown} as a time; {_TIME_HELP}"
            )
        if source.role == "responses":
            score = f"CAST({_pg_ident(columns.score)} AS NUMERIC)"
            survey = f"CAST({_pg_ident(columns.survey)} AS TEXT)"
            check = _score_check(source.methods, score, survey)
            found = self._query(
                f"SELECT {score}, {survey} FROM {table} WHERE {score} IS NULL OR {check} LIMIT 1",
                where,
            )
            if found:
                raise MeasureError(
                    _bad_score_message(
                        where, "", columns.score, found[0][0], found[0][1], source.methods
                    )
                )
        view = "jm_events" if source.role == "events" else "jm_responses"
        self._query(f"CREATE OR REPLACE TEMP VIEW {view} AS {select} FROM {table}", where)

    def _query(self, sql: str, where: str) -> list[Row]:
        try:
            cur = self.con.execute(sql)
        except self._psycopg.Error as err:
            raise MeasureError(f"{where}: {_first_line(err)}") from None
        return [tuple(r) for r in cur.fetchall()] if cur.description else []

    def query(self, sql: str, tick: Tick | None = None) -> list[Row]:
        return self._query(sql, "PostgreSQL")

    def count(self, view: str) -> int:
        return int(self._query(f"SELECT COUNT(*) FROM {view}", "PostgreSQL")[0][0])

    def close(self) -> None:
        self.con.close()


# ------------------------------------------------------------------------------------- Spark
def _spark_time(column: str, kind: str) -> str:
    kind = kind.lower()
    if kind in ("tinyint", "smallint", "int", "bigint", "float", "double") or kind.startswith(
        "decimal"
    ):
        return f"CAST(ROUND(CAST({column} AS DECIMAL(38, 6)) * 1000000) AS BIGINT)"
    if kind.startswith("timestamp") or kind == "date":
        return f"unix_micros(CAST({column} AS TIMESTAMP))"
    text = f"TRIM(CAST({column} AS STRING))"
    return (
        f"CASE WHEN {text} RLIKE '^-?[0-9]+(\\\\.[0-9]+)?$' "
        f"THEN CAST(ROUND(CAST({text} AS DECIMAL(38, 6)) * 1000000) AS BIGINT) "
        f"ELSE unix_micros(try_cast({text} AS TIMESTAMP)) END"
    )


class SparkEngine:
    """Spark in local mode (`--engine spark`) or a cluster (`--engine spark://HOST:PORT`)."""

    dialect = "spark"
    name = "Spark"

    def __init__(self, url: str) -> None:
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            raise MeasureError(
                "--engine spark needs pyspark: pip install 'journeymap[spark]'"
            ) from None
        master = url if url.startswith("spark://") else "local[2]"
        os.environ.setdefault("PYSPARK_PYTHON", "python3")
        # A session the caller already runs (a notebook, a test module) is used, not stopped.
        self._owned = SparkSession.getActiveSession() is None
        try:
            self.spark = (
                SparkSession.builder.master(master)
                .appName("journeymap-measure")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.ansi.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .getOrCreate()
            )
        except Exception as err:  # py4j and Java errors have no common base
            raise MeasureError(f"cannot start Spark ({master}): {_first_line(err)}") from None
        self.spark.sparkContext.setLogLevel("ERROR")

    def _frame(self, source: Source) -> tuple[Any, str]:
        spec = source.spec
        suffix = Path(spec).suffix.lower()
        if suffix in FORMATS or any(ch in spec for ch in "*?["):
            files = expand(spec)
            kind = file_format(files, spec)
            paths = [str(p.resolve()) for p in files]
            reader = self.spark.read
            if kind == "csv":
                sep = "\t" if files[0].suffix.lower() == ".tsv" else ","
                frame = reader.option("header", "true").option("sep", sep).csv(paths)
            elif kind == "parquet":
                frame = reader.parquet(*paths)
            else:
                frame = reader.option("primitivesAsString", "false").json(paths)
            return frame, str(files[0]) if len(files) == 1 else spec
        table = spec
        try:
            return self.spark.table(table), f"table {spec}"
        except Exception as err:
            raise MeasureError(f"table {spec}: {_first_line(err)}") from None

    def stage(self, source: Source, columns: Columns) -> None:
        frame, where = self._frame(source)
        types = {f.name: f.dataType.simpleString() for f in frame.schema.fields}
        _missing(source, columns, list(types), where)
        raw = f"jm_raw_{source.role}"
        frame.createOrReplaceTempView(raw)

        def q(name: str) -> str:
            return "`" + name.replace("`", "``") + "`"

        time = _spark_time(q(columns.time), types[columns.time])
        user = f"CAST({q(columns.user)} AS STRING)"
        if source.role == "events":
            props = "".join(
                f", {q(name)} AS {prop(i)}" for i, name in enumerate(sorted(source.properties))
            )
            by = f"CAST({q(source.by)} AS STRING)" if source.by else "CAST(NULL AS STRING)"
            select = (
                f"SELECT {user} AS user_id, CAST({q(columns.event)} AS STRING) AS event, "
                f"{time} AS t, {by} AS by_value{props}"
            )
        else:
            score = f"CAST({q(columns.score)} AS DECIMAL(38, 6))"
            select = (
                f"SELECT {user} AS user_id, CAST({q(columns.survey)} AS STRING) AS survey, "
                f"CAST({score} AS BIGINT) AS score, {time} AS t"
            )
        bad = self.query(
            f"SELECT CAST({q(columns.time)} AS STRING) FROM {raw} WHERE ({time}) IS NULL LIMIT 1"
        )
        if bad:
            shown = "an empty value" if bad[0][0] is None else repr(bad[0][0])
            raise MeasureError(
                f"{where}: column '{columns.time}': cannot read {shown} as a time; {_TIME_HELP}"
            )
        if source.role == "responses":
            score = f"CAST({q(columns.score)} AS DECIMAL(38, 6))"
            survey = f"CAST({q(columns.survey)} AS STRING)"
            check = _score_check(source.methods, score, survey)
            found = self.query(
                f"SELECT {score}, {survey} FROM {raw} WHERE {score} IS NULL OR {check} LIMIT 1"
            )
            if found:
                raise MeasureError(
                    _bad_score_message(
                        where, "", columns.score, found[0][0], found[0][1], source.methods
                    )
                )
        view = "jm_events" if source.role == "events" else "jm_responses"
        self.spark.sql(f"{select} FROM {raw}").createOrReplaceTempView(view)

    def query(self, sql: str, tick: Tick | None = None) -> list[Row]:
        try:
            return [tuple(row) for row in self.spark.sql(sql).collect()]
        except Exception as err:
            raise MeasureError(f"Spark: {_first_line(err)}") from None

    def count(self, view: str) -> int:
        return int(self.query(f"SELECT COUNT(*) FROM {view}")[0][0])

    def close(self) -> None:
        if self._owned:
            self.spark.stop()


def connect(url: str | None, *, memory_limit: str | None = None) -> Engine:
    """The engine an `--engine` value names (DuckDB when None)."""
    if url is None or url in ("duckdb", "duckdb:"):
        return DuckDBEngine(memory_limit)
    if url.startswith(("postgresql://", "postgres://", "postgresql:", "postgres:")):
        return PostgresEngine(url)
    if url == "spark" or url.startswith("spark://") or url.startswith("local"):
        return SparkEngine(url)
    raise MeasureError(
        f"--engine {url!r}: expected postgresql://USER@HOST/DB, spark, spark://HOST:PORT "
        "or duckdb (the default)"
    )


def _staging_select(
    source: Source,
    columns: Columns,
    quote: Callable[[str], str],
    text: str,
    time: str,
    score: str,
) -> str:
    """The SELECT that turns a source's columns into the staged view the queries read
    (`jm_events` or `jm_responses`), in one engine's identifier quoting and text type."""
    user = f"CAST({quote(columns.user)} AS {text})"
    if source.role == "events":
        props = "".join(
            f", {quote(name)} AS {prop(i)}" for i, name in enumerate(sorted(source.properties))
        )
        by = f"CAST({quote(source.by)} AS {text})" if source.by else f"CAST(NULL AS {text})"
        return (
            f"SELECT {user} AS user_id, CAST({quote(columns.event)} AS {text}) AS event, "
            f"{time} AS t, {by} AS by_value{props}"
        )
    return (
        f"SELECT {user} AS user_id, CAST({quote(columns.survey)} AS {text}) AS survey, "
        f"CAST({score} AS BIGINT) AS score, {time} AS t"
    )
