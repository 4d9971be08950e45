"""The queries of `journeymap measure`, written once (DuckDB's dialect), transpiled by sqlglot.

They read two views that each engine sets up over its data (`journeymap.measure.engines`):

- `jm_events(user_id TEXT, event TEXT, t BIGINT, by_value TEXT, p0, p1, ...)`, `t` in
  microseconds since 1970 (UTC), `p0`... the properties that `where` compares, in sorted order
  (generated names, so that no property name can clash with the view's own columns);
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
| left       | step         |            | users who left it for another step |  |  |  |  |
| survey     | survey       |            | answers    | sum    | 4-5       | 9-10   | 0-6    |
| off-scale  | survey       |            | answers off the scale (no row when none) |  |  |  |  |
| plan       |              |            |            |        |           |        |        |

The `plan` row is only in the queries printed for a warehouse (`--sql`): its `segment` is the
fingerprint of the query that `--results` checks (`journeymap.measure.results`).

`segment` is the `--by` value of the user at their first event, `(none)` when empty (NULL
without `--by`; with it, median rows with a NULL
segment are the whole population, and the other parts add up over the segments).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from journeymap.measure import sqlforward
from journeymap.measure.plan import MapPlan
from journeymap.measure.sqlsteps import (
    collapse,
    reach_by_firsts,
    reach_by_masks,
    transitions_counted,
    transitions_grouped,
)
from journeymap.measure.sqltext import (
    QUIET,
    SCORE_RANGES,
    literal,
    prop,
    property_names,
    row,
    segment_of,
    text_forms,
)

DIALECTS = ("duckdb", "postgres", "spark", "bigquery", "snowflake", "trino")
RESULT_COLUMNS = ("map", "part", "segment", "a", "b", "n", "x", "y", "z", "w")


@dataclass(frozen=True)
class Period:
    """`since <= t < until`, in microseconds; None is unbounded. `window` in microseconds."""

    since: int | None
    until: int | None
    window: int


def _period(column: str, period: Period) -> list[str]:
    out = []
    if period.since is not None:
        out.append(f"{column} >= {period.since}")
    if period.until is not None:
        out.append(f"{column} < {period.until}")
    return out


# Up to this many steps with events, reach is counted from one bit mask per user.
MASKED_MAX = 62


def _funnel(
    plan: MapPlan, period: Period, by: bool, forward: bool, ctes: list[str], parts: list[str]
) -> None:
    """`f0`, `f1`, ...: per user, the time used for each path step (and the one before it);
    with `forward`, only for the users who did not move forward (`sqlforward`)."""
    seg = "f.segment, " if by else ""
    for k, step in enumerate(plan.path):
        if k == 0:
            ctes.append(
                f"f0 AS (SELECT user_id, {'segment, ' if by else ''}t AS t0, t AS tp, t "
                "FROM firsts0)"
            )
        else:
            # The earliest event of the step at or after the previous step's time, within the
            # window. The join reads only that step's rows of `matched`, of the users still in.
            ctes.append(
                f"f{k} AS (SELECT f.user_id, {seg}f.t0, f.t AS tp, MIN(m.t) AS t "
                f"FROM f{k - 1} AS f JOIN matched AS m ON m.user_id = f.user_id "
                f"AND m.step = {step} AND m.t >= f.t AND m.t <= f.t0 + {period.window} "
                f"GROUP BY f.user_id, {seg}f.t0, f.t)"
            )
    # The funnel's first step (every user with a `t0`, forward or not); the others are
    # counted with the times taken (`_medians`).
    parts.append(
        row("funnel", "0", "NULL", "COUNT(*)", segment=segment_of(by))
        + (" FROM per_user WHERE t0 IS NOT NULL" if forward else " FROM f0")
        + (" GROUP BY segment" if by else "")
    )


def _medians(
    plan: MapPlan, period: Period, by: bool, forward: bool, ctes: list[str], parts: list[str]
) -> None:
    """The middle value(s) of the time taken between the path positions of `median_pairs`;
    with `forward`, the forward users' times come from their own rows (`forward_rows`)."""
    segment = segment_of(by)
    taken = []
    if forward:
        sqlforward.forward_rows(plan, period.window, by, ctes)
        taken = sqlforward.taken(plan.median_pairs, by, segment)
    for a, b in plan.median_pairs:
        if a == b - 1:  # consecutive steps: f{b} carries the previous step's time
            taken.append(f"SELECT {a} AS a, {b} AS b, {segment} AS segment, t - tp AS d FROM f{b}")
        else:
            taken.append(
                f"SELECT {a} AS a, {b} AS b, {'f' + str(b) + '.segment' if by else segment} "
                f"AS segment, f{b}.t - f{a}.t AS d FROM f{b} JOIN f{a} ON f{a}.user_id = "
                f"f{b}.user_id"
            )
    ctes.append(f"taken AS ({' UNION ALL '.join(taken)})")
    source = "taken"
    if by:
        ctes.append(
            "taken_all AS (SELECT a, b, segment, d FROM taken UNION ALL "
            "SELECT a, b, CAST(NULL AS VARCHAR) AS segment, d FROM taken)"
        )
        source = "taken_all"
    # Exact middle values without ranking every time taken: count the times per second
    # (`bucket`), find the one or two seconds that hold the middle positions, ceil(c/2) and
    # c/2 + 1, and rank only the times in those, from the position before each second.
    bucket = "d // 1000000"  # any ordered bucketing is exact; seconds keep few rows to rank
    ctes.append(
        "cum AS (SELECT a, b, segment, bucket, n, SUM(n) OVER (PARTITION BY a, b, segment "
        "ORDER BY bucket ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) - n AS before, "
        f"SUM(n) OVER (PARTITION BY a, b, segment) AS c FROM (SELECT a, b, segment, {bucket} "
        f"AS bucket, COUNT(*) AS n FROM {source} GROUP BY a, b, segment, {bucket}) AS counted)"
    )
    ctes.append(
        "ranked AS (SELECT s.a, s.b, s.segment, s.d, m.c, m.before + ROW_NUMBER() OVER "
        "(PARTITION BY s.a, s.b, s.segment, m.bucket ORDER BY s.d) AS rn "
        f"FROM {source} AS s JOIN cum AS m ON m.a = s.a AND m.b = s.b AND m.segment IS NOT "
        f"DISTINCT FROM s.segment AND m.bucket = s.{bucket} "
        "WHERE 2 * m.before <= m.c AND 2 * (m.before + m.n) >= m.c)"
    )
    parts.append(
        row("median", "a", "b", "c", "d") + " FROM ranked WHERE 2 * rn >= c AND 2 * rn <= c + 2"
    )
    # The funnel past its first step: a user counted at position b took one time from b - 1
    # (a row of f{b}), so that pair's count `c` is the funnel at b, per segment (with --by,
    # the rows of the whole population, segment NULL, are left out: they are no segment).
    parts.append(
        row("funnel", "b", "NULL", "MAX(c)")
        + " FROM cum WHERE b = a + 1"
        + (" AND segment IS NOT NULL" if by else "")
        + " GROUP BY b, segment"
    )


