"""The command line's front door: a plain `lint` or `measure` command line runs without typer
(`quick`), everything else through the typer app (`app`). Both exit the same ways (`guard`)."""

from __future__ import annotations

import sys


def main() -> None:
    """Run the command line in `sys.argv` and exit with its code."""
    from journeymap.cli.quick import parse

    args = parse(sys.argv[1:])
    if args is not None:
        from journeymap.cli.guard import run_guarded
        from journeymap.cli.lint_report import LintArgs, lint_and_report
        from journeymap.cli.measure_write import measure_and_write

        if isinstance(args, LintArgs):
            run_guarded(lambda: lint_and_report(args))
        run_guarded(lambda: measure_and_write(args))
    from journeymap.cli.app import main as app_main

    app_main()
