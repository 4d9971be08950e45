# ruff: noqa: PTH100, PTH123
# Plain os.path and open: this runs inside an audit hook, called for every audited operation.
"""An audit hook that records writes under one folder (the real home), for the test suite."""

from __future__ import annotations

import os
import sys
from typing import Any

# Audit events that create, change or remove a file or folder, and the arguments naming paths
# that change.
_WRITES = {
    "os.mkdir": (0,),
    "os.rename": (0, 1),
    "os.replace": (0, 1),
    "os.remove": (0,),
    "os.rmdir": (0,),
    "os.symlink": (1,),
    "os.link": (1,),
    "os.truncate": (0,),
    "os.chmod": (0,),
    "os.chown": (0,),
    "os.utime": (0,),
    "shutil.rmtree": (0,),
    "shutil.copyfile": (1,),
}


def _is_write_mode(mode: object, flags: object) -> bool:
    if isinstance(mode, str):
        return any(c in mode for c in "wax+")
    if isinstance(flags, int):
        return bool(flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND))
    return False


def under(path: object, root: str) -> bool:
    """Whether `path` (a str, bytes or path-like; not a file descriptor) lies inside `root`."""
    if isinstance(path, int) or path is None:
        return False
    try:
        name = os.fsdecode(os.fspath(path))  # type: ignore[arg-type]
    except TypeError:
        return False
    full = os.path.abspath(name)
    return full == root or full.startswith(root.rstrip(os.sep) + os.sep)


def install(root: str, log: str) -> None:
    """Record in `log` (one line per write: event and path) each write under `root`."""
    root = os.path.abspath(root)
    busy = False

    def hook(event: str, args: tuple[Any, ...]) -> None:
        nonlocal busy
        if busy:
            return
        if event == "open":
            path, mode, flags = (*args, None, None, None)[:3]
            paths = [path] if _is_write_mode(mode, flags) else []
        elif event in _WRITES:
            paths = [args[i] for i in _WRITES[event] if i < len(args)]
        else:
            return
        hits = [os.fsdecode(os.fspath(p)) for p in paths if under(p, root)]
        if not hits:
            return
        busy = True  # our own write to the log must not come back here
        try:
            with open(log, "a", encoding="utf-8") as out:
                out.write(f"{os.getpid()} {event} {' '.join(hits)}\n")
        except OSError:
            pass
        finally:
            busy = False

    sys.addaudithook(hook)
