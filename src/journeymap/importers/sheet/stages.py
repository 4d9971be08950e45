"""The steps sheet as the map's stages: rows grouped by their stage cells, each a step.

A blank stage cell continues the stage above (merged cells); a stage's own fields (goal, KPIs...)
are read from its first row that has them. Ids come last: an id given in the sheet is kept when
it is valid and free, and the others are made from names around them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from journeymap.importers.common import Ids
from journeymap.importers.sheet.records import Cell, Reader, Record, Table
from journeymap.model import SLUG_RE
from journeymap.spreadsheet.items import read_cell, read_item, split_items
from journeymap.spreadsheet.layout import STEP_COLUMNS

# The order of a step's fields in the map written (the order of the map format).
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
_FIELD_ORDER = {key: i for i, key in enumerate(_STEP_FIELDS)}

Located = list[tuple[dict[str, Any], Record]]  # each step's data and the cells it came from


@dataclass
class _Stage:
    key: str
    explicit_id: str | None
    name: str
    at: Cell | None
    fields: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, Cell] = field(default_factory=dict)
    steps: list[dict[str, Any]] = field(default_factory=list)


def read_stages(reader: Reader, table: Table, title: str) -> tuple[list[dict[str, Any]], Located]:
    """The stages (map data, in sheet order) and each step with the cells it came from."""
    records = reader.records(table, STEP_COLUMNS, "name")
    grouped, located = _group(reader, records, title)
    out = _stage_items(reader, grouped)
    known = _step_ids(reader, located)
    _check_next(reader, located, known)
    return out, located


def _group(reader: Reader, records: list[Record], title: str) -> tuple[list[_Stage], Located]:
    """The rows under their stages; steps without ids yet."""
    found: dict[str, _Stage] = {}
    current: _Stage | None = None
    located: Located = []
    for record in records:
        id_cell, name_cell = record.get("stage_id"), record.get("stage_name")
        if id_cell or name_cell:
            key = id_cell.value.strip() if id_cell else "name:" + read_cell(name_cell.value).lower()  # type: ignore[union-attr]
            if key not in found:
                name = read_cell(name_cell.value) if name_cell else id_cell.value.strip()  # type: ignore[union-attr]
                found[key] = _Stage(
                    key, id_cell.value.strip() if id_cell else None, name, id_cell or name_cell
                )
            current = found[key]
        elif current is None:
            current = found.setdefault("", _Stage("", None, title, None))
        _stage_fields(reader, current, record)
        step_cells = {k: v for k, v in record.items() if not k.startswith("stage_")}
        if not step_cells:
            continue
        if "name" not in step_cells:
            reader.warn(
                next(iter(step_cells.values())),
                "missing-name",
                "this row has no step name: skipped",
            )
            continue
        step = _step(reader, step_cells)
        current.steps.append(step)
        located.append((step, step_cells))
    return list(found.values()), located


def _stage_fields(reader: Reader, stage: _Stage, record: Record) -> None:
    """A row's stage fields, unless the stage has them from a row above."""
    for column in ("goal", "description", "kpis", "feedback"):
        cell = record.get(f"stage_{column}")
        if cell is None:
            continue
        if column in stage.fields:
            if cell.value != stage.sources[column].value:
                first = stage.sources[column]
                reader.warn(
                    cell,
                    "conflict",
                    f"stage {stage.name!r} already has its {column} "
                    f"from row {first.row}; this one is not imported",
                )
            continue
        value: Any = (
            read_cell(cell.value)
            if column in ("goal", "description")
            else reader.items(cell, "kpi" if column == "kpis" else "feedback", stage=True)
        )
        stage.fields[column] = value
        stage.sources[column] = cell


def _step(reader: Reader, cells: Record) -> dict[str, Any]:
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
            emotion = reader.emotion(cell)
            if emotion is not None:
                step[key] = emotion
        elif column.kind == "bool":
            flag = reader.flag(cell)
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
            items = reader.items(cell, column.kind)
            if items:
                step[key] = items
    return step


def _stage_items(reader: Reader, grouped: list[_Stage]) -> list[dict[str, Any]]:
    """Each stage as map data, with its id: the sheet's when valid, else one from its name."""
    stage_ids = Ids()
    for stage in grouped:
        if stage.explicit_id and SLUG_RE.match(stage.explicit_id):
            stage_ids.reserve(stage.explicit_id)
    out = []
    for stage in grouped:
        if stage.explicit_id and SLUG_RE.match(stage.explicit_id):
            ident = stage.explicit_id
        else:
            if stage.explicit_id and stage.at is not None:
                reader.warn(stage.at, "bad-id", f"stage id {stage.explicit_id!r} is not a valid id")
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
    return out


def _step_ids(reader: Reader, located: Located) -> set[str]:
    """Every step's id: the valid, free ids the sheet gives first, then the others; all ids."""
    step_ids = Ids()
    for step, cells in located:
        given = cells.get("id")
        if (
            given is not None
            and SLUG_RE.match(given.value.strip())
            and given.value.strip() not in step_ids.taken
        ):
            step_ids.reserve(given.value.strip())
            step["id"] = given.value.strip()
    for step, cells in located:
        if "id" not in step:
            step["id"] = reader.ident(cells.get("step_id"), step["name"], step_ids, "step")
    return step_ids.taken


def _check_next(reader: Reader, located: Located, known: set[str]) -> None:
    """`next` keeps the steps that exist; each step's fields in the map format's order."""
    for step, cells in located:
        if "next" in step:
            kept = []
            for target in step["next"]:
                if target in known:
                    kept.append(target)
                else:
                    from journeymap.suggest import did_you_mean

                    reader.warn(
                        cells["next"],
                        "unknown-reference",
                        f"unknown step {target!r}{did_you_mean(target, sorted(known))}; left out",
                    )
            step["next"] = kept
        ordered = dict(sorted(step.items(), key=lambda kv: _FIELD_ORDER[kv[0]]))
        step.clear()
        step.update(ordered)
