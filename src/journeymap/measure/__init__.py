"""Measured journeys: event logs and survey answers onto the map (`journeymap measure`).

`plan` (what to measure, per map) -> `sql` (the queries, written once, transpiled by sqlglot) ->
`engines` (DuckDB, PostgreSQL, Spark: set up the data, run the queries) -> `metrics`
(metrics.json) ; `run` ties them together, `command` is the CLI. `use` reads metrics.json back
for `lint --metrics` and `render --metrics`. Nothing heavy is imported here.
"""
