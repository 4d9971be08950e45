"""`journeymap measure` on DuckDB: hand-computed cases, a random log against the reference
implementation, every input format, errors, and the SQL of every dialect."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from helpers import run, run_process

from .reference import (
    HAND,
    MAP,
    STEPS,
    forward_and_not,
    iso,
    random_log,
    reference,
    write_csv,
)

EVENTS_HEADER = "user,event,time"
ANSWERS_HEADER = "user,survey,score,time"


def setup_map(tmp_path: Path) -> Path:
    path = tmp_path / "ref.journey.yaml"
    path.write_text(MAP, encoding="utf-8")
    return path


def measure(
    tmp_path: Path,
    events: list[tuple[str, str, float]],
    *args: str,
    answers: list[tuple[str, str, int, float]] | None = None,
) -> dict:
    map_path = setup_map(tmp_path)
    write_csv(tmp_path / "events.csv", events, EVENTS_HEADER)
    extra: list[str] = []
    if answers is not None:
        write_csv(tmp_path / "answers.csv", answers, ANSWERS_HEADER)
        extra = ["--responses", str(tmp_path / "answers.csv")]
    result = run("measure", map_path, "--events", tmp_path / "events.csv", *extra, *args)
    assert result.code == 0, result.err
    return json.loads(result.out)


def measured(doc: dict) -> dict:
    """The map's figures, without the fingerprint of the map they are for (the reference
    implementation computes figures only)."""
    figures = dict(doc["maps"]["ref"])
    assert figures.pop("fingerprint").startswith("jm1-")
    return figures


def steps(doc: dict) -> dict:
    return {
        s: (v["funnel"], v["reached"], v["median_seconds"])
        for s, v in doc["maps"]["ref"]["steps"].items()
    }


def test_a_user_who_skips_a_step_stops_before_it(tmp_path: Path) -> None:
    doc = measure(tmp_path, HAND["skip"].events)
    assert steps(doc) == {
        "a": (1, 1, None),
        "b": (0, 0, None),
        "c": (0, 1, None),
        "d": (0, 1, None),
    }
    ref = doc["maps"]["ref"]
    assert ref["steps"]["b"]["drop_off"] == 1
    assert ref["steps"]["c"]["from_previous"] is None  # 0 / 0
    # a -> c and c -> d were taken; a -> c is not on the map.
    assert ref["transitions"] == [
        {"from": "a", "on_map": False, "to": "c", "users": 1},
        {"from": "c", "on_map": True, "to": "d", "users": 1},
    ]


def test_repeats_collapse_and_the_first_entry_opens_the_window(tmp_path: Path) -> None:
    day = 86400
    events = HAND["repeat"].events
    doc = measure(tmp_path, events)
    # The restart at day 11 does not open a new attempt: done at day 15 is outside 14 days.
    assert steps(doc) == {
        "a": (1, 1, None),
        "b": (1, 1, 7200),
        "c": (1, 1, 10 * day - 7200),
        "d": (0, 1, None),
    }
    transitions = {(t["from"], t["to"]): t["users"] for t in doc["maps"]["ref"]["transitions"]}
    assert transitions == {("a", "b"): 1, ("b", "c"): 1, ("c", "a"): 1, ("a", "d"): 1}
    wider = measure(tmp_path, events, "--window", "15d")
    assert steps(wider)["d"] == (1, 1, 5 * day)


def test_the_window_end_is_inclusive_and_equal_times_convert(tmp_path: Path) -> None:
    case = HAND["same-second"]
    doc = measure(tmp_path, case.events, *case.args)
    assert steps(doc) == {"a": (2, 2, None), "b": (1, 2, 0), "c": (1, 1, 0), "d": (1, 1, 3600)}
    assert doc["window_days"] == 1 / 24


def test_an_earlier_event_of_a_later_step_does_not_count(tmp_path: Path) -> None:
    doc = measure(tmp_path, HAND["earlier-event"].events)
    assert steps(doc)["b"] == (1, 1, 60)
    assert doc["maps"]["ref"]["steps"]["b"]["median_seconds"] == 60


def test_a_repeat_at_the_time_of_the_previous_path_step_converts(tmp_path: Path) -> None:
    """The funnel's event for a step may repeat the step just before it in time order; it is
    kept when the next event shares its time (measure/sqlsteps.py: the events that only repeat
    the step before them are left out)."""
    case = HAND["repeat-at-the-step-time"]
    doc = measure(tmp_path, case.events, *case.args)
    assert steps(doc)["b"] == (1, 1, None)
    assert steps(doc)["a"] == (1, 1, 0)
    assert doc["maps"]["ref"]["transitions"] == [
        {"from": "a", "on_map": True, "to": "b", "users": 1}
    ]


def test_median_of_an_even_count_is_the_mean_of_the_middle_two(tmp_path: Path) -> None:
    doc = measure(tmp_path, HAND["even-median"].events)
    assert doc["maps"]["ref"]["steps"]["b"]["median_seconds"] == 25


def test_median_of_times_within_a_second_and_across_seconds(tmp_path: Path) -> None:
    """Sub-second times (milliseconds in the data): the middle two of six are 0.9 s and
    1.1 s, in two different seconds; of five, 1.5 s, among four in the same second."""
    map_path = setup_map(tmp_path)
    for name, taken, median in [
        ("across", [0.2, 0.5, 0.9, 1.1, 1.4, 2.0], 1),
        ("within", [1.25, 1.5, 3.0, 1.75, 1.1], 1.5),
    ]:
        rows = [EVENTS_HEADER]
        for n, d in enumerate(taken):
            rows.append(f"u{n},view,2026-10-01T00:00:00Z")
            rows.append(f"u{n},cart,2026-10-01T00:00:{d:06.3f}Z")
        (tmp_path / f"{name}.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
        result = run("measure", map_path, "--events", tmp_path / f"{name}.csv")
        assert result.code == 0, result.err
        assert json.loads(result.out)["maps"]["ref"]["steps"]["b"]["median_seconds"] == median


@pytest.mark.parametrize(
    ("taken", "median"),
    [
        ([10, 20, 20, 30], 20),  # both middle values are one time, taken twice
        ([10, 20, 20, 20, 30], 20),
        ([10, 10, 30, 30], 20),  # the middle two in two different times, each taken twice
        ([5, 10, 10, 40, 40, 50], 25),
        ([5, 10, 10, 10, 40, 50], 10),
        ([7, 7, 7], 7),
        ([40, 10, 10, 50, 40, 40, 10], 40),
    ],
)
def test_median_when_users_take_the_same_time(
    tmp_path: Path, taken: list[int], median: float
) -> None:
    """Equal times taken are counted together before they are ranked: the middle values
    are found by position whether they share a time or not."""
    events = [e for n, d in enumerate(taken) for e in [(f"u{n}", "view", 0), (f"u{n}", "cart", d)]]
    doc = measure(tmp_path, events)
    assert doc["maps"]["ref"]["steps"]["b"]["median_seconds"] == median
    assert reference(events, [])["steps"]["b"]["median_seconds"] == median
    assert doc["maps"]["ref"]["steps"]["b"]["conversion"] == 1


def test_surveys(tmp_path: Path) -> None:
    case = HAND["surveys"]
    doc = measure(tmp_path, case.events, answers=case.answers)
    ref = doc["maps"]["ref"]["steps"]
    assert ref["b"]["surveys"] == {
        "cart_csat": {"count": 4, "mean": 3, "method": "csat", "share_4_5": 0.5}
    }
    assert ref["d"]["surveys"] == {"done_nps": {"count": 5, "method": "nps", "nps": 40}}


def test_surveys_measured_without_answers_are_null_not_zero(tmp_path: Path) -> None:
    """Without --responses nothing is known of a survey (null); with them, a survey id no
    answer carries has a count of 0, which `unanswered-survey` reports."""
    case = HAND["surveys"]
    ref = measure(tmp_path, case.events)["maps"]["ref"]["steps"]
    assert ref["b"]["surveys"] == {
        "cart_csat": {"count": None, "mean": None, "method": "csat", "share_4_5": None}
    }
    answers = [a for a in case.answers if a[1] != "cart_csat"]
    ref = measure(tmp_path, case.events, answers=answers)["maps"]["ref"]["steps"]
    assert ref["b"]["surveys"]["cart_csat"]["count"] == 0


def test_since_and_until(tmp_path: Path) -> None:
    case = HAND["since-until"]
    doc = measure(tmp_path, case.events, *case.args)
    assert steps(doc)["a"] == (1, 1, None)
    assert doc["period"] == {"since": "2026-10-02", "until": "2026-10-03"}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_random_log_matches_the_reference_implementation(tmp_path: Path, seed: int) -> None:
    events, answers = random_log(seed)
    doc = measure(tmp_path, events, answers=answers)
    assert measured(doc) == reference(events, answers)


def test_the_random_logs_have_users_who_move_forward_and_users_who_go_back() -> None:
    """The funnel of a user who moves forward comes from their rows (`forward_rows`), of the
    others from one join per step: the reference checks both on the same logs."""
    for seed in (1, 2, 3, 4, 5, 6):
        forward, other = forward_and_not(random_log(seed)[0])
        assert forward >= 30 and other >= 30, (seed, forward, other)


@pytest.mark.parametrize("path", [["a", "c", "d"], ["b", "a", "c"], ["c", "b"]])
@pytest.mark.parametrize("seed", [5, 6])
def test_a_random_log_along_a_path_matches_the_reference(
    tmp_path: Path, seed: int, path: list[str]
) -> None:
    """`--path` in file order (the query then reads no next time per event) and out of it."""
    events, answers = random_log(seed)
    doc = measure(tmp_path, events, "--path", ",".join(path), answers=answers)
    assert measured(doc) == reference(events, answers, path=path)


def test_maps_with_many_steps_count_reach_by_user_and_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past 62 steps with events, reach is grouped by user and step, not bit masks: the same
    figures (forced here on the four-step map)."""
    import journeymap.measure.sql

    monkeypatch.setattr(journeymap.measure.sql, "MASKED_MAX", 0)
    events, answers = random_log(4)
    doc = measure(tmp_path, events, answers=answers)
    assert measured(doc) == reference(events, answers)
    assert "firsts AS" in run("measure", tmp_path / "ref.journey.yaml", "--sql").out


