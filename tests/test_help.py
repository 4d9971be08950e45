"""`--help` of every command at 80 and 120 columns: real defaults, no `<bool>`, no stray " .",
no type names, nothing past the edge, no word broken at a hyphen (issue 13, defect 8)."""

from __future__ import annotations

import re

import pytest

from helpers import run

COMMANDS = [
    "validate",
    "lint",
    "rules",
    "schema",
    "init",
    "diff",
    "render",
    "serve",
    "import",
    "export",
]


def help_text(command: str, columns: int) -> str:
    args = [command, "--help"] if command else ["--help"]
    result = run(*args, env={"COLUMNS": str(columns)})
    assert result.code == 0, result.err
    return result.out


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_is_clean(command: str, columns: int) -> None:
    text = help_text(command, columns)
    lines = text.splitlines()
    assert lines[0].startswith("Usage: journeymap")
    for line in lines:
        assert len(line) <= columns, line
        assert not re.search(r"[a-z]-$", line), f"a word broken at a hyphen: {line!r}"
    assert not re.search(r" \.(?:\s|$)", text), "a stray ' .' where a default was"
    for stray in ("<bool>", "<list", "<path>", "<file>", "<int", "{PATH", "[[", "]]..."):
        assert stray not in text, stray


def test_defaults_are_the_real_ones() -> None:
    render = " ".join(help_text("render", 120).split())
    assert "[default: the configuration's render.formats, else html,svg]" in render
    assert "[default: the configuration's render.theme, else default]" in render
    assert "-o, --output-dir DIR Directory to write the files into. [required]" in render
    assert "-t, --template NAME" in help_text("init", 120)
    assert "[default: five-stage]" in help_text("init", 120)
    assert "[default: 8765]" in help_text("serve", 120)
    assert "-f, --format text|json  Output format. [default: text]" in help_text("validate", 120)


def test_flags_take_no_value() -> None:
    lint = help_text("lint", 120)
    assert re.search(r"^  --isolated +Ignore", lint, re.M)
    assert re.search(r"^  -v, --verbose +Also", lint, re.M)
    assert re.search(r"^  --lint / --no-lint +Also", help_text("diff", 120), re.M)


def test_lint_help_teaches_the_suppression_that_works() -> None:
    text = " ".join(help_text("lint", 120).split())
    assert "`# journeymap: ignore[rule] -- reason`" in text


def test_usage_lines() -> None:
    assert help_text("diff", 80).splitlines()[0] == (
        "Usage: journeymap diff [OPTIONS] [OLD NEW | PATH...]"
    )
    assert help_text("lint", 80).splitlines()[0] == "Usage: journeymap lint [OPTIONS] PATH..."


def test_schema_output_is_not_a_report() -> None:
    text = help_text("schema", 120)
    assert "Write the schema to this file" in text
    assert "report" not in text


def test_no_value_error_prefix_in_usage_errors() -> None:
    result = run("lint", "--fail-on", "nope", ".")
    assert result.code == 2
    assert "Invalid value for '--fail-on'" in result.err
    assert "'nope' is not one of 'error', 'warning', 'info', 'never'" in result.err
    assert "Value error" not in result.err
