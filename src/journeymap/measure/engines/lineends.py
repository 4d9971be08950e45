"""A CSV file whose lines end in two ways (CRLF and LF): DuckDB cannot read it, and says only
that it could not guess the file's layout. Read only when DuckDB could not."""

from __future__ import annotations

import re
from pathlib import Path

from journeymap.measure.engines.common import MeasureError

_BREAK = re.compile(rb'"|\r\n|\n|\r')
_CR = b"\r"
_NAMES = {b"\r\n": "CRLF (\\r\\n, as Windows writes)", b"\n": "LF (\\n)", b"\r": "CR (\\r)"}


def mixed_line_endings(files: list[Path]) -> None:
    """Raise the MeasureError naming the first line whose ending differs from the first line's
    (line breaks inside a quoted field, as Excel writes them, do not count)."""
    for file in files:
        found = _first_change(file)
        if found is not None:
            line, first, other = found
            tool = "mac2unix" if _CR in (first, other) else "dos2unix"
            raise MeasureError(
                f"{file}:{line}: this line ends with {_NAMES[other]} where the lines above end "
                f"with {_NAMES[first]}: a file's lines must all end the same way (was a row "
                "added in another editor?); convert it to one kind, for example with "
                f"`{tool} {file.name}`"
            )


def _first_change(file: Path) -> tuple[int, bytes, bytes] | None:
    """(line, the first ending, the other) of the first line ending unlike the first one."""
    first: bytes | None = None
    quoted = False
    line = 1
    carry = b""
    try:
        with file.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                data = carry + chunk
                # A `\r` at the end of a chunk may be the half of a `\r\n`: read it with the next.
                carry = b"\r" if data.endswith(b"\r") else b""
                body = data[: len(data) - len(carry)]
                if first is not None and _uniform(body, first):
                    line += body.count(b"\n") if first != b"\r" else body.count(b"\r")
                    quoted ^= body.count(b'"') % 2 == 1
                    continue
                for match in _BREAK.finditer(data, 0, len(data) - len(carry)):
                    found = match.group()
                    if found == b'"':
                        quoted = not quoted
                        continue
                    if not quoted:
                        if first is None:
                            first = found
                        elif found != first:
                            return line, first, found
                    line += 1
    except OSError:
        return None
    return None


def _uniform(data: bytes, ending: bytes) -> bool:
    """Whether every line break in `data` is `ending` (counted, at memory speed)."""
    crlf = data.count(b"\r\n")
    if ending == b"\r\n":
        return data.count(b"\n") == crlf == data.count(b"\r")
    other = b"\r" if ending == b"\n" else b"\n"
    return other not in data
