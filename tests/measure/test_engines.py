"""DuckDB, PostgreSQL and Spark give byte-identical metrics.json for the same logs."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import run, run_process

from .engines import postgres_server
from .reference import HAND, random_log, write_csv
from .test_measure import ANSWERS_HEADER, EVENTS_HEADER, setup_map

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def postgres() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two random logs (with a `plan` property for --by) and the DuckDB metrics of each."""
    folder = tmp_path_factory.mktemp("logs")
    setup_map(folder)
    for seed in (21, 22):
        events, answers = random_log(seed, users=150)
        plans = ["free", "pro", ""]
        rows = [(u, e, plans[int(u[1:]) % 3], t) for u, e, t in events]
        write_csv(folder / f"events{seed}.csv", rows, "user,event,plan,time")
        write_csv(folder / f"answers{seed}.csv", answers, ANSWERS_HEADER)
    return folder


ARGS = {"plain": [], "by": ["--by", "plan"], "since": ["--since", "2026-10-05", "--window", "3d"]}


def log_args(logs: Path, seed: int) -> list[str | Path]:
    """`measure` on the map and the random log of `seed` (events and answers)."""
    events, answers = logs / f"events{seed}.csv", logs / f"answers{seed}.csv"
    return ["measure", logs / "ref.journey.yaml", "--events", events, "--responses", answers]


def duckdb_metrics(logs: Path, seed: int, variant: str) -> str:
    result = run(*log_args(logs, seed), *ARGS[variant])
    assert result.code == 0, result.err
    return result.out


def load_postgres(url: str, logs: Path, seed: int) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f"DROP TABLE IF EXISTS events{seed}, answers{seed}")
        # Events with a real timestamp column, answers with times as text: both are read.
        con.execute(
            f'CREATE TABLE events{seed} ("user" TEXT, event TEXT, plan TEXT, time TIMESTAMPTZ)'
        )
        con.execute(
            f'CREATE TABLE answers{seed} ("user" TEXT, survey TEXT, score INTEGER, time TEXT)'
        )
        for table in (f"events{seed}", f"answers{seed}"):
            text = (logs / f"{table}.csv").read_text()
            with con.cursor().copy(f"COPY {table} FROM STDIN (FORMAT csv, HEADER true)") as copy:
                copy.write(text)


@pytest.mark.parametrize("variant", sorted(ARGS))
@pytest.mark.parametrize("seed", [21, 22])
def test_postgresql_gives_the_same_bytes(
    postgres: str, logs: Path, seed: int, variant: str
) -> None:
    load_postgres(postgres, logs, seed)
    result = run(
        "measure",
        logs / "ref.journey.yaml",
        "--engine",
        postgres,
        "--events",
        f"events{seed}",
        "--responses",
        f"answers{seed}",
        *ARGS[variant],
    )
    assert result.code == 0, result.err
    assert result.out == duckdb_metrics(logs, seed, variant)


def test_postgresql_errors_name_the_table_and_column(postgres: str, logs: Path) -> None:
    import psycopg

    with psycopg.connect(postgres, autocommit=True) as con:
        con.execute("DROP TABLE IF EXISTS bad")
        con.execute('CREATE TABLE bad ("user" TEXT, event TEXT, time TEXT)')
        con.execute("INSERT INTO bad VALUES ('u1', 'view', '2026-10-01'), ('u2', 'view', 'soon')")
    cases = [
        ("bad", "table bad: column 'time': cannot read 'soon' as a time"),
        ("missing_table", 'table missing_table: relation "missing_table" does not exist'),
    ]
    for table, message in cases:
        result = run("measure", logs / "ref.journey.yaml", "--engine", postgres, "--events", table)
        assert result.code == 2
        assert message in result.err, result.err
    with psycopg.connect(postgres, autocommit=True) as con:
        con.execute("DROP TABLE IF EXISTS bad_answers")
        con.execute('CREATE TABLE bad_answers ("user" TEXT, survey TEXT, score INT, time TEXT)')
        con.execute("INSERT INTO bad_answers VALUES ('u1', 'cart_csat', 9, '2026-10-01')")
        con.execute("DROP TABLE IF EXISTS good_events")
        con.execute('CREATE TABLE good_events ("user" TEXT, event TEXT, time TEXT)')
        con.execute("INSERT INTO good_events VALUES ('u1', 'view', '2026-10-01')")
    result = run(
        "measure",
        logs / "ref.journey.yaml",
        "--engine",
        postgres,
        "--events",
        "good_events",
        "--responses",
        "bad_answers",
    )
    assert result.code == 2
    assert "table bad_answers" in result.err and "'score'" in result.err, result.err
    assert "9" in result.err, result.err
    result = run(
        "measure",
        logs / "ref.journey.yaml",
        "--engine",
        "postgresql://nobody@127.0.0.1:1/none",
        "--events",
        "x",
    )
    assert result.code == 2
    assert "cannot connect to PostgreSQL" in result.err


