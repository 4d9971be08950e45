"""Where a project begins: the walk up from a folder to the repository's top.

The configuration search, the project root (for libraries and relative paths) and `serve`'s
list of configuration files to watch all walk the same way: from a folder upward, stopping at
the first folder that holds `.git` (or at the file system's root).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

CONFIG_NAMES = ("journeymap.toml", ".journeymap.toml")
PYPROJECT = "pyproject.toml"
# A header `[tool.journeymap]` or `[tool.journeymap.rules]`; not `[tool.journeymaps]`.
_PYPROJECT_TABLE = re.compile(
    r"^\ufeff?[ \t]*\[[ \t]*tool[ \t]*\.[ \t]*journeymap[ \t]*[.\]]", re.M
)


def real_path(path: Path) -> Path:
    """`path` with its links resolved; a link in a loop (or a name too long) stays as written,
    made absolute: it names no file, and reading it says why (`Path.resolve` would raise)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def upward(start: Path) -> Iterator[Path]:
    """`start`, then its parents, up to and including the first one holding `.git`."""
    for directory in (start, *start.parents):
        yield directory
        if (directory / ".git").exists():
            return


def config_file_in(directory: Path) -> Path | None:
    """The configuration file a folder holds, in order of preference, if any: `journeymap.toml`,
    `.journeymap.toml`, or a `pyproject.toml` with a `[tool.journeymap]` table."""
    for name in CONFIG_NAMES:
        candidate = directory / name
        if candidate.is_file():
            return candidate
    pyproject = directory / PYPROJECT
    if pyproject.is_file() and has_journeymap_table(pyproject.read_text("utf-8", "replace")):
        return pyproject
    return None


def has_journeymap_table(text: str) -> bool:
    """Whether a pyproject.toml's text has a `[tool.journeymap]` table (or one inside it)."""
    return _PYPROJECT_TABLE.search(text) is not None


def project_root(start: Path) -> Path:
    """The nearest folder from `start` upward holding a journeymap configuration or `.git`;
    the working directory when there is none."""
    return found_root(start) or Path.cwd().resolve()


@cache
def found_root(start: Path) -> Path | None:
    """The nearest folder from `start` upward holding a journeymap configuration or `.git`,
    if any.

    Cached: every map in a folder shares it, and the walk up is a dozen `stat` calls.
    """
    for directory in upward(start):
        if config_file_in(directory) is not None or (directory / ".git").exists():
            return directory
    return None
