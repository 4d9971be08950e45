"""One revision of the git repository around the current directory, read through git itself.

What is at the revision comes from one `git ls-tree` (every blob's mode and id), what
changed since from one `git diff --name-only`, and file contents from one long-lived
`git cat-file --batch` process asked for blob ids: no `git show` per file, and file names
(spaces, newlines, leading dashes) never pass through a command line or a text protocol.
"""

from __future__ import annotations

import functools
import os
import posixpath
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO

from journeymap.diff.changes import DiffError
from journeymap.project import real_path

_REGULAR = ("100644", "100755")
_LINK = "120000"
_HOPS = 40  # links followed for one name, as Linux's limit
_LINK_BYTES = 4096  # PATH_MAX: a longer link is not one a checkout could make
_TIMEOUT = 60


@dataclass(frozen=True)
class Blob:
    """A file in a git tree: `mode` 100644 or 100755 (a regular file), 120000 (a link)."""

    mode: str
    oid: str


class GitRevision:
    """Files at one revision, by their path from the repository's root (`rel`)."""

    def __init__(self, rev: str, cwd: Path | None = None) -> None:
        self.rev = rev
        self.cwd = cwd or Path.cwd()
        self.root = Path(os.fsdecode(self._git("rev-parse", "--show-toplevel").strip())).resolve()
        try:
            if rev.startswith("-"):
                raise DiffError(rev)
            commit = self._git("rev-parse", "--verify", "--quiet", rev + "^{commit}")
        except DiffError:
            raise DiffError(f"unknown revision '{rev}'") from None
        self.commit = commit.decode("ascii").strip()
        self._batch: subprocess.Popen[bytes] | None = None
        # Started now, read when needed: git lists and compares while Python walks the tree.
        self._listing = _Started(("ls-tree", "-r", "-z", "--full-tree", self.commit), self.cwd)
        self._changes = _Started(
            ("diff", "--name-only", "-z", "--no-renames", "--no-ext-diff", "--no-textconv",
             "--ignore-submodules", self.commit, "--"),
            self.root,  # where the paths it prints start (and where diff.relative is moot)
        )  # fmt: skip

    def __enter__(self) -> GitRevision:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def _git(self, *args: str, ok: tuple[int, ...] = (0,), at_root: bool = False) -> bytes:
        """git's output; `at_root` runs it at the root, where the paths it prints start."""
        return _Started(args, self.root if at_root else self.cwd).output(ok)

    @functools.cached_property
    def tree(self) -> dict[str, Blob]:
        """Every file at the revision, by its path from the root."""
        tree: dict[str, Blob] = {}
        for entry in self._listing.output().split(b"\0"):
            meta, _, name = entry.partition(b"\t")
            fields = meta.split()
            if len(fields) == 3 and fields[1] == b"blob":
                tree[os.fsdecode(name)] = Blob(fields[0].decode(), fields[2].decode())
        return tree

    def relative(self, path: Path) -> str:
        """`path` from the repository's root (its folders' links resolved; a link to a file
        keeps its own name, the map the working tree reads under it); outside it, an error."""
        absolute = Path.cwd() / path  # as the command line wrote it
        if absolute.is_symlink() and not absolute.is_dir():
            resolved = real_path(absolute.parent) / absolute.name
        else:
            resolved = real_path(absolute)
        try:
            return resolved.relative_to(self.root).as_posix()
        except ValueError:
            raise DiffError(f"{path} is outside the git repository {self.root}") from None

    def files(self, specs: list[str], suffixes: tuple[str, ...]) -> list[str]:
        """Files under `specs` (from the root; "." is all) ending in `suffixes`, sorted.

        Names that are not UTF-8 are left out: they cannot be shown as they are.
        """
        named = {spec for spec in specs if spec not in ("", ".")}
        everything = len(named) < len(specs)
        prefixes = tuple(spec + "/" for spec in named)
        out = [
            rel
            for rel in self.tree
            if rel.endswith(suffixes)
            and (everything or rel in named or rel.startswith(prefixes))
            and (rel.isascii() or _is_utf8(rel))
        ]
        return sorted(out)

    def is_regular(self, rel: str) -> bool:
        """Whether `rel` is a regular file at the revision (not a link, not a submodule)."""
        blob = self.tree.get(rel)
        return blob is not None and blob.mode in _REGULAR

    @functools.cached_property
    def changed(self) -> set[str]:
        """Every path whose working-tree file differs from the revision, anywhere in the repo.

        git compares what its index knows (sizes, times) and hashes only files it is unsure of.
        """
        return {os.fsdecode(name) for name in self._changes.output().split(b"\0") if name}

    def grep(self, patterns: list[str], specs: list[str]) -> set[str]:
        """Tracked files under `specs` whose working-tree text holds one of `patterns`."""
        if not patterns:
            return set()
        args = [arg for pattern in patterns for arg in ("-e", pattern)]
        listing = self._git(
            "grep", "-l", "-z", "-F", "--full-name", "--no-color", *args, "--",
            *(spec or "." for spec in specs), ok=(0, 1), at_root=True,
        )  # fmt: skip
        return {os.fsdecode(name) for name in listing.split(b"\0") if name}

    def read_bytes(self, rel: str, limit: int | None = None) -> bytes | None:
        """The file's bytes at the revision; None when it has no file `rel` (or when the file
        is larger than `limit`). A link is followed inside the tree, as a checkout would read
        it: to nothing, out of the repository or round in a loop, it is no file (None)."""
        target = self.followed(rel)
        if target is None:
            return None
        return self._cat(self.tree[target].oid, target, limit)

    def followed(self, rel: str) -> str | None:
        """The regular file that `rel` is, or that its links lead to, at the revision; None
        when there is none inside the tree. Only the tree is read: a link's text (a stranger's)
        never reaches the file system."""
        for _ in range(_HOPS):
            blob = self.tree.get(rel)
            if blob is None or blob.mode in _REGULAR:
                return None if blob is None else rel
            if blob.mode != _LINK:
                return None  # a submodule
            raw = self._cat(blob.oid, rel, _LINK_BYTES)
            if raw is None or raw.startswith(b"/") or b"\0" in raw:
                return None
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(rel), os.fsdecode(raw)))
            if joined == ".." or joined.startswith("../"):
                return None  # out of the repository
            rel = joined
        return None

    def _cat(self, oid: str, rel: str, limit: int | None) -> bytes | None:
        """The bytes of blob `oid` (the file `rel`); None when larger than `limit`."""
        stdin, stdout = self._pipes()
        stdin.write(oid.encode("ascii") + b"\n")
        stdin.flush()
        header = stdout.readline().split()
        if len(header) != 3 or header[1] != b"blob":
            raise DiffError(f"git cat-file: cannot read {oid} ({rel!r})")
        size = int(header[2])
        if limit is not None and size > limit:
            left = size + 1  # skip it, and the newline after it
            while left > 0:
                chunk = stdout.read(min(left, 1 << 20))
                if not chunk:
                    raise DiffError(f"git cat-file: {rel!r} ended early")
                left -= len(chunk)
            return None
        data = stdout.read(size)
        stdout.read(1)  # the newline after each object
        return data

    def _pipes(self) -> tuple[IO[bytes], IO[bytes]]:
        if self._batch is None:
            self._batch = subprocess.Popen(
                ["git", "cat-file", "--batch"],
                cwd=self.cwd,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        assert self._batch.stdin is not None and self._batch.stdout is not None
        return self._batch.stdin, self._batch.stdout

    def close(self) -> None:
        """End the git processes still running."""
        for started in (self._listing, self._changes):
            started.stop()
        if self._batch is not None:
            batch, self._batch = self._batch, None
            if batch.stdin is not None:
                batch.stdin.close()
            try:
                batch.wait(timeout=_TIMEOUT)
            except subprocess.TimeoutExpired:
                batch.kill()
                batch.wait()
            if batch.stdout is not None:
                batch.stdout.close()


class _Started:
    """A git command running from now on; its output (a temporary file) is read when needed."""

    def __init__(self, args: tuple[str, ...], cwd: Path) -> None:
        self.args = args
        # Files, not pipes: git never waits for us to read, and nothing is left unread.
        self.out = tempfile.TemporaryFile()  # noqa: SIM115 (closed by stop)
        self.err = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            self.proc = subprocess.Popen(
                ["git", "--literal-pathspecs", *args],
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=self.out,
                stderr=self.err,
            )
        except FileNotFoundError:
            self.stop()
            raise DiffError("git is not installed (needed for --rev)") from None

    def output(self, ok: tuple[int, ...] = (0,)) -> bytes:
        """What it printed; an error naming the command when it failed."""
        try:
            code = self.proc.wait(timeout=_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.stop()
            raise DiffError(f"git {self.args[0]}: no answer in {_TIMEOUT} s") from None
        self.out.seek(0)
        self.err.seek(0)
        out, err = self.out.read(), self.err.read()
        self.stop()
        if code not in ok:
            message = err.decode("utf-8", "replace").strip().splitlines()
            raise DiffError(f"git {self.args[0]}: {message[-1] if message else 'failed'}")
        return out

    def stop(self) -> None:
        if getattr(self, "proc", None) is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.out.close()
        self.err.close()


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # os.fsdecode kept the bytes that are not UTF-8 as surrogates
        return False
    return True
