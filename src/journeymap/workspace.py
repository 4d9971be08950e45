"""Which files to check, and checking each: load -> shape -> libraries and references.

One bad file never stops the others: every input yields a `Checked` with its findings.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from journeymap.cache import ResultCache, library_paths
from journeymap.config import DEFAULT_EXCLUDE, Config, ConfigError, ConfigFinder
from journeymap.findings import ORDER, Finding, Severity, internal_finding
from journeymap.loader import Document, LoadError, load_text, read, read_bytes
from journeymap.model import JourneyMap, Library
from journeymap.project import project_root
from journeymap.suggest import edit_distance
from journeymap.validation import Journey, LibraryLoader, resolve, validate_shape

YAML_SUFFIXES = (".yaml", ".yml")
# A file named like this is a map by its name: a missing version is an error, never passed over.
MAP_SUFFIXES = (".journey.yaml", ".journey.yml")
_TOP_LEVEL_KEY_BYTES = re.compile(rb"^journeymap[ \t]*:", re.MULTILINE)
_TOP_LEVEL_KEYS_BYTES = re.compile(rb"^([A-Za-z_][A-Za-z0-9_-]{0,40})[ \t]*:(?=[ \t\r\n]|$)", re.M)
_PROBE_BYTES = 64 * 1024


def named_as_map(path: Path) -> bool:
    return path.name.endswith(MAP_SUFFIXES)


def looks_like_map(raw: bytes) -> bool:
    """Whether a YAML file found in a folder is a map, or probably one that lost its version.

    A map has a top-level `journeymap` key. A probable map has a top-level key within two edits
    of it (`journeymp`, `jurneymap`), or both `stages` and `title`: it is checked, so the
    missing version is reported instead of the file being passed over in silence.
    """
    if _TOP_LEVEL_KEY_BYTES.search(raw):
        return True
    keys = {m.group(1).decode("ascii") for m in _TOP_LEVEL_KEYS_BYTES.finditer(raw[:_PROBE_BYTES])}
    if {"stages", "title"} <= keys:
        return True
    return any(edit_distance(key, "journeymap", 2) <= 2 for key in keys)


@dataclass
class Tally:
    """What a run passed over, for the summary line (`2 passed over`) and `--verbose`."""

    passed_over: list[Path] = field(default_factory=list)


class InputError(Exception):
    """A path named on the command line that cannot be used (exit code 2)."""


@dataclass
class Checked:
    """The outcome of checking one input file."""

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


def display_name(path: Path) -> str:
    """How a file is named in messages: relative to the current directory when inside it.

    A name is text: bytes of a file name that are not UTF-8 (git stores any) are shown as
    U+FFFD, so that every report can be written as UTF-8.
    """
    if not path.is_absolute() and ".." not in path.parts:
        return _text(path.as_posix())  # already relative to the current directory
    # The folder is resolved (once for all its files), the file keeps the name it was given.
    try:
        folder = _resolved(str(path.parent)).relative_to(_resolved(os.getcwd()))  # noqa: PTH109
    except ValueError:
        return _text(path.as_posix())
    return _text((folder / path.name).as_posix())


def _text(name: str) -> str:
    if name.isascii():
        return name
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


@functools.lru_cache(maxsize=256)
def _resolved(directory: str) -> Path:
    return Path(directory).resolve()


@dataclass
class Inputs:
    files: list[Path]
    passed_over: list[Path]
    # Found in a folder and not yet looked into: kept only if they turn out to be maps.
    unsniffed: set[Path] = field(default_factory=set)


@dataclass(frozen=True)
class PassedOver:
    """A YAML file found in a folder that has no top-level `journeymap` key."""

    path: Path


def discover(paths: list[str], finder: ConfigFinder, *, defer_sniff: bool = False) -> Inputs:
    """Expand the command line's paths: files as named, directories by their journeymap files.

    With `defer_sniff`, a folder's YAML files are listed without opening them; whoever reads
    them (`check_each`, in the workers) passes over those that are not maps.
    Raises InputError for a path that does not exist (a missing file never passes silently).
    """
    files: list[Path] = []
    passed_over: list[Path] = []
    unsniffed: set[Path] = set()
    seen: set[Path] = set()
    # Two arguments may name the same file (a folder and a file in it); one cannot repeat itself.
    dedupe = len(paths) > 1
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError(f"{raw}: no such file or directory")
        if path.is_dir():
            for candidate in _walk(path, finder):
                key = candidate.resolve() if dedupe else candidate
                if key in seen:
                    continue
                seen.add(key)
                if named_as_map(candidate):
                    files.append(candidate)
                elif defer_sniff:
                    files.append(candidate)
                    unsniffed.add(candidate)
                elif _looks_like_journeymap(candidate):
                    files.append(candidate)
                else:
                    passed_over.append(candidate)
        else:
            key = path.resolve()
            if key not in seen:
                seen.add(key)
                files.append(path)
    return Inputs(files, passed_over, unsniffed)


def _walk(directory: Path, finder: ConfigFinder) -> Iterator[Path]:
    for current, dirnames, filenames in os.walk(directory):
        base = Path(current)
        dirnames[:] = sorted(
            d
            for d in dirnames
            if d not in DEFAULT_EXCLUDE
            and not d.startswith(".")
            and not finder.for_path(base / d).is_excluded(base / d)
        )
        for name in sorted(filenames):
            if name.endswith(YAML_SUFFIXES):
                path = base / name
                if path.is_symlink() and not _link_stays_inside(path):
                    continue  # a map in a pull request must not make us read files elsewhere
                if not finder.for_file(path).is_excluded(path):
                    yield path


def _link_stays_inside(path: Path) -> bool:
    """Whether a symbolic link found in a folder points inside the project it sits in."""
    try:
        return path.resolve().is_relative_to(project_root(path.parent.resolve()))
    except (OSError, RuntimeError):  # a loop, or a name too long
        return False


def _looks_like_journeymap(path: Path) -> bool:
    """A cheap test for a map or a probable map (`looks_like_map`); the real check is the parse."""
    from journeymap.files import read_bounded

    try:
        head = read_bounded(path, _PROBE_BYTES)
    except OSError:
        return True  # let the check report why it cannot be read
    return looks_like_map(head)


class Checker:
    """Checks files, reading and validating each library once however many maps use it."""

    def __init__(self, finder: ConfigFinder) -> None:
        self.finder = finder
        self._libraries: dict[Path, tuple[Document | None, Library | None, list[Finding]]] = {}

    def check(self, path: Path, raw: bytes | None = None, display: str | None = None) -> Checked:
        """Check one file; `raw` is its bytes and `display` its name when the caller has them."""
        config = self.finder.for_file(path)
        if display is None:
            display = display_name(path)
        try:
            text = read(path, display, config.limits, raw)
        except LoadError as err:
            return Checked(path=path, display=display, config=config, findings=[err.finding])
        except OSError as err:
            # One unreadable file is that file's problem; the others are still checked.
            reason = err.strerror or type(err).__name__
            finding = Finding(display, 1, 1, "encoding", Severity.ERROR, f"cannot read: {reason}")
            return Checked(path=path, display=display, config=config, findings=[finding])
        return self.check_text(path, text, display)

    def check_text(
        self,
        path: Path,
        text: str,
        display: str,
        load_library: LibraryLoader | None = None,
    ) -> Checked:
        """Check a map's text as the file at `path` (the text may come from a git revision,
        with `load_library` reading its libraries from there too)."""
        config = self.finder.for_file(path)
        result = Checked(path=path, display=display, config=config)
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

    def _load_library(
        self, path: Path, shown_as: str
    ) -> tuple[Document | None, Library | None, list[Finding]]:
        cached = self._libraries.get(path)
        if cached is not None:
            return cached
        checked = self.check_library(path)
        self._libraries[path] = checked
        return checked

    def check_library(self, path: Path) -> tuple[Document | None, Library | None, list[Finding]]:
        config = self.finder.for_file(path)
        display = display_name(path)
        try:
            text = read(path, display, config.limits)
        except LoadError as err:
            return None, None, [err.finding]
        return library_from_text(text, display, path, config)


def library_from_text(
    text: str, display: str, path: Path, config: Config
) -> tuple[Document | None, Library | None, list[Finding]]:
    """A library's document, model and format errors; no model when it is a map or broken."""
    try:
        doc = load_text(text, display, path, config.limits)
    except LoadError as err:
        return None, None, [err.finding]
    value, findings = validate_shape(doc)
    findings = [*doc.findings, *findings]
    return doc, value if isinstance(value, Library) else None, findings


