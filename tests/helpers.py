"""Running the CLI in-process, as a user would from a shell, for fast tests."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from journeymap.cli.dispatch import main

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"


@dataclass
class Result:
    code: int
    out: str
    err: str


def run(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> Result:
    """Run `journeymap ARGS` in this process and capture exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    old_argv, old_cwd = sys.argv, Path.cwd()
    old_env = dict(os.environ)
    sys.argv = ["journeymap", *map(str, args)]
    code = 0
    try:
        if cwd is not None:
            os.chdir(cwd)
        os.environ.pop("GITHUB_ACTIONS", None)
        os.environ.pop("GITHUB_STEP_SUMMARY", None)
        if env:
            os.environ.update(env)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main()
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else 1
    finally:
        sys.argv = old_argv
        os.chdir(old_cwd)
        os.environ.clear()
        os.environ.update(old_env)
    return Result(code, out.getvalue(), err.getvalue())


def run_process(
    *args: str | Path,
    cwd: Path | None = None,
    timeout: float = 60,
    env: dict[str, str] | None = None,
) -> Result:
    """Run `python -m journeymap ARGS` in a child process (for what in-process can't show)."""
    proc = subprocess.run(
        [sys.executable, "-m", "journeymap", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "NO_COLOR": "1", **(env or {})},
        check=False,
    )
    return Result(proc.returncode, proc.stdout, proc.stderr)


def shown_at_exit(
    argv: list[str],
    expression: str,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> tuple[int, str, str]:
    """Run the executable's `main` with ARGV in a child and evaluate `expression` there as it
    exits (its `os._exit`, or a normal exit): the exit code, the expression's text, and the
    whole of stderr (what the command itself wrote is before the expression's text)."""
    code = (
        "import atexit, os, sys\n"
        "def shown():\n"
        f"    sys.stderr.write('\\nSHOWN ' + str({expression}))\n"
        "    sys.stderr.flush()\n"
        "def shown_then_exit(code, exit=os._exit):\n"
        "    shown()\n"
        "    exit(code)\n"
        "os._exit = shown_then_exit\n"
        "atexit.register(shown)\n"
        f"sys.argv = {['journeymap', *argv]!r}\n"
        "from journeymap.entry import main\n"
        "main()\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        cwd=cwd,
        env=env,
    )
    return proc.returncode, proc.stderr.rpartition("\nSHOWN ")[2], proc.stderr


def run_on_terminal(argv: list[str], env: dict[str, str] | None = None) -> str:
    """What `argv` (a command) writes to its stderr when that is a terminal (a pseudo-terminal);
    its stdout goes nowhere. The command must exit 0."""
    import pty

    master, slave = pty.openpty()
    proc = subprocess.Popen(
        argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave, env=env
    )
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    assert proc.wait(timeout=60) == 0
    return seen.decode()
