"""Reading a configuration file (TOML) into a `Config`, checking every key and value."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from journeymap.choices import RENDERER_NAMES, THEME_NAMES
from journeymap.config.places import Places, scan
from journeymap.config.settings import (
    MAX_DEPTH_CEILING,
    SEVERITY_SETTINGS,
    THRESHOLD_ALIASES,
    Config,
    ConfigError,
    located,
    located_value,
)
from journeymap.config.tomltext import BOM, load, misspelt_tables
from journeymap.durations import window_seconds
from journeymap.findings import FAIL_ON
from journeymap.loader import DEFAULT_LIMITS, Limits
from journeymap.suggest import did_you_mean

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


def _hint(word: str, choices: tuple[str, ...] | list[str]) -> str:
    return did_you_mean(word, choices, "known keys")


class _Where:
    """Places in one configuration's text, for its messages: `FILE:LINE:COLUMN`."""

    def __init__(self, where: str, source: str | None, path: Path) -> None:
        self.where, self.source, self.path = where, source, path
        self._places: Places | None = None

    def key(self, table: str = "", key: str | None = None) -> str:
        """Of `key` in `[table]` (of the table, without a key)."""
        if self.source is None:
            return self.where
        return located(self.where, self.source, table, key, self.path)

    def value(self, table: str, key: str, *item: str | int) -> str:
        """Of the value of `key` in `[table]`, or of that `item` of it."""
        if self.source is None:
            return self.where
        if self._places is None:
            self._places = scan(self.source)
        return located_value(self.where, self.source, table, key, self.path, self._places, item)


def parse(table: dict[str, Any], path: Path, where: str, source: str | None = None) -> Config:
    """Build a Config from a TOML table; `where` names it in errors, `source` is its text."""
    places = _Where(where, source, path)

    def fail(
        message: str,
        table: str = "",
        key: str | None = None,
        at: tuple[str | int, ...] | None = None,
    ) -> ConfigError:
        """At `key` in `[table]`; with `at`, at its value (`()`) or that item of it."""
        if at is not None and key is not None:
            return ConfigError(f"{places.value(table, key, *at)}: {message}")
        return ConfigError(f"{places.key(table, key)}: {message}")

    for key in table:
        if key not in _KEYS:
            raise fail(f"unknown key '{key}'{_hint(key, _KEYS)}", "", key)
    rules, rule_options = _rules(table.get("rules", {}), fail)
    fail_on = table.get("fail-on", "error")
    if fail_on not in FAIL_ON:
        raise fail(f"fail-on = {fail_on!r}: must be one of {', '.join(FAIL_ON)}", "", "fail-on")
    exclude = table.get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(g, str) for g in exclude):
        raise fail("'exclude' must be a list of glob patterns", "", "exclude")
    pfi = table.get("per-file-ignores", {})
    if not isinstance(pfi, dict) or not all(
        isinstance(v, list) and all(isinstance(r, str) for r in v) for v in pfi.values()
    ):
        raise fail("'per-file-ignores' must be a table of glob = [rule, ...]", "per-file-ignores")
    if "stale-after-days" in table:
        _alias(rule_options, ("stale-map", "after-days"), table["stale-after-days"], fail)
    theme, formats = _render(table.get("render", {}), fail)
    measure = _measure(table.get("measure", {}), path, fail, places)
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


Fail = Callable[..., ConfigError]  # (message, table="", key=None, at=None): located there


def _rules(table: Any, fail: Fail) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """`[rules]`: rule = severity, and `[rules.options.<rule>]` tables of option = value."""
    if not isinstance(table, dict):
        raise fail("'rules' must be a table of rule = \"off|info|warning|error\"", "", "rules")
    rules: dict[str, str] = {}
    options: dict[str, dict[str, Any]] = {}
    for rule, setting in table.items():
        if rule == "options":
            if not isinstance(setting, dict) or not all(
                isinstance(v, dict) for v in setting.values()
            ):
                raise fail(
                    "rules.options must hold one table per rule: [rules.options.RULE]",
                    "rules",
                    "options",
                )
            options = {name: dict(values) for name, values in setting.items()}
        elif setting not in SEVERITY_SETTINGS:
            choices = ", ".join(SEVERITY_SETTINGS)
            raise fail(f"rules.{rule} = {setting!r}: must be one of {choices}", "rules", rule)
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
            "and under its older name; keep the first",
            f"rules.options.{rule}",
            name,
        )
    options.setdefault(rule, {})[name] = value


