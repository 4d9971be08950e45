"""A configuration file's text as TOML, before its settings are read.

A UTF-8 byte-order mark (Windows Notepad writes one) is left out, as the maps' loader does;
tomllib's errors are given at their start, `FILE:LINE:COLUMN: ...`, and a key or table set twice
is named with the line it was first set on. In a pyproject.toml, a `[tool.*]` table whose name
is a near miss of `[tool.journeymap]` is named in a warning: it would be passed over in silence.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

from journeymap.config.places import Duplicate, scan
from journeymap.config.settings import ConfigError, locate, mention
from journeymap.suggest import edit_distance

BOM = "\ufeff"
_TOML_AT = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")
_TWICE = ("Cannot overwrite a value", "Cannot declare")
_TOOL = re.compile(r"""\btool\s*\.\s*["']?([A-Za-z0-9_-]+)""")


def load(text: str, where: str) -> dict[str, Any]:
    """The TOML document in `text` (without its byte-order mark); ConfigError, located, when
    it is not TOML."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(toml_error(where, str(err), text)) from None


def toml_error(where: str, message: str, text: str) -> str:
    """tomllib's message with its place moved to the front: `FILE:LINE:COL: invalid TOML: ...`
    ("at end of document": the end of the text); a key or table set twice at the second."""
    at = _TOML_AT.search(message)
    if at is None:
        return f"{where}: invalid TOML: {message}"
    if at.group(1) is None:
        line, column = text.count("\n") + 1, len(text.rsplit("\n", 1)[-1]) + 1
    else:
        line, column = int(at.group(1)), int(at.group(2))
    if message.startswith(_TWICE):
        twice = scan(text).duplicate
        # tomllib's place is where the second value ends: the same statement, or none found.
        if twice is not None and twice.end == line:
            return f"{where}:{twice.at[0]}:{twice.at[1]}: {_twice(twice)}"
    return f"{where}:{line}:{column}: invalid TOML: {message[: at.start()]}"


def _twice(duplicate: Duplicate) -> str:
    first = f"(first on line {duplicate.first})"
    if duplicate.name.startswith("["):
        return f"duplicate table {duplicate.name} {first}"
    table = f" in [{duplicate.table}]" if duplicate.table else ""
    return f"duplicate key '{duplicate.name}'{table} {first}"


def names_a_near_miss(text: str) -> bool:
    """Whether a pyproject.toml's text may have a table `misspelt_tables` warns about (without
    parsing it: a pyproject.toml that is not a configuration is another tool's, usually)."""
    return any(_near_miss(match.group(1)) for match in _TOOL.finditer(text))


def misspelt_tables(data: dict[str, Any], text: str, where: str) -> tuple[str, ...]:
    """A warning for each `[tool.NAME]` table of a pyproject.toml whose NAME is a near miss of
    `journeymap` (`journey-map`, `journeymaps`): journeymap does not read it."""
    tools = data.get("tool")
    if not isinstance(tools, dict):
        return ()
    out = []
    for name in tools:
        if _near_miss(name):
            line, column = locate(text, f"tool.{name}", None) or mention(text, name) or (1, 1)
            out.append(
                f"{where}:{line}:{column}: [tool.{name}] is not read; "
                "did you mean [tool.journeymap]?"
            )
    return tuple(out)


def _near_miss(name: str) -> bool:
    """`journey-map`, `journeymaps`, `JourneyMap`: a typo of `journeymap`, not another tool."""
    return name != "journeymap" and edit_distance(name.lower(), "journeymap", 2) <= 2
