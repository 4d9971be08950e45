"""Inspecting each input file: read -> load -> shape -> libraries and references.

One bad file never stops the others: every input yields an `Inspection` with its findings.
`inspect_each` runs the per-file pipeline (`FilePipeline`: sniff, read, result cache, inspect,
the command's task) over every file, in worker processes when there are many.
"""

from __future__ import annotations

import functools
import itertools
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeAlias, TypeVar, overload

from journeymap.cache import Cached
from journeymap.config import Config, ConfigError, ConfigFinder
from journeymap.findings import ORDER, Finding, Severity, internal_finding
from journeymap.inputs import Files, PassedOver, broken_link, display_name, looks_like_map
from journeymap.loader import LoadError, read, read_bytes
from journeymap.pool import ordered_map

if TYPE_CHECKING:
    # Parsing and validating import PyYAML and the pydantic models, when a file is first
    # inspected: a run whose results all come from the cache needs neither.
    from journeymap.loader import Document
    from journeymap.model import Library
    from journeymap.validation import Journey, LibraryLoader

T = TypeVar("T")
U = TypeVar("U")

# Below this many files one process is faster than starting workers.
PARALLEL_MIN_FILES = 48

LibraryResult: TypeAlias = "tuple[Document | None, Library | None, list[Finding]]"


@dataclass
class Inspection:
    """What inspecting one input file found: its document, model and format findings."""

    path: Path
    display: str
    config: Config
    document: Document | None = None
    journey: Journey | None = None
    library: Library | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings


def unreadable(path: Path, err: OSError) -> str:
    """Why a file cannot be read; for a symbolic link to nothing, where it points."""
    reason = err.strerror or type(err).__name__
    try:
        target = str(path.readlink()) if path.is_symlink() else None
    except OSError:
        target = None
    if target is not None and not path.exists():
        return f"cannot read: {broken_link(target, err)}"
    return f"cannot read: {reason}"


class Inspector:
    """Inspects files, reading and validating each library once however many maps use it."""

    def __init__(self, finder: ConfigFinder) -> None:
        self.finder = finder
        self._libraries: dict[Path, LibraryResult] = {}

    def inspect(
        self, path: Path, raw: bytes | None = None, display: str | None = None
    ) -> Inspection:
        """Inspect one file; `raw` is its bytes and `display` its name when the caller has them."""
        config = self.finder.for_file(path)
        if display is None:
            display = display_name(path)
        try:
            text = read(path, display, config.limits, raw)
        except LoadError as err:
            return Inspection(path=path, display=display, config=config, findings=[err.finding])
        except OSError as err:
            # One unreadable file is that file's problem; the others are still inspected.
            finding = Finding(display, 1, 1, "encoding", Severity.ERROR, unreadable(path, err))
            return Inspection(path=path, display=display, config=config, findings=[finding])
        return self.inspect_text(path, text, display)

    def inspect_text(
        self,
        path: Path,
        text: str,
        display: str,
        load_library: LibraryLoader | None = None,
    ) -> Inspection:
        """Inspect a map's text as the file at `path` (the text may come from a git revision,
        with `load_library` reading its libraries from there too)."""
        from journeymap.loader import load_text
        from journeymap.model import JourneyMap, Library
        from journeymap.validation import resolve, validate_shape

        config = self.finder.for_file(path)
        result = Inspection(path=path, display=display, config=config)
        try:
            doc = load_text(text, display, path, config.limits)
        except LoadError as err:
            result.findings.append(err.finding)
            return result
        result.document = doc
        result.findings.extend(doc.findings)
        value, findings = validate_shape(doc)
        result.findings.extend(findings)
        if isinstance(value, Library):
            result.library = value
        elif doc.data.get("kind") != "library":
            journey, ref_findings = resolve(
                doc,
                value if isinstance(value, JourneyMap) else None,
                load_library or self._load_library,
            )
            result.findings.extend(ref_findings)
            if not result.findings:
                result.journey = journey
        result.findings.sort(key=ORDER)
        return result

    def _load_library(self, path: Path, shown_as: str) -> LibraryResult:
        cached = self._libraries.get(path)
        if cached is None:
            cached = self._libraries[path] = self.inspect_library(path)
        return cached

    def inspect_library(self, path: Path) -> LibraryResult:
        config = self.finder.for_file(path)
        display = display_name(path)
        try:
            text = read(path, display, config.limits)
        except LoadError as err:
            return None, None, [err.finding]
        return library_from_text(text, display, path, config)


