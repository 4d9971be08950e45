"""Spark (`--engine spark`, local, or `spark://HOST:PORT`): views over files or tables."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from journeymap.measure.engines.common import (
    FORMATS,
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
)
from journeymap.measure.sqltext import prop

LOG4J2 = Path(__file__).with_name("spark-log4j2.properties")


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
            raise MeasureError(f"table {spec}: {first_line(err)}") from None

    def stage(self, source: Source, columns: Columns) -> None:
        frame, where = self._frame(source)
        types = {f.name: f.dataType.simpleString() for f in frame.schema.fields}
        missing_column(source, columns, list(types), where)
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
        reject_bad_rows(
            self.query,
            source,
            columns,
            table=raw,
            where=where,
            time=(time, f"CAST({q(columns.time)} AS STRING)"),
            score=f"CAST({q(columns.score)} AS DECIMAL(38, 6))",
            survey=f"CAST({q(columns.survey)} AS STRING)",
        )
        view = "jm_events" if source.role == "events" else "jm_responses"
        self.spark.sql(f"{select} FROM {raw}").createOrReplaceTempView(view)

    def query(self, sql: str, tick: Tick | None = None) -> list[Row]:
        """The rows of the query. Spark copies a CTE into every place that names it (the
        funnel's step k is named by step k + 1, its count and the medians: hundreds of joins
        over the window on 20 steps, 48 s on the TV example's 2,400 events). So each CTE
        named more than once is computed first, once, and kept (`localCheckpoint`, which also
        cuts the plans that name it short); the others stay views. 12 s on that example."""
        final, ctes = split_ctes(sql)
        made: list[str] = []
        try:
            for cte in ctes:
                frame = self.spark.sql(cte.select)
                if cte.shared:
                    frame = frame.localCheckpoint(eager=True)
                frame.createOrReplaceTempView(cte.view)
                made.append(cte.view)
            return [tuple(row) for row in self.spark.sql(final).collect()]
        except Exception as err:
            raise MeasureError(f"Spark: {first_line(err)}") from None
        finally:
            for view in made:  # their checkpointed data goes with them (Spark's cleaner)
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


@dataclass(frozen=True)
class Cte:
    view: str  # the temporary view that stands for it: `jm_cte_` and its name
    select: str
    shared: bool  # named more than once in the CTEs after it and the final query


def split_ctes(sql: str) -> tuple[str, list[Cte]]:
    """A query (Spark's dialect) as its CTEs, in order, and the query without them, each
    naming the CTEs' views (`jm_cte_NAME AS NAME`, so its columns read as before)."""
    import sqlglot
    from sqlglot import exp

    tree = sqlglot.parse_one(sql, read="spark")
    ctes = tree.args.get("with_")
    if ctes is None:
        return sql, []
    views = {cte.alias: f"jm_cte_{cte.alias}" for cte in ctes.expressions}
    uses = dict.fromkeys(views, 0)

    def to_view(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Table) and not node.args.get("db") and node.name in views:
            uses[node.name] += 1
            alias = node.args.get("alias") or exp.TableAlias(this=exp.to_identifier(node.name))
            return exp.Table(this=exp.to_identifier(views[node.name]), alias=alias)
        return node

    selects = [(cte.alias, cte.this.transform(to_view)) for cte in ctes.expressions]
    tree.set("with_", None)
    final = tree.transform(to_view).sql(dialect="spark")
    return final, [
        Cte(views[name], select.sql(dialect="spark"), uses[name] > 1) for name, select in selects
    ]
