"""A cache of per-file results, so a second run over unchanged maps is nearly free.

An entry is keyed by everything a file's result depends on: the versions of journeymap, pydantic
and PyYAML, the command and its options (`salt`), the file's configuration, its name as shown,
and its bytes. It also records each library the map `uses`, as written, with the file it
resolves to and that file's hash, checked again on every hit: editing a library, or retargeting
a symbolic link to another file, invalidates the maps that use it. A library is read only when
validation would read it (inside the project, a regular file, within `max-bytes`): the cache
never opens what validation refuses. A damaged or unreadable entry is simply a miss.

Each command keeps one file, `lint.jsonl` or `validate.jsonl`, a line per inspected file:
indexed when a run starts (where each key's line is, not the lines), an entry read when it is
used; fresh entries go to a scratch journal as they come, and when the run ends the file is
written again once (atomically, streamed), each file's newest entry in its place. One file
rather than one per entry: creating a thousand small files costs a first run more than
inspecting them does, and a line per file bounds the size without pruning.

The folder is `$JOURNEYMAP_CACHE_DIR`, else `$XDG_CACHE_HOME/journeymap`, else
`~/.cache/journeymap`: the user's, never inside a checkout, where a pull request could add
entries. `--no-cache` turns it off; deleting the folder is always safe.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Generic, TypeVar

from journeymap import __version__
from journeymap.cache_index import Index
from journeymap.files import is_stream

if TYPE_CHECKING:
    from journeymap.config import Config

T = TypeVar("T")


@dataclass(frozen=True)
class Cached(Generic[T]):
    """How to keep a task's results in the result cache: the cache, and JSON in and out."""

    cache: ResultCache
    dump: Callable[[T], Any]
    load: Callable[[Any], T]


