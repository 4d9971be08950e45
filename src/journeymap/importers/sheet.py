"""Spreadsheets as maps: a CSV file or an xlsx workbook, one row per step (layout: cells.py).

The header row names the lanes, in any order and by common alternative names (`Phase` for the
stage, `Feelings` for the emotion); rows above it (a title) are skipped. A blank stage cell
continues the stage above (merged cells). Personas, channels and the map's own fields come from
the Personas, Channels and Map sheets (xlsx) or `<name>.personas.csv`... beside the CSV file;
without a Personas sheet, each name in the Persona column becomes a persona.

Every finding names the file (and sheet), row and column: `steps.csv:14:F`. A cell that cannot
be read is left out of the map, so the map written is always valid.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from journeymap.importers.cells import (
    CHANNEL_COLUMNS,
    CHANNELS,
    MAP,
    MAP_FIELDS,
    MAP_LISTS,
    PERSONA_COLUMNS,
    PERSONAS,
    STEP_COLUMNS,
    STEPS,
    CellError,
    Column,
    column_index,
    find_column,
    read_cell,
    read_item,
    split_items,
)
from journeymap.importers.common import Ids, ImportedMap, ImportFailure, ImportResult, slug
from journeymap.model import (
    SLUG_RE,
    EventMatch,
    Evidence,
    Feedback,
    Kpi,
    Link,
    Opportunity,
    PainPoint,
)

KIND = "a spreadsheet"
MAX_ROWS = 20_000  # per sheet: bounds the work a hostile file can cause
MAX_COLUMNS = 200
MAX_WORKBOOK_BYTES = 32 * 1024 * 1024  # a workshop workbook is far smaller
MAX_UNPACKED = 64 * 1024 * 1024  # bytes an xlsx may unpack to (a zip bomb stops here)
HEADER_SEARCH = 10  # rows searched for the header
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ITEM_MODELS: dict[str, Any] = {
    "pain": PainPoint,
    "opportunity": Opportunity,
    "kpi": Kpi,
    "feedback": Feedback,
    "evidence": Evidence,
    "link": Link,
    "event": EventMatch,
}


@dataclass
class Table:
    """One sheet: its display name (`steps.csv`, `book.xlsx[Steps]`) and its rows of cells."""

    display: str
    rows: list[list[Any]]


@dataclass
class _Cell:
    value: str
    table: Table
    row: int
    column: int


@dataclass
class _Stage:
    key: str
    explicit_id: str | None
    name: str
    at: _Cell | None
    fields: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, _Cell] = field(default_factory=dict)
    steps: list[dict[str, Any]] = field(default_factory=list)


# ----------------------------------------------------------------------------- reading files
def import_csv(path: Path, display: str) -> ImportResult:
    from journeymap.exporters.sheet import sibling

    tables = {STEPS: _csv_table(path, display, first=True)}
    for sheet in (PERSONAS, CHANNELS, MAP):
        other = sibling(path, sheet)
        if other.is_file():
            shown = str(Path(display).with_name(other.name))
            tables[sheet] = _csv_table(other, shown, first=False)
    return _import(tables, display, path.name.split(".", 1)[0])


def _csv_table(path: Path, display: str, *, first: bool) -> Table:
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
            rows.append([_uncsv(v) for v in row[:MAX_COLUMNS]])
            if len(rows) > MAX_ROWS:
                raise ImportFailure(f"{display} has more than {MAX_ROWS:,} rows")
    except csv.Error as err:
        raise ImportFailure(f"{display}:{len(rows) + 1}: not a readable CSV file: {err}") from None
    return Table(display, rows)


def _uncsv(value: str) -> str:
    """A CSV cell without the `'` an export puts before formula-like text."""
    if value.startswith("'") and value[1:2] and value[1] in "=+-@\t\r":
        return value[1:]
    return value


def import_xlsx(path: Path, display: str) -> ImportResult:
    import io
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
    finally:
        book.close()
    if STEPS not in tables:
        raise ImportFailure(f"{display} has no sheet of steps")
    return _import(tables, display, path.name.split(".", 1)[0])


def _text(value: Any) -> str:
    """A cell's value as text: numbers without a spurious `.0`, dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n")


