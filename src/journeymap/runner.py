"""Running a command's per-file work over every input named on its command line.

`each_file` finds the inputs (files as named, folders by their maps), runs the per-file
pipeline on each and hands the inspection to the command's `task`, in file order. The commands
(`validate`, `lint`, `render`, `measure`) call it with their own task; it prints nothing and
raises `InputError` or `ConfigError` for what the command line cannot use.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from journeymap.cache import Cached, ResultCache
    from journeymap.config import Config, ConfigFinder
    from journeymap.inputs import Files, LinkNotFollowed, PassedOver, Tally
    from journeymap.inspection import Inspection

T = TypeVar("T")
U = TypeVar("U")


@dataclass(frozen=True)
class InputOptions:
    """Where the inputs' configuration comes from, and how strict discovery is."""

    config: Path | None = None
    isolated: bool = False
    config_rev: str | None = None
    strict: bool = False  # a folder's YAML file that is not a map is an error
    #: Told about each YAML file passed over (not a map), e.g. to name it with --verbose.
    on_passed_over: Callable[[Path], None] | None = None
    #: Told, in a sentence, what the command leaves out (a configured metrics file not there).
    on_note: Callable[[str], None] | None = None
    #: Told about each link in a folder that is not followed (to a folder, or out of the
    #: project), e.g. to name it with --verbose.
    on_link: Callable[[LinkNotFollowed], None] | None = None


def each_file(
    paths: list[str],
    inputs: InputOptions,
    task: Callable[[Inspection], T],
    jobs: int | None = None,
    cached: Cached[T] | None = None,
    tally: Tally | None = None,
    *,
    before: Callable[[Config], None] | None = None,
) -> Iterator[T]:
    """Find every input, then inspect each file and hand it to `task`, in file order.

    `task` keeps what the command needs of a file (its findings) and lets the rest go, so
    memory stays flat; with many files the work is spread over the machine's cores (`jobs`).
    Raises InputError when no file at all is a map (a folder of other YAML must not pass
    silently), and InputError or ConfigError for an input that cannot be read or configured;
    `before` as in `each_file_then`.
    """
    return each_file_then(paths, inputs, task, _as_is, jobs, cached, tally, before=before)


def _as_is(result: T, position: int) -> T:
    return result


def each_file_then(
    paths: list[str],
    inputs: InputOptions,
    task: Callable[[Inspection], T],
    finish: Callable[[T, int], U],
    jobs: int | None = None,
    cached: Cached[T] | None = None,
    tally: Tally | None = None,
    *,
    by_name: bool = False,
    before: Callable[[Config], None] | None = None,
) -> Iterator[U]:
    """`each_file`, each result handed on to `finish` in the worker too (with the file's place
    among the inputs), and what it makes is what comes back; `by_name` as in
    `inspection.inspect_all`.

    Every configuration the files use is read before any file is: a bad one ends the run
    before anything is written (ConfigError), `before` sees each (to refuse what only the
    command knows is wrong), and the notes about them go to `inputs.on_note`, once."""
    import gc

    from journeymap.config import ConfigFinder
    from journeymap.inputs import InputError, discover
    from journeymap.inspection import FilePipeline, default_jobs, inspect_all

    finder = ConfigFinder(inputs.config, inputs.isolated, inputs.config_rev)
    found = discover(paths, finder, defer_sniff=True)
    for link in found.links:
        if tally is not None:
            tally.links.append(link)
        if inputs.on_link is not None:
            inputs.on_link(link)
    if not found.files:
        raise InputError(_nothing_found(paths, len(found.links), inputs))
    _configurations(found.files, finder, inputs, before)
    gc.freeze()  # what is alive now (the imported modules) never needs scanning again
    workers = jobs if jobs else default_jobs(len(found.files))
    pipeline = FilePipeline(finder, task, cached, found.unsniffed, inputs.strict)
    results = inspect_all(found.files, pipeline, finish, workers, by_name=by_name)
    return _maps_only(results, paths, inputs, tally, len(found.links))


