"""`journeymap init`: a new map from a template (or from an imported file), or a config file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from journeymap.cli.output import EXIT_FINDINGS, EXIT_OK, fail, use_color

PathOpt = Annotated[
    Path | None,
    typer.Argument(
        help="The new map (default journey.journey.yaml), or with --config the new "
        "configuration file (default journeymap.toml). A directory puts it there; "
        "missing folders are created.",
        show_default=False,
    ),
]
TemplateOpt = Annotated[
    str, typer.Option("--template", "-t", metavar="NAME", help="Stage framework; see --list.")
]
TitleOpt = Annotated[str | None, typer.Option("--title", metavar="TEXT", help="The map's title.")]
ListOpt = Annotated[
    bool, typer.Option("--list", help="List the templates, one line each, and exit.")
]
ConfigFileOpt = Annotated[
    bool,
    typer.Option("--config", help="Write a commented journeymap.toml with every default."),
]
SchemaRefOpt = Annotated[
    str | None,
    typer.Option(
        "--schema",
        metavar="PATH|URL",
        help="Path or URL of the JSON Schema for the editor modeline "
        "(default: the project's schema/journeymap-1.schema.json if it has one).",
    ),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")]
FromFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--from",
        help="Start from an existing map instead of a template: a Mermaid journey "
        "(.mmd, or Markdown), a .csv or an .xlsx file (see `journeymap import`).",
        dir_okay=False,
    ),
]


def init(
    path: PathOpt = None,
    template: TemplateOpt = "five-stage",
    title: TitleOpt = None,
    list_: ListOpt = False,
    config_file: ConfigFileOpt = False,
    schema_ref: SchemaRefOpt = None,
    force: ForceOpt = False,
    from_file: FromFileOpt = None,
) -> None:
    """Start a new map from a template that validates, with comments that guide the author."""
    import shlex

    if title is not None and not title.strip():
        fail("--title is empty: give the map's title, or leave --title out for the template's")
    if from_file is not None:
        raise typer.Exit(init_from(from_file, path, title, force, schema_ref))

    from journeymap.init import InitError, create_config, create_map, list_templates

    if list_:
        typer.echo(list_templates(), nl=False)
        raise typer.Exit(EXIT_OK)
    try:
        if config_file:
            written = create_config(path, force)
            typer.echo(f"Wrote {written}: every setting at its default, with comments.")
        else:
            written = create_map(path, template, title, force, schema_ref)
            shown = shlex.quote(str(written))
            typer.echo(
                f"Wrote {written} from the {template} template. Next:\n"
                f"  journeymap serve {shown}   # edit it and watch the preview\n"
                f"  journeymap lint {shown}"
            )
    except InitError as err:
        fail(str(err))


def init_from(
    source: Path, path: Path | None, title: str | None, force: bool, schema: str | None
) -> int:
    """`journeymap init --from SOURCE`: returns the exit code (1 when the import warned)."""
    import shlex

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