QUOTED_MAP = """journeymap: 1
id: quote
title: Quotes
stages:
  - id: s
    name: S
    steps:
      - id: a
        name: A
        events: ["a\\\\'", x]
      - id: b
        name: B
        events: ["b\\\\') OR (1=1"]
"""


def test_postgresql_reads_a_backslash_in_a_name_as_text_with_standard_strings_off(
    postgres: str, tmp_path: Path
) -> None:
    """A server, database or role may turn `standard_conforming_strings` off; a backslash in a
    map's event name must still be text, not an escape that ends the quoted name early."""
    import psycopg

    (tmp_path / "q.journey.yaml").write_text(QUOTED_MAP)
    (tmp_path / "q.csv").write_text(
        "user,event,time\nu1,a\\',2026-10-01T00:00:00\n"
        "u1,b\\') OR (1=1,2026-10-01T00:01:00\nu2,zzz,2026-10-01T00:02:00\n"
    )
    with psycopg.connect(postgres, autocommit=True) as con:
        con.execute("DROP TABLE IF EXISTS quoted")
        con.execute('CREATE TABLE quoted ("user" TEXT, event TEXT, time TEXT)')
        with con.cursor().copy("COPY quoted FROM STDIN (FORMAT csv, HEADER true)") as copy:
            copy.write((tmp_path / "q.csv").read_text())
    off = postgres + ("&" if "?" in postgres else "?")
    off += "options=-c%20standard_conforming_strings%3Doff"
    expected = run("measure", tmp_path / "q.journey.yaml", "--events", tmp_path / "q.csv")
    assert expected.code == 0, expected.err
    assert '"funnel": 1' in expected.out and '"median_seconds": 60' in expected.out
    result = run("measure", tmp_path / "q.journey.yaml", "--engine", off, "--events", "quoted")
    assert (result.code, result.err) == (0, "")
    assert result.out == expected.out


ZONES_MAP = """journeymap: 1
id: zones
title: Zones
stages:
  - id: s
    name: S
    steps:
      - {id: a, name: A, events: [go]}
      - {id: b, name: B, events: [buy]}
      - {id: c, name: C, events: [pay]}
"""
# Times with a zone's name (docs/measure.md: read too, the same on every engine).
ZONES_CSV = (
    "user,event,time\nu1,go,2026-10-01T00:00:00Z\nu1,buy,2026-10-01T10:00:00 Europe/Paris\n"
    "u1,pay,2026-10-01 10:00:00 UTC\nu2,go,2026-10-01T00:00:00+02:00\n"
    "u2,buy,2026-10-01T10:00:00 EST\nu2,pay,2026-10-02T00:00:00.5Z\n"
    # more than six digits of a second: cut to microseconds (PostgreSQL would round it)
    "u3,go,2026-10-01T00:00:00Z\nu3,buy,2026-10-01T00:00:00.9999995Z\n"
)
# Text each engine's own parser reads, and not the others alike (PostgreSQL: `now` changes
# with every run, `01/02/2026` with the server's DateStyle): refused by all three.
NOT_ISO = ["now", "epoch", "01/02/2026", "October 20 2026", "2026-10-01T10:00:00+25:00"]


