"""Where the two sides of a diff come from: two files, two folders, or a git revision.

Each side is checked as `journeymap validate` would (libraries too: at a revision, read from
it) and keyed by map id; `pair` matches the keys and `map_diff` compares each pair.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path

from journeymap.config import ConfigFinder
from journeymap.diff.changes import DiffError, MapDiff
from journeymap.diff.compare import diff_journeys
from journeymap.diff.findings import finding_changes
from journeymap.findings import Finding
from journeymap.loader import Document, decode
from journeymap.model import Library
from journeymap.validation import Journey
from journeymap.workspace import (
    YAML_SUFFIXES,
    Checked,
    Checker,
    discover,
    library_from_text,
    looks_like_map,
    named_as_map,
)

LintFn = Callable[[Checked], list[Finding]]


def _require_valid(checked: Checked) -> Journey:
    if checked.journey is not None:
        return checked.journey
    errors = [f for f in checked.findings if f.is_format_error] or checked.findings
    shown = "; ".join(f"{f.line}:{f.column}: {f.message}" for f in errors[:3])
    more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
    raise DiffError(
        f"{checked.display} is not a valid map, so it cannot be compared: {shown}{more}. "
        f"Run `journeymap validate` for details."
    )


def _keyed(checked: Iterable[Checked], name: Callable[[Checked], str]) -> dict[str, Checked]:
    """Maps by id (libraries are compared through the maps that use them).

    A map whose id an earlier map already has is keyed by its file too, as `name` gives it:
    the same on both sides (relative to the folder, or to the repository), so that it pairs
    with its own other version rather than showing as one map removed and one added.
    """
    out: dict[str, Checked] = {}
    for item in checked:
        if item.library is not None:
            continue
        journey = _require_valid(item)
        key = journey.id if journey.id not in out else f"{journey.id} ({name(item)})"
        out[key] = item
    return out


def _relative_to(root: Path) -> Callable[[Checked], str]:
    base = root.resolve()

    def name(item: Checked) -> str:
        try:
            return item.path.resolve().relative_to(base).as_posix()
        except ValueError:
            return item.display

    return name


def map_diff(old: Checked | None, new: Checked | None, lint: LintFn | None = None) -> MapDiff:
    """The MapDiff of one map: added, removed, or changed (possibly with no changes)."""
    old_j = _require_valid(old) if old is not None else None
    new_j = _require_valid(new) if new is not None else None
    if new_j is not None and new is not None:
        ident, title, file_new = new_j.id, new_j.map.title, new.display
    else:
        assert old_j is not None and old is not None
        ident, title, file_new = old_j.id, old_j.map.title, None
    status = "changed" if old_j and new_j else ("added" if new_j else "removed")
    diff = MapDiff(ident, title, status, old.display if old else None, file_new)
    if old_j is not None and new_j is not None:
        diff.changes = diff_journeys(old_j, new_j)
        if lint is not None and old is not None and new is not None:
            diff.changes += finding_changes(old_j, lint(old), new_j, lint(new))
    return diff


def pair(
    old: dict[str, Checked], new: dict[str, Checked], lint: LintFn | None = None
) -> list[MapDiff]:
    """Diffs for maps matched by id: first in the new side's order, then the removed ones."""
    out = [map_diff(old.get(key), item, lint) for key, item in new.items()]
    out += [map_diff(item, None, lint) for key, item in old.items() if key not in new]
    return out


def diff_paths(
    old_path: Path, new_path: Path, finder: ConfigFinder, lint: LintFn | None = None
) -> list[MapDiff]:
    """`journeymap diff OLD NEW`: two files (compared whatever their ids) or two directories."""
    checker = Checker(finder)
    for path in (old_path, new_path):
        if not path.exists():
            raise DiffError(f"{path}: no such file or directory")
    if old_path.is_dir() != new_path.is_dir():
        raise DiffError("compare a file with a file, or a directory with a directory")
    if not old_path.is_dir():
        old, new = checker.check(old_path), checker.check(new_path)
        if old.library is not None or new.library is not None:
            raise DiffError("libraries are compared through the maps that use them")
        return [map_diff(old, new, lint)]
    sides = []
    for path in (old_path, new_path):
        files = discover([str(path)], finder).files
        sides.append(_keyed((checker.check(f) for f in files), _relative_to(path)))
    return pair(sides[0], sides[1], lint)


class GitRevision:
    """Files at one revision of the git repository around the current directory."""

    def __init__(self, rev: str, cwd: Path | None = None) -> None:
        self.rev = rev
        self.cwd = cwd or Path.cwd()
        self.root = Path(self._git("rev-parse", "--show-toplevel").decode().strip()).resolve()
        try:
            self._git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
        except DiffError:
            raise DiffError(f"unknown revision '{rev}'") from None

    def _git(self, *args: str) -> bytes:
        try:
            proc = subprocess.run(
                ["git", *args], cwd=self.cwd, capture_output=True, check=False, timeout=60
            )
        except FileNotFoundError:
            raise DiffError("git is not installed (needed for --rev)") from None
        if proc.returncode != 0:
            message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            raise DiffError(f"git {args[0]}: {message[-1] if message else 'failed'}")
        return proc.stdout

    def relative(self, path: Path) -> str:
        resolved = (self.cwd / path).resolve()
        try:
            return resolved.relative_to(self.root).as_posix()
        except ValueError:
            raise DiffError(f"{path} is outside the git repository {self.root}") from None

    def files(self, paths: list[Path]) -> list[str]:
        """YAML files under `paths` at the revision, relative to the repository root."""
        specs = [self.relative(p) or "." for p in paths]
        listing = self._git(
            "ls-tree", "-r", "-z", "--name-only", "--full-tree", self.rev, "--", *specs
        )
        names = [n for n in listing.decode("utf-8", "replace").split("\0") if n]
        return sorted(n for n in names if n.endswith(YAML_SUFFIXES))

    def read(self, rel: str) -> str | None:
        try:
            raw = self._git("show", f"{self.rev}:{rel}")
        except DiffError:
            return None
        return decode(raw, f"{self.rev}:{rel}")


def diff_revision(
    rev: str, paths: list[Path], finder: ConfigFinder, lint: LintFn | None = None
) -> list[MapDiff]:
    """`journeymap diff --rev REV [PATH...]`: maps at REV (read through git) against the tree."""
    git = GitRevision(rev)
    checker = Checker(finder)
    present = [str(p) for p in paths if p.exists()]
    new_files = discover(present, finder).files if present else []
    explicit_files = {git.relative(p) for p in paths if not p.is_dir()}
    new = _keyed((checker.check(f) for f in new_files), _relative_to(git.root))

    def load_library(
        target: Path, shown_as: str
    ) -> tuple[Document | None, Library | None, list[Finding]]:
        rel = git.relative(target)
        text = git.read(rel)
        if text is None:
            return checker.check_library(target)
        return library_from_text(text, f"{rev}:{rel}", target, finder.for_file(target))

    old_checked: list[Checked] = []
    for rel in git.files(paths):
        path = git.root / rel
        if finder.for_path(path).is_excluded(path):
            continue
        text = git.read(rel)
        if text is None:
            continue
        if (
            rel not in explicit_files
            and not named_as_map(path)
            and not looks_like_map(text.encode("utf-8"))
        ):
            continue
        old_checked.append(checker.check_text(path, text, f"{rev}:{rel}", load_library))
    old = _keyed(old_checked, _relative_to(git.root))
    return pair(old, new, lint)
