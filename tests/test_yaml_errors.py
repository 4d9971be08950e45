"""YAML syntax errors as people make them: located where the author must look, said in their
terms with a hint, the parser's own words kept at the end (issue 13, defect 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import run

HEAD = """\
journeymap: 1
title: Buying a TV
stages:
  - id: awareness
    name: Awareness
    steps:
      - id: sees-ad
"""


# HEAD down to its `steps:` line: a test writes the steps.
STEPS = HEAD[: HEAD.index("      - id")]


def validate(tmp_path: Path, body: str, head: str = HEAD) -> list[str]:
    (tmp_path / "m.journey.yaml").write_text(head + body, "utf-8")
    result = run("validate", "m.journey.yaml", cwd=tmp_path)
    assert result.code == 1
    assert "Traceback" not in result.err
    return result.out.splitlines()


def test_a_tab_is_located_at_the_tab_and_shown(tmp_path: Path) -> None:
    lines = validate(tmp_path, "        name: Sees an ad\n      \t  emotion: 1\n")
    assert lines[0] == (
        "m.journey.yaml:9:7: error syntax YAML syntax error: a tab in the indentation: indent "
        "with spaces (YAML does not allow tabs there) [YAML: found a tab character that "
        "violates indentation (while scanning a plain scalar)]"
    )
    assert lines[2] == " 9 |       →  emotion: 1"
    assert lines[3] == "   |       ^"


@pytest.mark.parametrize("indent", ["\t", "  \t", "      \t"])
def test_a_tab_before_a_list_item_is_named_as_a_tab(tmp_path: Path, indent: str) -> None:
    """libyaml says only "found character that cannot start any token" for a tab before `- `;
    it is the same mistake as a tab before a key, and said the same way."""
    lines = validate(tmp_path, f"{indent}- id: sees-ad\n", head=STEPS)
    column = len(indent)
    assert lines[0] == (
        f"m.journey.yaml:7:{column}: error syntax YAML syntax error: a tab in the indentation: "
        "indent with spaces (YAML does not allow tabs there) [YAML: found character that "
        "cannot start any token (while scanning for the next token)]"
    )
    assert lines[2] == " 7 | " + indent.replace("\t", "→") + "- id: sees-ad"
    assert lines[3] == "   | " + " " * (column - 1) + "^"


def test_an_unclosed_quote_is_located_at_the_opening_quote(tmp_path: Path) -> None:
    body = '        name: Sees an ad\n        thoughts: "Is this any good?\n        emotion: 1\n'
    lines = validate(tmp_path, body + "      - id: buys\n        name: Buys\n")
    assert lines[0] == (
        "m.journey.yaml:9:19: error syntax YAML syntax error: this quote is never closed: "
        'add the closing " (everything after it, to the end of the file, was read as one '
        "text) [YAML: found unexpected end of stream (while scanning a quoted scalar)]"
    )
    assert lines[2] == ' 9 |         thoughts: "Is this any good?'
    assert lines[3] == "   |                   ^"


def test_a_missing_space_after_a_colon_is_located_on_its_line(tmp_path: Path) -> None:
    lines = validate(tmp_path, "        emotion:1\n        name: Sees an ad\n")
    assert lines[0] == (
        "m.journey.yaml:8:16: error syntax YAML syntax error: put a space after ':' "
        "(`emotion: 1`): without it YAML reads `emotion:1` as text, not as a key and a value "
        "[YAML: could not find expected ':' (while scanning a simple key)]"
    )


def test_a_list_item_on_its_keys_line_says_where_to_put_it(tmp_path: Path) -> None:
    lines = validate(tmp_path, "        name: Sees an ad\n        pain_points: - slow\n")
    assert lines[0] == (
        "m.journey.yaml:9:22: error syntax YAML syntax error: a list item cannot follow its key "
        "on the same line: put `- slow` on the next line, indented 10 spaces (2 more than "
        "`pain_points:`), or write `pain_points: [slow]` [YAML: block sequence entries are not "
        "allowed in this context]"
    )
    assert lines[3] == "   |                      ^"


@pytest.mark.parametrize(
    ("item", "put", "inline"),
    [
        # one item with a comma: `[slow, expensive delivery]` is two
        ("slow, expensive delivery", "slow, expensive delivery", '["slow, expensive delivery"]'),
        # a quoted item keeps its quotes and its `#`, which starts no comment there
        ('"ticket #1 lost"', '"ticket #1 lost"', '["ticket #1 lost"]'),
        ("'it''s late'  # why", "'it''s late'", "['it''s late']"),
        ("see [1]", "see [1]", '["see [1]"]'),
        ("slow  # a note", "slow", "[slow]"),
    ],
)
def test_a_list_item_on_its_keys_line_is_quoted_in_brackets_when_it_must_be(
    tmp_path: Path, item: str, put: str, inline: str
) -> None:
    """Following the hint gives the one item the author wrote, not two, nor a cut quote."""
    first = validate(tmp_path, f"        name: Sees an ad\n        pain_points: - {item}\n")[0]
    assert (
        f"put `- {put}` on the next line, indented 10 spaces (2 more than `pain_points:`), or "
        f"write `pain_points: {inline}` [YAML: " in first
    )


def test_a_colon_in_plain_text_says_to_quote_it(tmp_path: Path) -> None:
    lines = validate(tmp_path, "        name: Sees an ad: a big one\n        emotion: 1\n")
    assert lines[0] == (
        "m.journey.yaml:8:25: error syntax YAML syntax error: a ': ' inside unquoted text: "
        'quote this text (`"Sees an ad: a big one"`), or it reads as a key and a value '
        "[YAML: mapping values are not allowed in this context]"
    )


@pytest.mark.parametrize(
    ("body", "where", "says"),
    [
        (
            "        name: Sees an ad\n       emotion: 1\n",
            "9:8",
            "this line is indented 7 spaces; the list above uses 6 (its items' keys 8)",
        ),
        (
            "        name: Sees an ad\n         emotion: 1\n",
            "9:10",
            "this line is indented 9 spaces; the keys above use 8",
        ),
        (  # a list item: the list's column only (at 4, the keys' column, it is no item)
            "        name: Sees an ad\n   - id: buys\n",
            "9:4",
            "this list item is indented 3 spaces; the list above uses 2: indent it 2 to follow "
            "the item on line 4 [",
        ),
        (
            "        name: Sees an ad\n       - id: buys\n        name: Buys\n",
            "9:8",
            "this list item is indented 7 spaces; the list above uses 6: indent it 6 to follow "
            "the item on line 7 [",
        ),
    ],
)
def test_indentation_that_matches_no_parent(
    tmp_path: Path, body: str, where: str, says: str
) -> None:
    first = validate(tmp_path, body)[0]
    assert first.startswith(f"m.journey.yaml:{where}: error syntax YAML syntax error: {says}")
    assert "indented" in first and "[YAML: " in first


def test_a_list_item_out_of_line_names_the_lists_it_could_join(tmp_path: Path) -> None:
    """A second step at 4 spaces, not 6: libyaml says "did not find expected key"."""
    lines = validate(tmp_path, "        name: Sees an ad\n    - id: buys\n")
    assert lines[0] == (
        "m.journey.yaml:9:5: error syntax YAML syntax error: this list item is indented 4 "
        "spaces and lines up with no list above: indent it 6 to follow the item on line 7, or 2 "
        "to follow the item on line 4 [YAML: did not find expected key (while parsing a block "
        "mapping)]"
    )
    assert lines[2:4] == [" 9 |     - id: buys", "   |     ^"]


def test_a_key_lined_up_with_a_list_says_to_indent_it_as_the_items_keys(
    tmp_path: Path,
) -> None:
    """`steps:` at the column of the stage's `-`: it lines up with the list already, so "line it
    up with one of them" was no help; it belongs with the item's keys."""
    text = HEAD.replace("    steps:", "  steps:")
    (tmp_path / "m.journey.yaml").write_text(text, "utf-8")
    lines = run("validate", "m.journey.yaml", cwd=tmp_path).out.splitlines()
    assert lines[0] == (
        "m.journey.yaml:6:3: error syntax YAML syntax error: this line is indented 2 spaces, as "
        "the list above, but is not one of its items (`- `): indent it 0 spaces, as the keys of "
        "line 3 (`stages:`), if it belongs there, or indent it 4 spaces, as the keys of the item "
        "on line 4, to make it part of that item [YAML: did not find expected '-' indicator "
        "(while parsing a block collection)]"
    )
    assert lines[2:4] == [" 6 |   steps:", "   |   ^"]


