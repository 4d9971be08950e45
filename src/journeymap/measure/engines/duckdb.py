"""DuckDB, embedded (the default engine): views over CSV, Parquet and JSON Lines files."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from journeymap.measure.engines.badlines import (
    csv_problem,
    file_line,
    headers,
    json_objects,
    json_problem,
    not_empty,
    renamed,
    strict_csv,
)
from journeymap.measure.engines.common import (
    Columns,
    MeasureError,
    Progress,
    Row,
    Source,
    Tick,
    bad_score_message,
    expand,
    file_format,
    first_line,
    is_number,
    missing_column,
    score_check,
    staging_select,
    time_hint,
)
from journeymap.measure.engines.duckdbread import NUMERIC, duckdb_time, reader, text_of
from journeymap.measure.sqltext import ident, literal


def _said(err: BaseException) -> str:
    """DuckDB's message, with what to do when it ran out of memory."""
    text = first_line(err)
    if "Out of Memory" in text:
        text += " (give it more with --memory-limit, such as 2GB)"
    return text


def _unreadable(err: BaseException, where: str, kind: str | None = None) -> str:
    """The message for a DuckDB error while reading `where`: a CSV or JSON line named by its
    file and line when it is one, else DuckDB's own words (`kind`: the format it was read as)."""
    said = f"cannot read it as {kind}: {_said(err)}" if kind else _said(err)
    return csv_problem(err, where) or json_problem(err) or f"{where}: {said}"


def _extension() -> Any:
    """DuckDB's compiled module. Since DuckDB 1.4 the `duckdb` package is a Python layer (its
    relation API: ~60 ms of a 1.2 s measure to import) over the extension `_duckdb`, which has
    everything this engine calls (`connect`, `execute`, `query_progress`, `interrupt`, the
    errors): `duckdb.connect is _duckdb.connect`. Older releases have no `_duckdb`."""
    import importlib

    try:
        return importlib.import_module("_duckdb")
    except ImportError:
        return importlib.import_module("duckdb")


def _start() -> tuple[Any, Any]:
    """DuckDB's module and a new in-memory connection with journeymap's settings."""
    duckdb = _extension()
    con = duckdb.connect(":memory:")
    con.execute("SET TimeZone = 'UTC'")
    # The queries sort their result themselves: DuckDB may stream and spill freely.
    con.execute("SET preserve_insertion_order = false")
    # DuckDB tracks a query's progress only for a progress line on a terminal (`query`): the
    # tracking costs ~8% of a 10M-event query, and DuckDB itself prints nothing.
    con.execute("SET enable_progress_bar = false")
    con.execute("SET enable_progress_bar_print = false")
    return duckdb, con


# The connection `start_early` is opening: (thread, [module, connection] or [error], the
# interpreter's switch interval before).
_starting: list[tuple[Any, list[Any], float]] = []


def start_early() -> None:
    """Import and start DuckDB on another thread while this one reads the maps and builds the
    query: ~40 ms of a run, most of it in DuckDB's C++ without the GIL. A shorter switch
    interval lets that thread take the GIL back soon for its few Python steps (with the default
    5 ms it would wait for the busy main thread, and finish no sooner); `_take_started`
    restores it. Nothing is written: the spill folder is made when the engine is."""
    import sys
    import threading

    if _starting:
        return
    box: list[Any] = []

    def start() -> None:
        try:
            box.extend(_start())
        except BaseException as err:  # reported when the engine starts again, on its thread
            box.append(err)

    thread = threading.Thread(target=start, name="journeymap-duckdb-start", daemon=True)
    _starting.append((thread, box, sys.getswitchinterval()))
    sys.setswitchinterval(0.0005)
    thread.start()


def _take_started() -> tuple[Any, Any] | None:
    """The connection `start_early` opened (None: none, or it failed, so start again here)."""
    import sys

    if not _starting:
        return None
    thread, box, interval = _starting.pop()
    thread.join()
    sys.setswitchinterval(interval)
    if len(box) != 2:
        return None
    return box[0], box[1]


def discard_started() -> None:
    """Close a connection `start_early` opened that no engine took (another engine was
    configured, or the run stopped before the query)."""
    started = _take_started()
    if started is not None:
        _close_later(started[1])


