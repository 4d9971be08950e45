"""The `journeymap` executable: answers `--version` before importing the command line.

Importing typer and click costs more than everything else `--version` does; a CI job that
prints the version, or a shell prompt that asks for it, should not pay for them.
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] in (["--version"], ["-V"]):
        from journeymap import __version__

        sys.stdout.write(f"journeymap {__version__}\n")
        sys.exit(0)
    try:
        from journeymap.cli import main as cli_main
    except KeyboardInterrupt:  # Ctrl-C while starting: the same message and code as later
        sys.stderr.write("journeymap: interrupted\n")
        sys.exit(130)
    cli_main()
