"""Writing outputs: atomically for files, in place for devices and pipes (`-o /dev/null`)."""

from __future__ import annotations

import contextlib
import os
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import run
from journeymap.files import is_stream, open_atomic, write_atomic, write_stream_atomic


def _drain(fifo: Path, into: list[bytes]) -> threading.Thread:
    def read() -> None:
        with fifo.open("rb") as handle:
            into.append(handle.read())

    thread = threading.Thread(target=read)
    thread.start()
    return thread


@pytest.mark.parametrize("how", ["write_atomic", "write_stream_atomic", "open_atomic"])
def test_a_pipe_is_written_in_place_not_replaced(tmp_path: Path, how: str) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = _drain(fifo, got)
    if how == "write_atomic":
        assert write_atomic(fifo, b"hello\n")
    elif how == "write_stream_atomic":
        assert write_stream_atomic(fifo, [b"hel", b"lo\n"])
    else:
        with open_atomic(fifo) as handle:
            handle.write("hello\n")
    reader.join(10)
    assert got == [b"hello\n"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert list(tmp_path.iterdir()) == [fifo]  # no temporary left


def test_the_command_line_writes_to_a_pipe(tmp_path: Path) -> None:
    fifo = tmp_path / "schema.json"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = _drain(fifo, got)
    result = run("schema", "-o", str(fifo))
    reader.join(10)
    assert result.code == 0, result.err
    assert got and got[0].startswith(b"{")
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_what_counts_as_a_stream(tmp_path: Path) -> None:
    assert is_stream(Path("/dev/null"))
    assert not is_stream(tmp_path)
    assert not is_stream(tmp_path / "missing")
    (tmp_path / "file").write_text("x")
    assert not is_stream(tmp_path / "file")
    # A link is a stream only when named under /dev or /proc (`/dev/stdout`, `/dev/fd/63`):
    # one elsewhere may have been committed by a pull request, and is replaced instead.
    read, write = os.pipe()
    try:
        assert is_stream(Path(f"/dev/fd/{write}")) and is_stream(Path(f"/proc/self/fd/{read}"))
    finally:
        os.close(read)
        os.close(write)
    (tmp_path / "link").symlink_to("/dev/null")
    assert not is_stream(tmp_path / "link")
    assert write_atomic(tmp_path / "link", b"page")
    assert (tmp_path / "link").read_bytes() == b"page" and not (tmp_path / "link").is_symlink()


@contextlib.contextmanager
def _umask(mask: int) -> Iterator[None]:
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("mask", [0o022, 0o077, 0o002], ids=lambda m: f"umask-{m:03o}")
def test_written_files_have_the_mode_open_gives_them(tmp_path: Path, mask: int) -> None:
    """A lint report, a rendered page and metrics-like output: 0666 less the umask, as the
    user's other files (lint --output once made 0600 files, render 0644 whatever the umask)."""
    example = Path(__file__).parent.parent / "examples" / "tv-purchase.journey.yaml"
    with _umask(mask):
        linted = run("lint", example, "--output", tmp_path / "report.json", "-f", "json")
        rendered = run("render", example, "-o", tmp_path / "out", "-f", "html")
        schema = run("schema", "-o", tmp_path / "schema.json")
    assert (linted.code, rendered.code, schema.code) == (0, 0, 0), linted.err + rendered.err
    written = [tmp_path / "report.json", tmp_path / "out" / "tv-purchase.html"]
    written.append(tmp_path / "schema.json")
    assert {path.name: _mode(path) for path in written} == {
        path.name: 0o666 & ~mask for path in written
    }


@pytest.mark.parametrize("mask", [0o022, 0o077], ids=lambda m: f"umask-{m:03o}")
def test_without_unnamed_files_the_mode_is_the_same(
    tmp_path: Path, mask: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    import journeymap.files

    monkeypatch.setattr(journeymap.files, "_unnamed", lambda directory: None)
    target = tmp_path / "page.html"
    with _umask(mask):
        assert write_atomic(target, b"<p>hello</p>\n")
        with open_atomic(tmp_path / "report.txt") as handle:
            handle.write("report\n")
    assert (_mode(target), _mode(tmp_path / "report.txt")) == (0o666 & ~mask,) * 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html", "report.txt"]


def test_stdout_redirected_to_a_file_is_written_through_its_link(tmp_path: Path) -> None:
    """`--output /dev/stdout > out.json`: /dev/stdout leads to a regular file then, and must be
    written in place, not replaced by a renamed file (as root, that replaced /dev/stdout
    itself). Asked of /proc/self/fd/1, the same kind of link, which cannot be replaced."""
    import subprocess
    import sys

    example = Path(__file__).parent.parent / "examples" / "tv-purchase.journey.yaml"
    args = ["lint", str(example), "--isolated", "--format", "json", "--output", "/proc/self/fd/1"]
    with (tmp_path / "out.json").open("wb") as out:
        done = subprocess.run(
            [sys.executable, "-m", "journeymap", *args],
            stdout=out,
            stderr=subprocess.PIPE,
            timeout=60,
        )
    assert done.returncode == 0, done.stderr
    assert '"findings"' in (tmp_path / "out.json").read_text("utf-8")
