from pathlib import Path

from .kit import hits, lint_file, lint_text, write

MAP = """
journeymap: 1
title: Joining a gym
stages:
  - id: joining
    name: Joining
    steps: [{id: signs-up, name: Signs up}]
"""


def test_map_without_personas(tmp_path: Path) -> None:
    findings = lint_text(tmp_path, MAP, select="no-persona")
    assert hits(findings) == [("no-persona", 1, 1, "")]
    assert "defines no persona" in findings[0].message


def test_an_empty_personas_list_is_pointed_at(tmp_path: Path) -> None:
    text = MAP.replace("title: Joining a gym\n", "title: Joining a gym\npersonas: []\n")
    assert hits(lint_text(tmp_path, text, select="no-persona")) == [
        ("no-persona", 3, 11, "/personas")
    ]


def test_own_persona_passes(tmp_path: Path) -> None:
    text = MAP.replace(
        "title: Joining a gym\n", "title: Joining a gym\npersonas: [{id: a, name: A}]\n"
    )
    assert hits(lint_text(tmp_path, text, select="no-persona")) == []


def test_library_persona_passes(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()  # the project root, for `uses`
    write(
        tmp_path,
        "journeymap: 1\nkind: library\npersonas: [{id: sam, name: Sam}]\n",
        "shared/people.yaml",
    )
    path = write(
        tmp_path, MAP.replace("title: Joining a gym\n", "title: J\nuses: [shared/people.yaml]\n")
    )
    assert hits(lint_file(path, select={"no-persona"})) == []