def test_postgresql_reads_times_with_a_zone_s_name_as_duckdb_does(
    postgres: str, tmp_path: Path
) -> None:
    import psycopg

    (tmp_path / "z.journey.yaml").write_text(ZONES_MAP)
    (tmp_path / "z.csv").write_text(ZONES_CSV)
    with psycopg.connect(postgres, autocommit=True) as con:
        con.execute("DROP TABLE IF EXISTS zones")
        con.execute('CREATE TABLE zones ("user" TEXT, event TEXT, time TEXT)')
        with con.cursor().copy("COPY zones FROM STDIN (FORMAT csv, HEADER true)") as copy:
            copy.write(ZONES_CSV)
    expected = run("measure", tmp_path / "z.journey.yaml", "--events", tmp_path / "z.csv")
    assert expected.code == 0, expected.err
    # u1: 10:00 in Paris is 08:00Z, 8 h after going; u2: 10:00 EST is 15:00Z, 17 h after;
    # u3: 0.999999 s
    assert '"median_seconds": 28800,' in expected.out
    result = run("measure", tmp_path / "z.journey.yaml", "--engine", postgres, "--events", "zones")
    assert (result.code, result.err) == (0, "")
    assert result.out == expected.out
    for value in NOT_ISO:
        with psycopg.connect(postgres, autocommit=True) as con:
            con.execute("DELETE FROM zones WHERE event = 'pay'")
            con.execute("INSERT INTO zones VALUES ('u1', 'pay', %s)", (value,))
        result = run(
            "measure", tmp_path / "z.journey.yaml", "--engine", postgres, "--events", "zones"
        )
        assert result.code == 2 and f"cannot read {value!r} as a time" in result.err, value


def test_postgresql_names_a_bad_score_as_duckdb_does(postgres: str, tmp_path: Path) -> None:
    """A text score that is no number stopped the query in PostgreSQL's words, naming no
    column; a NUMERIC score was shown as Decimal('9.000000')."""
    import psycopg

    (tmp_path / "s.journey.yaml").write_text(
        ZONES_MAP.replace("events: [go]}", "events: [go], feedback: [{method: csat, survey: q}]}")
    )
    (tmp_path / "e.csv").write_text("user,event,time\nu1,go,0\n")
    events = ("--events", tmp_path / "e.csv")
    for kind, value, says in (
        ("TEXT", "four", "column 'score': 'four' is not a score"),
        ("NUMERIC", "9", "column 'score': score '9' of survey 'q' is outside csat's range 1-5"),
    ):
        with psycopg.connect(postgres, autocommit=True) as con:
            con.execute("DROP TABLE IF EXISTS answers")
            con.execute(f'CREATE TABLE answers ("user" TEXT, survey TEXT, score {kind}, time TEXT)')
            con.execute("INSERT INTO answers VALUES ('u1', 'q', %s, '0')", (value,))
        direct = tmp_path / "a.csv"
        direct.write_text(f"user,survey,score,time\nu1,q,{value},0\n")
        on_file = run("measure", tmp_path / "s.journey.yaml", *events, "--responses", direct)
        assert on_file.code == 2 and f"a.csv:2: {says}" in on_file.err, on_file.err
        with psycopg.connect(postgres, autocommit=True) as con:
            con.execute("DROP TABLE IF EXISTS ev")
            con.execute('CREATE TABLE ev ("user" TEXT, event TEXT, time TEXT)')
            con.execute("INSERT INTO ev VALUES ('u1', 'go', '0')")
        result = run(
            "measure",
            tmp_path / "s.journey.yaml",
            "--engine",
            postgres,
            "--events",
            "ev",
            "--responses",
            "answers",
        )
        assert result.code == 2 and f"table answers: {says}" in result.err, result.err


