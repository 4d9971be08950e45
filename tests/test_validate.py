"""`journeymap validate` as a user runs it: messages, code frames, formats, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import EXAMPLES, run, run_process

GOOD = """\
journeymap: 1
title: Good
personas:
  - {id: sam, name: Sam}
channels:
  - {id: web, name: Website, kind: digital}
stages:
  - id: awareness
    name: Awareness
    steps:
      - id: sees-ad
        name: Sees an ad
        persona: sam
        channel: web
        emotion: 1
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def test_examples_are_valid() -> None:
    result = run("validate", EXAMPLES)
    assert result.code == 0, result.out
    assert result.out.endswith("all valid\n")


def test_text_output_has_location_frame_caret_and_did_you_mean(tmp_path: Path) -> None:
    path = write(tmp_path, "m.journey.yaml", GOOD.replace("emotion: 1", "emotions: 1"))
    result = run("validate", path, cwd=tmp_path)
    assert result.code == 1
    assert result.out.splitlines() == [
        "m.journey.yaml:15:9: error schema unknown key 'emotions' (did you mean 'emotion'?)",
        " 14 |         channel: web",
        " 15 |         emotions: 1",
        "    |         ^",
        "1 file checked: 1 error, 0 warnings",
    ]


def test_all_problems_of_a_file_in_one_run(tmp_path: Path) -> None:
    text = GOOD.replace("persona: sam", "persona: sma").replace("emotion: 1", "emotion: 5")
    text = text.replace("channel: web", "channel: webb") + "      - id: sees-ad\n        name: x\n"
    path = write(tmp_path, "m.journey.yaml", text)
    result = run("validate", "--format", "json", path, cwd=tmp_path)
    assert result.code == 1
    found = [
        (f["rule"], f["line"], f["column"], f["path"]) for f in json.loads(result.out)["findings"]
    ]
    assert found == [
        ("reference", 13, 18, "/stages/0/steps/0/persona"),
        ("reference", 14, 18, "/stages/0/steps/0/channel"),
        ("schema", 15, 18, "/stages/0/steps/0/emotion"),
        ("duplicate-id", 16, 13, "/stages/0/steps/1/id"),
    ]


def test_json_shape(tmp_path: Path) -> None:
    path = write(tmp_path, "m.journey.yaml", GOOD.replace("title: Good\n", ""))
    result = run("validate", "-f", "json", path, cwd=tmp_path)
    body = json.loads(result.out)
    assert body == {
        "findings": [
            {
                "file": "m.journey.yaml",
                "line": 1,
                "column": 1,
                "rule": "schema",
                "severity": "error",
                "message": "map is missing required key 'title'",
                "path": "",
            }
        ],
        "summary": {
            "files": 1,
            "errors": 1,
            "warnings": 0,
            "infos": 0,
            "suppressed": 0,
            "passed_over": 0,
            "links_not_followed": 0,
        },
    }


def test_directory_takes_only_journeymap_files(tmp_path: Path) -> None:
    write(tmp_path, "maps/a.journey.yaml", GOOD)
    write(tmp_path, "maps/other.yaml", "name: some CI config\n")
    write(tmp_path, "maps/sub/b.yml", GOOD.replace("Good", "B"))
    result = run("validate", "--verbose", "maps", cwd=tmp_path)
    assert result.code == 0
    assert "2 files checked, 1 passed over (not maps; -v names them): all valid" in result.out
    assert "passed over maps/other.yaml" in result.err


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = run("validate", tmp_path / "nope.yaml")
    assert result.code == 2
    assert "no such file or directory" in result.err


def test_directory_without_maps_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "ci.yaml", "a: 1\n")
    result = run("validate", tmp_path)
    assert result.code == 2
    assert "no journeymap files found" in result.err


def test_a_file_named_explicitly_must_be_a_map(tmp_path: Path) -> None:
    path = write(tmp_path, "ci.yaml", "a: 1\n")
    result = run("validate", path, cwd=tmp_path)
    assert result.code == 1
    assert "ci.yaml:1:1: error version missing the format version" in result.out


def test_a_missing_version_is_a_finding_about_the_whole_map(tmp_path: Path) -> None:
    write(tmp_path, "m.journey.yaml", GOOD.replace("journeymap: 1\n", ""))
    result = run("validate", "--format", "json", "m.journey.yaml", cwd=tmp_path)
    [finding] = json.loads(result.out)["findings"]
    assert (finding["line"], finding["column"], finding["path"]) == (1, 1, "")


