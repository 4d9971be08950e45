"""A map file's text: a regular file's bytes, read within the size limit, decoded as UTF-8.

Every failure is a `LoadError` whose finding names the file, line and column.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from journeymap.findings import Finding, Severity


@dataclass(frozen=True)
class Limits:
    """Bounds on the work one input file can cause (see docs/security.md)."""

    max_bytes: int = 4 * 1024 * 1024
    max_depth: int = 64
    max_nodes: int = 500_000  # counted after alias expansion


DEFAULT_LIMITS = Limits()


class LoadError(Exception):
    """The file could not be turned into data; `finding` says where and why."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def fail(display: str, rule: str, message: str, line: int = 1, column: int = 1) -> LoadError:
    """A LoadError with its finding (an error) at the line and column given."""
    return LoadError(Finding(display, line, column, rule, Severity.ERROR, message))


def decode(raw: bytes, display: str) -> str:
    """UTF-8 text from bytes, or a located `encoding` error."""
    if b"\x00" in raw:
        return _raise(
            fail(display, "encoding", "binary file: contains NUL bytes, not UTF-8 YAML text")
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise fail(
            display,
            "encoding",
            f"not UTF-8: byte 0x{raw[err.start]:02x} at line {line} cannot be decoded "
            "(save the file as UTF-8)",
            line,
            column,
        ) from None


def _raise(err: LoadError) -> str:
    raise err


def read_bytes(path: Path, display: str, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """A regular file's bytes, reading no more than one byte past the size limit.

    A FIFO, device or socket (a map in a pull request can be a link to `/dev/zero`) is an
    `encoding` error, never read; other OSErrors are the caller's to report.
    """
    from journeymap.files import NotRegularFile, read_bounded

    try:
        return read_bounded(path, limits.max_bytes)
    except IsADirectoryError:  # where a folder cannot be opened at all
        raise fail(display, "syntax", "is a directory, not a YAML file") from None
    except NotRegularFile as err:
        if err.strerror == "a directory":
            raise fail(display, "syntax", "is a directory, not a YAML file") from None
        raise fail(
            display,
            "encoding",
            "not a regular file (a FIFO, device or socket): journeymap reads only files",
        ) from None


def read(
    path: Path, display: str, limits: Limits = DEFAULT_LIMITS, raw: bytes | None = None
) -> str:
    """The text of a file (or of its bytes already read), within the size limit, as UTF-8."""
    if raw is None:
        raw = read_bytes(path, display, limits)
    if len(raw) > limits.max_bytes:
        raise fail(
            display,
            "limits",
            f"file is larger than the limit of {limits.max_bytes:,} bytes "
            "(raise `limits.max-bytes` in the configuration if this is intended)",
        )
    return decode(raw, display)
