"""A map as a spreadsheet: one row per step, a column per lane (`journeymap.spreadsheet`).

xlsx: sheets Steps, Personas, Channels and Map in one workbook. CSV: the steps file and three
files beside it, `<name>.personas.csv`, `<name>.channels.csv` and `<name>.map.csv`. Personas
and channels a map takes from a library are listed with the library's path, so the sheet
shows everyone while the import keeps them in the library. Both read back into the same map.

Inputs are untrusted: a CSV cell that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`)
is written with a leading `'`, which the import removes; xlsx cells are always stored as text.
Same map, same bytes: workbook dates and zip timestamps are fixed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journeymap.spreadsheet import layout
from journeymap.spreadsheet.items import quoted_cell, write_list
from journeymap.spreadsheet.layout import Column, guard_formula, sibling
from journeymap.words import noun, plural

if TYPE_CHECKING:
    from journeymap.model import Step
    from journeymap.validation import Journey

Table = list[list[Any]]
# Written into the workbook's properties and zip entries, so the bytes do not change by the day.
FIXED_TIME = dt.datetime(2000, 1, 1)


class ExportError(Exception):
    """The map cannot be exported (exit 2)."""


def export_map(path: Path, kind: str, output: Path | None, force: bool = False) -> list[Path]:
    """Export the map at `path`; returns the files written. A file that exists is overwritten
    only with `force`: without it, every one is named and nothing is written."""
    other = {"csv": ".xlsx", "xlsx": ".csv"}[kind]
    if output is not None and output.suffix.lower() == other:
        named = {"csv": "a CSV", "xlsx": "an xlsx"}
        raise ExportError(
            f"-o {output} names {named[other[1:]]} file, but this export writes "
            f"{named[kind]} one: run `journeymap export {other[1:]}`, or name the file .{kind}"
        )
    journey = _load(path)
    tables = tables_of(journey)
    target = output or Path(f"{journey.id}.{kind}")
    if target.is_dir():
        target = target / f"{journey.id}.{kind}"
    files = csv_files(target, tables) if kind == "csv" else {target: xlsx_bytes(tables)}
    from journeymap.files import overwrite_refusal, write_atomic

    refusal = None if force else overwrite_refusal(list(files))
    if refusal is not None:
        raise ExportError(refusal)
    for file, data in files.items():
        try:
            write_atomic(file, data)
        except OSError as err:
            raise ExportError(f"cannot write {file}: {err.strerror or err}") from None
    return list(files)


def _load(path: Path) -> Journey:
    from journeymap.config import ConfigError, ConfigFinder
    from journeymap.inspection import Inspector

    if path.is_dir():
        raise ExportError(f"{path} is a folder: export takes one map file at a time")
    if not path.is_file():
        raise ExportError(f"{path}: no such file")
    try:
        checked = Inspector(ConfigFinder(None, False)).inspect(path)
    except ConfigError as err:
        raise ExportError(str(err)) from None
    errors = [f for f in checked.findings if f.is_format_error]
    if checked.library is not None:
        raise ExportError(
            f"{path} is a library (kind: library), not a map: export a map that uses it; its "
            "personas and channels go on their own sheets"
        )
    if checked.journey is None or errors:
        raise ExportError(
            f"{path} is not a valid map ({plural(len(errors), 'format error')}); "
            f"`journeymap validate {path}` shows {noun(len(errors), 'it', 'them')}"
        )
    return checked.journey


def _cell(column: Column, value: Any) -> Any:
    if column.kind == "emotion":
        return value
    if column.kind == "bool":
        return "yes" if value else ""
    if column.kind in ("text", "id"):
        return "" if value is None else quoted_cell(str(value))
    return write_list(column.kind, value)


def tables_of(journey: Journey) -> dict[str, Table]:
    """The four sheets of the map: steps, personas, channels and the map's own fields."""
    personas, channels = _people_tables(journey)
    return {
        layout.STEPS: _steps_table(journey),
        layout.PERSONAS: personas,
        layout.CHANNELS: channels,
        layout.MAP: _map_table(journey),
    }


