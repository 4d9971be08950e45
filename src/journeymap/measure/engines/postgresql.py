"""PostgreSQL (`--engine postgresql://...`): views over two tables, checked in the database."""

from __future__ import annotations

from journeymap.measure.engines.common import (
    ISO_TIME,
    Columns,
    MeasureError,
    Row,
    Source,
    Tick,
    first_line,
    missing_column,
    reject_bad_rows,
    seconds_to_micros,
    staging_select,
)


def _pg_time(column: str, kind: str) -> str:
    if kind in ("smallint", "integer", "bigint", "numeric", "real", "double precision"):
        return seconds_to_micros(f"CAST({column} AS NUMERIC)")
    if kind.startswith("timestamp") or kind == "date":
        return f"CAST(ROUND(EXTRACT(EPOCH FROM {column}) * 1000000) AS BIGINT)"
    text = f"TRIM(CAST({column} AS TEXT))"
    return (
        f"CASE WHEN {text} ~ '^-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?$' "
        f"THEN {seconds_to_micros(f'CAST({text} AS NUMERIC)')} "
        f"ELSE CAST(ROUND(EXTRACT(EPOCH FROM pg_temp.jm_timestamptz({text})) * 1000000) "
        "AS BIGINT) END"
    )


# An ISO time only (`ISO_TIME`: PostgreSQL's own parser also takes `now`, `epoch` and
# `01/02/2026` by the server's DateStyle), its fraction cut to microseconds as DuckDB and Spark
# cut it (PostgreSQL would round it).
def _pg_score(column: str, kind: str) -> str:
    """A score as NUMERIC; NULL for text that is no number (a cast of `four` would stop the
    query with PostgreSQL's words, naming no column), so the check names the column."""
    if kind in ("smallint", "integer", "bigint", "numeric", "real", "double precision"):
        return f"CAST({column} AS NUMERIC)"
    text = f"TRIM(CAST({column} AS TEXT))"
    return f"CASE WHEN {text} ~ '^[-+]?[0-9]+([.][0-9]+)?$' THEN CAST({text} AS NUMERIC) END"


_PG_PARSE = f"""
CREATE OR REPLACE FUNCTION pg_temp.jm_timestamptz(value TEXT) RETURNS TIMESTAMPTZ AS $$
BEGIN
  IF value !~ '^({ISO_TIME})$' THEN
    RETURN NULL;
  END IF;
  RETURN regexp_replace(value, '([.][0-9]{{6}})[0-9]+', '\\1')::timestamptz;
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


def redacted(message: str, url: str) -> str:
    """`message` without the password of `url`: psycopg repeats a URL it cannot parse (a bad
    percent escape, an unclosed `[`) whole, password and all, and a CI job's log is public."""
    import re
    from urllib.parse import unquote

    secrets = re.findall(r"(?:[?&\s]|^)password=([^&#\s]*)", url)
    userinfo = re.match(r"[A-Za-z][A-Za-z0-9+.-]*:/*([^/?#]*)@", url)
    if userinfo and ":" in userinfo.group(1):
        secrets.append(userinfo.group(1).split(":", 1)[1])
    found_all = {s for found in secrets for s in (found, unquote(found)) if s}
    for secret in sorted(found_all, key=len, reverse=True):  # the longest first
        message = message.replace(secret, "***")
    return message


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
            said = redacted(first_line(err), url)
            raise MeasureError(f"cannot connect to PostgreSQL: {said}") from None
        self.con.execute("SET TIME ZONE 'UTC'")
        # The queries write text as 'it''s', with no backslash escapes. A server, database or
        # role that turned standard strings off would read a backslash in a map's event name
        # as an escape: the quoting would break, and the text after it would run as SQL.
        self.con.execute("SET standard_conforming_strings = on")
        self.con.execute(_PG_PARSE)

    def _columns(self, table: str, spec: str) -> dict[str, str]:
        try:
            cur = self.con.execute(f"SELECT * FROM {table} LIMIT 0")
        except self._psycopg.Error as err:
            raise MeasureError(f"table {spec}: {first_line(err)}") from None
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
        missing_column(source, columns, list(types), where)
        time = _pg_time(_pg_ident(columns.time), types[columns.time])
        score = _pg_score(_pg_ident(columns.score), types.get(columns.score, "text"))
        select = staging_select(source, columns, _pg_ident, "TEXT", time, score)
        reject_bad_rows(
            lambda sql: self._query(sql, where),
            source,
            columns,
            table=table,
            where=where,
            time=(time, f"CAST({_pg_ident(columns.time)} AS TEXT)"),
            score=score,
            survey=f"CAST({_pg_ident(columns.survey)} AS TEXT)",
            score_text=f"CAST({_pg_ident(columns.score)} AS TEXT)",
        )
        view = "jm_events" if source.role == "events" else "jm_responses"
        self._query(f"CREATE OR REPLACE TEMP VIEW {view} AS {select} FROM {table}", where)

    def _query(self, sql: str, where: str) -> list[Row]:
        try:
            cur = self.con.execute(sql)
        except self._psycopg.Error as err:
            raise MeasureError(f"{where}: {first_line(err)}") from None
        return [tuple(r) for r in cur.fetchall()] if cur.description else []

    def query(self, sql: str, tick: Tick | None = None) -> list[Row]:
        return self._query(sql, "PostgreSQL")

    def count(self, view: str) -> int:
        return int(self._query(f"SELECT COUNT(*) FROM {view}", "PostgreSQL")[0][0])

    def close(self) -> None:
        self.con.close()