def test_one_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    write(tmp_path, "a.journey.yaml", GOOD)
    write(tmp_path, "b.journey.yaml", "journeymap: 1\ntitle: [unclosed\n")
    write(tmp_path, "c.journey.yaml", GOOD.replace("emotion: 1", "emotion: 9"))
    result = run("validate", "-f", "json", ".", cwd=tmp_path)
    body = json.loads(result.out)
    assert result.code == 1
    assert body["summary"]["files"] == 3
    assert sorted({f["file"] for f in body["findings"]}) == ["b.journey.yaml", "c.journey.yaml"]


@pytest.mark.parametrize(
    ("content", "rule", "line", "column"),
    [
        (b"", "schema", 1, 1),
        (b"\x00\x01\x02binary", "encoding", 1, 1),
        ("journeymap: 1\ntitle: Caf\u00e9\n".encode("latin-1"), "encoding", 2, 11),
    ],
    ids=["empty", "binary", "latin-1"],
)
def test_generated_broken_files(
    tmp_path: Path, content: bytes, rule: str, line: int, column: int
) -> None:
    path = tmp_path / "m.journey.yaml"
    path.write_bytes(content)
    result = run("validate", "-f", "json", path)
    assert result.code == 1
    [finding] = json.loads(result.out)["findings"]
    assert (finding["rule"], finding["line"], finding["column"]) == (rule, line, column)


def test_huge_file_is_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "huge.journey.yaml"
    with path.open("w") as handle:
        handle.write("journeymap: 1\ntitle: huge\nx-padding:\n")
        handle.writelines(f"  - line {i} of padding text\n" for i in range(200_000))
    result = run("validate", "-f", "json", path)
    assert result.code == 1
    [finding] = json.loads(result.out)["findings"]
    assert (finding["rule"], finding["line"], finding["column"]) == ("limits", 1, 1)
    # The text report does not read it whole for a code frame either.
    result = run("validate", "huge.journey.yaml", cwd=tmp_path)
    assert result.out.splitlines() == [
        "huge.journey.yaml:1:1: error limits file is larger than the limit of 4,194,304 bytes "
        "(raise `limits.max-bytes` in the configuration if this is intended)",
        "1 file checked: 1 error, 0 warnings",
    ]


def test_limits_are_configurable(tmp_path: Path) -> None:
    write(tmp_path, "journeymap.toml", "[limits]\nmax-bytes = 100\n")
    path = write(tmp_path, "m.journey.yaml", GOOD)
    result = run("validate", path, cwd=tmp_path)
    assert result.code == 1
    assert "larger than the limit of 100 bytes" in result.out


def test_bad_config_is_exit_2_with_file_and_hint(tmp_path: Path) -> None:
    write(tmp_path, "journeymap.toml", "fail_on = 'warning'\n")
    path = write(tmp_path, "m.journey.yaml", GOOD)
    result = run("validate", path, cwd=tmp_path)
    assert result.code == 2
    assert "journeymap.toml:1:1: unknown key 'fail_on' (did you mean 'fail-on'?)" in result.err


def test_library_is_validated_and_used(tmp_path: Path) -> None:
    write(tmp_path, ".git/HEAD", "")
    write(
        tmp_path,
        "shared/people.yaml",
        "journeymap: 1\nkind: library\npersonas:\n  - {id: ana, name: Ana}\n",
    )
    text = GOOD.replace("title: Good\n", "title: Good\nuses: [shared/people.yaml]\n")
    text = text.replace("persona: sam", "persona: ana")
    write(tmp_path, "m.journey.yaml", text)
    result = run("validate", ".", cwd=tmp_path)
    assert result.code == 0, result.out
    assert "2 files checked: all valid" in result.out


def test_uses_may_not_leave_the_project(tmp_path: Path) -> None:
    write(tmp_path, "outside/lib.yaml", "journeymap: 1\nkind: library\npersonas: []\n")
    write(tmp_path, "project/.git/HEAD", "")
    text = GOOD.replace("title: Good\n", "title: Good\nuses:\n  - ../outside/lib.yaml\n")
    path = write(tmp_path, "project/m.journey.yaml", text)
    result = run("validate", "-f", "json", path, cwd=tmp_path / "project")
    [finding] = json.loads(result.out)["findings"]
    assert (finding["rule"], finding["line"], finding["column"]) == ("reference", 4, 5)
    assert "outside the project root" in finding["message"]


