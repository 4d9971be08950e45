"""Lines of CSV and JSON Lines files that DuckDB cannot read, named by file, line and what is
wrong.

DuckDB's own message for a CSV line is pages long and lists its internal reading options, a
line that breaks the layout inside the part it samples to guess that layout gives no line at
all, and its JSON line numbers are one too high. A bad value found by a query is numbered by
data row; `file_line` turns that into the line of the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from journeymap.measure.engines.common import MeasureError, first_line
from journeymap.measure.sqltext import literal

_CSV_LINE = re.compile(r"CSV Error on Line: (\d+)")
_CSV_FILE = re.compile(r"^\s*file = (.+)$", re.MULTILINE)
_CSV_FIELDS = re.compile(r"Expected Number of Columns: (\d+) Found: (\d+)")
_JSON = re.compile(r'Malformed JSON in file "(.*)", at byte (\d+) in line (\d+): (.*?)\.?\s*$')


def _read(file: Path, encoding: str = "utf-8") -> IO[str]:
    """The file opened as text; a MeasureError naming it if it cannot be."""
    try:
        return file.open(newline="", encoding=encoding, errors="replace")
    except OSError as err:
        raise MeasureError(f"{file}: cannot read it ({err.strerror or err})") from None


def _dialect(file: Path) -> str:
    return "excel-tab" if file.suffix.lower() == ".tsv" else "excel"


# What a CSV file's fields may be separated by, and how a message names it.
_SEPARATORS = {",": "comma", "\t": "tab", ";": "semicolon", "|": "bar"}


def _separator(file: Path, encoding: str = "utf-8") -> str:
    """The file's separator: a tab for `.tsv`, else the one of `_SEPARATORS` its header (first
    line) holds most of (a comma when it holds none)."""
    if _dialect(file) == "excel-tab":
        return "\t"
    line = _first_lines(file, encoding)[0]
    counts = {sep: line.count(sep) for sep in _SEPARATORS}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _records(file: Path, sep: str | None = None) -> Iterator[tuple[int, list[str]]]:
    """Each CSV record with the line it starts on; a blank line is a record of no fields."""
    import csv

    with _read(file) as handle:
        if sep is None:
            reader = csv.reader(handle, dialect=_dialect(file))
        else:
            reader = csv.reader(handle, delimiter=sep)
        before = 0
        for fields in reader:
            yield before + 1, fields
            before = reader.line_num


def file_line(file: Path, kind: str, row: int) -> int:
    """The line of `file` holding its `row`-th row (1-based, the header not counted): DuckDB
    skips blank lines and numbers rows, and a quoted CSV field may hold line breaks. Read only
    on an error."""
    import itertools

    if kind == "json":
        with _read(file) as handle:
            lines = (n for n, text in enumerate(handle, 1) if text.strip())
            return next(itertools.islice(lines, row - 1, None), row)
    import csv

    rows = (start for start, fields in _records(file) if fields)
    try:
        return next(itertools.islice(rows, row, None), row + 1)  # row 0 is the header
    except csv.Error:  # a field longer than the csv module's limit: DuckDB's count, then
        return row + 1


def _record(file: Path, record: int, sep: str | None) -> tuple[int, list[str]]:
    """The line the `record`-th CSV record starts on (1-based, the header and blank lines
    counted, a quoted field over several lines counted once: DuckDB's "Line" of an error), and
    its fields."""
    import csv
    import itertools

    if not file.is_file():
        return record, []
    try:
        return next(itertools.islice(_records(file, sep), record - 1, None), (record, []))
    except csv.Error:  # a quote never closed, and more than the csv module's field limit after
        return record, []


def json_problem(err: BaseException) -> str | None:
    """A JSON Lines line DuckDB could not parse, as `FILE:LINE:COLUMN: not JSON (why)`: its line
    counts the file's lines that are not blank, from 2."""
    found = _JSON.search(first_line(err))
    if found is None:
        return None
    name, column, line, why = found.groups()
    at = file_line(Path(name), "json", int(line) - 1) if Path(name).is_file() else int(line) - 1
    return f"{name}:{at}:{column}: not valid JSON ({why}): one JSON object per line"


def csv_problem(err: BaseException, where: str, sep: str | None = None) -> str | None:
    """A CSV line DuckDB could not read, as `FILE:LINE: what is wrong` (None: not such an
    error); `sep`: the separator it was read with, when known. DuckDB's own message is pages
    long and starts with its internal reading options."""
    text = str(err)
    line = _CSV_LINE.search(text)
    if line is None:
        return None
    file = _CSV_FILE.search(text)
    name = file.group(1).strip() if file else where
    if sep is None and Path(name).is_file():
        sep = _separator(Path(name))
    at, record = _record(Path(name), int(line.group(1)), sep)
    fields = _CSV_FIELDS.search(text)
    if "Invalid unicode" in text or "invalid unicode" in text:
        what = "not UTF-8 text: save the file as UTF-8 (a spreadsheet's `CSV UTF-8`)"
    elif "unterminated quote" in text and '\\"' in text:
        what = (
            'a quote inside a quoted field is written \\" (a backslash before it): CSV '
            'writes it as two ("5"" screen"); export the file with that setting'
        )
    elif "unterminated quote" in text:
        what = (
            "a quote opens a field on this line and is never closed: close it, or write a "
            'quote inside a quoted field as two ("5"" screen")'
        )
    elif fields:
        what = _fields_problem(int(fields.group(1)), int(fields.group(2)), sep or ",", record)
    else:
        what = "cannot read this line as CSV (" + first_line(err) + ")"
    return f"{_shown(name, where)}:{at}: {what}"


def _shown(name: str, where: str) -> str:
    """The file DuckDB named (absolute: journeymap hands it absolute paths) as the user gave
    it (`where`), or from the working folder when inside it."""
    real = Path(name)
    if real == Path(where).absolute():
        return where
    try:
        return str(real.relative_to(Path.cwd()))
    except ValueError:
        return name


def _fields_problem(header: int, found: int, sep: str, record: list[str]) -> str:
    """What is wrong with a CSV line of `found` fields under a header of `header`."""
    count = f"{found} field{'s' if found != 1 else ''} where the header has {header}"
    name = _SEPARATORS.get(sep, repr(sep))
    if found > header:
        quoted = f' ("a{sep} b")' if sep != "\t" else ""
        return f"{count}: quote a field that holds a {name}{quoted}"
    if found == 1 and record and record[0].lstrip().startswith("#"):
        return f"{count}: CSV has no comment lines; delete it"
    joined = sep.join(record)
    for other, other_name in _SEPARATORS.items():
        if other != sep and joined.count(other) == header - 1:
            return f"{count}: this line is split by {other_name}s, the header by {name}s"
    return f"{count}: a value is missing (an empty one is written as nothing between two {name}s)"


def not_empty(files: list[Path], kind: str) -> None:
    """A MeasureError for an empty file (DuckDB reads it as one column named `column0`)."""
    for file in files:
        if file.stat().st_size == 0:
            what = "not even a header line" if kind == "csv" else "not one line"
            raise MeasureError(f"{file}: the file is empty ({what})")


def _first_lines(file: Path, encoding: str = "utf-8", count: int = 1) -> list[str]:
    with _read(file, encoding) as handle:
        return [handle.readline(1 << 20) for _ in range(count)]


def _header(file: Path, encoding: str = "utf-8", sep: str | None = None) -> list[str]:
    import csv

    line = _first_lines(file, encoding)[0]
    if sep is None:
        return next(csv.reader([line], dialect=_dialect(file)), [])
    return next(csv.reader([line], delimiter=sep), [])


def headers(files: list[Path]) -> None:
    """A MeasureError for a file whose header names a column twice, in any case (DuckDB would
    rename the second `event_1` and read the first without a word)."""
    for file in files:
        seen: dict[str, str] = {}
        sep = _separator(file, "utf-8-sig")
        for name in (n.strip() for n in _header(file, "utf-8-sig", sep)):
            if name and name.lower() in seen:
                first = seen[name.lower()]
                both = "" if first == name else f" ({first!r} and {name!r})"
                raise MeasureError(
                    f"{file}:1: the header names the column {name.lower()!r} twice{both}: "
                    "rename one"
                )
            seen[name.lower()] = name


def strict_csv(files: list[Path], run: Callable[[str], Any], error: type[BaseException]) -> None:
    """Read each file with its header's columns and separator, nothing guessed, and raise the
    MeasureError naming the first line that breaks the layout (an unclosed quote, a field too
    many or too few), or the line that looks like the header when the first does not.
    `run` runs a DuckDB statement; `error` is DuckDB's error class."""
    for file in files:
        sep = _separator(file)
        header = _header(file, sep=sep)
        if len(header) < 2:
            _header_below(file)
            continue
        pairs = ", ".join(f"{literal(name)}: 'VARCHAR'" for name in header)
        try:
            run(
                f"SELECT COUNT(*) FROM read_csv({literal(str(file.absolute()))}, "
                "auto_detect = false, "
                f"header = true, delim = {literal(sep)}, quote = '\"', escape = '\"', "
                f"skip = 0, comment = '', columns = {{{pairs}}})"
            )
        except error as err:
            # Lines ending in two ways: DuckDB cannot read the file (Spark could, and must not).
            from journeymap.measure.engines.lineends import mixed_line_endings

            mixed_line_endings([file])
            said = csv_problem(err, str(file), sep)
            if said:
                raise MeasureError(said) from None


def _header_below(file: Path) -> None:
    """A MeasureError when the first line is one field and one of the next few looks like a
    header (a preamble an export wrote above it: DuckDB would skip it without a word)."""
    for number, line in enumerate(_first_lines(file, count=10)[1:], 2):
        if any(line.count(sep) for sep in _SEPARATORS):
            shown = line.strip()[:80]
            raise MeasureError(
                f"{file}:1: the header must be the first line, and line {number} looks like "
                f"it ({shown!r}): delete the line{'s' if number > 2 else ''} above it"
            )


def checked_csv(files: list[Path]) -> list[tuple[str, bool, list[Path]]]:
    """For an engine that reads CSV files without DuckDB's guesses (Spark): the same checks as
    DuckDB's (an empty file, a column named twice, a line that breaks the layout), made by
    DuckDB, so that both refuse the same files with the same words. Returns the files in groups
    that one reader can read by position: the same separator and header, with the separator
    and whether any file of the group holds a quote (so a quoted field may span lines)."""
    import duckdb

    not_empty(files, "csv")
    headers(files)
    with duckdb.connect(":memory:") as con:
        strict_csv(files, lambda sql: con.execute(sql).fetchall(), duckdb.Error)
    groups: dict[tuple[str, tuple[str, ...]], list[Path]] = {}
    for file in files:
        sep = _separator(file)
        groups.setdefault((sep, tuple(_header(file, sep=sep))), []).append(file)
    return [(sep, any(_has_quote(f) for f in group), group) for (sep, _), group in groups.items()]


def _has_quote(file: Path) -> bool:
    """Whether the file holds a `"` anywhere (read in blocks: gigabytes a second)."""
    with file.open("rb") as handle:
        return any(b'"' in block for block in iter(lambda: handle.read(1 << 22), b""))


def json_objects(files: list[Path]) -> None:
    """A MeasureError naming the first line of a JSON Lines file that is not one JSON object
    (a string, an array: DuckDB then reads the whole file as one column, `json`), or names a
    key twice, in any case (DuckDB refuses the first in its own words, and renames the second
    `User_1`, silently); or a file of blank lines. Reads the files: only once DuckDB failed."""
    import json

    kinds = {str: "text", list: "an array", bool: "true or false", type(None): "null"}
    spelled: dict[str, tuple[str, str]] = {}  # a key in lower case -> first spelling, where
    for file in files:
        found = False
        with _read(file) as handle:
            for number, text in enumerate(handle, 1):
                if not text.strip():
                    continue
                found = True
                try:
                    value = json.loads(text, object_pairs_hook=_Pairs)
                except ValueError:
                    return  # not JSON at all: DuckDB's own message names the line
                if not isinstance(value, _Pairs):
                    kind = kinds.get(type(value), "a number")
                    raise MeasureError(
                        f"{file}:{number}: {kind}, not a JSON object: one object per line, "
                        'such as {"user": "u1", "event": "view", "time": "2026-10-01T09:00:00Z"}'
                    )
                keys = [key for key, _ in value]
                _twice(file, number, keys)
                _spelling(file, number, keys, spelled)
        if not found:
            raise MeasureError(f"{file}: the file has no JSON line (only blank lines)")


def _spelling(
    file: Path, number: int, keys: list[str], spelled: dict[str, tuple[str, str]]
) -> None:
    """A MeasureError for a key spelled in another case than on an earlier line (`User` on a
    line, `user` on the ones before: DuckDB reads them as two columns, `User_1`, and the line's
    user is lost)."""
    for key in keys:
        first, where = spelled.setdefault(key.lower(), (key, f"{file}:{number}"))
        if first != key:
            raise MeasureError(
                f"{file}:{number}: the key {key!r} is spelled {first!r} at {where}: one column, "
                "one spelling (they would be read as two)"
            )


class _Pairs(list[tuple[str, Any]]):
    """A JSON object's keys and values, in order, duplicates kept."""


def _twice(file: Path, number: int, keys: list[str]) -> None:
    seen: dict[str, str] = {}
    for key in keys:
        first = seen.get(key.lower())
        seen.setdefault(key.lower(), key)
        if first is not None:
            both = "" if first == key else f" ({first!r} and {key!r})"
            raise MeasureError(
                f"{file}:{number}: the object names the key {key.lower()!r} twice{both}: rename one"
            )


def renamed(columns: list[str]) -> bool:
    """Whether DuckDB renamed a JSON key it met twice in another case (`User_1` beside `user`)."""
    lowered = {name.lower() for name in columns}
    bases = (name.rsplit("_", 1)[0] for name in columns if re.fullmatch(r".+_[0-9]+", name))
    return any(base not in columns and base.lower() in lowered for base in bases)


def line_of_value(files: list[Path], kind: str, column: str, value: Any) -> str | None:
    """`FILE:LINE` of the first row whose `column` holds `value` (as text; None: empty), for an
    engine that found the value without its line (Spark); None when it cannot be found."""
    import csv
    import json

    wanted = "" if value is None else str(value).strip()
    for file in files:
        try:
            if kind == "csv":
                records = _records(file, _separator(file))
                _, header = next(records, (0, []))
                names = [name.strip() for name in header]
                if column not in names:
                    continue
                at = names.index(column)
                for line, fields in records:
                    if len(fields) > at and fields[at].strip() == wanted:
                        return f"{file}:{line}"
            elif kind == "json":
                with _read(file) as handle:
                    for line, text in enumerate(handle, 1):
                        if text.strip():
                            found = json.loads(text).get(column)
                            if ("" if found is None else str(found).strip()) == wanted:
                                return f"{file}:{line}"
        except (csv.Error, ValueError, AttributeError):
            return None
    return None
