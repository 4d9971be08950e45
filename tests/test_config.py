"""A configuration is refused the same way by every command that reads it: exit 2, one line
that starts with `FILE:LINE:COLUMN` of the value at fault. A byte-order mark is no error, a key
set twice is named, and a misspelt `[tool.journeymap]` table in pyproject.toml is warned of.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import run

MAP = """\
journeymap: 1
id: course
title: Taking a course
stages:
  - id: choose
    name: Choose
    steps:
      - {id: finds-course, name: Finds a course, events: [view]}
      - {id: enrols, name: Enrols, events: [enrol]}
      - {id: pays, name: Pays, events: [pay]}
"""
THEMES = "choose from default, high-contrast"
FORMATS = "choose from html, svg, png, pdf, dot, mermaid"
WINDOW = "expected a duration such as 14d, 12h, 30m or 45s"
COMMANDS = {
    "validate": ("validate", "course.journey.yaml"),
    "lint": ("lint", "course.journey.yaml"),
    "render": ("render", "course.journey.yaml", "-o", "out"),
    "measure": ("measure", "course.journey.yaml", "--events", "e.csv"),
}


def _project(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "course.journey.yaml").write_text(MAP, "utf-8")
    (tmp_path / "e.csv").write_text("user,event,time\nu1,view,0\nu1,enrol,60\n", "utf-8")
    return tmp_path


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize(
    ("name", "text", "error"),
    [
        (
            "journeymap.toml",
            '[render]\ntheme = "dark"\n',
            f"journeymap.toml:2:9: render.theme: unknown theme 'dark'; {THEMES}",
        ),
        (
            "journeymap.toml",
            '[render]\ntheme = "hi-contrast"\n',
            "journeymap.toml:2:9: render.theme: unknown theme 'hi-contrast' (did you mean "
            f"'high-contrast'?); {THEMES}",
        ),
        (
            "journeymap.toml",
            '[render]\nformats = ["html", "jpg"]\n',
            f"journeymap.toml:2:20: render.formats: unknown format 'jpg'; {FORMATS}",
        ),
        (
            "journeymap.toml",
            '[render]\nformats = [\n  "html",  # the page\n  "SVGG",\n]\n',
            "journeymap.toml:4:3: render.formats: unknown format 'svgg' (did you mean 'svg'?); "
            f"{FORMATS}",
        ),
        (
            "pyproject.toml",
            '[project]\nname = "x"\n\n[tool.journeymap.render]\ntheme = "dark"\n',
            f"pyproject.toml:5:9: [tool.journeymap]: render.theme: unknown theme 'dark'; {THEMES}",
        ),
        (
            "journeymap.toml",
            '[measure]\nwindow = "14 days"\n',
            f"journeymap.toml:2:10: measure.window '14 days': {WINDOW} (did you mean '14d'?)",
        ),
        (
            "journeymap.toml",
            'measure = {window = "2 weeks"}\n',
            f"journeymap.toml:1:21: measure.window '2 weeks': {WINDOW} (did you mean '14d'?)",
        ),
        (
            "journeymap.toml",
            "[measure]\npath = []\n",
            "journeymap.toml:2:1: measure.path must be a list of step ids such as "
            '["sees-ad", "pays"], or a table of them per map id such as '
            '{checkout = ["views", "pays"]}; each names one step or more',
        ),
        (
            "journeymap.toml",
            '# settings\nfail-on = "warning"\nexclude = []\nfail-on = "error"\n',
            "journeymap.toml:4:1: duplicate key 'fail-on' (first on line 2)",
        ),
        (
            "journeymap.toml",
            '[rules]\nmissing-kpi = "off"\n  missing-kpi = [\n  "info",\n]\n',
            "journeymap.toml:3:3: duplicate key 'missing-kpi' in [rules] (first on line 2)",
        ),
        (
            "journeymap.toml",
            '[render]\ntheme = "default"\n\n[render]\nformats = ["svg"]\n',
            "journeymap.toml:4:1: duplicate table [render] (first on line 1)",
        ),
        (
            "journeymap.toml",
            '\ufeff[render]\ntheme = "dark"\n',
            f"journeymap.toml:2:9: render.theme: unknown theme 'dark'; {THEMES}",
        ),
        (
            "journeymap.toml",
            '\ufefffail_on = "error"\n',
            "journeymap.toml:1:1: unknown key 'fail_on' (did you mean 'fail-on'?)",
        ),
        (
            "journeymap.toml",
            '[rules]\nchanel-gap = "off"\n',
            "journeymap.toml:2:1: rules: unknown rule 'chanel-gap' (did you mean 'channel-gap'?)",
        ),
    ],
    ids=[
        "theme",
        "theme-close",
        "format",
        "format-on-its-line",
        "pyproject",
        "window",
        "window-inline",
        "empty-path",
        "key-twice",
        "key-twice-in-a-table",
        "table-twice",
        "bom-then-bad-theme",
        "bom-then-unknown-key",
        "unknown-rule",
    ],
)
def test_every_command_refuses_a_bad_configuration_at_its_place(
    tmp_path: Path, command: str, name: str, text: str, error: str
) -> None:
    """Trial defect: a bad `[render]` value passed validate and lint (exit 0) and failed only
    render, without a place; `[measure] window` the same with measure; a key set twice, or a
    byte-order mark, was `invalid TOML` in tomllib's words; validate and measure took an
    unknown rule."""
    _project(tmp_path)
    (tmp_path / name).write_text(text, "utf-8")
    result = run(*COMMANDS[command], cwd=tmp_path)
    assert (result.code, result.out) == (2, "")
    assert result.err == f"journeymap: error: {tmp_path / error}\n"
    assert not (tmp_path / "out").exists()


def test_a_byte_order_mark_is_read_past(tmp_path: Path) -> None:
    """As Windows Notepad saves a file; the maps' loader reads past one already."""
    _project(tmp_path)
    (tmp_path / "journeymap.toml").write_bytes(
        b'\xef\xbb\xbf# saved by Notepad\r\n[render]\r\ntheme = "high-contrast"\r\n'
    )
    result = run("validate", "course.journey.yaml", cwd=tmp_path)
    assert (result.code, result.out, result.err) == (0, "1 file checked: all valid\n", "")
    for folder, more in (("themed", []), ("plain", ["--isolated"])):
        result = run(
            "render", "course.journey.yaml", "-o", folder, "-f", "html", *more, cwd=tmp_path
        )
        assert result.code == 0, result.err
    themed, plain = (tmp_path / folder / "course.html" for folder in ("themed", "plain"))
    assert themed.read_bytes() != plain.read_bytes()  # the configuration's theme, read


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ('[measure]\npath = [\n  "finds-course",\n  "pay",\n]\n', "4:3"),
        ('[measure.path]\ncourse = ["finds-course", "pay"]\n', "2:27"),
        ('[measure]\npath = {course = ["finds-course", "pay"]}\n', "2:35"),
    ],
)
def test_a_configured_path_step_the_map_lacks_is_located(
    tmp_path: Path, text: str, place: str
) -> None:
    _project(tmp_path)
    (tmp_path / "journeymap.toml").write_text(text, "utf-8")
    result = run(*COMMANDS["measure"], cwd=tmp_path)
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        f"journeymap: error: {tmp_path / 'journeymap.toml'}:{place}: measure.path: map 'course' "
        "(course.journey.yaml) has no step 'pay' (did you mean 'pays'?); its steps: "
        "'finds-course', 'enrols', 'pays'\n"
    )


