"""`journeymap lint`'s fast path (journeymap.cli.quick) reads a command line as typer does.

A plain lint command line runs without typer; anything typer might read otherwise (help, an
unknown option, a value typer would refuse) goes to typer. These tests hold the two to the same
options, the same arguments for the same command line, and the same results.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
import typer

from helpers import EXAMPLES, run, shown_at_exit
from journeymap.cli import lint_report, measure_write, options, quick
from journeymap.cli.app import build_app
from journeymap.cli.app import main as typer_main
from journeymap.cli.measure_write import MeasureArgs


def _declared(command: str) -> dict[str, tuple[str, str | None]]:
    """The options typer declares for `command`: spelling -> (field, None for a flag, "list"
    for a repeatable option, else "value")."""
    # typer 0.2x vendors its own click: its classes are read by their attributes here
    group: Any = typer.main.get_command(build_app([command]))
    declared: dict[str, tuple[str, str | None]] = {}
    for param in group.commands[command].params:
        if param.param_type_name != "option":
            assert param.name == "paths"
            continue
        for spelling in param.opts:
            kind = None if param.is_flag else "list" if param.multiple else "value"
            declared[spelling] = (param.name or "", kind)
    return declared


def _known(table: dict[str, tuple[str, str | None]]) -> dict[str, tuple[str, str | None]]:
    """quick's option table in the terms of `_declared`."""
    assert "--help" not in table  # help is typer's to print
    repeated = ("list", "paths")
    return {
        spelling: (field, None if kind is None else "list" if kind in repeated else "value")
        for spelling, (field, kind) in table.items()
    }


def test_quick_knows_every_lint_option_as_typer_declares_it() -> None:
    assert _known(quick.OPTIONS) == _declared("lint")
    # the choices typer offers (enums built from the registries) are the ones quick accepts
    assert tuple(options.LintFormat) == quick._choices("output_format")
    assert tuple(options.FailLevel) == quick._choices("fail_on")


def _args_typer_reads(
    argv: list[str],
    monkeypatch: pytest.MonkeyPatch,
    module: Any = lint_report,
    body: str = "lint_and_report",
) -> Any:
    """The arguments typer hands the command's body (`module.body`) for `argv`."""
    seen: list[Any] = []

    def record(args: Any) -> int:
        seen.append(args)
        return 0

    monkeypatch.setattr(module, body, record)
    monkeypatch.setattr(sys, "argv", ["journeymap", *argv])
    with pytest.raises(SystemExit) as done:
        typer_main()
    assert done.value.code == 0
    (args,) = seen
    return args


PLAIN = [
    ["lint", "a.yaml"],
    ["lint", "a.yaml", "b.yaml", "maps"],
    ["lint", "--format", "json", "a.yaml"],
    ["lint", "-f", "sarif", "a.yaml"],
    ["lint", "--format=junit", "a.yaml", "--today", "2026-01-31"],
    ["lint", "--select", "empty-stage,no-persona", "--select", "stale-map", "a.yaml"],
    ["lint", "--ignore", "stale-map", "--ignore=missing-kpi", "a.yaml"],
    ["lint", "--fail-on", "warning", "a.yaml"],
    ["lint", "--fail-on=never", "-v", "--strict", "--isolated", "a.yaml"],
    ["lint", "--jobs", "2", "a.yaml"],
    ["lint", "-j", "12", "--no-cache", "a.yaml"],
    ["lint", "-o", "out/report.txt", "a.yaml"],
    ["lint", "--output=x.txt", "a.yaml"],
    ["lint", "--config", "conf.toml", "--config-rev", "origin/main", "a.yaml"],
    ["lint", "--metrics", "build/metrics.json", "--verbose", "a.yaml"],
    ["lint", "a.yaml", "--today", "not-a-date"],  # a value typer passes on as text
    ["lint", "ünïcode map.yaml", "--select", "a"],
]


