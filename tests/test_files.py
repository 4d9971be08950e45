"""Writing outputs: atomically for files, in place for devices and pipes (`-o /dev/null`)."""

from __future__ import annotations

import os
import stat
import threading
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