class DuckDBEngine:
    dialect = "duckdb"
    name = "DuckDB"

    def __init__(self, memory_limit: str | None = None, progress: Progress | None = None) -> None:
        self._duckdb, self.con = _take_started() or _start()
        # Spill files go to the system's temporary folder, not `.tmp` in the user's checkout.
        import tempfile

        self._spill = tempfile.TemporaryDirectory(prefix="journeymap-duckdb-")
        self.con.execute(f"SET temp_directory = {literal(self._spill.name)}")
        if memory_limit:
            try:
                self.con.execute(f"SET memory_limit = {literal(memory_limit)}")
            except self._duckdb.Error as err:
                self.close()
                raise MeasureError(
                    f"--memory-limit {memory_limit!r}: expected a size such as 2GB, 500MB or "
                    f"50% ({_said(err)})"
                ) from None
        self.progress = progress
        self._text: list[str] = []
        self._described: dict[str, str] = {}  # a JSON file's columns and their guessed types
        self._json: list[Path] = []  # the JSON Lines files staged, to name a bad line in

    def _reader(self, files: list[Path], kind: str, lines: bool, text: Sequence[str] = ()) -> str:
        return reader(files, kind, lines=lines, text=text, described=self._described)

    def stage(self, source: Source, columns: Columns) -> None:
        files = expand(source.spec)
        kind = file_format(files, source.spec)
        where = str(files[0]) if len(files) == 1 else source.spec
        if kind != "parquet":
            not_empty(files, kind)
        if kind == "csv":
            headers(files)
        reader = self._reader(files, kind, lines=False)
        try:
            described = self.con.execute(f"DESCRIBE SELECT * FROM {reader}").fetchall()
        except self._duckdb.Error as err:
            self._layout(files, kind)  # DuckDB could not guess the layout: a line breaks it?
            raise MeasureError(_unreadable(err, where, kind)) from None
        types = {str(row[0]): str(row[1]) for row in described}
        try:
            missing_column(source, columns, list(types), where)
        except MeasureError:
            self._layout(files, kind)  # a line that broke DuckDB's guess of the header?
            raise
        if kind == "json":
            self._json += files
            if renamed(list(types)):  # `User` beside `user`: DuckDB named it `User_1`
                json_objects(files)
        roles = ("user", "event") if source.role == "events" else ("user", "survey")
        text = {getattr(columns, role) for role in roles} | set(source.properties)
        if source.by is not None:
            text.add(source.by)
        if kind != "parquet":
            # Times and scores too: DuckDB guesses a CSV or JSON column's type from its first
            # rows and converts later ones to it, silently (an offset dropped, 4.5 rounded).
            text |= {columns.time} | ({columns.score} if source.role != "events" else set())
            self._described = types
            types = {**types, **dict.fromkeys(text, "VARCHAR")}
        self._text = sorted(text)
        reader = self._reader(files, kind, lines=False, text=self._text)
        time = duckdb_time(ident(columns.time), types[columns.time])
        score = ""
        if source.role != "events":
            score = ident(columns.score)
            if not types[columns.score].upper().startswith(NUMERIC):
                score = f"TRY_CAST({score} AS DOUBLE)"
        select = staging_select(source, columns, ident, "VARCHAR", time, score)
        self._check(source, columns, files, kind, types, where)
        view = "jm_events" if source.role == "events" else "jm_responses"
        self.con.execute(f"CREATE OR REPLACE TEMP VIEW {view} AS {select} FROM {reader}")

    def _layout(self, files: list[Path], kind: str) -> None:
        """Name the line of the first CSV file that breaks the layout, or of the first JSON Lines
        file that is not an object, if one does."""
        if kind == "csv":
            strict_csv(files, lambda sql: self.con.execute(sql).fetchall(), self._duckdb.Error)
        elif kind == "json":
            json_objects(files)

    def _check(
        self,
        source: Source,
        columns: Columns,
        files: list[Path],
        kind: str,
        types: dict[str, str],
        where: str,
    ) -> None:
        """Find the first unreadable time (and, for answers, bad score) with its line."""
        reader = self._reader(files, kind, lines=True, text=self._text)
        time_col = ident(columns.time)
        time = duckdb_time(time_col, types[columns.time], strict=True)
        tests = [f"({time}) IS NULL"]
        select = f"{text_of(time_col, types[columns.time])} AS bad_time"
        if source.role == "responses":
            score_col = ident(columns.score)
            score = score_col
            if not types[columns.score].upper().startswith(NUMERIC):
                score = f"TRY_CAST({score_col} AS DOUBLE)"
            survey = f"CAST({ident(columns.survey)} AS VARCHAR)"
            tests.append(
                f"({score}) IS NULL OR {score_check(source.methods, f'({score})', survey)}"
            )
            select += f", {text_of(score_col, types[columns.score])} AS bad_score, "
            select += f"{survey} AS survey, "
            select += f"({time}) IS NULL AS time_bad"
        try:
            row = self._first(reader, select, " OR ".join(f"({t})" for t in tests))
        except self._duckdb.Error as err:
            # Past the rows DuckDB sampled to guess the layout, a line may break it.
            self._layout(files, kind)
            raise MeasureError(_unreadable(err, where, kind)) from None
        if row is None:
            return
        named = {str(path.absolute()): str(path) for path in files}
        real, number = str(row[0]), int(row[1])
        file = named.get(real, real)
        line = f":{file_line(Path(real), kind, number)}" if kind != "parquet" else ""
        at = f" (row {number})" if kind == "parquet" else ""
        if source.role == "events" or row[5]:
            value = row[2]
            shown = "an empty value" if value is None else repr(value)
            raise MeasureError(
                f"{file}{line}: column '{columns.time}'{at}: cannot read {shown} as a time; "
                f"{time_hint(value)}"
            )
        value = row[3]
        if value is None or not is_number(value):
            raise MeasureError(
                f"{file}{line}: column '{columns.score}'{at}: "
                f"{'an empty value' if value is None else repr(value)} is not a score"
            )
        raise MeasureError(
            bad_score_message(str(file), line + at, columns.score, value, row[4], source.methods)
        )

    def _first(self, reader: str, select: str, condition: str) -> Row | None:
        """The first row, in file order and numbered, where `condition` holds (None: none).
        A parallel pass looks for one; only then does one thread number the rows: DuckDB's
        parallel scan hands rows to a window in no fixed order (a bad time at line 2,500,002
        of a 3M-line CSV was reported at line 1,113,389)."""
        if not self.con.execute(f"SELECT 1 FROM {reader} WHERE {condition} LIMIT 1").fetchall():
            return None
        threads = int(self.con.execute("SELECT current_setting('threads')").fetchall()[0][0])
        self.con.execute("SET threads = 1")
        self.con.execute("SET preserve_insertion_order = true")
        try:
            found = self.con.execute(
                f"SELECT * FROM (SELECT filename, ROW_NUMBER() OVER (PARTITION BY filename) "
                f"AS row, {select}, ({condition}) AS bad FROM {reader}) AS checked "
                "WHERE bad ORDER BY filename, row LIMIT 1"
            ).fetchall()
        finally:
            self.con.execute(f"SET threads = {threads}")
            self.con.execute("SET preserve_insertion_order = false")
        return tuple(found[0]) if found else None

    def query(self, sql: str, tick: Tick | None = None) -> list[Row]:
        """The rows of the query; with `tick`, the query runs in a thread while this one reads
        DuckDB's progress (`query_progress()`, percent) every tenth of a second."""
        if tick is None:
            return self._fetch(sql)
        import threading

        out: list[list[Row]] = []
        failed: list[BaseException] = []

        def work() -> None:
            try:
                out.append(self._fetch(sql))
            except BaseException as err:  # re-raised in the caller's thread below
                failed.append(err)

        worker = threading.Thread(target=work, name="journeymap-duckdb", daemon=True)
        self.con.execute("SET enable_progress_bar = true")
        worker.start()
        try:
            while worker.is_alive():
                worker.join(0.1)
                done = self.con.query_progress()
                if worker.is_alive() and done >= 0:
                    tick(done)
        except KeyboardInterrupt:
            self.con.interrupt()
            worker.join()
            raise
        finally:
            if not worker.is_alive():
                self.con.execute("SET enable_progress_bar = false")
        if failed:
            raise failed[0]
        return out[0]

    def _fetch(self, sql: str) -> list[Row]:
        try:
            return [tuple(row) for row in self.con.execute(sql).fetchall()]
        except self._duckdb.Error as err:
            if "JSON transform error" in str(err):  # a key twice: name the line, not DuckDB's
                json_objects(self._json)
            raise MeasureError(_unreadable(err, "DuckDB")) from None

    def count(self, view: str) -> int:
        return int(self._fetch(f"SELECT COUNT(*) FROM {view}")[0][0])

    def close(self) -> None:
        """Remove the spill folder, then close DuckDB on another thread: freeing its memory
        takes ~30 ms after 10M events, and writing the metrics need not wait for it. The
        executable exits without waiting (`journeymap.entry`); any other exit waits (`atexit`),
        so that the interpreter never finalizes under a closing DuckDB."""
        self._spill.cleanup()  # DuckDB, closing, does not mind its folder being gone
        _close_later(self.con)


_closing: list[Any] = []  # the threads closing connections (threading.Thread)


def _close_later(con: Any) -> None:
    import atexit
    import threading

    if not _closing:  # the first close of the process
        atexit.register(_wait_for_closing)
    closer = threading.Thread(target=con.close, name="journeymap-duckdb-close", daemon=True)
    _closing[:] = [*[t for t in _closing if t.is_alive()], closer]
    closer.start()


def _wait_for_closing() -> None:
    for closer in _closing:
        closer.join()
