"""Untrusted text reaches each output only through that output's escaping function (issue 12).

One test per class of problem: each builds the hostile input, runs the command a CI job would
run, and reads the output back as its consumer does (GitHub's runner, a GFM renderer, a
terminal, a browser's URL parser, Graphviz, a JSON or SARIF reader).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import cmarkgfm
import jsonschema
import pytest
from cmarkgfm.cmark import Options as CmarkOptions

from helpers import REPO, run
from journeymap.escape import href, markdown, terminal

INJECTION = "x\n::add-mask::hunter2\n::error file=README.md,line=1::Fake\n::stop-commands::t\n"
GOOD = "journeymap: 1\ntitle: Good\nstages:\n  - id: s\n    name: S\n    steps:\n      - id: a\n"
GOOD += "        name: A\n"
# What journeymap itself starts a line of stdout or stderr with, in the runs below.
OUR_LINES = re.compile(
    r"^(journeymap: |rendering |rendered |\d+ (files? checked|of \d+ output)|missing: |stale: "
    r"|::(error|warning|notice) |(maps/)?[\w.-]+\.journey\.yaml:\d+:\d+: |\./::|\s+\d* \| "
    r"|[\w.-]+: not compared: |$)"
)


def _project(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    return tmp_path


def _assert_lines_are_ours(*streams: str) -> None:
    for stream in streams:
        for line in stream.split("\n"):
            assert OUR_LINES.match(line), f"a line journeymap did not choose: {line!r}"
            assert not line.startswith("::add-mask") and not line.startswith("::stop")


def test_workflow_command_injection_on_stderr(tmp_path: Path) -> None:
    """Item 1: map text, file names and config keys never start a line of their own."""
    root = _project(tmp_path)
    maps = root / "maps"
    maps.mkdir()
    key = json.dumps(INJECTION)
    (maps / "keyed.journey.yaml").write_text(f"{GOOD}{key}: 1\n", "utf-8")
    for index in range(4):  # more than three maps: render prints a progress line per map
        (maps / f"m{index}.journey.yaml").write_text(GOOD, "utf-8")
    named = maps / "z\n::warning file=x,line=1::named\n.journey.yaml"
    named.write_text(GOOD.replace("title: Good", "id: z\ntitle: Z"), "utf-8")

    rendered = run("render", "maps", "-o", "out", "-f", "mermaid", cwd=root)
    assert rendered.code == 1
    assert "hunter2" in rendered.err  # the problem is reported, on journeymap's own line
    _assert_lines_are_ours(rendered.out, rendered.err)

    diffed = run("diff", "maps/keyed.journey.yaml", "maps/m0.journey.yaml", cwd=root)
    assert diffed.code == 1 and "hunter2" in diffed.err
    _assert_lines_are_ours(diffed.out, diffed.err)

    # No newline needed: a text report's line starts with the file's name.
    (maps / "::error file=README.md,line=1::Fake.journey.yaml").write_text(GOOD + "x: 1\n")
    validated = run("validate", ".", cwd=maps)
    assert validated.code == 1 and "./::error file=README.md" in validated.out
    _assert_lines_are_ours(validated.out, validated.err)
    # A map diff does not compare is named by its file, or by the id it gives itself.
    fake = "::error file=README.md,line=1::Fake.journey.yaml"
    diffed = run("diff", fake, "m0.journey.yaml", cwd=maps)
    assert diffed.code == 1 and diffed.out.startswith("./::error file=README: not compared: ")
    _assert_lines_are_ours(diffed.out, diffed.err)
    (maps / "ided.journey.yaml").write_text(f"id: {key}\n{GOOD}x: 1\n", "utf-8")
    diffed = run("diff", "m0.journey.yaml", "ided.journey.yaml", cwd=maps)
    assert diffed.code == 1 and diffed.out.startswith("ided: not compared: ")  # not a valid id
    _assert_lines_are_ours(diffed.out, diffed.err)

    (maps / "journeymap.toml").write_text(f"{json.dumps('k' + INJECTION)} = 1\n", "utf-8")
    configured = run("lint", "--format", "github", "maps", cwd=root)
    assert configured.code == 2 and "unknown key" in configured.err
    _assert_lines_are_ours(configured.out, configured.err)


def _gfm(text: str) -> str:
    unsafe = CmarkOptions.CMARK_OPT_UNSAFE  # show raw HTML if any got through: none may
    html: str = cmarkgfm.github_flavored_markdown_to_html(text, options=unsafe)
    return html


HOSTILE_MD = (
    "Title\r### Injected heading | cell <img src=x onerror=alert(1)> ![x](https://e.example/p.png)"
    ' <a href="https://e.example">a</a> @octocat https://evil.example www.evil.example a@b.example'
    " `code` *em* ~~s~~ $x$"
)


def test_markdown_injection_is_inert_in_pr_comments(tmp_path: Path) -> None:
    """Item 8: map text and file names in `diff --format markdown` render as plain words."""
    root = _project(tmp_path)
    (root / "a").mkdir()
    (root / "b").mkdir()
    name = "m\n\n<img src=x>\n\n<h1>big\n\n.journey.yaml"
    (root / "a" / name).write_text(GOOD.replace("title: Good", "id: m\ntitle: Old"), "utf-8")
    new = GOOD.replace("title: Good", f"id: m\ntitle: {json.dumps(HOSTILE_MD)}")
    new = new.replace("name: S", f"name: {json.dumps('S | x ' + HOSTILE_MD)}")
    (root / "b" / name).write_text(new, "utf-8")
    result = run("diff", "a", "b", "--format", "markdown", "--no-lint", cwd=root)
    assert result.code == 0, result.err
    html = _gfm(result.out)
    tags = set(re.findall(r"<([a-z0-9]+)", html))
    ours = {"h2", "h3", "p", "strong", "table", "thead", "tbody", "tr", "th", "td", "code"}
    assert tags <= ours, tags
    assert "<a " not in html and "<img" not in html and "<h1" not in html
    assert not re.search(r"@octocat", html), "a mention would ping"
    headings = re.findall(r"<h3>(.*?)</h3>", html)
    assert len(headings) == 1 and "Injected heading" in headings[0]
    rows = re.findall(r"<tr>", html)
    assert len(rows) == 1 + 2  # the header row, the title change and the stage rename
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # shown as text

    # A map that is not valid: its name and its errors (quoting its text) in a table.
    (root / "b" / name).write_text(f"{new}{json.dumps(HOSTILE_MD)}: 1\n", "utf-8")
    result = run("diff", "a", "b", "--format", "markdown", "--no-lint", cwd=root)
    assert result.code == 1, result.err
    html = _gfm(result.out)
    assert set(re.findall(r"<([a-z0-9]+)", html)) <= ours
    assert "<a " not in html and "<img" not in html and "<h1" not in html
    assert not re.search(r"@octocat", html), "a mention would ping"
    assert len(re.findall(r"<h3>", html)) == 1 and len(re.findall(r"<tr>", html)) == 1 + 1


def test_markdown_injection_is_inert_in_the_job_summary(tmp_path: Path) -> None:
    """Item 8: the step summary's cells show messages and file names as text."""
    root = _project(tmp_path)
    (root / "m.journey.yaml").write_text(f"{GOOD}{json.dumps(HOSTILE_MD)}: 1\n", "utf-8")
    summary = root / "summary.md"
    result = run(
        "lint", "m.journey.yaml", cwd=root,
        env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)},
    )  # fmt: skip
    assert result.code == 1
    html = _gfm(summary.read_text("utf-8"))
    tags = set(re.findall(r"<([a-z0-9]+)", html))
    assert tags <= {"h2", "p", "table", "thead", "tbody", "tr", "th", "td", "code"}, tags
    assert "@octocat" not in html
    assert len(re.findall(r"<tr>", html)) == 2  # the header, one finding: no row broken out


