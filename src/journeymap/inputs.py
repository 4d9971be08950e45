"""Which files a run looks at: the command line's paths, and the maps found in its folders.

`discover` expands folders (skipping excluded and hidden entries, and not following a link to
a folder or out of the project: each such link is kept as a `LinkNotFollowed`, for the summary
and `--verbose`); a YAML file found in a folder is a map when it is named like one or
`looks_like_map` says so. How a file is named in messages (`display_name`) is decided here too.
"""

from __future__ import annotations

import errno
import functools
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import overload

from journeymap.config import DEFAULT_EXCLUDE, ConfigFinder
from journeymap.project import project_root, real_path
from journeymap.suggest import edit_distance

YAML_SUFFIXES = (".yaml", ".yml")
# A file named like this is a map by its name: a missing version is an error, never passed over.
MAP_SUFFIXES = (".journey.yaml", ".journey.yml")
# `journeymap: 1`, a value on the key's line; not `journeymap:` opening a block (a CI job, a
# compose service named journeymap) nor a flow mapping or list.
_TOP_LEVEL_KEY_BYTES = re.compile(rb"^journeymap[ \t]*:[ \t]*[^ \t\r\n#{\[]", re.MULTILINE)
_TOP_LEVEL_KEYS_BYTES = re.compile(rb"^([A-Za-z_][A-Za-z0-9_-]{0,40})[ \t]*:(?=[ \t\r\n]|$)", re.M)
_PROBE_BYTES = 64 * 1024


def named_as_map(path: Path) -> bool:
    return path.name.endswith(MAP_SUFFIXES)


def looks_like_map(raw: bytes) -> bool:
    """Whether a YAML file found in a folder is a map, or probably one that lost its version.

    A map has a top-level `journeymap` key with its version on the same line. A probable map
    has a top-level key within two edits of it (`journeymp`, `jurneymap`), or both `stages` and
    `title`: it is checked, so the missing version is reported instead of the file being passed
    over in silence. A `journeymap:` key opening a block or a flow collection is another tool's
    entry (a GitLab CI job named journeymap): passed over.
    """
    if _TOP_LEVEL_KEY_BYTES.search(raw):
        return True
    keys = {m.group(1).decode("ascii") for m in _TOP_LEVEL_KEYS_BYTES.finditer(raw[:_PROBE_BYTES])}
    if {"stages", "title"} <= keys:
        return True
    # A `journeymap:` that opens a block is another tool's entry (`.gitlab-ci.yml`'s job).
    return any(edit_distance(key, "journeymap", 2) <= 2 for key in keys - {"journeymap"})


@dataclass(frozen=True)
class LinkNotFollowed:
    """A symbolic link found in a folder and not followed: to a folder (the walk does not go
    into linked folders), or to a file out of the project (a map in a pull request must not
    make journeymap read `~/.ssh/config` into a report). Named on the command line, either is
    read: what the user names is trusted."""

    path: Path
    target: str | None  # what the link holds (the text committed), never anything read through it
    folder: bool

    def line(self) -> str:
        """`not followed maps/x.yaml (a symbolic link to '/y', ...)`, for `--verbose` and notes:
        untrusted text, to go through its output's escaping."""
        if self.folder:
            to = "the folder" if self.target is None else f"the folder {self.target!r}"
            what = f"a symbolic link to {to}; name it on the command line to search it"
        else:
            to = "a file" if self.target is None else repr(self.target)
            what = f"a symbolic link to {to}, out of the project; name it on the command line "
            what += "to read it"
        return f"not followed {self.path} ({what})"


def links_not_followed(count: int, verbose: str = "-v names them") -> str:
    """`2 links not followed (out of the project, or to folders; -v names them)`."""
    if count == 1:
        return f"1 link not followed (out of the project, or to a folder; {_singular(verbose)})"
    return f"{count} links not followed (out of the project, or to folders; {verbose})"


def _singular(verbose: str) -> str:
    return verbose.replace(" them", " it")


@dataclass
class Tally:
    """What a run passed over, and the links it did not follow, for the summary line
    (`2 passed over`, `1 link not followed`) and `--verbose`."""

    passed_over: list[Path] = field(default_factory=list)
    links: list[LinkNotFollowed] = field(default_factory=list)


class InputError(Exception):
    """A path named on the command line that cannot be used (exit code 2)."""


def display_name(path: Path) -> str:
    """How a file is named in messages: relative to the current directory when inside it.

    A name is text: bytes of a file name that are not UTF-8 (git stores any) are shown as
    U+FFFD, so that every report can be written as UTF-8.
    """
    if not path.is_absolute() and ".." not in path.parts:
        return _text(path.as_posix())  # already relative to the current directory
    # The folder is resolved (once for all its files), the file keeps the name it was given.
    try:
        folder = _resolved(str(path.parent)).relative_to(_resolved(os.getcwd()))  # noqa: PTH109
    except ValueError:
        return _text(path.as_posix())
    return _text((folder / path.name).as_posix())


def _text(name: str) -> str:
    if name.isascii():
        return name
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


@functools.lru_cache(maxsize=256)
def _resolved(directory: str) -> Path:
    return Path(directory).resolve()