def _render(table: Any, fail: Fail) -> tuple[str | None, tuple[str, ...] | None]:
    if not isinstance(table, dict):
        raise fail("'render' must be a table with 'theme' and/or 'formats'", "", "render")
    for key in table:
        if key not in _RENDER_KEYS:
            raise fail(f"unknown key 'render.{key}'{_hint(key, _RENDER_KEYS)}", "render", key)
    formats = table.get("formats")
    if formats is not None and (
        not isinstance(formats, list) or not all(isinstance(f, str) for f in formats)
    ):
        raise fail('render.formats must be a list such as ["html", "svg"]', "render", "formats")
    for index, item in enumerate(formats or ()):
        # As `render --format` reads it: comma-separated names, any case.
        for name in (part.strip().lower() for part in item.split(",")):
            if name and name not in RENDERER_NAMES:
                raise fail(
                    f"render.formats: unknown format '{name}'{did_you_mean(name, RENDERER_NAMES)}"
                    f"; choose from {', '.join(RENDERER_NAMES)}",
                    "render",
                    "formats",
                    at=(index,),
                )
    theme = table.get("theme")
    if theme is not None and not isinstance(theme, str):
        raise fail("render.theme must be a theme name", "render", "theme")
    if theme is not None and theme not in THEME_NAMES:
        raise fail(
            f"render.theme: unknown theme '{theme}'{did_you_mean(theme, THEME_NAMES)}; "
            f"choose from {', '.join(THEME_NAMES)}",
            "render",
            "theme",
            at=(),
        )
    return theme, tuple(formats) if formats is not None else None