@pytest.mark.parametrize(
    "text",
    ["plain", "a|b", "x\r\ny", "<b>&amp;</b>", "@a", "http://x.y", "`", "\\", "\u2028", "\ud800"],
)
def test_markdown_escaping_keeps_the_words(text: str) -> None:
    """What `markdown` escapes renders back as the same words (whitespace collapsed)."""
    html = _gfm(f"| a |\n|---|\n| {markdown(text)} |\n")
    cell = re.search(r"<td>(.*?)</td>", html, re.DOTALL)
    shown = cell.group(1) if cell else ""
    expected = " ".join(terminal(text).replace("?", " ").split()) if text.strip() else ""
    unescaped = (
        shown.replace("\u200b", "").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    )
    assert unescaped.replace("?", " ").split() == expected.replace("\ufffd", "\ufffd").split()


def test_terminal_escapes_in_diff_and_textconv(tmp_path: Path) -> None:
    """Item 12: diff's text output and `--textconv` show control characters as `?`."""
    root = _project(tmp_path)
    old = root / "old.journey.yaml"
    new = root / "new.journey.yaml"
    old.write_text(GOOD.replace("title: Good", "id: m\ntitle: Old"), "utf-8")
    hostile = json.dumps("\x1b[2J\x1b]8;;https://e.example\x07click\u202etxt.exe\rline")
    new.write_text(GOOD.replace("title: Good", f"id: m\ntitle: {hostile}"), "utf-8")
    for args in (("diff", old, new), ("diff", "--textconv", new)):
        result = run(*args, cwd=root)
        assert result.code == 0, result.err
        assert "click" in result.out
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", result.out), result.out


