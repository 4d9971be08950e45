"""Spark (`--engine spark`, local, or `spark://HOST:PORT`): views over files or tables."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from journeymap.measure.engines.badlines import checked_csv, line_of_value
from journeymap.measure.engines.common import (
    FORMATS,
    ISO_TIME,
    Columns,
    MeasureError,
    Row,
    Source,
    Tick,
    expand,
    file_format,
    first_line,
    missing_column,
    reject_bad_rows,
    seconds_to_micros,
)
from journeymap.measure.sqlstages import stages
from journeymap.measure.sqltext import prop

LOG4J2 = Path(__file__).with_name("spark-log4j2.properties")


def _spark_time(column: str, kind: str) -> str:
    kind = kind.lower()
    if kind in ("tinyint", "smallint", "int", "bigint", "float", "double") or kind.startswith(
        "decimal"
    ):
        return seconds_to_micros(f"CAST({column} AS DECIMAL(38, 6))")
    if kind.startswith("timestamp") or kind == "date":
        return f"unix_micros(CAST({column} AS TIMESTAMP))"
    text = f"TRIM(CAST({column} AS STRING))"
    return (
        f"CASE WHEN {text} RLIKE '^-?[0-9]+(\\\\.[0-9]+)?([eE][-+]?[0-9]+)?$' "
        f"THEN {seconds_to_micros(f'CAST({text} AS DECIMAL(38, 6))')} "
        f"WHEN {text} RLIKE '^({ISO_TIME})$' THEN unix_micros(try_cast({text} AS TIMESTAMP)) END"
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
        _check_optional_libraries_quietly()
        master = url if url.startswith("spark://") else "local[2]"
        os.environ.setdefault("PYSPARK_PYTHON", "python3")
        # A session the caller already runs (a notebook, a test module) is used, not stopped.
        self._owned = SparkSession.getActiveSession() is None
        builder = (
            SparkSession.builder.master(master)
            .appName("journeymap-measure")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.ansi.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            # A table name is never a file (`text.`/etc/passwd``): files come by --events.
            .config("spark.sql.runSQLOnFiles", "false")
        )
        if self._owned and master.startswith("local"):
            # The JVM this starts logs errors only (a cluster's driver keeps its own settings).
            builder = builder.config(
                "spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={LOG4J2.as_uri()}"
            )
        try:
            self.spark = builder.getOrCreate()
        except Exception as err:  # py4j and Java errors have no common base
            raise MeasureError(f"cannot start Spark ({master}): {first_line(err)}") from None
        self.spark.sparkContext.setLogLevel("ERROR")
        self._files: dict[str, tuple[list[Path], str]] = {}  # per role, when read from files

    def _frame(self, source: Source) -> tuple[Any, str]:
        spec = source.spec
        suffix = Path(spec).suffix.lower()
        if suffix in FORMATS or any(ch in spec for ch in "*?["):
            files = expand(spec)
            kind = file_format(files, spec)
            self._files[source.role] = (files, kind)
            paths = [str(p.resolve()) for p in files]
            reader = self.spark.read
            if kind == "csv":
                frame = self._csv(files)
            elif kind == "parquet":  # every file's columns, by name (as DuckDB's union_by_name)
                frame = reader.option("mergeSchema", "true").parquet(*paths)
            else:
                frame = reader.option("primitivesAsString", "false").json(paths)
            return frame, str(files[0]) if len(files) == 1 else spec
        table = spec
        try:
            return self.spark.table(table), f"table {spec}"
        except Exception as err:
            raise MeasureError(f"table {spec}: {first_line(err)}") from None

    def _csv(self, files: list[Path]) -> Any:
        """CSV files as DuckDB reads them: RFC 4180 quotes (`""` inside a quoted field; Spark's
        default is a backslash), every value as text, each file's own separator, columns by
        name (Spark reads the files of one call by position, under the first one's header); a
        line that breaks the layout is refused first, with its line, instead of a field too
        many dropped without a word. A quoted field may span lines only in a file with quotes:
        only those are read whole (`multiLine`, one task per file)."""
        import functools

        frames = []
        for sep, quoted, group in checked_csv(files):
            reader = self.spark.read.option("header", "true").option("sep", sep)
            reader = reader.option("quote", '"').option("escape", '"')
            reader = reader.option("multiLine", "true" if quoted else "false")
            frames.append(reader.csv([str(p.resolve()) for p in group]))
        return functools.reduce(lambda a, b: a.unionByName(b, allowMissingColumns=True), frames)

    def stage(self, source: Source, columns: Columns) -> None:
        frame, where = self._frame(source)
        types = {f.name: f.dataType.simpleString() for f in frame.schema.fields}
        missing_column(source, columns, list(types), where)
        raw = f"jm_raw_{source.role}"
        frame.createOrReplaceTempView(raw)

        def q(name: str) -> str:
            return "`" + name.replace("`", "``") + "`"

        time = _spark_time(q(columns.time), types[columns.time])
        user = f"NULLIF(CAST({q(columns.user)} AS STRING), '')"  # as staging_select
        if source.role == "events":
            props = "".join(
                f", {q(name)} AS {prop(i)}" for i, name in enumerate(sorted(source.properties))
            )
            by = "CAST(NULL AS STRING)"
            if source.by:
                by = f"NULLIF(CAST({q(source.by)} AS STRING), '')"
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
        reject_bad_rows(
            self.query,
            source,
            columns,
            table=raw,
            where=where,
            time=(time, f"CAST({q(columns.time)} AS STRING)"),
            score=f"CAST({q(columns.score)} AS DECIMAL(38, 6))",
            survey=f"CAST({q(columns.survey)} AS STRING)",
            locate=self._locator(source.role),
        )
        view = "jm_events" if source.role == "events" else "jm_responses"
        self.spark.sql(f"{select} FROM {raw}").createOrReplaceTempView(view)

    def _locator(self, role: str) -> Callable[[str, Any], str | None] | None:
        """For CSV or JSON Lines files: where a bad value is (Spark says which, not where)."""
        files, kind = self._files.get(role, ([], "parquet"))
        if kind == "parquet":
            return None
        return lambda column, value: line_of_value(files, kind, column, value)

    def query(self, sql: str, tick: Tick | None = None) -> list[Row]:
        """The rows of the query, run in stages (`journeymap.measure.sqlstages`): each CTE
        named more than once is computed first, once, and kept (`localCheckpoint`, which also
        cuts the plans that name it short); as one query, Spark would compute it again at
        every place that names it (48 s instead of 12 s on the TV example's 2,400 events)."""
        kept: list[str] = []
        try:
            *shared, final = stages(sql, "spark")
            for done, stage in enumerate(shared, 1):
                table = str(stage.table)  # every stage but the last keeps a table
                frame = self.spark.sql(stage.select).localCheckpoint(eager=True)
                frame.createOrReplaceTempView(table)
                kept.append(table)
                if tick is not None:  # progress: the share of the stages run
                    tick(100 * done / (len(shared) + 1))
            return [tuple(row) for row in self.spark.sql(final.select).collect()]
        except Exception as err:
            raise MeasureError(f"Spark: {first_line(err)}") from None
        finally:
            for view in kept:  # their checkpointed rows go with them (Spark's cleaner)
                self.spark.catalog.dropTempView(view)

    def count(self, view: str) -> int:
        return int(self.query(f"SELECT COUNT(*) FROM {view}")[0][0])

    def close(self) -> None:
        if self._owned:
            self.spark.stop()


def _check_optional_libraries_quietly() -> None:
    """PySpark checks once which optional libraries it can use (`pyspark.testing.utils`, as
    a session starts) and warns that it does not yet support pandas 3. journeymap passes no data
    through pandas: the check runs here, with that warning left out of the user's terminal."""
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message="PySpark does not yet fully support pandas", category=FutureWarning
        )
        try:
            import pyspark.testing.utils  # noqa: F401
        except Exception:  # an internal module of PySpark: without it, it checks nothing
            return
