"""A cache of per-file results, so a second run over unchanged maps is nearly free.

An entry is keyed by everything a file's result depends on: journeymap's version, the command
and its options (`salt`), the file's configuration, its name as shown, and its bytes. It also
records the libraries the map `uses` with their hashes, checked again on every hit, so editing a
library invalidates the maps that use it. A damaged or unreadable entry is simply a miss.

The folder is `$JOURNEYMAP_CACHE_DIR`, else `$XDG_CACHE_HOME/journeymap`, else
`~/.cache/journeymap`: the user's, never inside a checkout, where a pull request could add
entries. `--no-cache` turns it off; deleting the folder is always safe.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from journeymap import __version__


def default_directory() -> Path:
    explicit = os.environ.get("JOURNEYMAP_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "journeymap"


class ResultCache:
    """Results by content hash, one small JSON file per entry."""

    def __init__(self, directory: Path, salt: str) -> None:
        self.directory = directory / f"v{__version__}"
        self.salt = salt
        self._hashes: dict[Path, str | None] = {}
        self._ready = False

    def key(self, raw: bytes, display: str, config: str) -> str:
        digest = hashlib.sha256()
        for part in (__version__, self.salt, config, display):
            digest.update(part.encode("utf-8", "surrogateescape"))
            digest.update(b"\x00")
        digest.update(raw)
        return digest.hexdigest()

    def _file_hash(self, path: Path) -> str | None:
        if path not in self._hashes:
            try:
                self._hashes[path] = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                self._hashes[path] = None
        return self._hashes[path]

    def get(self, key: str) -> Any | None:
        try:
            with (self.directory / f"{key}.json").open("rb") as handle:
                entry = json.load(handle)
            libraries = entry["libraries"]
            for name, digest in libraries.items():
                if self._file_hash(Path(name)) != digest:
                    return None
            return entry["result"]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def put(self, key: str, result: Any, libraries: list[Path]) -> None:
        """Store an entry; a cache that cannot be written is not an error, only slower."""
        entry = {
            "libraries": {str(p): self._file_hash(p) for p in libraries},
            "result": result,
        }
        try:
            self._prepare()
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".", suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                # dumps, not dump: json.dump streams through the pure-Python encoder.
                handle.write(json.dumps(entry, ensure_ascii=False, separators=(",", ":")))
            os.replace(tmp, self.directory / f"{key}.json")
        except OSError:
            with contextlib.suppress(OSError, UnboundLocalError):
                os.unlink(tmp)

    def _prepare(self) -> None:
        if self._ready:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        ignore = self.directory.parent / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# Created by journeymap; safe to delete.\n*\n", "utf-8")
        self._ready = True


def library_paths(map_path: Path, data: dict[str, Any]) -> list[Path]:
    """The files a map's result depends on besides itself: its `uses` entries."""
    uses = data.get("uses")
    if not isinstance(uses, list):
        return []
    base = map_path.parent
    return [(base / entry).resolve() for entry in uses if isinstance(entry, str) and entry]


def code_fingerprint() -> str:
    """Changes whenever journeymap's own code does, so results of older code are not reused
    (the version alone does not change between a developer's edits)."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(package.rglob("*.py")):
        stat = path.stat()
        digest.update(f"{path.relative_to(package)}:{stat.st_mtime_ns}:{stat.st_size};".encode())
    return digest.hexdigest()[:16]
