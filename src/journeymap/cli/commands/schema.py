"""`journeymap schema`: the JSON Schema of the map format."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from journeymap.cli.output import write_output


def schema(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the schema to this file instead of stdout (missing folders are created).",
        ),
    ] = None,
) -> None:
    """Print the JSON Schema of the map format (for editors and other validators)."""
    import json

    from journeymap.model import schema_document

    text = json.dumps(schema_document(), indent=2, ensure_ascii=False) + "\n"
    write_output(text, output)