BESIDE = "this line is indented {} spaces, as the list above, but is not one of its items (`- `): "


@pytest.mark.parametrize(
    ("text", "where", "says"),
    [
        (  # a top-level key after the stages: its place is the map's keys, not the stage's
            "journeymap: 1\ntitle: T\nstages:\n  - id: a\n    name: A\n    steps:\n"
            "      - id: x\n        name: X\n  owner: me\n",
            "9:3",
            BESIDE.format(2) + "indent it 0 spaces, as the keys of line 3 (`stages:`), if it "
            "belongs there, or indent it 4 spaces, as the keys of the item on line 4, to make it "
            "part of that item",
        ),
        (  # the items are text: they have no keys to join
            "journeymap: 1\ntitle: T\ntags:\n  - a\n  - b\n  owner: me\n",
            "6:3",
            BESIDE.format(2) + "indent it 0 spaces, as the keys of line 3 (`tags:`), if it "
            "belongs there",
        ),
        (  # the item is a { } on one line: its keys go inside the braces
            "journeymap: 1\ntitle: T\nstages:\n  - id: a\n    name: A\n    steps:\n"
            "      - {id: x, name: X}\n      emotion: 1\n",
            "8:7",
            BESIDE.format(6) + "indent it 4 spaces, as the keys of line 6 (`steps:`), if it "
            "belongs there, or put it inside the { } of the item on line 7",
        ),
        (  # a list that is the whole document: no mapping around it, no keys in its items
            "- a\n- b\nowner: me\n",
            "3:1",
            BESIDE.format(0) + "start it with `- ` to make it an item, or move it out of the list",
        ),
    ],
    ids=["top-level-key", "after-text-items", "after-a-flow-item", "document-is-a-list"],
)
def test_a_key_lined_up_with_a_list_names_the_mapping_around_it(
    tmp_path: Path, text: str, where: str, says: str
) -> None:
    """The hint said "indent it 4 spaces, as the keys of the item" whatever the item: following
    it made `owner` a stage's key (schema: unknown key), and after `- a` or `- {id: x}` there
    are no such keys. The mapping the list is in comes first; the item's keys only when it is
    a block mapping."""
    (tmp_path / "m.journey.yaml").write_text(text, "utf-8")
    first = run("validate", "m.journey.yaml", cwd=tmp_path).out.splitlines()[0]
    assert first.startswith(f"m.journey.yaml:{where}: error syntax YAML syntax error: {says} [")


