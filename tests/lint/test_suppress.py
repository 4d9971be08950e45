"""Suppression comments: scope (node and everything inside), own-line form, file-ignore."""

from pathlib import Path

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
