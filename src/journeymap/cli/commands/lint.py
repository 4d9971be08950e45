"""`journeymap lint`: maps checked against journey-mapping best practices."""

from __future__ import annotations

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
    from journeymap.cli.lint_report import LintArgs, lint_and_report

    args = LintArgs(
        paths=paths,
        output_format=str(output_format) if output_format is not None else None,
        output=output,
        select=select,
        ignore=ignore,
        fail_on=str(fail_on) if fail_on is not None else None,
        today=today,
        metrics=metrics,
        config=config,
        isolated=isolated,
        config_rev=config_rev,
        verbose=verbose,
        strict=strict,
        jobs=jobs,
        no_cache=no_cache,
    )
    raise typer.Exit(lint_and_report(args))