T = TypeVar("T")

# Below this many files one process is faster than starting workers.
PARALLEL_MIN_FILES = 48
# Files per task sent to a worker: enough to make sending it cheap, and smaller towards the
# end of a run so that the workers finish together (see _chunks).
_CHUNK = 32
_MIN_CHUNK = 4


@dataclass(frozen=True)
class Cached(Generic[T]):
    """How to keep a task's results in the result cache: the cache, and JSON in and out."""

    cache: ResultCache
    dump: Callable[[T], Any]
    load: Callable[[Any], T]


@dataclass
class _Job(Generic[T]):
    """What each worker needs, inherited through fork rather than pickled."""

    finder: ConfigFinder
    task: Callable[[Checked], T]
    cached: Cached[T] | None
    sniff: set[Path] = field(default_factory=set)
    checker: Checker | None = None
    strict: bool = False

    def run(self, path: Path) -> tuple[T | PassedOver, str | None]:
        """The task's result for one file, and the cache line to keep for it (if any).

        One file's failure never stops the others: an unexpected error while checking a file
        (a bug in journeymap, or a resource running out) becomes an `internal` finding of
        that file, which is not cached; configuration errors still end the run (exit 2).
        """
        try:
            return self._run(path)
        except ConfigError:
            raise
        except Exception as err:
            if os.environ.get("JOURNEYMAP_DEBUG"):
                raise
            display = display_name(path)
            failed = Checked(path, display, self.finder.for_file(path))
            failed.findings.append(internal_finding(display, err))
            return self.task(failed), None

    def _run(self, path: Path) -> tuple[T | PassedOver, str | None]:
        if self.checker is None:
            self.checker = Checker(self.finder)
        if self.cached is None and path not in self.sniff:
            return self.task(self.checker.check(path)), None
        config = self.finder.for_file(path)
        display = display_name(path)
        try:
            raw = read_bytes(path, display, config.limits)
        except (OSError, LoadError):
            return self.task(self.checker.check(path)), None  # it reports the problem itself
        if path in self.sniff and not looks_like_map(raw):
            if not self.strict:
                return PassedOver(path), None
            message = (
                "not a journeymap file (no top-level `journeymap` key), and --strict does not "
                "pass over YAML files: add `journeymap: 1`, or leave the file out with "
                "`exclude` in the configuration"
            )
            finding = Finding(display, 1, 1, "version", Severity.ERROR, message)
            return self.task(Checked(path, display, config, findings=[finding])), None
        if self.cached is None:
            return self.task(self.checker.check(path, raw, display)), None
        cache = self.cached.cache
        # The file's real location too: a map that is a link, retargeted to a file with the
        # same bytes elsewhere, uses the libraries beside its new target.
        key = cache.key(raw, display, f"{config!r}\0{os.path.realpath(path)}")
        hit = cache.get(key)
        if hit is not None:
            try:
                return self.cached.load(hit), cache.stored(key)
            except (KeyError, IndexError, TypeError, ValueError):
                pass  # an entry in another shape (damaged, or from other code): a miss
        checked = self.checker.check(path, raw, display)
        result = self.task(checked)
        uses = library_paths(path, checked.document.data if checked.document else {})
        line = cache.line(key, path, self.cached.dump(result), uses, config.limits.max_bytes)
        return result, line


