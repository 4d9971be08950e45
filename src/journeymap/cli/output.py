"""What every command does at its edge: exit codes, errors, colour, writing its output.

Without typer: `journeymap lint`'s fast path (`quick.py`) uses these too.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    import datetime as dt

    from journeymap.findings import Finding
    from journeymap.inputs import LinkNotFollowed
    from journeymap.runner import InputOptions

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130


def fail(message: str, code: int = EXIT_ERROR) -> NoReturn:
    """Print `journeymap: error: ...` on stderr, as one line, and exit.

    The message may quote a file name, a configuration key or map text: `terminal` keeps it on
    its line (GitHub's runner takes a line that starts with `::` as a workflow command)."""
    from journeymap.escape import terminal

    _error_line(f"journeymap: error: {terminal(message)}")
    raise SystemExit(code)


def _error_line(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def note(message: str) -> None:
    """One line on stderr; file names and map text in it stay on the line (`terminal`)."""
    from journeymap.escape import terminal

    sys.stderr.write(terminal(message) + "\n")
    sys.stderr.flush()


def parse_today(today: str | None) -> dt.date | None:
    """The value of `--today YYYY-MM-DD`, or a usage error (exit 2)."""
    import datetime

    if today is None:
        return None
    try:
        return datetime.date.fromisoformat(today)
    except ValueError:
        fail(f"--today {today!r}: expected a date as YYYY-MM-DD")


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
    from journeymap.files import make_folder, write_atomic

    if output.is_dir():
        fail(f"cannot write {output}: it is a folder; give the name of a file to write")
    try:
        make_folder(output)
        write_atomic(output, text.encode("utf-8"))
    except OSError as err:
        fail(f"cannot write {output}: {err.strerror or err}")


def input_options(
    config: Path | None,
    isolated: bool,
    config_rev: str | None,
    strict: bool,
    verbose: bool,
    on_note: Callable[[str], None] | None = None,
) -> InputOptions:
    """Where a run's inputs and their configuration come from; with --verbose, each YAML file
    passed over and each link not followed is named on stderr."""
    from journeymap.runner import InputOptions

    return InputOptions(
        config,
        isolated,
        config_rev,
        strict,
        passed_over_printer(verbose),
        on_note,
        link_printer(verbose),
    )


def passed_over_printer(verbose: bool) -> Callable[[Path], None] | None:
    """With --verbose, a callback naming each YAML file passed over (not a map) on stderr."""
    if not verbose:
        return None

    def name(path: Path) -> None:
        from journeymap.escape import terminal

        _error_line(f"passed over {terminal(str(path))} (no top-level `journeymap: 1`)")

    return name


def link_printer(verbose: bool, prefix: str = "") -> Callable[[LinkNotFollowed], None] | None:
    """With --verbose, a callback naming each link not followed on stderr, and where it
    points: the link's name and target come from whoever committed them (`terminal`)."""
    if not verbose:
        return None

    def name(link: LinkNotFollowed) -> None:
        from journeymap.escape import terminal

        _error_line(prefix + terminal(link.line()))

    return name


def exit_code(findings: list[Finding], failed: bool) -> int:
    """2 when a file met an internal error (the others were still checked), else 1 or 0."""
    from journeymap.findings import INTERNAL

    if any(f.rule == INTERNAL for f in findings):
        return EXIT_ERROR
    return EXIT_FINDINGS if failed else EXIT_OK
