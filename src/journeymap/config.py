"""Finding and reading the configuration.

Looked up from each input file's directory upward to the repository root: the nearest
`journeymap.toml` or `.journeymap.toml`, else a `[tool.journeymap]` table in `pyproject.toml`.
`--config PATH` or `--isolated` override the search; `--config-rev REV` searches the same way
but reads the files as they are at a git revision (the pull request's base), so that a pull
request cannot change the configuration its own check uses (docs/security.md, trust model).
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from journeymap.findings import FAIL_ON
from journeymap.loader import DEFAULT_LIMITS, Limits
from journeymap.project import CONFIG_NAMES, PYPROJECT, PYPROJECT_TABLE, config_file_in, upward
from journeymap.suggest import did_you_mean

SEVERITY_SETTINGS = ("off", "info", "warning", "error")
_KEYS = (
    "rules",
    "fail-on",
    "exclude",
    "per-file-ignores",
    "stale-after-days",
    "render",
    "limits",
    "measure",
)
_MEASURE_KEYS = (
    "events",
    "responses",
    "columns",
    "window",
    "path",
    "metrics",
    "engine",
    "thresholds",
)
_COLUMN_ROLES = ("user", "event", "time", "survey", "score")
_RENDER_KEYS = ("theme", "formats")
_LIMIT_KEYS = {"max-bytes": "max_bytes", "max-depth": "max_depth", "max-nodes": "max_nodes"}
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

    @property
    def stale_after_days(self) -> int:
        days = self.rule_options.get("stale-map", {}).get("after-days", 180)
        return days if isinstance(days, int) else 180

    def locate(self, table: str, key: str | None = None) -> str:
        """`where` with the line and column of `key` in `[table]` (or of the table's header),
        when the file's text shows it; `where` alone otherwise. A rule option given by an
        older spelling is found there."""
        if self.source is None or self.path is None:
            return self.where
        found = locate(self.source, table, key)
        rule = table.removeprefix("rules.options.")
        for old, new in _OLD_SPELLINGS.items():
            if found is None and new == (rule, key):
                found = locate(self.source, *old)
        if found is None:
            return self.where
        line, column = found
        return f"{self.where.replace(str(self.path), f'{self.path}:{line}:{column}', 1)}"

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


def _hint(word: str, choices: tuple[str, ...] | list[str]) -> str:
    return did_you_mean(word, choices, "known keys")


def parse(table: dict[str, Any], path: Path, where: str, source: str | None = None) -> Config:
    """Build a Config from a TOML table; `where` names it in errors, `source` is its text."""

    def fail(message: str) -> ConfigError:
        return ConfigError(f"{where}: {message}")

    for key in table:
        if key not in _KEYS:
            raise fail(f"unknown key '{key}'{_hint(key, _KEYS)}")
    rules, rule_options = _rules(table.get("rules", {}), fail)
    fail_on = table.get("fail-on", "error")
    if fail_on not in FAIL_ON:
        raise fail(f"fail-on = {fail_on!r}: must be one of {', '.join(FAIL_ON)}")
    exclude = table.get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(g, str) for g in exclude):
        raise fail("'exclude' must be a list of glob patterns")
    pfi = table.get("per-file-ignores", {})
    if not isinstance(pfi, dict) or not all(
        isinstance(v, list) and all(isinstance(r, str) for r in v) for v in pfi.values()
    ):
        raise fail("'per-file-ignores' must be a table of glob = [rule, ...]")
    if "stale-after-days" in table:
        _alias(rule_options, ("stale-map", "after-days"), table["stale-after-days"], fail)
    theme, formats = _render(table.get("render", {}), fail)
    measure = _measure(table.get("measure", {}), path, fail)
    for name, value in measure.pop("thresholds", {}).items():
        _alias(rule_options, THRESHOLD_ALIASES[name], value, fail)
    return Config(
        measure=measure,
        path=path,
        root=path.parent,
        rules=rules,
        rule_options=rule_options,
        fail_on=fail_on,
        exclude=tuple(exclude),
        per_file_ignores={k: tuple(v) for k, v in pfi.items()},
        render_theme=theme,
        render_formats=formats,
        limits=_limits(table.get("limits", {}), fail),
        source=source,
        where=where,
    )


Fail = Callable[[str], ConfigError]


def _rules(table: Any, fail: Fail) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """`[rules]`: rule = severity, and `[rules.options.<rule>]` tables of option = value."""
    if not isinstance(table, dict):
        raise fail("'rules' must be a table of rule = \"off|info|warning|error\"")
    rules: dict[str, str] = {}
    options: dict[str, dict[str, Any]] = {}
    for rule, setting in table.items():
        if rule == "options":
            if not isinstance(setting, dict) or not all(
                isinstance(v, dict) for v in setting.values()
            ):
                raise fail("rules.options must hold one table per rule: [rules.options.RULE]")
            options = {name: dict(values) for name, values in setting.items()}
        elif setting not in SEVERITY_SETTINGS:
            raise fail(f"rules.{rule} = {setting!r}: must be one of {', '.join(SEVERITY_SETTINGS)}")
        else:
            rules[rule] = setting
    return rules, options


def _alias(
    options: dict[str, dict[str, Any]], target: tuple[str, str], value: Any, fail: Fail
) -> None:
    """Set a rule option given by its older spelling, unless the new one sets it too."""
    rule, name = target
    if name in options.get(rule, {}):
        raise fail(
            f"the option '{name}' of rule '{rule}' is set twice: in [rules.options.{rule}] "
            "and under its older name; keep the first"
        )
    options.setdefault(rule, {})[name] = value


def _render(table: Any, fail: Fail) -> tuple[str | None, tuple[str, ...] | None]:
    if not isinstance(table, dict):
        raise fail("'render' must be a table with 'theme' and/or 'formats'")
    for key in table:
        if key not in _RENDER_KEYS:
            raise fail(f"unknown key 'render.{key}'{_hint(key, _RENDER_KEYS)}")
    formats = table.get("formats")
    if formats is not None and (
        not isinstance(formats, list) or not all(isinstance(f, str) for f in formats)
    ):
        raise fail('render.formats must be a list such as ["html", "svg"]')
    theme = table.get("theme")
    if theme is not None and not isinstance(theme, str):
        raise fail("render.theme must be a theme name")
    return theme, tuple(formats) if formats is not None else None


def _limits(table: Any, fail: Fail) -> Limits:
    if not isinstance(table, dict):
        raise fail("'limits' must be a table")
    values: dict[str, int] = {}
    for key, value in table.items():
        if key not in _LIMIT_KEYS:
            raise fail(f"unknown key 'limits.{key}'{_hint(key, tuple(_LIMIT_KEYS))}")
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise fail(f"limits.{key} must be a positive whole number")
        if key == "max-depth" and value > MAX_DEPTH_CEILING:
            raise fail(
                f"limits.max-depth can be at most {MAX_DEPTH_CEILING}: deeper nesting would "
                "exhaust the parser's stack (a journey map nests about 8 levels)"
            )
        values[_LIMIT_KEYS[key]] = value
    return Limits(**{**DEFAULT_LIMITS.__dict__, **values})


_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")


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
            match = re.match(r"\s*(\"?)([A-Za-z0-9_-]+)\1\s*=", line)
            if match is not None and match.group(2) == key:
                return number, match.start(2) + 1 - len(match.group(1))
    return None


def _dotted(name: str) -> tuple[str, ...]:
    """A table name's parts, quotes removed."""
    return tuple(part.strip().strip('"').strip("'") for part in name.split("."))


def _measure(table: Any, path: Path, fail: Fail) -> dict[str, Any]:
    """`[measure]`: data paths (relative to the configuration file), column names, defaults."""
    if not isinstance(table, dict):
        raise fail("'measure' must be a table")
    out: dict[str, Any] = {}
    for key, value in table.items():
        if key not in _MEASURE_KEYS:
            raise fail(f"unknown key 'measure.{key}'{_hint(key, _MEASURE_KEYS)}")
        if key == "columns":
            if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
                raise fail('measure.columns must be a table such as {user = "user_id"}')
            for role in value:
                if role not in _COLUMN_ROLES:
                    raise fail(f"unknown key 'measure.columns.{role}'{_hint(role, _COLUMN_ROLES)}")
            out[key] = dict(value)
        elif key == "thresholds":
            if not isinstance(value, dict):
                raise fail("measure.thresholds must be a table of name = number")
            for name in value:
                if name not in THRESHOLD_ALIASES:
                    raise fail(
                        f"unknown key 'measure.thresholds.{name}'"
                        f"{_hint(name, tuple(THRESHOLD_ALIASES))}"
                    )
            out[key] = dict(value)
        elif key == "path":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise fail('measure.path must be a list of step ids such as ["sees-ad", "pays"]')
            out[key] = list(value)
        elif not isinstance(value, str):
            raise fail(f"measure.{key} must be text")
        elif key in ("events", "responses", "metrics") and "://" not in value:
            out[key] = str(path.parent / value) if not Path(value).is_absolute() else value
        else:
            out[key] = value
    return out


def read(path: Path, text: str | None = None, shown: str | None = None) -> Config:
    """Read a config file named explicitly or found by the search (or its `text`, from a git
    revision, shown in messages as `shown`)."""
    try:
        if text is None:
            with path.open("rb") as handle:
                text = handle.read().decode("utf-8")
        data = tomllib.loads(text)
    except FileNotFoundError:
        raise ConfigError(f"{path}: configuration file not found") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{shown or path}: invalid TOML: the file is not UTF-8") from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{shown or path}: invalid TOML: {err}") from None
    except OSError as err:
        raise ConfigError(f"{path}: cannot read: {err.strerror}") from None
    where = shown or str(path)
    source = text
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("journeymap", {})
        return parse(table, path, f"{where} [tool.journeymap]", source)
    return parse(data, path, where, source)


