"""The loader: YAML 1.2 scalars, positions, duplicate keys, tags, limits, encodings."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from journeymap.findings import Finding
from journeymap.loader import Limits, LoadError, compose, load, load_text


def test_yes_no_on_off_stay_text() -> None:
    doc = load_text("a: yes\nb: no\nc: on\nd: off\ne: true\nf: False\n", "t.yaml")
    assert doc.data == {"a": "yes", "b": "no", "c": "on", "d": "off", "e": True, "f": False}


def test_numbers_dates_and_null() -> None:
    doc = load_text("a: 12\nb: -1.5\nc: 2026-10-14\nd: ~\ne: 1:20\nf: 0x1F\n", "t.yaml")
    assert doc.data == {"a": 12, "b": -1.5, "c": "2026-10-14", "d": None, "e": "1:20", "f": 31}


def test_infinity_and_not_a_number_are_numbers() -> None:
    doc = load_text("a: .inf\nb: -.Inf\nc: +.INF\nd: .nan\ne: !!float 1_0\n", "t.yaml")
    a, b, c, d, e = doc.data.values()
    assert (a, b, c, e) == (float("inf"), float("-inf"), float("inf"), 10.0)
    assert d != d  # NaN


def test_huge_integer_literal_stays_text() -> None:
    digits = "9" * 5000
    assert load_text(f"a: {digits}\n", "t.yaml").data["a"] == digits
    # up to 64 digits a number is read as one
    doc = load_text(f"a: {'9' * 64}\nb: {'9' * 65}\nc: 0o17\n", "t.yaml")
    assert doc.data == {"a": int("9" * 64), "b": "9" * 65, "c": 15}


def test_extension_keys_are_dropped_at_every_level() -> None:
    doc = load_text("x-top: 1\na:\n  x-in: [1, 2]\n  b: 2\n", "t.yaml")
    assert doc.data == {"a": {"b": 2}}


def test_anchors_and_merge_keys() -> None:
    doc = load_text("base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\nl: [*b]\n", "t.yaml")
    assert doc.data["m"] == {"y": 3, "x": 1}
    assert doc.data["l"] == [{"x": 1, "y": 2}]
    assert doc.position("/m/x") == (1, 14)  # where the merged value is written


def test_a_list_of_merged_mappings_where_the_first_wins() -> None:
    text = "a: &a {x: 1, y: 2}\nb: &b {y: 3, z: 4}\nm:\n  <<: [*a, *b]\n  w: 5\n"
    doc = load_text(text, "t.yaml")
    assert doc.data["m"] == {"w": 5, "x": 1, "y": 2, "z": 4}
    # findings about merged values point where they are written
    assert [doc.position(f"/m/{k}") for k in "wxyz"] == [(5, 6), (1, 11), (1, 17), (2, 17)]


def test_positions_of_values_and_keys() -> None:
    text = "journeymap: 1\nstages:\n  - id: a\n    steps:\n      - {id: b, name: B}\n"
    doc = load_text(text, "t.yaml")
    assert doc.position("/stages/0") == (3, 5)
    assert doc.position("/stages/0/steps/0/name") == (5, 23)
    assert doc.position("/stages/0/steps", key=True) == (4, 5)
    assert doc.position("/stages/9/steps") == (3, 3)  # the deepest existing ancestor
    # what suppression directives are matched against: the nodes as far as they exist
    lines = [node.start_mark.line + 1 for node in doc.nodes_along("/stages/0/steps/9/name")]
    assert lines == [1, 3, 3, 5]


def test_duplicate_keys_are_all_reported_with_their_path() -> None:
    doc = load_text("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n", "t.yaml")
    found = [(f.rule, f.line, f.column, f.path) for f in doc.findings]
    assert found == [("duplicate-key", 4, 3, "/b/c"), ("duplicate-key", 5, 1, "/a")]


@pytest.mark.parametrize(
    ("text", "rule", "where", "words"),
    [
        ("a: [1, 2\n", "syntax", (1, 4), "this [ is never closed"),  # at the [, not past the end
        ("a: !!python/object:os.system x\n", "syntax", (1, 4), "not allowed"),
        ("a: !custom x\n", "syntax", (1, 4), "not allowed"),
        ("a: !!bool yes\n", "syntax", (1, 4), "tag tag:yaml.org,2002:bool is not allowed"),
        ("a: b\n\x07\n", "syntax", (2, 1), "U+0007"),
        ("a: ééé\x07\n", "syntax", (1, 7), "U+0007"),  # after text that is not ASCII
        ("a: x\x07\nb: y\x07\n", "syntax", (1, 5), "U+0007"),  # the first of two
        ('a: 日本\nb: "x\x1b"\n', "syntax", (2, 6), "U+001B"),
        ("- a\n- b\n", "schema", (1, 1), "top level must be a mapping"),
        ("just text\n", "schema", (1, 1), "top level must be a mapping"),
        ("# only a comment\n\n", "schema", (1, 1), "empty file"),
        ("", "schema", (1, 1), "empty file"),
        ("a: 1\n---\nb: 2\n", "syntax", (2, 1), "expected a single document"),
        ("? [a, b]\n: c\n", "schema", (1, 3), "mapping key must be plain text"),
        ("a: &x [*x]\n", "syntax", (1, 4), "the value would contain itself"),
    ],
)
def test_fatal_problems_are_located(
    text: str, rule: str, where: tuple[int, int], words: str
) -> None:
    with pytest.raises(LoadError) as caught:
        load_text(text, "t.yaml")
    finding = caught.value.finding
    assert (finding.rule, (finding.line, finding.column)) == (rule, where)
    assert words in finding.message


def test_alias_bomb_fails_fast() -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    with pytest.raises(LoadError) as caught:
        load_text("\n".join(lines) + "\n", "bomb.yaml")
    assert caught.value.finding.rule == "limits"
    assert "alias bomb" in caught.value.finding.message


@pytest.mark.parametrize("depth", [100, 200_000])
def test_deep_nesting_is_refused_before_parsing(depth: int) -> None:
    text = "a: " + "[" * depth + "]" * depth + "\n"
    with pytest.raises(LoadError) as caught:
        load_text(text, "deep.yaml")
    assert caught.value.finding.rule == "limits"
    assert "nesting deeper than the limit of 64" in caught.value.finding.message


def test_deep_block_nesting_is_refused() -> None:
    text = "".join(" " * i + f"k{i}:\n" for i in range(80)) + " " * 80 + "v: 1\n"
    with pytest.raises(LoadError) as caught:
        load_text(text, "deep.yaml")
    assert caught.value.finding.rule == "limits"


def test_brackets_inside_text_do_not_trip_the_depth_limit() -> None:
    text = "a: '" + "[" * 500 + "'\n"
    assert load_text(text, "t.yaml").data == {"a": "[" * 500}


def test_file_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 2000 + "\n")
    with pytest.raises(LoadError) as caught:
        load(path, limits=Limits(max_bytes=1000))
    assert caught.value.finding.rule == "limits"
    assert "larger than the limit of 1,000 bytes" in caught.value.finding.message


def test_latin1_is_located_at_the_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("journeymap: 1\ntitle: Caf\u00e9\n".encode("latin-1"))
    with pytest.raises(LoadError) as caught:
        load(path)
    finding = caught.value.finding
    assert (finding.rule, finding.line, finding.column) == ("encoding", 2, 11)
    assert "0xe9" in finding.message


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "image.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(LoadError) as caught:
        load(path)
    assert caught.value.finding.rule == "encoding"
    assert "binary" in caught.value.finding.message


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\n")
    assert load(path).data == {"a": 1}


class _LibyamlWithItsOwnLimit(yaml.SafeLoader):
    """A parser that, like libyaml since PyYAML 6.0.3, refuses deep nesting before any event."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.deep = "[" * 1000 in stream

    def check_event(self, *choices: Any) -> bool:
        if self.deep:
            raise yaml.scanner.ScannerError(
                "while increasing flow level", None, "exceeded maximum nesting depth", None
            )
        return bool(super().check_event(*choices))


@pytest.mark.parametrize("parser", ["installed", "limited"])
@pytest.mark.parametrize("depth", [65, 400, 999, 1000, 5000, 200_000])
def test_depth_limit_is_the_same_whatever_limits_libyaml_has(
    parser: str, depth: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    if parser == "limited":
        monkeypatch.setattr(compose, "BaseLoader", _LibyamlWithItsOwnLimit)
    text = "journeymap: 1\nx-deep: " + "[" * depth + "]" * depth + "\n"
    with pytest.raises(LoadError) as caught:
        load_text(text, "deep.yaml")
    finding = caught.value.finding
    # The root mapping is level 1, so the 64th bracket opens level 65: column 9 + 63.
    assert (finding.rule, finding.line, finding.column) == ("limits", 2, 72)
    assert finding.message.startswith("nesting deeper than the limit of 64 levels")


def test_a_parser_limit_while_composing_is_a_limit_not_a_syntax_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(self: Any) -> None:
        mark = yaml.Mark("deep.yaml", 0, 2, 5, "", 0)
        raise yaml.composer.ComposerError(None, None, "exceeded maximum nesting depth", mark)

    monkeypatch.setattr(compose.Loader, "get_single_node", refuse)
    with pytest.raises(LoadError) as caught:
        load_text("journeymap: 1\ntitle: t\nx: [[1]]\n", "deep.yaml")
    finding = caught.value.finding
    assert (finding.rule, finding.line, finding.column) == ("limits", 3, 6)


def test_quoted_closing_brackets_cannot_hide_nesting() -> None:
    # `["]",` per level: counting brackets naively, each level opens one and closes one.
    text = "journeymap: 1\nx: " + '["]",' * 400 + "1" + "]" * 400 + "\n"
    with pytest.raises(LoadError) as caught:
        load_text(text, "hidden.yaml")
    finding = caught.value.finding
    assert (finding.rule, finding.line) == ("limits", 2)
    assert finding.column == 4 + 63 * 5


def test_a_long_line_is_cut_around_the_caret_in_code_frames(tmp_path: Path) -> None:
    from journeymap.findings import Finding, Severity
    from journeymap.report.text import TextReporter

    path = tmp_path / "long.yaml"
    path.write_text("a: 1\n" + "x" * 1999 + "Y" + "x" * 1000 + "\n")
    finding = Finding(str(path), 2, 2000, "limits", Severity.ERROR, "m")
    frame = TextReporter().frame(finding, color=False)
    assert all(len(line) < 200 for line in frame), [len(line) for line in frame]
    shown, caret = frame[-2], frame[-1]
    assert shown.split(" | ", 1)[1].startswith("…") and shown.endswith("…")
    assert caret.index("^") == shown.index("Y")  # under the 2000th character


def test_a_long_duplicate_key_is_quoted_short_on_one_line() -> None:
    key = "k" * 100
    document = load_text(f"{key}: 1\n{key}: 2\n", "t.yaml")
    (finding,) = document.findings
    assert (finding.line, finding.column) == (2, 1)
    assert finding.message == (
        f"duplicate key '{'k' * 79}…': a key may appear only once in a mapping"
    )
    key = "k" * 80  # as long as a quote may be: whole
    (finding,) = load_text(f"{key}: 1\n{key}: 2\n", "t.yaml").findings
    assert finding.message.startswith(f"duplicate key '{key}': ")


def test_a_file_loaded_without_a_display_name_is_named_by_its_path(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("a: 1\na: 2\n", "utf-8")
    document = load(path)
    assert document.display == str(path)
    assert [f.file for f in document.findings] == [str(path)]


def test_a_raised_size_limit_reads_the_whole_file(tmp_path: Path) -> None:
    """A file over the default 4 MiB loads whole when `max-bytes` is raised (not cut at 4 MiB)."""
    path = tmp_path / "big.yaml"
    path.write_text("#" * (5 * 1024 * 1024) + "\na: 1\n", "utf-8")
    assert load(path, "big.yaml", Limits(max_bytes=8 * 1024 * 1024)).data == {"a": 1}
    with pytest.raises(LoadError) as caught:
        load(path, "big.yaml")
    assert caught.value.finding.rule == "limits"


def _refusal(path: Path) -> Finding:
    """The finding `load` refuses PATH with, shown as `m.journey.yaml`."""
    with pytest.raises(LoadError) as caught:
        load(path, "m.journey.yaml")
    return caught.value.finding


def test_a_fifo_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "m.journey.yaml"
    os.mkfifo(path)
    finding = _refusal(path)
    assert (finding.file, finding.line, finding.column, finding.rule) == (
        "m.journey.yaml",
        1,
        1,
        "encoding",
    )
    assert finding.message == (
        "not a regular file (a FIFO, device or socket): journeymap reads only files"
    )


def test_a_true_or_false_key_is_the_text_true_or_false() -> None:
    assert load_text("true: 1\nfalse: 2\n", "t.yaml").data == {"true": 1, "false": 2}


def test_the_node_limit_admits_a_file_of_exactly_that_many_nodes() -> None:
    assert load_text("{}\n", "t.yaml", limits=Limits(max_nodes=1)).data == {}
    with pytest.raises(LoadError) as caught:
        load_text("{}\n", "t.yaml", limits=Limits(max_nodes=0))
    assert caught.value.finding.rule == "limits"


@pytest.mark.parametrize("extension", ["[1, 2]", "{b: 1}"])
def test_the_node_limit_counts_an_extension_key_whole(extension: str) -> None:
    # the mapping, its two keys, 1, and the extension's value: a collection of two nodes
    text = f"journeymap: 1\nx-a: {extension}\n"
    assert load_text(text, "t.yaml", limits=Limits(max_nodes=7)).data == {"journeymap": 1}
    with pytest.raises(LoadError) as caught:
        load_text(text, "t.yaml", limits=Limits(max_nodes=6))
    finding = caught.value.finding
    assert (finding.rule, finding.line, finding.column) == ("limits", 2, 6)


def test_a_binary_file_is_refused_with_what_it_is(tmp_path: Path) -> None:
    path = tmp_path / "m.journey.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    finding = _refusal(path)
    assert (finding.line, finding.column, finding.rule) == (1, 1, "encoding")
    assert finding.message == "binary file: contains NUL bytes, not UTF-8 YAML text"


def test_a_byte_that_is_not_utf8_is_located_on_its_own_line(tmp_path: Path) -> None:
    path = tmp_path / "m.journey.yaml"
    path.write_bytes("journeymap: 1\ntitle: Café\nnote: caf\xe9\n".encode("latin-1"))
    finding = _refusal(path)
    assert (finding.line, finding.column, finding.rule) == (2, 11, "encoding")
    assert finding.message == (
        "not UTF-8: byte 0xe9 at line 2 cannot be decoded (save the file as UTF-8)"
    )
    path.write_bytes(b"journeymap: 1\ntitle: x\nnote: caf\xe9\n")
    finding = _refusal(path)
    assert (finding.line, finding.column) == (3, 10)


def test_a_folder_named_like_a_map_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.journey.yaml"
    path.mkdir()
    finding = _refusal(path)
    assert (finding.line, finding.column, finding.rule) == (1, 1, "syntax")
    assert finding.message == "is a directory, not a YAML file"


@pytest.mark.parametrize(
    ("text", "nodes"),
    [
        ("a: [1, 2, 3]\n", 6),  # the mapping and its key, the list, three numbers
        # with an anchor, text is charged too (a node per 64 characters): aliases repeat it
        ("a: &x " + "9" * 640 + "\n", 13),
        ("a: &x [" + "y" * 640 + "]\n", 14),
        ("a: &x {b: " + "y" * 640 + "}\n", 15),
    ],
)
def test_the_node_limit_at_its_threshold(text: str, nodes: int) -> None:
    assert load_text(text, "t.yaml", limits=Limits(max_nodes=nodes)).data
    with pytest.raises(LoadError) as caught:
        load_text(text, "t.yaml", limits=Limits(max_nodes=nodes - 1))
    assert caught.value.finding.rule == "limits"


def test_a_file_of_byte_order_marks_and_comments_is_empty(tmp_path: Path) -> None:
    path = tmp_path / "m.journey.yaml"
    path.write_bytes(b"\xef\xbb\xbf\xef\xbb\xbf# a byte-order mark too many\n")
    finding = _refusal(path)
    assert (finding.line, finding.column, finding.rule) == (1, 1, "schema")
    assert finding.message == "empty file: a map needs at least `journeymap: 1`"


def test_a_chain_of_aliases_nesting_deeper_than_the_limit_is_refused() -> None:
    """The text nests two levels; its aliases nest 70 (each list holds the one before)."""
    text = "a0: &a0\n- x\n" + "".join(f"a{i}: &a{i}\n- *a{i - 1}\n" for i in range(1, 70))
    with pytest.raises(LoadError) as caught:
        load_text(text, "t.yaml")
    finding = caught.value.finding
    assert (finding.rule, finding.line, finding.column) == ("limits", 1, 5)
    assert finding.message.startswith("nesting deeper than the limit of 64 levels")
