"""Files a render leaves behind: outputs journeymap made from maps that no longer make them.

A map deleted, renamed or given another id leaves its old files in the output folder, and a
published site would keep a page for a journey that no longer exists. `find` lists them: the
files in the folder that this run does not make, of the formats it renders (and the portfolio
page), that carry journeymap's mark (`render/marks.py`) naming maps that all lie under the
run's inputs, none of them a map the run still has without rendering it. A map named by the
mark is one the run rendered (to other files now), one that is a library now, or one that no
longer exists; a map that exists and was not rendered (it has errors, its id is taken, it is
not a map, the configuration excludes it) keeps its files. Whatever lacks the mark, or is a
link, a folder or anything but a regular file, is neither reported nor removed, and an
output of a map outside the inputs (a run over some of the maps) is not this run's to judge.

The folder is listed once; only the files it could report are opened (not one this run
writes), and only their first bytes read (`marks.HEAD_BYTES`; a page of journeymap's to its
`<title>`: a portfolio names every map before it), never following a link.
`remove` (`render --prune`) deletes each by name after checking that the name still holds the
very file that was read (a regular file with the same device and inode): `unlink` removes a
name, never what a link points to, and removes it whole or not at all.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from journeymap.escape import terminal
from journeymap.render.batch import KEPT, LIBRARY, PORTFOLIO_NAME, RENDERED
from journeymap.render.marks import GENERATOR, HEAD_BYTES, HTML_LIMIT, source_name, sources_in

#: Names a map by in a message before "and N more".
SHOWN_SOURCES = 3


@dataclass(frozen=True)
class Leftover:
    """A file journeymap made that this run would not make again, and why."""

    path: Path
    sources: tuple[str, ...]  # the maps it was made from, as its mark names them
    why: str  # "made from maps/old.journey.yaml, which no longer exists"
    identity: tuple[int, int]  # (device, inode) of the file read


@dataclass(frozen=True)
class RunMaps:
    """What a run knows of the maps: the inputs and each map met (`Plan.sources`), all named
    as outputs name maps (`marks.source_name`, from `base`)."""

    base: Path
    inputs: tuple[str, ...]
    met: dict[str, str]


def run_maps(
    paths: Iterable[str], base: Path, met: dict[str, str], kept: Iterable[Path]
) -> RunMaps:
    """The run's inputs (files and folders as given) and the maps it met; `kept` are files it
    met and kept (YAML passed over as not a map)."""
    inputs: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():  # as a map in it is named, its own links followed too
            inputs.append(terminal(os.path.relpath(os.path.realpath(path), base)))
        else:
            inputs.append(source_name(path, base))
    known = dict(met)
    for path in kept:
        known[source_name(path, base)] = KEPT
    return RunMaps(base, tuple(name.replace(os.sep, "/") for name in inputs), known)


def find(out_dir: Path, produced: set[str], extensions: set[str], maps: RunMaps) -> list[Leftover]:
    """The leftovers in `out_dir`, by name: its files not in `produced` whose extension is one
    of `extensions` (a portfolio page always), read no further than their mark."""
    try:
        with os.scandir(out_dir) as listing:
            entries = sorted((entry.name, entry) for entry in listing)
    except OSError:  # no folder yet, or not one: nothing is left in it
        return []
    found: list[Leftover] = []
    for name, entry in entries:
        extension = name.rpartition(".")[2]
        wanted = extension in extensions or name == PORTFOLIO_NAME
        if name in produced or not wanted or not entry.is_file(follow_symlinks=False):
            continue
        read = _head(Path(entry.path), extension)
        if read is None:
            continue
        head, identity = read
        sources = sources_in(extension, head)
        if extension not in extensions and len(sources) < 2:
            continue  # index.html of another format's run: a map's page, not a portfolio
        why = _why(sources, maps)
        if why is not None:
            found.append(Leftover(Path(entry.path), sources, why, identity))
    return found


def _head(path: Path, extension: str) -> tuple[bytes, tuple[int, int]] | None:
    """The first bytes of a regular file (opened without following a link or waiting on a
    FIFO), and its identity; None for anything else."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            return None
        head = os.read(fd, HEAD_BYTES)
        if extension == "html" and GENERATOR in head:  # a portfolio names its maps up to <title>
            while b"<title>" not in head and len(head) < HTML_LIMIT:
                more = os.read(fd, min(1 << 20, HTML_LIMIT - len(head)))
                if not more:
                    break
                head += more
    except OSError:
        return None
    finally:
        os.close(fd)
    return head, (status.st_dev, status.st_ino)


