"""The `journeymap` command line: `app` (the typer app and `main`), `options` (shared option
types), `output` (exit codes, errors, writing), `help` (the `--help` layout), and `commands/`,
one module per command."""
