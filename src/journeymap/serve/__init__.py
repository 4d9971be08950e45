"""`journeymap serve`: a live preview of a map (or a folder's portfolio) on 127.0.0.1.

A watcher thread polls the maps, their libraries and the configuration; on a change it renders
everything again, in memory, with the render registry. The browser shows a small shell page
(`/`) whose script listens to Server-Sent Events (`/events`) and reloads the rendered page in an
iframe (`/view/<file>`). The rendered pages keep their own strict Content-Security-Policy, which
is why the reload script lives in the shell and not in them. A map that stops validating shows
its errors in the shell, and the server keeps running; so does a configuration edited into an
error (one that is wrong from the start is refused, as the other commands refuse it).

The parts: `preview` (the watcher and its snapshots), `shell` (the page around the rendered
one) and `server` (the HTTP server).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from journeymap.config import ConfigError
from journeymap.serve.preview import Preview, Snapshot
from journeymap.serve.server import HOST, PreviewServer

DEFAULT_PORT = 8765

__all__ = ["DEFAULT_PORT", "HOST", "Preview", "PreviewServer", "Snapshot", "serve"]


def serve(
    target: Path,
    port: int = DEFAULT_PORT,
    config: Path | None = None,
    isolated: bool = False,
    theme: str | None = None,
    on_ready: Callable[[str, Snapshot], None] | None = None,
    on_change: Callable[[Snapshot], None] | None = None,
) -> None:
    """Serve until interrupted (KeyboardInterrupt propagates after a clean shutdown).

    A configuration that cannot be read is refused before the server starts (ConfigError), as
    every other command refuses it; one edited into an error later is shown in the page."""
    preview = Preview(target, config, isolated, theme)
    preview.refresh()
    if preview.snapshot.config_error is not None:
        raise ConfigError(preview.snapshot.config_error)
    preview.log = on_change
    server = PreviewServer(preview, port)
    watcher = threading.Thread(target=preview.watch, name="journeymap-watch", daemon=True)
    watcher.start()
    if on_ready is not None:
        on_ready(f"http://{HOST}:{server.server_address[1]}/", preview.snapshot)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        preview.stop()
        server.server_close()
