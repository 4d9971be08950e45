"""A cache of per-file results, so a second run over unchanged maps is nearly free.

An entry is keyed by everything a file's result depends on: the versions of journeymap, pydantic
and PyYAML, the command and its options (`salt`), the file's configuration, its name as shown,
and its bytes. It also records each library the map `uses`, as written, with the file it
resolves to and that file's hash, checked again on every hit: editing a library, or retargeting
a symbolic link to another file, invalidates the maps that use it. A library is read only when
validation would read it (inside the project, a regular file, within `max-bytes`): the cache
never opens what validation refuses. A damaged or unreadable entry is simply a miss.

Each command keeps one file, `lint.jsonl` or `validate.jsonl`, a line per checked file: read
once when a run starts, written once (atomically) when it ends, with the newest entry for every
file it has seen. One file rather than one per entry: creating a thousand small files costs a
first run more than checking them does, and a line per file bounds the size without pruning.

The folder is `$JOURNEYMAP_CACHE_DIR`, else `$XDG_CACHE_HOME/journeymap`, else
`~/.cache/journeymap`: the user's, never inside a checkout, where a pull request could add
entries. `--no-cache` turns it off; deleting the folder is always safe.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from journeymap import __version__

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

    `get` and `line` may run in worker processes (forked after `load`); `keep` and `save` run in
    the process that started the run.
    """

    def __init__(self, directory: Path, command: str, salt: str) -> None:
        self.directory = directory / f"v{__version__}"
        self.path = self.directory / f"{command}.jsonl"
        self.salt = salt
        self._hashes: dict[Path, str] = {}
        self._entries: dict[str, str] | None = None  # key -> line, as read
        self._kept: dict[str, str] = {}  # file (absolute path) -> line, from this run

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
        """Read the cache file (once; a missing or unreadable one is an empty cache)."""
        if self._entries is not None:
            return
        self._entries = {}
        for line in _read_lines(self.path):
            fields = _fields(line)
            if fields is not None:
                self._entries[fields[0]] = line

    def get(self, key: str) -> Any | None:
        """The result stored under `key`, if its libraries are unchanged; else None."""
        self.load()
        assert self._entries is not None
        line = self._entries.get(key)
        if line is None:
            return None
        try:
            entry = json.loads(line.split("\t", 2)[2])  # load() kept only lines of three fields
            root, max_bytes = Path(entry["root"]), int(entry["max_bytes"])
            for name, digest in entry["libraries"].items():
                if self._library_state(Path(name), root, max_bytes) != digest:
                    return None
            return entry["result"]
        except (IndexError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def stored(self, key: str) -> str | None:
        """The line stored under `key`, to keep it when the result was used."""
        return self._entries.get(key) if self._entries is not None else None

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
        """Keep an entry (new or reused) for `save`: the newest one per file wins."""
        self._kept[line.split("\t", 2)[1]] = line  # made by line() or read by load()

    def save(self) -> None:
        """Write the entries kept by this run, and the others' for files it did not see.

        A cache that cannot be written is not an error, only slower next time.
        """
        if not self._kept:
            return
        lines: dict[str, str] = {}
        for line in _read_lines(self.path):  # re-read: another run may have saved meanwhile
            fields = _fields(line)
            if fields is not None:
                lines[fields[1]] = line
        unchanged = all(lines.get(file) == line for file, line in self._kept.items())
        if unchanged:
            return  # every result came from the cache: leave the file as it is
        lines.update(self._kept)
        data = "".join(f"{line}\n" for line in lines.values()).encode("utf-8", "surrogatepass")
        try:
            self._prepare()
            from journeymap.files import write_atomic

            write_atomic(self.path, data)
        except OSError:
            pass

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
        self.directory.mkdir(parents=True, exist_ok=True)
        ignore = self.directory.parent / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# Created by journeymap; safe to delete.\n*\n", "utf-8")


def _read_lines(path: Path) -> list[str]:
    try:
        text = path.read_bytes().decode("utf-8", "surrogatepass")
    except (OSError, ValueError):
        return []
    # Only "\n" ends a line: JSON escapes it in strings, but not U+2028 and the like, which
    # str.splitlines would also split at.
    return [line for line in text.split("\n") if line]


def _fields(line: str) -> tuple[str, str, str] | None:
    """A line's key, file and JSON; None for a line of another shape (a damaged file)."""
    parts = line.split("\t", 2)
    return (parts[0], parts[1], parts[2]) if len(parts) == 3 else None


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
    """The versions of what validation's results depend on besides journeymap itself."""
    import pydantic
    import yaml

    libyaml = getattr(yaml, "__with_libyaml__", False)
    return f"pydantic {pydantic.VERSION}; PyYAML {yaml.__version__}; libyaml {libyaml}"


def code_fingerprint() -> str:
    """Changes whenever journeymap's own code does, so results of older code are not reused
    (the version alone does not change between a developer's edits).

    Built from the code's content, not its files' times: two installs of the same source (a CI
    cache restored onto a fresh machine, a wheel installed twice) get the same fingerprint.
    Reading the ~60 modules costs about a millisecond.
    """
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    for name in sorted(_modules(str(package), "")):
        content = (package / name).read_bytes()
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
