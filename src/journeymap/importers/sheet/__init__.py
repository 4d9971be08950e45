"""Spreadsheets as maps: a CSV file or an xlsx workbook, one row per step (layout: `spreadsheet`).

The header row names the lanes, in any order and by common alternative names (`Phase` for the
stage, `Feelings` for the emotion); rows above it (a title) are skipped. A blank stage cell
continues the stage above (merged cells). Personas, channels and the map's own fields come from
the Personas, Channels and Map sheets (xlsx) or `<name>.personas.csv`... beside the CSV file;
without a Personas sheet, each name in the Persona column becomes a persona.

Every finding names the file (and sheet), row and column: `steps.csv:14:F`. A cell that cannot
be read is left out of the map, so the map written is always valid.

`sources` reads the files into tables, `records` reads rows and cells, `stages` and `build` make
the map.
"""

from __future__ import annotations

from pathlib import Path

from journeymap.importers.common import ImportResult
from journeymap.importers.sheet.build import build
from journeymap.importers.sheet.sources import csv_tables, xlsx_tables


def import_csv(path: Path, display: str) -> ImportResult:
    """The map of a CSV steps file (and the files beside it), with findings."""
    return build(csv_tables(path, display), display, path.name.split(".", 1)[0])


def import_xlsx(path: Path, display: str) -> ImportResult:
    """The map of an xlsx workbook, with findings."""
    return build(xlsx_tables(path, display), display, path.name.split(".", 1)[0])
