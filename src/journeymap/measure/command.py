"""The `measure` command's work: maps and options in, metrics.json (or SQL) text out.

`run` returns the text to write or raises `MeasureError`, `ConfigError` or `InputError`; the
command line (`cli/commands/measure.py`) prints it and sets the exit code. Nothing here writes
to stdout or stderr.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journeymap.runner import InputOptions
from journeymap.words import plural

if TYPE_CHECKING:
    from journeymap.inspection import Inspection
    from journeymap.measure.plan import MapFacts
    from journeymap.measure.run import Measured, Report, Request


@dataclass(frozen=True)
class MeasureOptions:
    """A measure's settings, as the command line gives them (None: the configuration's)."""

    inputs: InputOptions = field(default_factory=InputOptions)
    events: str | None = None
    responses: str | None = None
    since: str | None = None
    until: str | None = None
    window: str | None = None  # None: the configuration's measure.window, else 14d
    by: str | None = None
    path: str | None = None  # "a,b,c"
    engine: str | None = None
    memory_limit: str | None = None
    sql: bool = False  # the queries for a warehouse instead of running them
    dialect: str = "duckdb"
    results: list[Path] = field(default_factory=list)  # the exported results of the queries
    cache: bool = True  # read and write the result cache (the maps' facts)


def run(paths: list[str], options: MeasureOptions, progress: Report | None = None) -> Measured:
    """metrics.json for the maps in `paths` (or, with `sql`, the queries that compute it), with
    the warnings to print about it.

    `progress`, when given, hears the rows each query reads while it runs."""
    from journeymap.measure.run import Measured, from_results, measure, sql_text

    _check_options(options)
    facts, settings = _maps(paths, options.inputs, options.cache)
    request = _request(options, settings)
    if options.sql:
        return Measured(sql_text(facts, request, options.dialect))
    if options.results:
        return from_results(facts, request, options.results)
    for key in ("events", "responses"):
        if getattr(options, key) is None:
            _inside_configuration(settings, key)
    return measure(facts, request, progress)


@dataclass(frozen=True)
class MeasuredFile:
    """What `measure` keeps of one input file, in the result cache as JSON: a map's facts and
    the `[measure]` settings of its configuration, a library, or its format errors."""

    display: str
    errors: int = 0
    facts: MapFacts | None = None
    settings: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        facts = self.facts.to_json() if self.facts is not None else None
        return {
            "display": self.display,
            "errors": self.errors,
            "facts": facts,
            "settings": self.settings,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MeasuredFile:
        from journeymap.measure.plan import MapFacts

        facts = MapFacts.from_json(data["facts"]) if data["facts"] is not None else None
        return cls(data["display"], int(data["errors"]), facts, dict(data["settings"]))


def measured_file(checked: Inspection) -> MeasuredFile:
    """The inspection's map facts (None for a library or a map with format errors)."""
    from journeymap.measure.plan import facts_of

    if checked.findings or checked.journey is None:
        return MeasuredFile(checked.display, len(checked.findings))
    return MeasuredFile(checked.display, 0, facts_of(checked.journey), checked.config.measure)


def _maps(
    paths: list[str], inputs: InputOptions, cache: bool
) -> tuple[list[MapFacts], dict[str, Any]]:
    """The facts of the maps (not libraries) in `paths`, and the `[measure]` settings of the
    configuration they share (maps whose configurations measure differently stop the run); a
    map with format errors stops the run. An unchanged map's facts come from the result cache,
    without loading it (nor the model) again."""
    from journeymap.lint.core import check_configured_rules
    from journeymap.measure.engines import MeasureError
    from journeymap.runner import each_file, result_cache

    store = result_cache(cache, "measure", "facts")
    cached = None
    if store is not None:
        from journeymap.cache import Cached

        cached = Cached(store, dump=MeasuredFile.to_json, load=MeasuredFile.from_json)
    facts: list[MapFacts] = []
    settings: dict[str, Any] = {}
    broken: list[str] = []
    before = check_configured_rules  # as validate and lint refuse a configuration
    for item in each_file(paths, inputs, measured_file, jobs=1, cached=cached, before=before):
        if item.errors:
            broken.append(f"{item.display}: {plural(item.errors, 'format error')}")
            continue
        if item.facts is not None:
            if facts and _measuring(item.settings) != _measuring(settings):
                raise MeasureError(
                    f"{facts[0].file} and {item.facts.file} have different [measure] settings "
                    "(their configurations differ): measure them in separate runs, or give "
                    "one configuration with --config"
                )
            facts.append(item.facts)
            settings = item.settings
    if broken:
        shown = broken if len(broken) <= 10 else [*broken[:10], f"and {len(broken) - 10} more"]
        raise MeasureError(
            "; ".join(shown) + f"; run `journeymap validate {' '.join(paths)}` for each error, "
            "with its line and column"
        )
    if not facts:
        raise MeasureError(f"no maps in {', '.join(paths)} (only libraries)")
    return facts, settings