def test_a_configured_path_step_twice_is_located_at_the_second(tmp_path: Path) -> None:
    _project(tmp_path)
    (tmp_path / "journeymap.toml").write_text(
        '[measure.path]\ncourse = ["finds-course", "enrols", "enrols"]\n', "utf-8"
    )
    result = run(*COMMANDS["measure"], cwd=tmp_path)
    assert (result.code, result.err) == (
        2,
        f"journeymap: error: {tmp_path / 'journeymap.toml'}:2:37: measure.path: step 'enrols' "
        "is on the path twice\n",
    )
    result = run(*COMMANDS["measure"], "--path", "finds-course,pay", cwd=tmp_path)
    assert (result.code, result.err) == (
        2,
        "journeymap: error: --path: map 'course' (course.journey.yaml) has no step 'pay' (did "
        "you mean 'pays'?); its steps: 'finds-course', 'enrols', 'pays'\n",
    )


PYPROJECT = """\
[project]
name = "shop"

[tool.journeymaps]
fail-on = "never"

[tool.ruff]
line-length = 100

[tool.journey-map.rules]
missing-kpi = "off"

[tool.journey]
also = "another tool"
"""


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_misspelt_pyproject_table_is_warned_of(tmp_path: Path, command: str) -> None:
    """Trial defect: `[tool.journeymaps]` was passed over in silence (exit 0). A near miss of
    `journeymap` only: `[tool.journey]` and `[tool.ruff]` are other tools'."""
    _project(tmp_path)
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, "utf-8")
    result = run(*COMMANDS[command], cwd=tmp_path)
    assert result.code == 0, result.err
    pyproject = tmp_path / "pyproject.toml"
    assert _warnings(result.err) == [
        f"journeymap: warning: {pyproject}:4:1: [tool.journeymaps] is not read; did you mean "
        "[tool.journeymap]?",
        f"journeymap: warning: {pyproject}:10:7: [tool.journey-map] is not read; did you mean "
        "[tool.journeymap]?",
    ]
    pyproject.write_text(
        PYPROJECT.replace("[tool.journeymaps]", "[tool.journeymap]").replace("journey-map", "x")
    )
    result = run(*COMMANDS[command], cwd=tmp_path)
    assert (result.code, _warnings(result.err)) == (0, [])


