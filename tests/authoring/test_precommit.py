"""The pre-commit hooks in .pre-commit-hooks.yaml, run by the real pre-commit in a temp repo.

pre-commit installs journeymap from this repository into its own virtualenv (`language:
python`), so these tests take a while and need PyPI for journeymap's dependencies. They use the
committed HEAD (`--ref HEAD`, `rev:` HEAD): without a ref, try-repo would also pick up every
uncommitted change to tracked files, which in a shared working tree may be half done.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import REPO, Run

pytestmark = pytest.mark.slow

PRE_COMMIT = [sys.executable, "-m", "pre_commit"]
GOOD = """\
journeymap: 1
title: Renewing a passport
personas:
  - id: traveller
    name: Traveller
    goals: [Travel next month]
    needs: [Know what to bring]
channels:
  - id: web
    name: Website
    kind: digital
stages:
  - id: apply
    name: Apply
    kpis: [{name: Applications completed online, target: 0.8}]
    feedback: [{method: survey}]
    steps:
      - id: fills-form
        name: Fills in the form
        persona: traveller
        channel: web
        emotion: 0
  - id: receive
    name: Receive
    kpis: [{name: Days to delivery, target: 10, better: lower}]
    feedback: [{method: csat}]
    steps:
      - id: gets-passport
        name: Gets the passport
        persona: traveller
        channel: web
        emotion: 2
"""
BROKEN = GOOD.replace("emotion: 2", "emotion: 5")


def test_hook_file_declares_the_three_hooks() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert [h["id"] for h in hooks] == [
        "journeymap-validate",
        "journeymap-lint",
        "journeymap-render-check",
    ]
    for hook in hooks:
        assert hook["language"] == "python"
        assert hook["entry"].startswith("journeymap ")
        assert hook["pass_filenames"] is False


def _pre_commit(*args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PRE_COMMIT_HOME=str(home), NO_COLOR="1", HOME=str(home))
    env.update(
        GIT_AUTHOR_NAME="A", GIT_AUTHOR_EMAIL="a@example.com",
        GIT_COMMITTER_NAME="A", GIT_COMMITTER_EMAIL="a@example.com",
    )  # fmt: skip
    return subprocess.run(
        [*PRE_COMMIT, *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=900
    )


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path.parent / f"{tmp_path.name}-pre-commit"
    path.mkdir(exist_ok=True)
    return path


def test_try_repo_validate(git: Run, tmp_path: Path, home: Path) -> None:
    """As in the README: try the hook from a checkout before pinning it."""
    (tmp_path / "passport.journey.yaml").write_text(BROKEN, "utf-8")
    git("add", ".")
    failed = _pre_commit(
        "try-repo", str(REPO), "journeymap-validate", "--ref", "HEAD",
        "--files", "passport.journey.yaml",
        cwd=tmp_path, home=home,
    )  # fmt: skip
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "journeymap validate" in failed.stdout and "Failed" in failed.stdout
    assert "passport.journey.yaml:" in failed.stdout
    assert "emotion must be a whole number from -2 to +2" in failed.stdout

    (tmp_path / "passport.journey.yaml").write_text(GOOD, "utf-8")
    git("add", ".")
    passed = _pre_commit(
        "try-repo", str(REPO), "journeymap-validate", "--ref", "HEAD",
        "--files", "passport.journey.yaml",
        cwd=tmp_path, home=home,
    )  # fmt: skip
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout


def test_a_broken_map_fails_the_commit(git: Run, jm: Run, tmp_path: Path, home: Path) -> None:
    """The hooks pinned in .pre-commit-config.yaml, installed as a git hook, on `git commit`."""
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.strip()
    config = {
        "repos": [
            {
                "repo": str(REPO),
                "rev": head,
                "hooks": [
                    {"id": "journeymap-validate"},
                    {"id": "journeymap-lint"},
                    {"id": "journeymap-render-check", "args": [".", "--output-dir", "site"]},
                ],
            }
        ]
    }
    (tmp_path / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), "utf-8")
    installed = _pre_commit("install", cwd=tmp_path, home=home)
    assert installed.returncode == 0, installed.stderr

    def commit() -> subprocess.CompletedProcess[str]:
        env = dict(os.environ, PRE_COMMIT_HOME=str(home), NO_COLOR="1")
        # The installed hook finds pre-commit next to this Python.
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
        git("add", "-A")
        return subprocess.run(
            ["git", "-c", "user.name=A", "-c", "user.email=a@example.com", "commit", "-m", "x"],
            cwd=tmp_path, capture_output=True, text=True, env=env, timeout=900,
        )  # fmt: skip

    (tmp_path / "passport.journey.yaml").write_text(BROKEN, "utf-8")
    broken = commit()  # git shows a hook's output on stderr
    assert broken.returncode != 0, broken.stderr
    assert re.search(r"journeymap validate\.+Failed", broken.stderr)
    assert "emotion must be a whole number from -2 to +2" in broken.stderr

    (tmp_path / "passport.journey.yaml").write_text(GOOD, "utf-8")
    stale = commit()  # valid and lint clean, but the rendered page is not committed
    assert stale.returncode != 0, stale.stderr
    assert re.search(r"journeymap validate\.+Passed", stale.stderr)
    assert re.search(r"journeymap render --check\.+Failed", stale.stderr)

    rendered = jm("render", ".", "--output-dir", "site")
    assert rendered.returncode == 0, rendered.stderr
    good = commit()
    assert good.returncode == 0, good.stdout + good.stderr
    assert (good.stdout + good.stderr).count("Passed") == 3