def test_same_bytes_from_csv_parquet_jsonl_and_a_glob(tmp_path: Path) -> None:
    import duckdb

    events, _ = random_log(7, users=80)
    map_path = setup_map(tmp_path)
    write_csv(tmp_path / "events.csv", events, EVENTS_HEADER)
    first = run("measure", map_path, "--events", tmp_path / "events.csv")
    assert first.code == 0, first.err
    con = duckdb.connect()
    csv = str(tmp_path / "events.csv")
    con.execute(f"COPY (SELECT * FROM read_csv('{csv}')) TO '{tmp_path}/e.parquet'")
    (tmp_path / "parts").mkdir()
    for half, cond in (("1", "user < 'u0040'"), ("2", "user >= 'u0040'")):
        con.execute(
            f"COPY (SELECT * FROM read_csv('{csv}') WHERE {cond}) "
            f"TO '{tmp_path}/parts/p{half}.parquet'"
        )
    lines = [json.dumps({"user": u, "event": e, "time": iso(t)}) for u, e, t in events]
    (tmp_path / "e.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for spec in ("e.parquet", "e.jsonl", "parts/*.parquet"):
        again = run("measure", map_path, "--events", str(tmp_path / spec))
        assert again.code == 0, again.err
        assert again.out == first.out, spec


def test_seconds_since_1970_and_offsets_are_the_same_moment(tmp_path: Path) -> None:
    map_path = setup_map(tmp_path)
    start = 1_790_812_800  # 2026-10-01T00:00:00Z
    (tmp_path / "a.csv").write_text(
        "user,event,time\nu1,view,2026-10-01T02:00:00+02:00\nu1,cart,2026-10-01T00:01:00\n"
    )
    (tmp_path / "b.csv").write_text(f"user,event,time\nu1,view,{start}\nu1,cart,{start + 60}\n")
    a = run("measure", map_path, "--events", tmp_path / "a.csv")
    b = run("measure", map_path, "--events", tmp_path / "b.csv")
    assert a.code == b.code == 0, a.err + b.err
    assert a.out == b.out
    assert json.loads(a.out)["maps"]["ref"]["steps"]["b"]["median_seconds"] == 60


def test_column_names_from_the_configuration(tmp_path: Path) -> None:
    setup_map(tmp_path)
    (tmp_path / "journeymap.toml").write_text(
        '[measure]\nevents = "log.csv"\ncolumns = {user = "uid", event = "name", time = "ts"}\n'
    )
    (tmp_path / "log.csv").write_text("uid,name,ts\nx,view,2026-10-01T00:00:00Z\n")
    result = run("measure", tmp_path / "ref.journey.yaml")
    assert result.code == 0, result.err
    assert json.loads(result.out)["maps"]["ref"]["steps"]["a"]["reached"] == 1


def test_where_matches_text_and_numbers(tmp_path: Path) -> None:
    (tmp_path / "m.journey.yaml").write_text(
        "journeymap: 1\ntitle: W\nstages:\n  - id: s\n    name: S\n    steps:\n"
        "      - {id: a, name: A, events: [{name: page, where: {path: /cart, n: 3}}]}\n"
    )
    (tmp_path / "e.csv").write_text(
        "user,event,time,path,n\nu1,page,0,/cart,3\nu2,page,0,/cart,3.0\nu3,page,0,/cart,4\n"
        "u4,page,0,/home,3\nu5,view,0,/cart,3\n"
    )
    result = run("measure", tmp_path / "m.journey.yaml", "--events", tmp_path / "e.csv")
    assert result.code == 0, result.err
    assert json.loads(result.out)["maps"]["m"]["steps"]["a"]["reached"] == 2


def test_by_repeats_every_figure_per_segment(tmp_path: Path) -> None:
    map_path = setup_map(tmp_path)
    (tmp_path / "e.csv").write_text(
        "user,event,time,plan\nu1,view,0,pro\nu1,cart,60,free\nu2,view,0,free\n"
        "u2,cart,120,free\nu3,view,0,\n"
    )
    result = run("measure", map_path, "--events", tmp_path / "e.csv", "--by", "plan")
    assert result.code == 0, result.err
    doc = json.loads(result.out)
    ref = doc["maps"]["ref"]
    assert doc["by"] == "plan"
    assert sorted(ref["segments"]) == ["(none)", "free", "pro"]
    assert ref["segments"]["pro"]["steps"]["b"]["median_seconds"] == 60
    assert ref["segments"]["free"]["steps"]["b"]["median_seconds"] == 120
    assert ref["steps"]["b"]["median_seconds"] == 90
    assert ref["steps"]["a"]["funnel"] == 3


def test_by_segments_add_up_to_every_answer(tmp_path: Path) -> None:
    """An answer of a user with no event, or of no user (anonymous), is in `(none)`: it was
    in the figures for everyone and in no segment."""
    map_path = setup_map(tmp_path)
    (tmp_path / "e.csv").write_text("user,event,time,plan\nu1,view,0,pro\n")
    (tmp_path / "r.csv").write_text(
        "user,survey,score,time\nu1,cart_csat,5,0\n,cart_csat,4,0\nu9,cart_csat,1,0\n"
    )
    result = run(
        "measure",
        map_path,
        "--events",
        tmp_path / "e.csv",
        "--responses",
        tmp_path / "r.csv",
        "--by",
        "plan",
    )
    assert result.code == 0, result.err
    ref = json.loads(result.out)["maps"]["ref"]
    counts = {
        name: figures["steps"]["b"]["surveys"]["cart_csat"]["count"]
        for name, figures in [("all", ref), *ref["segments"].items()]
    }
    assert counts == {"all": 3, "(none)": 2, "pro": 1}


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("uid,event,time\nu1,view,0\n", "events.csv: no column 'user'"),
        (
            "user,event,time\nu1,view,0\nu2,view,yesterday\n",
            "events.csv:3: column 'time': cannot read 'yesterday' as a time",
        ),
    ],
)
def test_bad_input_is_one_clear_message_and_nothing_is_written(
    tmp_path: Path, content: str, expected: str
) -> None:
    map_path = setup_map(tmp_path)
    (tmp_path / "events.csv").write_text(content)
    out = tmp_path / "metrics.json"
    result = run("measure", map_path, "--events", tmp_path / "events.csv", "-o", out)
    assert result.code == 2
    assert expected in result.err
    assert "Traceback" not in result.err
    assert not out.exists()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (  # trial: one missing column a run, three runs to find them all
            "User ID,Event,Timestamp",
            "events.csv: no column 'user', 'event' or 'time' (the columns the run needs; if yours "
            "have other names, map them in the configuration: [measure] columns = {user = "
            '"User ID", event = "Event", time = "Timestamp"}); it has: User ID, Event, Timestamp',
        ),
        (
            "uid,event,time",
            "events.csv: no column 'user' (did you mean 'uid'?) (the user column; if yours has "
            'another name, map it in the configuration: [measure] columns = {user = "uid"}); '
            "it has: uid, event, time",
        ),
        (  # two columns with a word of the role: no guess
            "user,event,start_time,end_time",
            "events.csv: no column 'time' (the time column; if yours has another name, map it "
            'in the configuration: [measure] columns = {time = "YOUR_COLUMN"}); it has: user, '
            "event, start_time, end_time",
        ),
    ],
)
def test_missing_columns_are_named_at_once_with_the_likely_ones(
    tmp_path: Path, header: str, expected: str
) -> None:
    map_path = setup_map(tmp_path)
    row = ",".join("x" * len(header.split(",")))
    (tmp_path / "events.csv").write_text(f"{header}\n{row}\n")
    result = run("measure", map_path, "--events", "events.csv", cwd=tmp_path)
    assert result.code == 2
    assert result.err == f"journeymap: error: {expected}\n"


def test_a_bad_line_names_the_file_as_it_was_given(tmp_path: Path) -> None:
    """Trial: DuckDB reads absolute paths, and its layout errors named /tmp/.../bad.csv."""
    map_path = setup_map(tmp_path)
    (tmp_path / "bad.csv").write_text("user,event,time\nu1,a,b,c\n")
    for given in ("bad.csv", "*.csv"):
        result = run("measure", map_path, "--events", given, cwd=tmp_path)
        assert result.code == 2
        assert result.err == (
            "journeymap: error: bad.csv:2: 4 fields where the header has 3: quote a field that "
            'holds a comma ("a, b")\n'
        )


def test_a_where_on_a_property_the_log_lacks(tmp_path: Path) -> None:
    (tmp_path / "m.journey.yaml").write_text(
        "journeymap: 1\ntitle: W\nstages:\n  - id: s\n    name: S\n    steps:\n"
        "      - {id: a, name: A, events: [{name: page, where: {path: /cart}}]}\n"
    )
    (tmp_path / "e.csv").write_text("user,event,time\nu1,page,0\n")
    result = run("measure", tmp_path / "m.journey.yaml", "--events", tmp_path / "e.csv")
    assert result.code == 2
    assert "e.csv: no column 'path', which a `where` of step 'a' of" in result.err


def test_a_score_outside_the_range_names_the_line(tmp_path: Path) -> None:
    map_path = setup_map(tmp_path)
    (tmp_path / "e.csv").write_text("user,event,time\nu1,view,0\n")
    (tmp_path / "r.csv").write_text("user,survey,score,time\nu1,cart_csat,5,0\nu1,cart_csat,6,0\n")
    result = run(
        "measure", map_path, "--events", tmp_path / "e.csv", "--responses", tmp_path / "r.csv"
    )
    assert result.code == 2
    assert (
        "r.csv:3: column 'score': score '6' of survey 'cart_csat' is outside csat's range 1-5"
        in (result.err)
    )
    (tmp_path / "r.csv").write_text("user,survey,score,time\nu1,cart_csat,4.5,0\n")
    result = run(
        "measure", map_path, "--events", tmp_path / "e.csv", "--responses", tmp_path / "r.csv"
    )
    assert result.code == 2 and "r.csv:2: column 'score': score '4.5' is not a whole number" in (
        result.err
    )


def test_usage_errors(tmp_path: Path) -> None:
    map_path = setup_map(tmp_path)
    (tmp_path / "e.csv").write_text("user,event,time\nu1,view,0\n")
    cases = [
        (["--window", "2w"], "--window '2w': expected a duration"),
        (["--since", "soon"], "--since 'soon': expected a date"),
        (["--path", "a,x"], "has no step 'x'"),
        (["--events", str(tmp_path / "none*.csv")], "no file matches this pattern"),
        (["--engine", "mysql://x"], "--engine 'mysql://x': expected"),
    ]
    for args, message in cases:
        result = run("measure", map_path, "--events", tmp_path / "e.csv", *args)
        assert result.code == 2, args
        assert message in result.err, (args, result.err)
    result = run("measure", map_path)
    assert result.code == 2
    assert "no event log: give --events PATH" in result.err


@pytest.mark.parametrize(
    "dialect", ["bigquery", "snowflake", "trino", "spark", "postgres", "duckdb"]
)
def test_the_sql_of_every_dialect_parses_back(tmp_path: Path, dialect: str) -> None:
    import sqlglot

    map_path = setup_map(tmp_path)
    result = run("measure", map_path, "--sql", "--dialect", dialect, "--by", "plan")
    assert result.code == 0, result.err
    statements = [s for s in sqlglot.parse(result.out, read=dialect) if s is not None]
    # BigQuery's is a script: the CTEs named more than once kept in temporary tables first.
    *kept, query = statements
    assert isinstance(query, sqlglot.exp.Select)
    if dialect == "bigquery":  # the views' types in BigQuery's own names
        assert "--   jm_responses(user_id STRING, survey STRING, score INT64, t INT64)" in (
            result.out
        )
        tables = [s.this.name for s in kept if isinstance(s, sqlglot.exp.Create)]
        assert tables == [s.this.name for s in kept] and "jm_cte_matched" in tables
        assert all(s.args["properties"].find(sqlglot.exp.TemporaryProperty) for s in kept)
    else:
        assert kept == []
    assert "f3" in result.out  # the funnel goes to the fourth step
    # Text takes a backslash as text: PostgreSQL must read it with standard strings on.
    assert ("standard_conforming_strings = on" in result.out) == (dialect == "postgres")
    # A window over all rows runs on one worker of a distributed engine: only the single-node
    # engines rank their users into numbers; every other window is per user or per figure.
    whole = [
        w
        for statement in statements
        for w in statement.find_all(sqlglot.exp.Window)
        if not w.args.get("partition_by")
    ]
    assert len(whole) == (1 if dialect in ("duckdb", "postgres") else 0), [w.sql() for w in whole]


def _warehouse(tmp_path: Path, *args: str, by_value: str = "NULL") -> tuple[Any, str]:
    """DuckDB standing in for a warehouse: the views of the --sql header over the logs in
    `tmp_path`, and the map's query as `--sql --dialect duckdb ARGS` prints it."""
    import duckdb

    sql = run("measure", tmp_path / "ref.journey.yaml", "--sql", "--dialect", "duckdb", *args)
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(
        f"CREATE VIEW jm_events AS SELECT user AS user_id, event, epoch_us(time) AS t, "
        f"{by_value} AS by_value FROM read_csv('{tmp_path}/events.csv')"
    )
    con.execute(
        f"CREATE VIEW jm_responses AS SELECT user AS user_id, survey, score, epoch_us(time) AS t "
        f"FROM read_csv('{tmp_path}/answers.csv')"
    )
    return con, sql.out.split(";")[0].split("\n-- map")[1].split("\n", 1)[1]


def test_the_query_in_stages_gives_the_same_rows(tmp_path: Path) -> None:
    """The stages that Spark runs and BigQuery's script holds (the CTEs named more than once
    kept in tables first, then the query) give the rows of the one query, on DuckDB."""
    from journeymap.measure.sqlstages import stages

    events, answers = random_log(12, users=120)
    measure(tmp_path, events, answers=answers)
    con, query = _warehouse(tmp_path, "--by", "plan", by_value="substr(user, -1)")
    *kept, final = stages(query, "duckdb")
    assert [s.table for s in kept][:2] == ["jm_cte_users", "jm_cte_matched"]
    # the CTEs named once stay inside the statement that names them (here the figures, which
    # the query names twice, for its rows and for the plan row's count of them)
    assert final.table is None and "WITH" in kept[-1].select and kept[-1].table == "jm_cte_figures"
    for stage in kept:
        con.execute(f"CREATE TEMP TABLE {stage.table} AS {stage.select}")
    rows = con.execute(final.select).fetchall()
    assert rows and rows == con.execute(query).fetchall()
    assert stages("SELECT 1 AS x", "duckdb")[0].select == "SELECT 1 AS x"


def test_results_exported_from_a_warehouse_give_the_same_metrics(tmp_path: Path) -> None:
    events, answers = random_log(11, users=120)
    direct = measure(tmp_path, events, answers=answers)
    con, query = _warehouse(tmp_path)
    con.execute(f"COPY ({query}) TO '{tmp_path}/results.csv' (HEADER)")
    result = run("measure", tmp_path / "ref.journey.yaml", "--results", tmp_path / "results.csv")
    assert result.code == 0, result.err
    assert json.loads(result.out) == direct


def test_results_with_rows_cut_are_refused(tmp_path: Path) -> None:
    """An export that lost a row (a reach row: 0 users at a step the funnel passed) was read
    as it was; the plan row carries how many rows its query returned."""
    events, answers = random_log(11, users=120)
    measure(tmp_path, events, answers=answers)
    con, query = _warehouse(tmp_path)
    con.execute(f"COPY ({query}) TO '{tmp_path}/results.csv' (HEADER)")
    lines = (tmp_path / "results.csv").read_text().splitlines(keepends=True)
    reach = next(i for i, line in enumerate(lines) if ",reach," in line)
    (tmp_path / "cut.csv").write_text("".join(lines[:reach] + lines[reach + 1 :]))
    result = run("measure", tmp_path / "ref.journey.yaml", "--results", tmp_path / "cut.csv")
    assert result.code == 2
    # the header and the plan row are not figures
    assert f"{len(lines) - 3} rows where its query returned {len(lines) - 2}" in result.err


def test_two_exports_joined_into_one_file_are_named_as_such(tmp_path: Path) -> None:
    events, answers = random_log(11, users=120)
    measure(tmp_path, events, answers=answers)
    con, query = _warehouse(tmp_path)
    con.execute(f"COPY ({query}) TO '{tmp_path}/results.csv' (HEADER)")
    text = (tmp_path / "results.csv").read_text()
    (tmp_path / "joined.csv").write_text(text + text)
    result = run("measure", tmp_path / "ref.journey.yaml", "--results", tmp_path / "joined.csv")
    lines = len(text.splitlines())
    assert result.code == 2
    assert f"joined.csv:{lines + 1}: the header line again: two exports joined" in result.err


def test_results_with_answers_off_their_scale_are_refused(tmp_path: Path) -> None:
    """A direct run refuses a csat score of 9 with its line; in a warehouse the queries count
    such answers, and --results refuses rows that have any."""
    events, answers = random_log(11, users=120)
    measure(tmp_path, events, answers=answers)
    with (tmp_path / "answers.csv").open("a") as out:
        out.write("u1,cart_csat,9,2026-10-01T00:00:00Z\nu2,cart_csat,-3,2026-10-01T00:00:00Z\n")
    con, query = _warehouse(tmp_path)
    con.execute(f"COPY ({query}) TO '{tmp_path}/results.csv' (HEADER)")
    result = run("measure", tmp_path / "ref.journey.yaml", "--results", tmp_path / "results.csv")
    assert result.code == 2
    assert "2 answers of survey 'cart_csat' are outside csat's range 1-5" in result.err


def test_output_file_is_stable_bytes(tmp_path: Path) -> None:
    events, answers = random_log(5, users=50)
    measure(tmp_path, events, answers=answers)
    out1, out2 = tmp_path / "m1.json", tmp_path / "m2.json"
    for out in (out1, out2):
        args = ["--events", tmp_path / "events.csv", "--responses", tmp_path / "answers.csv"]
        assert run("measure", tmp_path / "ref.journey.yaml", *args, "-o", out).code == 0
    assert out1.read_bytes() == out2.read_bytes()
    text = out1.read_text()
    assert json.dumps(json.loads(text), sort_keys=True, indent=2) + "\n" == text
    assert list(json.loads(text)["maps"]["ref"]["steps"]) == sorted(STEPS)


def test_quotes_in_event_names_and_properties_stay_data(tmp_path: Path) -> None:
    (tmp_path / "m.journey.yaml").write_text(
        "journeymap: 1\ntitle: Q\nstages:\n  - id: s\n    name: S\n    steps:\n"
        "      - id: a\n        name: A\n        events:\n"
        "          - name: \"it's'; DROP TABLE jm_events; --\"\n"
        "            where: {'we\"ird': \"o'k\"}\n"
    )
    (tmp_path / "e.csv").write_text(
        'user,event,time,"we""ird"\n'
        "u1,\"it's'; DROP TABLE jm_events; --\",0,o'k\n"
        "u2,\"it's'; DROP TABLE jm_events; --\",0,no\n"
    )
    result = run("measure", tmp_path / "m.journey.yaml", "--events", tmp_path / "e.csv")
    assert result.code == 0, result.err
    assert json.loads(result.out)["maps"]["m"]["steps"]["a"]["reached"] == 1


CLASHING = ["t", "user_id", "by_value", "step", "segment", "entry", "stage", "p0", "prev"]


@pytest.mark.parametrize("name", CLASHING)
def test_a_where_on_a_property_named_like_an_internal_column(tmp_path: Path, name: str) -> None:
    (tmp_path / "m.journey.yaml").write_text(
        "journeymap: 1\ntitle: W\nstages:\n  - id: s\n    name: S\n    steps:\n"
        f"      - {{id: a, name: A, events: [{{name: page, where: {{{name}: 'yes'}}}}]}}\n"
        "      - {id: b, name: B, events: [buy]}\n"
    )
    (tmp_path / "e.csv").write_text(
        f"user,event,time,{name}\nu1,page,0,yes\nu2,page,0,no\nu3,view,0,yes\n"
        "u1,buy,60,no\nu2,buy,60,yes\n"
    )
    result = run("measure", tmp_path / "m.journey.yaml", "--events", tmp_path / "e.csv")
    assert result.code == 0, result.err
    steps = json.loads(result.out)["maps"]["m"]["steps"]
    assert (steps["a"]["reached"], steps["b"]["reached"], steps["b"]["funnel"]) == (1, 2, 1)


@pytest.mark.parametrize(
    ("name", "value", "reached"), [("event", "page", 2), ("user", "u1", 1), ("time", "60", 1)]
)
def test_a_where_on_the_user_event_or_time_column_itself(
    tmp_path: Path, name: str, value: str, reached: int
) -> None:
    (tmp_path / "m.journey.yaml").write_text(
        "journeymap: 1\ntitle: W\nstages:\n  - id: s\n    name: S\n    steps:\n"
        f"      - {{id: a, name: A, events: [{{name: page, where: {{{name}: '{value}'}}}}]}}\n"
    )
    (tmp_path / "e.csv").write_text("user,event,time\nu1,page,60\nu2,page,0\nu3,view,60\n")
    result = run("measure", tmp_path / "m.journey.yaml", "--events", tmp_path / "e.csv")
    assert result.code == 0, result.err
    assert json.loads(result.out)["maps"]["m"]["steps"]["a"]["reached"] == reached


def test_by_a_column_named_like_an_internal_column(tmp_path: Path) -> None:
    map_path = setup_map(tmp_path)
    (tmp_path / "e.csv").write_text(
        "user,event,time,segment\nu1,view,0,pro\nu1,cart,60,pro\nu2,view,0,free\n"
    )
    result = run("measure", map_path, "--events", tmp_path / "e.csv", "--by", "segment")
    assert result.code == 0, result.err
    segments = json.loads(result.out)["maps"]["ref"]["segments"]
    assert segments["pro"]["steps"]["b"]["funnel"] == 1
    assert segments["free"]["steps"]["b"]["funnel"] == 0


def test_csv_values_are_compared_as_written(tmp_path: Path) -> None:
    """DuckDB's CSV reader would read `yes` as true and `007` as 7: users and properties stay
    text."""
    (tmp_path / "m.journey.yaml").write_text(
        "journeymap: 1\ntitle: W\nstages:\n  - id: s\n    name: S\n    steps:\n"
        "      - {id: a, name: A, events: [{name: page, where: {flag: 'yes'}}]}\n"
    )
    (tmp_path / "e.csv").write_text(
        "user,event,time,flag\n007,page,0,yes\n7,page,0,yes\n8,page,0,no\n"
    )
    result = run("measure", tmp_path / "m.journey.yaml", "--events", tmp_path / "e.csv")
    assert result.code == 0, result.err
    assert json.loads(result.out)["maps"]["m"]["steps"]["a"]["reached"] == 2


@pytest.mark.parametrize("text", ["a", "it's", 'we"ird', "back\\slash", "new\nline", "é ✓"])
def test_quoting_is_the_same_as_sqlglots(text: str) -> None:
    from sqlglot import exp

    from journeymap.measure.sqltext import ident, literal

    assert ident(text) == exp.to_identifier(text, quoted=True).sql(dialect="duckdb")
    assert literal(text) == exp.Literal.string(text).sql(dialect="duckdb")


def test_duckdb_closes_on_another_thread_and_leaves_no_spill_folder(tmp_path: Path) -> None:
    """The connection closes on a thread (freeing DuckDB's memory need not hold up the
    metrics); its spill folder is gone at once, and the connection is closed once the closing
    threads are done, as they are before the interpreter finalizes."""
    import duckdb

    from journeymap.measure.engines import duckdb as engine_module

    engine = engine_module.DuckDBEngine()
    folder = Path(engine._spill.name)
    assert folder.is_dir()
    engine.close()
    assert not folder.exists()
    engine_module._wait_for_closing()
    with pytest.raises(duckdb.ConnectionException):
        engine.con.execute("SELECT 1")


def test_duckdb_starts_while_the_maps_are_read_and_the_engine_takes_that_connection(
    tmp_path: Path,
) -> None:
    """`measure` opens DuckDB on another thread first (`start_early`); the engine then uses
    that connection, with journeymap's settings, and the switch interval is as before."""
    import sys

    from journeymap.measure.engines import duckdb as engine_module

    interval = sys.getswitchinterval()
    engine_module.start_early()
    started = engine_module._starting[0][1]
    engine = engine_module.DuckDBEngine("300MB")
    assert engine_module._starting == []
    assert sys.getswitchinterval() == interval
    assert engine.con is started[1]
    settings = dict(
        engine.con.execute(
            "SELECT name, value FROM duckdb_settings() WHERE name IN "
            "('TimeZone', 'preserve_insertion_order', 'memory_limit')"
        ).fetchall()
    )
    assert settings["TimeZone"] == "UTC"
    assert settings["preserve_insertion_order"] == "false"
    assert settings["memory_limit"].startswith(("286", "300"))  # MiB or MB
    engine.close()


@pytest.mark.parametrize("bad", [("--window", "soon"), ("--path", "a,nowhere")])
def test_a_run_that_stops_before_its_query_closes_the_early_connection(
    tmp_path: Path, bad: tuple[str, str]
) -> None:
    import sys

    from journeymap.measure.engines import duckdb as engine_module

    interval = sys.getswitchinterval()
    events, _ = random_log(5)
    write_csv(tmp_path / "events.csv", events, EVENTS_HEADER)
    result = run("measure", setup_map(tmp_path), "--events", tmp_path / "events.csv", *bad)
    assert result.code == 2, result.out
    assert engine_module._starting == []
    assert sys.getswitchinterval() == interval
    engine_module._wait_for_closing()  # the early connection was handed to a closing thread
    assert all(not closer.is_alive() for closer in engine_module._closing)


def test_the_executable_exits_without_waiting_and_leaves_nothing_in_tmpdir(
    tmp_path: Path,
) -> None:
    events, _ = random_log(5)
    map_path = setup_map(tmp_path)
    write_csv(tmp_path / "events.csv", events, EVENTS_HEADER)
    temp = tmp_path / "tmp"
    temp.mkdir()
    out = tmp_path / "metrics.json"
    args = ("measure", map_path, "--events", tmp_path / "events.csv")
    result = run_process(*args, "-o", out, env={"TMPDIR": str(temp)})
    assert result.code == 0, result.err
    assert json.loads(out.read_text())["maps"]["ref"]["steps"]
    assert out.read_text() == run(*args).out
    assert list(temp.iterdir()) == []


def test_a_median_time_kpi_across_steps_adds_median_seconds_from(tmp_path: Path) -> None:
    """A `median-time` KPI from a step that is not the previous one: the median time from that
    step (`from`, or by default the path's first) to the KPI's step, among the users who got
    there. u1: a 0, b 10, c 30, d 100; u2: a 0, b 20, c 50, d 300."""
    kpis = (
        "{id: c, name: C, events: [pay], kpis: [{name: To pay, measure: median-time}]}",
        "{id: d, name: D, events: [done], feedback: [{method: nps, survey: done_nps}], "
        "kpis: [{name: To done, measure: median-time, from: b}]}",
    )
    text = MAP.replace("{id: c, name: C, events: [pay]}", kpis[0])
    text = text.replace(
        "{id: d, name: D, events: [done], feedback: [{method: nps, survey: done_nps}]}", kpis[1]
    )
    assert text.count("median-time") == 2
    events = [
        (user, event, t)
        for user, times in (("u1", (0, 10, 30, 100)), ("u2", (0, 20, 50, 300)))
        for event, t in zip(("view", "cart", "pay", "done"), times, strict=True)
    ]
    (tmp_path / "ref.journey.yaml").write_text(text, encoding="utf-8")
    write_csv(tmp_path / "events.csv", events, EVENTS_HEADER)
    result = run("measure", tmp_path / "ref.journey.yaml", "--events", tmp_path / "events.csv")
    assert result.code == 0, result.err
    got = json.loads(result.out)["maps"]["ref"]["steps"]
    assert got["c"]["median_seconds_from"] == {"a": 40}  # 30 and 50
    assert got["d"]["median_seconds_from"] == {"b": 185}  # 90 and 280
    assert "median_seconds_from" not in got["b"]
    assert got["d"]["median_seconds"] == 160  # from c: 70 and 250
