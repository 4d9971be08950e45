"""Hostile text in file names and findings comes out of every report format as data.

A pull request controls both the maps' text (which findings quote) and the files' names. Each
report is read back as its consumer would read it, and the hostile text must come back intact
(or, for characters the format cannot hold, replaced), never as structure of its own.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from helpers import run

FRESH = {"JOURNEYMAP_NO_CACHE": "1"}
# Text that findings quote: an unknown key, a bad id, an unknown reference.
EVIL = '<x a="1">&amp;</x> %0A %25 ::error::pwned\r\n::add-mask::s ]]> \x1b[2J \x07 \u202e'
EVIL_NAME = "evil<&>\"' %0A%25 ::x,y=z.journey.yaml"

MAP = f"""\
journeymap: 1
title: Hostile text in findings
channels: [{{id: web, name: Web, kind: digital}}]
stages:
  - id: s
    name: S
    steps:
      - id: a
        name: A
        channel: {json.dumps(EVIL)}
      - id: b
        name: B
        {json.dumps(EVIL)}: 1
"""

_ANNOTATION = re.compile(
    r"^::(error|warning|notice) file=(?P<file>[^:,]*),line=\d+,col=\d+,title=[^:,]*::(?P<msg>.*)$"
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / EVIL_NAME).write_text(MAP, "utf-8")
    return tmp_path


def _lint(project: Path, fmt: str) -> str:
    result = run("lint", "--format", fmt, "--isolated", ".", cwd=project, env=FRESH)
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    return result.out


def test_json_keeps_hostile_text_as_strings(project: Path) -> None:
    findings = json.loads(_lint(project, "json"))["findings"]
    assert {f["file"] for f in findings} == {EVIL_NAME}
    assert any(EVIL in f["message"] for f in findings), findings


def test_sarif_keeps_hostile_text_as_strings(project: Path) -> None:
    sarif = json.loads(_lint(project, "sarif"))
    results = sarif["runs"][0]["results"]
    messages = [r["message"]["text"] for r in results]
    assert any(EVIL in m for m in messages), messages
    uris = {
        loc["physicalLocation"]["artifactLocation"]["uri"]
        for r in results
        for loc in r["locations"]
    }
    # A URI: the name is percent-encoded, and decodes back to the file's name.
    from urllib.parse import unquote

    assert {unquote(u) for u in uris} == {EVIL_NAME}, uris


def test_junit_is_well_formed_xml_with_the_text_inside(project: Path) -> None:
    root = ET.fromstring(_lint(project, "junit"))
    assert [s.get("name") for s in root.iter("testsuite")] == [EVIL_NAME]
    failures = [f.get("message") or "" for f in root.iter("failure")]
    failures += [f.text or "" for f in root.iter("failure")]
    # XML 1.0 cannot hold ESC or BEL: they are replaced, the rest comes back as written.
    expected = EVIL.replace("\x1b", "\ufffd").replace("\x07", "\ufffd").replace("\r\n", "\n")
    assert any(expected in f.replace("\r\n", "\n") for f in failures), failures


def test_github_commands_cannot_be_injected(project: Path) -> None:
    out = _lint(project, "github")
    annotations = [line for line in out.splitlines() if line.startswith("::")]
    assert annotations, out
    messages = []
    for line in annotations:
        match = _ANNOTATION.match(line)
        assert match, f"not one of our annotations: {line!r}"
        assert _unescape(match["file"]) == EVIL_NAME
        messages.append(_unescape(match["msg"]))
    assert any(EVIL in m for m in messages), messages
    assert "::add-mask::" not in out.replace("%3A", "").split("::error ")[0]
    for line in out.splitlines():
        assert not line.startswith(("::add-mask", "::set-", "::stop-commands", "::error::"))


def _unescape(text: str) -> str:
    for escaped, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, char)
    return text


def test_text_report_does_not_pass_terminal_escapes(project: Path) -> None:
    out = _lint(project, "text")
    assert "\x1b[2J" not in out and "\x07" not in out
    assert EVIL_NAME in out
