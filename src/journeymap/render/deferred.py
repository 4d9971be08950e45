"""Parts of a page computed later or elsewhere: `Deferred` markup computed when a template
first prints it, and `forked` text computed by a forked child meanwhile."""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup


class Deferred:
    """Markup computed when a template first prints it (Jinja asks for `__html__`)."""

    def __init__(self, compute: Callable[[], Markup]) -> None:
        self._compute = compute

    def __html__(self) -> Markup:
        return self._compute()


def forked(compute: Callable[[], str]) -> Deferred:
    """`compute()` run in a forked child, its text read back when first printed; computed
    here instead when the child fails (or `fork` is missing)."""
    import os

    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return Deferred(lambda: Markup(compute()))
    if pid == 0:  # the child: compute, send, leave without running any cleanup of the parent
        code = 1
        try:
            # Only the pipe: a copy of the parent's pipe to a running `dot` would keep that
            # `dot` waiting for the end of its input until this child exits.
            os.closerange(3, write_end)
            os.closerange(write_end + 1, 1 << 16)
            data = compute().encode("utf-8")
            view = memoryview(data)
            while view:
                view = view[os.write(write_end, view) :]
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)

    def collect() -> Markup:
        chunks = []
        with os.fdopen(read_end, "rb") as pipe:
            while chunk := pipe.read(1 << 20):
                chunks.append(chunk)
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            return Markup(compute())
        return Markup(b"".join(chunks).decode("utf-8"))

    return Deferred(collect)
