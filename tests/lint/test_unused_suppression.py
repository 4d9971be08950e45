"""A suppression that silences nothing is reported, only for the rules that ran on the file."""

from pathlib import Path

from helpers import EXAMPLES, run
from journeymap.findings import Finding, Severity

from .kit import hits, lint_file, lint_text, write

# Every rule is happy with this map but for the directives: a persona with goals and needs,
# KPIs and feedback on the stage, an emotion on each step, a recent review date.
MAP = """
journeymap: 1
title: Buying a TV
updated: 2026-11-01
personas: [{id: sam, name: Sam, goals: [a TV], needs: [advice]}]
stages:
  # journeymap: ignore[missing-kpi] -- no KPI agreed yet
  - id: awareness
    name: Awareness
    kpis: [{name: Reach}]
    feedback: [{method: survey}]
    steps:
      - {id: sees-ad, name: Sees an ad, persona: sam, emotion: 1}
      - {id: buys, name: Buys, persona: sam, emotion: 1}
  - id: use
    name: Use
    kpis: [{name: Returns}]
    feedback: [{method: survey}]
    steps:
      - {id: watches, name: Watches, persona: sam, emotion: 2}
"""

BRIEF = (
    "ignore[missing-kpi] suppresses nothing here: missing-kpi finds nothing on line 7 or "
    "inside what starts there; remove the comment"
)


def _unused(findings: list[Finding]) -> list[tuple[int, int, str]]:
    return [(f.line, f.column, f.message) for f in findings if f.rule == "unused-suppression"]


def test_a_suppression_above_a_stage_the_rule_does_not_fire_on(tmp_path: Path) -> None:
    findings = lint_text(tmp_path, MAP)
    assert hits(findings) == [("unused-suppression", 6, 24, "")]
    assert _unused(findings) == [(6, 24, BRIEF)]
    assert findings[0].severity is Severity.WARNING


def test_a_suppression_that_silences_something_is_used(tmp_path: Path) -> None:
    text = MAP.replace("    kpis: [{name: Reach}]\n", "", 1)
    findings = lint_text(tmp_path, text)
    assert hits(findings) == []
    assert [(f.rule, f.line, f.suppressed) for f in findings] == [("missing-kpi", 7, True)]


def test_one_unused_rule_of_several_inline(tmp_path: Path) -> None:
    text = MAP.replace(
        "      - {id: sees-ad, name: Sees an ad, persona: sam, emotion: 1}",
        "      - {id: sees-ad, name: Sees an ad, persona: sam}  "
        "# journeymap: ignore[missing-emotion, channel-gap]",
    ).replace("  # journeymap: ignore[missing-kpi] -- no KPI agreed yet\n", "")
    findings = lint_text(tmp_path, text)
    assert _unused(findings) == [
        (
            11,
            94,
            "ignore[channel-gap] suppresses nothing here: channel-gap finds nothing on this "
            "line or inside what starts there; remove 'channel-gap' from it",
        )
    ]


def test_file_ignore_and_a_comment_at_the_end(tmp_path: Path) -> None:
    text = MAP.replace("  # journeymap: ignore[missing-kpi] -- no KPI agreed yet\n", "")
    text += "# journeymap: file-ignore[stale-map]\n# journeymap: ignore[no-persona]\n"
    assert _unused(lint_text(tmp_path, text)) == [
        (
            19,
            27,
            "file-ignore[stale-map] suppresses nothing: stale-map finds nothing in this file; "
            "remove the comment",
        ),
        (
            20,
            22,
            "ignore[no-persona] suppresses nothing: no YAML follows the comment; "
            "remove the comment",
        ),
    ]


def test_only_rules_that_ran_make_a_comment_unused(tmp_path: Path) -> None:
    assert hits(lint_text(tmp_path, MAP, select={"unused-suppression"})) == []
    both = {"unused-suppression", "missing-kpi"}
    assert hits(lint_text(tmp_path, MAP, select=both)) == [("unused-suppression", 6, 24, "")]
    path = write(tmp_path, MAP)
    assert hits(lint_file(path, ignore={"missing-kpi"})) == []
    # Not selected: the rule says nothing at all.
    assert hits(lint_file(path, select={"missing-kpi"})) == []