def test_each_unusable_library_is_its_own_finding_at_its_entry(tmp_path: Path) -> None:
    write(tmp_path, ".git/HEAD", "")
    write(
        tmp_path,
        "lib/people.yaml",
        "journeymap: 1\nkind: library\npersonas:\n  - {id: sam, name: Sam}\n",
    )
    write(tmp_path, "lib/broken.yaml", "journeymap: 1\nkind: library\npersonas:\n  - {id: Bad}\n")
    write(tmp_path, "lib/a-map.yaml", GOOD)
    uses = [
        "lib/people.yaml",
        "lib/missing.yaml",
        "lib/broken.yaml",
        "lib/a-map.yaml",
        '"a\\0b"',
        "lib",
        "x" * 300,
        "../outside.yaml",
    ]
    listed = "".join(f"  - {entry}\n" for entry in uses)
    write(
        tmp_path, "m.journey.yaml", GOOD.replace("title: Good\n", f"title: Good\nuses:\n{listed}")
    )
    result = run("validate", "m.journey.yaml", cwd=tmp_path)
    assert result.code == 1
    assert [line for line in result.out.splitlines() if ": error " in line] == [
        "m.journey.yaml:5:5: error reference library file 'lib/missing.yaml' not found",
        "m.journey.yaml:6:5: error reference library 'lib/broken.yaml' has 2 format errors; "
        "validate it for details",
        "m.journey.yaml:7:5: error reference 'lib/a-map.yaml' is a map, not a library "
        "(kind: library)",
        "m.journey.yaml:8:5: error reference 'a?b' is not a usable path: embedded null byte",
        "m.journey.yaml:9:5: error reference library file 'lib' not found",
        f"m.journey.yaml:10:5: error reference '{'x' * 300}' is not a usable path: File name "
        "too long",
        f"m.journey.yaml:11:5: error reference '../outside.yaml' is outside the project root "
        f"({tmp_path}); libraries must stay inside the project",
        # the persona of the one good library clashes with the map's own
        "m.journey.yaml:13:10: error duplicate-id duplicate persona id 'sam': already defined "
        "on lib/people.yaml:4",
    ]


def test_a_file_name_that_is_no_id_asks_for_one(tmp_path: Path) -> None:
    write(tmp_path, "Bad Name.journey.yaml", GOOD)
    result = run("validate", "Bad Name.journey.yaml", cwd=tmp_path)
    assert result.code == 1
    assert result.out.splitlines()[0] == (
        "Bad Name.journey.yaml:1:1: error schema the file name 'Bad Name.journey.yaml' does not "
        "give a valid map id; add `id:` with a slug (did you mean 'bad-name'?)"
    )
    (tmp_path / "Bad Name.journey.yaml").write_text(GOOD + "id: bad-name\n", "utf-8")
    assert run("validate", "Bad Name.journey.yaml", cwd=tmp_path).code == 0


def test_an_id_hint_keeps_letters_with_accents(tmp_path: Path) -> None:
    """Trial: `zahnärztin` was offered as 'zahn-rztin', `café-suche` as 'caf-suche'."""
    write(tmp_path, "Zahnärztin.journey.yaml", GOOD)
    result = run("validate", "Zahnärztin.journey.yaml", cwd=tmp_path)
    assert result.code == 1
    assert result.out.splitlines()[0] == (
        "Zahnärztin.journey.yaml:1:1: error schema the file name 'Zahnärztin.journey.yaml' does "
        "not give a valid map id; add `id:` with a slug (did you mean 'zahnarztin'?)"
    )
    write(tmp_path, "c.journey.yaml", GOOD.replace("id: sees-ad", "id: café-suche"))
    assert run("validate", "c.journey.yaml", cwd=tmp_path).out.splitlines()[0] == (
        "c.journey.yaml:11:13: error schema 'café-suche' is not a valid id: use lowercase "
        "letters and digits, words joined by '-' or '_' (did you mean 'cafe-suche'?)"
    )
    write(tmp_path, "s.journey.yaml", GOOD.replace("id: sees-ad", "id: Große-Straße"))
    assert "(did you mean 'grosse-strasse'?)" in run("validate", "s.journey.yaml", cwd=tmp_path).out


def test_uses_through_a_symlink_that_leaves_the_project(tmp_path: Path) -> None:
    write(tmp_path, "outside/lib.yaml", "journeymap: 1\nkind: library\npersonas: []\n")
    write(tmp_path, "project/.git/HEAD", "")
    (tmp_path / "project/link.yaml").symlink_to(tmp_path / "outside/lib.yaml")
    text = GOOD.replace("title: Good\n", "title: Good\nuses: [link.yaml]\n")
    path = write(tmp_path, "project/m.journey.yaml", text)
    result = run("validate", path, cwd=tmp_path / "project")
    assert result.code == 1
    assert "outside the project root" in result.out


def test_version_and_help_and_module_entry_point() -> None:
    assert run("--version").out.startswith("journeymap ")
    result = run_process("validate", "--help")
    assert result.code == 0
    assert "Exit codes" in run_process("--help").out
    assert "--format" in result.out


