"""The `render` command's work: options in, files written or checked, a result out.

`run` returns a `RenderResult` (the lines to show and the exit code) or raises `RenderError`,
`ConfigError`, `InputError` or `MetricsError`; the command line prints. Nothing here writes to
stdout or stderr.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from journeymap.render import DEFAULT_FORMATS, RENDERER_BY_NAME
from journeymap.render.batch import MapRenderer, RenderSettings, plan, stale
from journeymap.render.layouts import layout_cache
from journeymap.render.themes import DEFAULT_THEME, THEMES
from journeymap.runner import InputOptions
from journeymap.suggest import did_you_mean
from journeymap.words import noun, plural

if TYPE_CHECKING:
    from journeymap.cache import ResultCache
    from journeymap.config import Config
    from journeymap.inputs import Tally
    from journeymap.render.batch import Plan
    from journeymap.render.leftovers import Leftover

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

#: Given the number of maps to render (None: not known, they are counted as they come), a
#: callback per map (its name) and a finisher.
Progress = Callable[[int | None], tuple[Callable[[str], None] | None, Callable[[], None]]]


class RenderError(Exception):
    """A render that cannot go on (exit code 2); `notes` are lines due on stderr before it."""

    def __init__(self, message: str, notes: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.notes = list(notes)


@dataclass(frozen=True)
class RenderOptions:
    """A render's settings, as the command line gives them."""

    output_dir: Path
    inputs: InputOptions = field(default_factory=InputOptions)
    formats: list[str] | None = None  # ["html,svg", "png"]; None: the configuration's
    theme: str | None = None  # None: the configuration's, else the default theme
    check: bool = False  # write nothing; report what is missing, stale or left over
    prune: bool = False  # remove the files left over from maps this run no longer renders
    today: dt.date | None = None
    metrics: Path | None = None  # None: the configuration's measure.metrics, if it exists
    jobs: int | None = None  # worker processes; None: one per core when there are many maps
    cache: bool = True  # the render and layout caches (render/batch.py, render/layouts.py)


@dataclass
class RenderResult:
    """What a render did: lines for stderr and (with --check) stdout, and the exit code."""

    notes: list[str]  # problems and warnings, one line each
    stale: list[tuple[str, Path]]  # with --check: ("missing" or "stale", the output's path)
    summary: str
    code: int
    #: With --check: each file left over from a map this run no longer renders, and why.
    leftovers: list[tuple[Path, str]] = field(default_factory=list)


def parse_formats(values: Iterable[str]) -> list[str]:
    """`["html,svg", "png"]` -> `["html", "svg", "png"]`, each known, no repeats.

    Raises RenderError for an unknown format, or when none is given."""
    out: list[str] = []
    for value in values:
        for name in (part.strip().lower() for part in value.split(",")):
            if not name:
                continue
            if name not in RENDERER_BY_NAME:
                raise RenderError(
                    f"unknown format '{name}'{did_you_mean(name, RENDERER_BY_NAME)}; "
                    f"choose from {', '.join(RENDERER_BY_NAME)}"
                )
            if name not in out:
                out.append(name)
    if not out:
        raise RenderError(f"no format given; choose from {', '.join(RENDERER_BY_NAME)}")
    return out


