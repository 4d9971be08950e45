"""`journeymap measure` options that cannot work together or be read, and data it cannot use:
exit 2 with one message saying what to change, before anything runs or is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import run

MAP = (
    "journeymap: 1\nid: m\ntitle: M\nstages:\n  - id: s\n    name: S\n    steps:\n"
    "      - {id: a, name: A, events: [go]}\n      - {id: b, name: B, events: [buy]}\n"
    "      - {id: quiet, name: Quiet}\n"
)


def measure(tmp_path: Path, *args: object, events: str = "user,event,time\nu1,go,0\n") -> tuple:
    (tmp_path / "m.journey.yaml").write_text(MAP)
    (tmp_path / "e.csv").write_text(events)
    out = tmp_path / "metrics.json"
    result = run("measure", tmp_path / "m.journey.yaml", "--events", tmp_path / "e.csv", *args)
    return result.code, result.err, out


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--sql", "--results", "r.csv"], "--sql and --results: give one"),
        (["--dialect", "bigquery"], "--dialect bigquery: only with --sql"),
        (["--memory-limit", "lots"], "--memory-limit 'lots': expected a size such as 2GB"),
        (["--results", "r.csv"], "--results with --events: the rows were computed elsewhere"),
        (["--sql", "--engine", "spark"], "--sql with --engine: --sql prints the queries"),
        (["--sql"], "--sql with --events: --sql prints the queries for --dialect (they read the"),
        (["--path", "a,b,a"], "--path: step 'a' is on the path twice"),
        (["--path", ","], "--path: names no step"),
        (
            ["--path", "a,quiet"],
            "--path: step 'quiet' of map 'm' has no `events`, so nobody can reach it",
        ),
        (["--window", "100000000000000000000d"], "at most 36,500 days"),
    ],
)
def test_options_that_cannot_work_are_usage_errors(
    tmp_path: Path, args: list[str], says: str
) -> None:
    code, err, out = measure(tmp_path, *args, "-o", tmp_path / "metrics.json")
    assert code == 2 and says in err, err
    assert "internal error" not in err and not out.exists()


def test_a_configured_path_is_named_as_the_configuration_s(tmp_path: Path) -> None:
    (tmp_path / "journeymap.toml").write_text('[measure]\npath = ["a", "nope"]\n')
    code, err, _ = measure(tmp_path)
    assert code == 2 and "measure.path: map 'm'" in err and "has no step 'nope'" in err


@pytest.mark.parametrize("value", ["1760000000123", "NaN", "99999999999999"])
def test_a_number_that_is_no_time_is_reported_with_its_line(tmp_path: Path, value: str) -> None:
    events = f"user,event,time\nu1,go,0\nu1,buy,{value}\n"
    code, err, _ = measure(tmp_path, events=events)
    # (NaN comes back as DuckDB wrote it, `nan`: the column was read as numbers)
    said = f"e.csv:3: column 'time': cannot read '{value.lower()}' as a time"
    assert code == 2 and said in err.lower(), err


def test_running_out_of_memory_says_which_option_helps(tmp_path: Path) -> None:
    code, err, _ = measure(tmp_path, "--memory-limit", "1KB")
    assert code == 2 and "Out of Memory" in err and "--memory-limit, such as 2GB" in err


def test_every_broken_map_is_named(tmp_path: Path) -> None:
    for name in ("x", "y"):
        (tmp_path / f"{name}.journey.yaml").write_text("journeymap: 1\nid: [\n")
    (tmp_path / "e.csv").write_text("user,event,time\nu1,go,0\n")
    result = run("measure", tmp_path, "--events", tmp_path / "e.csv", cwd=tmp_path)
    assert result.code == 2
    assert "x.journey.yaml: 1 format error; " in result.err
    assert "y.journey.yaml: 1 format error; " in result.err
    assert "run `journeymap validate" in result.err


def test_a_bad_time_deep_in_a_large_file_is_reported_at_its_line(tmp_path: Path) -> None:
    """DuckDB reads a large file on several threads; the line must still be the right one."""
    rows = ["user,event,time"]
    for i in range(400_000):
        value = "bad" if i == 350_000 else f"2026-10-01T00:00:{i % 60:02d}Z"
        rows.append(f"u{i % 1000},go,{1759276800 if i == 3 else value}")
    code, err, _ = measure(tmp_path, events="\n".join(rows) + "\n")
    assert code == 2 and "e.csv:350002: column 'time': cannot read 'bad' as a time" in err, err


def test_json_lines_may_mix_text_and_number_times(tmp_path: Path) -> None:
    lines = [
        '{"user": "u1", "event": "go", "time": "2026-10-01T00:00:00Z"}',
        '{"user": "u1", "event": "buy", "time": 1759276860}',
        '{"user": "u2", "event": "go", "time": "yesterday"}',
    ]
    (tmp_path / "m.journey.yaml").write_text(MAP)
    (tmp_path / "e.jsonl").write_text("\n".join(lines[:2]) + "\n")
    ok = run("measure", tmp_path / "m.journey.yaml", "--events", tmp_path / "e.jsonl")
    assert ok.code == 0, ok.err
    (tmp_path / "e.jsonl").write_text("\n".join(lines) + "\n")
    bad = run("measure", tmp_path / "m.journey.yaml", "--events", tmp_path / "e.jsonl")
    assert bad.code == 2 and "e.jsonl:3: column 'time': cannot read 'yesterday' as a time" in (
        bad.err
    )


def test_a_line_with_a_field_too_many_is_named_as_the_problem(tmp_path: Path) -> None:
    rows = ["user,event,time"] + [f"u{i},go,{i}" for i in range(100)]
    rows[60] = "u59,go,59,extra"
    code, err, out = measure(tmp_path, events="\n".join(rows) + "\n")
    assert code == 2 and not out.exists()
    assert (
        'e.csv:61: 4 fields where the header has 3: quote a field that holds a comma ("a, b")'
        in err
    )


@pytest.mark.parametrize("late", [False, True])
@pytest.mark.parametrize("suffix", ["csv", "tsv"])
def test_a_quote_never_closed_is_named_with_its_line(
    tmp_path: Path, late: bool, suffix: str
) -> None:
    """A stray opening quote made DuckDB read the whole file without quoting, every quote as
    text: the row's event became `"go` and was silently not counted. Early in the file (where
    DuckDB guesses the layout) or after 30,000 lines, it is an error naming the line."""
    sep = "\t" if suffix == "tsv" else ","
    good = [sep.join(("u1", "go", "2026-10-01T00:00:00"))] * (30_000 if late else 2)
    bad = sep.join(("u2", '"go', "2026-10-01T00:00:00"))
    rows = [sep.join(("user", "event", "time")), *good, bad, *good[:3]]
    (tmp_path / "m.journey.yaml").write_text(MAP)
    (tmp_path / f"e.{suffix}").write_text("\n".join(rows) + "\n")
    result = run("measure", tmp_path / "m.journey.yaml", "--events", tmp_path / f"e.{suffix}")
    assert result.code == 2 and result.out == ""
    line = len(good) + 2
    assert f"e.{suffix}:{line}: a quote opens a field on this line and is never closed" in (
        result.err
    )


def test_quoted_fields_are_read_as_csv_writes_them(tmp_path: Path) -> None:
    """A comma and a doubled quote inside a quoted field, a quote inside an unquoted one."""
    (tmp_path / "m.journey.yaml").write_text(MAP.replace("[buy]", """['a, "b"', '5" tv']"""))
    events = 'user,event,time\nu1,go,0\nu1,"a, ""b""",60\nu2,go,0\nu2,5" tv,120\n'
    (tmp_path / "e.csv").write_text(events)
    result = run("measure", tmp_path / "m.journey.yaml", "--events", tmp_path / "e.csv")
    assert result.code == 0, result.err
    step = json.loads(result.out)["maps"]["m"]["steps"]["b"]
    assert (step["reached"], step["median_seconds"]) == (2, 90)


