"""The `render` command's work: options in, files written or checked, exit code out."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from journeymap.escape import terminal
from journeymap.render import DEFAULT_FORMATS, RENDERER_BY_NAME
from journeymap.render.batch import plan, stale
from journeymap.render.themes import DEFAULT_THEME, THEMES
from journeymap.suggest import did_you_mean

if TYPE_CHECKING:
    from journeymap.inputs import Tally
    from journeymap.inspection import Inspection

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
#: Above this many maps, progress is shown (a line per map, or a bar on a terminal).
PROGRESS_AFTER = 3


def parse_formats(values: Iterable[str], fail: Callable[[str], NoReturn]) -> list[str]:
    """`["html,svg", "png"]` -> `["html", "svg", "png"]`, each known, no repeats."""
    out: list[str] = []
    for value in values:
        for name in (part.strip().lower() for part in value.split(",")):
            if not name:
                continue
            if name not in RENDERER_BY_NAME:
                fail(
                    f"unknown format '{name}'{did_you_mean(name, RENDERER_BY_NAME)}; "
                    f"choose from {', '.join(RENDERER_BY_NAME)}"
                )
            if name not in out:
                out.append(name)
    if not out:
        fail(f"no format given; choose from {', '.join(RENDERER_BY_NAME)}")
    return out


def leads_out_of_the_project(output_dir: Path) -> str | None:
    """Why a relative output folder inside the project may not be used, or None.

    A pull request can commit `journeys -> /somewhere` (a symbolic link, or a folder path
    through one): `render --output-dir journeys` would then write outside the checkout. A
    relative path that names a place inside the project must resolve inside it; an absolute
    path, or a relative one that already names a place outside (`../site`), is the user's own
    choice and stays allowed.
    """
    if output_dir.is_absolute():
        return None
    from journeymap.project import project_root

    here = Path.cwd().resolve()
    root = project_root(here)
    named = Path(os.path.normpath(here / output_dir))
    if not named.is_relative_to(root):
        return None
    try:
        real = named.resolve()
    except (OSError, RuntimeError) as err:  # a link loop
        return f"output directory {output_dir} cannot be resolved: {err}"
    if real.is_relative_to(root):
        return None
    return (
        f"output directory {output_dir} is inside the project ({root}) but leads to {real}, "
        "outside it, through a symbolic link; journeymap does not write there (give that "
        "folder as an absolute path if it is really meant)"
    )


def _echo(message: str) -> None:
    """One line on stderr; file names and map text in it stay on the line (`terminal`)."""
    sys.stderr.write(terminal(message) + "\n")
    sys.stderr.flush()


def run_render(
    checked_iter: Iterable[Inspection],
    *,
    output_dir: Path,
    formats: list[str] | None,
    theme: str | None,
    check: bool,
    today: dt.date | None,
    fail: Callable[[str], NoReturn],
    tally: Tally | None = None,
    metrics: dict[str, Any] | None = None,
) -> int:
    from journeymap.config import ConfigError

    day = today
    escape = leads_out_of_the_project(output_dir)
    if escape is not None:
        fail(escape)
    if output_dir.exists() and not output_dir.is_dir():
        fail(f"output directory {output_dir} exists and is not a directory")
    results = list(checked_iter)
    config = results[0].config if results else None
    if formats:
        chosen = parse_formats(formats, fail)
    elif config is not None and config.render_formats:
        chosen = parse_formats(config.render_formats, fail)
    else:
        chosen = list(DEFAULT_FORMATS)
    theme_name = theme or (config.render_theme if config else None) or DEFAULT_THEME
    if theme_name not in THEMES:
        fail(
            f"unknown theme '{theme_name}'{did_you_mean(theme_name, THEMES)}; "
            f"choose from {', '.join(THEMES)}"
        )

    maps = [r for r in results if r.library is None]
    # --check writes nothing, so it says nothing about rendering either: only what is stale.
    progress, done = _progress(0 if check else len(maps))
    passed = _passed_over(tally)
    try:
        result = plan(results, chosen, THEMES[theme_name], output_dir, day, progress, metrics)
    except ConfigError as err:
        fail(str(err))
    finally:
        done()
    for problem in result.problems:
        _echo(f"journeymap: error: {problem}")
    for warning in result.warnings:
        _echo(f"journeymap: warning: {warning}")

    if check:
        out_of_date = stale(result.outputs)
        for state, path in out_of_date:
            sys.stdout.write(f"{state}: {terminal(str(path))}\n")
        sys.stdout.flush()
        if out_of_date:
            _echo(
                f"{len(out_of_date)} of {len(result.outputs)} output(s) missing or stale; "
                f"run `journeymap render` to update {output_dir}{passed}"
            )
        else:
            _echo(f"{len(result.outputs)} output(s) in {output_dir} are current{passed}")
        if result.internal:
            return EXIT_ERROR
        return EXIT_FINDINGS if out_of_date or result.problems else EXIT_OK

    from journeymap.files import write_atomic

    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        fail(f"cannot create output directory {output_dir}: {err.strerror or err}")
    written = 0
    for output in result.outputs:
        try:
            written += write_atomic(output.path, output.data)
        except OSError as err:
            fail(f"cannot write {output.path}: {err.strerror or err}")
    count = len(result.rendered)
    _echo(
        f"rendered {count} map{'' if count == 1 else 's'} into {output_dir}: "
        f"{written} file(s) written, {len(result.outputs) - written} unchanged{passed}"
    )
    if result.internal:
        return EXIT_ERROR
    return EXIT_FINDINGS if result.problems else EXIT_OK


def _passed_over(tally: Tally | None) -> str:
    count = len(tally.passed_over) if tally is not None else 0
    return f"; {count} YAML file(s) passed over (not maps; -v names them)" if count else ""


def _progress(total: int) -> tuple[Callable[[str], None] | None, Callable[[], None]]:
    """A callback per map (a line on stderr, or a rich bar on a terminal) and a finisher."""
    if total <= PROGRESS_AFTER:
        return None, lambda: None
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import Progress

        bar = Progress(console=Console(stderr=True), transient=True)
        task = bar.add_task("rendering", total=total)
        bar.start()

        from rich.markup import escape as rich_text

        def advance(name: str) -> None:  # a file name is neither markup nor terminal codes
            bar.update(task, advance=1, description=f"rendering {rich_text(terminal(name))}")

        return advance, bar.stop
    count = 0

    def line(name: str) -> None:
        nonlocal count
        count += 1
        _echo(f"rendering {name} ({count}/{total})")

    return line, lambda: None
