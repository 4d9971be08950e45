"""Suppression comments: scope (node and everything inside), own-line form, file-ignore."""

from pathlib import Path

import pytest

from journeymap.lint.suppress import parse

from .kit import hits, lint_text

MAP = """
journeymap: 1
title: Buying a TV
stages:
  - id: awareness  # journeymap: ignore[missing-emotion] -- research pending (CX-12)
    name: Awareness
    steps:
      - id: sees-ad
        name: Sees an ad
      - id: clicks
        name: Clicks
  - id: purchase
    name: Purchase
    steps:
      # journeymap: ignore[missing-emotion]

      - id: pays
        name: Pays
      - id: gets-receipt
        name: Gets a receipt
      - id: reviews  # journeymap: ignore[missing-kpi] -- another rule: no effect here
        name: Reviews
"""


def _suppressed(findings: list) -> list[tuple[str, int]]:  # type: ignore[type-arg]
    return [(f.rule, f.line) for f in findings if f.suppressed]


def test_inline_directive_covers_the_node_and_everything_inside(tmp_path: Path) -> None:
    findings = lint_text(tmp_path, MAP, select="missing-emotion")
    assert hits(findings) == [
        ("missing-emotion", 18, 9, "/stages/1/steps/1"),
        ("missing-emotion", 20, 9, "/stages/1/steps/2"),
    ]
    # Suppressed findings are kept, flagged, for JSON and SARIF.
    assert _suppressed(findings) == [
        ("missing-emotion", 7),
        ("missing-emotion", 9),
        ("missing-emotion", 16),
    ]


def test_directive_on_its_own_line_covers_the_next_yaml_line(tmp_path: Path) -> None:
    findings = lint_text(tmp_path, MAP, select="missing-emotion")
    # The blank line in between is skipped; the directive means `pays`, not the whole list
    # that starts on the same line.
    assert ("missing-emotion", 16) in _suppressed(findings)
    assert ("missing-emotion", 18) not in _suppressed(findings)


def test_directive_on_a_key_line_covers_its_value(tmp_path: Path) -> None:
    text = MAP.replace(
        "    steps:\n      # journeymap",
        "    steps:  # journeymap: ignore[missing-emotion]\n      # journeymap",
    )
    findings = lint_text(tmp_path, text, select="missing-emotion")
    assert hits(findings) == []


def test_file_ignore_anywhere(tmp_path: Path) -> None:
    text = MAP + "# journeymap: file-ignore[missing-emotion, missing-kpi] -- draft\n"
    findings = lint_text(tmp_path, text, select={"missing-emotion", "missing-kpi"})
    assert hits(findings) == []
    assert len(_suppressed(findings)) == 7  # 5 steps and 2 stages


def test_other_rules_are_not_silenced(tmp_path: Path) -> None:
    findings = lint_text(tmp_path, MAP, select="missing-kpi")
    assert hits(findings) == [
        ("missing-kpi", 4, 5, "/stages/0"),
        ("missing-kpi", 11, 5, "/stages/1"),
    ]


def test_a_directive_on_the_first_line_does_not_silence_the_whole_file(tmp_path: Path) -> None:
    text = MAP.replace("journeymap: 1\n", "journeymap: 1  # journeymap: ignore[missing-kpi]\n")
    assert len(hits(lint_text(tmp_path, text, select="missing-kpi"))) == 2


def test_format_errors_cannot_be_suppressed(tmp_path: Path) -> None:
    text = "journeymap: 1\n# journeymap: file-ignore[schema]\ntitle: T\nbogus: 1\n"
    findings = lint_text(tmp_path, text)
    assert [(f.rule, f.suppressed) for f in findings] == [("schema", False)]


def test_parse_directives() -> None:
    lines = [
        "# Shows a suppressed finding (`# journeymap: ignore[...] -- reason`).",
        "name: 'a # journeymap: ignore[x]'",
        "  - id: a   #journeymap:ignore[b,c]--why not",
        "# journeymap: file-ignore[ d ]",
    ]
    directives = parse(lines)
    assert [(d.line, d.names, d.reason, d.file_wide, d.target) for d in directives] == [
        (3, ("b", "c"), "why not", False, 3),
        (4, ("d",), None, True, 0),
    ]
    assert directives[0].rules == (("b", 32), ("c", 34))


STEP_TEXT = """
journeymap: 1
title: Buying a TV
stages:
  - id: shop
    name: Shop
    steps:
      - {{id: a, name: {name}}}  # journeymap: ignore[missing-emotion]
"""


