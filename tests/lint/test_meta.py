"""Every rule has its documentation, a default severity and a test module; docs are current."""

import inspect
import re
from pathlib import Path

import pytest

from helpers import REPO, run
from journeymap.findings import FORMAT_RULES, Severity
from journeymap.lint import RULE_BY_NAME
from journeymap.lint.docs import markdown

SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## Use instead")


@pytest.mark.parametrize("name", sorted(RULE_BY_NAME))
def test_rule_is_documented_and_tested(name: str) -> None:
    rule = RULE_BY_NAME[name]
    assert isinstance(rule.default_severity, Severity)
    assert rule.summary.endswith(".")
    positions = [rule.doc.find(section) for section in SECTIONS]
    assert all(p > 0 for p in positions), f"{name}: missing one of {SECTIONS}"
    assert positions == sorted(positions), f"{name}: sections out of order"
    known_problems = rule.doc.find("## Known problems")  # ruff's place for a heuristic's limits
    assert known_problems == -1 or positions[1] < known_problems < positions[2], name
    if "stale-after-days" in rule.doc or "Options" in rule.doc:
        assert "## Options" in rule.doc
    module = Path(__file__).parent / f"test_{name.replace('-', '_')}.py"
    assert module.is_file(), f"{name}: no test module {module.name}"
    assert name not in FORMAT_RULES
    # Names read naturally after "ignore": lowercase words joined by hyphens.
    assert name == name.lower() and " " not in name and "_" not in name


def test_docs_rules_md_is_current() -> None:
    current = (REPO / "docs" / "rules.md").read_text("utf-8")
    assert current == markdown(), (
        "docs/rules.md is stale: regenerate it with "
        "`python -m journeymap.lint.docs > docs/rules.md`"
    )


def test_rules_command() -> None:
    result = run("rules")
    assert result.code == 0
    lines = result.out.splitlines()
    assert len(lines) == len(RULE_BY_NAME)
    assert lines[0].split()[:2] == ["empty-stage", "error"]
    result = run("rules", "channel-gap")
    assert result.code == 0
    assert result.out.startswith("channel-gap (default severity: warning)\n\nA change of channel")
    assert "## Use instead" in result.out
    result = run("rules", "--markdown")
    assert result.out == markdown()
    result = run("rules", "chanel-gap")
    assert result.code == 2
    assert "unknown rule 'chanel-gap' (did you mean 'channel-gap'?)" in result.err


def test_rules_that_read_measured_data_say_so() -> None:
    """`unused-suppression` leaves their comments alone, and its documentation names them."""
    for name, rule in RULE_BY_NAME.items():
        source = inspect.getsource(inspect.getmodule(rule.check))  # type: ignore[arg-type]
        if "context.metrics" in source or "context.stale" in source:
            assert rule.reads_metrics, f"{name} reads measured data: set READS_METRICS = True"
    doc = RULE_BY_NAME["unused-suppression"].doc
    known_problems = doc[doc.index("## Known problems") : doc.index("## Example")]
    named = set(re.findall(r"`([a-z][a-z-]+)`", known_problems)) - {"unused-suppression"}
    assert named == {name for name, rule in RULE_BY_NAME.items() if rule.reads_metrics}
