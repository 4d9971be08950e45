"""Event logs and answers as real exports write them: what DuckDB would guess from a file's
first rows must not change the figures of its later ones, and a file it cannot read is named
with its line (a trial of edge cases found each of these)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import run

MAP = (
    "journeymap: 1\nid: m\ntitle: M\nstages:\n  - id: s\n    name: S\n    steps:\n"
    "      - {id: a, name: A, events: [go]}\n"
    "      - {id: b, name: B, events: [buy], feedback: [{method: csat, survey: cs}]}\n"
)
WHERE = MAP.replace("[buy]", "[buy, {name: click, where: {button: add}}]")
# 25,000 rows of another event before the rows that count: past the 20,480 DuckDB samples.
NOISE = 25_000


def measure(
    tmp_path: Path, name: str, text: str | bytes, *args: str, map_text: str = MAP
) -> tuple[int, str, dict]:
    (tmp_path / "m.journey.yaml").write_text(map_text)
    (tmp_path / name).write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    result = run("measure", tmp_path / "m.journey.yaml", "--events", tmp_path / name, *args)
    return result.code, result.err, json.loads(result.out) if result.code == 0 else {}


def b_of(doc: dict) -> tuple[int, float | None]:
    step = doc["maps"]["m"]["steps"]["b"]
    return step["funnel"], step["median_seconds"]


@pytest.mark.parametrize(
    ("noise_time", "go", "buy", "median"),
    [
        # an offset after times without one: it was dropped (05:00+05:00 read as 05:00)
        ("2026-01-01 00:00:00", "2026-01-01T05:00:00+05:00", "2026-01-01T00:01:00Z", 60),
        # a fraction after whole seconds: it was rounded (61)
        ("1767225600", "1767225600", "1767225660.5", 60.5),
        # a time of day after dates: it was cut to the date (0)
        ("2026-01-01", "2026-01-01T00:00:00", "2026-01-01T00:01:00", 60),
        # seconds after ISO times, both allowed: it was a conversion error
        ("2026-01-01T00:00:00Z", "1767225600", "2026-01-01T00:01:00Z", 60),
        # seconds written with an exponent
        ("1767225600", "1.7672256E+09", "1.76722566e9", 60),
    ],
)
def test_later_times_are_read_as_written_not_as_the_first_rows_guessed(
    tmp_path: Path, noise_time: str, go: str, buy: str, median: float
) -> None:
    rows = [f"x{i},zz,{noise_time}" for i in range(NOISE)]
    text = "\n".join(["user,event,time", *rows, f"u1,go,{go}", f"u1,buy,{buy}"]) + "\n"
    code, err, doc = measure(tmp_path, "e.csv", text)
    assert code == 0, err
    assert b_of(doc) == (1, median)


def test_a_score_after_whole_scores_is_checked_not_rounded(tmp_path: Path) -> None:
    answers = ["user,survey,score,time"]
    answers += [f"x{i},cs,5,2026-01-01T00:00:00Z" for i in range(NOISE)]
    (tmp_path / "r.csv").write_text("\n".join([*answers, "u1,cs,4.5,2026-01-01T00:00:00Z"]))
    code, err, _ = measure(
        tmp_path, "e.csv", "user,event,time\nu1,go,0\n", "--responses", str(tmp_path / "r.csv")
    )
    assert code == 2
    assert f"r.csv:{NOISE + 2}: column 'score': score '4.5' is not a whole number" in err


def test_day_first_dates_are_not_iso_and_are_refused(tmp_path: Path) -> None:
    """DuckDB guessed `%d/%m/%Y` for a whole file of them: 01/02 was read as 1 February."""
    text = "user,event,time\nu1,go,01/02/2026 00:00:00\nu1,buy,01/03/2026 00:00:00\n"
    code, err, _ = measure(tmp_path, "e.csv", text)
    assert code == 2
    assert "e.csv:2: column 'time': cannot read '01/02/2026 00:00:00' as a time" in err


def test_json_lines_mixing_numbers_and_text_in_a_column(tmp_path: Path) -> None:
    """One number in a column made DuckDB type it JSON, and its text kept JSON's quotes: no
    event matched, a `where` on a property failed, --by segments read '"pro"'."""
    lines = [
        {"user": "u1", "event": "go", "time": "2026-01-01T00:00:00Z", "plan": "pro"},
        {"user": "u1", "event": "buy", "time": "2026-01-01T00:01:00Z", "plan": "pro"},
        {"user": 7, "event": "go", "time": 1767225600, "plan": 3},
        {"user": "7", "event": "click", "time": 1767225630.5, "plan": 3, "button": "add"},
        {"user": "u9", "event": 404, "time": "2026-01-01T00:00:00Z", "button": 3},
    ]
    text = "".join(json.dumps(line) + "\n" for line in lines)
    code, err, doc = measure(tmp_path, "e.jsonl", text, "--by", "plan", map_text=WHERE)
    assert code == 0, err
    assert b_of(doc) == (2, 45.25)
    assert sorted(doc["maps"]["m"]["segments"]) == ["3", "pro"]


@pytest.mark.parametrize(
    ("name", "text", "says"),
    [
        ("e.csv", "", "e.csv: the file is empty (not even a header line)"),
        ("e.jsonl", "", "e.jsonl: the file is empty (not one line)"),
        ("e.jsonl", "\n\n", "e.jsonl: the file has no JSON line (only blank lines)"),
        # DuckDB reads a file with a line that is not an object as one column, `json`
        (
            "e.jsonl",
            '{"user":"u1","event":"go","time":0}\n\n"hello"\n',
            "e.jsonl:3: text, not a JSON object: one object per line, such as {",
        ),
        ("e.jsonl", '[1, 2]\n{"user":"u1","event":"go","time":0}\n', "e.jsonl:1: an array, not"),
        # DuckDB's own words for the first; the second it renamed `User_1` without a word
        (
            "e.jsonl",
            '{"user":"u1","event":"go","time":0}\n{"user":"u1","event":"go","time":5,"user":"u2"}\n',
            "e.jsonl:2: the object names the key 'user' twice: rename one",
        ),
        # on two lines: DuckDB reads `User` as another column, `User_1`, and u2 has no user
        (
            "e.jsonl",
            '{"user":"u1","event":"go","time":0}\n{"User":"u2","event":"go","time":5}\n',
            "e.jsonl:2: the key 'User' is spelled 'user' at ",
        ),
        (
            "e.csv",
            "user;event;time;Event\nu1;go;0;x\n",
            "e.csv:1: the header names the column 'event' twice ('event' and 'Event'): rename",
        ),
        # past DuckDB's sample: its own error, told with the file's separator
        (
            "e.csv",
            "user;event;time\n" + "u1;go;0\n" * 30000 + "u2;go\n",
            "e.csv:30002: 2 fields where the header has 3: a value is missing (an empty one is "
            "written as nothing between two semicolons)",
        ),
        # a quote never closed with more than the csv module's field limit after it
        (
            "e.csv",
            'user,event,time\nu1,"go,0\n' + "u2,buy,5\n" * 20000,
            "e.csv:2: a quote opens a field on this line and is never closed",
        ),
        (
            "e.jsonl",
            '{"user":"u1","User":"x","event":"go","time":0}\n',
            "e.jsonl:1: the object names the key 'user' twice ('user' and 'User'): rename one",
        ),
        ("e.csv", "user,event,time,event\nu1,go,0,x\n", "e.csv:1: the header names the column"),
        (
            "e.csv",
            "user,Event,time,event\nu1,go,0,x\n",
            "e.csv:1: the header names the column 'event' twice ('Event' and 'event'): rename",
        ),
        # a semicolon file with a column missing: that is the error, not a made-up line
        (
            "e.csv",
            "user;event;ts;price\nu1;go;0;4,5\n",
            "e.csv: no column 'time' (did you mean 'ts'?) (the time column; if yours has "
            'another name, map it in the configuration: [measure] columns = {time = "ts"})',
        ),
        (
            "e.csv",
            'user,event,time\nu1,go,0\nu1,"buy \\"now\\"",60\nu1,buy,60\n',
            'e.csv:3: a quote inside a quoted field is written \\" (a backslash before it)',
        ),
        (
            "e.csv",
            "user,event,time\nu1,go,0\nu1,buy,60,x\n",
            "e.csv:3: 4 fields where the header has 3",
        ),
        ("e.csv", b"user,event,time\nZo\xeb,go,0\n", "e.csv:2: not UTF-8 text: save the file"),
        (
            "e.csv",
            "user,event,time\nu1,go,0\nu2,go\n",
            "e.csv:3: 2 fields where the header has 3: a value is missing (an empty one is "
            "written as nothing between two commas)",
        ),
        # DuckDB would take the line for a comment, and skip user #u1's events with it
        (
            "e.csv",
            "user,event,time\n#u1,go,0\nu2,go,1\n# exported by hand\nu3,buy,2\n",
            "e.csv:4: 1 field where the header has 3: CSV has no comment lines; delete it",
        ),
        # DuckDB would skip the first line as a preamble, and number every line one short
        (
            "e.csv",
            "exported 2026-12-01\nuser,event,time\nu1,go,0\nu2,go,x\n",
            "e.csv:1: the header must be the first line, and line 2 looks like it "
            "('user,event,time'): delete the line above it",
        ),
        (
            "e.csv",
            "user;event;time\nu1;go;0\nu2;go;5;8\nu3;buy;7\n",
            "e.csv:3: 4 fields where the header has 3: quote a field that holds a semicolon "
            '("a; b")',
        ),
        (
            "e.tsv",
            "user\tevent\ttime\nu1\tgo\t0\nu2,go,5\n",
            "e.tsv:3: 1 field where the header has 3: this line is split by commas, the header by "
            "tabs",
        ),
        # a row added in another editor: DuckDB could only say it could not guess the layout
        (
            "e.csv",
            b"user,event,time\r\nu1,go,0\r\nu1,buy,yesterday\n",
            "e.csv:3: this line ends with LF (\\n) where the lines above end with CRLF (\\r\\n, "
            "as Windows writes): a file's lines must all end the same way",
        ),
        (
            "e.csv",
            b'user,event,time,note\nu1,go,0,"two\r\nlines"\r\nu1,buy,60,\r\n',
            "e.csv:3: this line ends with CRLF",
        ),
        # DuckDB's own cast reads these; PostgreSQL's and Spark's do not, or otherwise
        ("e.csv", "user,event,time\nu1,go,epoch\n", "e.csv:2: column 'time': cannot read 'epoch'"),
        (
            "e.csv",
            "user,event,time\nu1,go,2026-10-01T10:00:00+25:00\n",
            "e.csv:2: column 'time': cannot read '2026-10-01T10:00:00+25:00' as a time",
        ),
        # not "past the year 10000 (milliseconds?)"
        (
            "e.csv",
            "user,event,time\nu1,go,inf\n",
            "e.csv:2: column 'time': cannot read 'inf' as a time; expected an ISO 8601 time",
        ),
    ],
)
def test_files_that_cannot_be_read_say_where(
    tmp_path: Path, name: str, text: str | bytes, says: str
) -> None:
    code, err, _ = measure(tmp_path, name, text)
    assert code == 2 and says in err, err


@pytest.mark.parametrize(
    ("name", "text", "says"),
    [
        # blank lines and a quoted field over two lines before the bad row: its file line
        (
            "e.csv",
            'user,event,time\nu1,go,0\n\n\nu1,"b\nuy",60\nu1,buy,bad\n',
            "e.csv:7: column 'time': cannot read 'bad' as a time",
        ),
        ("e.csv", "user,event,time\r\nu1,go,0\r\n\r\nu1,buy,bad\r\n", "e.csv:4: column 'time'"),
        # DuckDB counts a quoted field over three lines as one line, and blank lines
        (
            "e.csv",
            'user,event,time\nu1,"a\nb\nc",0\n\nu1,buy,60,x\n',
            "e.csv:6: 4 fields where the header has 3",
        ),
        (
            "e.jsonl",
            '{"user":"u1","event":"go","time":0}\n\n\n{"user":"u1" "event":"buy","time":60}\n',
            "e.jsonl:4:14: not valid JSON (unexpected character)",
        ),
        (
            "e.jsonl",
            '{"user":"u1","event":"go","time":0}\n\n{"user":"u1","event":"buy","time":"bad"}\n',
            "e.jsonl:3: column 'time': cannot read 'bad' as a time",
        ),
        # DuckDB numbers a JSON line one too high, and says it in its own words
        (
            "e.jsonl",
            '{"user":"u1","event":"go","time":0}\n{"user":"u1" "event":"buy","time":60}\n',
            "e.jsonl:2:14: not valid JSON (unexpected character): one JSON object per line",
        ),
    ],
)
def test_a_bad_row_is_named_by_its_line_in_the_file(
    tmp_path: Path, name: str, text: str, says: str
) -> None:
    code, err, _ = measure(tmp_path, name, text)
    assert code == 2 and says in err, err


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("e.csv", "user,event,time,plan\nu1,go,0,pro\n,go,0,pro\nu2,go,0,\n"),
        (
            "e.jsonl",
            '{"user":"u1","event":"go","time":0,"plan":"pro"}\n'
            '{"user":"","event":"go","time":0,"plan":"pro"}\n'
            '{"user":"u2","event":"go","time":0,"plan":""}\n',
        ),
    ],
)
def test_an_empty_user_is_no_user_and_an_empty_by_value_none(
    tmp_path: Path, name: str, text: str
) -> None:
    """The same in every file type: a CSV reader gives NULL for an empty field, JSON (and
    Parquet, and a table) the empty text, which counted as one more user and one more segment."""
    code, err, doc = measure(tmp_path, name, text, "--by", "plan")
    assert code == 0, err
    figures = doc["maps"]["m"]
    assert figures["steps"]["a"]["reached"] == 2
    assert sorted(figures["segments"]) == ["(none)", "pro"]


def test_line_breaks_inside_quotes_may_differ_from_the_lines_ends(tmp_path: Path) -> None:
    """Excel writes a cell's line break as LF inside quotes, and ends its rows with CRLF."""
    text = b'user,event,time,note\r\nu1,go,0,"two\nlines"\r\nu1,buy,60,x\r\n'
    code, err, doc = measure(tmp_path, "e.csv", text)
    assert code == 0, err
    assert b_of(doc) == (1, 60)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        # Excel: a cell's line break LF inside quotes, rows ending CRLF: one kind of ending
        (b'u,e,t,n\r\nu1,go,0,"two\nlines"\r\nu1,buy,60,"a ""q"" b"\r\n', None),
        # the quoted line break still counts as a line for the line named
        (b'u,e,t,n\r\nu1,go,0,"two\nlines"\r\nu1,buy,60,x\n', ":4: this line ends with LF"),
        # a doubled quote inside a quoted field does not end the field
        (b'u,e,t,n\nu1,go,0,"a ""\r\n"" b"\nu1,buy,60,x\r\n', ":4: this line ends with CRLF"),
        # old Macintosh line ends: mac2unix, not dos2unix, converts them
        (
            b"u,e,t\ru1,go,0\ru1,buy,60\n",
            ":3: this line ends with LF (\\n) where the lines above end with CR (\\r)",
        ),
    ],
)
def test_where_the_line_endings_change(tmp_path: Path, text: bytes, says: str | None) -> None:
    from journeymap.measure.engines.common import MeasureError
    from journeymap.measure.engines.lineends import mixed_line_endings

    (tmp_path / "e.csv").write_bytes(text)
    if says is None:
        mixed_line_endings([tmp_path / "e.csv"])
        return
    with pytest.raises(MeasureError) as caught:
        mixed_line_endings([tmp_path / "e.csv"])
    assert says in str(caught.value)
    assert ("mac2unix" if b"\r" in text.replace(b"\r\n", b"") else "dos2unix") in str(caught.value)


