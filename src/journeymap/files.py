"""Writing files so that a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> bool:
    """Write `data` to `path` via a temporary file in the same directory and a rename.

    Returns False, writing nothing, when the file already holds exactly these bytes (so an
    unchanged render keeps its modification time).
    """
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass
    directory = path.parent
    fd = _unnamed(directory)
    if fd is not None:
        try:
            _write_all(fd, data)
            # Name it only now, the moment before the rename: even `kill -9` during the write
            # leaves no temporary file behind (the kernel frees an unnamed one).
            tmp = _temporary_name(path)
            _link(fd, tmp)
        except OSError:
            os.close(fd)
        else:
            os.close(fd)
            _rename(tmp, path)
            return True
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        _write_all(fd, data)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    os.close(fd)
    _rename(tmp, path)
    return True


def _unnamed(directory: Path) -> int | None:
    """An unnamed file in `directory` (Linux's O_TMPFILE), or None where that is not there."""
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or not Path("/proc/self/fd").is_dir():
        return None
    try:
        return os.open(directory, flag | os.O_WRONLY, 0o644)
    except OSError:  # a file system without O_TMPFILE support; the caller falls back
        if not directory.is_dir():
            raise
        return None


def _link(fd: int, name: str) -> None:
    """Give an unnamed file a name: linkat(2) with AT_SYMLINK_FOLLOW on its /proc entry.

    (`os.link` calls plain link(2), which does not follow the /proc symlink, unless a
    directory descriptor is passed; the one for "/" changes nothing for absolute paths.)
    """
    root = os.open("/", os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.link(f"/proc/self/fd/{fd}", name, src_dir_fd=root, follow_symlinks=True)
    finally:
        os.close(root)


def _temporary_name(path: Path) -> str:
    return str(path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    os.fsync(fd)
    os.fchmod(fd, 0o644)


def _rename(tmp: str, path: Path) -> None:
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
