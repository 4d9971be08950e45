"""`journeymap measure --results FILE`: metrics.json from the rows a warehouse computed with the
queries of `--sql`, checked against the maps and options of this run.

Each printed query returns, besides its figures, one `plan` row whose `segment` is a
fingerprint (`stamp`) of what the figures mean: the map's query in DuckDB's dialect (its steps,
events, path, period, window, surveys) and the `--by` column. Rows are only trusted for the map
and options that give the same fingerprint; rows of an older map, other options, a file
exported twice or a step index the map does not have stop the run with exit 2, instead of
figures labelled with the wrong steps.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journeymap.measure.engines import MeasureError
from journeymap.measure.sql import RESULT_COLUMNS, Period, map_query
from journeymap.measure.sqltext import SCORE_RANGES
from journeymap.measure.use import MetricsError, no_constant, read_text
from journeymap.words import noun, plural

if TYPE_CHECKING:
    from journeymap.measure.metrics import Row
    from journeymap.measure.plan import MapPlan

STAMP_PART = "plan"
_WHOLE = re.compile(r"-?\d{1,18}(\.0+)?")  # a whole number within 64 bits (figures are)


@dataclass(frozen=True)
class Basis:
    """What a run's queries are made for, besides each map: the period and window, the options
    as given (`--since`, `--until`, `--window`, `--by`), and what the maps measured together
    share (the `where` property columns, whether answers are read)."""

    period: Period
    options: dict[str, str | None]
    properties: list[str]
    surveys: bool

    def described(self, plan: MapPlan) -> dict[str, Any]:
        """The options a reader can compare, for the `plan` row and the error that explains a
        mismatch."""
        return {
            "--path": ",".join(plan.steps[i].id for i in plan.path),
            **self.options,
            "where columns": self.properties,
            "surveys": self.surveys,
        }


def stamp(plan: MapPlan, basis: Basis) -> str:
    """The `plan` row's `segment`: a fingerprint of the map's query and `--by`, then (after a
    space) the options it was made for, as JSON."""
    by = basis.options.get("--by")
    canonical = map_query(
        plan,
        basis.period,
        by=by is not None,
        responses=basis.surveys,
        properties=basis.properties,
    )
    digest = hashlib.sha256(f"{canonical}\n--by {by}".encode()).hexdigest()
    described = json.dumps(basis.described(plan), sort_keys=True, separators=(",", ":"))
    return f"jm1-{digest[:20]} {described}"


def _differences(plan: MapPlan, basis: Basis, segment: Any) -> str:
    """What differs between the options a `plan` row names and this run's, in words."""
    try:
        then = json.loads(str(segment).split(" ", 1)[1])
    except (IndexError, ValueError, RecursionError):
        then = None
    if not isinstance(then, dict):
        return "another version of journeymap, the map or the options"
    now = basis.described(plan)
    said = [
        f"{key} {_said(then.get(key))} then, {_said(now[key])} now"
        for key in now
        if then.get(key) != now[key]
    ]
    if not said:
        return "another version of the map (its steps, events or surveys) or of journeymap"
    if any(key in ("where columns", "surveys") for key in now if then.get(key) != now[key]):
        said.append("measure the same maps together as when the SQL was printed")
    return "; ".join(said)


def _said(value: Any) -> str:
    if value is None:
        return "(none)"
    return json.dumps(value) if not isinstance(value, str) else repr(value)


def _cell(value: str) -> Any:
    return None if value == "" else value


def _jsonl_rows(path: Path, text: str) -> list[Row]:
    rows: list[Row] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line, parse_constant=no_constant)
        except (ValueError, RecursionError) as err:
            reason = err.msg if isinstance(err, json.JSONDecodeError) else str(err)[:80]
            raise MeasureError(f"{path}:{number}: not JSON: {reason or 'too deep'}") from None
        if not isinstance(item, dict):
            raise MeasureError(f"{path}:{number}: expected an object per line")
        keys = {str(k).lower(): v for k, v in item.items()}
        missing = [c for c in RESULT_COLUMNS if c not in keys]
        if missing:
            raise MeasureError(f"{path}:{number}: no column '{missing[0]}'")
        rows.append(_checked(path, number, tuple(keys[c] for c in RESULT_COLUMNS)))
    return rows