def run(paths: list[str], options: RenderOptions, progress: Progress | None = None) -> RenderResult:
    """Render (or, with `check`, compare) every map in `paths` into `options.output_dir`, and
    name (with `prune`, remove) the files left over there (render/leftovers.py)."""
    from journeymap.config import ConfigFinder
    from journeymap.inputs import Tally
    from journeymap.lint.core import check_configured_rules
    from journeymap.project import found_root
    from journeymap.runner import each_file, load_metrics

    measured, metrics_key = load_metrics(options.metrics, paths, options.inputs)
    tally = Tally()
    output_dir = options.output_dir
    _refuse(output_dir)
    if options.check and options.prune:
        raise RenderError(
            "--check and --prune together: --check writes and removes nothing; run --prune to "
            "remove the left-over files, --check to report them"
        )
    # The configuration of the first path given: its render settings apply to every map
    # (known before any map is rendered, as each is rendered where it is checked), and its
    # project root is where outputs name their maps from (render/marks.py).
    found = options.inputs
    first = Path(paths[0])
    config = ConfigFinder(found.config, found.isolated, found.config_rev).for_path(first)
    start = (first if first.is_dir() else first.parent).resolve()
    base = found_root(start) or start  # no project: from the maps' folder, wherever run from
    chosen = _formats(options.formats, config)
    theme_name = options.theme or (config.render_theme if config else None) or DEFAULT_THEME
    if theme_name not in THEMES:
        raise RenderError(
            f"unknown theme '{theme_name}'{did_you_mean(theme_name, THEMES)}; "
            f"choose from {', '.join(THEMES)}"
        )
    settings = RenderSettings(
        chosen, THEMES[theme_name], theme_name, output_dir, not options.check, options.today,
        measured, metrics_key, layout_cache(options.cache), base=base,
    )  # fmt: skip
    renderer = MapRenderer(settings)
    results_cache = _render_cache(renderer)
    cached = renderer.cached(results_cache) if results_cache is not None else None
    # Each map is rendered in the worker that checks it; only its outputs' digests (and the
    # bytes of those to write) and its summary for the portfolio come back.
    before = check_configured_rules
    results = each_file(paths, found, renderer, options.jobs, cached, tally, before=before)
    # --check writes nothing, so it says nothing about rendering either: only what is stale.
    advance, done = progress(0 if options.check else None) if progress else (None, _no)
    try:
        planned = plan(results, settings, advance)
    finally:
        done()
    if settings.layouts is not None:
        settings.layouts.prune()
    notes = [f"journeymap: error: {problem}" for problem in planned.problems]
    notes += [f"journeymap: warning: {warning}" for warning in planned.warnings]
    passed = _left_out(tally)
    left = _leftovers(paths, planned, settings, tally)
    if options.check:
        return _compare(planned, output_dir, notes, passed, left)
    result = _write(planned, output_dir, notes, passed)
    return _settle(result, left, options.prune)


def _refuse(output_dir: Path) -> None:
    """RenderError when `output_dir` is no folder to write into."""
    from journeymap.files import leads_out_of_the_project

    escape = leads_out_of_the_project(output_dir)
    if escape is not None:
        raise RenderError(escape)
    if output_dir.exists() and not output_dir.is_dir():
        raise RenderError(f"output directory {output_dir} exists and is not a directory")
    # What `-o` names when a file was meant: a folder would be made with that name.
    written = {f".{renderer.extension}" for renderer in RENDERER_BY_NAME.values()}
    if not output_dir.exists() and output_dir.suffix.lower() in written | {".htm"}:
        raise RenderError(
            f"output directory {output_dir} looks like a file's name: render writes each map's "
            "files (<id>.html, <id>.svg...) into a folder; give the folder"
        )


def _no() -> None:
    pass


def _formats(given: list[str] | None, config: Config | None) -> list[str]:
    if given:
        return parse_formats(given)
    if config is not None and config.render_formats:
        return parse_formats(config.render_formats)
    return list(DEFAULT_FORMATS)


def _compare(
    planned: Plan, output_dir: Path, notes: list[str], passed: str, left: list[Leftover]
) -> RenderResult:
    """--check: name every output that is missing or stale, and every file left over; write
    nothing."""
    out_of_date = stale(planned.outputs)
    outputs = f"{len(out_of_date)} of {plural(len(planned.outputs), 'output')} missing or stale"
    prune = "run the same command with --prune instead of --check"
    if out_of_date and left:
        summary = f"{outputs}, and {_left(left)}; {prune} to update {output_dir}{passed}"
    elif out_of_date:
        summary = f"{outputs}; run the same command without --check to update {output_dir}"
        summary += passed
    elif left:
        summary = (
            f"{plural(len(planned.outputs), 'output')} in {output_dir} "
            f"{noun(len(planned.outputs), 'is', 'are')} current, but {_left(left)}: "
            f"delete {'it' if len(left) == 1 else 'them'}, or {prune}{passed}"
        )
    else:
        count = len(planned.outputs)
        are = noun(count, "is", "are")
        summary = f"{plural(count, 'output')} in {output_dir} {are} current{passed}"
    if planned.internal:
        code = EXIT_ERROR
    else:
        code = EXIT_FINDINGS if out_of_date or left or planned.problems else EXIT_OK
    leftovers = [(leftover.path, leftover.why) for leftover in left]
    return RenderResult(notes, out_of_date, summary, code, leftovers)