class Files(Sequence[Path]):
    """The files of a run, in order, kept as their names; a `Path` is made when one is asked
    for. A run over 50,000 maps holds them all: as paths that is about 400 bytes a file (the
    object, its parts, its text), as names about 80."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def append(self, path: Path) -> None:
        self.names.append(str(path))

    def __len__(self) -> int:
        return len(self.names)

    @overload
    def __getitem__(self, at: int) -> Path: ...
    @overload
    def __getitem__(self, at: slice) -> list[Path]: ...
    def __getitem__(self, at: int | slice) -> Path | list[Path]:
        if isinstance(at, slice):
            return [Path(name) for name in self.names[at]]
        return Path(self.names[at])

    def __iter__(self) -> Iterator[Path]:
        return map(Path, self.names)


@dataclass
class Inputs:
    files: Files
    passed_over: list[Path]
    # Found in a folder and not yet looked into: kept only if they turn out to be maps.
    unsniffed: set[Path] = field(default_factory=set)
    links: list[LinkNotFollowed] = field(default_factory=list)


@dataclass(frozen=True)
class PassedOver:
    """A YAML file found in a folder that has no top-level `journeymap: 1`."""

    path: Path


def discover(paths: list[str], finder: ConfigFinder, *, defer_sniff: bool = False) -> Inputs:
    """Expand the command line's paths: files as named, directories by their journeymap files.

    With `defer_sniff`, a folder's YAML files are listed without opening them; whoever reads
    them (`inspect_each`, in the workers) passes over those that are not maps.
    Raises InputError for a path that does not exist (a missing file never passes silently).
    """
    files = Files()
    passed_over: list[Path] = []
    unsniffed: set[Path] = set()
    links: list[LinkNotFollowed] = []
    seen: set[Path] = set()
    # Two arguments may name the same file (a folder and a file in it); one cannot repeat itself.
    dedupe = len(paths) > 1
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError(f"{raw}: {why_missing(path)}")
        if path.is_dir():
            walked: list[LinkNotFollowed] = []
            for candidate in _walk(path, finder, walked):
                if dedupe:  # one folder cannot repeat itself: no set of its files needed
                    key = real_path(candidate)
                    if key in seen:
                        continue
                    seen.add(key)
                if named_as_map(candidate):
                    files.append(candidate)
                elif defer_sniff:
                    files.append(candidate)
                    unsniffed.add(candidate)
                elif _probably_a_map(candidate):
                    files.append(candidate)
                else:
                    passed_over.append(candidate)
            links.extend(_new(walked, seen) if dedupe else walked)
        else:
            key = real_path(path)
            if key not in seen:
                seen.add(key)
                files.append(path)
    return Inputs(files, passed_over, unsniffed, links)


def why_missing(path: Path) -> str:
    """Why a path given on the command line names nothing: no file, or a link to none."""
    try:
        target = str(path.readlink())
    except OSError:  # not a link
        return "no such file or directory"
    try:
        path.stat()
    except OSError as err:
        return broken_link(target, err)
    return "no such file or directory"  # gone meanwhile


def broken_link(target: str, err: OSError) -> str:
    """What a symbolic link to `target` that cannot be followed (`err`) is."""
    if err.errno == errno.ELOOP:
        return f"a symbolic link to {target!r}, which leads round a loop of links"
    reason = err.strerror or type(err).__name__
    return f"a symbolic link to {target!r}, which does not exist ({reason})"


def _walk(directory: Path, finder: ConfigFinder, links: list[LinkNotFollowed]) -> Iterator[Path]:
    """The YAML files under `directory`; each link it does not follow is added to `links`."""
    for current, dirnames, filenames in os.walk(directory):
        base = Path(current)
        dirnames[:] = sorted(
            d
            for d in dirnames
            if d not in DEFAULT_EXCLUDE
            and not d.startswith(".")
            and not finder.for_path(base / d).is_excluded(base / d)
        )
        # os.walk lists a link to a folder with the folders and does not go into it.
        links.extend(
            _not_followed(base / d, folder=True) for d in dirnames if (base / d).is_symlink()
        )
        for name in sorted(filenames):
            if name.endswith(YAML_SUFFIXES):
                path = base / name
                if finder.for_file(path).is_excluded(path):
                    continue
                if path.is_symlink() and not _link_stays_inside(path) and path.exists():
                    # A map in a pull request must not make us read files elsewhere.
                    links.append(_not_followed(path, folder=False))
                    continue
                # A link to nothing is kept: reading it fails, and says where it points.
                yield path


def _new(links: list[LinkNotFollowed], seen: set[Path]) -> Iterator[LinkNotFollowed]:
    """The links not already met through another argument (`maps maps/old`)."""
    for link in links:
        key = link.path.parent.resolve() / link.path.name  # the link itself, not where it leads
        if key not in seen:
            seen.add(key)
            yield link


def _not_followed(path: Path, *, folder: bool) -> LinkNotFollowed:
    try:
        target: str | None = str(path.readlink())
    except OSError:  # replaced since it was listed
        target = None
    return LinkNotFollowed(path, target, folder)


def _link_stays_inside(path: Path) -> bool:
    """Whether a symbolic link found in a folder points inside the project it sits in."""
    try:
        return path.resolve().is_relative_to(project_root(path.parent.resolve()))
    except (OSError, RuntimeError):  # a loop, or a name too long
        return False


def _probably_a_map(path: Path) -> bool:
    """A cheap test for a map or a probable map (`looks_like_map`); the real check is the parse."""
    from journeymap.files import read_bounded

    try:
        head = read_bounded(path, _PROBE_BYTES)
    except OSError:
        return True  # let the check report why it cannot be read
    return looks_like_map(head)
