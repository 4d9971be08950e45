"""`journeymap lint`: maps checked against journey-mapping best practices."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated

import typer

from journeymap.cli.options import (
    ConfigOpt,
    ConfigRevOpt,
    FailLevel,
    IsolatedOpt,
    JobsOpt,
    LintFormat,
    MetricsOpt,
    NoCacheOpt,
    OutputOpt,
    PathsArg,
    StrictOpt,
    VerboseOpt,
    today_option,
)
from journeymap.cli.output import (
    EXIT_ERROR,
    EXIT_FINDINGS,
    EXIT_OK,
    fail,
    parse_today,
    passed_over_printer,
    use_color,
)

SelectOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--select",
        metavar="RULES",
        help="Run only these rules (comma-separated, or repeat the option).",
    ),
]


OutputFormatOpt = Annotated[
    LintFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format [default: text; github when GITHUB_ACTIONS=true].",
        show_default=False,
    ),
]
IgnoreOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--ignore", metavar="RULES", help="Do not run these rules (comma-separated, or repeat)."
    ),
]
FailOnOpt = Annotated[
    FailLevel | None,
    typer.Option(
        "--fail-on",
        help="Exit 1 when a finding is at or above this severity "
        "[default: the configuration's fail-on, else error].",
        show_default=False,
    ),
]
TodayOpt = Annotated[
    str | None,
    today_option(
        "The date stale-map compares `updated` with [default: today]; "
        "fix it for reproducible CI runs."
    ),
]


def lint(
    paths: PathsArg,
    output_format: OutputFormatOpt = None,
    output: OutputOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    fail_on: FailOnOpt = None,
    today: TodayOpt = None,
    metrics: MetricsOpt = None,
    config: ConfigOpt = None,
    isolated: IsolatedOpt = False,
    config_rev: ConfigRevOpt = None,
    verbose: VerboseOpt = False,
    strict: StrictOpt = False,
    jobs: JobsOpt = None,
    no_cache: NoCacheOpt = False,
) -> None:
    """Check maps against journey-mapping best practices (format errors first, as validate).

    `journeymap rules` lists the rules. Silence one finding with a
    `# journeymap: ignore[rule] -- reason` comment; configure rules in journeymap.toml.
    """
    import functools

    from journeymap.config import ConfigError
    from journeymap.inputs import InputError, Tally
    from journeymap.lint.run import LintOptions, default_format, rule_infos, run
    from journeymap.measure.use import MetricsError
    from journeymap.report import REPORTER_BY_NAME
    from journeymap.report.github import GithubWriter
    from journeymap.report.stream import Context, linted_part, write_report
    from journeymap.runner import InputOptions

    day = parse_today(today)
    format_name = str(output_format) if output_format is not None else default_format()
    options = LintOptions(
        inputs=InputOptions(config, isolated, config_rev, strict, passed_over_printer(verbose)),
        select=select,
        ignore=ignore,
        fail_on=str(fail_on) if fail_on is not None else None,
        today=day,
        metrics=metrics,
        cache=not no_cache,
        jobs=jobs,
    )
    tally = Tally()
    reporter = REPORTER_BY_NAME[format_name]
    context = Context("lint", rule_infos(), format_name == "text" and _color(output))
    finish = functools.partial(linted_part, reporter, context)
    try:
        parts = run(paths, options, finish, by_name=not reporter.by_files, tally=tally)
        with _report_output(output) as out:
            writer = reporter.writer(out, context)
            totals = write_report(parts, writer, lambda: len(tally.passed_over))
    except (ConfigError, InputError, MetricsError) as err:
        fail(str(err))
    if isinstance(writer, GithubWriter):
        _append_step_summary(writer.step_summary())
    raise typer.Exit(EXIT_ERROR if totals.internal else EXIT_FINDINGS if totals.failed else EXIT_OK)


def _color(output: Path | None) -> bool:
    return use_color() and output is None


@contextlib.contextmanager
def _report_output(output: Path | None) -> Iterator[Callable[[str], object]]:
    """Where a report is written as it goes: stdout, or a file that appears when complete."""
    if output is None:
        yield sys.stdout.write
        sys.stdout.flush()
        return
    from journeymap.files import open_atomic

    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        with open_atomic(output) as handle:
            yield handle.write
    except OSError as err:
        fail(f"cannot write {output}: {err.strerror or err}")


def _append_step_summary(summary: str) -> None:
    """Inside GitHub Actions, the run's summary for the job's page ($GITHUB_STEP_SUMMARY)."""
    import os

    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if not summary_file:
        return
    try:
        with Path(summary_file).open("a", encoding="utf-8") as handle:
            handle.write(summary)
    except OSError as err:
        fail(f"cannot append to GITHUB_STEP_SUMMARY {summary_file}: {err.strerror or err}")
