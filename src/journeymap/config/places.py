"""Where each key and value of a TOML text is written (line and column), for messages.

tomllib gives values without their places. `scan` walks the text again the way TOML reads it:
headers, keys (bare, quoted, dotted), strings of every kind, arrays and inline tables across
lines, comments. It stops quietly at anything it does not expect: what it found until then is
kept, and a place it did not find is None (the caller falls back to the key's line).
Columns count characters, as tomllib's do.
"""

from __future__ import annotations

import bisect
import contextlib
import re
import tomllib
from dataclasses import dataclass, field

#: A value's path: table and key names, and the index of an item in an array.
Path = tuple[str | int, ...]
Place = tuple[int, int]  # line, column

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_OTHER = re.compile(r"[^,\]}#\n]+")  # a number, a date, true, false: up to what ends it


@dataclass(frozen=True)
class Duplicate:
    """A key or table set a second time."""

    name: str  # as written: `fail-on`, `rules.x`; a table as `[render]`
    table: str  # the table the key is in, `render`; "" at the top or for a table
    at: Place  # where it is set again
    first: int  # the line it was first set on
    end: int  # the line its value ends on (tomllib reports the error there)


@dataclass
class Places:
    """Where every value starts (an array's items by index), and the first duplicate."""

    values: dict[Path, Place] = field(default_factory=dict)
    duplicate: Duplicate | None = None


class _Stop(Exception):
    """Something the scanner does not read: it ends there."""


