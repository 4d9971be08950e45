"""Reading files within a bound, and writing them so that a reader sees the old file or the
new one, never half of one."""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import secrets
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO


class NotRegularFile(OSError):
    """A path that is a FIFO, a device, a socket or a directory: journeymap reads none."""


def read_bounded(path: Path | str, limit: int) -> bytes:
    """The bytes of a regular file, at most `limit` + 1 of them (so that "too big" shows).

    Every file journeymap reads goes through here (maps, libraries, the cache's hashes of
    libraries, rendered outputs compared by `--check`, code frames): a name that a pull
    request made a link to `/dev/zero` or a FIFO is refused without reading or blocking.
    Raises OSError (`NotRegularFile` for what is not a regular file).
    """
    # O_NONBLOCK: opening a FIFO for reading would wait for a writer forever.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = "a directory" if stat.S_ISDIR(mode) else "not a regular file"
            raise NotRegularFile(errno.EINVAL, kind, str(path))
        # Sized by the file rather than the limit: a buffered read(limit) would set up 4 MiB
        # for every 6 KB map.
        most = limit + 1
        chunks = [os.read(fd, min(os.fstat(fd).st_size + 1, most))]
        total = len(chunks[0])
        while chunks[-1] and total < most:  # a file that grew meanwhile: on to the bound
            chunks.append(os.read(fd, most - total))
            total += len(chunks[-1])
    finally:
        os.close(fd)
    return b"".join(chunks)


def outside(paths: Iterable[Path], root: Path) -> Path | None:
    """The first of `paths` that, links followed, is not in the folder `root` (None: none)."""
    return next((path for path in paths if not within(path, root)), None)


def within(path: Path, root: Path) -> bool:
    """`path`, with every link followed, is in the folder `root` (or is it)."""
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError):
        return False
    return True


def is_stream(path: Path) -> bool:
    """Whether `path` is a device or a pipe the user named (`-o /dev/null`, `-o /dev/stdout`,
    `-o >(gzip > x)`): written in place, since renaming a file over it would replace the
    device with a file. The path itself must be the device or the pipe, or a link named
    under /dev or /proc (`/dev/stdout`, `/dev/fd/63`), whatever it leads to (stdout redirected
    to a file: `/dev/stdout` must stay the link). A link elsewhere, which a pull request can
    commit (`maps/tv.html -> /dev/stdout`), is a file to replace, never written through."""
    try:
        mode = os.lstat(path).st_mode
        named = os.path.normpath(Path.cwd() / path)
    except (OSError, ValueError):
        return False
    if stat.S_ISLNK(mode):
        return named.startswith(("/dev/", "/proc/"))
    return _streams(mode)


class LeadsOutside(OSError):
    """A relative output path inside the project that a symbolic link leads outside it."""


def leads_out_of_the_project(folder: Path, what: str = "output directory") -> str | None:
    """Why journeymap may not write into `folder`, or None.

    A pull request can commit `journeys -> /somewhere` (a symbolic link, or a folder path
    through one): `render --output-dir journeys` or `lint --output journeys/x.sarif` would then
    write outside the checkout. A relative path that names a place inside the project must
    resolve inside it; an absolute path, or a relative one that already names a place outside
    (`../site`), is the user's own choice and stays allowed.
    """
    if folder.is_absolute():
        return None
    from journeymap.project import project_root

    here = Path.cwd().resolve()
    root = project_root(here)
    named = Path(os.path.normpath(here / folder))
    if not named.is_relative_to(root):
        return None
    try:
        real = (here / folder).resolve()  # not `named`: `link/..` is where the link leads, up
    except (OSError, RuntimeError) as err:  # a link loop
        return f"{what} {folder} cannot be resolved: {err}"
    if real.is_relative_to(root):
        return None
    return (
        f"{what} {folder} is inside the project ({root}) but leads to {real}, "
        "outside it, through a symbolic link; journeymap does not write there (give that "
        "folder as an absolute path if it is really meant)"
    )


def overwrite_refusal(planned: Sequence[Path]) -> str | None:
    """Why a command that would write the files `planned` does not, unless --force: the ones
    that exist, all named (`init`, `import` and `export` say it in these words), or None.

    A link counts, even one that leads nowhere (it would be replaced); a device or a pipe the
    user named (`-o /dev/stdout`) does not, since it is written in place, not overwritten."""
    taken = [path for path in planned if os.path.lexists(path) and not is_stream(path)]
    if not taken:
        return None
    names = ", ".join(str(path) for path in taken)
    verb, them = ("exists", "it") if len(taken) == 1 else ("exist", "them")
    untouched = " (nothing was written)" if len(planned) > 1 else ""
    return f"{names} already {verb}; use --force to overwrite {them}{untouched}"


def make_folder(path: Path) -> None:
    """Create the folder a file is written into (and those above it), once it is known not to
    lead out of the project (`LeadsOutside`)."""
    _stay_inside(path)
    path.parent.mkdir(parents=True, exist_ok=True)


