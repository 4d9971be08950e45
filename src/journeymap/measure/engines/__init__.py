"""Where the queries run: DuckDB (embedded, the default), PostgreSQL and Spark.

Each engine sets up the views `jm_events` and `jm_responses` over its data (files for DuckDB and
Spark, tables for PostgreSQL and Spark), checks them (missing columns, bad times, bad scores:
`MeasureError` naming the file or table and the column), then runs the transpiled queries of
`journeymap.measure.sql`. Only this setup differs between engines; the numbers come from the
same SQL.
"""

from __future__ import annotations

from journeymap.measure.engines.common import (
    Columns,
    Engine,
    MeasureError,
    Row,
    Source,
    Tick,
    expand,
    file_format,
)

__all__ = [
    "Columns",
    "Engine",
    "MeasureError",
    "Row",
    "Source",
    "Tick",
    "connect",
    "expand",
    "file_format",
    "is_duckdb",
]


def is_duckdb(url: str | None) -> bool:
    """The `--engine` value names DuckDB, the default (None: not given)."""
    return url is None or url in ("duckdb", "duckdb:")


def connect(url: str | None, *, memory_limit: str | None = None) -> Engine:
    """The engine an `--engine` value names (DuckDB when None)."""
    from journeymap.measure.engines.duckdb import DuckDBEngine
    from journeymap.measure.engines.postgresql import PostgresEngine
    from journeymap.measure.engines.spark import SparkEngine

    if url is None or is_duckdb(url):  # (None first: the type checker narrows on it)
        return DuckDBEngine(memory_limit)
    if url.startswith(("postgresql://", "postgres://", "postgresql:", "postgres:")):
        return PostgresEngine(url)
    if url == "spark" or url.startswith("spark://") or url.startswith("local"):
        return SparkEngine(url)
    raise MeasureError(
        f"--engine {url!r}: expected postgresql://USER@HOST/DB, spark, spark://HOST:PORT "
        "or duckdb (the default)"
    )
