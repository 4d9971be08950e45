"""The JSON Schema: generated from the model, committed, and agreeing with validate."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from helpers import EXAMPLES, REPO, run
from journeymap.model import schema_document

SCHEMA = REPO / "schema" / "journeymap-1.schema.json"


def test_committed_schema_is_current() -> None:
    expected = json.dumps(schema_document(), indent=2, ensure_ascii=False) + "\n"
    assert SCHEMA.read_text("utf-8") == expected, (
        "schema/journeymap-1.schema.json is stale: run "
        "`journeymap schema -o schema/journeymap-1.schema.json`"
    )


def test_schema_command_prints_it() -> None:
    assert run("schema").out == SCHEMA.read_text("utf-8")


def _check_jsonschema(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--schemafile", str(SCHEMA), *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_independent_validator_accepts_every_example_and_valid_case() -> None:
    files = sorted(EXAMPLES.rglob("*.yaml")) + sorted((REPO / "tests/cases/valid").glob("*.yaml"))
    assert len(files) >= 6
    result = _check_jsonschema(*files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_independent_validator_rejects_an_unknown_key(tmp_path: Path) -> None:
    text = (EXAMPLES / "tv-purchase.journey.yaml").read_text("utf-8")
    bad = tmp_path / "bad.journey.yaml"
    bad.write_text(text.replace("title:", "titel: x\ntitle:", 1), "utf-8")
    result = _check_jsonschema(bad)
    assert result.returncode == 1
    assert "titel" in result.stdout
    assert run("validate", bad).code == 1


def test_independent_validator_rejects_bad_values(tmp_path: Path) -> None:
    for snippet in (
        "emotion: 3",
        "priority: urgent",
        "url: 'javascript:alert(1)'",
        "url: '//evil.example'",
    ):
        bad = tmp_path / "bad.yaml"
        bad.write_text(
            "journeymap: 1\ntitle: t\nstages:\n  - id: s\n    name: S\n    steps:\n"
            "      - id: a\n        name: A\n"
            + (
                f"        {snippet}\n"
                if snippet.startswith("emotion")
                else "        opportunities: [{text: x, priority: urgent}]\n"
                if "priority" in snippet
                else f"        links: [{{{snippet}}}]\n"
            ),
            "utf-8",
        )
        assert _check_jsonschema(bad).returncode == 1, snippet
        assert run("validate", bad).code == 1, snippet


def test_independent_validator_rejects_a_survey_on_a_stage(tmp_path: Path) -> None:
    bad = tmp_path / "bad.journey.yaml"
    bad.write_text(
        "journeymap: 1\ntitle: t\nstages:\n  - id: s\n    name: S\n"
        "    feedback: [{method: csat, survey: s_csat}]\n"
        "    steps: [{id: a, name: A, feedback: [{method: csat, survey: a_csat}]}]\n",
        "utf-8",
    )
    assert _check_jsonschema(bad).returncode == 1
    assert run("validate", bad).code == 1
    good = tmp_path / "good.journey.yaml"
    good.write_text(bad.read_text("utf-8").replace(", survey: s_csat", ""), "utf-8")
    assert _check_jsonschema(good).returncode == 0
    assert run("validate", good).code == 0