def _check_options(options: MeasureOptions) -> None:
    """Options that contradict each other or cannot be read, before any map is: exit 2."""
    from journeymap.measure.engines import MeasureError

    if options.sql and options.results:
        raise MeasureError(
            "--sql and --results: give one (--sql prints the queries, --results reads the rows "
            "they returned)"
        )
    given = [name for name in ("events", "responses", "engine") if getattr(options, name)]
    if options.results and given:
        raise MeasureError(
            f"--results with --{given[0]}: the rows were computed elsewhere; --{given[0]} "
            "is not used (leave it out)"
        )
    if options.sql and given:
        what = "--engine" if "engine" in given else f"--{given[0]}"
        read = "" if what == "--engine" else " (they read the views jm_events and jm_responses)"
        raise MeasureError(
            f"--sql with {what}: --sql prints the queries for --dialect{read}, it runs nothing "
            f"(leave {what} out)"
        )
    if options.dialect != "duckdb" and not options.sql:
        raise MeasureError(f"--dialect {options.dialect}: only with --sql (the SQL it prints)")


def _measuring(settings: dict[str, Any]) -> dict[str, Any]:
    """The settings that change what `measure` computes (not lint's thresholds or metrics)."""
    left_out = ("thresholds", "metrics", "root", "path_at")
    return {k: v for k, v in settings.items() if k not in left_out}


def _request(options: MeasureOptions, settings: dict[str, Any]) -> Request:
    """The command line's options over the configuration's `[measure]` settings."""
    from journeymap.measure.engines import Columns
    from journeymap.measure.run import Request

    columns_table = settings.get("columns", {})
    assert isinstance(columns_table, dict)
    return Request(
        events=options.events or _text(settings.get("events")),
        responses=options.responses or _text(settings.get("responses")),
        columns=Columns(**columns_table),
        since=options.since,
        until=options.until,
        window=options.window or _text(settings.get("window")) or "14d",
        by=options.by,
        path=_steps(options.path, settings.get("path")),
        path_from="--path" if options.path is not None else "measure.path",
        path_at=settings.get("path_at") if options.path is None else None,
        window_from="measure.window"
        if options.window is None and settings.get("window")
        else "--window",
        engine=options.engine or _text(settings.get("engine")),
        memory_limit=options.memory_limit,
    )


def _steps(option: str | None, setting: object) -> list[str] | dict[str, list[str]] | None:
    """`--path a,b,c`, else `[measure] path` (for every map, or per map id), else None (the
    steps with events)."""
    if option is not None:
        return [p.strip() for p in option.split(",") if p.strip()]
    if isinstance(setting, list):
        return [str(p) for p in setting]
    if isinstance(setting, dict):
        return {str(k): [str(p) for p in v] for k, v in setting.items()}
    return None


def _inside_configuration(settings: dict[str, Any], key: str) -> None:
    """MeasureError unless every file the configuration's data path `key` names is in its
    folder: a link in a pull request must not make CI read (and print) the runner's files."""
    from journeymap.files import outside
    from journeymap.measure.engines import MeasureError
    from journeymap.measure.engines.common import expand
    from journeymap.measure.use import outside_message

    spec, root = _text(settings.get(key)), _text(settings.get("root"))
    if spec is not None and root is not None:
        found = outside(expand(spec), Path(root))
        if found is not None:
            raise MeasureError(f"{found}: {outside_message(key, root)}")


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
