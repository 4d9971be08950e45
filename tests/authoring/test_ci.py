"""The GitHub Action, the CI workflows in docs/ci.md, the GitLab report and editor support."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import REPO, Run

ACTION = REPO / "action.yml"
GITHUB_WORKFLOW = REPO / "docs/examples/github-workflow.yml"
GITLAB_CI = REPO / "docs/examples/gitlab-ci.yml"
CHECK_JSONSCHEMA = [sys.executable, "-m", "check_jsonschema"]


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text("utf-8"))


@pytest.mark.parametrize(
    ("path", "schema"),
    [
        (ACTION, "vendor.github-actions"),
        (GITHUB_WORKFLOW, "vendor.github-workflows"),
        (GITLAB_CI, "vendor.gitlab-ci"),
    ],
)
def test_valid_against_the_platform_schemas(path: Path, schema: str) -> None:
    """check-jsonschema ships the GitHub and GitLab schemas, so this runs offline."""
    result = subprocess.run(
        [*CHECK_JSONSCHEMA, "--builtin-schema", schema, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_action_shape() -> None:
    action = load(ACTION)
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) == {
        "paths",
        "version",
        "python-version",
        "fail-on",
        "sarif",
        "render",
        "diff-rev",
        "config-from",
    }
    steps = action["runs"]["steps"]
    uses = [s["uses"] for s in steps if "uses" in s]
    assert uses == ["actions/setup-python@v5"]  # installs, but uploads nothing by itself
    for step in steps:
        if "run" in step:
            assert "${{" not in step["run"], f"inputs go through env: {step['name']}"
            assert step["shell"] == "bash"


def test_github_workflow_uses_the_action() -> None:
    workflow = load(GITHUB_WORKFLOW)
    job = workflow["jobs"]["journeymap"]
    steps = {s.get("name", s.get("uses")): s for s in job["steps"]}
    assert steps["actions/checkout@v4"]["with"]["fetch-depth"] == 0
    assert steps["Lint and render"]["uses"].startswith("journeymap/journeymap@")
    assert steps["Upload SARIF to code scanning"]["with"]["sarif_file"] == "journeymap.sarif"
    assert job["permissions"]["security-events"] == "write"


def test_gitlab_ci_reports_code_quality() -> None:
    job = load(GITLAB_CI)["journeymap"]
    assert job["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert any("--format gitlab" in line for line in job["script"])


def test_docs_show_the_example_files_verbatim() -> None:
    doc = (REPO / "docs/ci.md").read_text("utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", doc, re.S)
    for path in (GITHUB_WORKFLOW, GITLAB_CI):
        assert path.read_text("utf-8") in blocks, path
    for block in blocks:
        yaml.safe_load(block)


def _step_env(
    step: dict[str, Any], inputs: dict[str, str], github: dict[str, str] | None = None
) -> dict[str, str]:
    env: dict[str, str] = {}
    for name, value in step.get("env", {}).items():
        match = re.fullmatch(r"\$\{\{ (inputs|github)\.([\w-]+) \}\}", str(value))
        context = inputs if match and match.group(1) == "inputs" else (github or {})
        env[name] = context.get(match.group(2), "") if match else str(value)
    return env


@pytest.mark.slow
def test_action_steps_run(jm: Run, git: Run, tmp_path: Path) -> None:
    """Run the action's own shell steps (after setup and install) on a repository with a map."""
    assert jm("init", "shop.journey.yaml").returncode == 0
    git("add", ".")
    git("commit", "-qm", "map")
    text = (tmp_path / "shop.journey.yaml").read_text("utf-8")
    (tmp_path / "shop.journey.yaml").write_text(text.replace("emotion: 2", "emotion: 1"), "utf-8")

    inputs = {
        "paths": ".",
        "version": "",
        "python-version": "3.12",
        "fail-on": "",
        "sarif": "out/journeymap.sarif",
        "render": "site",
        "diff-rev": "HEAD",
        "config-from": "",
    }
    (tmp_path / "out").mkdir()
    runner = tmp_path.parent / f"{tmp_path.name}-runner"
    runner.mkdir()
    summary, outputs = runner / "summary.md", runner / "output.txt"
    base_env = dict(
        os.environ,
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        GITHUB_ACTIONS="true",
        GITHUB_STEP_SUMMARY=str(summary),
        GITHUB_OUTPUT=str(outputs),
        RUNNER_TEMP=str(runner),
        NO_COLOR="1",
    )
    logs = {}
    for step in load(ACTION)["runs"]["steps"]:
        if "run" not in step or step.get("id") == "install":
            continue
        if step.get("if") == "inputs.config-from == 'base'" and inputs["config-from"] != "base":
            continue
        result = subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", step["run"]],
            cwd=tmp_path,
            env={**base_env, **_step_env(step, inputs)},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, f"{step['name']}: {result.stdout}{result.stderr}"
        logs[step["name"]] = result.stdout

    sarif = json.loads((tmp_path / "out/journeymap.sarif").read_text("utf-8"))
    assert sarif["version"] == "2.1.0"
    assert (tmp_path / "site" / "shop.html").is_file() or any((tmp_path / "site").iterdir())
    diff_file = Path(outputs.read_text("utf-8").split("file=", 1)[1].strip())
    assert diff_file.read_text("utf-8").startswith("## Journey map changes")
    assert "emotion +2 → +1" in summary.read_text("utf-8")