def _configurations(
    files: Files,
    finder: ConfigFinder,
    inputs: InputOptions,
    before: Callable[[Config], None] | None,
) -> None:
    """Read the configuration of every file's folder, hand each to `before`, and say the
    finder's notes."""
    first: dict[str, str] = {}  # a file of each folder; names, not a Path for every file
    for name in files.names:
        first.setdefault(os.path.dirname(name), name)  # noqa: PTH120 (a name, not a Path)
    seen: set[int] = set()
    try:
        for name in first.values():
            config = finder.for_file(Path(name))
            if id(config) not in seen:
                seen.add(id(config))
                if before is not None:
                    before(config)
    finally:  # also before an error: a misspelt table may be why
        for line in dict.fromkeys(finder.notes):
            if inputs.on_note is not None:
                inputs.on_note(f"journeymap: warning: {line}")


def _nothing_found(paths: list[str], links: int, inputs: InputOptions) -> str:
    """The error of a run without a map; the links it did not follow may be why."""
    from journeymap.inputs import links_not_followed

    found = f"no journeymap files found in {', '.join(paths)}"
    if not links:
        return found
    named = "named above" if inputs.on_link is not None else "-v names them"
    return f"{found}; {links_not_followed(links, named)}"


def _maps_only(
    results: Iterator[T | PassedOver],
    paths: list[str],
    inputs: InputOptions,
    tally: Tally | None,
    links: int,
) -> Iterator[T]:
    from journeymap.inputs import InputError, PassedOver

    found = False
    for result in results:
        if isinstance(result, PassedOver):
            if tally is not None:
                tally.passed_over.append(result.path)
            if inputs.on_passed_over is not None:
                inputs.on_passed_over(result.path)
            continue
        found = True
        yield result
    if not found:
        raise InputError(_nothing_found(paths, links, inputs))


def result_cache(enabled: bool, command: str, salt: str) -> ResultCache | None:
    """The result cache of a command whose options are `salt`, unless turned off."""
    if not enabled or os.environ.get("JOURNEYMAP_NO_CACHE"):
        return None
    from journeymap.cache import ResultCache, code_fingerprint, default_directory

    return ResultCache(default_directory(), command, f"{command}|{salt}|{code_fingerprint()}")


def load_metrics(
    metrics: Path | None, paths: list[str], inputs: InputOptions
) -> tuple[dict[str, Any] | None, str]:
    """The metrics file named, or the configuration's; with a key for the result cache.

    Raises `journeymap.measure.use.MetricsError` for a file that cannot be used.
    """
    import hashlib

    from journeymap.config import ConfigFinder
    from journeymap.files import within
    from journeymap.measure.use import MetricsError, load

    if metrics is None and paths:
        finder = ConfigFinder(inputs.config, inputs.isolated, inputs.config_rev)
        measure = finder.for_path(Path(paths[0])).measure
        setting, root = measure.get("metrics"), measure.get("root")
        if isinstance(setting, str):
            # Outside the configuration's folder (a link): refused, there or not yet.
            if isinstance(root, str) and not within(Path(setting), Path(root)):
                from journeymap.measure.use import outside_message

                raise MetricsError(f"{setting}: {outside_message('metrics', root)}")
            metrics = _configured_metrics(Path(setting), inputs.on_note)
    if metrics is None:
        return None, ""
    data = load(metrics)
    return data, hashlib.sha256(metrics.read_bytes()).hexdigest()


def _configured_metrics(path: Path, on_note: Callable[[str], None] | None) -> Path | None:
    """The configuration's `[measure] metrics` file; None, said in a note, when it is not there
    yet (a fresh clone, before `journeymap measure` wrote it): the data rules and the Measured
    lane then have nothing to show, which must not pass unsaid."""
    from journeymap.inputs import display_name
    from journeymap.measure.use import MetricsError

    if path.is_file():
        return path
    name = display_name(path)
    if path.exists():
        raise MetricsError(f"{name}: named by [measure] metrics, and not a file")
    if on_note is not None:
        on_note(
            f"note: {name} (the configuration's [measure] metrics) does not exist: no measured "
            f"figures in this run; `journeymap measure MAPS -o {name}` writes it"
        )
    return None
