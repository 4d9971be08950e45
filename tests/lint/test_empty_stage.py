from pathlib import Path

from helpers import run
from journeymap.findings import Severity

from .kit import hits, lint_text

MAP = """
journeymap: 1
title: Buying a TV
stages:
  - id: awareness
    name: Awareness
    steps:
      - id: sees-ad
        name: Sees an ad
  - id: retention
    name: Retention
    steps: []
  - id: advocacy
    name: Advocacy
"""


def test_stages_without_steps_are_errors(tmp_path: Path) -> None:
    findings = lint_text(tmp_path, MAP, select="empty-stage")
    assert hits(findings) == [
        ("empty-stage", 9, 5, "/stages/1"),
        ("empty-stage", 12, 5, "/stages/2"),
    ]
    assert {f.severity for f in findings} == {Severity.ERROR}
    assert findings[0].message == "stage 'retention' has no steps"


def test_stages_with_steps_pass(tmp_path: Path) -> None:
    text = MAP.replace("    steps: []\n", "    steps: [{id: thanks, name: Gets thanks}]\n")
    text = text.replace(
        "    name: Advocacy\n", "    name: Advocacy\n    steps: [{id: r, name: R}]\n"
    )
    assert hits(lint_text(tmp_path, text, select="empty-stage")) == []


def test_a_map_without_stages_is_an_error_at_the_top(tmp_path: Path) -> None:
    findings = lint_text(tmp_path, "journeymap: 1\ntitle: Nothing yet\n", select="empty-stage")
    assert hits(findings) == [("empty-stage", 1, 1, "")]
    assert findings[0].severity == Severity.ERROR
    assert findings[0].message == (
        "the map has no stages: add `stages`, each with the steps customers take there"
    )


def test_an_empty_stages_list_is_an_error_at_the_list(tmp_path: Path) -> None:
    text = "journeymap: 1\ntitle: Nothing yet\nstages: []\n"
    assert hits(lint_text(tmp_path, text, select="empty-stage")) == [
        ("empty-stage", 3, 9, "/stages")
    ]


def test_lint_of_a_map_without_stages_fails(tmp_path: Path) -> None:
    """It passed with infos only, and render drew an empty grid."""
    path = tmp_path / "draft.journey.yaml"
    path.write_text("journeymap: 1\ntitle: Nothing yet\n", "utf-8")
    result = run("lint", path, "--isolated", "--no-cache")
    assert result.code == 1
    assert f"{path}:1:1: error empty-stage the map has no stages" in result.out
    assert run("validate", path, "--isolated", "--no-cache").code == 0  # valid, per the spec
