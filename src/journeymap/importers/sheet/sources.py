"""The files of a spreadsheet import, read into tables within limits.

A CSV import is the steps file and, when they are there, the `<name>.personas.csv`... files
beside it; an xlsx import is one workbook's Steps, Personas, Channels and Map sheets. Both are
untrusted: rows, columns and bytes are bounded, an xlsx is refused before it unpacks too far,
and only regular files are read.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from journeymap.importers.common import ImportFailure
from journeymap.importers.sheet.records import Table
from journeymap.spreadsheet.layout import CHANNELS, MAP, PERSONAS, STEPS, sibling, unguard_formula

MAX_ROWS = 20_000  # per sheet: bounds the work a hostile file can cause
MAX_COLUMNS = 200
MAX_WORKBOOK_BYTES = 32 * 1024 * 1024  # a workshop workbook is far smaller
MAX_UNPACKED = 64 * 1024 * 1024  # bytes an xlsx may unpack to (a zip bomb stops here)


def csv_tables(path: Path, display: str) -> dict[str, Table]:
    """The steps file, and the other sheets' files found beside it."""
    tables = {STEPS: _csv_table(path, display)}
    for sheet in (PERSONAS, CHANNELS, MAP):
        other = sibling(path, sheet)
        if other.is_file():
            shown = str(Path(display).with_name(other.name))
            tables[sheet] = _csv_table(other, shown)
    return tables


def _csv_table(path: Path, display: str) -> Table:
    from journeymap.loader import LoadError, read_bytes

    try:
        raw = read_bytes(path, display)
    except (LoadError, OSError) as err:
        reason = getattr(err, "strerror", None) or str(err)
        raise ImportFailure(f"cannot read {display}: {reason}") from None
    from journeymap.loader import DEFAULT_LIMITS

    if len(raw) > DEFAULT_LIMITS.max_bytes:
        raise ImportFailure(f"{display} is larger than {DEFAULT_LIMITS.max_bytes:,} bytes")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # Excel's "CSV" in a Western locale
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows: list[list[Any]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), dialect):
            rows.append([unguard_formula(v) for v in row[:MAX_COLUMNS]])
            if len(rows) > MAX_ROWS:
                raise ImportFailure(f"{display} has more than {MAX_ROWS:,} rows")
    except csv.Error as err:
        raise ImportFailure(f"{display}:{len(rows) + 1}: not a readable CSV file: {err}") from None
    return Table(display, rows)


def xlsx_tables(path: Path, display: str) -> dict[str, Table]:
    """The workbook's sheets; the steps are the Steps sheet, or the first other one."""
    import zipfile

    from journeymap.files import read_bounded

    # Read once, bounded, and only from a regular file (a link to /dev/zero or a FIFO in a
    # pull request is refused, not read or waited on); the zip is then opened from memory.
    try:
        raw = read_bounded(path, MAX_WORKBOOK_BYTES)
    except OSError as err:
        raise ImportFailure(f"cannot read {display}: {err.strerror or err}") from None
    if len(raw) > MAX_WORKBOOK_BYTES:
        raise ImportFailure(f"{display} is larger than {MAX_WORKBOOK_BYTES:,} bytes")
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as err:
        raise ImportFailure(f"{display} is not an xlsx workbook: {err}") from None
    if unpacked > MAX_UNPACKED:
        raise ImportFailure(
            f"{display} unpacks to {unpacked:,} bytes, more than the limit of {MAX_UNPACKED:,}"
        )
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a damaged workbook
        raise ImportFailure(f"{display} is not a readable xlsx workbook: {err}") from None
    try:
        tables = _sheets(book, display)
    finally:
        book.close()
    if STEPS not in tables:
        raise ImportFailure(f"{display} has no sheet of steps")
    return tables


def _sheets(book: Any, display: str) -> dict[str, Table]:
    names = {name.lower(): name for name in book.sheetnames}
    tables: dict[str, Table] = {}
    for sheet in (STEPS, PERSONAS, CHANNELS, MAP):
        name = names.get(sheet.lower())
        if name is None and sheet == STEPS:
            others = [
                n for n in book.sheetnames if n.lower() not in ("personas", "channels", "map")
            ]
            name = others[0] if others else None
        if name is None:
            continue
        rows = []
        for row in book[name].iter_rows(max_col=MAX_COLUMNS, values_only=True):
            rows.append(list(row))
            if len(rows) > MAX_ROWS:
                raise ImportFailure(f"{display}[{name}] has more than {MAX_ROWS:,} rows")
        tables[sheet] = Table(f"{display}[{name}]", rows)
    return tables
