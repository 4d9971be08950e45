"""`journeymap serve`: a live preview in the browser, reloaded when a map changes."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from journeymap.cli.options import ConfigOpt, IsolatedOpt, ThemeOpt
from journeymap.cli.output import EXIT_OK, fail
from journeymap.words import plural

if TYPE_CHECKING:
    from journeymap.serve import Snapshot

PathOpt = Annotated[
    Path,
    typer.Argument(help="A map, or a directory for its portfolio.", show_default=False),
]
PortOpt = Annotated[
    int,
    typer.Option("--port", "-p", metavar="N", help="Port on 127.0.0.1 (0 picks a free one)."),
]
OpenBrowserOpt = Annotated[
    bool, typer.Option("--open", help="Open the page in the default browser.")
]


def serve(
    path: PathOpt,
    port: PortOpt = 8765,
    theme: ThemeOpt = None,
    open_browser: OpenBrowserOpt = False,
    config: ConfigOpt = None,
    isolated: IsolatedOpt = False,
) -> None:
    """Preview a map in the browser, reloading it whenever the map or a library changes.

    Listens on 127.0.0.1 only. While a map (or the configuration) has an error, the page shows
    it; the server keeps running until Ctrl-C. A configuration with an error at the start is
    refused (exit 2), as every command refuses it.
    """
    import errno

    from journeymap.config import ConfigError
    from journeymap.serve import serve as run_server

    if not path.exists():
        fail(f"{path}: no such file or directory")
    if not 0 <= port <= 65535:
        fail(f"--port {port}: must be from 0 to 65535")

    from journeymap.escape import terminal

    def ready(url: str, snapshot: Snapshot) -> None:
        typer.echo(f"Serving {terminal(str(path))} at {url} (Ctrl-C to stop)", err=True)
        if snapshot.errors:
            shown = "it is" if len(snapshot.errors) == 1 else "they are"
            problems = plural(len(snapshot.errors), "problem")
            typer.echo(f"  {problems}; {shown} shown in the page", err=True)
        if open_browser:
            import webbrowser

            webbrowser.open(url)

    try:
        run_server(
            path,
            port,
            config,
            isolated,
            str(theme) if theme is not None else None,
            on_ready=ready,
            on_change=_changed,
        )
    except ConfigError as err:
        fail(str(err))
    except OSError as err:
        if err.errno == errno.EADDRINUSE:
            fail(f"port {port} on 127.0.0.1 is in use; choose another with --port")
        fail(f"cannot serve: {err.strerror or err}")
    except KeyboardInterrupt:
        typer.echo("journeymap: stopped serving", err=True)
    raise typer.Exit(EXIT_OK)


def _changed(snapshot: Snapshot) -> None:
    """A line on the terminal for each new render."""
    import time

    stamp = time.strftime("%H:%M:%S")
    if snapshot.config_error is not None:
        state = "the configuration has an error; it is shown in the page"
    else:
        state = plural(len(snapshot.errors), "problem") if snapshot.errors else "valid"
    typer.echo(f"[{stamp}] reloaded: {state}", err=True)