@pytest.mark.parametrize("space", ["\u00a0", "\u3000", "\u2028", "\u0085", "\u1680", " \t"])
def test_link_scheme_check_sees_what_the_browser_sees(tmp_path: Path, space: str) -> None:
    """Item 11: a scheme hidden behind a Unicode space is refused, and never written."""
    url = f"{space}javascript:alert(1)"
    assert href(url) is None
    text = GOOD + f"        links:\n          - url: {json.dumps(url)}\n"
    (tmp_path / "m.journey.yaml").write_text(text, "utf-8")
    result = run("validate", "m.journey.yaml", cwd=_project(tmp_path))
    assert result.code == 1
    assert "link scheme 'javascript:' is not allowed" in result.out


@pytest.mark.parametrize(
    ("url", "start"),
    [
        ("//evil.example/login", "//"),
        ("\\\\evil.example/x", "\\\\"),
        ("/\\evil.example/y", "/\\"),
        ("\\/evil.example", "\\/"),
        (" /\t/evil.example", "//"),  # a browser drops the tab, then reads `//`
    ],
)
def test_a_link_to_another_site_that_looks_relative_is_refused(
    tmp_path: Path, url: str, start: str
) -> None:
    assert href(url) is None
    text = GOOD + f"        links:\n          - url: {json.dumps(url)}\n"
    (tmp_path / "m.journey.yaml").write_text(text, "utf-8")
    result = run("validate", "m.journey.yaml", cwd=_project(tmp_path))
    assert result.code == 1
    assert result.out.splitlines()[0] == (
        f"m.journey.yaml:10:18: error schema a link starting with '{start}' leads to another "
        "site, though it looks relative; write the whole https:// URL, or a path with one "
        "leading '/'"
    )


def test_links_within_the_site_are_kept() -> None:
    for url in ("/docs/page.html", "./a//b", "docs\\x", "page.html#//x", "?next=//x"):
        assert href(url) == url


def test_href_is_the_string_validation_checked() -> None:
    assert href(" https://example.com/a b\t") == "https://example.com/a b"
    assert href("\u00a0https://example.com") == "\u00a0https://example.com"
    assert href("JaVa\nScRiPt:alert(1)") is None
    assert href("docs/page.html") == "docs/page.html"


def test_ids_from_file_names_and_graphviz_escapes(tmp_path: Path) -> None:
    """Item 15: `abc\\n` is no id; `\\N`, `\\G`, `\\L` in a name stay literal in Graphviz."""
    root = _project(tmp_path)
    (root / "abc\n.journey.yaml").write_text(GOOD, "utf-8")
    result = run("validate", "--format", "json", ".", cwd=root)
    assert result.code == 1
    messages = [f["message"] for f in json.loads(result.out)["findings"]]
    assert any("does not give a valid map id" in m for m in messages), messages

    named = GOOD.replace("title: Good", "id: g\ntitle: G").replace("A", "'b \\N \\G \\L'")
    (root / "abc\n.journey.yaml").unlink()
    (root / "g.journey.yaml").write_text(named, "utf-8")
    result = run("render", "g.journey.yaml", "-o", "out", "-f", "dot", cwd=root)
    assert result.code == 0, result.err
    dot = (root / "out" / "g.dot").read_text("utf-8")
    assert "b \\\\N \\\\G \\\\L" in dot
    if shutil.which("dot"):
        svg = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True, text=True).stdout
        assert re.search(r">b \\N \\G \\L<", svg), "Graphviz expanded an escape"


def test_non_utf8_file_names_in_machine_reports(tmp_path: Path) -> None:
    """Item 13: a file name that is not UTF-8 still gives parseable JSON and valid SARIF."""
    root = _project(tmp_path)
    name = os.fsdecode(b"caf\xe9.journey.yaml")
    (root / name).write_text(GOOD.replace("title: Good", "id: cafe\ntitle: Cafe"), "utf-8")
    (root / "other.journey.yaml").write_text(GOOD + "        emotion: 9\n", "utf-8")
    schema = json.loads((REPO / "tests/lint/data/sarif-schema-2.1.0.json").read_text("utf-8"))
    for fmt in ("sarif", "gitlab", "json", "junit", "github", "text"):
        result = run("lint", "--format", fmt, "--no-cache", ".", cwd=root)
        assert result.code == 1, result.err
        result.out.encode("utf-8")
        if fmt == "sarif":
            log = json.loads(result.out)
            jsonschema.validate(log, schema)
            assert any("caf%EF%BF%BD" in a["location"]["uri"] for a in log["runs"][0]["artifacts"])
        elif fmt in ("gitlab", "json"):
            json.loads(result.out)