def test_a_missing_column_shows_the_mapping_to_change(tmp_path: Path) -> None:
    (tmp_path / "journeymap.toml").write_text('[measure]\ncolumns = {user = "uid"}\n')
    code, err, _ = measure(tmp_path)
    assert code == 2 and "e.csv: no column 'uid'" in err
    assert 'as the configuration maps it: [measure] columns = {user = "uid"}' in err
    (tmp_path / "journeymap.toml").unlink()
    code, err, _ = measure(tmp_path, events="who,event,time\nu1,go,0\n")
    assert 'map it in the configuration: [measure] columns = {user = "YOUR_COLUMN"}' in err


def test_output_to_a_folder_and_an_unknown_file_type(tmp_path: Path) -> None:
    code, err, _ = measure(tmp_path, "-o", tmp_path)
    assert code == 2 and "it is a folder; give the name of a file to write" in err
    (tmp_path / "e.txt").write_text("user,event,time\n")
    result = run("measure", tmp_path / "m.journey.yaml", "--events", tmp_path / "e.txt")
    assert result.code == 2 and "unknown file type '.txt'; use CSV (.csv, .tsv)" in result.err


def test_a_memory_limit_duckdb_reads_is_taken(tmp_path: Path) -> None:
    for limit in ("2G", "500MB", "50%"):
        code, err, _ = measure(tmp_path, "--memory-limit", limit)
        assert code == 0, err