def test_a_key_one_space_short_is_lined_up_with_the_nearest_keys(tmp_path: Path) -> None:
    """A step's key at 3 spaces (its step's keys at 4, the stage's at 2) fails in the stage's
    mapping; the hint named the stage's keys, and following it made `emotion` a stage key."""
    text = (
        "journeymap: 1\ntitle: T\nstages:\n- id: a\n  name: A\n  steps:\n  - id: x\n"
        "    name: X\n   emotion: 1\n"
    )
    (tmp_path / "m.journey.yaml").write_text(text, "utf-8")
    lines = run("validate", "m.journey.yaml", cwd=tmp_path).out.splitlines()
    assert lines[0] == (
        "m.journey.yaml:9:4: error syntax YAML syntax error: this line is indented 3 spaces; the "
        "keys above use 4 (line 8): line it up with them, or with the keys of line 4 (2 spaces) "
        "if it belongs there [YAML: did not find expected key (while parsing a block mapping)]"
    )
    assert lines[2:4] == [" 9 |    emotion: 1", "   |    ^"]


@pytest.mark.parametrize("text", ["...\n", "# a map, later\n...\n"])
def test_a_lone_document_end_marker_is_named(tmp_path: Path, text: str) -> None:
    (tmp_path / "m.journey.yaml").write_text(text, "utf-8")
    result = run("validate", "m.journey.yaml", cwd=tmp_path)
    assert result.code == 1
    line = text.count("\n")
    assert result.out.splitlines()[0] == (
        f"m.journey.yaml:{line}:1: error syntax YAML syntax error: a line `...` ends a YAML "
        "document, and nothing came before it: a map starts with `journeymap: 1`; delete this "
        "line or put the map above it [YAML: did not find expected node content (while parsing "
        "a block node)]"
    )


