"""A map's query as stages, for engines that copy a CTE into every place that names it.

DuckDB and PostgreSQL compute a CTE named more than once a single time; Spark and BigQuery
compute it again at each place that names it. The funnel's step k is named by step
k + 1, by its count and by the medians, so in one query the window over every event would run
hundreds of times. `stages` turns the query into statements: one per CTE named more than once
(`shared`), to be kept as a table (`jm_cte_NAME`), in order, then the final query; each carries,
as its own WITH, the CTEs named only once that it needs. The rows are the query's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from journeymap.measure.sqltext import QUIET

PREFIX = "jm_cte_"


@dataclass(frozen=True)
class Stage:
    table: str | None  # the table to keep the rows in (`jm_cte_NAME`); None: the final query
    select: str


def stages(sql: str, read: str, write: str | None = None, *, pretty: bool = False) -> list[Stage]:
    """The statements of the query (in `read`'s dialect, written in `write`'s, by default the
    same); one, the query, when no CTE is shared."""
    import sqlglot
    from sqlglot import exp

    dialect = write or read
    tree = sqlglot.parse_one(sql, read=read)
    found = tree.args.get("with_")
    if found is None:
        return [Stage(None, tree.sql(dialect=dialect, pretty=pretty, **QUIET))]
    bodies = {cte.alias: cte.this for cte in found.expressions}
    tree.set("with_", None)

    def named(node: exp.Expression) -> list[str]:
        return [
            t.name for t in node.find_all(exp.Table) if not t.args.get("db") and t.name in bodies
        ]

    uses = dict.fromkeys(bodies, 0)
    for node in [*bodies.values(), tree]:
        for name in named(node):
            uses[name] += 1
    shared = [name for name in bodies if uses[name] > 1]

    def to_table(node: Any) -> Any:
        if isinstance(node, exp.Table) and not node.args.get("db") and node.name in shared:
            alias = node.args.get("alias") or exp.TableAlias(this=exp.to_identifier(node.name))
            return exp.Table(this=exp.to_identifier(PREFIX + node.name), alias=alias)
        return node

    def statement(body: Any) -> str:
        inline: set[str] = set()
        todo = [name for name in named(body) if name not in shared]
        while todo:
            name = todo.pop()
            if name not in inline:
                inline.add(name)
                todo += [n for n in named(bodies[name]) if n not in shared]
        out = body.copy().transform(to_table)
        if inline:
            ctes = [
                exp.CTE(this=bodies[n].copy().transform(to_table), alias=exp.to_identifier(n))
                for n in bodies
                if n in inline
            ]
            out.set("with_", exp.With(expressions=ctes))
        return str(out.sql(dialect=dialect, pretty=pretty, **QUIET))

    return [Stage(PREFIX + name, statement(bodies[name])) for name in shared] + [
        Stage(None, statement(tree))
    ]
