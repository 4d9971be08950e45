"""What a configuration says: the `Config` settings of one part of a repository.

Reading a file into a `Config` is `journeymap.config.reader`; finding the file that applies to a
map is `journeymap.config.search`.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from journeymap.config.places import Places
from journeymap.loader import DEFAULT_LIMITS, Limits

SEVERITY_SETTINGS = ("off", "info", "warning", "error")
MAX_DEPTH_CEILING = 256  # the loader builds values recursively; keep far below Python's 1000
# Older spellings of rule options: `[measure.thresholds]` names -> (rule, option).
THRESHOLD_ALIASES = {
    "emotion-positive-csat-share": ("emotion-contradicts-data", "positive-csat-share"),
    "emotion-positive-nps": ("emotion-contradicts-data", "positive-nps"),
    "emotion-negative-csat-share": ("emotion-contradicts-data", "negative-csat-share"),
    "unmapped-transition-share": ("unmapped-transition", "share"),
    "drop-off": ("unexplained-drop-off", "drop-off"),
}
_OLD_SPELLINGS = {
    ("", "stale-after-days"): ("stale-map", "after-days"),
    **{("measure.thresholds", name): target for name, target in THRESHOLD_ALIASES.items()},
}
DEFAULT_EXCLUDE = (".git", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".nox")


class ConfigError(Exception):
    """A configuration file that cannot be used; reported with exit code 2."""


@dataclass(frozen=True)
class Config:
    """Settings for one part of a repository. `root` is where relative globs start."""

    path: Path | None = None
    root: Path = field(default_factory=Path.cwd)
    rules: dict[str, str] = field(default_factory=dict)
    fail_on: str = "error"
    exclude: tuple[str, ...] = ()
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # `[rules.options.<rule>]`: option name -> value, as written (lint checks them against what
    # each rule declares); `stale-after-days` and `[measure.thresholds]` are older spellings.
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    render_theme: str | None = None
    render_formats: tuple[str, ...] | None = None
    limits: Limits = DEFAULT_LIMITS
    measure: dict[str, Any] = field(default_factory=dict)  # `[measure]`, paths made absolute
    # The file's text, to give a line for errors found later (unknown rule options).
    source: str | None = field(default=None, repr=False, compare=False)
    where: str = field(default="configuration", repr=False, compare=False)
    # Warnings about the file that do not stop a run (a misspelt `[tool.journeymap]`).
    notes: tuple[str, ...] = field(default=(), repr=False, compare=False)

    @property
    def stale_after_days(self) -> int:
        days = self.rule_options.get("stale-map", {}).get("after-days", 180)
        return days if isinstance(days, int) else 180

    def locate(self, table: str, key: str | None = None) -> str:
        """`FILE:LINE:COLUMN` of `key` in `[table]` (or of the table's header), as near as the
        file's text shows it; `where` alone when there is no text. A rule option given by an
        older spelling is found there."""
        if self.source is None or self.path is None:
            return self.where
        rule = table.removeprefix("rules.options.")
        for old, new in _OLD_SPELLINGS.items():
            if new == (rule, key) and find(self.source, table, key, self.path) is None:
                table, key = old
        return located(self.where, self.source, table, key, self.path)

    def relative(self, path: Path) -> str:
        """`path` relative to the config root, POSIX style, for glob matching."""
        resolved = path.resolve()
        try:
            return resolved.relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return resolved.as_posix()

    def is_excluded(self, path: Path) -> bool:
        if not self.exclude:
            return False  # the usual case: no path to resolve
        rel = self.relative(path)
        return any(_glob_match(rel, pattern) for pattern in self.exclude)

    def ignored_rules(self, path: Path) -> set[str]:
        if not self.per_file_ignores:
            return set()
        rel = self.relative(path)
        out: set[str] = set()
        for pattern, rules in self.per_file_ignores.items():
            if _glob_match(rel, pattern):
                out.update(rules)
        return out


def _glob_match(rel: str, pattern: str) -> bool:
    """Match like .gitignore-ish globs: `drafts/**`, `*.draft.yaml`, `legacy/old.yaml`."""
    pattern = pattern.strip().removeprefix("./")
    if fnmatch.fnmatch(rel, pattern):
        return True
    if "/" not in pattern:  # a bare name or glob matches at any depth
        return any(fnmatch.fnmatch(part, pattern) for part in rel.split("/"))
    return fnmatch.fnmatch(rel, pattern.rstrip("/") + "/*") or rel.startswith(
        pattern.rstrip("/*") + "/"
    )


_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")
_KEY = re.compile(r"""\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*=""")
#: Where a pyproject.toml keeps journeymap's settings.
PYPROJECT_TABLE = "tool.journeymap"


def locate(source: str, table: str, key: str | None) -> tuple[int, int] | None:
    """Line and column of `key = ...` under the header `[table]` of a TOML text (of the header
    itself when `key` is None); None when it is written another way (inline, dotted keys)."""
    wanted = _dotted(table) if table else ()
    inside = not wanted  # the top level, before the first header
    for number, line in enumerate(source.splitlines(), 1):
        header = _HEADER.match(line)
        if header is not None:
            inside = _dotted(header.group(1)) == wanted
            if inside and key is None:
                return number, line.index("[") + 1
            continue
        if inside and key is not None:
            match = _KEY.match(line)
            if match is not None and key in match.groups():
                quoted = match.group(3) is None
                return number, match.start(match.lastindex or 0) + 1 - quoted
    return None


def find(source: str, table: str, key: str | None, path: Path) -> tuple[int, int] | None:
    """`locate` in a configuration file: in a pyproject.toml under `[tool.journeymap]`."""
    if path.name == "pyproject.toml":
        table = f"{PYPROJECT_TABLE}.{table}" if table else PYPROJECT_TABLE
    return locate(source, table, key)


def located(where: str, source: str, table: str, key: str | None, path: Path) -> str:
    """`where` (the file as shown) with the line and column of `key` in `[table]`; when it is
    written another way (a dotted key, an inline table), of the first line that names it,
    else of the table's header, else of the file's first line: never without a place."""
    found = find(source, table, key, path)
    if found is None and key is not None:
        found = mention(source, key)
    if found is None and (table or path.name == "pyproject.toml"):
        found = find(source, table, None, path)
    line, column = found or (1, 1)
    return f"{where}:{line}:{column}{_tag(path)}"


def located_value(
    where: str,
    source: str,
    table: str,
    key: str,
    path: Path,
    places: Places,
    item: tuple[str | int, ...] = (),
) -> str:
    """`located` at the value of `key` in `[table]` (with `item`, at that item of it: an index
    in a list, a key in a table), however it is written; at the key when the value is not
    found."""
    prefix = tuple(PYPROJECT_TABLE.split(".")) if path.name == "pyproject.toml" else ()
    found = places.values.get((*prefix, *(_dotted(table) if table else ()), key, *item))
    if found is None:
        return located(where, source, table, key, path)
    return f"{where}:{found[0]}:{found[1]}{_tag(path)}"


def _tag(path: Path) -> str:
    """What follows a place in a pyproject.toml: whose table the settings are in."""
    return f": [{PYPROJECT_TABLE}]" if path.name == "pyproject.toml" else ""


def mention(source: str, key: str) -> tuple[int, int] | None:
    """The first place a key is written (bare or quoted) before `=`, `.` or `]`."""
    pattern = re.compile(r"""(?:^|[\s.\[{,])(["']?)""" + re.escape(key) + r"""\1\s*[=.\]]""")
    for number, line in enumerate(source.splitlines(), 1):
        match = pattern.search(line)
        if match is not None:
            return number, match.start(1) + 1
    return None


def _dotted(name: str) -> tuple[str, ...]:
    """A table name's parts, quotes removed."""
    return tuple(part.strip().strip('"').strip("'") for part in name.split("."))