def _write(planned: Plan, output_dir: Path, notes: list[str], passed: str) -> RenderResult:
    """Write the outputs that changed (each atomically); leave the others untouched."""
    from journeymap.files import write_atomic

    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise RenderError(
            f"cannot create output directory {output_dir}: {err.strerror or err}", notes
        ) from None
    written = 0
    for output in planned.outputs:
        if output.data is None:
            continue  # current on disk
        try:
            written += write_atomic(output.path, output.data)
        except OSError as err:
            raise RenderError(f"cannot write {output.path}: {err.strerror or err}", notes) from None
    count = len(planned.rendered)
    summary = (
        f"rendered {plural(count, 'map')} into {output_dir}: "
        f"{plural(written, 'file')} written, {len(planned.outputs) - written} unchanged{passed}"
    )
    if planned.internal:
        return RenderResult(notes, [], summary, EXIT_ERROR)
    return RenderResult(notes, [], summary, EXIT_FINDINGS if planned.problems else EXIT_OK)


def _left_out(tally: Tally | None) -> str:
    """What the summary adds about what was left out of the run, if anything."""
    from journeymap.inputs import links_not_followed

    if tally is None:
        return ""
    count = len(tally.passed_over)
    text = f"; {plural(count, 'YAML file')} passed over (not maps; -v names them)" if count else ""
    return text + (f"; {links_not_followed(len(tally.links))}" if tally.links else "")


def _leftovers(
    paths: list[str], planned: Plan, settings: RenderSettings, tally: Tally
) -> list[Leftover]:
    """The files in the output folder left over from maps this run no longer renders."""
    from journeymap.render.leftovers import find, run_maps

    assert settings.base is not None
    maps = run_maps(paths, settings.base, planned.sources, tally.passed_over)
    produced = {output.path.name for output in planned.outputs}
    extensions = {RENDERER_BY_NAME[name].extension for name in settings.formats}
    return find(settings.out_dir, produced, extensions, maps)


def _left(left: list[Leftover]) -> str:
    if len(left) == 1:
        return "1 file left over from a map that no longer makes it"
    return f"{len(left)} files left over from maps that no longer make them"


def _settle(result: RenderResult, left: list[Leftover], prune: bool) -> RenderResult:
    """A render that wrote its files: the leftovers named in warnings, or (`--prune`) removed
    and named."""
    if not left:
        return result
    if not prune:
        result.notes += [
            f"journeymap: warning: {item.path} is left over: {item.why}" for item in left
        ]
        them = "it" if len(left) == 1 else "them"
        result.summary += f"; {_left(left)} (delete {them}, or run again with --prune)"
        return result
    from journeymap.render.leftovers import remove

    removed, problems = remove(left)
    result.notes += [f"removed {item.path}: {item.why}" for item in removed]
    result.notes += [f"journeymap: error: {problem}" for problem in problems]
    result.summary += f"; {len(removed)} left-over file{'' if len(removed) == 1 else 's'} removed"
    if problems:
        result.code = EXIT_ERROR
    return result


def _render_cache(renderer: MapRenderer) -> ResultCache | None:
    """The cache of per-map results, on when the layout cache is."""
    layouts = renderer.options.layouts
    if layouts is None:
        return None
    from journeymap.cache import ResultCache, default_directory

    salt = f"render|{renderer.salt()}|{layouts.fingerprint}"
    return ResultCache(default_directory(), "render", salt)