_job: _Job[Any] | None = None


def default_jobs(count: int) -> int:
    """Use every core once there is enough work to pay for the workers."""
    if count < PARALLEL_MIN_FILES:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, count // (PARALLEL_MIN_FILES // 2)))


def check_each(
    files: list[Path],
    finder: ConfigFinder,
    task: Callable[[Checked], T],
    jobs: int,
    cached: Cached[T] | None = None,
    sniff: set[Path] | None = None,
    strict: bool = False,
) -> Iterator[T | PassedOver]:
    """Check every file and apply `task` to each result, in file order.

    With `cached`, a file whose result is in the cache is not checked at all, and the cache is
    saved when the run ends (or is interrupted). With `jobs` > 1 the work is spread over forked
    worker processes. They inherit the imported modules and the task itself, so only the paths
    and `task`'s results cross between processes: `task` should keep what it needs (findings)
    and drop the document.
    """
    job = _Job(finder, task, cached, sniff or set(), strict=strict)
    cache = cached.cache if cached is not None else None
    if cache is not None:
        cache.load()  # before forking: the workers inherit what it read
    try:
        for result, line in _outcomes(job, files, jobs):
            if line is not None and cache is not None:
                cache.keep(line)
            yield result
    finally:
        # Also when interrupted: whatever was checked is kept for the next run.
        if cache is not None:
            cache.save()


def _outcomes(
    job: _Job[T], files: list[Path], jobs: int
) -> Iterator[tuple[T | PassedOver, str | None]]:
    if jobs <= 1 or len(files) < 2 or not _can_fork():
        for path in files:
            yield job.run(path)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _job
    _job = job
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_worker)
    try:
        futures = [pool.submit(_run_in_worker, chunk) for chunk in _chunks(files, jobs)]
        for future in futures:
            yield from future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _job = None


def _chunks(files: list[Path], jobs: int) -> Iterator[list[Path]]:
    """Guided scheduling: each chunk takes a share of what is left, at most _CHUNK files.

    With equal chunks one worker could still be checking the last full chunk while the
    others idle; shrinking chunks leave at most a few files' work for the tail.
    """
    start = 0
    while start < len(files):
        size = max(_MIN_CHUNK, min(_CHUNK, (len(files) - start) // (2 * jobs)))
        yield files[start : start + size]
        start += size


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _init_worker() -> None:
    import gc
    import signal

    # A worker builds thousands of short-lived objects per file (YAML nodes, dicts, models)
    # that hold no reference cycles, so reference counting frees them and the collector's
    # frequent young-generation passes only rescan: collect far less often (5% of the CPU).
    # Rare cyclic garbage (an alias cycle's nodes) is still collected, later.
    gc.set_threshold(100_000, 50, 50)

    # Ctrl-C reaches the whole process group; the parent alone reports it and exits 130.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run_in_worker(paths: list[Path]) -> list[Any]:
    assert _job is not None
    return [_job.run(path) for path in paths]