# ----------------------------------------------------------------------------- building
class _Builder:
    def __init__(self, tables: dict[str, Table], result: ImportResult) -> None:
        self.tables = tables
        self.result = result
        self.heading: str | None = None  # a lone cell above the steps' header: a title
        self._records: dict[str, list[dict[str, _Cell]]] = {}

    def warn(self, cell: _Cell, rule: str, message: str) -> None:
        self.result.findings.append(
            _finding(cell.table.display, cell.row, cell.column, rule, message)
        )

    # -- a table with a header row
    def header(
        self, table: Table, columns: tuple[Column, ...], required: str
    ) -> tuple[int, dict[int, Column]]:
        index = column_index(columns)
        r = 0
        for r, row in enumerate(table.rows[:HEADER_SEARCH]):  # noqa: B007 (used after the loop)
            found = {c: find_column(index, _text(v)) for c, v in enumerate(row) if _text(v).strip()}
            known = {c: col for c, col in found.items() if col is not None}
            if len(known) >= 2 or any(col.key == required for col in known.values()):
                break
        else:
            names = ", ".join(c.header for c in columns[:4])
            raise ImportFailure(
                f"{table.display}: no header row naming the columns ({names}...) "
                f"in its first {HEADER_SEARCH} rows"
            )
        mapping: dict[int, Column] = {}
        for c, column in sorted(found.items()):
            cell = _Cell(_text(table.rows[r][c]), table, r + 1, c + 1)
            if column is None:
                from journeymap.suggest import did_you_mean

                hint = did_you_mean(cell.value, [col.header for col in columns])
                self.warn(
                    cell,
                    "unknown-column",
                    f"unknown column {cell.value!r}{hint}: its cells are not imported",
                )
            elif column in mapping.values():
                self.warn(
                    cell,
                    "duplicate-column",
                    f"a second {column.header!r} column ({cell.value!r}): its cells are not "
                    "imported",
                )
            else:
                mapping[c] = column
        if not any(col.key == required for col in mapping.values()):
            wanted = next(col for col in columns if col.key == required)
            raise ImportFailure(
                f"{table.display}: no {wanted.header!r} column "
                f"(also read as: {', '.join(wanted.aliases[:4])})"
            )
        return r + 1, mapping

    def records(
        self, table: Table, columns: tuple[Column, ...], required: str
    ) -> list[dict[str, _Cell]]:
        if table.display in self._records:
            return self._records[table.display]
        start, mapping = self.header(table, columns, required)
        if columns is STEP_COLUMNS:
            for row in table.rows[: start - 1]:
                texts = [_text(v).strip() for v in row if _text(v).strip()]
                if len(texts) == 1 and self.heading is None:
                    self.heading = texts[0]
        out = []
        for r in range(start, len(table.rows)):
            row = table.rows[r]
            record = {}
            for c, column in mapping.items():
                if c < len(row):
                    text = _text(row[c])
                    if text.strip():
                        record[column.key] = _Cell(text, table, r + 1, c + 1)
            if record:
                out.append(record)
        self._records[table.display] = out
        return out

    # -- cell values
    def items(self, cell: _Cell | None, kind: str) -> list[Any]:
        if cell is None:
            return []
        out = []
        model = _ITEM_MODELS.get(kind)
        for line in split_items(cell.value):
            try:
                item = read_item(kind, line)
                if model is not None:
                    text_key = "name" if kind == "event" else "text"
                    model.model_validate({text_key: item} if isinstance(item, str) else item)
            except CellError as err:
                self.warn(cell, "bad-cell", f"{line.strip()[:60]!r}: {err}; left out")
                continue
            except ValidationError as err:
                problem = err.errors(include_url=False)[0]
                where = ".".join(str(p) for p in problem["loc"])
                message = str(problem["msg"]).removeprefix("Value error, ")
                what = f"{where}: {message}" if where else message
                self.warn(cell, "bad-cell", f"{line.strip()[:60]!r}: {what}; left out")
                continue
            out.append(item)
        return out

    def emotion(self, cell: _Cell) -> int | None:
        text = cell.value.strip().replace("\u2212", "-")
        match = re.fullmatch(r"([+-]?\d+)(?:\.0+)?", text)
        if match and -2 <= int(match.group(1)) <= 2:
            return int(match.group(1))
        self.warn(
            cell,
            "bad-emotion",
            f"emotion {cell.value.strip()!r} is not a whole number from -2 to +2; left out",
        )
        return None

    def flag(self, cell: _Cell) -> bool | None:
        text = cell.value.strip().lower()
        if text in ("yes", "y", "true", "x", "1", "✓", "✔"):
            return True
        if text in ("no", "n", "false", "0", "-"):
            return False
        self.warn(cell, "bad-cell", f"{cell.value.strip()!r} is not yes or no; left out")
        return None


def _finding(file: str, row: int, column: int, rule: str, message: str) -> Any:
    from journeymap.findings import Finding, Severity

    return Finding(file, row, column, rule, Severity.WARNING, message)


