"""The `journeymap` command line: `dispatch` (the front door: a plain `lint` without typer, via
`quick` and `lint_report`, else `app`, the typer app), `guard` (every way out as an exit code),
`options` (shared option types), `output` (exit codes, errors, writing), `help` (the `--help`
layout), and `commands/`, one module per command."""
