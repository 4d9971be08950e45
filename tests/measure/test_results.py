"""`journeymap measure --results`: rows exported from a warehouse are only read for the maps and
options their queries were printed for."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from helpers import run

from .reference import MAP, random_log
from .test_measure import _warehouse, measure


def _measured(tmp_path: Path, seed: int, users: int) -> None:
    """A random log and its answers in tmp_path, measured once (the map written)."""
    events, answers = random_log(seed, users=users)
    measure(tmp_path, events, answers=answers)


def _export(tmp_path: Path, *sql_args: str) -> Path:
    """The rows of the map's query, as `--sql SQL_ARGS` printed it, in results.csv."""
    con, query = _warehouse(tmp_path, *sql_args)
    out = tmp_path / "results.csv"
    con.execute(f"COPY ({query}) TO '{out}' (HEADER)")
    return out


def _results(tmp_path: Path, *args: object) -> tuple[int, str, Path]:
    target = tmp_path / "metrics.json"
    result = run("measure", tmp_path / "ref.journey.yaml", "--results", *args, "-o", target)
    return result.code, result.err, target


def test_rows_for_other_options_stop_the_run(tmp_path: Path) -> None:
    _measured(tmp_path, 3, 40)
    exported = _export(tmp_path, "--window", "3d")
    code, err, target = _results(tmp_path, exported)  # read with the default window, 14d
    assert code == 2 and not target.exists()
    assert "the rows of map 'ref' were computed for something else than this command: " in err
    assert "--window '3d' then, '14d' now; run the queries" in err
    code, err, _ = _results(tmp_path, exported, "--window", "3d")
    assert code == 0, err


def test_rows_of_an_older_map_stop_the_run(tmp_path: Path) -> None:
    _measured(tmp_path, 4, 40)
    exported = _export(tmp_path)
    # The map gains a step at the start: every step index of the rows would shift by one.
    (tmp_path / "ref.journey.yaml").write_text(
        MAP.replace("    steps:\n", "    steps:\n      - {id: new, name: New, events: [new]}\n", 1)
    )
    code, err, target = _results(tmp_path, exported)
    assert code == 2 and not target.exists()
    assert "--path 'a,b,c,d' then, 'new,a,b,c,d' now" in err
    # Another event for a step: the same options, another map.
    (tmp_path / "ref.journey.yaml").write_text(MAP.replace("events: [pay]", "events: [paid]"))
    code, err, _ = _results(tmp_path, exported)
    assert code == 2
    assert "another version of the map (its steps, events or surveys) or of journeymap" in err


def test_rows_exported_twice_or_cut_stop_the_run(tmp_path: Path) -> None:
    _measured(tmp_path, 5, 40)
    exported = _export(tmp_path)
    code, err, _ = _results(tmp_path, exported, "--results", exported)
    assert code == 2
    assert "map 'ref' has 2 'plan' rows" in err and "exported twice" in err
    lines = exported.read_text().splitlines()
    cut = tmp_path / "cut.csv"
    cut.write_text("\n".join(line for line in lines if ",plan," not in line) + "\n")
    code, err, _ = _results(tmp_path, cut)
    assert code == 2 and "no 'plan' row for map 'ref'" in err


def test_a_row_outside_the_map_stops_the_run(tmp_path: Path) -> None:
    _measured(tmp_path, 6, 40)
    exported = _export(tmp_path)
    with exported.open(newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    reach = next(r for r in rows[1:] if r[header.index("part")] == "reach")
    reach[header.index("a")] = "99"
    with exported.open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    code, err, target = _results(tmp_path, exported)
    assert code == 2 and not target.exists()
    assert "results.csv: row " in err and "reach 99 is not an index of map 'ref'" in err


def test_the_sql_header_names_the_options_to_read_the_rows_with(tmp_path: Path) -> None:
    _measured(tmp_path, 7, 20)
    args = ("--sql", "--window", "3d", "--since", "2026-10-02", "--by", "it's")
    out = run("measure", tmp_path / "ref.journey.yaml", *args).out
    assert (
        "--   journeymap measure MAPS --results FILE --since 2026-10-02 --window 3d "
        "--by 'it'\"'\"'s'\n" in out
    )


def _edit_rows(exported: Path, change: Callable[[list[str], dict[str, str]], None]) -> None:
    with exported.open(newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    for row in rows[1:]:
        change(row, dict(zip(header, row, strict=True)))
    with exported.open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)


def test_rows_no_query_returns_stop_the_run(tmp_path: Path) -> None:
    _measured(tmp_path, 8, 60)
    exported = _export(tmp_path)
    columns = exported.read_text().splitlines()[0].split(",")
    n = columns.index("n")

    def grow_last_step(row: list[str], named: dict[str, str]) -> None:
        if named["part"] == "funnel" and named["a"] == "3":
            row[n] = "1000"

    _edit_rows(exported, grow_last_step)
    code, err, _ = _results(tmp_path, exported)
    assert code == 2 and "users at funnel step 4, more than the" in err
    exported = _export(tmp_path)

    def negative(row: list[str], named: dict[str, str]) -> None:
        if named["part"] == "reach":
            row[n] = "-5"

    _edit_rows(exported, negative)
    code, err, _ = _results(tmp_path, exported)
    assert code == 2 and "a negative figure, which no query returns" in err


def test_nulls_written_as_warehouses_write_them_are_read_as_nothing(tmp_path: Path) -> None:
    """Snowflake writes a NULL as \\N unless told otherwise, others as NULL: in a figure's
    column neither can be anything but nothing, and the metrics are the same bytes."""
    _measured(tmp_path, 5, 40)
    exported = _export(tmp_path)
    code, err, target = _results(tmp_path, exported)
    assert code == 0, err
    expected = target.read_bytes()
    header = exported.read_text().splitlines()[0].split(",")
    figures = range(header.index("a"), len(header))  # the figures' columns, a to w
    for null in ("NULL", "\\N", "null"):
        exported = _export(tmp_path)

        def spelled(row: list[str], named: dict[str, str], null: str = null) -> None:
            for i in figures:
                if row[i] == "":
                    row[i] = null

        _edit_rows(exported, spelled)
        assert null in exported.read_text()
        code, err, target = _results(tmp_path, exported)
        assert code == 0, (null, err)
        assert target.read_bytes() == expected