def test_gitlab_code_quality_report(jm: Run, tmp_path: Path) -> None:
    map_text = "journeymap: 1\ntitle: Tiny\nstages:\n  - id: only\n    name: Only\n"
    (tmp_path / "tiny.journey.yaml").write_text(map_text, "utf-8")
    result = jm("lint", "--format", "gitlab", "--fail-on", "never", "tiny.journey.yaml")
    assert result.returncode == 0, result.stderr
    issues = json.loads(result.stdout)
    assert issues, "the tiny map has findings"
    for issue in issues:
        assert set(issue) == {
            "type",
            "description",
            "check_name",
            "fingerprint",
            "severity",
            "location",
        }
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert issue["location"]["path"] == "tiny.journey.yaml"
        assert isinstance(issue["location"]["lines"]["begin"], int)
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    # A comment line above moves every finding down a line; the fingerprints stay.
    (tmp_path / "tiny.journey.yaml").write_text("# moved\n" + map_text, "utf-8")
    moved = json.loads(jm("lint", "-f", "gitlab", "--fail-on", "never", "tiny.journey.yaml").stdout)
    assert [i["fingerprint"] for i in moved] == [i["fingerprint"] for i in issues]
    assert [i["location"]["lines"]["begin"] for i in moved] == [
        i["location"]["lines"]["begin"] + 1 for i in issues
    ]


def test_editor_settings_in_the_docs(jm: Run, tmp_path: Path) -> None:
    """docs/editors.md: the VS Code setting parses and names the committed schema."""
    doc = (REPO / "docs/editors.md").read_text("utf-8")
    settings = [json.loads(b) for b in re.findall(r"```json\n(.*?)```", doc, re.S)]
    schemas = next(s["yaml.schemas"] for s in settings if "yaml.schemas" in s)
    (path, patterns), *_ = schemas.items()
    assert (REPO / path).is_file()
    assert "*.journey.yaml" in patterns
    readme = (REPO / "README.md").read_text("utf-8")
    assert '"yaml.schemas"' in readme and "yaml-language-server: $schema=" in readme


def test_schema_validates_a_new_map_like_an_editor(jm: Run, tmp_path: Path) -> None:
    """What yaml-language-server does with the modeline: JSON Schema validation of the file."""
    import jsonschema

    (tmp_path / ".git").mkdir()
    (tmp_path / "schema").mkdir()
    assert jm("schema", "-o", "schema/journeymap-1.schema.json").returncode == 0
    assert jm("init", "new.journey.yaml").returncode == 0
    text = (tmp_path / "new.journey.yaml").read_text("utf-8")
    modeline = text.splitlines()[0].split("$schema=", 1)[1]
    schema = json.loads((tmp_path / modeline).read_text("utf-8"))
    data = json.loads(json.dumps(yaml.safe_load(text), default=str))  # dates as text
    jsonschema.validate(data, schema)
    data["stages"][0]["steps"][0]["emotion"] = 5
    data["stages"][0]["steps"][0]["emotions"] = 1
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(data))
    assert errors


def test_the_render_step_installs_graphviz_when_dot_is_missing(tmp_path: Path) -> None:
    """The pages draw their flow diagram with dot; a runner without Graphviz gets it from its
    package manager (here stand-ins that record what they were asked, and a stand-in render)."""
    step = next(s for s in load(ACTION)["runs"]["steps"] if s.get("name") == "Render")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls.txt"
    for name in ("sudo", "apt-get", "journeymap"):
        tool = bin_dir / name
        body = '"$@"' if name == "sudo" else ""
        tool.write_text(f'#!/bin/bash\necho "{name} $*" >> {log}\n{body}\n', "utf-8")
        tool.chmod(0o755)
    inputs = {"paths": ".", "render": "site", "config-from": ""}
    path = f"{bin_dir}{os.pathsep}/usr/bin{os.pathsep}/bin"
    if Path("/usr/bin/dot").exists() or Path("/bin/dot").exists():  # a PATH without it
        (tmp_path / "nodot").mkdir()
        for tool_name in ("bash", "cat", "env"):
            found = subprocess.run(["which", tool_name], capture_output=True, text=True).stdout
            if found.strip():
                (tmp_path / "nodot" / tool_name).symlink_to(found.strip())
        path = f"{bin_dir}{os.pathsep}{tmp_path / 'nodot'}"
    result = subprocess.run(
        ["/bin/bash", "-e", "-o", "pipefail", "-c", step["run"]],
        cwd=tmp_path,
        env={"PATH": path, **_step_env(step, inputs)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert log.read_text("utf-8").splitlines() == [
        "sudo apt-get update -qq",
        "apt-get update -qq",
        "sudo apt-get install -y -qq graphviz",
        "apt-get install -y -qq graphviz",
        "journeymap render --output-dir site .",
    ]