def test_usage_error_is_exit_2() -> None:
    result = run("validate", "--format", "xml", str(EXAMPLES))
    assert result.code == 2
    assert "xml" in result.err


def test_internal_error_is_one_line_without_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from journeymap import inspection

    def boom(*_: object) -> None:
        raise RuntimeError("simulated")

    monkeypatch.setattr(inspection.Inspector, "inspect", boom)
    path = write(tmp_path, "m.journey.yaml", GOOD)
    result = run("validate", "--no-cache", path)
    assert result.code == 2
    # A bug met on one file is that file's finding (the others would still be checked).
    head = result.out.splitlines()[0]
    assert head.startswith(f"{path}:1:1: error internal internal error while checking this ")
    assert "RuntimeError: simulated" in head and "--debug" in head
    assert "Traceback" not in result.out + result.err


def test_code_frame_neutralises_terminal_control_and_bidi_characters(tmp_path: Path) -> None:
    bidi = GOOD.replace("name: Sees an ad", "name: Sees \u202ean ad\n        emotions: 1")
    escape = GOOD.replace("name: Sees an ad", "name: Sees \x1b[31man ad")
    write(tmp_path, "bidi.journey.yaml", bidi)
    write(tmp_path, "escape.journey.yaml", escape)
    result = run("validate", ".", cwd=tmp_path)
    assert result.code == 1
    assert "\x1b" not in result.out and "\u202e" not in result.out
    assert " 12 |         name: Sees ?an ad" in result.out
    assert " 12 |         name: Sees ?[31man ad" in result.out
    assert "escape.journey.yaml:12:20: error syntax character U+001B is not allowed" in result.out


BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


@pytest.mark.parametrize("char", list(BIDI_CONTROLS), ids=lambda c: f"U+{ord(c):04X}")
def test_code_frame_shows_each_bidi_control_as_a_question_mark(tmp_path: Path, char: str) -> None:
    text = GOOD.replace("name: Sees an ad", f"name: Sees {char}an ad\n        emotions: 1")
    write(tmp_path, "bidi.journey.yaml", text)
    result = run("validate", ".", cwd=tmp_path)
    assert result.code == 1
    assert char not in result.out
    assert " 12 |         name: Sees ?an ad" in result.out


def test_an_unreadable_file_is_its_own_finding_and_the_others_are_checked(tmp_path: Path) -> None:
    good = write(tmp_path, "good.journey.yaml", GOOD)
    unreadable = tmp_path / "bad.journey.yaml"
    unreadable.symlink_to("/proc/self/mem")  # reading it fails with EIO, even as root
    result = run("validate", "-f", "json", good.name, unreadable.name, cwd=tmp_path)
    assert result.code == 1, result.err
    body = json.loads(result.out)
    assert body["summary"]["files"] == 2
    [finding] = body["findings"]
    assert (finding["file"], finding["rule"], finding["line"]) == (
        "bad.journey.yaml",
        "encoding",
        1,
    )
    assert finding["message"].startswith("cannot read: ")


def test_a_file_full_of_unknown_keys_lists_the_first_thousand_then_counts_the_rest(
    tmp_path: Path,
) -> None:
    path = tmp_path / "keys.journey.yaml"
    path.write_text(
        "journeymap: 1\ntitle: T\n" + "".join(f"k{i}: 1\n" for i in range(5000)),
        encoding="utf-8",
    )
    result = run("validate", "--no-cache", "--format", "json", path)
    assert result.code == 1
    findings = json.loads(result.out)["findings"]
    assert len(findings) == 1001
    last = findings[-1]
    assert (last["rule"], last["line"], last["column"]) == ("schema", 1003, 1)
    assert last["message"].startswith("4,000 more schema problems from here on are not listed")


@pytest.mark.parametrize("count", [1000, 1001])
def test_a_thousand_schema_problems_are_all_listed_and_one_more_is_counted(
    tmp_path: Path, count: int
) -> None:
    path = tmp_path / "keys.journey.yaml"
    path.write_text(
        "journeymap: 1\ntitle: T\n" + "".join(f"k{i}: 1\n" for i in range(count)), "utf-8"
    )
    result = run("validate", "--format", "json", path)
    findings = json.loads(result.out)["findings"]
    assert len(findings) == 1000 + (count > 1000)
    assert findings[999]["message"] == "unknown key 'k999' (extension keys must start with 'x-')"
    if count > 1000:
        assert findings[-1]["message"] == (
            "1 more schema problem from here on is not listed (only the first 1,000 of a file "
            "are); fix these first"
        )


