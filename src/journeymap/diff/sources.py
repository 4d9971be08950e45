"""Where the two sides of a diff come from: two files, two folders, or a git revision.

Each side is checked as `journeymap validate` would (libraries too: at a revision, read from
it) and keyed by map id; `pairs.pair` matches the keys and `pairs.map_diff` compares each
pair (a map that is not valid is reported with its errors, not compared). In two
folders and against a revision only what changed is checked (`plan.py`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from journeymap.config import Config, ConfigFinder
from journeymap.diff.changes import DiffError, MapDiff
from journeymap.diff.git import GitRevision
from journeymap.diff.pairs import LintFn, by_id, map_diff, pair
from journeymap.diff.plan import Reach, Side, check_changed, is_map_on_both
from journeymap.files import read_bounded
from journeymap.findings import Finding
from journeymap.inputs import (
    YAML_SUFFIXES,
    Inputs,
    LinkNotFollowed,
    discover,
    looks_like_map,
    named_as_map,
    why_missing,
)
from journeymap.inspection import Inspection, Inspector, library_from_text
from journeymap.loader import Document, decode
from journeymap.model import Library


def relative_to(root: Path) -> Callable[[Inspection], str]:
    base = root.resolve()

    def name(item: Inspection) -> str:
        # The file's own name (its folder resolved): a link keeps its name on both sides,
        # also a link to nothing.
        try:
            return (item.path.parent.resolve() / item.path.name).relative_to(base).as_posix()
        except ValueError:
            return item.display

    return name


#: Told about each link in a folder that is not followed (to a folder, or out of the project).
OnLink = Callable[[LinkNotFollowed], None] | None


def diff_paths(
    old_path: Path,
    new_path: Path,
    finder: ConfigFinder,
    lint: LintFn | None = None,
    *,
    on_link: OnLink = None,
) -> list[MapDiff]:
    """`journeymap diff OLD NEW`: two files (compared whatever their ids) or two directories."""
    checker = Inspector(finder)
    for path in (old_path, new_path):
        if not path.exists():
            raise DiffError(f"{path}: {why_missing(path)}")
    if old_path.is_dir() != new_path.is_dir():
        raise DiffError("compare a file with a file, or a directory with a directory")
    if not old_path.is_dir():
        old, new = checker.inspect(old_path), checker.inspect(new_path)
        if old.library is not None or new.library is not None:
            raise DiffError("libraries are compared through the maps that use them")
        return [map_diff(old, new, lint)]
    old_files, new_files = (_in_folder(path, finder, on_link) for path in (old_path, new_path))
    unchanged, may_use = _same_bytes(old_files, new_files, finder)

    def mentioning(ids: set[str]) -> set[str]:
        needles = [ident.encode("utf-8") for ident in ids]
        return {n for n in unchanged if any(x in _read(new_files[n], finder) for x in needles)}

    old_side = Side(list(old_files), lambda name: checker.inspect(old_files[name]))
    new_side = Side(list(new_files), lambda name: checker.inspect(new_files[name]))
    reach = Reach(lambda _old, _new: may_use, mentioning)
    before, after = check_changed(old_side, new_side, unchanged, reach)
    return pair(by_id(before, relative_to(old_path)), by_id(after, relative_to(new_path)), lint)


def _in_folder(folder: Path, finder: ConfigFinder, on_link: OnLink) -> dict[str, Path]:
    """The maps `discover` finds in `folder`, by their path from it."""
    found = _discovered([str(folder)], finder, on_link)
    return {f.relative_to(folder).as_posix(): f for f in found.files}


def _discovered(paths: list[str], finder: ConfigFinder, on_link: OnLink) -> Inputs:
    """`discover`, each link it did not follow told to `on_link`."""
    found = discover(paths, finder)
    if on_link is not None:
        for link in found.links:
            on_link(link)
    return found


# Text that may name a library: the key, or an escape that could spell any name.
_MAY_USE = (b"uses", b"\\")


def _same_bytes(
    old: dict[str, Path], new: dict[str, Path], finder: ConfigFinder
) -> tuple[set[str], set[str]]:
    """Names with the same bytes on both sides (sizes first), and those of them that may use a
    library: a library can sit outside the folders, beside each side's copy of a map."""
    same: set[str] = set()
    may_use: set[str] = set()
    for name, path in new.items():
        before = old.get(name)
        if before is None:
            continue
        try:
            if before.stat().st_size != path.stat().st_size:
                continue
        except OSError:
            continue  # checking it says why
        raw = _read(path, finder)
        if raw and raw == _read(before, finder):
            same.add(name)
            if any(key in raw for key in _MAY_USE):
                may_use.add(name)
    return same, may_use