def test_no_indentation_hint_for_a_line_that_is_lined_up(tmp_path: Path) -> None:
    """A stray `]` after a key is not an indentation problem: the line is lined up with its
    neighbours, so the message is the parser's own, not "indented 6 spaces; the keys above
    use 6"."""
    lines = validate(tmp_path, "        name: Sees an ad\n        emotion: ]\n")
    assert lines[0] == (
        "m.journey.yaml:9:18: error syntax YAML syntax error: did not find expected node "
        "content (while parsing a block node)"
    )


@pytest.mark.parametrize(
    ("line", "column", "brackets"),
    [
        ("        events: ['view', 'it's']\n", 30, "inside [ ] (a list on one line)"),
        ("      - {id: b, name: B: C, x}\n", 24, "inside { } (a set of keys on one line)"),
    ],
)
def test_a_list_in_brackets_that_goes_on_is_not_called_an_indentation_problem(
    tmp_path: Path, line: str, column: int, brackets: str
) -> None:
    """`['it's']` ends the quoted item early; the hint said "this line is indented 8 spaces; the
    keys above use 10", at the start of the line. It is located where the list goes on, and
    says what goes wrong inside brackets."""
    lines = validate(tmp_path, "        name: Sees an ad\n" + line)
    assert lines[0].startswith(f"m.journey.yaml:9:{column}: error syntax YAML syntax error: ")
    assert brackets in lines[0] and "indented" not in lines[0]
    assert "Inside '...' a quote is written '' (`'it''s'`)" in lines[0]
    assert lines[3] == "   |" + " " * column + "^"


def test_a_bracket_not_closed_on_its_line_says_so(tmp_path: Path) -> None:
    lines = validate(tmp_path, "        events: [go, buy\n      - id: b\n        name: B\n")
    assert lines[0] == (
        "m.journey.yaml:9:11: error syntax YAML syntax error: the [ on line 8 is not closed "
        "before this line: end its list with ] (at the end of line 8), or, for a list over "
        "several lines, put a comma after each item [YAML: did not find expected ',' or ']' "
        "(while parsing a flow sequence)]"
    )


def test_a_bracket_never_closed_before_a_comment_is_closed_before_it(tmp_path: Path) -> None:
    """`]` "at the end of line 4" went into its comment, and the list stayed open."""
    text = "journeymap: 1\ntitle: T\ntags: [a,\n  'b # c'   # two\n"
    (tmp_path / "m.journey.yaml").write_text(text, "utf-8")
    first = run("validate", "m.journey.yaml", cwd=tmp_path).out.splitlines()[0]
    assert first == (
        "m.journey.yaml:3:7: error syntax YAML syntax error: this [ is never closed: end its "
        "list with ] at column 10 of line 4, before the comment [YAML: did not find expected "
        "',' or ']' (while parsing a flow sequence)]"
    )


def test_a_bracket_not_closed_on_its_commented_line_is_closed_before_the_comment(
    tmp_path: Path,
) -> None:
    lines = validate(tmp_path, "        events: [go, buy  # two\n      - id: b\n")
    assert "end its list with ] (at column 25 of line 8, before the comment), or" in lines[0]


@pytest.mark.parametrize("end", ["\n", "", "\n# a comment\n\n"])
def test_a_bracket_never_closed_is_located_at_the_bracket(tmp_path: Path, end: str) -> None:
    """libyaml stops past the last line, where there is nothing to show ("2:1", no frame)."""
    (tmp_path / "m.journey.yaml").write_text("this is not yaml: [unclosed" + end, "utf-8")
    result = run("validate", "m.journey.yaml", cwd=tmp_path)
    assert result.code == 1
    assert result.out.splitlines()[:3] == [
        "m.journey.yaml:1:19: error syntax YAML syntax error: this [ is never closed: end its "
        "list with ] at the end of line 1 [YAML: did not find expected ',' or ']' (while "
        "parsing a flow sequence)]",
        " 1 | this is not yaml: [unclosed",
        "   |                   ^",
    ]


STAGE = "journeymap: 1\ntitle: Course\nstages:\n  - id: discover\n    name: Discover\n"
STEPS_HINT = (
    "a list under a stage's keys needs a key: add a line `steps:` above it (at 4 spaces) and "
    "indent the items under it (6 spaces)"
)


