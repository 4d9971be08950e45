"""The body of `journeymap lint`, without typer: lint the maps, write the report, the exit code.

`commands/lint.py` (typer) and `quick.py` (a one-file run's fast path) both parse a command
line into `LintArgs` and call `lint_and_report`, so both give the same report and exit code.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from journeymap.cli.output import (
    EXIT_ERROR,
    EXIT_FINDINGS,
    EXIT_OK,
    fail,
    input_options,
    note,
    parse_today,
    use_color,
)


@dataclass(frozen=True)
class LintArgs:
    """`journeymap lint`'s arguments and options, as given (None: not given)."""

    paths: list[str]
    output_format: str | None = None
    output: Path | None = None
    select: list[str] | None = None
    ignore: list[str] | None = None
    fail_on: str | None = None
    today: str | None = None
    metrics: Path | None = None
    config: Path | None = None
    isolated: bool = False
    config_rev: str | None = None
    verbose: bool = False
    strict: bool = False
    jobs: int | None = None
    no_cache: bool = False


def lint_and_report(args: LintArgs) -> int:
    """Lint `args.paths` and write the report as it comes; the exit code."""
    import functools

    from journeymap.config import ConfigError
    from journeymap.inputs import InputError, Tally
    from journeymap.lint.run import LintOptions, default_format, rule_infos, run
    from journeymap.measure.use import MetricsError
    from journeymap.report import REPORTER_BY_NAME
    from journeymap.report.github import GithubWriter
    from journeymap.report.stream import Context, linted_part, with_same_ids, write_report

    day = parse_today(args.today)
    format_name = args.output_format or default_format()
    inputs = input_options(
        args.config, args.isolated, args.config_rev, args.strict, args.verbose, note
    )
    options = LintOptions(
        inputs=inputs,
        select=args.select,
        ignore=args.ignore,
        fail_on=args.fail_on,
        today=day,
        metrics=args.metrics,
        cache=not args.no_cache,
        jobs=args.jobs,
    )
    tally = Tally()
    reporter = REPORTER_BY_NAME[format_name]
    context = Context("lint", rule_infos(), format_name == "text" and _color(args.output))
    finish = functools.partial(linted_part, reporter, context)
    try:
        parts = run(args.paths, options, finish, by_name=not reporter.by_files, tally=tally)
        parts = with_same_ids(parts, reporter, context)
        with _report_output(args.output) as out:
            writer = reporter.writer(out, context)
            totals = write_report(parts, writer, lambda: (len(tally.passed_over), len(tally.links)))
    except (ConfigError, InputError, MetricsError) as err:
        fail(str(err))
    if isinstance(writer, GithubWriter):
        _append_step_summary(writer.step_summary())
    return EXIT_ERROR if totals.internal else EXIT_FINDINGS if totals.failed else EXIT_OK


def _color(output: Path | None) -> bool:
    return use_color() and output is None


@contextlib.contextmanager
def _report_output(output: Path | None) -> Iterator[Callable[[str], object]]:
    """Where a report is written as it goes: stdout, or a file that appears when complete."""
    if output is None:
        yield sys.stdout.write
        sys.stdout.flush()
        return
    from journeymap.files import make_folder, open_atomic

    try:
        make_folder(output)
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