class GitConfigs:
    """The configuration files of a git revision, for `--config-rev`."""

    def __init__(self, rev: str, cwd: Path | None = None) -> None:
        self.rev = rev
        top = self._git(cwd, "rev-parse", "--show-toplevel")
        self.root = Path(top.decode("utf-8", "surrogateescape").strip()).resolve()
        try:
            self._git(cwd, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
        except ConfigError:
            raise ConfigError(f"--config-rev {rev}: unknown revision") from None
        listing = self._git(cwd, "ls-tree", "-r", "-z", "--name-only", "--full-tree", rev)
        names = (*CONFIG_NAMES, "pyproject.toml")
        self.files = {
            name
            for name in listing.decode("utf-8", "surrogateescape").split("\0")
            if name.rsplit("/", 1)[-1] in names
        }
        self.cwd = cwd

    def _git(self, cwd: Path | None, *args: str) -> bytes:
        import subprocess

        try:
            proc = subprocess.run(
                ["git", *args], cwd=cwd, capture_output=True, check=False, timeout=60
            )
        except (OSError, subprocess.SubprocessError) as err:
            raise ConfigError(f"--config-rev {self.rev}: cannot run git: {err}") from None
        if proc.returncode != 0:
            lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            raise ConfigError(
                f"--config-rev {self.rev}: git {args[0]}: {lines[-1] if lines else 'failed'}"
            )
        return proc.stdout

    def text(self, path: Path) -> str | None:
        """The file's text at the revision; None when it is not there. Outside the repository
        (a folder above the checkout, which no pull request can change) the file on disk."""
        try:
            rel = path.relative_to(self.root).as_posix()
        except ValueError:
            return path.read_text("utf-8", "replace") if path.is_file() else None
        if rel not in self.files:
            return None
        return self._git(self.cwd, "show", f"{self.rev}:{rel}").decode("utf-8", "replace")


class ConfigFinder:
    """Finds the nearest configuration for a directory, reading each file once."""

    def __init__(
        self, explicit: Path | None = None, isolated: bool = False, rev: str | None = None
    ) -> None:
        self._fixed: Config | None = None
        self._rev = GitConfigs(rev) if rev is not None and explicit is None else None
        if explicit is not None:
            self._fixed = read(explicit)
        elif isolated:
            self._fixed = Config()
        self._cache: dict[Path, Config] = {}
        self._by_parent: dict[Path, Config] = {}

    def for_file(self, path: Path) -> Config:
        """The configuration for a file (cached by its folder as written, no stat)."""
        if self._fixed is not None:
            return self._fixed
        cached = self._by_parent.get(path.parent)
        if cached is None:
            cached = self._by_parent[path.parent] = self._for_directory(path.parent.resolve())
        return cached

    def for_path(self, path: Path) -> Config:
        if self._fixed is not None:
            return self._fixed
        directory = path.resolve()
        if not directory.is_dir():
            directory = directory.parent
        return self._for_directory(directory)

    def _for_directory(self, directory: Path) -> Config:
        cached = self._cache.get(directory)
        if cached is not None:
            return cached
        config = self._search(directory)
        self._cache[directory] = config
        return config

    def _search(self, directory: Path) -> Config:
        """The configuration of the nearest folder upward that has one (each folder on the way
        remembers it), else the defaults rooted at the repository's top."""
        visited: list[Path] = []
        config: Config | None = None
        for folder in upward(directory):
            config = self._cache.get(folder)
            if config is not None:
                break
            visited.append(folder)
            config = self._read_in(folder)
            if config is not None:
                break
        if config is None:
            config = Config(root=visited[-1])
        for folder in visited:
            self._cache[folder] = config
        return config

    def _read_in(self, folder: Path) -> Config | None:
        """The configuration file in `folder` (at `--config-rev`'s revision, if given)."""
        if self._rev is None:
            found = config_file_in(folder)
            return read(found) if found is not None else None
        for name in (*CONFIG_NAMES, PYPROJECT):
            text = self._rev.text(folder / name)
            if text is None or (name == PYPROJECT and PYPROJECT_TABLE not in text):
                continue
            return read(folder / name, text, f"{self._rev.rev}:{folder / name}")
        return None
