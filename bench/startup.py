"""Start-up cases for bench/run.py: the one-file lint (pre-commit, an editor on save) and
`journeymap --version`, each as a multiple of a bare interpreter (`python -c pass`).

run.py adds `rows(...)` to its table (timed like every row, interleaved, medians) and judges
`targets(...)`; this module keeps the commands and the limits of the start-up targets.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

#: Rows run once untimed before each timed run (their cache then holds the file's result,
#: whatever the other rows did to the cache since).
WARM = ("lint-one",)
#: The targets: one small file linted, and --version, as multiples of `python -c pass`.
LINT_ONE_LIMIT = 8.0
VERSION_LIMIT = 1.5


def rows(jm_cmd: Sequence[str], one_file: Path, today: str) -> list[tuple[str, str, list[str]]]:
    """(key, label, command) of each start-up row; `one_file` is one typical small map.

    The lint runs as a user would run it again on the same file (a pre-commit hook, an
    editor on save): its result is in the cache (`WARM`: run once, untimed, before each
    timed run, since other rows empty the cache between rounds). The second row checks the
    file afresh every time (`--no-cache`), as after an edit: it parses and validates, so it
    imports PyYAML and the pydantic models that a run answered from the cache does not
    (no target; shown)."""
    return [
        (
            "lint-one",
            "journeymap lint, 1 small map",
            [*jm_cmd, "lint", "--today", today, str(one_file)],
        ),
        (
            "lint-one-fresh",
            "journeymap lint, 1 small map, --no-cache",
            [*jm_cmd, "lint", "--no-cache", "--today", today, str(one_file)],
        ),
    ]


def targets(
    median: Callable[[str], float | None],
) -> list[tuple[str, float | None, float, tuple[str, ...]]]:
    """(name, measured ratio or None, limit, rows it needs) of each start-up target, from the
    median wall time of a row by key (None when the row was not measured)."""
    python = median("python")
    out = []
    for key, name, limit in (
        ("lint-one", "`journeymap lint` of 1 small map vs `python -c pass`", LINT_ONE_LIMIT),
        ("version", "`journeymap --version` vs `python -c pass` (start-up)", VERSION_LIMIT),
    ):
        own = median(key)
        ratio = own / python if own is not None and python else None
        out.append((name, ratio, limit, (key, "python")))
    return out
