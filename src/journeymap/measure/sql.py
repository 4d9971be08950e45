"""The queries of `journeymap measure`, written once (DuckDB's dialect), transpiled by sqlglot.

They read two views that each engine sets up over its data (`journeymap.measure.engines`):

- `jm_events(user_id TEXT, event TEXT, t BIGINT, by_value TEXT, <properties>)`, `t` in
  microseconds since 1970 (UTC);
- `jm_responses(user_id TEXT, survey TEXT, score BIGINT, t BIGINT)`.

One query per map returns one long table, every figure an integer, so that every engine gives
the same bytes once Python divides (`journeymap.measure.metrics`):

| part       | a            | b          | n          | x      | y         | z      | w      |
|------------|--------------|------------|------------|--------|-----------|--------|--------|
| reach      | step         |            | users      |        |           |        |        |
| stage      | stage        |            | users      |        |           |        |        |
| funnel     | path position|            | users      |        |           |        |        |
| median     | from position| to position| converters | middle value(s) of the time taken, µs |
| transition | from step    | to step    | users      |        |           |        |        |
| survey     | survey       |            | answers    | sum    | 4-5       | 9-10   | 0-6    |

`segment` is the `--by` value of the user at their first event, `(none)` when empty (NULL
without `--by`; with it, median rows with a NULL
segment are the whole population, and the other parts add up over the segments).
"""

from __future__ import annotations

from dataclasses import dataclass

from journeymap.measure.plan import MapPlan

DIALECTS = ("duckdb", "postgres", "spark", "bigquery", "snowflake", "trino")
RESULT_COLUMNS = ("map", "part", "segment", "a", "b", "n", "x", "y", "z", "w")


@dataclass(frozen=True)
class Period:
    """`since <= t < until`, in microseconds; None is unbounded. `window` in microseconds."""

    since: int | None
    until: int | None
    window: int


def ident(name: str) -> str:
    """A column name from the map or the configuration, quoted for SQL (never spliced raw)."""
    from sqlglot import exp

    return exp.to_identifier(name, quoted=True).sql(dialect="duckdb")


def literal(value: str) -> str:
    from sqlglot import exp

    return exp.Literal.string(value).sql(dialect="duckdb")


def text_forms(value: str | int | float) -> list[str]:
    """How a `where` value may be written in the data: `3` also as `3.0`."""
    if isinstance(value, bool | str):
        return [str(value)]
    if float(value).is_integer():
        return [str(int(value)), f"{int(value)}.0"]
    return [repr(float(value))]


def _period(column: str, period: Period) -> list[str]:
    out = []
    if period.since is not None:
        out.append(f"{column} >= {period.since}")
    if period.until is not None:
        out.append(f"{column} < {period.until}")
    return out


def _n(value: str) -> str:
    return f"CAST({value} AS BIGINT)"


def _row(
    part: str,
    a: str,
    b: str,
    n: str,
    x: str = "NULL",
    y: str = "NULL",
    z: str = "NULL",
    w: str = "NULL",
    segment: str = "segment",
) -> str:
    cols = [a, b, n, x, y, z, w]
    return f"SELECT '{part}' AS part, {segment} AS segment, " + ", ".join(
        f"{_n(c)} AS {name}" for c, name in zip(cols, "abnxyzw", strict=True)
    )


