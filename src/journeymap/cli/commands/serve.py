"""`journeymap serve`: a live preview in the browser, reloaded when a map changes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from journeymap.cli.options import ConfigOpt, IsolatedOpt, ThemeOpt
from journeymap.cli.output import EXIT_OK, fail

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

    Listens on 127.0.0.1 only. While a map does not validate, the page shows its errors; the
    server keeps running until Ctrl-C.
    """
    import errno
    import time

    from journeymap.serve import Snapshot
    from journeymap.serve import serve as run_server

    if not path.exists():
        fail(f"{path}: no such file or directory")
    if not 0 <= port <= 65535:
        fail(f"--port {port}: must be from 0 to 65535")

    from journeymap.escape import terminal

    def ready(url: str, snapshot: Snapshot) -> None:
        typer.echo(f"Serving {terminal(str(path))} at {url} (Ctrl-C to stop)", err=True)
        if snapshot.errors:
            typer.echo(f"  {len(snapshot.errors)} problem(s); they are shown in the page", err=True)
        if open_browser:
            import webbrowser

            webbrowser.open(url)

    def changed(snapshot: Snapshot) -> None:
        stamp = time.strftime("%H:%M:%S")
        state = f"{len(snapshot.errors)} problem(s)" if snapshot.errors else "valid"
        typer.echo(f"[{stamp}] reloaded: {state}", err=True)

    try:
        run_server(
            path,
            port,
            config,
            isolated,
            str(theme) if theme is not None else None,
            on_ready=ready,
            on_change=changed,
        )
    except OSError as err:
        if err.errno == errno.EADDRINUSE:
            fail(f"port {port} on 127.0.0.1 is in use; choose another with --port")
        fail(f"cannot serve: {err.strerror or err}")
    except KeyboardInterrupt:
        typer.echo("journeymap: stopped serving", err=True)
    raise typer.Exit(EXIT_OK)