@pytest.mark.parametrize(
    "name",
    [
        "'Quoted # not a comment'",  # a closed quote, then the comment
        "Visits B's store",  # an apostrophe is not a quote
        "Asks about X's price",
        "Room b#2 and Box X#1",  # a `#` inside a word starts no comment
    ],
)
def test_a_directive_after_quotes_apostrophes_and_hashes_in_the_value(
    tmp_path: Path, name: str
) -> None:
    findings = lint_text(tmp_path, STEP_TEXT.format(name=name), select="missing-emotion")
    assert hits(findings) == []
    assert _suppressed(findings) == [("missing-emotion", 7)]


def test_a_quoted_key_with_a_hash_before_a_file_wide_directive(tmp_path: Path) -> None:
    text = STEP_TEXT.format(name="A").replace("  # journeymap: ignore[missing-emotion]", "")
    text = text.replace(
        "title: Buying a TV\n",
        'title: Buying a TV\n"x-note #1": a  # journeymap: file-ignore[missing-emotion]\n',
    )
    findings = lint_text(tmp_path, text, select="missing-emotion")
    assert hits(findings) == []
    assert _suppressed(findings) == [("missing-emotion", 8)]


def test_directive_words_inside_a_quoted_string_are_no_directive(tmp_path: Path) -> None:
    text = (
        'journeymap: 1\ntitle: T\ndescription: "one\n  journeymap: ignore[missing-emotion]"\n'
        "stages:\n  - id: s\n    name: S\n    steps:\n      - {id: a, name: A}\n"
    )
    findings = lint_text(tmp_path, text, select="missing-emotion")
    assert hits(findings) == [("missing-emotion", 9, 9, "/stages/0/steps/0")]


def test_an_own_line_directive_skips_comments_and_at_the_end_targets_nothing(
    tmp_path: Path,
) -> None:
    text = STEP_TEXT.format(name="A").replace("  # journeymap: ignore[missing-emotion]", "")
    stacked = text.replace(
        "      - {id: a",
        "      # journeymap: ignore[missing-emotion]\n      # a note for people\n      - {id: a",
    )
    findings = lint_text(tmp_path, stacked, select="missing-emotion")
    assert hits(findings) == []
    at_end = text + "# journeymap: ignore[no-persona]\n"
    findings = lint_text(tmp_path, at_end, select="no-persona")
    assert hits(findings) == [("no-persona", 1, 1, "")]


def test_a_directive_on_a_key_line_covers_the_list_below(tmp_path: Path) -> None:
    text = (
        "journeymap: 1\ntitle: T\nstages:\n  - id: s\n    name: S\n"
        "    kpis:  # journeymap: ignore[kpi-off-target]\n"
        "      - {name: Reach, target: 10, actual: 5}\n"
        "    steps: [{id: a, name: A, emotion: 1}]\n"
    )
    findings = lint_text(tmp_path, text, select="kpi-off-target")
    assert hits(findings) == []
    assert _suppressed(findings) == [("kpi-off-target", 7)]


def test_a_directive_on_a_value_below_its_key(tmp_path: Path) -> None:
    text = (
        "journeymap: 1\ntitle: T\nupdated:\n  2020-01-01  # journeymap: ignore[stale-map]\n"
        "stages:\n  - id: s\n    name: S\n    steps: [{id: a, name: A, emotion: 1}]\n"
    )
    findings = lint_text(tmp_path, text, select="stale-map")
    assert hits(findings) == []
    assert [rule for rule, _ in _suppressed(findings)] == ["stale-map"]


def test_a_directive_on_the_line_where_a_top_level_list_starts(tmp_path: Path) -> None:
    """The list starts on its own line, below its key: the directive there covers its items."""
    text = (
        "journeymap: 1\ntitle: T\npersonas:\n  [  # journeymap: ignore[persona-incomplete]\n"
        "    {id: sam, name: Sam},\n  ]\n"
        "stages:\n  - id: s\n    name: S\n    steps: [{id: a, name: A, persona: sam}]\n"
    )
    findings = lint_text(tmp_path, text, select="persona-incomplete")
    assert hits(findings) == []
    assert _suppressed(findings) == [("persona-incomplete", 5)]


def test_format_errors_are_never_suppressed(tmp_path: Path) -> None:
    text = STEP_TEXT.format(name="A, emotion: 7").replace(
        "  # journeymap: ignore[missing-emotion]", ""
    )
    text += "# journeymap: file-ignore[schema]\n"
    findings = lint_text(tmp_path, text)
    assert [(f.rule, f.suppressed) for f in findings if f.rule == "schema"] == [("schema", False)]
