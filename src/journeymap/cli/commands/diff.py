"""`journeymap diff`: what changed in journey maps (or metrics files), by id."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from journeymap.cli.options import ConfigOpt, ConfigRevOpt, IsolatedOpt, OutputOpt
from journeymap.cli.output import (
    EXIT_FINDINGS,
    EXIT_OK,
    fail,
    link_printer,
    use_color,
    write_output,
)
from journeymap.cli.output import exit_code as cli_exit_code

if TYPE_CHECKING:
    from journeymap.diff import MapDiff
    from journeymap.findings import Finding


class DiffFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


PathsOpt = Annotated[
    list[str] | None,
    typer.Argument(
        help="OLD NEW (two maps or two directories); with --rev, the maps or directories "
        "to compare (default: the whole repository from here); with --textconv, one file.",
        metavar="[OLD NEW | PATH...]",
        show_default=False,
    ),
]
RevOpt = Annotated[
    str | None,
    typer.Option(
        "--rev", "-r", help="Compare the maps at this git revision with the working tree."
    ),
]
OutputFormatOpt = Annotated[DiffFormat, typer.Option("--format", "-f", help="Output format.")]
ExitCodeOpt = Annotated[
    bool,
    typer.Option(
        "--exit-code",
        help="Exit 1 when there are changes, like git diff (a map that is not valid exits 1 "
        "anyway).",
    ),
]
LintOpt = Annotated[
    bool,
    typer.Option(
        "--lint/--no-lint",
        help="Also list lint findings introduced, fixed or changed [default: --lint].",
    ),
]
TextconvOpt = Annotated[
    bool,
    typer.Option(
        "--textconv",
        help="Print one file as a readable outline, for git's diff driver (docs/ci.md).",
    ),
]


def diff(
    paths: PathsOpt = None,
    rev: RevOpt = None,
    output_format: OutputFormatOpt = DiffFormat.text,
    exit_code: ExitCodeOpt = False,
    lint: LintOpt = True,
    textconv: TextconvOpt = False,
    output: OutputOpt = None,
    config: ConfigOpt = None,
    isolated: IsolatedOpt = False,
    config_rev: ConfigRevOpt = None,
) -> None:
    """Show what changed in journey maps, by id: a changelog for review.

    Given two metrics files (from `journeymap measure`), shows what changed in the measures.

    Stages and steps added, removed, moved or renamed; emotions, pain points, opportunities,
    KPIs, channels and handoffs; lint findings introduced or fixed.

    A map that is not valid on a side is not compared: its errors are printed on stderr as
    `validate` prints them, it is listed as not compared, and every other map is still
    compared. Exit codes: 0 done; 1 a map was not valid (or, with --exit-code, something
    changed); 2 a usage, configuration or internal error (a missing folder, a bad option).
    """
    args = paths or []
    if textconv:
        _textconv(args, rev, output)
    if rev is None and len(args) != 2:
        fail("give OLD and NEW (two maps or two directories), or --rev REV [PATH...]")
    if rev is None:
        _maybe_metrics(Path(args[0]), Path(args[1]), output_format, output, exit_code)
    from journeymap.config import ConfigError, ConfigFinder
    from journeymap.diff import FORMATTERS, DiffError, diff_paths, diff_revision, has_changes
    from journeymap.inputs import InputError

    lint_fn = None
    if lint:
        from journeymap.lint import lint_checked

        lint_fn = lint_checked
    # diff has no --verbose: a link not followed is always named (a map seems removed).
    on_link = link_printer(True, "journeymap diff: note: ")
    try:
        finder = ConfigFinder(config, isolated, config_rev)
        if rev is not None:
            named = [Path(p) for p in args or ["."]]
            diffs = diff_revision(rev, named, finder, lint_fn, on_link=on_link)
        else:
            diffs = diff_paths(Path(args[0]), Path(args[1]), finder, lint_fn, on_link=on_link)
    except (DiffError, ConfigError, InputError) as err:
        fail(str(err))
    color = output_format is DiffFormat.text and use_color() and output is None
    write_output(FORMATTERS[output_format.value](diffs, color), output)
    invalid = _report_invalid(diffs)
    changed = exit_code and has_changes(diffs)
    raise typer.Exit(cli_exit_code(invalid, bool(invalid) or changed))


def _report_invalid(diffs: list[MapDiff]) -> list[Finding]:
    """The errors of the maps not compared, on stderr as `validate` prints them."""
    import sys

    from journeymap.diff import invalid_findings
    from journeymap.report.text import TextReporter

    findings = invalid_findings(diffs)

    reporter = TextReporter()
    color = use_color(sys.stderr)
    for finding in findings:
        sys.stderr.write(reporter.block(finding, color) + "\n")
    sys.stderr.flush()
    return findings


def _textconv(args: list[str], rev: str | None, output: Path | None) -> NoReturn:
    """`--textconv FILE`: the file as an outline, for git's diff driver."""
    from journeymap.diff import DiffError, textconv_text

    if len(args) != 1 or rev is not None:
        fail("--textconv takes exactly one file (git passes it)")
    try:
        write_output(textconv_text(Path(args[0])), output)
    except DiffError as err:
        fail(str(err))
    raise typer.Exit(EXIT_OK)


def _maybe_metrics(
    old: Path, new: Path, output_format: DiffFormat, output: Path | None, exit_code: bool
) -> None:
    """Two metrics files (from `journeymap measure`): what changed in the measures, and exit."""
    from journeymap.measure.compare import compare_files, is_metrics_file

    one, other = is_metrics_file(old), is_metrics_file(new)
    if one != other:
        metrics, odd = (old, new) if one else (new, old)
        if not odd.exists():
            fail(f"{odd}: no such file")
        if odd.suffix.lower() != ".json":
            fail(
                f"{metrics} is a metrics file and {odd} is not: diff compares two maps, or two "
                "metrics files from `journeymap measure`"
            )
        # A JSON file beside a metrics file is read as one: its error says what is wrong.
    elif not one:
        return
    from journeymap.measure.use import MetricsError

    try:
        text, changed = compare_files(old, new, output_format.value)
    except MetricsError as err:
        fail(str(err))
    write_output(text, output)
    raise typer.Exit(EXIT_FINDINGS if exit_code and changed else EXIT_OK)