@pytest.mark.parametrize(
    ("item", "column", "path"),
    [("{id: B%d, name: x}", 10, "/personas/1000/id"), ("{id: b%d}", 5, "/personas/1000")],
    ids=["bad-value", "missing-key"],
)
def test_the_count_of_schema_problems_not_listed_is_where_the_next_one_would_be(
    tmp_path: Path, item: str, column: int, path: str
) -> None:
    personas = "".join(f"  - {item % i}\n" for i in range(1001))
    listed = tmp_path / "many.journey.yaml"
    listed.write_text(f"journeymap: 1\ntitle: T\npersonas:\n{personas}", "utf-8")
    findings = json.loads(run("validate", "--format", "json", listed).out)["findings"]
    assert len(findings) == 1001
    first, last = findings[0], findings[-1]
    assert (first["line"], first["column"]) == (4, column)  # as each listed one is located
    assert (last["line"], last["column"], last["path"]) == (1004, column, path)
    assert last["message"].startswith("1 more schema problem from here on is not listed")


def test_a_reference_to_steps_written_without_ids_does_not_say_there_are_none(
    tmp_path: Path,
) -> None:
    """Two steps without `id`: the `next` said "(the map defines no steps)"."""
    text = GOOD.replace("      - id: sees-ad\n", "      - next: [sees-the-ad]\n")
    text += "      - name: Buys\n"
    write(tmp_path, "m.journey.yaml", text)
    result = run("validate", "--format", "json", "m.journey.yaml", cwd=tmp_path)
    messages = [f["message"] for f in json.loads(result.out)["findings"]]
    assert "unknown step 'sees-the-ad' (the map's steps have no ids)" in messages
    assert not any("defines no" in m for m in messages)