def _steps_table(journey: Journey) -> Table:
    """A row per step; a stage's fields on its first row (a stage with no steps: one row)."""
    steps: Table = [[c.header for c in layout.STEP_COLUMNS]]
    for stage in journey.map.stages:
        stage_values: dict[str, Any] = {
            "stage_id": stage.id,
            "stage_name": stage.name,
            "stage_goal": stage.goal,
            "stage_description": stage.description,
            "stage_kpis": stage.kpis,
            "stage_feedback": stage.feedback,
        }
        first = True
        rows: list[Step | None] = [*stage.steps] or [None]
        for step in rows:
            row = []
            for column in layout.STEP_COLUMNS:
                value: Any
                if column.key in ("stage_id", "stage_name"):
                    value = stage_values[column.key]
                elif column.key.startswith("stage_"):
                    value = stage_values[column.key] if first else None
                else:
                    attribute = "id" if column.key == "step_id" else column.key
                    value = getattr(step, attribute) if step is not None else None
                row.append(_cell(column, value) if value is not None else "")
            steps.append(row)
            first = False
    return steps


def _people_tables(journey: Journey) -> tuple[Table, Table]:
    """The personas and the channels: the map's own, then each library's, named by its path."""
    # Named as the map's `uses` names them (a valid map has loaded every one, in that order).
    pairs = zip(journey.map.uses, journey.libraries, strict=True)
    libraries = [(entry, lib) for entry, (_, lib) in pairs]
    personas: Table = [[c.header for c in layout.PERSONA_COLUMNS]]
    channels: Table = [[c.header for c in layout.CHANNEL_COLUMNS]]
    groups: list[tuple[str, list[Any], Table, tuple[Column, ...]]] = [
        ("", journey.map.personas, personas, layout.PERSONA_COLUMNS),
        ("", journey.map.channels, channels, layout.CHANNEL_COLUMNS),
        *((name, lib.personas, personas, layout.PERSONA_COLUMNS) for name, lib in libraries),
        *((name, lib.channels, channels, layout.CHANNEL_COLUMNS) for name, lib in libraries),
    ]
    for source, items, table, columns in groups:
        for item in items:
            row = []
            for column in columns:
                value: Any = source if column.key == "library" else getattr(item, column.key)
                if column.key == "kind" and value is not None:
                    value = value.value
                row.append(_cell(column, value) if value not in (None, []) else "")
            table.append(row)
    return personas, channels


def _map_table(journey: Journey) -> Table:
    """The map's own fields, one a row."""
    fields: Table = [["Field", "Value"]]
    model = journey.map
    for name in layout.MAP_FIELDS:
        value = getattr(model, name)
        if name == "id":
            value = journey.id
        if value is None or value == []:
            continue
        if name in layout.MAP_LISTS:
            value = write_list("list", value)
        elif isinstance(value, dt.date):
            value = value.isoformat()
        elif name == "status":
            value = value.value
        else:
            value = quoted_cell(str(value))
        fields.append([name, value])
    return fields


def _csv_text(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in table:
        writer.writerow([guard_formula(v) if isinstance(v, str) else v for v in row])
    # With a byte-order mark: Excel reads a CSV file without one in the local code page.
    return buffer.getvalue().encode("utf-8-sig")


def csv_files(target: Path, tables: dict[str, Table]) -> dict[Path, bytes]:
    files = {target: _csv_text(tables[layout.STEPS])}
    for sheet in (layout.PERSONAS, layout.CHANNELS, layout.MAP):
        files[sibling(target, sheet)] = _csv_text(tables[sheet])
    return files


def xlsx_bytes(tables: dict[str, Table]) -> bytes:
    """The workbook, byte for byte the same for the same map."""
    import zipfile

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook()
    book.remove(book.active)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for name, table in tables.items():
        sheet = book.create_sheet(name)
        for r, row in enumerate(table, start=1):
            for c, value in enumerate(row, start=1):
                if value == "" or value is None:
                    continue
                cell = sheet.cell(r, c, value)
                if isinstance(value, str):
                    cell.data_type = "s"  # never a formula, whatever the text starts with
                    if "\n" in value:
                        cell.alignment = wrap
                if r == 1:
                    cell.font = bold
        sheet.freeze_panes = "A2"
        for c in range(1, len(table[0]) + 1):
            width = max(len(str(row[c - 1]).split("\n", 1)[0]) for row in table if c <= len(row))
            letter = sheet.cell(1, c).column_letter
            sheet.column_dimensions[letter].width = min(max(width + 2, 10), 50)
    book.properties.creator = "journeymap"
    book.properties.created = book.properties.modified = FIXED_TIME
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).write_data()
    fixed = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(fixed, "w") as out:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            out.writestr(entry, source.read(info.filename))
    return fixed.getvalue()