def _import(tables: dict[str, Table], display: str, stem: str) -> ImportResult:
    result = ImportResult(display, cells=True)
    builder = _Builder(tables, result)
    data: dict[str, Any] = {"journeymap": 1}
    meta = _map_fields(builder, tables.get(MAP))
    personas, persona_names, persona_table = _people(builder, tables.get(PERSONAS), PERSONA_COLUMNS)
    channels, channel_names, channel_table = _people(builder, tables.get(CHANNELS), CHANNEL_COLUMNS)
    builder.records(tables[STEPS], STEP_COLUMNS, "name")  # finds the heading above the header
    title = meta.pop("title", None) or builder.heading
    title = title or " ".join(re.sub(r"[-_]+", " ", stem).split()).capitalize() or "Journey"
    data["id"] = meta.pop("id", None) or slug(title, slug(stem, "journey"))
    data["title"] = title
    data.update(meta)
    stages, located = _stages(builder, tables[STEPS], title)
    _references(builder, located, "persona", personas, persona_names, persona_table)
    _references(builder, located, "channel", channels, channel_names, channel_table)
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


def _map_fields(builder: _Builder, table: Table | None) -> dict[str, Any]:
    if table is None:
        return {}
    out: dict[str, Any] = {}
    for r, row in enumerate(table.rows):
        if len(row) < 2 or not _text(row[0]).strip():
            continue
        name = "_".join(_text(row[0]).strip().lower().split())
        cell = _Cell(_text(row[1]), table, r + 1, 2)
        if name in ("field", "key") and r == 0:
            continue
        if name not in MAP_FIELDS:
            from journeymap.suggest import did_you_mean

            builder.warn(
                _Cell(name, table, r + 1, 1),
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
            builder.warn(
                cell, "bad-id", f"{value!r} is not a valid id; the id comes from the title"
            )
            continue
        elif name == "status" and value.lower() not in ("current", "future"):
            builder.warn(cell, "bad-cell", f"status {value!r}: use current or future; left out")
            continue
        elif name == "status":
            value = value.lower()
        elif name == "updated":
            try:
                value = dt.date.fromisoformat(value[:10])
            except ValueError:
                builder.warn(
                    cell, "bad-cell", f"updated {value!r} is not a date (YYYY-MM-DD); left out"
                )
                continue
        out[name] = value
    return out


def _people(
    builder: _Builder, table: Table | None, columns: tuple[Column, ...]
) -> tuple[list[dict[str, Any]], dict[str, str], bool]:
    """The personas (or channels) a map defines; every known id by id and name; whether the
    workbook has such a sheet at all."""
    if table is None:
        return [], {}, False
    ids = Ids()
    out: list[dict[str, Any]] = []
    known: dict[str, str] = {}
    for record in builder.records(table, columns, "name"):
        name_cell = record.get("name") or record.get("id")
        assert name_cell is not None  # a record has at least one cell; id or name checked below
        if "name" not in record and "id" not in record:
            builder.warn(
                next(iter(record.values())), "bad-cell", "a row with no id or name: skipped"
            )
            continue
        name = read_cell(name_cell.value)
        ident = _id(
            builder,
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
                item[column.key] = builder.items(cell, "pain")
            elif column.key == "kind":
                kind = cell.value.strip().lower()
                if kind in ("digital", "physical", "human", "partner"):
                    item["kind"] = kind
                else:
                    builder.warn(
                        cell,
                        "bad-cell",
                        f"kind {kind!r}: use digital, physical, human or partner; left out",
                    )
            else:
                item[column.key] = read_cell(cell.value)
        out.append(item)
    return out, known, True


def _id(builder: _Builder, cell: _Cell | None, name: str, ids: Ids, what: str) -> str:
    if cell is not None:
        wanted = cell.value.strip()
        if SLUG_RE.match(wanted) and wanted not in ids.taken:
            ids.reserve(wanted)
            return wanted
        problem = "is already used" if SLUG_RE.match(wanted) else "is not a valid id"
        made = ids.make(wanted, what)
        builder.warn(cell, "bad-id", f"{what} id {wanted!r} {problem}; imported as {made!r}")
        return made
    return ids.make(name, what)


_STEP_FIELDS = (
    "id",
    "name",
    "description",
    "persona",
    "channel",
    "touchpoint",
    "action",
    "thoughts",
    "emotion",
    "pain_points",
    "opportunities",
    "kpis",
    "feedback",
    "frontstage",
    "backstage",
    "support",
    "owner",
    "evidence",
    "links",
    "moment_of_truth",
    "handoff",
    "next",
    "events",
)


Located = list[tuple[dict[str, Any], dict[str, "_Cell"]]]


def _stages(builder: _Builder, table: Table, title: str) -> tuple[list[dict[str, Any]], Located]:
    records = builder.records(table, STEP_COLUMNS, "name")
    stages: dict[str, _Stage] = {}
    current: _Stage | None = None
    pending: Located = []
    for record in records:
        id_cell, name_cell = record.get("stage_id"), record.get("stage_name")
        if id_cell or name_cell:
            key = id_cell.value.strip() if id_cell else "name:" + read_cell(name_cell.value).lower()  # type: ignore[union-attr]
            if key not in stages:
                name = read_cell(name_cell.value) if name_cell else id_cell.value.strip()  # type: ignore[union-attr]
                stages[key] = _Stage(
                    key, id_cell.value.strip() if id_cell else None, name, id_cell or name_cell
                )
            current = stages[key]
        elif current is None:
            current = stages.setdefault("", _Stage("", None, title, None))
        for column in ("goal", "description", "kpis", "feedback"):
            cell = record.get(f"stage_{column}")
            if cell is None:
                continue
            if column in current.fields:
                if cell.value != current.sources[column].value:
                    first = current.sources[column]
                    builder.warn(
                        cell,
                        "conflict",
                        f"stage {current.name!r} already has its {column} "
                        f"from row {first.row}; this one is not imported",
                    )
                continue
            value: Any = (
                read_cell(cell.value)
                if column in ("goal", "description")
                else builder.items(cell, "kpi" if column == "kpis" else "feedback")
            )
            current.fields[column] = value
            current.sources[column] = cell
        step_cells = {k: v for k, v in record.items() if not k.startswith("stage_")}
        if not step_cells:
            continue
        if "name" not in step_cells:
            builder.warn(
                next(iter(step_cells.values())),
                "missing-name",
                "this row has no step name: skipped",
            )
            continue
        step = _step(builder, step_cells)
        current.steps.append(step)
        pending.append((step, step_cells))
    # ids last: an id given in the sheet keeps it, the others are made around them
    stage_ids, step_ids = Ids(), Ids()
    for stage in stages.values():
        if stage.explicit_id and SLUG_RE.match(stage.explicit_id):
            stage_ids.reserve(stage.explicit_id)
    out = []
    for stage in stages.values():
        if stage.explicit_id and SLUG_RE.match(stage.explicit_id):
            ident = stage.explicit_id
        else:
            if stage.explicit_id and stage.at is not None:
                builder.warn(
                    stage.at, "bad-id", f"stage id {stage.explicit_id!r} is not a valid id"
                )
            ident = stage_ids.make(stage.name, "stage")
        item: dict[str, Any] = {"id": ident, "name": stage.name}
        for key in ("goal", "description"):
            if key in stage.fields:
                item[key] = stage.fields[key]
        item["steps"] = stage.steps
        for key in ("kpis", "feedback"):
            if stage.fields.get(key):
                item[key] = stage.fields[key]
        out.append(item)
    for step, cells in pending:
        given = cells.get("id")
        if (
            given is not None
            and SLUG_RE.match(given.value.strip())
            and given.value.strip() not in step_ids.taken
        ):
            step_ids.reserve(given.value.strip())
            step["id"] = given.value.strip()
    for step, cells in pending:
        if "id" not in step:
            step["id"] = _id(builder, cells.get("step_id"), step["name"], step_ids, "step")
    known = step_ids.taken
    for step, cells in pending:
        if "next" in step:
            kept = []
            for target in step["next"]:
                if target in known:
                    kept.append(target)
                else:
                    from journeymap.suggest import did_you_mean

                    builder.warn(
                        cells["next"],
                        "unknown-reference",
                        f"unknown step {target!r}{did_you_mean(target, sorted(known))}; left out",
                    )
            step["next"] = kept
        order = {k: i for i, k in enumerate(_STEP_FIELDS)}
        ordered = dict(sorted(step.items(), key=lambda kv: order[kv[0]]))
        step.clear()
        step.update(ordered)
    return out, pending


def _step(builder: _Builder, cells: dict[str, _Cell]) -> dict[str, Any]:
    step: dict[str, Any] = {"name": read_cell(cells["name"].value)}
    for column in STEP_COLUMNS:
        cell = cells.get(column.key)
        if cell is None or column.key in ("name", "step_id") or column.key.startswith("stage_"):
            continue
        key = column.key
        if column.kind == "text":
            step[key] = read_cell(cell.value)
        elif column.kind == "list":
            step[key] = [read_item("list", line) for line in split_items(cell.value)]
        elif column.kind == "emotion":
            emotion = builder.emotion(cell)
            if emotion is not None:
                step[key] = emotion
        elif column.kind == "bool":
            flag = builder.flag(cell)
            if flag is not None:
                step[key] = flag
        elif column.kind == "ids":
            if cell.value.strip() == "(none)":
                step[key] = []
            else:
                step[key] = [
                    i.strip()
                    for line in split_items(cell.value)
                    for i in line.split(",")
                    if i.strip()
                ]
        else:
            items = builder.items(cell, column.kind)
            if items:
                step[key] = items
    return step


def _references(
    builder: _Builder,
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
            builder.warn(
                cells[kind], "unknown-reference", f"unknown {kind} {value!r}{hint}; left out"
            )