def test_did_you_mean_stops_when_its_comparisons_run_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hostile map with thousands of unknown references would take hours of "did you mean";
    the comparisons per file are bounded (200,000; 4 here), and the findings are all kept."""
    from journeymap.validation import references

    monkeypatch.setattr(references, "HINT_COMPARISONS", 4)
    text = GOOD.replace("emotion: 1", "emotion: 1\n        next: [sees-adx, sees-aa, sees-ab]")
    text += "      - {id: sees-tv, name: Sees a TV}\n"
    write(tmp_path, "m.journey.yaml", text)
    result = run("validate", "--format", "json", "m.journey.yaml", cwd=tmp_path)
    assert [f["message"] for f in json.loads(result.out)["findings"]] == [
        "unknown step 'sees-adx' (did you mean 'sees-ad'?)",  # 2 comparisons, 2 left
        "unknown step 'sees-aa' (did you mean 'sees-ad' or 'sees-tv'?)",  # 2 more, none left
        "unknown step 'sees-ab'",
    ]


# (what to change in GOOD, the first line of `validate`'s text report)
SCHEMA_MESSAGES = {
    "bool": (
        ("emotion: 1", "emotion: true"),
        "m.journey.yaml:15:18: error schema 'emotion' must be a whole number from -2 to +2; "
        "got true",
    ),
    "moment-yes": (  # YAML 1.2 has no `yes`; pydantic's lax mode made it true
        ("emotion: 1", "emotion: 1\n        moment_of_truth: yes"),
        "m.journey.yaml:16:26: error schema 'moment_of_truth' must be true or false; got 'yes'",
    ),
    "moment-one": (
        ("emotion: 1", "emotion: 1\n        moment_of_truth: 1"),
        "m.journey.yaml:16:26: error schema 'moment_of_truth' must be true or false; got the "
        "number 1",
    ),
    "moment-quoted": (
        ("emotion: 1", "emotion: 1\n        moment_of_truth: 'true'"),
        "m.journey.yaml:16:26: error schema 'moment_of_truth' must be true or false; got 'true'",
    ),
    "mapping": (
        ("emotion: 1", "emotion: {a: 1}"),
        "m.journey.yaml:15:18: error schema 'emotion' must be a number; got a mapping",
    ),
    "list": (
        ("emotion: 1", "emotion: [1]"),
        "m.journey.yaml:15:18: error schema 'emotion' must be a number; got a list",
    ),
    "fraction": (
        ("emotion: 1", "emotion: 1.5"),
        "m.journey.yaml:15:18: error schema 'emotion' must be a whole number from -2 to +2; "
        "got the number 1.5",
    ),
    "out-of-range": (
        ("emotion: 1", "emotion: 3"),
        "m.journey.yaml:15:18: error schema emotion must be a whole number from -2 to +2; "
        "got the number 3",
    ),
    "below-range": (
        ("emotion: 1", "emotion: -3"),
        "m.journey.yaml:15:18: error schema emotion must be a whole number from -2 to +2; "
        "got the number -3",
    ),
    "text-of-40": (
        ("emotion: 1", "emotion: " + "y" * 40),
        "m.journey.yaml:15:18: error schema 'emotion' must be a whole number from -2 to +2; "
        f"got '{'y' * 40}'",
    ),
    "text-of-41-is-cut": (
        ("emotion: 1", "emotion: " + "x" * 41),
        "m.journey.yaml:15:18: error schema 'emotion' must be a whole number from -2 to +2; "
        f"got '{'x' * 40}…'",
    ),
    "text-for-a-list": (
        ("title: Good", "title: [a]"),
        "m.journey.yaml:2:8: error schema 'title' must be text; got a list",
    ),
    "number-for-text": (
        ("id: sees-ad", "id: 5"),
        "m.journey.yaml:11:13: error schema 'id' must be text; got the number 5",
    ),
    "bad-id-with-slug-hint": (
        ("id: sees-ad", "id: Sees An Ad!"),
        "m.journey.yaml:11:13: error schema 'Sees An Ad!' is not a valid id: use lowercase "
        "letters and digits, words joined by '-' or '_' (did you mean 'sees-an-ad'?)",
    ),
    "bad-id-without-a-slug": (
        ("id: sees-ad", "id: '--'"),
        "m.journey.yaml:11:13: error schema '--' is not a valid id: use lowercase letters and "
        "digits, words joined by '-' or '_'",
    ),
    "enum-near-miss": (
        ("kind: digital", "kind: digitall"),
        "m.journey.yaml:6:36: error schema 'kind' must be one of digital, physical, human, "
        "partner; got 'digitall' (did you mean 'digital'?)",
    ),
    "enum-number": (
        ("kind: digital", "kind: 3"),
        "m.journey.yaml:6:36: error schema 'kind' must be one of digital, physical, human, "
        "partner; got the number 3",
    ),
    "empty-text": (
        ("name: Sam", "name: ''"),
        "m.journey.yaml:4:21: error schema 'name' must not be empty",
    ),
    "bad-date": (
        ("title: Good", "title: Good\nupdated: 2024-13-01"),
        "m.journey.yaml:3:10: error schema 'updated' must be a date (YYYY-MM-DD); got '2024-13-01'",
    ),
    "date-with-time": (
        ("title: Good", "title: Good\nupdated: 2024-01-01T10:00:00"),
        "m.journey.yaml:3:10: error schema 'updated' must be a date (YYYY-MM-DD) without a "
        "time; got '2024-01-01T10:00:00'",
    ),
    "number-or-text": (
        ("emotion: 1", "emotion: 1\n        kpis: [{name: k, target: [1]}]"),
        "m.journey.yaml:16:34: error schema 'target' must be a number or text; got a list",
    ),
    "too-long": (
        ("emotion: 1", "emotion: 1\n        events: [{name: e, where: {a: " + "z" * 1001 + "}}]"),
        "m.journey.yaml:16:39: error schema 'a' is too long: at most 1,000 characters; got 1,001",
    ),
    "checked-by-the-model": (
        ("emotion: 1", "emotion: 1\n        feedback: [{method: interview, survey: s1}]"),
        "m.journey.yaml:16:48: error schema `survey` needs a scored method (csat, nps or ces) "
        "to read its answers; got method 'interview'",
    ),
    "survey-on-a-stage": (
        (
            "    name: Awareness\n",
            "    name: Awareness\n    feedback: [{method: csat, survey: s1}]\n",
        ),
        "m.journey.yaml:10:31: error schema a stage's feedback cannot name a `survey`: surveys "
        "are measured per step; move this feedback to the step where the survey is asked",
    ),
    "missing-in-a-stage": (
        ("    name: Awareness\n", ""),
        "m.journey.yaml:8:5: error schema stage is missing required key 'name'",
    ),
    "missing-in-an-event": (
        ("emotion: 1", "emotion: 1\n        events: [{where: {a: 1}}]"),
        "m.journey.yaml:16:18: error schema event is missing required key 'name'",
    ),
    "unknown-key-nothing-close": (
        ("title: Good", "title: Good\nqqqq: 1"),
        "m.journey.yaml:3:1: error schema unknown key 'qqqq' (extension keys must start with 'x-')",
    ),
    "version-misspelt": (
        ("journeymap: 1", "journeymapp: 1"),
        "m.journey.yaml:1:1: error version unknown key 'journeymapp' (did you mean "
        "'journeymap'?): the format version is missing; write `journeymap: 1`",
    ),
    "version-2": (
        ("journeymap: 1", "journeymap: 2"),
        "m.journey.yaml:1:13: error version unsupported format version 2: this journeymap "
        "reads `journeymap: 1`",
    ),
    "version-1.5": (
        ("journeymap: 1", "journeymap: 1.5"),
        "m.journey.yaml:1:13: error version unsupported format version 1.5: this journeymap "
        "reads `journeymap: 1`",
    ),
    "version-null": (
        ("journeymap: 1", "journeymap: null"),
        "m.journey.yaml:1:13: error version unsupported format version nothing (null): this "
        "journeymap reads `journeymap: 1`",
    ),
    "version-true": (
        ("journeymap: 1", "journeymap: true"),
        "m.journey.yaml:1:13: error version unsupported format version true: this journeymap "
        "reads `journeymap: 1`",
    ),
    "version-text": (
        ("journeymap: 1", "journeymap: '1'"),
        "m.journey.yaml:1:13: error version unsupported format version '1': this journeymap "
        "reads `journeymap: 1`",
    ),
    "version-a-mapping": (
        ("journeymap: 1", "journeymap: {stage: check}"),
        "m.journey.yaml:1:13: error version `journeymap:` holds a mapping, not a format version: "
        "a map starts with `journeymap: 1` (a file of another tool with a `journeymap` entry, "
        "such as a CI job, is not a map: name it otherwise than *.journey.yaml, or exclude it "
        "in the configuration)",
    ),
    "no-personas": (
        ("personas:\n  - {id: sam, name: Sam}\n", ""),
        "m.journey.yaml:11:18: error reference unknown persona 'sam' (the map defines no personas)",
    ),
    "next-near-miss": (
        ("emotion: 1", "emotion: 1\n        next: [sees-adx]"),
        "m.journey.yaml:16:16: error reference unknown step 'sees-adx' (did you mean 'sees-ad'?)",
    ),
    "kpi-from": (
        ("emotion: 1", "emotion: 1\n        kpis: [{name: k, measure: conversion, from: nope}]"),
        "m.journey.yaml:16:53: error reference unknown step 'nope' (known steps: 'sees-ad')",
    ),
    "stage-kpi-to": (
        (
            "    name: Awareness\n",
            "    name: Awareness\n    kpis: [{name: k, measure: reach, to: x}]\n",
        ),
        "m.journey.yaml:10:42: error reference unknown step 'x' (known steps: 'sees-ad')",
    ),
    "version-missing": (
        ("journeymap: 1\n", ""),
        "m.journey.yaml:1:1: error version missing the format version: add `journeymap: 1` at "
        "the top",
    ),
    "version-key-too-far-to-be-a-typo": (
        ("journeymap: 1", "journey: 1"),
        "m.journey.yaml:1:1: error version missing the format version: add `journeymap: 1` at "
        "the top",
    ),
    "version-key-two-edits-away": (
        ("journeymap: 1", "journeymapxx: 1"),
        "m.journey.yaml:1:1: error version unknown key 'journeymapxx' (did you mean "
        "'journeymap'?): the format version is missing; write `journeymap: 1`",
    ),
    "unknown-key-near-an-alias": (
        ("emotion: 1", "emotion: 1\n        kpis: [{name: k, fro: a}]"),
        "m.journey.yaml:16:26: error schema unknown key 'fro' (did you mean 'from'?)",
    ),
    "library-with-stages": (
        ("title: Good", "kind: library\ntitle: Good"),
        "m.journey.yaml:8:1: error schema a library (kind: library) holds only personas and "
        "channels; 'stages' belongs in a map",
    ),
    "empty-list-entry": (
        ("title: Good", "title: Good\nuses: ['']"),
        "m.journey.yaml:3:8: error schema value must not be empty",
    ),
    "missing-in-a-persona": (
        ("{id: sam, name: Sam}", "{id: sam}"),
        "m.journey.yaml:4:5: error schema persona is missing required key 'name'",
    ),
    "persona-near-miss": (
        ("persona: sam", "persona: sma"),
        "m.journey.yaml:13:18: error reference unknown persona 'sma' (did you mean 'sam'?)",
    ),
    "channel-near-miss": (
        ("channel: web", "channel: webb"),
        "m.journey.yaml:14:18: error reference unknown channel 'webb' (did you mean 'web'?)",
    ),
    # a persona and a stage may share an id: only the reference is wrong
    "ids-of-two-kinds": (
        ("- {id: sam, name: Sam}", "- {id: awareness, name: Sam}"),
        "m.journey.yaml:13:18: error reference unknown persona 'sam' (known personas: 'awareness')",
    ),
    "duplicate-channel": (
        ("kind: digital}\n", "kind: digital}\n  - {id: web, name: Web shop, kind: digital}\n"),
        "m.journey.yaml:7:10: error duplicate-id duplicate channel id 'web': already defined "
        "on line 6",
    ),
    "duplicate-step": (
        ("emotion: 1\n", "emotion: 1\n      - {id: sees-ad, name: Again}\n"),
        "m.journey.yaml:16:14: error duplicate-id duplicate step id 'sees-ad': already defined "
        "on line 11",
    ),
    "duplicate-stage": (
        ("stages:\n", "stages:\n  - {id: awareness, name: Other}\n"),
        "m.journey.yaml:9:9: error duplicate-id duplicate stage id 'awareness': already defined "
        "on line 8",
    ),
    "duplicate-persona": (
        ("  - {id: sam, name: Sam}\n", "  - {id: sam, name: Sam}\n  - {id: sam, name: Sam2}\n"),
        "m.journey.yaml:5:10: error duplicate-id duplicate persona id 'sam': already defined "
        "on line 4",
    ),
}


@pytest.mark.parametrize(("change", "first_line"), SCHEMA_MESSAGES.values(), ids=SCHEMA_MESSAGES)
def test_a_format_error_says_what_was_expected_and_what_was_found(
    tmp_path: Path, change: tuple[str, str], first_line: str
) -> None:
    assert change[0] in GOOD
    write(tmp_path, "m.journey.yaml", GOOD.replace(*change))
    result = run("validate", "m.journey.yaml", cwd=tmp_path)
    assert result.code == 1
    assert result.out.splitlines()[0] == first_line
    assert result.out.endswith("1 file checked: 1 error, 0 warnings\n")


@pytest.mark.parametrize(
    ("change", "first_line"),
    [
        (
            (
                "  - id: awareness\n    name: Awareness\n    steps:",
                "  id: awareness\n  name: Awareness\n  steps:",
            ),
            "m.journey.yaml:8:3: error schema 'stages' must be a list; got a mapping: start each "
            "entry with `- ` (`- id: awareness`) and indent its other keys 2 more, to line up "
            "with `id`",
        ),
        (
            ("  - {id: sam, name: Sam}\n", "  sam: {name: Sam}\n"),
            "m.journey.yaml:4:3: error schema 'personas' must be a list; got a mapping: write "
            "each entry as an item with its id (`- id: sam`), its keys lined up with `id`",
        ),
        (  # a list of text: no entries with keys to show
            ("title: Good\n", "title: Good\ntags: {a: 1}\n"),
            "m.journey.yaml:3:7: error schema 'tags' must be a list; got a mapping",
        ),
    ],
    ids=["stages", "personas-by-id", "tags"],
)
def test_a_mapping_where_a_list_belongs_shows_the_list_form(
    tmp_path: Path, change: tuple[str, str], first_line: str
) -> None:
    """`'stages' must be a list; got a mapping` said what, not how."""
    assert change[0] in GOOD
    write(tmp_path, "m.journey.yaml", GOOD.replace(*change))
    result = run("validate", "m.journey.yaml", cwd=tmp_path)
    assert (result.code, result.out.splitlines()[0]) == (1, first_line)


def test_a_mapping_where_a_number_or_text_belongs_is_one_finding_at_its_key(
    tmp_path: Path,
) -> None:
    # pydantic tries each member of `int | float | str`; their names are not keys of the map.
    text = GOOD.replace("emotion: 1", "emotion: 1\n        kpis: [{name: k, target: {a: 1}}]")
    write(tmp_path, "m.journey.yaml", text)
    result = run("validate", "-f", "json", "m.journey.yaml", cwd=tmp_path)
    [finding] = json.loads(result.out)["findings"]
    assert (finding["line"], finding["column"], finding["path"], finding["message"]) == (
        16,
        34,
        "/stages/0/steps/0/kpis/0/target",
        "'target' must be a number or text; got a mapping",
    )


def test_infinity_or_nan_where_a_number_belongs_is_a_schema_finding_at_the_value(
    tmp_path: Path,
) -> None:
    """`.inf` and `.nan` are YAML numbers: the format refuses them where a finite number
    belongs, at the value; they never make the whole file unreadable."""
    path = write(tmp_path, "m.journey.yaml", GOOD.replace("emotion: 1", "emotion: .nan"))
    result = run("validate", path, cwd=tmp_path)
    assert result.code == 1
    assert result.out.splitlines()[0] == (
        "m.journey.yaml:15:18: error schema 'emotion' must be a whole number from -2 to +2; "
        "got the number nan"
    )