def _read(path: Path, finder: ConfigFinder) -> bytes:
    """A file's bytes up to its limit and one byte over; b"" when it cannot be read."""
    limit = finder.for_file(path).limits.max_bytes
    try:
        return read_bounded(path, limit + 1)
    except OSError:
        return b""


def diff_revision(
    rev: str,
    paths: list[Path],
    finder: ConfigFinder,
    lint: LintFn | None = None,
    *,
    on_link: OnLink = None,
) -> list[MapDiff]:
    """`journeymap diff --rev REV [PATH...]`: maps at REV (read through git) against the tree."""
    with GitRevision(rev, _repository_of(paths)) as git:
        present = [str(p) for p in paths if p.exists()]
        files = _discovered(present, finder, on_link).files if present else []
        tree = _TreeSide(git, finder, files)
        revision = _RevisionSide(git, finder, paths, tree.checker)
        _nothing_named(git, paths)
        unchanged = {
            name
            for name in revision.names
            if name in tree.paths and name not in revision.changed and git.is_regular(name)
        }
        reach = Reach(revision.library_users, lambda ids: git.grep(sorted(ids), revision.specs))
        old, new = check_changed(
            Side(revision.names, revision.check),
            Side(list(tree.paths), tree.check),
            unchanged,
            reach,
        )
        name = relative_to(git.root)
        new_maps = by_id(new, name)  # checked first, as before: its errors are reported first
        return pair(by_id(old, name), new_maps, lint)


def _repository_of(paths: list[Path]) -> Path:
    """Where to ask git: the first named path's folder (`diff --rev HEAD ~/repo/maps` from
    elsewhere compares that repository), else the current folder."""
    for path in paths:
        folder = path if path.is_dir() else path.parent
        if folder.is_dir():
            return folder.absolute()
    return Path.cwd()


def _nothing_named(git: GitRevision, paths: list[Path]) -> None:
    """Stop at a path that names nothing, neither now nor at the revision (a typing mistake
    would otherwise compare nothing and pass), or a link that leads nowhere now."""
    for path in paths:
        if path.exists():
            continue
        if not path.is_symlink():
            spec = git.relative(path)
            if any(rel == spec or rel.startswith(spec + "/") for rel in git.tree):
                continue  # removed since
        where = "" if path.is_symlink() else f", now or at {git.rev}"
        raise DiffError(f"{path}: {why_missing(path)}{where}")


class _TreeSide:
    """The working tree's maps, by their path from the repository's root as git names them.

    A file that git does not name so (outside the repository, a link or `..` on its way) is
    always checked. A file that is a link now but was not is a type change that git reports.
    """

    def __init__(self, git: GitRevision, finder: ConfigFinder, files: Sequence[Path]) -> None:
        self.checker = Inspector(finder)
        self.paths: dict[str, Path] = {}
        folders: dict[str, str | None] = {}  # a folder as discover wrote it -> its git name
        for index, path in enumerate(files):
            parent, _, base = str(path).rpartition("/")
            if parent not in folders:
                folders[parent] = _git_folder(git.root, Path(parent or "."))
            folder = folders[parent]
            name = None if folder is None else folder + base
            if name is None or name in self.paths:
                name = f"\0{index}"  # matches nothing at the revision: always checked
            self.paths[name] = path

    def check(self, name: str) -> Inspection:
        return self.checker.inspect(self.paths[name])


