"""Faults: interrupts, kills, internal errors, unwritable output, escaping symlinks, races.

What a user sees: the exit code, one clear line, and afterwards only whole files.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import EXAMPLES, run

FRESH = {"JOURNEYMAP_NO_CACHE": "1"}
TODAY = "2026-11-23"


def _project(root: Path, copies: int = 0) -> Path:
    """The examples as a project, plus `copies` more maps (distinct ids) to make work."""
    shutil.copytree(EXAMPLES, root)
    (root / ".git").mkdir()
    source = (EXAMPLES / "tv-purchase.journey.yaml").read_text("utf-8")
    for n in range(copies):
        (root / f"copy-{n:03}.journey.yaml").write_text(source, "utf-8")
    return root


def _big_map(path: Path, steps: int) -> Path:
    lines = ["journeymap: 1", "title: Big", "channels: [{id: web, name: Web, kind: digital}]"]
    lines.append("stages:")
    for s in range(steps // 100):
        lines += [f"  - id: st{s}", f"    name: Stage {s}", "    steps:"]
        for i in range(100):
            lines += [f"      - id: s{s}-{i}", f"        name: Step {i}", "        channel: web"]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def _as_from_a_terminal() -> None:
    """Ctrl-C as in a terminal: a shell running the suite in the background (CI, `&`, nohup)
    starts it with SIGINT ignored, and a child would inherit that."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _child(
    *args: str | Path, cwd: Path, gate: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "journeymap", *map(str, args)],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **FRESH, "NO_COLOR": "1", **(gate or {})},
        preexec_fn=_as_from_a_terminal,
    )


def _gate(folder: Path, suffix: str, skip: int = 0, workers: bool = False) -> dict[str, str]:
    """Stop the child at a chosen point of its work (tests/sitehooks/faultgate.py): the first
    open of a path ending with `suffix` after `skip` such opens, in a worker if `workers`."""
    folder.mkdir(parents=True, exist_ok=True)
    return {
        "JOURNEYMAP_TEST_GATE": str(folder),
        "JOURNEYMAP_TEST_GATE_SUFFIX": suffix,
        "JOURNEYMAP_TEST_GATE_SKIP": str(skip),
        "JOURNEYMAP_TEST_GATE_IN": "worker" if workers else "",
    }


def _wait_until_gated(child: subprocess.Popen[str], folder: Path) -> None:
    """Wait for the child to reach the gate: no guess at how long its work takes."""
    ready = folder / "ready"
    while not ready.exists():
        if child.poll() is not None:
            out, err = child.communicate()
            raise AssertionError(f"the child ended before reaching the gate:\n{out}{err}")
        time.sleep(0.01)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("what", "signum"),
    [
        ("one big map", signal.SIGINT),
        ("many maps, worker processes", signal.SIGINT),
        ("one big map", signal.SIGTERM),
    ],
)
def test_interrupt_exits_130_without_traceback(
    tmp_path: Path, what: str, signum: signal.Signals
) -> None:
    gate = tmp_path / "gate"
    if what == "one big map":
        root = tmp_path / "p"
        root.mkdir()
        (root / ".git").mkdir()
        big = _big_map(root / "big.yaml", 4_000)
        child = _child("lint", "--today", TODAY, big, cwd=root, gate=_gate(gate, "/big.yaml"))
    else:
        root = _project(tmp_path / "p", copies=40)
        workers = _gate(gate, ".journey.yaml", workers=True)
        child = _child("lint", "--today", TODAY, "-j", "2", ".", cwd=root, gate=workers)
    # The child is in the middle of its work: reading a map (in a worker for the second case).
    _wait_until_gated(child, gate)
    child.send_signal(signum)
    (gate / "release").touch()  # gated workers go on, as they would after a real Ctrl-C
    out, err = child.communicate(timeout=120)
    assert child.returncode == 130, err
    assert err.strip().splitlines()[-1] == "journeymap: interrupted"
    assert "Traceback" not in err + out


def test_internal_error_is_one_line_and_debug_shows_the_traceback(tmp_path: Path) -> None:
    source = _project(tmp_path / "p") / "tv-purchase.journey.yaml"
    boom = (
        "import sys, journeymap.inspection as w\n"
        "def boom(*args, **kwargs): raise RuntimeError('boom')\n"
        "w.Inspector.inspect = boom\n"
        "from journeymap.cli.app import main\n"
        "main()\n"
    )
    for debug in (False, True):
        args = ["--debug"] if debug else []
        proc = subprocess.run(
            [sys.executable, "-c", boom, *args, "validate", str(source)],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, **FRESH},
            check=False,
        )
        assert proc.returncode == 2
        if debug:
            assert "Traceback (most recent call last)" in proc.stderr
            assert "RuntimeError: boom" in proc.stderr
        else:  # the file's own finding, one line; the run goes on and exits 2
            first = proc.stdout.splitlines()[0]
            assert first.endswith(
                "error internal internal error while checking this file: RuntimeError: boom. "
                "This is a bug in journeymap: run again with --debug for the traceback and "
                "report it"
            )
            assert "Traceback" not in proc.stderr + proc.stdout


