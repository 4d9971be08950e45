"""Item 16: configuration from the pull request must not decide the verdict of its own check.

`--config-rev REV` (the Action's `config-from: base`) reads the configuration as it is at the
base revision; `--config FILE` (`config-from: PATH`) reads one trusted file only. Without
either, a pull request that adds `maps/journeymap.toml` with `fail-on = "never"` passes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from helpers import REPO, run

WARNED = (
    "journeymap: 1\ntitle: Shop\nstages:\n  - id: s\n    name: S\n    steps:\n"
    "      - id: a\n        name: A\n"
)  # no feedback, no KPI...: lint warnings, no errors


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def pull_request(tmp_path: Path) -> Path:
    """A repository whose base commit fails on warnings; the working tree (the pull request)
    changes the root configuration and adds one beside the maps to pass whatever happens."""
    repo = tmp_path / "repo"
    (repo / "maps").mkdir(parents=True)
    _git(repo, "init", "-q", "-b", "main")
    (repo / "journeymap.toml").write_text('fail-on = "warning"\n', "utf-8")
    (repo / "maps" / "shop.journey.yaml").write_text(WARNED, "utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "base")
    (repo / "journeymap.toml").write_text('fail-on = "never"\n', "utf-8")
    (repo / "maps" / "journeymap.toml").write_text('fail-on = "never"\n', "utf-8")
    return repo


def test_configuration_from_the_pull_request_decides_without_a_trusted_source(
    pull_request: Path,
) -> None:
    assert run("lint", "--no-cache", "maps", cwd=pull_request).code == 0


def test_config_rev_reads_the_base_revision_only(pull_request: Path) -> None:
    result = run("lint", "--no-cache", "--config-rev", "HEAD", "maps", cwd=pull_request)
    assert result.code == 1, result.out + result.err
    assert "warning" in result.out
    for command in ("validate", "render"):
        args = ["-o", "out", "-f", "mermaid"] if command == "render" else []
        done = run(command, "--config-rev", "HEAD", *args, "maps", cwd=pull_request)
        assert done.code == 0, done.err


def test_config_rev_refuses_an_unknown_revision(pull_request: Path) -> None:
    result = run("lint", "--config-rev", "no-such-rev", "maps", cwd=pull_request)
    assert result.code == 2
    assert "--config-rev no-such-rev: unknown revision" in result.err


def test_config_file_is_the_only_one_read(pull_request: Path, tmp_path: Path) -> None:
    trusted = tmp_path / "trusted.toml"
    trusted.write_text('fail-on = "warning"\n', "utf-8")
    result = run("lint", "--no-cache", "--config", trusted, "maps", cwd=pull_request)
    assert result.code == 1


@pytest.mark.slow
def test_the_action_takes_the_base_branchs_configuration(pull_request: Path) -> None:
    """The Action's lint step with `config-from: base` fetches the base branch and fails."""
    origin = pull_request.parent / "origin.git"
    _git(pull_request.parent, "init", "-q", "--bare", str(origin))
    _git(pull_request, "remote", "add", "origin", str(origin))
    _git(pull_request, "push", "-q", "origin", "main")
    steps = yaml.safe_load((REPO / "action.yml").read_text("utf-8"))["runs"]["steps"]
    by_name = {s["name"]: s for s in steps}
    values = {"paths": "maps", "fail-on": "", "config-from": "base", "base_ref": "main"}
    runner = pull_request.parent / "runner"
    runner.mkdir()
    env = dict(
        os.environ,
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        GITHUB_ACTIONS="true",
        GITHUB_STEP_SUMMARY=str(runner / "summary.md"),
        NO_COLOR="1",
        JOURNEYMAP_NO_CACHE="1",
    )
    codes = {}
    for name in ("Fetch the base branch's configuration", "Lint (annotations on the pull request)"):
        step = by_name[name]
        step_env = {
            key: values.get(str(value).split(".")[-1].rstrip(" }"), str(value))
            for key, value in step.get("env", {}).items()
        }
        done = subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", step["run"]],
            cwd=pull_request,
            env={**env, **step_env},
            capture_output=True,
            text=True,
            timeout=120,
        )
        codes[name] = (done.returncode, done.stdout + done.stderr)
    assert codes["Fetch the base branch's configuration"][0] == 0, codes
    lint_code, lint_out = codes["Lint (annotations on the pull request)"]
    assert lint_code == 1, lint_out
    assert "::warning file=maps/shop.journey.yaml" in lint_out