@pytest.fixture(scope="module")
def hand_logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-computed logs of test_measure.py, as CSV files."""
    folder = tmp_path_factory.mktemp("hand")
    setup_map(folder)
    for name, case in HAND.items():
        write_csv(folder / f"events_{_table(name)}.csv", case.events, EVENTS_HEADER)
        if case.answers is not None:
            write_csv(folder / f"answers_{_table(name)}.csv", case.answers, ANSWERS_HEADER)
    return folder


def _table(name: str) -> str:
    return name.replace("-", "_")


def hand_run(folder: Path, name: str, *engine: str, tables: bool = False) -> str:
    case, table = HAND[name], _table(name)
    source = (
        (lambda kind: f"{kind}_{table}")
        if tables
        else (lambda kind: str(folder / f"{kind}_{table}.csv"))
    )
    answers = ["--responses", source("answers")] if case.answers is not None else []
    result = run(
        "measure",
        folder / "ref.journey.yaml",
        *engine,
        "--events",
        source("events"),
        *answers,
        *case.args,
    )
    assert result.code == 0, (name, result.err)
    return result.out


def test_postgresql_gives_the_same_bytes_on_the_hand_computed_logs(
    postgres: str, hand_logs: Path
) -> None:
    import psycopg

    with psycopg.connect(postgres, autocommit=True) as con:
        for name, case in HAND.items():
            table = _table(name)
            con.execute(f"DROP TABLE IF EXISTS events_{table}, answers_{table}")
            con.execute(f'CREATE TABLE events_{table} ("user" TEXT, event TEXT, time TEXT)')
            con.execute(
                f'CREATE TABLE answers_{table} ("user" TEXT, survey TEXT, score INTEGER, time TEXT)'
            )
            for kind in ("events", "answers") if case.answers is not None else ("events",):
                text = (hand_logs / f"{kind}_{table}.csv").read_text()
                copy = f"COPY {kind}_{table} FROM STDIN (FORMAT csv, HEADER true)"
                with con.cursor().copy(copy) as sink:
                    sink.write(text)
    for name in HAND:
        expected = hand_run(hand_logs, name)
        assert hand_run(hand_logs, name, "--engine", postgres, tables=True) == expected, name


# Spark starts a JVM (half a minute or more on a busy 2-core machine): one session for the
# module, which the engine uses and leaves running, and a few tests that each run many logs.
@pytest.fixture(scope="module")
def spark() -> Iterator[None]:
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", "python3")
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("journeymap-tests")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.ansi.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield
    session.stop()


def test_spark_gives_the_same_bytes_on_the_hand_computed_logs(spark: None, hand_logs: Path) -> None:
    for name in HAND:
        assert hand_run(hand_logs, name, "--engine", "spark") == hand_run(hand_logs, name), name
    # The CTEs computed once for each query are gone with it: nothing piles up in the session.
    from pyspark.sql import SparkSession

    session = SparkSession.getActiveSession()
    assert session is not None
    left = [t.name for t in session.catalog.listTables() if t.name.startswith("jm_cte_")]
    assert left == []


def test_spark_reports_its_progress_stage_by_stage(spark: None, hand_logs: Path) -> None:
    from journeymap.measure.engines.spark import SparkEngine

    engine = SparkEngine("spark")
    sql = "WITH a AS (SELECT 1 AS x), b AS (SELECT x FROM a UNION ALL SELECT x FROM a) "
    ticks: list[float] = []
    assert engine.query(sql + "SELECT COUNT(*) FROM b JOIN a ON a.x = b.x", ticks.append) == [(2,)]
    assert ticks == [50.0]  # `a`, named twice, kept first: one stage of two


# The plain path is the hand-computed logs'; --by and --since/--window take the others.
@pytest.mark.parametrize("variant", ["by", "since"])
def test_spark_gives_the_same_bytes_on_a_random_log(spark: None, logs: Path, variant: str) -> None:
    result = run(*log_args(logs, 21), "--engine", "spark", *ARGS[variant])
    assert result.code == 0, result.err
    assert result.out == duckdb_metrics(logs, 21, variant)


TV_VIEW_MAP = """\
journeymap: 1
id: shop
title: Shop
stages:
  - id: buy
    name: Buy
    steps:
      - {id: views, name: Views, events: ['view "5" tv']}
      - {id: pays, name: Pays, events: [pay]}