@pytest.mark.parametrize(
    ("body", "where", "says"),
    [
        (  # lined up with the stage's keys: or the next stage, one level too deep
            "    - id: finds-course\n      name: Finds the course\n",
            "6:5",
            STEPS_HINT + ", or, if it starts the next stage, indent it 2 spaces as the stage on "
            "line 4 [YAML: did not find expected key (while parsing a block mapping)]",
        ),
        (  # deeper than the stage's keys
            "      - id: finds-course\n        name: Finds the course\n",
            "6:7",
            STEPS_HINT + " [YAML: mapping values are not allowed in this context]",
        ),
        (  # a key whose value spans lines above the last key, and a comment
            "    kpis:\n      - name: Visits\n    goal: Find it\n    # the steps\n"
            "    - {id: finds, name: Finds}\n",
            "10:5",
            STEPS_HINT + ", or, if it starts the next stage, indent it 2 spaces as the stage on "
            "line 4 [",
        ),
    ],
    ids=["at-the-keys", "deeper", "after-a-kpi-list"],
)
def test_a_stage_without_its_steps_key_says_to_add_it(
    tmp_path: Path, body: str, where: str, says: str
) -> None:
    """The hint said "indent it 2 to follow the item on line 4": following it turned the step
    into a stage."""
    first = validate(tmp_path, body, STAGE)[0]
    assert first.startswith(f"m.journey.yaml:{where}: error syntax YAML syntax error: {says}")


@pytest.mark.parametrize(
    "body",
    [
        "    - Slow site\n",  # an item of text is no step
        "    steps: []\n    - id: finds\n",  # the stage has its `steps`
    ],
    ids=["text-item", "steps-written"],
)
def test_no_steps_hint_where_steps_are_not_what_is_missing(tmp_path: Path, body: str) -> None:
    first = validate(tmp_path, body, STAGE)[0]
    assert "steps:" not in first
    assert "lines up with no list above: indent it 2 to follow the item on line 4" in first


def test_following_the_steps_hint_gives_a_valid_map(tmp_path: Path) -> None:
    path = tmp_path / "m.journey.yaml"
    path.write_text(STAGE + "    - id: finds-course\n      name: Finds the course\n", "utf-8")
    assert run("validate", path).code == 1
    path.write_text(STAGE + "    steps:\n      - id: finds-course\n        name: F\n", "utf-8")
    assert run("validate", path).code == 0


def test_a_second_document_says_a_file_holds_one_map(tmp_path: Path) -> None:
    """Trial: the parser's words alone, 'but found another document', started the message."""
    lines = validate(tmp_path, "        name: Sees an ad\n---\njourneymap: 1\ntitle: Another\n")
    assert lines[0] == (
        "m.journey.yaml:9:1: error syntax YAML syntax error: a second YAML document starts here: "
        "a file holds one map; delete this `---` line and what follows, or move it to a file of "
        "its own [YAML: but found another document (expected a single document in the stream)]"
    )


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (
            "journeymap: 1\n title: T\n",
            "2:2: error syntax YAML syntax error: this line is indented 1 space; the keys above "
            "use 0 (a deeper line continues the text of the line above)",
        ),
        (
            "journeymap: 1\ntitle: T\nstages:\n- id: a\n  name: A\n - id: b\n   name: B\n",
            "6:2: error syntax YAML syntax error: this list item is indented 1 space and lines up "
            "with no list above: indent it 0 to follow the item on line 4",
        ),
        (
            "journeymap: 1\ntitle: T\nstages:\n  - id: a\n    name: A\n    steps: []\n owner: x\n",
            "7:2: error syntax YAML syntax error: this line is indented 1 space; the keys above "
            "use 4 (line 6): line it up with them, or with the keys of line 3 (0 spaces) if it "
            "belongs there",
        ),
    ],
    ids=["continues-the-text", "list-item", "key"],
)
def test_one_space_is_one_space(tmp_path: Path, text: str, says: str) -> None:
    """Indented 1 space, the hint said "1 spaces"."""
    (tmp_path / "m.journey.yaml").write_text(text, "utf-8")
    first = run("validate", "m.journey.yaml", cwd=tmp_path).out.splitlines()[0]
    assert first.startswith(f"m.journey.yaml:{says} [YAML: ")