def map_query(
    plan: MapPlan,
    period: Period,
    *,
    by: bool,
    responses: bool,
    properties: Sequence[str] | None = None,
    dialect: str = "duckdb",
    stamp: str | None = None,
) -> str:
    """The one query of a map, in DuckDB's dialect (to be transpiled to `dialect`).

    One pass tags each event with its step (a join to the small table of the map's event names;
    `where` conditions only on the rows of their entry) and, on `NUMBERING_DIALECTS`, its user's
    number (`ids`); one window orders each user's events (`journeymap.measure.sqlsteps`). The
    result, `matched`, is the only large table: reach is a grouping by user (bit masks of the
    steps and stages reached), the transitions a count, the funnel one join per step on that
    step's rows, for the users who moved forward along the default path their own rows
    (`journeymap.measure.sqlforward`). Without `--by` no segment is carried.
    """
    names = list(properties) if properties is not None else property_names([plan])
    ctes: list[str] = []
    parts: list[str] = []
    if by:
        _users(period, ctes)
    if plan.entries:
        _tagged(plan, period, names, by, ctes, dialect in NUMBERING_DIALECTS)
        collapse(plan, by, ctes)
        steps = sorted({step for step, _ in plan.entries})
        forward = False
        if len(steps) <= MASKED_MAX:
            forward = sqlforward.applies(plan, steps)
            reach_by_masks(plan, steps, by, ctes, parts, forward)
            transitions_counted(by, ctes, parts)
        else:
            reach_by_firsts(plan, by, ctes, parts)
            transitions_grouped(by, ctes, parts)
        if plan.path:
            _funnel(plan, period, by, forward, ctes, parts)
            if plan.median_pairs:
                _medians(plan, period, by, forward, ctes, parts)
    if responses and plan.surveys:
        _surveys(plan, period, by, parts)
    if not parts:
        parts.append(
            row("reach", "NULL", "NULL", "NULL", segment="CAST(NULL AS VARCHAR)") + " WHERE 1 = 0"
        )
    body = " UNION ALL ".join(f"({part})" for part in parts)
    if stamp is not None:
        # What the rows were computed for (`journeymap.measure.results`), and how many they
        # are, so that an export cut short is refused.
        ctes.append(f"figures AS ({body})")
        count = "(SELECT COUNT(*) FROM figures)"
        plan_row = row("plan", "NULL", "NULL", count, segment=literal(stamp))
        body = f"(SELECT * FROM figures) UNION ALL ({plan_row})"
    head = f"WITH {', '.join(ctes)} " if ctes else ""
    return (
        f"{head}SELECT {literal(plan.id)} AS map, result.* FROM ({body}) AS result "
        "ORDER BY part, segment, a, b, x"
    )


