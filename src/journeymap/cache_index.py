"""Where each entry of a result cache file is, kept beside it so a run need not read it all.

A result cache file holds one line per file ever checked: a run of one map that read the whole
file to find its line would cost more the larger the repository. The index maps each key's
first 64 bits to where its line is (`offset << 32 | length`), as two sorted arrays of numbers,
and is saved beside the cache file (`lint.idx` beside `lint.jsonl`) whenever that is written.

The index file records the cache file it describes (size, modification time, inode, as the
run that wrote both saw them) and is used only for that very file; an index that is missing,
damaged or describes another file is ignored and the cache file is read line by line. A wrong
index can only cause a miss: every line read is checked to be the one for the key asked for.
"""

from __future__ import annotations

import contextlib
import os
import struct
import sys
from collections.abc import Iterator
from pathlib import Path

MAGIC = f"journeymap-cache-index 1 {sys.byteorder}\n".encode()
# size, modification time (ns) and inode of the cache file described; entries
_HEADER = struct.Struct("<QQQQ")


class Index:
    """Keys (their first 64 bits) -> where each entry is, in two sorted arrays of numbers.

    Not a dict: a dict of 50,000 keys is about 100 bytes an entry, and its number objects are
    written to (their reference counts) by every lookup, so each forked worker that looks up
    copies the pages holding them. Arrays hold no objects: 16 bytes an entry, shared as read.
    The same key twice (an older line and a newer one): the newer one is found.
    """

    def __init__(self) -> None:
        from array import array

        self.keys = array("Q")
        self.places = array("Q")

    def __len__(self) -> int:
        return len(self.keys)

    def add(self, key: int, place: int) -> None:
        self.keys.append(key)
        self.places.append(place)

    def add_line(self, line: bytes, offset: int) -> None:
        """A line of the cache file (without its newline) found at `offset`, if an entry."""
        short = short_key(line)
        if short is not None:
            self.add(short, offset << 32 | len(line))

    @contextlib.contextmanager
    def sealed(self) -> Iterator[Index]:
        """Add entries in the block; sorted when it ends, however it ends."""
        try:
            yield self
        finally:
            self.seal()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Index):
            return NotImplemented
        return self.keys == other.keys and self.places == other.places

    __hash__ = None  # type: ignore[assignment]  # mutable

    def seal(self) -> None:
        """Sort by key, keeping the file's order among equal keys (the last is the newest)."""
        from array import array

        order = sorted(range(len(self.keys)), key=self.keys.__getitem__)
        self.keys = array("Q", (self.keys[i] for i in order))
        self.places = array("Q", (self.places[i] for i in order))

    def find(self, key: int) -> int | None:
        import bisect

        at = bisect.bisect_right(self.keys, key) - 1
        return self.places[at] if at >= 0 and self.keys[at] == key else None

    def save(self, path: Path, described: os.stat_result) -> None:
        """Write the index of the cache file whose state is `described` (atomically; an index
        that cannot be written is only a slower next run)."""
        from journeymap.files import is_stream, write_stream_atomic

        if is_stream(path):
            return  # a pipe or a device where the index belongs: written nowhere
        header = _HEADER.pack(*_identity(described), len(self.keys))
        parts = (MAGIC, header, self.keys.tobytes(), self.places.tobytes())
        with contextlib.suppress(OSError):
            write_stream_atomic(path, parts)  # private to its owner, as the cache file is

    @classmethod
    def read(cls, path: Path, described: os.stat_result) -> Index | None:
        """The saved index of the cache file whose state is `described`; None when there is
        none for that file, or it is damaged."""
        from journeymap.files import read_bounded

        # 16 bytes an entry, and one entry per line of at least 20 bytes: never larger than this
        limit = len(MAGIC) + _HEADER.size + described.st_size
        try:
            data = read_bounded(path, limit)
        except (OSError, ValueError):
            return None
        start = len(MAGIC) + _HEADER.size
        if len(data) < start or not data.startswith(MAGIC):
            return None
        *identity, count = _HEADER.unpack_from(data, len(MAGIC))
        if tuple(identity) != _identity(described) or len(data) != start + 16 * count:
            return None
        index = cls()
        index.keys.frombytes(data[start : start + 8 * count])
        index.places.frombytes(data[start + 8 * count :])
        return index


def _identity(described: os.stat_result) -> tuple[int, int, int]:
    return described.st_size, described.st_mtime_ns, described.st_ino


def short_key(line: bytes) -> int | None:
    """The first 64 bits of a cache line's key, or None for a line that is not an entry
    (a key, a file and the JSON, separated by tabs; the key in hexadecimal)."""
    tab = line.find(b"\t")
    if tab <= 16 or line.find(b"\t", tab + 1) < 0:
        return None
    try:
        return int(line[:16], 16)
    except ValueError:  # not hexadecimal: damaged
        return None