def default_directory() -> Path:
    explicit = os.environ.get("JOURNEYMAP_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "journeymap"


class ResultCache:
    """One command's results by content hash, kept in one file of `key TAB file TAB json` lines.

    `load` reads only where each entry is (an index of keys to byte ranges, not the entries);
    `get` reads an entry when it is asked for, and may run in worker processes (forked after
    `load`, sharing the open file). `keep` appends a fresh entry to a scratch journal as it
    comes and `save` merges the journal into the file: memory stays flat however many files.
    """

    def __init__(self, directory: Path, command: str, salt: str) -> None:
        self.directory = directory / f"v{__version__}"
        self.path = self.directory / f"{command}.jsonl"
        self.index_path = self.directory / f"{command}.idx"  # cache_index.Index, saved
        self.salt = salt
        self._hashes: dict[Path, str] = {}
        # Compact, for a run over 50,000 files: a key's first 64 bits -> where its line is
        # (offset << 32 | length); the line read is checked to be that key's.
        self._index: Index | None = None
        self._fd: int | None = None  # the cache file as `load` read it
        self._size = 0  # its size
        self._journal: IO[bytes] | None = None  # this run's fresh entries, a line each
        self._fresh: dict[int, int] = {}  # a file's slot's digest -> where in the journal

    def key(self, raw: bytes, display: str, config: str) -> str:
        digest = hashlib.sha256()
        for part in (__version__, _dependencies(), self.salt, config, display):
            digest.update(part.encode("utf-8", "surrogatepass"))
            digest.update(b"\x00")
        digest.update(raw)
        return digest.hexdigest()

    def key_of(self, path: Path, raw: bytes, display: str, config: Config) -> str:
        """The key of a file's entry: its bytes, name, configuration and real location.

        The real location too: a map that is a link, retargeted to a file with the same bytes
        elsewhere, uses the libraries beside its new target.
        """
        return self.key(raw, display, f"{config!r}\0{os.path.realpath(path)}")

    def entry(self, key: str, path: Path, result: Any, data: dict[str, Any], max_bytes: int) -> str:
        """The line for a file's fresh `result`, recording the libraries its map `data` uses."""
        return self.line(key, path, result, library_paths(path, data), max_bytes)

    def load(self) -> None:
        """Index the cache file (once; a missing or unreadable one is an empty cache): read the
        saved index when it describes this very file, else read the file's lines."""
        if self._index is not None:
            return
        self._index = Index()
        if is_stream(self.path):
            return  # a pipe or a device where the cache file belongs: no cache
        try:
            handle = self.path.open("rb")
        except OSError:
            return
        with handle:
            described = os.fstat(handle.fileno())
            self._size = described.st_size
            saved = Index.read(self.index_path, described)
            if saved is not None:
                self._index = saved
            else:
                with self._index.sealed() as index:
                    offset = 0
                    for line in handle:  # lines end at b"\n" only, as they were written
                        index.add_line(line.rstrip(b"\n"), offset)
                        offset += len(line)
                self._index.save(self.index_path, described)
            self._fd = os.dup(handle.fileno())

    def get(self, key: str) -> Any | None:
        """The result stored under `key`, if its libraries are unchanged; else None."""
        self.load()
        assert self._index is not None
        where = self._index.find(int(key[:16], 16))
        if where is None or self._fd is None or (where >> 32) + (where & 0xFFFFFFFF) > self._size:
            return None  # not there, or an index that points past the end of the file
        try:
            line = _at(self._fd, where).decode("utf-8", "surrogatepass")
            stored, _, rest = line.partition("\t")
            if stored != key:
                return None  # another key with the same first 64 bits
            entry = json.loads(rest.split("\t", 1)[1])
            root, max_bytes = Path(entry["root"]), int(entry["max_bytes"])
            for name, digest in entry["libraries"].items():
                if self._library_state(Path(name), root, max_bytes) != digest:
                    return None
            return entry["result"]
        except (OSError, IndexError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def line(self, key: str, file: Path, result: Any, libraries: Libraries, max_bytes: int) -> str:
        """An entry as a line of the cache file (made where the result was computed).

        `file` is kept as an absolute path: it names the entry's slot, the newest result for
        that file, so that two projects with a `maps/onboarding.yaml` do not evict each other.
        """
        root, paths = libraries
        entry = {
            "root": str(root),
            "max_bytes": max_bytes,
            "libraries": {str(p): self._library_state(p, root, max_bytes) for p in paths},
            "result": result,
        }
        # dumps, not dump: json.dump streams through the pure-Python encoder.
        body = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
        return f"{key}\t{_one_line(str(file.absolute()))}\t{body}"

    def keep(self, line: str) -> None:
        """Keep a fresh entry for `save` (the newest one per file wins), on disk, not here."""
        data = line.encode("utf-8", "surrogatepass")
        try:
            if self._journal is None:
                self._journal = tempfile.TemporaryFile(prefix="journeymap-cache-")  # noqa: SIM115 - open until save()
            offset = self._journal.seek(0, os.SEEK_END)
            self._journal.write(data + b"\n")
        except OSError:
            return  # not kept: only slower next time
        self._fresh[_slot(data.split(b"\t", 2)[1])] = offset << 32 | len(data)  # by line()

    def save(self) -> None:
        """Write the entries kept by this run in their files' places, and the others' as they
        are (re-read: another run may have saved meanwhile); new files' entries at the end.

        A cache that cannot be written is not an error, only slower next time.
        """
        journal, self._journal = self._journal, None
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if journal is None:
            return  # every result came from the cache: leave the file as it is
        with journal:
            if is_stream(self.path):
                return  # a pipe or a device where the cache file belongs: no cache
            journal.flush()
            try:
                self._prepare()
                self._merge(journal.fileno())
            except OSError:
                pass
        self._fresh = {}

    def _merge(self, journal: int) -> None:
        from journeymap.files import write_stream_atomic

        fresh = self._fresh
        written: set[int] = set()
        changed = False
        index, offset = Index(), 0

        def indexed(line: bytes) -> bytes:
            nonlocal offset
            index.add_line(line, offset)
            offset += len(line) + 1
            return line + b"\n"

        def lines() -> Iterator[bytes]:
            nonlocal changed
            for old in _read_lines(self.path):
                slot = _slot(old.split(b"\t", 2)[1])
                where = fresh.get(slot)
                if where is not None:
                    if slot in written:
                        continue
                    written.add(slot)
                    new = _at(journal, where)
                    changed = changed or new != old
                    old = new
                yield indexed(old)
            for slot, where in fresh.items():
                if slot not in written:
                    changed = True
                    yield indexed(_at(journal, where))

        def unchanged() -> bool:
            """Nothing new, and the index this run used is the file's: keep both as they are.
            (An index that pointed elsewhere, or a damaged line, has the file written again.)"""
            index.seal()
            return not changed and index == self._index

        # the index describes the file this run wrote, even if another run replaced it since
        write_stream_atomic(
            self.path,
            lines(),
            discard=unchanged,
            written=lambda state: index.save(self.index_path, state),
        )

    def _library_state(self, path: Path, root: Path, max_bytes: int) -> str:
        """Where a `uses` entry leads and what is there, as validation would see it.

        The file is read only when validation would read it: resolved inside the project
        root, a regular file, and then no more than `max_bytes` (+1) of it.
        """
        known = self._hashes.get(path)
        if known is None:
            known = self._hashes[path] = _library_state(path, root, max_bytes)
        return known

    def _prepare(self) -> None:
        from journeymap.files import cache_folder

        cache_folder(self.directory, self.directory.parent / ".gitignore")


def _read_lines(path: Path) -> Iterator[bytes]:
    """The entries of a cache file, without their newline: lines of three fields in UTF-8;
    others (a damaged file) are left out."""
    try:
        handle = path.open("rb")
    except OSError:
        return
    with handle:
        # Only b"\n" ends a line: JSON escapes it in strings, but not U+2028 and the like.
        for line in handle:
            line = line.rstrip(b"\n")
            if line.count(b"\t") < 2:
                continue
            try:
                line.decode("utf-8", "surrogatepass")
            except UnicodeDecodeError:
                continue
            yield line


def _at(fd: int, where: int) -> bytes:
    """The line at `where` (offset << 32 | length) of a file."""
    return os.pread(fd, where & 0xFFFFFFFF, where >> 32)


def _slot(file: bytes) -> int:
    """A short digest of an entry's file field: two files sharing one (one chance in 2**64
    per pair) only cost an entry, never a wrong result (a hit is checked by its whole key)."""
    return int.from_bytes(hashlib.blake2b(file, digest_size=8).digest(), "big")


def _one_line(name: str) -> str:
    """A path fit for a field of a line: no tab or newline (they would split it)."""
    return name.replace("\t", " ").replace("\n", " ")


Libraries = tuple[Path, list[Path]]


def library_paths(map_path: Path, data: dict[str, Any]) -> Libraries:
    """What a map's result depends on besides itself: the project root and its `uses` entries
    as written, from the map's real folder (as validation resolves them: a map that is itself
    a link uses the libraries beside the file it links to)."""
    uses = data.get("uses")
    if not isinstance(uses, list) or not uses:
        return map_path.parent, []
    from journeymap.project import project_root

    base = map_path.resolve().parent
    entries = [base / entry for entry in uses if isinstance(entry, str) and entry]
    return project_root(base), entries


def _library_state(path: Path, root: Path, max_bytes: int) -> str:
    from journeymap.files import read_bounded

    try:
        target = path.resolve()
        if not target.is_relative_to(root):
            return "outside the project"
        raw = read_bounded(target, max_bytes)
    except (OSError, RuntimeError, ValueError) as err:  # missing, not a file, a loop, a NUL
        return f"unreadable: {type(err).__name__} {getattr(err, 'errno', '')}"
    if len(raw) > max_bytes:
        return f"{target}: over max-bytes"
    return f"{target}: {hashlib.sha256(raw).hexdigest()}"


@functools.cache
def _dependencies() -> str:
    """What validation's results depend on besides journeymap itself: the installed pydantic
    (its version file; it pins its core exactly) and PyYAML (its package file, which holds the
    version, and whether its libyaml binding is there).

    Read from the installed files, not by importing them: a run answered entirely from the
    cache imports neither (importing them costs more than the rest of such a run).
    """
    import importlib.util

    digest = hashlib.sha256()
    for package, files in (("pydantic", ("version.py",)), ("yaml", ("__init__.py",))):
        spec = importlib.util.find_spec(package)
        folders = (spec.submodule_search_locations or []) if spec is not None else []
        for folder in folders:
            bindings = sorted(p.name for p in Path(folder).glob("_yaml*"))
            digest.update(f"{package}\0{bindings}\0".encode())
            for name in files:
                with contextlib.suppress(OSError):
                    digest.update(Path(folder, name).read_bytes())
    return digest.hexdigest()


def code_fingerprint() -> str:
    """Changes whenever journeymap's own code does, so results of older code are not reused
    (the version alone does not change between a developer's edits).

    Built from the code's content, not its files' times: two installs of the same source (a CI
    cache restored onto a fresh machine, a wheel installed twice) get the same fingerprint.
    Reading the ~60 modules costs about a millisecond.
    """
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    files = [(name, package / name) for name in sorted(_modules(str(package), ""))]
    # The page's templates, CSS and script (`journeymap.render.templates`: in the package when
    # installed from a wheel, beside `src/` in a checkout): a rendered page is made of them too.
    for templates in (package / "templates", package.parents[1] / "templates"):
        if templates.is_dir():
            files += [
                (f"templates/{p.name}", p) for p in sorted(templates.iterdir()) if p.is_file()
            ]
            break
    for name, path in files:
        content = path.read_bytes()
        digest.update(b"%s\x00%d\x00" % (name.encode("utf-8", "surrogateescape"), len(content)))
        digest.update(content)
    return digest.hexdigest()[:16]


def _modules(folder: str, prefix: str) -> list[str]:
    """The `.py` files below `folder`, as POSIX paths relative to it (os.scandir: rglob is
    five times slower, and this runs at every cached run)."""
    found: list[str] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    found += _modules(entry.path, f"{prefix}{entry.name}/")
            elif entry.name.endswith(".py"):
                found.append(prefix + entry.name)
    return found