def _why(sources: tuple[str, ...], maps: RunMaps) -> str | None:
    """Why a file made from `sources` is left over, or None when it is not (or not this run's
    to say)."""
    if not sources or not all(_under(source, maps.inputs) for source in sources):
        return None
    fates = [_fate(source, maps) for source in sources]
    if any(fate is None for fate in fates):
        return None
    if len(sources) == 1:
        return f"made from {sources[0]}, which {fates[0]}"
    shown = ", ".join(sources[:SHOWN_SOURCES])
    more = len(sources) - SHOWN_SOURCES
    rendered = sum(1 for source in maps.met.values() if source == RENDERED)
    return (
        f"the portfolio of {shown}{f' and {more} more' if more > 0 else ''}; "
        f"this run renders {rendered} map{'' if rendered == 1 else 's'}, and makes no portfolio"
    )


def _fate(source: str, maps: RunMaps) -> str | None:
    """What became of a map since it made a file: rendered to other files, a library, gone;
    None when the map is still there and was not rendered (its files stay)."""
    state = maps.met.get(source)
    if state == RENDERED:
        return "now renders to other files"
    if state == LIBRARY:
        return "is a library now, not a map"
    if state is not None:
        return None  # met, and not rendered
    return "no longer exists" if _gone(source, maps.base) else None


def _gone(source: str, base: Path) -> bool:
    """Whether no file is where the map was. A name that holds what `terminal` shows as `?`
    or U+FFFD is looked for among its folder's files, each shown so; a folder of such a name
    is not looked for (it may be there)."""
    folder, _, name = source.rpartition("/")
    if _shown(folder):
        return False
    try:
        if not _shown(name):
            os.lstat(base / source)
            return False
        with os.scandir(base / folder) as entries:
            return all(terminal(entry.name) != name for entry in entries)
    except FileNotFoundError:
        return True
    except OSError:
        return False


def _shown(name: str) -> bool:
    """Whether a name may stand for another (`source_name` shows some characters as `?` and
    U+FFFD)."""
    return "?" in name or "\ufffd" in name


def _under(source: str, inputs: tuple[str, ...]) -> bool:
    """Whether a map lies in one of the inputs (a file named as it is, or a folder)."""
    for given in inputs:
        if given == ".":
            if source.split("/", 1)[0] != "..":
                return True
        elif source == given or source.startswith(given + "/"):
            return True
    return False


def remove(leftovers: Iterable[Leftover]) -> tuple[list[Leftover], list[str]]:
    """Delete each leftover whose name still holds the file that was read; the ones removed,
    and a problem (a sentence) for each that could not be."""
    removed: list[Leftover] = []
    problems: list[str] = []
    for leftover in leftovers:
        try:
            status = os.lstat(leftover.path)
            if not stat.S_ISREG(status.st_mode) or (
                (status.st_dev, status.st_ino) != leftover.identity
            ):
                problems.append(f"{leftover.path} changed while it was read; left as it is")
                continue
            os.unlink(leftover.path)
        except FileNotFoundError:
            continue  # gone already
        except OSError as err:
            problems.append(f"cannot remove {leftover.path}: {err.strerror or err}")
            continue
        removed.append(leftover)
    return removed, problems
