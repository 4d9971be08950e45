"""Mermaid input built to make a pattern backtrack is read in time linear in its size.

The front matter is found without a regular expression; these check it finds what Mermaid's
pattern finds, on any small text, and that large hostile inputs finish at once with the right
result (each in a child process with a timeout: before the fix they took minutes).
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import run_process
from journeymap.importers.mermaid.front import front_matter
from journeymap.importers.mermaid.text import js_number

# Mermaid's pattern (with the indent of a Markdown block), as the importer once used it.
MERMAID_FRONT_MATTER = re.compile(r"([^\S\n]*)-{3}\s*\n(.*?)\n\1-{3}\s*\n+", re.S)
PIECES = ["---", "-", "\n", "\n\n", " ", "  ", "\t", "\r", "\u2028", "x", "title: T", "----"]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=14).map("".join))
def test_front_matter_is_what_mermaids_pattern_matches(text: str) -> None:
    expected = MERMAID_FRONT_MATTER.match(text)
    found = front_matter(text)
    if expected is None:
        assert found is None
    else:
        assert found is not None
        got = (found.indent, found.body, found.body_start, found.end)
        assert got == (expected.group(1), expected.group(2), expected.start(2), expected.end())


def test_front_matter_edge_cases_agree_with_mermaids_pattern() -> None:
    texts = [
        "---\n\n---\n",  # the closing fence's newline ends the blank lines: empty body
        "---\n\n---\nfoo\n---\n",  # a later fence: the first `---` line is in the body
        "  ---\n  title: T\n  ---\njourney\n",
        "---  \n\n\ntitle: T\n---  \n\n\njourney\n",
        "--- \n---x\n--- \t\n",
        "---\ntitle: T\n---",  # no newline after the closing fence
    ]
    for text in texts:
        expected = MERMAID_FRONT_MATTER.match(text)
        found = front_matter(text)
        assert (found is None) == (expected is None), text
        if found is not None and expected is not None:
            assert (found.body, found.body_start, found.end) == (
                expected.group(2),
                expected.start(2),
                expected.end(),
            ), text


def test_unclosed_front_matter_of_200_kb_is_not_a_journey_at_once(tmp_path: Path) -> None:
    diagram = tmp_path / "big.mmd"
    diagram.write_text("---" + "\n" * 200_000 + "journey\n  section S\n    Task: 3: Me\n")
    result = run_process("import", "mermaid", diagram, timeout=30)
    assert (result.code, result.err) == (
        2,
        f"journeymap: error: {diagram} is not a Mermaid journey diagram: "
        "it starts with '---', not 'journey'\n",
    )


def test_front_matter_after_200_kb_of_blank_lines_gives_the_title(tmp_path: Path) -> None:
    diagram = tmp_path / "big.mmd"
    body = "---" + "\n" * 200_000 + "title: Far down\n---\njourney\n  section S\n    Task: 3: Me\n"
    diagram.write_text(body)
    result = run_process("import", "mermaid", diagram, timeout=30)
    assert result.code == 1, result.err
    assert "\ntitle: Far down\n" in result.out
    assert "warning too-long the diagram is longer than 50,000 characters" in result.err


def test_a_score_of_200_000_digits_is_not_a_number_at_once(tmp_path: Path) -> None:
    diagram = tmp_path / "score.mmd"
    diagram.write_text("journey\n  section S\n    Task: " + "1" * 200_000 + "x: Me\n")
    result = run_process("import", "mermaid", diagram, timeout=30)
    assert result.code == 1, result.err
    assert "x' is not a number (Mermaid draws it as NaN)" in result.err
    assert "        name: Task\n        persona: me\n" in result.out


def test_js_number_reads_decimals_as_javascript_does() -> None:
    cases = {"3": 3.0, "3.": 3.0, "3.5": 3.5, ".5": 0.5, "-2e1": -20.0, "+1E+2": 100.0}
    assert {text: js_number(text) for text in cases} == cases
    assert all(js_number(text) != js_number(text) for text in ("3x", "1.2.3", "e5", "."))
