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
    import gc
    import os

    # pydantic looks for plugins in the entry points of every installed distribution when it
    # builds the model's first validator: 10-30 ms of start-up, and code from any package in
    # the environment run on every command. journeymap uses no plugin; a user who sets the
    # variable keeps their choice.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    # The collector's young generation runs every 700 new objects by default: during start-up
    # (pydantic builds its schemas) and while a lint collects thousands of findings that all
    # stay alive, that is ~180 collections and 40-50 ms for nothing, since what journeymap
    # builds is freed by reference counting. Collect far less often (rare cycles still go).
    gc.set_threshold(100_000, 50, 50)
    try:
        from journeymap.cli.dispatch import main as cli_main

        cli_main()  # imports the rest of the command line before it guards the command
    except KeyboardInterrupt:  # Ctrl-C while starting: the same message and code as later
        sys.stderr.write("journeymap: interrupted\n")
        sys.exit(130)
    except SystemExit as done:
        _exit_now(done.code)


def _exit_now(code: object) -> None:
    """Exit without tearing the interpreter down object by object.

    A lint of a thousand maps ends with tens of thousands of objects alive; freeing them one by
    one only to exit takes 25-30 ms. Everything journeymap writes is written and closed by now
    (files atomically, worker pools shut down); only the standard streams need flushing.
    Only the executable does this: `journeymap.cli.app.main`, which tests call, exits normally.
    """
    import contextlib
    import os

    if code is None:
        code = 0
    elif not isinstance(code, int):  # sys.exit("message"): print it, exit 1, as Python does
        sys.stderr.write(f"{code}\n")
        code = 1
    for stream in (sys.stdout, sys.stderr):
        # closed, or a reader that went away (a broken pipe): nothing more to do for it
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)
