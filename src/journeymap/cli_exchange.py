"""`journeymap import` and `journeymap export`: maps in from Mermaid and spreadsheets, and out.

Kept apart from cli.py, which registers these commands (`register(app)`); like every command,
each parses its arguments, calls one function and prints. Heavy imports stay inside.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from journeymap.clihelp import HelpCommand


class ImportKind(StrEnum):
    mermaid = "mermaid"
    csv = "csv"
    xlsx = "xlsx"


class ExportKind(StrEnum):
    csv = "csv"
    xlsx = "xlsx"


class ReportFormat(StrEnum):
    text = "text"
    json = "json"


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
        ReportFormat, typer.Option("--format", "-f", help="Format of the findings.")
    ] = ReportFormat.text,
) -> None:
    """Import a map from a Mermaid journey diagram or a spreadsheet (CSV or xlsx).

    Findings name the line and column (or sheet, row and column) of what did not carry over;
    they go to stdout with -o, else to stderr. Exit codes: 0 clean, 1 findings, 2 the file
    holds no journey or cannot be read.
    """
    from journeymap.cli import EXIT_FINDINGS, EXIT_OK, fail, use_color
    from journeymap.importers import ImportFailure, run_import
    from journeymap.importers.common import json_report, plan_outputs, text_report, write_map

    try:
        result = run_import(kind.value, file, str(file))
        written = []
        for imported, target in plan_outputs(result, output):
            text = write_map(imported, target)
            if target is None:
                sys.stdout.write(text)
                sys.stdout.flush()
            if target is not None:
                written.append((imported, str(target)))
    except ImportFailure as err:
        fail(str(err))
    to_stderr = output is None
    if report_format is ReportFormat.json:
        report = json_report(result)
    else:
        stream = sys.stderr if to_stderr else sys.stdout
        report = text_report(result, written, use_color(stream))
    typer.echo(report, nl=False, err=to_stderr)
    raise typer.Exit(EXIT_FINDINGS if result.findings else EXIT_OK)


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
) -> None:
    """Export a map as a spreadsheet: one row per step, a column per lane.

    Personas, channels and the map's own fields go on their own sheets (xlsx) or files (CSV);
    `journeymap import` reads it back into the same map.
    """
    from journeymap.cli import EXIT_OK, fail
    from journeymap.exporters.sheet import ExportError, export_map

    try:
        written = export_map(path, kind.value, output)
    except ExportError as err:
        fail(str(err))
    from journeymap.escape import terminal

    typer.echo(f"Wrote {terminal(', '.join(str(p) for p in written))}", err=True)
    raise typer.Exit(EXIT_OK)


def init_from(
    source: Path, path: Path | None, title: str | None, force: bool, schema: str | None
) -> int:
    """`journeymap init --from SOURCE`: returns the exit code (1 when the import warned)."""
    import shlex

    from journeymap.cli import EXIT_FINDINGS, EXIT_OK, fail, use_color
    from journeymap.importers import create_from
    from journeymap.importers.common import text_report
    from journeymap.init import InitError

    try:
        written, result = create_from(source, path, title, force, schema)
    except InitError as err:
        fail(str(err))
    if result.findings:
        report = text_report(result, [(result.maps[0], str(written))], use_color(sys.stderr))
        typer.echo(report, nl=False, err=True)
    from journeymap.escape import terminal

    shown = terminal(shlex.quote(str(written)))
    typer.echo(
        f"Wrote {terminal(str(written))} from {terminal(str(source))} "
        f"({result.maps[0].counts()}). Next:\n"
        f"  journeymap serve {shown}   # edit it and watch the preview\n"
        f"  journeymap lint {shown}"
    )
    return EXIT_FINDINGS if result.findings else EXIT_OK


def register(app: typer.Typer) -> None:
    """Add the commands to the main app."""
    app.command("import", cls=HelpCommand)(import_command)
    app.command("export", cls=HelpCommand)(export_command)
