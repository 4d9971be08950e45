"""Lines of CSV and JSON Lines files that DuckDB cannot read, named by file, line and what is
wrong.

DuckDB's own message for a CSV line is pages long and lists its internal reading options, a
line that breaks the layout inside the part it samples to guess that layout gives no line at
all, and its JSON line numbers are one too high. A bad value found by a query is numbered by
data row; `file_line` turns that into the line of the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from journeymap.measure.engines.common import MeasureError, first_line
from journeymap.measure.sqltext import literal

_CSV_LINE = re.compile(r"CSV Error on Line: (\d+)")
_CSV_FILE = re.compile(r"^\s*file = (.+)$", re.MULTILINE)
_CSV_FIELDS = re.compile(r"Expected Number of Columns: (\d+) Found: (\d+)")


_JSON = re.compile(r'Malformed JSON in file "(.*)", at byte (\d+) in line (\d+): (.*?)\.?\s*$')


def json_problem(err: BaseException) -> str | None:
    """A JSON Lines line DuckDB could not parse, as `FILE:LINE:COLUMN: not JSON (why)`."""
    found = _JSON.search(first_line(err))
    if found is None:
        return None
    name, column, line, why = found.groups()
    return f"{name}:{int(line) - 1}:{column}: not valid JSON ({why}): one JSON object per line"


def file_line(file: Path, kind: str, row: int) -> int:
    """The line of `file` holding its `row`-th row (1-based): DuckDB skips blank lines and
    numbers rows, and a quoted CSV field may hold line breaks. Read only on an error."""
    import csv
    import itertools

    with file.open(newline="", encoding="utf-8", errors="replace") as handle:
        if kind == "json":
            lines = (n for n, text in enumerate(handle, 1) if text.strip())
            return next(itertools.islice(lines, row - 1, None), row)
        tab = file.suffix.lower() == ".tsv"
        reader = csv.reader(handle, dialect="excel-tab" if tab else "excel")
        count, before = -1, 0  # -1: the header; `before`: lines read before this row
        for fields in reader:
            start, before = before + 1, reader.line_num
            if fields:  # a blank line is no row
                count += 1
                if count == row:
                    return start
    return row + 1


def csv_problem(err: BaseException, where: str) -> str | None:
    """A CSV line DuckDB could not read, as `FILE:LINE: what is wrong` (None: not such an
    error). DuckDB's own message is pages long and starts with its internal reading options."""
    text = str(err)
    line = _CSV_LINE.search(text)
    if line is None:
        return None
    file = _CSV_FILE.search(text)
    name = file.group(1).strip() if file else where
    fields = _CSV_FIELDS.search(text)
    if "Invalid unicode" in text or "invalid unicode" in text:
        what = "not UTF-8 text: save the file as UTF-8 (a spreadsheet's `CSV UTF-8`)"
    elif "unterminated quote" in text:
        what = (
            "a quote opens a field on this line and is never closed: close it, or write a "
            'quote inside a quoted field as two ("5"" screen")'
        )
    elif fields:
        what = (
            f"{fields.group(2)} fields where the header has {fields.group(1)}: quote a field "
            'that holds a comma ("a, b")'
        )
    else:
        what = "cannot read this line as CSV (" + first_line(err) + ")"
    return f"{name}:{line.group(1)}: {what}"


def not_empty(files: list[Path], kind: str) -> None:
    """A MeasureError for an empty file (DuckDB reads it as one column named `column0`)."""
    for file in files:
        if file.stat().st_size == 0:
            what = "not even a header line" if kind == "csv" else "not one line"
            raise MeasureError(f"{file}: the file is empty ({what})")


def headers(files: list[Path]) -> None:
    """A MeasureError for a file whose header names a column twice (DuckDB would rename the
    second `event_1` and read the first without a word)."""
    import csv

    for file in files:
        tab = file.suffix.lower() == ".tsv"
        with file.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
            line = handle.readline(1 << 20)
        names = next(csv.reader([line], dialect="excel-tab" if tab else "excel"), [])
        seen: set[str] = set()
        for name in (n.strip() for n in names):
            if name and name in seen:
                raise MeasureError(
                    f"{file}:1: the header names the column {name!r} twice: rename one"
                )
            seen.add(name)


def strict_csv(files: list[Path], run: Callable[[str], Any], error: type[BaseException]) -> None:
    """Read each file as comma- (tab-) separated with its header's columns, nothing guessed,
    and raise the MeasureError naming the first line that breaks the layout (an unclosed quote,
    a field too many). `run` runs a DuckDB statement; `error` is DuckDB's error class."""
    import csv

    for file in files:
        tab = file.suffix.lower() == ".tsv"
        with file.open(newline="", encoding="utf-8", errors="replace") as handle:
            line = handle.readline(1 << 20)
        header = next(csv.reader([line], dialect="excel-tab" if tab else "excel"), [])
        if not header:
            continue
        pairs = ", ".join(f"{literal(name)}: 'VARCHAR'" for name in header)
        delim = "\t" if tab else ","
        try:
            run(
                f"SELECT COUNT(*) FROM read_csv({literal(str(file))}, auto_detect = false, "
                f"header = true, delim = '{delim}', quote = '\"', escape = '\"', "
                f"columns = {{{pairs}}})"
            )
        except error as err:
            said = csv_problem(err, str(file))
            if said:
                raise MeasureError(said) from None