def _users(period: Period, ctes: list[str]) -> None:
    """`users`: each user's segment, the `--by` value at their first event in the period."""
    user_where = " AND ".join(["user_id IS NOT NULL", *_period("t", period)])
    ctes.append(
        "users AS (SELECT user_id, segment FROM (SELECT user_id, "
        "COALESCE(CAST(by_value AS VARCHAR), '(none)') AS segment, ROW_NUMBER() OVER "
        "(PARTITION BY user_id ORDER BY t, COALESCE(CAST(by_value AS VARCHAR), '(none)')) "
        "AS rn "
        f"FROM jm_events WHERE {user_where}) AS first_event WHERE rn = 1)"
    )


# Engines on one machine, where numbering the users pays: on DuckDB, grouping, sorting and
# joining numbers instead of text takes a fifth less CPU and a third less memory at 10M events.
# The ranking is one window over every user, which Spark, BigQuery, Snowflake and Trino would
# run on a single worker (Spark: "No Partition Defined for Window operation"): there, the
# queries keep the user's text. The figures are the same either way.
NUMBERING_DIALECTS = ("duckdb", "postgres")


def _tagged(
    plan: MapPlan, period: Period, names: list[str], by: bool, ctes: list[str], number: bool
) -> None:
    """`tagged`: the events in the period with their step and their user, as a number with
    `number` (`ids`: the users of those events, ranked), and with `--by` the user's segment."""
    entries = plan.entries
    values = ", ".join(
        f"({literal(entry.name)}, {step}, {k})" for k, (step, entry) in enumerate(entries)
    )
    tests = _entry_tests(plan, names)
    where = ["e.user_id IS NOT NULL", *_period("e.t", period)]
    if tests:
        where.append("(" + " OR ".join(tests) + ")")
    tagged = (
        f"FROM jm_events AS e JOIN (VALUES {values}) AS v(event, step, entry) ON e.event = v.event"
    )
    condition = " AND ".join(where)
    if number:
        ctes.append(_ids(tagged, condition, by))
        user, join, alias = "i.uid", " JOIN ids AS i ON i.user_id = e.user_id", "i"
    else:
        user, alias = "e.user_id", "u"
        join = " JOIN users AS u ON u.user_id = e.user_id" if by else ""
    segment = f", {alias}.segment AS segment" if by else ""
    # An event matching several entries needs no DISTINCT: figures take minima or count users.
    ctes.append(
        f"tagged AS (SELECT {user} AS user_id, e.t AS t, v.step AS step{segment} "
        f"{tagged}{join} WHERE {condition})"
    )