def library_from_text(text: str, display: str, path: Path, config: Config) -> LibraryResult:
    """A library's document, model and format errors; no model when it is a map or broken."""
    from journeymap.loader import load_text
    from journeymap.model import Library
    from journeymap.validation import validate_shape

    try:
        doc = load_text(text, display, path, config.limits)
    except LoadError as err:
        return None, None, [err.finding]
    value, findings = validate_shape(doc)
    findings = [*doc.findings, *findings]
    return doc, value if isinstance(value, Library) else None, findings


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """The pipeline's answer for one file: the task's result (or that it is not a map), and
    its fresh cache line (None when it came from the cache, or is not to be cached)."""

    result: T | PassedOver
    cache_line: str | None = None


_NOT_A_MAP = (
    "not a journeymap file (no top-level `journeymap: 1`), and --strict does not pass over "
    "YAML files: add `journeymap: 1`, or leave the file out with `exclude` in the configuration"
)


@dataclass
class FilePipeline(Generic[T]):
    """One file from path to result: read, sniff, look up the cache, inspect, run `task`.

    Built once per run; worker processes inherit it through fork rather than pickled.
    """

    finder: ConfigFinder
    task: Callable[[Inspection], T]
    cached: Cached[T] | None = None
    sniff: set[Path] = field(default_factory=set)
    strict: bool = False

    def __post_init__(self) -> None:
        self.inspector = Inspector(self.finder)

    def run_then(self, finish: Callable[[T, int], U], item: tuple[int, str]) -> Outcome[U]:
        """The outcome for the file `item` names, with its position among the files; its
        result handed to `finish` with the position (which sees a result from the cache and a
        fresh one alike)."""
        position, name = item
        outcome = self.run(Path(name))
        result = outcome.result
        done = result if isinstance(result, PassedOver) else finish(result, position)
        return Outcome(done, outcome.cache_line)

    def run(self, path: Path) -> Outcome[T]:
        """The outcome for one file.

        One file's failure never stops the others: an unexpected error while handling a file
        (a bug in journeymap, or a resource running out) becomes an `internal` finding of
        that file, which is not cached; configuration errors still end the run (exit 2).
        """
        try:
            outcome = self._outcome(path)
        except ConfigError:
            raise
        except Exception as err:
            if os.environ.get("JOURNEYMAP_DEBUG"):
                raise
            display = display_name(path)
            failed = Inspection(path, display, self.finder.for_file(path))
            failed.findings.append(internal_finding(display, err))
            outcome = Outcome(self.task(failed))
        return outcome

    def _outcome(self, path: Path) -> Outcome[T]:
        config = self.finder.for_file(path)
        display = display_name(path)
        try:
            raw: bytes | None = read_bytes(path, display, config.limits)
        except (OSError, LoadError):
            raw = None  # the inspector reports why it cannot be read
        if raw is not None and path in self.sniff and not looks_like_map(raw):
            outcome: Outcome[T] = self._not_a_map(path, display, config)
        elif raw is None or self.cached is None:
            outcome = Outcome(self.task(self.inspector.inspect(path, raw, display)))
        else:
            outcome = self._through_cache(path, raw, display, config, self.cached)
        return outcome

    def _not_a_map(self, path: Path, display: str, config: Config) -> Outcome[T]:
        """A YAML file found in a folder that is not a map: passed over, or with --strict an
        error of its own."""
        result: T | PassedOver = PassedOver(path)
        if self.strict:
            finding = Finding(display, 1, 1, "version", Severity.ERROR, _NOT_A_MAP)
            result = self.task(Inspection(path, display, config, findings=[finding]))
        return Outcome(result)

    def _through_cache(
        self, path: Path, raw: bytes, display: str, config: Config, cached: Cached[T]
    ) -> Outcome[T]:
        """The cached result when there is one, else a fresh one and its cache line."""
        cache = cached.cache
        key = cache.key_of(path, raw, display, config)
        result, line = self._cached_result(cached, key), None
        if result is None:
            inspection = self.inspector.inspect(path, raw, display)
            result = self.task(inspection)
            data = inspection.document.data if inspection.document else {}
            line = cache.entry(key, path, cached.dump(result), data, config.limits.max_bytes)
        return Outcome(result, line)

    @staticmethod
    def _cached_result(cached: Cached[T], key: str) -> T | None:
        hit = cached.cache.get(key)
        try:
            return None if hit is None else cached.load(hit)
        except (KeyError, IndexError, TypeError, ValueError):
            return None  # an entry in another shape (damaged, or from other code): a miss