def _csv_rows(path: Path, text: str) -> list[Row]:
    rows: list[Row] = []
    reader = csv.reader(text.splitlines())
    header = [h.strip().lower() for h in next(reader, [])]
    missing = [c for c in RESULT_COLUMNS if c not in header]
    if missing:
        raise MeasureError(
            f"{path}:1: no column '{missing[0]}' in the header; expected "
            f"{','.join(RESULT_COLUMNS)} (the columns of the queries from --sql)"
        )
    index = [header.index(c) for c in RESULT_COLUMNS]
    for number, record in enumerate(reader, 2):
        if not record:
            continue
        if len(record) != len(header):
            raise MeasureError(
                f"{path}:{number}: {plural(len(record), 'field')}, expected {len(header)}"
            )
        if [field.strip().lower() for field in record] == header:
            raise MeasureError(
                f"{path}:{number}: the header line again: two exports joined into one file? "
                "Give each file as it was exported (--results A.csv --results B.csv)"
            )
        rows.append(_checked(path, number, tuple(_cell(record[i]) for i in index)))
    return rows


# How warehouses write a NULL in a CSV export when not told to leave the field empty
# (Snowflake's default is \N; others write NULL): in a figure's column it can mean nothing else.
_NULLS = {"null", "\\n"}


def _checked(path: Path, number: int, row: tuple[Any, ...]) -> Row:
    """The row with its figures as integers; a figure that is not a whole number stops."""
    row = row[:3] + tuple(
        None if isinstance(v, str) and v.strip().lower() in _NULLS else v for v in row[3:]
    )
    for column, value in zip(RESULT_COLUMNS[3:], row[3:], strict=True):
        if isinstance(value, bool | dict | list) or (
            value is not None and not _WHOLE.fullmatch(str(value))
        ):
            raise MeasureError(
                f"{path}:{number}: column '{column}': {str(value)[:40]!r} is not a whole number"
            )
    return tuple(row[:3]) + tuple(None if v is None else int(float(v)) for v in row[3:])


def read_results(paths: list[Path]) -> list[tuple[Path, int, Row]]:
    """Rows exported from the warehouse (CSV with a header, or JSON Lines), with where each
    came from."""
    out: list[tuple[Path, int, Row]] = []
    for path in paths:
        if path.suffix.lower() in (".parquet", ".pq", ".xlsx", ".gz", ".zip"):
            raise MeasureError(
                f"{path}: --results reads CSV (with a header line) or JSON Lines; export the "
                "rows as one of those"
            )
        try:
            text = read_text(path)
        except MetricsError as err:
            raise MeasureError(str(err)) from None
        jsonl = path.suffix.lower() in (".jsonl", ".ndjson", ".json")
        if jsonl and text.lstrip().startswith("["):
            raise MeasureError(
                f"{path}: a JSON array; --results reads JSON Lines, one object per line"
            )
        rows = _jsonl_rows(path, text) if jsonl else _csv_rows(path, text)
        out += [(path, k, row) for k, row in enumerate(rows, 1)]
    return out


def _limits(plan: MapPlan) -> dict[str, tuple[int, int]]:
    """Per part: how many values `a` and `b` can take (0: must be empty)."""
    steps, path = len(plan.steps), len(plan.path)
    return {
        "reach": (steps, 0),
        "stage": (len(plan.stage_ids), 0),
        "funnel": (path, 0),
        "median": (path, path),
        "transition": (steps, steps),
        "left": (steps, 0),
        "off-scale": (len(plan.surveys), 0),
        "survey": (len(plan.surveys), 0),
    }