def _warnings(err: str) -> list[str]:
    """The lines of stderr that warn (render also says what it wrote)."""
    return [line for line in err.splitlines() if line.startswith("journeymap: warning:")]


def test_a_misspelt_pyproject_table_does_not_hide_the_configuration_above(
    tmp_path: Path,
) -> None:
    """`[tool.journeymaps]` made its pyproject.toml the folder's (empty) configuration, and the
    search upward stopped there."""
    _project(tmp_path)
    (tmp_path / "journeymap.toml").write_text('[render]\ntheme = "dark"\n', "utf-8")
    (tmp_path / "team").mkdir()
    (tmp_path / "team" / "pyproject.toml").write_text("[tool.journeymaps]\n", "utf-8")
    (tmp_path / "team" / "course.journey.yaml").write_text(MAP, "utf-8")
    result = run("validate", "team/course.journey.yaml", cwd=tmp_path)
    assert (result.code, result.err.splitlines()) == (
        2,
        [
            f"journeymap: warning: {tmp_path / 'team' / 'pyproject.toml'}:1:1: "
            "[tool.journeymaps] is not read; did you mean [tool.journeymap]?",
            f"journeymap: error: {tmp_path / 'journeymap.toml'}:2:9: render.theme: unknown "
            f"theme 'dark'; {THEMES}",
        ],
    )


BUSY = """\
[project]
name = 'shop'
description = \"\"\"A shop.
[tool.journeymap.render]
theme = "not this one"
\"\"\"
keywords = ["a,b", 'c]d', {x = 1}]  # ] and , inside strings

[[tool.mypy.overrides]]
module = "a"
[[tool.mypy.overrides]]
module = "b"

[tool.journeymap]
"fail-on" = "warning"
render.formats = [
  'html', # the page
  "svg", "pdff",
]
"""


def test_a_value_is_found_past_everything_else_a_pyproject_holds(tmp_path: Path) -> None:
    """Multi-line and literal strings, brackets in strings, arrays of tables, dotted and quoted
    keys: the place is the item's, not text in a string that looks like it."""
    _project(tmp_path)
    (tmp_path / "pyproject.toml").write_text(BUSY, "utf-8")
    result = run("validate", "course.journey.yaml", cwd=tmp_path)
    assert (result.code, result.err) == (
        2,
        f"journeymap: error: {tmp_path / 'pyproject.toml'}:18:10: [tool.journeymap]: "
        f"render.formats: unknown format 'pdff' (did you mean 'pdf'?); {FORMATS}\n",
    )
    (tmp_path / "pyproject.toml").write_text(BUSY.replace("pdff", "pdf") + "fail-on = 'error'\n")
    result = run("validate", "course.journey.yaml", cwd=tmp_path)
    assert (result.code, result.err) == (
        2,
        f"journeymap: error: {tmp_path / 'pyproject.toml'}:20:1: duplicate key 'fail-on' in "
        "[tool.journeymap] (first on line 15)\n",
    )