def test_maps_with_different_settings_are_not_measured_together(tmp_path: Path) -> None:
    for folder, window in (("a", "14d"), ("b", "1h")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "journeymap.toml").write_text(f'[measure]\nwindow = "{window}"\n')
        (tmp_path / folder / f"{folder}.journey.yaml").write_text(
            MAP.replace("id: m", f"id: {folder}")
        )
    (tmp_path / "e.csv").write_text("user,event,time\nu1,go,0\n")
    result = run("measure", tmp_path / "a", tmp_path / "b", "--events", tmp_path / "e.csv")
    assert result.code == 2
    assert "b.journey.yaml have different [measure] settings" in result.err


def test_window_and_results_files_say_what_is_wrong(tmp_path: Path) -> None:
    code, err, _ = measure(tmp_path, "--window", "0s")
    assert code == 2 and "--window '0s': the window must be longer than 0" in err
    (tmp_path / "journeymap.toml").write_text('[measure]\nwindow = "2 weeks"\n')
    code, err, _ = measure(tmp_path)
    assert code == 2 and "measure.window '2 weeks': expected a duration such as 14d" in err
    (tmp_path / "journeymap.toml").unlink()
    for name, text, says in (
        ("r.parquet", "PAR1", "--results reads CSV (with a header line) or JSON Lines"),
        ("r.json", '[{"map": "m"}]', "a JSON array; --results reads JSON Lines"),
    ):
        (tmp_path / name).write_text(text)
        result = run("measure", tmp_path / "m.journey.yaml", "--results", tmp_path / name)
        assert result.code == 2 and says in result.err, result.err


def test_a_configured_path_per_map(tmp_path: Path) -> None:
    (tmp_path / "m.journey.yaml").write_text(MAP)
    (tmp_path / "n.journey.yaml").write_text(MAP.replace("id: m", "id: n"))
    (tmp_path / "journeymap.toml").write_text('[measure]\npath = {m = ["b"]}\n')
    (tmp_path / "e.csv").write_text("user,event,time\nu1,go,0\nu1,buy,60\n")
    result = run("measure", tmp_path, "--events", tmp_path / "e.csv", cwd=tmp_path)
    assert result.code == 0, result.err
    maps = json.loads(result.out)["maps"]
    assert maps["m"]["path"] == ["b"] and maps["n"]["path"] == ["a", "b"]
    # a map id close to one measured: a typo, which leaves that map on its default path
    (tmp_path / "journeymap.toml").write_text('[measure]\npath = {mm = ["b"], other = ["a"]}\n')
    result = run("measure", tmp_path, "--events", tmp_path / "e.csv", cwd=tmp_path)
    assert result.code == 0, result.err
    assert result.err == (
        "journeymap measure: warning: measure.path names map 'mm', which is not among the maps "
        "measured (did you mean 'm'?); a map it does not name is measured along its "
        "default path\n"
    )
    (tmp_path / "journeymap.toml").write_text("[measure]\npath = {m = 3}\n")
    result = run("measure", tmp_path, "--events", tmp_path / "e.csv", cwd=tmp_path)
    assert result.code == 2 and "or a table of them per map id" in result.err


def test_a_map_with_no_events_is_said_to_have_nothing_to_measure(tmp_path: Path) -> None:
    (tmp_path / "q.journey.yaml").write_text(
        MAP.replace(", events: [go]", "").replace(", events: [buy]", "")
    )
    (tmp_path / "e.csv").write_text("user,event,time\nu1,go,0\n")
    result = run("measure", tmp_path / "q.journey.yaml", "--events", tmp_path / "e.csv")
    assert result.code == 0
    assert result.err == (
        "journeymap measure: warning: map 'm': none of its steps has `events`, so there is "
        "nothing to measure; list under a step's `events` the names of the log's events that "
        "mark it\n"
    )


@pytest.mark.parametrize(
    ("events", "args", "where"),
    [
        ("user,event,time\n", [], "e.csv"),
        ("user,event,time\nu1,browse,0\n", [], "e.csv"),
        ("user,event,time\nu1,go,0\n", ["--since", "2027-01-01"], "e.csv since 2027-01-01"),
    ],
)
def test_a_map_no_event_reached_is_measured_with_a_warning(
    tmp_path: Path, events: str, args: list[str], where: str
) -> None:
    """All zeros are a result, but more often a map's event names that are not the log's:
    the metrics are written, and stderr says so (exit 0)."""
    code, err, out = measure(tmp_path, "-o", tmp_path / "metrics.json", *args, events=events)
    assert code == 0 and out.exists()
    assert json.loads(out.read_text())["maps"]["m"]["steps"]["a"]["reached"] == 0
    assert err == (
        f"journeymap measure: warning: map 'm': no event in {tmp_path / 'e.csv'}"
        f"{where.removeprefix('e.csv')} matched any of its steps (so every figure is 0); are "
        "its steps' `events` the names in the log, and is `event` the column that holds them "
        "(`columns` under [measure] in the configuration)?\n"
    )
    code, err, _ = measure(tmp_path, "-o", tmp_path / "metrics.json")
    assert (code, err) == (0, "")
