"""Helpers for the authoring tests: run journeymap and git as a person would, in a subprocess."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
JOURNEYMAP = f"{shlex.quote(sys.executable)} -m journeymap"

Run = Callable[..., subprocess.CompletedProcess[str]]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        NO_COLOR="1",
        GIT_AUTHOR_NAME="Alex Author",
        GIT_AUTHOR_EMAIL="alex@example.com",
        GIT_COMMITTER_NAME="Alex Author",
        GIT_COMMITTER_EMAIL="alex@example.com",
        GIT_CONFIG_NOSYSTEM="1",
        GIT_PAGER="cat",
    )
    env.pop("GITHUB_ACTIONS", None)
    return env


@pytest.fixture
def jm(tmp_path: Path) -> Run:
    """`jm("validate", "x.yaml")` runs `journeymap validate x.yaml` in tmp_path."""

    def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "journeymap", *map(str, args)],
            cwd=cwd or tmp_path,
            capture_output=True,
            text=True,
            env=_env(),
            timeout=120,
        )

    return run


@pytest.fixture
def git(tmp_path: Path) -> Run:
    """`git("commit", "-m", "x")` in a fresh repository at tmp_path (HOME isolated too)."""
    home = tmp_path.parent / f"{tmp_path.name}-home"
    home.mkdir(exist_ok=True)

    def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        env = _env()
        env["HOME"] = str(home)
        return subprocess.run(
            ["git", *map(str, args)],
            cwd=cwd or tmp_path,
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )

    init = run("init", "-q", "-b", "main")
    assert init.returncode == 0, init.stderr
    return run