@pytest.mark.parametrize("ending", [b"\r\n", b"\r", b"\n"])
def test_line_endings_are_counted_across_blocks(tmp_path: Path, ending: bytes) -> None:
    """Blocks of 1 MiB: a `\\r\\n` or a lone `\\r` split by a block's end is one line end."""
    from journeymap.measure.engines.common import MeasureError
    from journeymap.measure.engines.lineends import mixed_line_endings

    row = b"u1,go,2026-01-01T00:00:00Z"
    rows = 3 * (1 << 20) // (len(row) + len(ending)) + 7
    other = b"\n" if ending != b"\n" else b"\r\n"
    for shift in range(len(row) + len(ending)):  # each place a block's end can fall on
        text = b"u" * shift + ending.join([b"user,event,time", *[row] * rows]) + ending
        (tmp_path / "e.csv").write_bytes(text + b"u2,buy,0" + other)
        with pytest.raises(MeasureError) as caught:
            mixed_line_endings([tmp_path / "e.csv"])
        assert f"e.csv:{rows + 2}: this line ends with" in str(caught.value), shift


def test_a_row_added_past_the_rows_duckdb_samples_is_named(tmp_path: Path) -> None:
    """DuckDB guesses a layout from a file's first 20,480 rows; a CRLF row added below them
    was its bare 'CSV Parser state machine reached an invalid state'."""
    text = "user,event,time\n" + "x,other,0\n" * NOISE + "u1,go,0\nu1,buy,60\r\n"
    code, err, _ = measure(tmp_path, "e.csv", text)
    assert code == 2
    assert f"e.csv:{NOISE + 3}: this line ends with CRLF" in err, err
