"""The tables of a spreadsheet import as one map: its fields, people, stages and references.

The map's own fields come from the Map sheet, personas and channels from theirs (those a
library defines are left to the library); without a Personas (or Channels) sheet each name in
the steps' column becomes one. A step's persona or channel is matched by id or by name.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from journeymap.importers.common import Ids, ImportedMap, ImportResult, slug
from journeymap.importers.sheet.records import Cell, Reader, Table, cell_text
from journeymap.importers.sheet.stages import Located, read_stages
from journeymap.model import SLUG_RE
from journeymap.spreadsheet.items import read_cell, read_item, split_items
from journeymap.spreadsheet.layout import (
    CHANNEL_COLUMNS,
    CHANNELS,
    MAP,
    MAP_FIELDS,
    MAP_LISTS,
    PERSONA_COLUMNS,
    PERSONAS,
    STEP_COLUMNS,
    STEPS,
    Column,
)

KIND = "a spreadsheet"


def build(tables: dict[str, Table], display: str, stem: str) -> ImportResult:
    """The map the tables hold, and the findings on the way (`stem`: the file name, for a title)."""
    result = ImportResult(display, cells=True)
    reader = Reader(tables, result)
    data: dict[str, Any] = {"journeymap": 1}
    meta = _map_fields(reader, tables.get(MAP))
    personas, persona_names, persona_table = _people(reader, tables.get(PERSONAS), PERSONA_COLUMNS)
    channels, channel_names, channel_table = _people(reader, tables.get(CHANNELS), CHANNEL_COLUMNS)
    reader.records(tables[STEPS], STEP_COLUMNS, "name")  # finds the heading above the header
    title = meta.pop("title", None) or reader.heading
    title = title or " ".join(re.sub(r"[-_]+", " ", stem).split()).capitalize() or "Journey"
    data["id"] = meta.pop("id", None) or slug(title, slug(stem, "journey"))
    data["title"] = title
    data.update(meta)
    stages, located = read_stages(reader, tables[STEPS], title)
    _references(reader, located, "persona", personas, persona_names, persona_table)
    _references(reader, located, "channel", channels, channel_names, channel_table)
    if personas:
        data["personas"] = personas
    if channels:
        data["channels"] = channels
    data["stages"] = stages
    result.maps.append(ImportedMap(_ordered(data), f"{tables[STEPS].display}", KIND))
    return result


def _ordered(data: dict[str, Any]) -> dict[str, Any]:
    order = (
        "journeymap",
        "id",
        "title",
        "description",
        "owner",
        "status",
        "updated",
        "tags",
        "uses",
        "personas",
        "channels",
        "stages",
    )
    return {key: data[key] for key in order if key in data}


def _map_fields(reader: Reader, table: Table | None) -> dict[str, Any]:
    if table is None:
        return {}
    out: dict[str, Any] = {}
    for r, row in enumerate(table.rows):
        if len(row) < 2 or not cell_text(row[0]).strip():
            continue
        name = "_".join(cell_text(row[0]).strip().lower().split())
        cell = Cell(cell_text(row[1]), table, r + 1, 2)
        if name in ("field", "key") and r == 0:
            continue
        if name not in MAP_FIELDS:
            from journeymap.suggest import did_you_mean

            reader.warn(
                Cell(name, table, r + 1, 1),
                "unknown-field",
                f"unknown map field {name!r}{did_you_mean(name, MAP_FIELDS)}: not imported",
            )
            continue
        if not cell.value.strip():
            continue
        value: Any = read_cell(cell.value)
        if name in MAP_LISTS:
            value = [read_item("list", line) for line in split_items(cell.value)]
        elif name == "id" and not SLUG_RE.match(value):
            reader.warn(cell, "bad-id", f"{value!r} is not a valid id; the id comes from the title")
            continue
        elif name == "status" and value.lower() not in ("current", "future"):
            reader.warn(cell, "bad-cell", f"status {value!r}: use current or future; left out")
            continue
        elif name == "status":
            value = value.lower()
        elif name == "updated":
            try:
                value = dt.date.fromisoformat(value[:10])
            except ValueError:
                reader.warn(
                    cell, "bad-cell", f"updated {value!r} is not a date (YYYY-MM-DD); left out"
                )
                continue
        out[name] = value
    return out


def _people(
    reader: Reader, table: Table | None, columns: tuple[Column, ...]
) -> tuple[list[dict[str, Any]], dict[str, str], bool]:
    """The personas (or channels) a map defines; every known id by id and name; whether the
    workbook has such a sheet at all."""
    if table is None:
        return [], {}, False
    ids = Ids()
    out: list[dict[str, Any]] = []
    known: dict[str, str] = {}
    for record in reader.records(table, columns, "name"):
        name_cell = record.get("name") or record.get("id")
        if name_cell is None:  # a row with other cells only (a description, say)
            reader.warn(
                next(iter(record.values())), "bad-cell", "a row with no id or name: skipped"
            )
            continue
        name = read_cell(name_cell.value)
        ident = reader.ident(
            record.get("id"),
            name,
            ids,
            "persona" if columns is PERSONA_COLUMNS else "channel",
        )
        known[ident] = ident
        known.setdefault(name.lower(), ident)
        if "library" in record:
            continue  # defined in the library the map uses
        item: dict[str, Any] = {"id": ident, "name": name}
        for column in columns:
            cell = record.get(column.key)
            if cell is None or column.key in ("id", "name", "library"):
                continue
            if column.kind == "list":
                item[column.key] = [read_item("list", line) for line in split_items(cell.value)]
            elif column.kind == "pain":
                item[column.key] = reader.items(cell, "pain")
            elif column.key == "kind":
                kind = cell.value.strip().lower()
                if kind in ("digital", "physical", "human", "partner"):
                    item["kind"] = kind
                else:
                    reader.warn(
                        cell,
                        "bad-cell",
                        f"kind {kind!r}: use digital, physical, human or partner; left out",
                    )
            else:
                item[column.key] = read_cell(cell.value)
        out.append(item)
    return out, known, True


def _references(
    reader: Reader,
    located: Located,
    kind: str,
    defined: list[dict[str, Any]],
    known: dict[str, str],
    has_sheet: bool,
) -> None:
    """Each step's persona (or channel) as an id: by id, by name, or a new one (no sheet)."""
    from journeymap.suggest import did_you_mean

    ids = Ids()
    ids.taken.update(known.values())
    for step, cells in located:
        value = step.get(kind)
        if value is None:
            continue
        match = known.get(value) or known.get(value.lower()) or known.get(slug(value, ""))
        if match is not None:
            step[kind] = match
        elif not has_sheet:
            ident = ids.make(value, kind)
            known[value] = known[value.lower()] = ident
            defined.append({"id": ident, "name": value})
            step[kind] = ident
        else:
            del step[kind]
            hint = did_you_mean(value, sorted(set(known.values())))
            reader.warn(
                cells[kind], "unknown-reference", f"unknown {kind} {value!r}{hint}; left out"
            )