def scan(source: str) -> Places:
    """The places of `source`'s values, as far as the scanner reads it."""
    scanner = _Scanner(source)
    with contextlib.suppress(_Stop):
        scanner.document()
    return scanner.places


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.starts = [0, *(m.end() for m in re.finditer("\n", text))]
        self.places = Places()
        self.set: dict[Path, int] = {}  # every key and header set explicitly: its line
        self.dotted: dict[Path, int] = {}  # tables made by dotted keys: the first line
        self.arrays: dict[Path, int] = {}  # [[array of tables]]: how many so far

    def place(self, pos: int) -> Place:
        line = bisect.bisect_right(self.starts, pos)
        return line, pos - self.starts[line - 1] + 1

    def document(self) -> None:
        table: Path = ()
        while True:
            self.skip(newlines=True)
            if self.pos >= len(self.text):
                return
            start = self.pos
            if self.text.startswith("[[", start):
                self.pos += 2
                name = self.key()
                self.expect("]]")
                count = self.arrays.get(name, 0)
                self.arrays[name] = count + 1
                table = (*name, count)
            elif self.text.startswith("[", start):
                self.pos += 1
                name = self.key()
                self.expect("]")
                self.declare(name, start, f"[{_name(name)}]", "", self.place(start)[0])
                table = name
            else:
                self.statement(table, start)
            self.skip(newlines=False)
            if self.pos < len(self.text) and self.text[self.pos] not in "\r\n":
                raise _Stop

    def statement(self, table: Path, start: int) -> None:
        name = self.key()
        self.expect("=")
        self.skip(newlines=False)
        path = (*table, *name)
        self.value(path)
        for k in range(1, len(name)):
            self.dotted.setdefault((*table, *name[:k]), self.place(start)[0])
        self.declare(path, start, ".".join(name), _name(table), self.place(self.pos)[0])

    def declare(self, path: Path, start: int, shown: str, table: str, end: int) -> None:
        """Note that `path` is set at `start`; the first time one is set again, where: a key
        or header set before, a table that dotted keys made, a key under a value."""
        first = self.set.get(path, self.dotted.get(path))
        for k in range(1, len(path)):
            if first is None and path[:k] in self.set and path[:k] in self.places.values:
                first, shown, table = self.set[path[:k]], _name(path[:k]), ""
        if first is not None and self.places.duplicate is None:
            self.places.duplicate = Duplicate(shown, table, self.place(start), first, end)
        self.set.setdefault(path, self.place(start)[0])

    def key(self) -> tuple[str, ...]:
        parts = []
        while True:
            self.skip(newlines=False)
            parts.append(self.simple_key())
            self.skip(newlines=False)
            if not self.text.startswith(".", self.pos):
                return tuple(parts)
            self.pos += 1

    def simple_key(self) -> str:
        start = self.pos
        if self.text.startswith('"', start):
            self.pos = self.basic_end(start + 1)
            try:
                return str(tomllib.loads(f"k = {self.text[start : self.pos]}")["k"])
            except tomllib.TOMLDecodeError:
                raise _Stop from None
        if self.text.startswith("'", start):
            self.pos = self.literal_end(start + 1, "'")
            return self.text[start + 1 : self.pos - 1]
        match = _BARE.match(self.text, start)
        if match is None:
            raise _Stop
        self.pos = match.end()
        return match.group()

    def value(self, path: Path) -> None:
        start = self.pos
        self.places.values[path] = self.place(start)
        text = self.text
        if text.startswith(('"""', "'''"), start):
            quote = text[start]
            if quote == '"':
                end = self.basic_end(start + 3, multi=True)
            else:
                end = self.literal_end(start + 3, quote * 3)
            # Up to two quotes just before the closing three belong to the text.
            extra = 0
            while extra < 2 and text.startswith(quote, end):
                end, extra = end + 1, extra + 1
            self.pos = end
        elif text.startswith('"', start):
            self.pos = self.basic_end(start + 1)
        elif text.startswith("'", start):
            self.pos = self.literal_end(start + 1, "'")
        elif text.startswith("[", start):
            self.array(path)
        elif text.startswith("{", start):
            self.inline_table(path)
        else:
            match = _OTHER.match(text, start)
            if match is None or not match.group().strip():
                raise _Stop
            self.pos = start + len(match.group().rstrip())

    def basic_end(self, pos: int, multi: bool = False) -> int:
        """Just past the quote (or three) that ends a basic string whose text starts at `pos`."""
        text = self.text
        while pos < len(text):
            char = text[pos]
            if char == "\\":
                pos += 2
            elif char == '"' and not multi:
                return pos + 1
            elif char == '"' and text.startswith('"""', pos):
                return pos + 3
            elif char == "\n" and not multi:
                break
            else:
                pos += 1
        raise _Stop

    def literal_end(self, pos: int, quote: str) -> int:
        """Just past `quote`, which ends a literal string whose text starts at `pos`."""
        end = self.text.find(quote, pos)
        if end < 0 or (len(quote) == 1 and "\n" in self.text[pos:end]):
            raise _Stop
        return end + len(quote)

    def array(self, path: Path) -> None:
        self.pos += 1
        index = 0
        while True:
            self.skip(newlines=True)
            if self.text.startswith("]", self.pos):
                self.pos += 1
                return
            self.value((*path, index))
            index += 1
            self.skip(newlines=True)
            if self.text.startswith(",", self.pos):
                self.pos += 1
            elif not self.text.startswith("]", self.pos):
                raise _Stop

    def inline_table(self, path: Path) -> None:
        self.pos += 1
        while True:
            self.skip(newlines=True)
            if self.text.startswith("}", self.pos):
                self.pos += 1
                return
            name = self.key()
            self.expect("=")
            self.skip(newlines=False)
            self.value((*path, *name))
            self.skip(newlines=True)
            if self.text.startswith(",", self.pos):
                self.pos += 1
            elif not self.text.startswith("}", self.pos):
                raise _Stop

    def expect(self, token: str) -> None:
        self.skip(newlines=False)
        if not self.text.startswith(token, self.pos):
            raise _Stop
        self.pos += len(token)

    def skip(self, newlines: bool) -> None:
        """Past spaces and a comment (and, with `newlines`, line ends and comment lines)."""
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char in " \t" or (newlines and char in "\r\n"):
                self.pos += 1
            elif char == "#":
                end = text.find("\n", self.pos)
                self.pos = len(text) if end < 0 else end
            else:
                return


def _name(path: Path) -> str:
    """A table's name as a header writes it (an array of tables' index left out)."""
    return ".".join(part for part in path if isinstance(part, str))
