"""`journeymap import` and `journeymap export`: maps in from Mermaid and spreadsheets, and out."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from journeymap.cli.options import TextOrJson
from journeymap.cli.output import EXIT_FINDINGS, EXIT_OK, fail, use_color
from journeymap.findings import Finding


class ImportKind(StrEnum):
    mermaid = "mermaid"
    csv = "csv"
    xlsx = "xlsx"


class ExportKind(StrEnum):
    csv = "csv"
    xlsx = "xlsx"


def import_command(
    kind: Annotated[
        ImportKind,
        typer.Argument(
            help="What FILE is: mermaid (.mmd or Markdown), csv or xlsx.", metavar="KIND"
        ),
    ],
    file: Annotated[
        Path, typer.Argument(help="The file to import.", metavar="FILE", show_default=False)
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the map to this file (or, for several maps, into this directory as "
            "<id>.journey.yaml) instead of stdout.",
        ),
    ] = None,
    report_format: Annotated[
        TextOrJson, typer.Option("--format", "-f", help="Format of the findings.")
    ] = "text",
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite a map file that already exists.")
    ] = False,
) -> None:
    """Import a map from a Mermaid journey diagram or a spreadsheet (CSV or xlsx).

    Findings name the line and column (or sheet, row and column) of what did not carry over;
    they go to stdout with -o, else to stderr. Exit codes: 0 clean, 1 findings, 2 the file
    holds no journey or cannot be read.
    """
    from journeymap.importers import ImportFailure, run_import
    from journeymap.importers.common import json_report, plan_outputs, text_report, write_map

    try:
        result = run_import(str(kind), file, str(file))
        written = []
        for imported, target in plan_outputs(result, output, force):
            text = write_map(imported, target)
            if target is None:
                sys.stdout.write(text)
                sys.stdout.flush()
            if target is not None:
                written.append((imported, str(target)))
    except ImportFailure as err:
        fail(str(err))
    to_stderr = output is None
    stream = sys.stderr if to_stderr else sys.stdout
    # Checked where it was written: a `uses` path is relative to the map file.
    invalid = _invalid_where_written([Path(target) for _, target in written])
    if report_format == "json":
        result.findings.extend(invalid)
        report = json_report(result)
    else:
        report = text_report(result, written, use_color(stream), invalid)
    typer.echo(report, nl=False, err=to_stderr)
    raise typer.Exit(EXIT_FINDINGS if result.findings or invalid else EXIT_OK)


def _invalid_where_written(paths: list[Path]) -> list[Finding]:
    """The format errors of the maps written, each checked where it is (its libraries too)."""
    if not paths:
        return []
    from journeymap.config import ConfigFinder
    from journeymap.inspection import Inspector

    inspector = Inspector(ConfigFinder(None, False))
    return [f for path in paths for f in inspector.inspect(path).findings if f.is_format_error]


def export_command(
    kind: Annotated[ExportKind, typer.Argument(help="csv or xlsx.", metavar="KIND")],
    path: Annotated[
        Path, typer.Argument(help="The map to export.", metavar="MAP", show_default=False)
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="The steps file to write (default: MAP-ID.csv or MAP-ID.xlsx). CSV also "
            "writes <name>.personas.csv, <name>.channels.csv and <name>.map.csv beside it.",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force", help="Overwrite the files that already exist (CSV: any of the four)."
        ),
    ] = False,
) -> None:
    """Export a map as a spreadsheet: one row per step, a column per lane.

    Personas, channels and the map's own fields go on their own sheets (xlsx) or files (CSV);
    `journeymap import` reads it back into the same map. A file that already exists is
    overwritten only with --force: without it, each one is named and nothing is written.
    """
    from journeymap.exporters.sheet import ExportError, export_map

    try:
        written = export_map(path, str(kind), output, force)
    except ExportError as err:
        fail(str(err))
    from journeymap.escape import terminal

    typer.echo(f"Wrote {terminal(', '.join(str(p) for p in written))}", err=True)
    raise typer.Exit(EXIT_OK)