@pytest.mark.parametrize("argv", PLAIN, ids=lambda argv: " ".join(argv[1:]))
def test_a_plain_command_line_gives_the_arguments_typer_gives(
    argv: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    args = quick.parse(argv)
    assert args is not None
    assert args == _args_typer_reads(argv, monkeypatch)


@pytest.mark.parametrize(
    "argv",
    [
        ["lint"],  # no path: typer says what is missing
        ["lint", "--help"],
        ["lint", "-h", "a.yaml"],
        ["--debug", "lint", "a.yaml"],
        ["validate", "a.yaml"],
        ["lint", "--bogus", "a.yaml"],
        ["lint", "--selct", "a", "a.yaml"],
        ["lint", "--format", "xml", "a.yaml"],
        ["lint", "--format", "JSON", "a.yaml"],
        ["lint", "--fail-on", "critical", "a.yaml"],
        ["lint", "--jobs", "0", "a.yaml"],
        ["lint", "--jobs", "two", "a.yaml"],
        ["lint", "--jobs", "+2", "a.yaml"],
        ["lint", "--format", "json", "--format", "text", "a.yaml"],
        ["lint", "--", "a.yaml"],
        ["lint", "-", "a.yaml"],
        ["lint", "--strict=1", "a.yaml"],
        ["lint", "-fjson", "a.yaml"],
        ["lint", "-f=json", "a.yaml"],
        ["lint", "a.yaml", "--today"],
        ["lint", "a.yaml", "--today", "--strict"],
        ["lint", "--config", "", "a.yaml"],
        ["lint", "--config", ".", "a.yaml"],
        ["lint", "--metrics", "/", "a.yaml"],
        ["lint", "--config", "a" * 300 + "/x.toml", "a.yaml"],  # cannot even be looked at
    ],
    ids=lambda argv: " ".join(argv),
)
def test_anything_else_goes_to_typer(argv: list[str]) -> None:
    assert quick.parse(argv) is None


def test_typer_still_explains_what_the_fast_path_passes_on(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "tv-purchase.journey.yaml", tmp_path / "tv.journey.yaml")
    bad_option = run("lint", "--selct", "stale-map", "tv.journey.yaml", cwd=tmp_path)
    assert bad_option.code == 2
    # click's words: "No such option: --selct" (typer's own click) or "No such option
    # '--selct'." (click 8.2 and later, which older typers use)
    assert re.search(r"No such option:? '?--selct\b", bad_option.err), bad_option.err
    bad_jobs = run("lint", "--jobs", "0", "tv.journey.yaml", cwd=tmp_path)
    assert bad_jobs.code == 2
    assert "--jobs" in bad_jobs.err
    # "greater than or equal to 1" (typer's own click) or "not in the range x>=1" (click 8.x)
    assert "greater than or equal to 1" in bad_jobs.err or "x>=1" in bad_jobs.err
    too_long = run("lint", "--config", "a" * 300 + "/x.toml", "tv.journey.yaml", cwd=tmp_path)
    assert too_long.code == 2
    assert "Traceback" not in too_long.err
    assert "journeymap: error:" in too_long.err or "Error:" in too_long.err
    helped = run("lint", "--help")
    assert helped.code == 0
    assert "Check maps against journey-mapping best practices" in helped.out


@pytest.mark.parametrize(
    "options",
    [
        [],
        ["--format", "json"],
        ["-f", "github"],
        ["--format", "sarif", "--select", "missing-kpi,stale-map"],
        ["--fail-on", "info", "--ignore", "stale-map"],
        ["--today", "2020-02-30"],  # refused by journeymap, not by typer
        ["--no-cache", "--strict"],
    ],
    ids=lambda options: " ".join(options) or "plain",
)
def test_both_ways_give_the_same_report_and_exit_code(
    options: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    argv = ["lint", *options]
    if "--today" not in options:
        argv += ["--today", "2026-11-01"]
    argv.append("examples")
    assert quick.parse(argv) is not None
    fast = run(*argv, cwd=tmp_path)
    monkeypatch.setattr(quick, "parse", lambda argv: None)  # every command line to typer
    slow = run(*argv, cwd=tmp_path)
    assert (fast.code, fast.out, fast.err) == (slow.code, slow.out, slow.err)
    assert fast.code in (0, 1, 2)


def _modules_of_a_run(argv: list[str], cwd: Path) -> tuple[int, set[str]]:
    code, modules, _ = shown_at_exit(argv, "' '.join(sorted(sys.modules))", cwd=cwd)
    return code, set(modules.split())


def test_a_lint_answered_from_the_cache_imports_no_typer_yaml_or_pydantic(
    tmp_path: Path,
) -> None:
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    argv = ["lint", "--today", "2026-11-01", "examples/tv-purchase.journey.yaml"]
    first_code, first = _modules_of_a_run(argv, tmp_path)
    assert first_code == 0
    assert {"yaml", "pydantic"} <= first  # a miss parses and validates
    assert not {"typer", "click"} & first
    code, modules = _modules_of_a_run(argv, tmp_path)
    assert code == 0
    assert not {"typer", "click", "pydantic", "yaml", "rich", "jinja2"} & modules
    assert "journeymap.cli.lint_report" in modules


def test_quick_knows_every_measure_option_as_typer_declares_it() -> None:
    assert _known(quick.MEASURE_OPTIONS) == _declared("measure")


PLAIN_MEASURE = [
    ["measure", "maps"],
    ["measure", "a.yaml", "b.yaml", "--events", "e.parquet", "-o", "out/m.json"],
    ["measure", "a.yaml", "--events=logs/*.csv", "--responses", "r.csv", "--by", "device"],
    ["measure", "a.yaml", "--since", "2026-10-01", "--until", "2026-11-01", "--window", "7d"],
    ["measure", "a.yaml", "--path", "a,b,c", "--engine", "spark", "--memory-limit", "2GB"],
    ["measure", "a.yaml", "--sql", "--dialect", "bigquery"],
    ["measure", "a.yaml", "--results", "r1.csv", "--results=r2.jsonl", "--output=m.json"],
    ["measure", "a.yaml", "--config", "c.toml", "--isolated", "--no-cache"],
    ["measure", "a.yaml", "--dialect", "klingon"],  # refused by journeymap, not by typer
]


@pytest.mark.parametrize("argv", PLAIN_MEASURE, ids=lambda argv: " ".join(argv[1:]))
def test_a_plain_measure_command_line_gives_the_arguments_typer_gives(
    argv: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    args = quick.parse(argv)
    assert isinstance(args, MeasureArgs)
    assert args == _args_typer_reads(argv, monkeypatch, measure_write, "measure_and_write")


@pytest.mark.parametrize(
    "argv",
    [
        ["measure"],
        ["measure", "--help"],
        ["measure", "--events", "e.csv"],
        ["measure", "a.yaml", "--events"],
        ["measure", "a.yaml", "--events", ""],
        ["measure", "a.yaml", "--evnts", "e.csv"],
        ["measure", "a.yaml", "--events", "a.csv", "--events", "b.csv"],
        ["measure", "a.yaml", "--sql=1"],
        ["measure", "a.yaml", "--config", "."],
        ["measure", "a.yaml", "-o"],
        ["measure", "--", "a.yaml"],
    ],
    ids=lambda argv: " ".join(argv),
)
def test_any_other_measure_command_line_goes_to_typer(argv: list[str]) -> None:
    assert quick.parse(argv) is None


def _measured_project(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    return tmp_path


@pytest.mark.parametrize(
    "options",
    [
        ["--config", "examples/data/journeymap.toml"],
        ["--config", "examples/data/journeymap.toml", "--by", "device", "--no-cache"],
        ["--config", "examples/data/journeymap.toml", "--sql", "--dialect", "trino"],
        ["--isolated"],  # no event log: an error, exit 2
        ["--config", "examples/data/journeymap.toml", "--since", "yesterday"],
    ],
    ids=lambda options: " ".join(options),
)
def test_both_ways_give_the_same_metrics_and_exit_code(
    options: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _measured_project(tmp_path)
    argv = ["measure", "examples/tv-purchase.journey.yaml", *options]
    assert quick.parse(argv) is not None
    fast = run(*argv, cwd=tmp_path)
    monkeypatch.setattr(quick, "parse", lambda argv: None)  # every command line to typer
    slow = run(*argv, cwd=tmp_path)
    assert (fast.code, fast.out, fast.err) == (slow.code, slow.out, slow.err)
    assert fast.code in (0, 2)


def test_a_measure_of_a_cached_map_imports_no_typer_yaml_or_pydantic(tmp_path: Path) -> None:
    _measured_project(tmp_path)
    argv = ["measure", "examples/tv-purchase.journey.yaml"]
    argv += ["--config", "examples/data/journeymap.toml", "-o", "m.json"]
    first_code, first = _modules_of_a_run(argv, tmp_path)
    assert first_code == 0
    assert {"yaml", "pydantic"} <= first  # a miss parses and validates the map
    assert not {"typer", "click"} & first
    code, modules = _modules_of_a_run(argv, tmp_path)
    assert code == 0
    assert not {"typer", "click", "pydantic", "yaml", "rich", "jinja2"} & modules
    assert {"journeymap.cli.measure_write", "_duckdb"} <= modules