def _git_folder(root: Path, folder: Path) -> str | None:
    """`folder` from the root as git writes it ("" or "a/b/"), or None."""
    absolute = Path.cwd() / folder  # `..` kept: resolving it follows links, as reading does
    real = absolute.resolve()
    if Path(os.path.normpath(absolute)) != real:
        return None
    try:
        name = real.relative_to(root).as_posix()
    except ValueError:
        return None
    return "" if name == "." else name + "/"


class _RevisionSide:
    """The maps at the revision (read through `git cat-file`), by their path from the root."""

    def __init__(
        self, git: GitRevision, finder: ConfigFinder, paths: list[Path], checker: Inspector
    ) -> None:
        self.git, self.finder, self.checker = git, finder, checker
        self._configs: dict[str, Config] = {}  # by folder
        self.specs = [git.relative(p) for p in paths]
        self.explicit = {git.relative(p) for p in paths if not p.is_dir()}
        self.names = [
            rel for rel in git.files(self.specs, YAML_SUFFIXES) if not self._excluded(rel)
        ]
        self.changed = git.changed

    def _excluded(self, rel: str) -> bool:
        """Whether the configuration leaves the file out (a link's: where it points)."""
        folder = rel.rpartition("/")[0]
        config = self._configs.get(folder)
        if config is None:
            config = self._configs[folder] = self.finder.for_file(self.git.root / rel)
        if self.git.tree[rel].mode == "120000":
            config = self.finder.for_path(self.git.root / rel)
        return bool(config.exclude) and config.is_excluded(self.git.root / rel)

    def text(self, rel: str) -> str | None:
        raw = self.git.read_bytes(rel)
        return None if raw is None else decode(raw, f"{self.git.rev}:{rel}")

    def check(self, rel: str) -> Inspection | None:
        text = self.text(rel)
        path = self.git.root / rel
        if text is None or (
            rel not in self.explicit
            and not named_as_map(path)
            and not looks_like_map(text.encode("utf-8"))
        ):
            return None
        return self.checker.inspect_text(path, text, f"{self.git.rev}:{rel}", self.load_library)

    def load_library(
        self, target: Path, shown_as: str
    ) -> tuple[Document | None, Library | None, list[Finding]]:
        rel = self.git.relative(target)
        text = self.text(rel)
        if text is None:
            return self.checker.inspect_library(target)
        display = f"{self.git.rev}:{rel}"
        return library_from_text(text, display, target, self.finder.for_file(target))

    def library_users(self, old: dict[str, Inspection], new: dict[str, Inspection]) -> set[str]:
        """Maps that may use a file that changed and is, on either side, a journeymap file."""
        libraries = sorted(
            rel
            for rel in self.changed
            if not is_map_on_both(rel, old, new) and self._may_be_library(rel, old, new)
        )
        if not libraries:
            return set()
        names = {rel.rsplit("/", 1)[-1] for rel in libraries}
        links = any(blob.mode == "120000" for blob in self.git.tree.values())
        if links or any(len(n.split()) != 1 for n in names):
            names = {"uses"}  # a link or a folded name can hide the file's name
        return self.git.grep(sorted(names | {"\\"}), self.specs)

    def _may_be_library(
        self, rel: str, old: dict[str, Inspection], new: dict[str, Inspection]
    ) -> bool:
        if any(side.get(rel) is not None and side[rel].library for side in (old, new)):
            return True
        path = self.git.root / rel
        limit = self.finder.for_file(path).limits.max_bytes
        if looks_like_map(self.git.read_bytes(rel, limit) or b""):
            return True
        try:
            return path.is_file() and looks_like_map(read_bounded(path, limit))
        except OSError:
            return True  # unreadable now: the maps that use it say so