def _rows_of(plan: MapPlan, basis: Basis, rows: list[tuple[Path, int, Row]]) -> list[Row]:
    """The map's figure rows, once its one `plan` row says they were computed for this map and
    these options; otherwise a MeasureError that says what to run again."""
    again = (
        "run the queries that `journeymap measure MAPS --sql` prints now (with the same "
        "--path, --since, --until, --window and --by as this command) and export their rows "
        "again"
    )
    stamps = [(path, k, row) for path, k, row in rows if row[1] == STAMP_PART]
    if not stamps:
        raise MeasureError(
            f"results: no '{STAMP_PART}' row for map '{plan.id}': they come from another "
            f"version of journeymap or were cut; {again}"
        )
    if len(stamps) > 1:
        (p1, k1, _), (p2, k2, _) = stamps[:2]
        raise MeasureError(
            f"results: map '{plan.id}' has {len(stamps)} '{STAMP_PART}' rows (row {k1} of {p1}, "
            f"row {k2} of {p2}): the same rows were exported twice"
        )
    found = str(stamps[0][2][2])
    if found.split(" ", 1)[0] != stamp(plan, basis).split(" ", 1)[0]:
        raise MeasureError(
            f"results: the rows of map '{plan.id}' were computed for something else than this "
            f"command: {_differences(plan, basis, found)}; {again}"
        )
    counted, have = stamps[0][2][5], len(rows) - 1
    if counted is not None and counted != have:
        raise MeasureError(
            f"results: map '{plan.id}': {plural(have, 'row')} where its query returned "
            f"{counted} (its plan row says): the export was cut or added to; export every row; "
            f"{again}"
        )
    limits = _limits(plan)
    figures: list[Row] = []
    for path, k, row in rows:
        part = row[1]
        if part == STAMP_PART:
            continue
        if part not in limits:
            raise MeasureError(f"{path}: row {k}: unknown part {str(part)[:40]!r}")
        for value, limit in zip(row[3:5], limits[part], strict=True):
            fits = value is None if limit == 0 else value is None or 0 <= value < limit
            if not fits:
                raise MeasureError(
                    f"{path}: row {k}: {part} {value} is not an index of map '{plan.id}'"
                )
        if any(value is not None and value < 0 for value in row[5:]):
            raise MeasureError(f"{path}: row {k}: a negative figure, which no query returns")
        figures.append(row)
    _funnel_narrows(plan, figures)
    _on_scale(plan, figures)
    return figures


def _on_scale(plan: MapPlan, rows: list[Row]) -> None:
    """MeasureError for answers off their method's scale (the queries count them)."""
    for row in rows:
        if row[1] == "off-scale" and row[3] is not None and (row[5] or 0) > 0:
            survey = plan.surveys[int(row[3])]
            low, high = SCORE_RANGES[survey.method]
            raise MeasureError(
                f"results: map '{plan.id}': {plural(row[5], 'answer')} of survey '{survey.id}' "
                f"{noun(row[5], 'is', 'are')} "
                f"outside {survey.method}'s range {low}-{high} in the warehouse's jm_responses; "
                "a direct run refuses such a file with its line: correct or leave them out "
                "there, then run the queries again"
            )


def _funnel_narrows(plan: MapPlan, rows: list[Row]) -> None:
    """MeasureError when a step of the funnel has more users than the step before it."""
    counts: dict[tuple[Any, int], int] = {}
    for row in rows:
        if row[1] == "funnel" and row[3] is not None:
            counts[row[2], row[3]] = counts.get((row[2], row[3]), 0) + (row[5] or 0)
    for (segment, k), users in counts.items():
        before = counts.get((segment, k - 1), 0) if k else users
        if users > before:
            raise MeasureError(
                f"results: map '{plan.id}': {plural(users, 'user')} at funnel step {k + 1}, "
                f"more than the {before} at the step before it: these rows did not come from one "
                "run of the queries"
            )


def from_results(found: list[MapPlan], basis: Basis, paths: list[Path]) -> dict[str, Any]:
    """The `maps` of metrics.json from the exported results of the --sql queries."""
    from journeymap.measure.metrics import map_metrics

    rows = read_results(paths)
    known = {plan.id for plan in found}
    unknown = sorted({str(row[0]) for _, _, row in rows} - known)
    if unknown:
        raise MeasureError(
            f"results: rows for map '{unknown[0]}', which is not among the maps given"
        )
    maps: dict[str, Any] = {}
    for plan in found:
        mine = _rows_of(plan, basis, [r for r in rows if r[2][0] == plan.id])
        maps[plan.id] = map_metrics(plan, mine, basis.options.get("--by"), basis.surveys)
    return maps
