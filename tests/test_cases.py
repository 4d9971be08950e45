"""Acceptance: every map under cases/valid validates; every one under cases/invalid fails
with the rule, line and column its first line expects (`# expect: RULE LINE:COLUMN`)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers import run

CASES = Path(__file__).parent / "cases"
EXPECT = re.compile(r"^# expect: ([a-z-]+) (\d+):(\d+)")


def _cases(kind: str) -> list[Path]:
    return sorted((CASES / kind).glob("*.yaml"))


@pytest.mark.parametrize("path", _cases("valid"), ids=lambda p: p.name)
def test_valid_case(path: Path) -> None:
    result = run("validate", path)
    assert result.code == 0, result.out + result.err
    assert "all valid" in result.out


@pytest.mark.parametrize("path", _cases("invalid"), ids=lambda p: p.name)
def test_invalid_case(path: Path) -> None:
    match = EXPECT.match(path.read_text("utf-8", "replace"))
    assert match, f"{path.name} has no '# expect: RULE LINE:COLUMN' first line"
    rule, line, column = match.group(1), int(match.group(2)), int(match.group(3))
    result = run("validate", "--format", "json", path)
    assert result.code == 1, result.out + result.err
    assert "Traceback" not in result.err
    findings = json.loads(result.out)["findings"]
    located = [(f["rule"], f["line"], f["column"]) for f in findings]
    assert (rule, line, column) in located, located
    assert all(f["severity"] == "error" for f in findings)


def test_there_are_enough_cases() -> None:
    assert len(_cases("invalid")) >= 15
    assert len(_cases("valid")) >= 2