def map_query(plan: MapPlan, period: Period, *, by: bool, responses: bool) -> str:
    """The one query of a map, in DuckDB's dialect."""
    entries = plan.entries
    ctes: list[str] = []
    parts: list[str] = []
    if entries:
        values = ", ".join(
            f"({literal(entry.name)}, {step}, {plan.stage_of[step]}, {k})"
            for k, (step, entry) in enumerate(entries)
        )
        plain = [str(k) for k, (_, entry) in enumerate(entries) if not entry.where]
        tests = [f"v.entry IN ({', '.join(plain)})"] if plain else []
        for k, (_, entry) in enumerate(entries):
            if entry.where:
                conditions = " AND ".join(
                    f"CAST(e.{ident(name)} AS VARCHAR) IN "
                    f"({', '.join(literal(form) for form in text_forms(value))})"
                    for name, value in sorted(entry.where.items())
                )
                tests.append(f"(v.entry = {k} AND {conditions})")
        where = ["e.user_id IS NOT NULL", *_period("e.t", period), "(" + " OR ".join(tests) + ")"]
        ctes.append(
            "matched AS (SELECT e.user_id AS user_id, e.t AS t, v.step AS step, "
            "v.stage AS stage FROM jm_events AS e "
            f"JOIN (VALUES {values}) AS v(event, step, stage, entry) ON e.event = v.event "
            f"WHERE {' AND '.join(where)})"
        )
    if by:
        user_where = " AND ".join(["user_id IS NOT NULL", *_period("t", period)])
        ctes.append(
            "users AS (SELECT user_id, segment FROM (SELECT user_id, "
            "COALESCE(CAST(by_value AS VARCHAR), '(none)') AS segment, ROW_NUMBER() OVER "
            "(PARTITION BY user_id ORDER BY t, COALESCE(CAST(by_value AS VARCHAR), '(none)')) "
            "AS rn "
            f"FROM jm_events WHERE {user_where}) AS first_event WHERE rn = 1)"
        )
    if entries:
        if by:
            ctes.append(
                "seg AS (SELECT m.user_id, m.t, m.step, m.stage, u.segment FROM matched AS m "
                "JOIN users AS u ON u.user_id = m.user_id)"
            )
        else:
            ctes.append(
                "seg AS (SELECT user_id, t, step, stage, CAST(NULL AS VARCHAR) AS segment "
                "FROM matched)"
            )
        # Each user's first event per step: reach counts its rows, the funnel starts from it.
        ctes.append(
            "firsts AS (SELECT user_id, segment, step, stage, MIN(t) AS t FROM seg "
            "GROUP BY user_id, segment, step, stage)"
        )
        parts.append(
            _row("reach", "step", "NULL", "COUNT(*)") + " FROM firsts GROUP BY segment, step"
        )
        # COUNT(DISTINCT ...) per group as two plain aggregations: several times faster.
        parts.append(
            _row("stage", "stage", "NULL", "COUNT(*)")
            + " FROM (SELECT segment, stage, user_id FROM firsts GROUP BY segment, stage, "
            "user_id) AS stage_users GROUP BY segment, stage"
        )
        parts.append(
            _row("transition", "prev", "step", "COUNT(*)")
            + " FROM (SELECT segment, prev, step, user_id FROM (SELECT user_id, segment, step, "
            "LAG(step) OVER (PARTITION BY user_id ORDER BY t, step) AS prev FROM seg) AS ordered "
            "WHERE prev IS NOT NULL AND prev <> step GROUP BY segment, prev, step, user_id) "
            "AS moves GROUP BY segment, prev, step"
        )
    for k, step in enumerate(plan.path):
        if k == 0:
            ctes.append(
                f"f0 AS (SELECT user_id, segment, t AS t0, t FROM firsts WHERE step = {step})"
            )
        else:
            ctes.append(
                f"f{k} AS (SELECT f.user_id, f.segment, f.t0, MIN(m.t) AS t FROM f{k - 1} AS f "
                f"JOIN seg AS m ON m.user_id = f.user_id AND m.step = {step} AND m.t >= f.t "
                f"AND m.t <= f.t0 + {period.window} GROUP BY f.user_id, f.segment, f.t0)"
            )
        parts.append(_row("funnel", str(k), "NULL", "COUNT(*)") + f" FROM f{k} GROUP BY segment")
    if plan.median_pairs and plan.path:
        taken = " UNION ALL ".join(
            f"SELECT {a} AS a, {b} AS b, f{b}.segment AS segment, f{b}.t - f{a}.t AS d "
            f"FROM f{b} JOIN f{a} ON f{a}.user_id = f{b}.user_id"
            for a, b in plan.median_pairs
        )
        ctes.append(f"taken AS ({taken})")
        source = "taken"
        if by:
            ctes.append(
                "taken_all AS (SELECT a, b, segment, d FROM taken UNION ALL "
                "SELECT a, b, CAST(NULL AS VARCHAR) AS segment, d FROM taken)"
            )
            source = "taken_all"
        ctes.append(
            "ranked AS (SELECT a, b, segment, d, ROW_NUMBER() OVER (PARTITION BY a, b, segment "
            "ORDER BY d) AS rn, COUNT(*) OVER (PARTITION BY a, b, segment) AS c "
            f"FROM {source})"
        )
        parts.append(
            _row("median", "a", "b", "c", "d")
            + " FROM ranked WHERE 2 * rn >= c AND 2 * rn <= c + 2"
        )
    if responses and plan.surveys:
        values = ", ".join(f"({literal(s.id)}, {s.index})" for s in plan.surveys)
        segment = "u.segment" if by else "CAST(NULL AS VARCHAR)"
        join = " LEFT JOIN users AS u ON u.user_id = r.user_id" if by else ""
        answered = " AND ".join(["r.score IS NOT NULL", *_period("r.t", period)])
        parts.append(
            _row(
                "survey",
                "v.idx",
                "NULL",
                "COUNT(*)",
                "SUM(r.score)",
                "SUM(CASE WHEN r.score >= 4 AND r.score <= 5 THEN 1 ELSE 0 END)",
                "SUM(CASE WHEN r.score >= 9 THEN 1 ELSE 0 END)",
                "SUM(CASE WHEN r.score <= 6 THEN 1 ELSE 0 END)",
                segment=segment,
            )
            + f" FROM jm_responses AS r JOIN (VALUES {values}) AS v(survey, idx) "
            f"ON r.survey = v.survey{join} WHERE {answered} GROUP BY {segment}, v.idx"
        )
    if not parts:
        parts.append(
            _row("reach", "NULL", "NULL", "NULL", segment="CAST(NULL AS VARCHAR)") + " WHERE 1 = 0"
        )
    body = " UNION ALL ".join(f"({part})" for part in parts)
    head = f"WITH {', '.join(ctes)} " if ctes else ""
    return (
        f"{head}SELECT {literal(plan.id)} AS map, result.* FROM ({body}) AS result "
        "ORDER BY part, segment, a, b, x"
    )


def transpile(sql: str, dialect: str, *, pretty: bool = False) -> str:
    """The query in another engine's dialect."""
    import sqlglot

    if dialect == "duckdb" and not pretty:
        return sql
    return sqlglot.transpile(sql, read="duckdb", write=dialect, pretty=pretty)[0]
