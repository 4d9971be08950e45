"""A cache of Graphviz drawings, so an unchanged flow diagram runs no `dot`.

An entry is what `dot -T<format>` made of one DOT text, keyed by that text, the format, the
Graphviz version (`dot -V`, asked once per run) and journeymap's code fingerprint (the drawing
is post-processed by our code). It lives beside the lint cache (`cache.default_directory()`,
`v<version>/layout/`), the user's folder, never inside a checkout, with the same rules:

- an entry is read only if it is a regular file (not a link, FIFO or device), owned by this
  user, writable by no one else, and no bigger than `MAX_ENTRY_BYTES`;
- it carries its own key and the SHA-256 of its body, checked on every read: a damaged,
  truncated, renamed or foreign entry is a miss, and the drawing is made again by `dot`;
- it is written atomically (a private temporary file, then a rename), so a reader never
  sees half of one; it is not synced to disk (a torn entry fails its digest: a miss).

The same store keeps small records for the portfolio page (`record`, `recall`). A cache that
cannot be read or written only makes the run slower; deleting the folder is always safe.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import stat
import subprocess
from pathlib import Path

from journeymap import __version__

#: Bigger entries are neither written nor read (a 5,000-step map's SVG is about 11 MB).
MAX_ENTRY_BYTES = 64 * 1024 * 1024
#: When the folder holds more entries than this, the least recently used are removed.
MAX_ENTRIES = 20_000
_MAGIC = b"journeymap-layout 1\n"


@functools.cache
def graphviz_version() -> str:
    """`dot -V`'s answer, asked once per process (workers inherit it); "" without Graphviz."""
    from journeymap.render.svg import DOT_TIMEOUT_SECONDS, RenderError, dot_executable

    try:
        done = subprocess.run(
            [dot_executable(), "-V"],
            capture_output=True,
            timeout=DOT_TIMEOUT_SECONDS,
            check=False,
        )
    except (RenderError, OSError, subprocess.TimeoutExpired):
        return ""
    if done.returncode != 0:
        return ""
    return (done.stderr or done.stdout).decode("utf-8", "replace").strip()


def layout_cache(enabled: bool) -> LayoutCache | None:
    """The layout cache in journeymap's cache folder, unless turned off (`--no-cache`, or
    `JOURNEYMAP_NO_CACHE` set); asks Graphviz its version (once)."""
    if not enabled or os.environ.get("JOURNEYMAP_NO_CACHE"):
        return None
    from journeymap.cache import code_fingerprint, default_directory

    graphviz_version.cache_clear()  # once per run, also in a process that runs several
    return LayoutCache(default_directory(), graphviz_version(), code_fingerprint())


class LayoutCache:
    """Drawings by content: `get` and `put` may run in worker processes."""

    def __init__(self, directory: Path, graphviz: str, fingerprint: str) -> None:
        self.folder = directory / f"v{__version__}" / "layout"
        self.graphviz = graphviz
        self.fingerprint = fingerprint
        self.hits = 0
        self.misses = 0

    def key(self, kind: str, text: str) -> str:
        digest = hashlib.sha256()
        for part in (self.fingerprint, self.graphviz, kind):
            digest.update(part.encode("utf-8", "surrogatepass") + b"\x00")
        digest.update(text.encode("utf-8", "surrogatepass"))
        return digest.hexdigest()

    def get(self, kind: str, text: str) -> bytes | None:
        """The stored body for `kind` (a format) and `text` (a DOT text), or None."""
        if not self.graphviz:
            return None
        body = self.recall(self.key(kind, text))
        if body is None:
            self.misses += 1
        else:
            self.hits += 1
        return body

    def put(self, kind: str, text: str, body: bytes) -> None:
        if self.graphviz:
            self.record(self.key(kind, text), body)

    def recall(self, key: str) -> bytes | None:
        """The body stored under `key` if the entry is sound (see the module's rules)."""
        path = self.folder / key
        try:
            data = _read_own_file(path)
        except OSError:
            return None
        header = _MAGIC + key.encode("ascii") + b" "
        if not data.startswith(header):
            return None
        rest = data[len(header) :]
        digest, newline, body = rest[:64], rest[64:65], rest[65:]
        if newline != b"\n" or hashlib.sha256(body).hexdigest().encode("ascii") != digest:
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: kept when the folder is pruned
        return body

    def record(self, key: str, body: bytes) -> None:
        if len(body) > MAX_ENTRY_BYTES:
            return
        head = _MAGIC + key.encode("ascii") + b" " + hashlib.sha256(body).hexdigest().encode()
        try:
            self._prepare()
            _write_entry(self.folder / key, head + b"\n" + body)
        except OSError:
            pass  # only slower next time

    def prune(self, keep: int = MAX_ENTRIES) -> None:
        """Remove the least recently used entries beyond `keep` (and stray temporary files)."""
        try:
            with os.scandir(self.folder) as found:
                entries = [(e.stat(follow_symlinks=False).st_mtime_ns, e.path) for e in found]
        except OSError:
            return
        if len(entries) <= keep:
            return
        entries.sort(reverse=True)
        for _, path in entries[keep:]:
            with contextlib.suppress(OSError):
                os.unlink(path)

    def _prepare(self) -> None:
        from journeymap.files import cache_folder

        cache_folder(self.folder, self.folder.parent.parent / ".gitignore", mode=0o700)


def _read_own_file(path: Path) -> bytes:
    """A cache entry's bytes: refused (OSError) unless it is a regular file of this user's,
    writable by no one else, within `MAX_ENTRY_BYTES`; a link is not followed."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"{path}: not a regular file")
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            raise OSError(f"{path}: owned by another user")
        if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            raise OSError(f"{path}: writable by others")
        if info.st_size > MAX_ENTRY_BYTES + 1024:
            raise OSError(f"{path}: too big")
        chunks = []
        left = info.st_size + 1
        while left > 0:
            chunk = os.read(fd, left)
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    return b"".join(chunks)


def _write_entry(path: Path, data: bytes) -> None:
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
