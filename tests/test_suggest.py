""" "Did you mean" for unknown references, enum values, rules and keys (issue 13, defect 3)."""

from __future__ import annotations

from pathlib import Path

from helpers import run
from journeymap.suggest import closest, did_you_mean, edit_distance

MAP = """\
journeymap: 1
title: Opening an account
stages:
  - id: apply
    name: Apply
    steps:
      - id: fills-form
        name: Fills in the form
        emotion: 0
        next: [verify-id]
        feedback: [{method: nps-survey, name: Welcome survey}]
      - id: verify-identity
        name: Verifies identity
        emotion: -1
"""


def test_edit_distance_is_bounded() -> None:
    assert edit_distance("kitten", "sitting", 3) == 3
    assert edit_distance("kitten", "sitting", 2) == 3  # more than the limit: limit + 1
    assert edit_distance("emotion", "emotoin", 2) == 1  # two neighbours swapped: one edit
    assert edit_distance("sma", "sam", 1) == 1
    assert edit_distance("a" * 60, "b" * 60, 2) == 3


def test_prefix_beats_substring_beats_nothing() -> None:
    methods = ["analytics", "interview", "survey", "nps", "support-tickets"]
    assert closest("nps-survey", methods) == ["nps", "survey"]
    assert closest("verify-id", ["fills-form", "verify-identity"]) == ["verify-identity"]
    assert closest("xyz", methods) == []


def test_nothing_close_lists_at_most_eight() -> None:
    ids = [f"step-{n}" for n in range(11)]
    assert did_you_mean("zzz", ids, "known steps") == (
        " (known steps: 'step-0', 'step-1', 'step-2', 'step-3', 'step-4', 'step-5', "
        "'step-6', 'step-7' and 3 more)"
    )
    assert did_you_mean("zzz", ids) == ""


def test_unknown_step_and_enum_value_suggest_what_was_meant(tmp_path: Path) -> None:
    (tmp_path / "m.journey.yaml").write_text(MAP, "utf-8")
    result = run("validate", "m.journey.yaml", cwd=tmp_path)
    assert result.code == 1
    lines = [line for line in result.out.splitlines() if line.startswith("m.journey.yaml:")]
    assert len(lines) == 2
    assert lines[0] == (
        "m.journey.yaml:10:16: error reference unknown step 'verify-id' "
        "(did you mean 'verify-identity'?)"
    )
    assert lines[1].startswith("m.journey.yaml:11:29: error schema 'method' must be one of ")
    assert lines[1].endswith("got 'nps-survey' (did you mean 'nps' or 'survey'?)")


def test_unknown_step_with_nothing_close_lists_the_steps(tmp_path: Path) -> None:
    (tmp_path / "m.journey.yaml").write_text(MAP.replace("[verify-id]", "[approve]"), "utf-8")
    result = run("validate", "m.journey.yaml", cwd=tmp_path)
    assert (
        "error reference unknown step 'approve' (known steps: 'fills-form', 'verify-identity')"
        in result.out
    )


def test_unknown_rule_lists_the_rules_when_nothing_is_close() -> None:
    result = run("lint", "--select", "qqq", ".")
    assert result.code == 2
    assert "unknown rule 'qqq' (known rules: 'channel-gap', " in result.err
    assert " more)" in result.err