def _ids(tagged: str, condition: str, by: bool) -> str:
    """`ids`: the users of the tagged events, ranked (and with `--by` their segment)."""
    segment = ", u.segment AS segment" if by else ""
    join = " JOIN users AS u ON u.user_id = d.user_id" if by else ""
    rank = "CAST(ROW_NUMBER() OVER (ORDER BY d.user_id) AS INTEGER)"  # < 2**31 users; 4 bytes
    return (
        f"ids AS (SELECT d.user_id AS user_id, {rank} AS uid{segment} FROM (SELECT DISTINCT "
        f"e.user_id AS user_id {tagged} WHERE {condition}) AS d{join})"
    )


def _entry_tests(plan: MapPlan, names: list[str]) -> list[str]:
    """When some entries have a `where`: the conditions an event must meet for its entry
    (none for the entries without one); no conditions at all when no entry has one."""
    entries = plan.entries
    if not any(entry.where for _, entry in entries):
        return []
    plain = [str(k) for k, (_, entry) in enumerate(entries) if not entry.where]
    tests = [f"v.entry IN ({', '.join(plain)})"] if plain else []
    for k, (_, entry) in enumerate(entries):
        if entry.where:
            conditions = " AND ".join(
                f"CAST(e.{prop(names.index(name))} AS VARCHAR) IN "
                f"({', '.join(literal(form) for form in text_forms(value))})"
                for name, value in sorted(entry.where.items())
            )
            tests.append(f"(v.entry = {k} AND {conditions})")
    return tests


def _surveys(plan: MapPlan, period: Period, by: bool, parts: list[str]) -> None:
    """Per survey: the answers in the period, their score total and the counts of 4-5, 9-10
    and 0-6 scores (CSAT share, NPS), by the answering user's segment with `--by`."""
    values = ", ".join(f"({literal(s.id)}, {s.index})" for s in plan.surveys)
    # With --by, an answer of a user with no event in the period (or of no user: anonymous)
    # is in the segment `(none)`, so that the segments add up to the whole.
    segment = "COALESCE(u.segment, '(none)')" if by else "CAST(NULL AS VARCHAR)"
    join = " LEFT JOIN users AS u ON u.user_id = r.user_id" if by else ""
    answered = " AND ".join(["r.score IS NOT NULL", *_period("r.t", period)])
    parts.append(
        row(
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
    # Answers off their method's scale: a run refuses them before it starts; exported results
    # (--sql, then --results) carry their count, and are refused too. No row when none.
    scales = ", ".join(
        f"({literal(s.id)}, {s.index}, {low}, {high})"
        for s in plan.surveys
        for low, high in [SCORE_RANGES[s.method]]
    )
    parts.append(
        row("off-scale", "v.idx", "NULL", "COUNT(*)", segment="CAST(NULL AS VARCHAR)")
        + f" FROM jm_responses AS r JOIN (VALUES {scales}) AS v(survey, idx, low, high) "
        f"ON r.survey = v.survey WHERE {answered} AND (r.score < v.low OR r.score > v.high) "
        "GROUP BY v.idx"
    )


def transpile(sql: str, dialect: str, *, pretty: bool = False) -> str:
    """The query in another engine's dialect (DuckDB's own needs no sqlglot: 0.3 s less)."""
    if dialect == "duckdb" and not pretty:
        return sql
    import sqlglot

    return sqlglot.transpile(sql, read="duckdb", write=dialect, pretty=pretty, **QUIET)[0]