def test_usage_errors_are_not_internal_errors() -> None:
    for args in (["validate", "--no-such-option", "x"], ["no-such-command"]):
        result = run(*args)
        assert result.code == 2
        assert "internal error" not in result.err and "Error:" in result.err


SECRET = "journeymap: 1\ntitle: [SECRET-TOKEN-1234\n"


@pytest.mark.parametrize(
    "uses",
    ["outside-link.yaml", "outside-dir/lib.yaml", "../outside/lib.yaml", "/etc/passwd"],
)
def test_uses_cannot_reach_outside_the_project(tmp_path: Path, uses: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "lib.yaml").write_text("journeymap: 1\nkind: library\npersonas: []\n", "utf-8")
    root = tmp_path / "project"
    root.mkdir()
    (root / ".git").mkdir()
    (root / "outside-link.yaml").symlink_to(outside / "lib.yaml")
    (root / "outside-dir").symlink_to(outside, target_is_directory=True)
    (root / "m.journey.yaml").write_text(f"journeymap: 1\ntitle: T\nuses: [{uses}]\n", "utf-8")
    result = run("validate", "m.journey.yaml", cwd=root, env=FRESH)
    assert result.code == 1
    assert "outside the project root" in result.out


def test_uses_may_follow_a_link_that_stays_inside(tmp_path: Path) -> None:
    root = tmp_path / "project"
    (root / "shared").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "shared" / "lib.yaml").write_text("journeymap: 1\nkind: library\n", "utf-8")
    (root / "lib-link.yaml").symlink_to(root / "shared" / "lib.yaml")
    (root / "m.journey.yaml").write_text("journeymap: 1\ntitle: T\nuses: [lib-link.yaml]\n")
    assert run("validate", "m.journey.yaml", cwd=root, env=FRESH).code == 0


def test_a_linked_map_outside_the_project_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text(SECRET, "utf-8")
    root = _project(tmp_path / "project")
    (root / "evil.journey.yaml").symlink_to(secret)
    result = run("validate", ".", cwd=root, env=FRESH)
    assert "SECRET" not in result.out + result.err
    assert result.code == 0, result.out


# --- render -----------------------------------------------------------------------------------


def test_output_dir_that_is_a_file_or_cannot_be_created_exits_2(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    (root / "afile").write_text("x")
    for out, reason in (
        ("afile", "not a directory"),
        ("afile/sub", "Not a directory"),
        ("/proc/journeymap-out", "cannot create"),
    ):
        result = run("render", "tv-purchase.journey.yaml", "-o", out, "-f", "html", cwd=root)
        assert result.code == 2, result.err
        assert result.err.startswith("journeymap: error:") and reason in result.err, result.err
        assert "Traceback" not in result.err


def test_one_broken_map_does_not_stop_the_others(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    (root / "broken.journey.yaml").write_text("journeymap: 1\ntitle: [broken\n")
    result = run("render", ".", "-o", "out", "-f", "html", "--today", TODAY, cwd=root, env=FRESH)
    assert result.code == 1
    assert "broken.journey.yaml" in result.err
    rendered = sorted(p.name for p in (root / "out").glob("*.html"))
    assert "tv-purchase.html" in rendered and "trip-booking.html" in rendered
    assert len(rendered) >= 5


def _reference(root: Path, out: Path) -> dict[str, bytes]:
    result = run("render", ".", "-o", out, "-f", "html", "--today", TODAY, cwd=root, env=FRESH)
    assert result.code == 0, result.err
    return {p.name: p.read_bytes() for p in out.iterdir()}


@pytest.mark.slow
def test_kill_9_mid_render_leaves_only_whole_files(tmp_path: Path) -> None:
    root = _project(tmp_path / "p", copies=12)
    expected = _reference(root, tmp_path / "reference")
    for attempt in range(3):  # kill at a few different moments: before the 1st, 4th, 7th file
        out = root / f"out-{attempt}"
        out.mkdir()
        gate = tmp_path / f"gate-{attempt}"
        # Each output file is written through an unnamed file opened in `out` (O_TMPFILE).
        at = _gate(gate, f"/{out.name}", skip=3 * attempt)
        child = _child("render", ".", "-o", out, "-f", "html", "--today", TODAY, cwd=root, gate=at)
        _wait_until_gated(child, gate)
        child.kill()
        child.communicate(timeout=60)
        assert child.returncode == -signal.SIGKILL
        leftovers = [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
        assert leftovers == []
        assert len(list(out.iterdir())) == 3 * attempt  # the files written before the kill
        for path in out.iterdir():
            assert path.read_bytes() == expected[path.name], f"{path.name} is not whole"


@pytest.mark.slow
def test_concurrent_renders_into_one_directory_leave_whole_files(tmp_path: Path) -> None:
    root = _project(tmp_path / "p", copies=20)
    expected = _reference(root, tmp_path / "reference")
    out = root / "out"
    children = [
        _child("render", ".", "-o", out, "-f", "html", "--today", TODAY, cwd=root) for _ in range(4)
    ]
    for child in children:
        _, err = child.communicate(timeout=300)
        assert child.returncode == 0, err
    assert {p.name: p.read_bytes() for p in out.iterdir()} == expected
