"""An ordered map over forked worker processes, holding a bounded window of results.

`ordered_map(func, items, jobs)` yields `func(item)` for every item, in the items' order. The
workers are forked, so they inherit `func` (and whatever it refers to: the imported modules,
the configuration, a cache index) instead of receiving it pickled; only the items and the
results cross between processes. Items go out in chunks (`chunks`), and at most `window`
chunks are out or waiting to be yielded at once: a slow consumer, or one slow chunk, never
makes the parent hold the whole run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

A = TypeVar("A")
R = TypeVar("R")

# Items per chunk sent to a worker: enough to make sending it cheap, and smaller towards the
# end of a run so that the workers finish together (see chunks).
CHUNK = 32
MIN_CHUNK = 4
# Chunks out at once per worker: one being worked on, one queued behind it, and room for
# results waiting behind a slower chunk.
WINDOW_PER_WORKER = 4


class WorkerLost(RuntimeError):
    """A worker process ended without answering (killed, or out of memory)."""


def can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def chunks(items: Sequence[A], jobs: int) -> Iterator[Sequence[A]]:
    """Guided scheduling: each chunk takes a share of what is left, at most CHUNK items.

    With equal chunks one worker could still be working on the last full chunk while the
    others idle; shrinking chunks leave at most a few items' work for the tail.
    """
    start = 0
    while start < len(items):
        size = max(MIN_CHUNK, min(CHUNK, (len(items) - start) // (2 * jobs)))
        yield items[start : start + size]
        start += size


def ordered_map(func: Callable[[A], R], items: Sequence[A], jobs: int) -> Iterator[R]:
    """`func` over `items` in `jobs` forked processes (one process: in this one), in order.

    An exception raised by `func` in a worker is raised here, in the item's turn.
    """
    if jobs <= 1 or len(items) < 2 or not can_fork():
        return map(func, items)
    return _Pool(func, jobs).map(items)


class _Pool:
    def __init__(self, func: Callable[[Any], Any], jobs: int) -> None:
        self.func = func
        self.jobs = jobs

    def map(self, items: Sequence[Any]) -> Iterator[Any]:
        import multiprocessing
        from multiprocessing.connection import wait

        context = multiprocessing.get_context("fork")
        workers: list[tuple[BaseProcess, Connection]] = []
        try:
            for _ in range(self.jobs):
                mine, theirs = context.Pipe()
                process = context.Process(target=_serve, args=(self.func, theirs), daemon=True)
                _start_deaf(process)
                theirs.close()
                workers.append((process, mine))
            pending = chunks(items, self.jobs)
            idle = [conn for _, conn in workers]
            busy: dict[Connection, int] = {}
            done: dict[int, tuple[list[Any], BaseException | None]] = {}
            sent = turn = 0
            window = WINDOW_PER_WORKER * self.jobs
            sentinels = {process.sentinel: process for process, _ in workers}
            while True:
                while idle and sent - turn < window:
                    chunk = next(pending, None)
                    if chunk is None:
                        break
                    conn = idle.pop()
                    conn.send(chunk)
                    busy[conn] = sent
                    sent += 1
                if turn in done:
                    yield from _unpacked(done.pop(turn))
                    turn += 1
                    continue
                if not busy:
                    return
                for ready in wait([*busy, *sentinels]):
                    if ready in sentinels:
                        if any(conn.poll() for conn in busy):
                            continue  # answered before it ended: read the answer first
                        raise WorkerLost("a worker process ended unexpectedly")
                    conn = ready  # type: ignore[assignment]
                    try:
                        done[busy.pop(conn)] = conn.recv()
                    except (EOFError, OSError):  # its end of the pipe closed: it ended
                        raise WorkerLost("a worker process ended unexpectedly") from None
                    idle.append(conn)
        finally:
            for worker, conn in workers:
                conn.close()  # an idle worker reads the end and exits
                if worker.is_alive():
                    worker.terminate()  # a busy one is not waited for
            for worker, _ in workers:
                worker.join()


def _start_deaf(process: BaseProcess) -> None:
    """Start a worker with Ctrl-C and `kill` blocked until it has set its own handlers
    (`_serve`'s first lines): it inherits the parent's, so a SIGINT that reaches the process
    group while the child starts, or the SIGTERM the parent ends it with after a Ctrl-C, would
    otherwise raise in it and print a traceback. The parent's own signals wait, blocked, and
    arrive right after."""
    import signal

    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        process.start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _unpacked(answer: tuple[list[Any], BaseException | None]) -> Iterator[Any]:
    results, error = answer
    yield from results
    if error is not None:
        raise error


def _serve(func: Callable[[Any], Any], conn: Connection) -> None:
    """A worker's loop: a chunk in, its results (up to an exception, and that) out, until the
    pipe ends."""
    import gc
    import signal

    # A worker builds thousands of short-lived objects per item (YAML nodes, dicts, models)
    # that hold no reference cycles, so reference counting frees them and the collector's
    # frequent young-generation passes only rescan: collect less often than the default 700.
    # Not much less: the few cyclic objects each map leaves wait for a pass, and at 100,000
    # they grew a worker by about 1 KB per map (40 MB more at 50,000 maps than at 10,000).
    gc.set_threshold(10_000, 50, 50)
    # Ctrl-C reaches the whole process group; the parent alone reports it and exits 130.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent ends a busy worker so
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})  # _start_deaf
    while True:
        try:
            chunk = conn.recv()
        except (EOFError, OSError):
            return
        results: list[Any] = []
        error: BaseException | None = None
        try:
            for item in chunk:
                results.append(func(item))
        except Exception as err:  # raised again in the parent, in its item's turn
            error = err
        try:
            conn.send((results, error))
        except Exception as err:  # a result or an exception that cannot be pickled
            conn.send(([], RuntimeError(f"{type(err).__name__}: {err}")))
