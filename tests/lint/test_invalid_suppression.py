from pathlib import Path

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
