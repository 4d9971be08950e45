"""The `journeymap` command line: the typer app, its commands, and every way out as an exit code.

Exit codes: 0 clean, 1 problems found, 2 usage, configuration or internal error, 130 on Ctrl-C.
Each command is its own module under `commands/`; heavy imports happen inside the commands so
`--version` and `--help` start fast.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from journeymap import __version__
from journeymap.cli.help import MAX_WIDTH, HelpCommand
from journeymap.cli.output import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK

#: Every command, in the order `--help` lists them: its name, and where its function lives.
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("journeymap.cli.commands.validate", "validate"),
    "lint": ("journeymap.cli.commands.lint", "lint"),
    "rules": ("journeymap.cli.commands.rules", "rules"),
    "schema": ("journeymap.cli.commands.schema", "schema"),
    "init": ("journeymap.cli.commands.init", "init"),
    "diff": ("journeymap.cli.commands.diff", "diff"),
    "render": ("journeymap.cli.commands.render", "render"),
    "serve": ("journeymap.cli.commands.serve", "serve"),
    "import": ("journeymap.cli.commands.exchange", "import_command"),
    "export": ("journeymap.cli.commands.exchange", "export_command"),
    "measure": ("journeymap.cli.commands.measure", "measure"),
}


def build_app(argv: list[str] | None = None) -> typer.Typer:
    """The typer app, with the commands `argv` can reach (every command when `argv` is None).

    Typer builds every registered command's parameters from its signature on each run, about
    a third of a one-file lint's start-up; a command line that names a command reaches only
    that one, so only that one is registered. Anything else (`--help`, an unknown command)
    gets them all, and with them the same listing and "No such command" as always.
    """
    import importlib

    app = typer.Typer(
        name="journeymap",
        help=(
            "Customer journey maps as code: validate, lint and render YAML journey maps.\n\n"
            "Exit codes: 0 clean, 1 problems found, 2 usage, configuration or internal error."
        ),
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"], "max_content_width": MAX_WIDTH},
    )
    app.callback()(_root)
    named = _command_named(argv)
    for name in [named] if named else COMMANDS:
        module, function = COMMANDS[name]
        command = getattr(importlib.import_module(module), function)
        app.command(name, cls=HelpCommand)(command)
    return app


def _command_named(argv: list[str] | None) -> str | None:
    """The command a command line runs, if it names a known one.

    The root options are flags (none takes a value), so the first argument that is not an
    option is the command's name."""
    for arg in argv or ():
        if arg == "--":
            return None
        if not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"journeymap {__version__}")
        raise typer.Exit(EXIT_OK)


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


def _exception_classes() -> tuple[
    tuple[type[BaseException], ...], tuple[type[Exception], ...], tuple[type[BaseException], ...]
]:
    """The (exit, usage error, abort) exception classes the app can raise.

    Typer 0.2x raises its own vendored copy of click's exceptions, older typer raises click's;
    catching only click's turned every usage error and Ctrl-C into an "internal error".
    """
    exits: list[type[BaseException]] = [typer.Exit]
    usage: list[type[Exception]] = []
    aborts: list[type[BaseException]] = [typer.Abort, KeyboardInterrupt]
    vendored = getattr(typer, "TyperException", None)
    if isinstance(vendored, type) and issubclass(vendored, Exception):
        usage.append(vendored)
    click = sys.modules.get("click")  # imported by the typer that uses it, if it does
    if click is not None:
        exits.append(click.exceptions.Exit)
        usage.append(click.ClickException)
        aborts.append(click.exceptions.Abort)
    return tuple(exits), tuple(usage), tuple(aborts)


def main() -> None:
    """Entry point: run the app and turn every way out into an exit code."""
    from journeymap.cli.guard import run_guarded

    run_guarded(_run)


def _run() -> int:
    """The app's exit code; a usage error or typer's Ctrl-C as its message and code (the rest:
    `run_guarded`)."""
    exits, usage_errors, aborts = _exception_classes()
    try:
        app = build_app(sys.argv[1:])
        code = app(standalone_mode=False, prog_name="journeymap")
    except exits as err:
        return int(getattr(err, "exit_code", EXIT_ERROR))
    except usage_errors as err:
        _show_usage_error(err)
        return EXIT_ERROR
    except aborts:
        return EXIT_INTERRUPTED
    return code if isinstance(code, int) else EXIT_OK


def _show_usage_error(err: Exception) -> None:
    # Newer typer checks values with pydantic, whose "Value error, " prefix is noise here.
    message = getattr(err, "message", None)
    if isinstance(message, str):
        setattr(err, "message", message.replace("Value error, ", ""))  # noqa: B010
    show = getattr(err, "show", None)
    if callable(show):
        show()
    else:
        from journeymap.escape import terminal

        sys.stderr.write(f"Error: {terminal(str(err))}\n")
