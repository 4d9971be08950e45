"""Every way out of a command as an exit code, for the typer app and the quick path alike.

Exit codes: 0 clean, 1 problems found (also when the reader of the output went away), 2 usage,
configuration or internal error, 130 on Ctrl-C or `kill` (SIGTERM). No traceback reaches the
user unless `--debug` (JOURNEYMAP_DEBUG) asks for it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import NoReturn

from journeymap.cli.output import EXIT_ERROR, EXIT_FINDINGS, EXIT_INTERRUPTED


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run_guarded(command: Callable[[], int]) -> NoReturn:
    """Run `command` and exit with its code; Ctrl-C, a broken pipe or a bug each as its
    message and code."""
    import signal
    import threading

    # `kill` (SIGTERM) unwinds like Ctrl-C, so files being written remove their temporaries.
    on_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.getsignal(signal.SIGTERM) if on_main_thread else None
    if on_main_thread and previous == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _interrupt)
    try:
        code = _code_of(command)
    finally:
        if on_main_thread and previous == signal.SIG_DFL:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if code == EXIT_INTERRUPTED:
        sys.stderr.write("journeymap: interrupted\n")
    sys.exit(code)


def _code_of(command: Callable[[], int]) -> int:
    try:
        return command()
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(EXIT_FINDINGS)
    except Exception as err:  # the last line of defence: one line, never a traceback
        show_internal_error(err)
        sys.exit(EXIT_ERROR)


def show_internal_error(err: Exception) -> None:
    if os.environ.get("JOURNEYMAP_DEBUG"):
        import traceback

        traceback.print_exc()
        return
    from journeymap.escape import terminal

    sys.stderr.write(
        f"journeymap: internal error: {type(err).__name__}: {terminal(str(err))}\n"
        "This is a bug in journeymap. Run again with --debug for the traceback and "
        "report it.\n"
    )