"""


def test_spark_reads_csv_files_as_duckdb_does(spark: None, tmp_path: Path) -> None:
    """Quotes written twice inside a quoted field, a quoted field over two lines, a semicolon
    file: Spark's defaults read the first as other text (no user reached the step), the second
    as two rows and the third as one column; a field too many it dropped without a word."""
    (tmp_path / "m.journey.yaml").write_text(TV_VIEW_MAP)
    (tmp_path / "e.csv").write_text(
        'user;event;time;note\nu1;"view ""5"" tv";0;"two\nlines"\nu1;pay;5;\n'
        'u2;"view ""5"" tv";1;\n'
    )
    args = ("measure", tmp_path / "m.journey.yaml", "--events", tmp_path / "e.csv", "--no-cache")
    duckdb = run(*args)
    assert duckdb.code == 0 and '"reached": 2,' in duckdb.out, duckdb.err
    assert run(*args, "--engine", "spark").out == duckdb.out
    (tmp_path / "z.journey.yaml").write_text(ZONES_MAP)
    (tmp_path / "z.csv").write_text(ZONES_CSV)
    zones = ("measure", tmp_path / "z.journey.yaml", "--events", tmp_path / "z.csv")
    assert run(*zones, "--engine", "spark").out == run(*zones).out
    for value in NOT_ISO:
        (tmp_path / "n.csv").write_text(f'user,event,time\nu1,go,0\nu1,pay,"{value}"\n')
        bad = ("measure", tmp_path / "z.journey.yaml", "--events", tmp_path / "n.csv")
        for engine in ("duckdb", "spark"):  # with its line on both (Spark says no line)
            result = run(*bad, "--engine", engine)
            said = f"{tmp_path / 'n.csv'}:3: column 'time': cannot read {value!r} as a time"
            assert result.code == 2 and said in result.err, (engine, result.err)
    # A glob of files with other separators and columns in another order: Spark read them all
    # by the first file's separator and by position.
    (tmp_path / "g").mkdir()
    (tmp_path / "g" / "1.csv").write_text("user,event,time\nu1,go,0\nu2,go,1\nu3,go,2\n")
    (tmp_path / "g" / "2.csv").write_text("event;user;time\nbuy;u1;5\nbuy;u2;6\n")
    (tmp_path / "g" / "3.csv").write_text("time,event,user\n9,pay,u1\n")
    glob = ("measure", tmp_path / "z.journey.yaml", "--events", str(tmp_path / "g" / "*.csv"))
    expected = run(*glob)
    assert expected.code == 0 and '"funnel": 2,' in expected.out, expected.err
    assert run(*glob, "--engine", "spark").out == expected.out
    (tmp_path / "e.csv").write_text("user,event,time\nu1,pay,0\nu2,pay,5,x\n")
    spark_run = run(*args, "--engine", "spark")
    assert spark_run.code == 2
    assert spark_run.err == (
        f"journeymap: error: {tmp_path / 'e.csv'}:3: 4 fields where the header has 3: quote a "
        'field that holds a comma ("a, b")\n'
    )
    # Lines ending in two ways: DuckDB cannot read the file; Spark could, and must not.
    (tmp_path / "e.csv").write_bytes(b"user,event,time\r\nu1,pay,0\r\nu2,pay,5\n")
    for engine in ("duckdb", "spark"):
        result = run(*args, "--engine", engine)
        assert result.code == 2, (engine, result.out)
        assert f"{tmp_path / 'e.csv'}:3: this line ends with LF" in result.err, result.err


def test_spark_started_by_the_command_keeps_the_terminal_quiet(logs: Path) -> None:
    """`--engine spark` starting its own JVM (local mode): the same bytes, and on stderr none of
    Spark's start-up notices (log4j's profile, the log level, native Hadoop, the host name)
    nor PySpark's warning about pandas. The one line the JVM itself prints for the vector
    module Spark asks it to load is not Spark's logging to quiet."""
    result = run_process(*log_args(logs, 21), "--engine", "spark", timeout=900)
    assert result.code == 0, result.err
    assert result.out == duckdb_metrics(logs, 21, "plain")
    jvm = "WARNING: Using incubator modules: jdk.incubator.vector"
    assert [line for line in result.err.splitlines() if line != jvm] == []