def cache_folder(folder: Path, ignore: Path, mode: int = 0o777) -> None:
    """Make a cache's folder, and a `.gitignore` of `*` at `ignore` unless something (even a
    link) is there: a cache folder given inside the checkout must not follow a committed link
    out of it (OSError), nor write a file through one."""
    _refuse_outside(folder, "the cache folder", folder)
    folder.mkdir(mode=mode, parents=True, exist_ok=True)
    if not os.path.lexists(ignore):
        write_atomic(ignore, b"# Created by journeymap; safe to delete.\n*\n")


def _stay_inside(path: Path) -> None:
    _refuse_outside(path.parent, "the folder", path)


def _refuse_outside(folder: Path, what: str, named: Path) -> None:
    """LeadsOutside (naming `named`) when `folder` may not be written into. Asked once per
    folder and working directory in a run: render writes every map's files into one folder."""
    why = _verdict(str(Path.cwd()), str(folder), what)
    if why is not None:
        raise LeadsOutside(errno.EPERM, why, str(named))


@functools.lru_cache(maxsize=256)
def _verdict(cwd: str, folder: str, what: str) -> str | None:
    return leads_out_of_the_project(Path(folder), what)


def _streams(mode: int) -> bool:
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


def _write_stream(path: Path, chunks: Iterable[bytes]) -> bool:
    with path.open("wb") as handle:
        for chunk in chunks:
            handle.write(chunk)
    return True


def write_atomic(path: Path, data: bytes) -> bool:
    """Write `data` to `path` via a temporary file in the same directory and a rename (a device
    or a pipe is written in place).

    Returns False, writing nothing, when the file already holds exactly these bytes (so an
    unchanged render keeps its modification time).
    """
    if is_stream(path):
        return _write_stream(path, [data])
    _stay_inside(path)
    try:
        found = os.lstat(path)  # a link is replaced, whatever it leads to
    except (OSError, ValueError):
        found = None
    try:
        if (
            found is not None
            and stat.S_ISREG(found.st_mode)
            and found.st_size == len(data)
            and read_bounded(path, len(data)) == data
        ):
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
    fd, tmp = _temporary(path)
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


def write_stream_atomic(
    path: Path,
    chunks: Iterable[bytes],
    *,
    discard: Callable[[], bool] | None = None,
    written: Callable[[os.stat_result], None] | None = None,
) -> bool:
    """Write `chunks` to `path` as they come (memory stays flat), atomically: into a temporary
    file in the same directory, then a rename. `discard`, asked once every chunk is written,
    may drop the temporary instead (nothing changed). `written` is told the state of the
    file as written (size, time, inode), taken before the rename: after it, another process
    may already have replaced it. Returns whether `path` was written.
    A device or a pipe is written in place.
    """
    if is_stream(path):
        return _write_stream(path, chunks)
    _stay_inside(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
        if discard is not None and discard():
            os.unlink(tmp)
            return False
        state = Path(tmp).stat()
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _rename(tmp, path)
    if written is not None:
        written(state)
    return True


@contextlib.contextmanager
def open_atomic(path: Path) -> Iterator[IO[str]]:
    """A text file (UTF-8) to write as a run goes, that appears at `path` only when complete:
    a temporary file in the same directory, renamed when the block ends without an error. A
    file that ends up with the bytes already at `path` leaves it untouched (its time too). A
    device or a pipe is written in place."""
    if is_stream(path):
        with path.open("w", encoding="utf-8", newline="") as handle:
            yield handle
        return
    _stay_inside(path)
    fd, tmp = _temporary(path)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
        if _same_bytes(Path(tmp), path):
            os.unlink(tmp)
            return
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _rename(tmp, path)


def _same_bytes(one: Path, other: Path) -> bool:
    try:
        found = os.lstat(other)  # a link is replaced, whatever it leads to
        if not stat.S_ISREG(found.st_mode) or one.stat().st_size != found.st_size:
            return False
        with one.open("rb") as a, other.open("rb") as b:
            while chunk := a.read(1 << 16):
                if chunk != b.read(len(chunk)):
                    return False
        return True
    except OSError:
        return False


def _unnamed(directory: Path) -> int | None:
    """An unnamed file in `directory` (Linux's O_TMPFILE), or None where that is not there."""
    flag = getattr(os, "O_TMPFILE", 0)
    if not flag or not Path("/proc/self/fd").is_dir():
        return None
    try:
        return os.open(directory, flag | os.O_WRONLY, _NEW_FILE)
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


# The mode a new file is created with, as `open()` does: the kernel takes the umask (and a
# folder's default ACL) off it, so a written report or page has the mode any other file the
# user makes there has (mkstemp's 0600 would hide it from the group; a fixed 0644 would
# ignore a umask of 077 or 002). The cache's files stay 0600: write_stream_atomic.
_NEW_FILE = 0o666


def _temporary(path: Path) -> tuple[int, str]:
    """A new temporary file beside `path`, created as `open()` would create it (see above)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    while True:
        tmp = _temporary_name(path)
        try:
            return os.open(tmp, flags, _NEW_FILE), tmp
        except FileExistsError:  # the same random name: unlikely, and tried again
            continue


def _temporary_name(path: Path) -> str:
    return str(path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    os.fsync(fd)


def _rename(tmp: str, path: Path) -> None:
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
