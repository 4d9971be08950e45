"""A sheet's rows as records of cells, and each cell's text as a value, with located findings.

The header row is found among the first rows and its names matched to the layout's columns;
each row below it becomes a record (column key -> cell). A cell that does not read as what its
column holds is left out with a warning at its row and column letter.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from journeymap.findings import Finding, Severity
from journeymap.importers.common import Ids, ImportFailure, ImportResult
from journeymap.model import (
    SLUG_RE,
    EventMatch,
    Evidence,
    Feedback,
    Kpi,
    Link,
    Opportunity,
    PainPoint,
    StageFeedback,
)
from journeymap.spreadsheet.items import CellError, read_item, split_items
from journeymap.spreadsheet.layout import STEP_COLUMNS, Column, column_index, find_column

HEADER_SEARCH = 10  # rows searched for the header
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
class Cell:
    """A cell's text and where it stands (row and column from 1)."""

    value: str
    table: Table
    row: int
    column: int


Record = dict[str, Cell]  # column key -> its cell in one row


def cell_text(value: Any) -> str:
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


class Reader:
    """Reads the tables of one import; its findings go to the import's result."""

    def __init__(self, tables: dict[str, Table], result: ImportResult) -> None:
        self.tables = tables
        self.result = result
        self.heading: str | None = None  # a lone cell above the steps' header: a title
        self._records: dict[str, list[Record]] = {}

    def warn(self, cell: Cell, rule: str, message: str) -> None:
        self.result.findings.append(
            Finding(cell.table.display, cell.row, cell.column, rule, Severity.WARNING, message)
        )

    # -- a table with a header row
    def header(
        self, table: Table, columns: tuple[Column, ...], required: str
    ) -> tuple[int, dict[int, Column]]:
        index = column_index(columns)
        r = 0
        for r, row in enumerate(table.rows[:HEADER_SEARCH]):  # noqa: B007 (used after the loop)
            found = {
                c: find_column(index, cell_text(v))
                for c, v in enumerate(row)
                if cell_text(v).strip()
            }
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
            cell = Cell(cell_text(table.rows[r][c]), table, r + 1, c + 1)
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

    def records(self, table: Table, columns: tuple[Column, ...], required: str) -> list[Record]:
        if table.display in self._records:
            return self._records[table.display]
        start, mapping = self.header(table, columns, required)
        if columns is STEP_COLUMNS:
            for row in table.rows[: start - 1]:
                texts = [cell_text(v).strip() for v in row if cell_text(v).strip()]
                if len(texts) == 1 and self.heading is None:
                    self.heading = texts[0]
        out = []
        for r in range(start, len(table.rows)):
            row = table.rows[r]
            record = {}
            for c, column in mapping.items():
                if c < len(row):
                    text = cell_text(row[c])
                    if text.strip():
                        record[column.key] = Cell(text, table, r + 1, c + 1)
            if record:
                out.append(record)
        self._records[table.display] = out
        return out

    # -- cell values
    def items(self, cell: Cell | None, kind: str, *, stage: bool = False) -> list[Any]:
        """A cell's items of one kind; `stage`: a stage's, checked as the stage has them."""
        if cell is None:
            return []
        out = []
        model = StageFeedback if stage and kind == "feedback" else _ITEM_MODELS.get(kind)
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

    def emotion(self, cell: Cell) -> int | None:
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

    def flag(self, cell: Cell) -> bool | None:
        text = cell.value.strip().lower()
        if text in ("yes", "y", "true", "x", "1", "✓", "✔"):
            return True
        if text in ("no", "n", "false", "0", "-"):
            return False
        self.warn(cell, "bad-cell", f"{cell.value.strip()!r} is not yes or no; left out")
        return None

    def ident(self, cell: Cell | None, name: str, ids: Ids, what: str) -> str:
        """The id a cell gives, when it is a free valid id; else one made from the name."""
        if cell is not None:
            wanted = cell.value.strip()
            if SLUG_RE.match(wanted) and wanted not in ids.taken:
                ids.reserve(wanted)
                return wanted
            problem = "is already used" if SLUG_RE.match(wanted) else "is not a valid id"
            made = ids.make(wanted, what)
            self.warn(cell, "bad-id", f"{what} id {wanted!r} {problem}; imported as {made!r}")
            return made
        return ids.make(name, what)
