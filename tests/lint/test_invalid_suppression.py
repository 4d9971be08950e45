from pathlib import Path

import pytest

from journeymap.findings import Severity

from .kit import hits, lint_file, lint_text, write

MAP = """
journeymap: 1
title: Buying a TV
stages:
  - id: awareness  # journeymap: ignore[missing-emotion, kpi-of-target] -- typo
    name: Awareness
    steps:
      # journeymap: ignore[] -- nothing
      - id: sees-ad
        name: Sees an ad
# journeymap: file-ignore[schema]
"""


def test_unknown_empty_and_format_names(tmp_path: Path) -> None:
    findings = lint_text(tmp_path, MAP, select="invalid-suppression")
    assert hits(findings) == [
        ("invalid-suppression", 4, 58, ""),
        ("invalid-suppression", 7, 9, ""),
        ("invalid-suppression", 10, 27, ""),
    ]
    assert findings[0].message == (
        "suppression comment: unknown rule 'kpi-of-target' (did you mean 'kpi-off-target'?)"
    )
    assert "names no rule" in findings[1].message
    assert "format errors cannot be turned off or suppressed" in findings[2].message
    assert findings[0].severity is Severity.WARNING


def test_valid_directives_pass(tmp_path: Path) -> None:
    text = "journeymap: 1\ntitle: T  # journeymap: ignore[stale-map] -- reviewed\n"
    assert hits(lint_text(tmp_path, text, select="invalid-suppression")) == []


def test_checked_in_libraries_too(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "journeymap: 1\nkind: library\n# journeymap: file-ignore[persona-incomplet]\n",
        "lib.yaml",
    )
    assert hits(lint_file(path)) == [("invalid-suppression", 3, 27, "")]


def test_bare_ignore_is_reported_not_silently_ignored(tmp_path: Path) -> None:
    """Issue 13, defect 4: `lint --help` showed `# journeymap: ignore -- reason` (its `[rule]`
    eaten by markup); that form suppressed nothing and was not reported."""
    text = (
        "journeymap: 1\n"
        "title: T\n"
        "stages:\n"
        "  # journeymap: ignore -- reviewed in Q4\n"
        "  - id: awareness\n"
        "    name: Awareness\n"
        "# journeymap: file-ignore\n"
        "# journeymap: ignored for now (not a directive)\n"
    )
    findings = lint_text(tmp_path, text, select={"invalid-suppression", "empty-stage"})
    assert hits(findings) == [
        ("invalid-suppression", 4, 5, ""),
        ("empty-stage", 5, 5, "/stages/0"),
        ("invalid-suppression", 7, 3, ""),
    ]
    assert findings[0].message == (
        "suppression comment names no rule, so it silences nothing: "
        "list them as ignore[rule-a, rule-b]"
    )


# A step with a pain point and no opportunity: `pain-without-opportunity` fires on line 8,
# unless the comment above it (line 7) is a directive that silences it.
PAIN = """
journeymap: 1
title: Buying a TV
stages:
  - id: awareness
    name: Awareness
    steps:
      {comment}
      - {{id: sees-ad, name: Sees an ad, pain_points: [Too loud]}}
"""
SELECT = {"invalid-suppression", "pain-without-opportunity"}
FIX = "write `# journeymap: ignore[pain-without-opportunity]`"


@pytest.mark.parametrize(
    ("comment", "mistakes"),
    [
        ("# journeymap: ingore[pain-without-opportunity]", "'ingore' instead of 'ignore'"),
        ("# journeymap ignore[pain-without-opportunity]", "no colon after 'journeymap'"),
        ("# JourneyMap: ignore[pain-without-opportunity]", "'JourneyMap' instead of 'journeymap'"),
        ("# journeymap : ignore[pain-without-opportunity]", "a space before the colon"),
        ("# journeymap: ignore pain-without-opportunity", "no brackets around the rules"),
        (
            "# JOURNEYMAP ignroe [pain-without-opportunity] -- fix planned",
            "'JOURNEYMAP' instead of 'journeymap', no colon after 'journeymap', "
            "'ignroe' instead of 'ignore'",
        ),
        (
            "# journeymap: ignore[pain-without-opportunity -- fix planned",
            "no closing bracket",
        ),
        (
            "#journeymap ignore pain-without-opportunity -- fix planned",
            "no colon after 'journeymap', no brackets around the rules",
        ),
    ],
)
def test_a_malformed_directive_is_reported_with_the_right_form(
    tmp_path: Path, comment: str, mistakes: str
) -> None:
    findings = lint_text(tmp_path, PAIN.format(comment=comment), select=SELECT)
    assert hits(findings) == [
        ("invalid-suppression", 7, 7 + comment.lower().index("journeymap"), ""),
        ("pain-without-opportunity", 8, 9, "/stages/0/steps/0"),
    ]
    assert findings[0].message == (
        f"malformed suppression comment ({mistakes}), so it silences nothing: {FIX}"
    )


def test_a_malformed_file_ignore_and_unknown_names_in_it(tmp_path: Path) -> None:
    text = PAIN.format(comment="# Journeymap: fileignore[pain-without-oportunity, missing-kpi]")
    findings = lint_text(tmp_path, text, select=SELECT)
    assert hits(findings) == [
        ("invalid-suppression", 7, 9, ""),
        ("invalid-suppression", 7, 32, ""),
        ("pain-without-opportunity", 8, 9, "/stages/0/steps/0"),
    ]
    assert findings[0].message == (
        "malformed suppression comment ('Journeymap' instead of 'journeymap', 'fileignore' "
        "instead of 'file-ignore'), so it silences nothing: write "
        "`# journeymap: file-ignore[pain-without-oportunity, missing-kpi]`"
    )
    assert "did you mean 'pain-without-opportunity'?" in findings[1].message


@pytest.mark.parametrize(
    "comment",
    [
        "# journeymap renders this stage as a column",
        "# journeymap: ignored for now (not a directive)",
        "# journeymap ignores steps without ids here",
        "# JourneyMap: ignore the colours, they are placeholders",
        "# Journeymap ignore list: see docs/rules.md",
        "# see journeymap ignore[pain-without-opportunity] in the docs",
        "# journeymaps: ignore[pain-without-opportunity]",
        "# journeymap: engine[dot] lays this stage out",
    ],
)
def test_prose_that_mentions_journeymap_is_no_directive(tmp_path: Path, comment: str) -> None:
    findings = lint_text(tmp_path, PAIN.format(comment=comment), select=SELECT)
    assert hits(findings) == [("pain-without-opportunity", 8, 9, "/stages/0/steps/0")]
