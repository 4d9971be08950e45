"""`journeymap render`: maps as HTML pages, diagrams and Mermaid, or `--check` what is stale."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from journeymap.cli.options import (
    ConfigOpt,
    ConfigRevOpt,
    IsolatedOpt,
    JobsOpt,
    MetricsOpt,
    NoCacheOpt,
    PathsArg,
    StrictOpt,
    ThemeOpt,
    VerboseOpt,
    today_option,
)
from journeymap.cli.output import fail, input_options, note, parse_today
from journeymap.render import RENDERER_NAMES

#: Above this many maps, progress is shown: a bar on a terminal, or with --progress a line per
#: map (a CI log gets no line per map unless it asks for them).
PROGRESS_AFTER = 3


OutputDirOpt = Annotated[
    Path,
    typer.Option("--output-dir", "-o", help="Directory to write the files into.", metavar="DIR"),
]
FormatsOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--format",
        "-f",
        help=f"Formats, comma-separated or repeated: {', '.join(RENDERER_NAMES)} "
        "[default: the configuration's render.formats, else html,svg].",
        show_default=False,
    ),
]
CheckOpt = Annotated[
    bool,
    typer.Option(
        "--check",
        help="Write nothing; exit 1 naming every output that is missing or stale, and every "
        "file left over from a map these paths no longer render (for CI and pre-commit); "
        "exit 0 when all are current.",
    ),
]
PruneOpt = Annotated[
    bool,
    typer.Option(
        "--prune",
        help="Remove the files left over in DIR: those journeymap made from a map under these "
        "paths that was deleted, renamed or given another id. Only files that carry "
        "journeymap's record of their map are removed, never a link. Without --prune, "
        "each is named in a warning.",
    ),
]
ProgressOpt = Annotated[
    bool,
    typer.Option(
        "--progress",
        help=f"Name each map as it is rendered (past {PROGRESS_AFTER} maps) even when stderr is "
        "not a terminal, a line each; on a terminal a progress bar is shown anyway.",
    ),
]
TodayOpt = Annotated[
    str | None,
    today_option("The date the health panel's stale-map check uses [default: today]."),
]


def render(
    paths: PathsArg,
    output_dir: OutputDirOpt,
    formats: FormatsOpt = None,
    theme: ThemeOpt = None,
    check: CheckOpt = False,
    prune: PruneOpt = False,
    today: TodayOpt = None,
    metrics: MetricsOpt = None,
    config: ConfigOpt = None,
    isolated: IsolatedOpt = False,
    config_rev: ConfigRevOpt = None,
    verbose: VerboseOpt = False,
    strict: StrictOpt = False,
    jobs: JobsOpt = None,
    no_cache: NoCacheOpt = False,
    progress: ProgressOpt = False,
) -> None:
    """Render maps as HTML pages, flow diagrams (SVG, PNG, PDF, DOT) and Mermaid.

    Files are named after each map's id (`<id>.html`, `<id>.svg`, `<id>.mmd`...); rendering
    several maps also writes a portfolio page, index.html. The same maps always give the same
    bytes, and unchanged files are not rewritten. Each file records the map it was made from,
    so a file left over from a map since deleted, renamed or given another id is found:
    named by a warning, removed with --prune, reported by --check.
    """
    from journeymap.config import ConfigError
    from journeymap.inputs import InputError
    from journeymap.measure.use import MetricsError
    from journeymap.render.run import RenderError, RenderOptions, run

    inputs = input_options(config, isolated, config_rev, strict, verbose, note)
    options = RenderOptions(
        output_dir=output_dir,
        inputs=inputs,
        formats=formats,
        theme=str(theme) if theme is not None else None,
        check=check,
        prune=prune,
        today=parse_today(today),
        metrics=metrics,
        jobs=jobs,
        cache=not no_cache,
    )
    import sys

    try:
        result = run(paths, options, _progress if progress or sys.stderr.isatty() else None)
    except RenderError as err:
        for line in err.notes:
            note(line)
        fail(str(err))
    except (ConfigError, InputError, MetricsError) as err:
        fail(str(err))
    for line in result.notes:
        note(line)
    _print_stale(result.stale, result.leftovers)
    note(result.summary)
    raise typer.Exit(result.code)


def _print_stale(stale: list[tuple[str, Path]], leftovers: list[tuple[Path, str]]) -> None:
    """`render --check`: each file that is not what the maps give, a line on stdout."""
    import sys

    from journeymap.escape import terminal

    lines = [f"{state}: {terminal(str(path))}\n" for state, path in stale]
    lines += [f"leftover: {terminal(str(path))} ({terminal(why)})\n" for path, why in leftovers]
    sys.stdout.write("".join(lines))
    sys.stdout.flush()


def _progress(total: int | None) -> tuple[Callable[[str], None] | None, Callable[[], None]]:
    """A callback per map (a rich bar on a terminal, else a line on stderr) and a finisher.

    With `total` None the maps are counted as they come (they render in workers, ahead of
    the count), shown from the map after the first `PROGRESS_AFTER` on."""
    import sys

    if total is not None and total <= PROGRESS_AFTER:
        return None, lambda: None
    names: list[str] = []
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.markup import escape as rich_text
        from rich.progress import Progress

        from journeymap.escape import terminal

        bar = Progress(console=Console(stderr=True), transient=True)
        task = bar.add_task("rendering", total=total)

        def advance(name: str) -> None:  # a file name is neither markup nor terminal codes
            names.append(name)
            if len(names) == PROGRESS_AFTER + 1:
                bar.start()
            text = f"rendering {rich_text(terminal(name))}"
            bar.update(task, completed=len(names), description=text)

        return advance, bar.stop

    def line(name: str) -> None:
        names.append(name)
        if len(names) == PROGRESS_AFTER + 1:
            for count, earlier in enumerate(names[:-1], 1):
                note(f"rendering {earlier} ({count}{'' if total is None else f'/{total}'})")
        if len(names) > PROGRESS_AFTER:
            note(f"rendering {name} ({len(names)}{'' if total is None else f'/{total}'})")

    return line, lambda: None