def _limits(table: Any, fail: Fail) -> Limits:
    if not isinstance(table, dict):
        raise fail("'limits' must be a table", "", "limits")
    values: dict[str, int] = {}
    for key, value in table.items():
        if key not in _LIMIT_KEYS:
            raise fail(f"unknown key 'limits.{key}'{_hint(key, tuple(_LIMIT_KEYS))}", "limits", key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise fail(f"limits.{key} must be a positive whole number", "limits", key)
        if key == "max-depth" and value > MAX_DEPTH_CEILING:
            raise fail(
                f"limits.max-depth can be at most {MAX_DEPTH_CEILING}: deeper nesting would "
                "exhaust the parser's stack (a journey map nests about 8 levels)",
                "limits",
                key,
            )
        values[_LIMIT_KEYS[key]] = value
    return Limits(**{**DEFAULT_LIMITS.__dict__, **values})


def _measure(table: Any, path: Path, fail: Fail, places: _Where) -> dict[str, Any]:
    """`[measure]`: data paths (relative to the configuration file, inside its folder), column
    names, defaults; `root`, the configuration's folder, when it names data paths; `path_at`,
    where each step of `path` is written, for the errors of the maps that lack one."""
    if not isinstance(table, dict):
        raise fail("'measure' must be a table", "", "measure")
    out: dict[str, Any] = {}
    for key, value in table.items():
        if key not in _MEASURE_KEYS:
            raise fail(f"unknown key 'measure.{key}'{_hint(key, _MEASURE_KEYS)}", "measure", key)
        if key == "columns":
            if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
                raise fail(
                    'measure.columns must be a table such as {user = "user_id"}', "measure", key
                )
            for role in value:
                if role not in _COLUMN_ROLES:
                    hint = _hint(role, _COLUMN_ROLES)
                    raise fail(
                        f"unknown key 'measure.columns.{role}'{hint}", "measure.columns", role
                    )
            out[key] = dict(value)
        elif key == "thresholds":
            if not isinstance(value, dict):
                raise fail("measure.thresholds must be a table of name = number", "measure", key)
            for name in value:
                if name not in THRESHOLD_ALIASES:
                    raise fail(
                        f"unknown key 'measure.thresholds.{name}'"
                        f"{_hint(name, tuple(THRESHOLD_ALIASES))}",
                        "measure.thresholds",
                        name,
                    )
            out[key] = dict(value)
        elif key == "path":
            out[key] = _path(value, functools.partial(_at, fail, "path"))
            out["path_at"] = _path_places(out[key], places)
        elif not isinstance(value, str):
            raise fail(f"measure.{key} must be text", "measure", key)
        elif key in ("events", "responses", "metrics"):
            out[key] = _inside(key, value, path.parent, functools.partial(_at, fail, key))
        elif key == "window" and (wrong := _window_error(value)) is not None:
            raise fail(f"measure.window {value!r}: {wrong}", "measure", key, at=())
        elif key == "engine" and value not in LOCAL_ENGINES:
            raise fail(
                f"measure.engine {value!r}: a configuration can only choose an engine on this "
                f"machine ({', '.join(LOCAL_ENGINES)}); give a database or cluster with "
                "--engine URL: a configuration file can come from a pull request, and the "
                "engine gets the credentials of whoever runs the command",
                "measure",
                key,
            )
        else:
            out[key] = value
    if "events" in out or "responses" in out or "metrics" in out:
        out["root"] = str(path.parent)  # where the data paths must stay (measure.engines)
    return out


def _path(value: Any, fail: Fail) -> list[str] | dict[str, list[str]]:
    """`measure.path`: step ids for every map, or a table of them per map id."""

    def steps(item: Any) -> bool:
        return isinstance(item, list) and all(isinstance(v, str) for v in item)

    if steps(value) and value:
        return list(value)
    if isinstance(value, dict) and all(steps(v) and v for v in value.values()):
        return {str(k): list(v) for k, v in value.items()}
    raise fail(
        'measure.path must be a list of step ids such as ["sees-ad", "pays"], or a table of '
        'them per map id such as {checkout = ["views", "pays"]}; each names one step or more'
    )


def _path_places(
    steps: list[str] | dict[str, list[str]], places: _Where
) -> list[str] | dict[str, list[str]]:
    """`FILE:LINE:COLUMN` of each step of `measure.path` (per map id, for a table of them)."""
    if isinstance(steps, list):
        return [places.value("measure", "path", k) for k in range(len(steps))]
    return {
        name: [places.value("measure", "path", name, k) for k in range(len(ids))]
        for name, ids in steps.items()
    }


def _window_error(text: str) -> str | None:
    try:
        window_seconds(text)
    except ValueError as err:
        return str(err)
    return None


def _at(fail: Fail, key: str, message: str) -> ConfigError:
    """`fail` located at `[measure] key`."""
    return fail(message, "measure", key)


# The engines a configuration may name: nothing to connect to, no credentials to send.
LOCAL_ENGINES = ("duckdb", "spark")


def _inside(key: str, value: str, folder: Path, fail: Fail) -> str:
    """A data path of `[measure]`, made absolute; it must stay in the configuration's folder
    (a configuration from a pull request must not make CI read the runner's other files)."""
    relative = Path(value)
    if "://" in value or relative.is_absolute() or relative.anchor:
        elsewhere = "a file elsewhere" if key == "metrics" else "files elsewhere, or a table,"
        raise fail(
            f"measure.{key} {value!r}: must be a path relative to the configuration's folder "
            f"(give {elsewhere} with --{key})"
        )
    if ".." in relative.parts:
        raise fail(f"measure.{key} {value!r}: must not leave the configuration's folder ('..')")
    return str(folder / relative)


def read(path: Path, text: str | None = None, shown: str | None = None) -> Config:
    """Read a config file named explicitly or found by the search (or its `text`, from a git
    revision, shown in messages as `shown`)."""
    where = shown or str(path)
    try:
        if text is None:
            with path.open("rb") as handle:
                raw = handle.read()
            text = raw.decode("utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: configuration file not found") from None
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        column = err.start - raw.rfind(b"\n", 0, err.start)
        if line == 1 and raw.startswith(BOM.encode()):
            column -= len(BOM.encode())  # counted as the text is read: without it
        raise ConfigError(f"{where}:{line}:{column}: invalid TOML: the file is not UTF-8") from None
    except OSError as err:
        raise ConfigError(f"{path}: cannot read: {err.strerror}") from None
    text = text.removeprefix(BOM)  # as Notepad saves it: lines and columns count without it
    data = load(text, where)
    if path.name != "pyproject.toml":
        return parse(data, path, where, text)
    config = parse(data.get("tool", {}).get("journeymap", {}), path, where, text)
    return dataclasses.replace(config, notes=misspelt_tables(data, text, where))
