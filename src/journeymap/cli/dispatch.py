"""The command line's front door: a plain `lint` command line runs without typer (`quick`),
everything else through the typer app (`app`). Both exit the same ways (`guard`)."""

from __future__ import annotations

import sys


def main() -> None:
    """Run the command line in `sys.argv` and exit with its code."""
    from journeymap.cli.quick import parse

    args = parse(sys.argv[1:])
    if args is not None:
        from journeymap.cli.guard import run_guarded
        from journeymap.cli.lint_report import lint_and_report

        run_guarded(lambda: lint_and_report(args))
    from journeymap.cli.app import main as app_main

    app_main()