def test_a_rule_off_in_the_configuration_or_per_file_ignored(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path, MAP, "top.journey.yaml")
    write(tmp_path, MAP, "drafts/draft.journey.yaml")
    args = ("lint", ".", "--today", "2026-11-23", "--no-cache")
    result = run(*args, cwd=tmp_path)
    assert "top.journey.yaml:6:24: warning unused-suppression" in result.out
    assert "drafts/draft.journey.yaml:6:24: warning unused-suppression" in result.out
    assert result.code == 0  # warnings do not fail by default
    (tmp_path / "journeymap.toml").write_text('[per-file-ignores]\n"drafts/**" = ["missing-kpi"]\n')
    result = run(*args, cwd=tmp_path)
    assert "top.journey.yaml:6:24: warning unused-suppression" in result.out
    assert "draft.journey.yaml" not in result.out
    (tmp_path / "journeymap.toml").write_text('[rules]\nmissing-kpi = "off"\n')
    result = run(*args, cwd=tmp_path)
    assert "unused-suppression" not in result.out, result.out


def test_a_file_with_format_errors_is_not_linted(tmp_path: Path) -> None:
    text = MAP.replace("title: Buying a TV\n", "title: Buying a TV\nbogus: 1\n")
    findings = lint_text(tmp_path, text)
    assert [f.rule for f in findings] == ["schema"]


def test_rules_that_read_measured_data_are_not_judged(tmp_path: Path) -> None:
    text = MAP.replace(
        "    kpis: [{name: Reach}]\n",
        "    kpis:\n      # journeymap: ignore[kpi-off-target] -- on target this quarter\n"
        "      - {name: Reach, target: 10, actual: 12}\n",
        1,
    ).replace("  # journeymap: ignore[missing-kpi] -- no KPI agreed yet\n", "")
    assert hits(lint_text(tmp_path, text)) == []


def test_it_can_be_silenced_like_any_rule(tmp_path: Path) -> None:
    text = MAP + "# journeymap: file-ignore[unused-suppression] -- kept for the Q3 review\n"
    findings = lint_text(tmp_path, text)
    assert hits(findings) == []
    assert [(f.rule, f.line, f.suppressed) for f in findings] == [("unused-suppression", 6, True)]
    # On the line it is about, a directive can name the rule with the one it leaves unused.
    inline = MAP.replace("  # journeymap: ignore[missing-kpi] -- no KPI agreed yet\n", "").replace(
        "  - id: awareness\n",
        "  - id: awareness  # journeymap: ignore[missing-kpi, unused-suppression]\n",
    )
    findings = lint_text(tmp_path, inline)
    assert hits(findings) == []
    assert [(f.rule, f.line, f.suppressed) for f in findings] == [("unused-suppression", 6, True)]


def test_libraries_are_judged_by_the_library_rules_only(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "journeymap: 1\nkind: library\npersonas:\n"
        "  # journeymap: ignore[persona-incomplete, missing-kpi]\n"
        "  - {id: sam, name: Sam, goals: [a TV], needs: [advice]}\n",
        "lib.yaml",
    )
    findings = lint_file(path)
    assert hits(findings) == [("unused-suppression", 4, 24, "")]
    assert "persona-incomplete" in findings[0].message


def test_the_examples_suppression_is_used() -> None:
    """examples/phone-repair.journey.yaml silences a real kpi-off-target finding."""
    findings = lint_file(EXAMPLES / "phone-repair.journey.yaml")
    assert [(f.rule, f.suppressed) for f in findings if f.rule.endswith("suppression")] == []
    assert [(f.rule, f.line) for f in findings if f.suppressed] == [("kpi-off-target", 151)]
