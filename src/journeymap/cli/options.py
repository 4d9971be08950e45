"""Arguments and options that several commands share, written once.

Choices come from the registries (`REPORTER_NAMES`, `THEMES`), so a new reporter or theme is
a new choice with no change here. Typer reads choices from an enum; mypy sees each choice type
as `str`, which its values are (a `StrEnum` member is a `str`).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from journeymap.report import REPORTER_NAMES


def _theme_names() -> Iterable[str]:
    from journeymap.render.themes import THEMES

    return THEMES


if TYPE_CHECKING:
    LintFormat = str
    ThemeName = str
    TextOrJson = str
    FailLevel = str
else:
    # Enums whose members are the registries' names, for typer to offer as choices.
    LintFormat = StrEnum("LintFormat", {name: name for name in REPORTER_NAMES})
    ThemeName = StrEnum("ThemeName", {name: name for name in _theme_names()})
    TextOrJson = StrEnum("TextOrJson", {name: name for name in ("text", "json")})
    FailLevel = StrEnum("FailLevel", {name: name for name in ("error", "warning", "info", "never")})

PathsArg = Annotated[
    list[str],
    typer.Argument(
        help="Map or library files, or directories to search for them.",
        metavar="PATH...",
        show_default=False,
    ),
]
ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        metavar="FILE",
        help="Use this configuration file instead of searching for one.",
        dir_okay=False,
    ),
]
IsolatedOpt = Annotated[
    bool, typer.Option("--isolated", help="Ignore every configuration file; use defaults.")
]
ConfigRevOpt = Annotated[
    str | None,
    typer.Option(
        "--config-rev",
        metavar="REV",
        help="Read the configuration files as they are at this git revision (a pull "
        "request's base), not from the working tree, so that a pull request cannot change "
        "the configuration of its own check (docs/security.md).",
        show_default=False,
    ),
]
VerboseOpt = Annotated[
    bool,
    typer.Option(
        "--verbose", "-v", help="Also name the YAML files passed over and the links not followed."
    ),
]
StrictOpt = Annotated[
    bool,
    typer.Option(
        "--strict",
        help="A YAML file in a given directory that is not a map is an error, not passed over.",
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write the report to this file instead of stdout (missing folders are created).",
    ),
]
NoCacheOpt = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help="Check every file afresh: neither read nor write the result cache "
        "($JOURNEYMAP_CACHE_DIR, else $XDG_CACHE_HOME/journeymap, else ~/.cache/journeymap).",
    ),
]
JobsOpt = Annotated[
    int | None,
    typer.Option(
        "--jobs",
        "-j",
        min=1,
        metavar="N",
        help="Worker processes [default: one per core when there are many files].",
        show_default=False,
    ),
]
MetricsOpt = Annotated[
    Path | None,
    typer.Option(
        "--metrics",
        help="metrics.json from `journeymap measure`: measured KPIs get their actuals and the "
        "data rules run [default: the configuration's measure.metrics, if the file exists].",
        dir_okay=False,
        show_default=False,
    ),
]
ThemeOpt = Annotated[
    ThemeName | None,
    typer.Option(
        "--theme",
        help="Colour theme [default: the configuration's render.theme, else default].",
        show_default=False,
    ),
]


def today_option(help_text: str) -> Any:
    """`--today YYYY-MM-DD`; the help says what the date is used for."""
    return typer.Option("--today", metavar="YYYY-MM-DD", help=help_text, show_default=False)