def default_jobs(count: int) -> int:
    """Use every core once there is enough work to pay for the workers."""
    if count < PARALLEL_MIN_FILES:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, count // (PARALLEL_MIN_FILES // 2)))


def inspect_each(
    files: Sequence[Path],
    finder: ConfigFinder,
    task: Callable[[Inspection], T],
    jobs: int,
    cached: Cached[T] | None = None,
    sniff: set[Path] | None = None,
    strict: bool = False,
) -> Iterator[T | PassedOver]:
    """Inspect every file and apply `task` to each inspection, in file order.

    With `cached`, a file whose result is in the cache is not inspected at all, and the cache
    is saved when the run ends (or is interrupted). With `jobs` > 1 the work is spread over
    forked worker processes. They inherit the imported modules and the task itself, so only
    the paths and `task`'s results cross between processes: `task` should keep what it needs
    (findings) and drop the document.
    """
    pipeline = FilePipeline(finder, task, cached, sniff or set(), strict)
    return inspect_all(files, pipeline, _as_is, jobs)


def _as_is(result: T, position: int) -> T:
    return result


def inspect_all(
    files: Sequence[Path],
    pipeline: FilePipeline[T],
    finish: Callable[[T, int], U],
    jobs: int,
    *,
    by_name: bool = False,
) -> Iterator[U | PassedOver]:
    """`pipeline` over every file, each result handed to `finish` with the file's position
    among `files` (in the worker, like the task: whatever it makes is what crosses back).

    Files go in the order given, or sorted by their names as shown with `by_name` (the order
    of a report's findings: a report can then be written as the results come). Results come
    in that order; the cache is saved at the end.
    """
    order: Sequence[int] = range(len(files))
    if by_name and not _sorted_by_name(files):  # a folder walked: usually sorted already
        order = sorted(order, key=lambda i: display_name(files[i]))
    run = functools.partial(pipeline.run_then, finish)
    return _saving(ordered_map(run, _Named(files, order), jobs), pipeline.cached)


class _Named(Sequence[tuple[int, str]]):
    """`(position, file name)` of each file in `order`, made as they are asked for.

    Workers get their files' names with their chunk of work rather than reading the parent's
    list of paths: reading an object in a forked worker writes its reference count, which
    copies its memory page into the worker, so every worker grew with the repository.
    """

    def __init__(self, files: Sequence[Path], order: Sequence[int]) -> None:
        self.names = files.names if isinstance(files, Files) else [str(p) for p in files]
        self.order = order

    def __len__(self) -> int:
        return len(self.order)

    @overload
    def __getitem__(self, at: int) -> tuple[int, str]: ...
    @overload
    def __getitem__(self, at: slice) -> list[tuple[int, str]]: ...
    def __getitem__(self, at: int | slice) -> tuple[int, str] | list[tuple[int, str]]:
        if isinstance(at, slice):
            return [(i, self.names[i]) for i in self.order[at]]
        position = self.order[at]
        return position, self.names[position]


def _sorted_by_name(files: Sequence[Path]) -> bool:
    names = map(display_name, files)
    return all(a <= b for a, b in itertools.pairwise(names))


def _saving(outcomes: Iterator[Outcome[U]], cached: Cached[Any] | None) -> Iterator[U | PassedOver]:
    cache = cached.cache if cached is not None else None
    if cache is not None:
        cache.load()  # before forking: the workers inherit its index and open file
    try:
        for outcome in outcomes:
            if outcome.cache_line is not None and cache is not None:
                cache.keep(outcome.cache_line)
            yield outcome.result
    finally:
        # Also when interrupted: whatever was inspected is kept for the next run.
        if cache is not None:
            cache.save()
