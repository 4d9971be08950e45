"""The `journeymap` command line: arguments in, calls below, exit code out.

Exit codes: 0 clean, 1 problems found, 2 usage, configuration or internal error, 130 on Ctrl-C.
Imports of the heavy parts happen inside the commands so `--version` and `--help` start fast.
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from journeymap import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130

app = typer.Typer(
    name="journeymap",
    help=(
        "Customer journey maps as code: validate, lint and render YAML journey maps.\n\n"
        "Exit codes: 0 clean, 1 problems found, 2 usage, configuration or internal error."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"journeymap {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show a full traceback on an internal error.")
    ] = False,
) -> None:
    if debug:
        os.environ["JOURNEYMAP_DEBUG"] = "1"


def fail(message: str, code: int = EXIT_ERROR) -> NoReturn:
    """Print `journeymap: error: ...` on stderr and exit."""
    typer.echo(f"journeymap: error: {message}", err=True)
    raise typer.Exit(code)


def use_color(stream: object = None) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    target = stream if stream is not None else sys.stdout
    isatty = getattr(target, "isatty", None)
    return bool(isatty and isatty())


def write_output(text: str, output: Path | None) -> None:
    """Print, or write a file atomically when `--output` is given."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from journeymap.files import write_atomic

    try:
        write_atomic(output, text.encode("utf-8"))
    except OSError as err:
        fail(f"cannot write {output}: {err.strerror or err}")


class ValidateFormat(StrEnum):
    text = "text"
    json = "json"


PathsArg = Annotated[
    list[str],
    typer.Argument(
        help="Map or library files, or directories to search for them.",
        metavar="PATH...",
        show_default=False,
    ),
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help="Use this configuration file instead of searching for one.",
        dir_okay=False,
    ),
]
IsolatedOpt = Annotated[
    bool, typer.Option("--isolated", help="Ignore every configuration file; use defaults.")
]
VerboseOpt = Annotated[
    bool, typer.Option("--verbose", "-v", help="Also name the YAML files passed over.")
]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write the report to this file instead of stdout."),
]


def check_paths(
    paths: list[str], config: Path | None, isolated: bool, verbose: bool
) -> tuple[list[object], object]:
    """Find and check every input; returns the per-file results and the config finder."""
    from journeymap.config import ConfigError, ConfigFinder
    from journeymap.workspace import Checker, InputError, discover

    try:
        finder = ConfigFinder(config, isolated)
        inputs = discover(paths, finder)
    except (ConfigError, InputError) as err:
        fail(str(err))
    if verbose:
        for skipped in inputs.passed_over:
            typer.echo(f"passed over {skipped} (no top-level `journeymap` key)", err=True)
    if not inputs.files:
        fail(f"no journeymap files found in {', '.join(paths)}")
    checker = Checker(finder)
    try:
        results: list[object] = [checker.check(path) for path in inputs.files]
    except (ConfigError, InputError) as err:
        fail(str(err))
    return results, finder


@app.command()
def validate(
    paths: PathsArg,
    output_format: Annotated[
        ValidateFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ValidateFormat.text,
    output: OutputOpt = None,
    config: ConfigOpt = None,
    isolated: IsolatedOpt = False,
    verbose: VerboseOpt = False,
) -> None:
    """Check maps against the format: syntax, schema, ids, references and libraries.

    Every problem is reported with file:line:column. A directory's YAML files that have a
    top-level `journeymap` key are checked; others are passed over.
    """
    from journeymap.report import REPORTER_BY_NAME, Report
    from journeymap.workspace import Checked

    results, _ = check_paths(paths, config, isolated, verbose)
    checked = [r for r in results if isinstance(r, Checked)]
    findings = sorted((f for r in checked for f in r.findings), key=lambda f: f.sort_key())
    report = Report(
        command="validate",
        files=[r.display for r in checked],
        findings=findings,
        color=use_color() and output is None,
    )
    write_output(REPORTER_BY_NAME[output_format.value].render(report), output)
    raise typer.Exit(EXIT_FINDINGS if findings else EXIT_OK)


@app.command()
def schema(output: OutputOpt = None) -> None:
    """Print the JSON Schema of the map format (for editors and other validators)."""
    import json

    from journeymap.model import schema_document

    text = json.dumps(schema_document(), indent=2, ensure_ascii=False) + "\n"
    write_output(text, output)


def main() -> None:
    """Entry point: run the app and turn every way out into an exit code."""
    import click

    try:
        code = app(standalone_mode=False)
    except click.exceptions.Exit as err:
        sys.exit(err.exit_code)
    except click.ClickException as err:
        err.show()
        sys.exit(EXIT_ERROR)
    except (KeyboardInterrupt, click.exceptions.Abort):
        sys.stderr.write("journeymap: interrupted\n")
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(EXIT_FINDINGS)
    except Exception as err:  # the last line of defence: one line, never a traceback
        if os.environ.get("JOURNEYMAP_DEBUG"):
            raise
        sys.stderr.write(
            f"journeymap: internal error: {type(err).__name__}: {err}\n"
            "This is a bug in journeymap. Run again with --debug for the traceback and "
            "report it.\n"
        )
        sys.exit(EXIT_ERROR)
    sys.exit(code if isinstance(code, int) else EXIT_OK)
