"""Start-up stays cheap: the registries' name lists match them, `--version` needs no typer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from helpers import shown_at_exit
from journeymap.choices import THEME_NAMES
from journeymap.render import RENDERER_BY_NAME, RENDERER_NAMES
from journeymap.render.themes import THEMES
from journeymap.report import REPORTER_BY_NAME, REPORTER_NAMES


def test_name_lists_match_the_registries() -> None:
    assert tuple(RENDERER_BY_NAME) == RENDERER_NAMES
    assert tuple(REPORTER_BY_NAME) == REPORTER_NAMES
    assert tuple(THEMES) == THEME_NAMES


def _modules_after(argv: list[str]) -> set[str]:
    code, modules, err = shown_at_exit(argv, "' '.join(sorted(sys.modules))")
    assert code == 0, err
    return set(modules.split())


def test_version_imports_neither_typer_nor_pydantic() -> None:
    modules = _modules_after(["--version"])
    assert "journeymap" in modules
    assert not {"typer", "click", "pydantic", "yaml", "jinja2", "rich"} & modules


def test_help_does_not_import_the_renderers_or_reporters() -> None:
    modules = _modules_after(["--help"])
    assert "typer" in modules
    assert not {"jinja2", "journeymap.render.html", "journeymap.report.sarif"} & modules


def test_the_measure_engines_are_imported_only_by_measure() -> None:
    heavy = {"duckdb", "_duckdb", "sqlglot", "pyspark", "psycopg", "pandas", "pyarrow"}
    for argv in (["--version"], ["--help"], ["measure", "--help"], ["rules"]):
        assert not heavy & _modules_after(argv), argv


def test_python_dash_m_the_executable_and_the_package_metadata_agree() -> None:
    from importlib.metadata import version
    from pathlib import Path

    import journeymap

    installed = version("journeymap")  # what pip shows; hatch reads it from __init__.py
    assert installed == journeymap.__version__
    executable = Path(sys.executable).parent / "journeymap"
    for command in ([sys.executable, "-m", "journeymap"], [str(executable)]):
        for flag in ("--version", "-V"):
            proc = subprocess.run(
                [*command, flag], capture_output=True, text=True, check=False, timeout=60
            )
            assert (proc.returncode, proc.stdout, proc.stderr) == (
                0,
                f"journeymap {installed}\n",
                "",
            ), command


def _imported(argv: list[str]) -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", *argv],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    return {line.split("|")[-1].strip() for line in proc.stderr.splitlines() if "|" in line}


def test_the_executable_answers_version_with_nothing_but_the_interpreter_and_journeymap() -> None:
    """No console-script wrapper (it imports `re`): `--version` imports what `python -c pass`
    does, plus journeymap's package and entry module."""
    from pathlib import Path

    executable = str(Path(sys.executable).parent / "journeymap")
    extra = _imported([executable, "--version"]) - _imported(["-c", "pass"])
    assert extra <= {"journeymap", "journeymap.entry", "__future__"}, extra


def test_a_command_line_that_names_a_command_builds_only_that_command() -> None:
    """Typer builds every registered command's options on each run: `rules` registers (and
    imports) only its own module; `--help` lists them all."""
    commands = {f"journeymap.cli.commands.{name}" for name in ("lint", "render", "diff")}
    assert not commands & _modules_after(["rules"])
    assert commands <= _modules_after(["--help"])


def _plugins_after(env: dict[str, str]) -> str:
    """What pydantic's plugin loader holds when `journeymap validate` exits: None if it never
    looked for plugins."""
    import os

    example = Path(__file__).parent.parent / "examples" / "tv-purchase.journey.yaml"
    base = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    code, plugins, err = shown_at_exit(
        ["validate", "--no-cache", str(example)],
        "__import__('pydantic.plugin._loader', fromlist=['_plugins'])._plugins",
        env={**base, **env},
    )
    assert code == 0, err
    return plugins


def test_the_executable_does_not_look_for_pydantic_plugins_unless_told_to() -> None:
    assert _plugins_after({}) == "None"
    assert _plugins_after({"PYDANTIC_DISABLE_PLUGINS": "some-plugin"}) == "{}"


def test_measure_imports_duckdbs_extension_without_the_packages_python_layer(
    tmp_path: Path,
) -> None:
    """Since DuckDB 1.4 the `duckdb` package is a Python layer over the extension `_duckdb`
    (~60 ms to import); the engine calls the extension's own functions. Older releases, which
    have no `_duckdb` (`scripts/test --oldest`), get the package."""
    import importlib.util

    import duckdb

    from journeymap.measure.engines.duckdb import _extension

    assert _extension().connect is duckdb.connect
    assert _extension().Error is duckdb.Error
    split = importlib.util.find_spec("_duckdb") is not None
    (tmp_path / "map.journey.yaml").write_text(
        "journeymap: 1\nid: m\ntitle: M\nstages:\n  - id: s\n    name: S\n    steps:\n"
        "      - {id: a, name: A, events: [view]}\n",
        encoding="utf-8",
    )
    (tmp_path / "events.csv").write_text("user,event,time\nu1,view,0\n", encoding="utf-8")
    modules = _modules_after(
        ["measure", str(tmp_path / "map.journey.yaml"), "--events", str(tmp_path / "events.csv")]
    )
    assert ("_duckdb" in modules) == split
    assert ("duckdb" in modules) == (not split)
