"""`journeymap serve`: a live preview of a map (or a folder's portfolio) on 127.0.0.1.

A watcher thread polls the maps, their libraries and the configuration; on a change it renders
everything again, in memory, with the render registry. The browser shows a small shell page
(`/`) whose script listens to Server-Sent Events (`/events`) and reloads the rendered page in an
iframe (`/view/<file>`). The rendered pages keep their own strict Content-Security-Policy, which
is why the reload script lives in the shell and not in them. A map that stops validating shows
its errors in the shell, and the server keeps running.
"""

from __future__ import annotations

import html
import json
import os
import threading
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from journeymap.cache import library_paths
from journeymap.config import DEFAULT_EXCLUDE, ConfigError, ConfigFinder
from journeymap.csp import csp_hash
from journeymap.inputs import YAML_SUFFIXES, InputError, discover
from journeymap.inspection import Inspector
from journeymap.project import CONFIG_NAMES, PYPROJECT, upward
from journeymap.suggest import did_you_mean

HOST = "127.0.0.1"
DEFAULT_PORT = 8765
POLL_SECONDS = 0.25
KEEPALIVE_SECONDS = 15.0
#: A connection that sends nothing (or cannot be written to) for this long is closed.
CONNECTION_TIMEOUT_SECONDS = 20.0
#: Connections served at once; more are closed as they come, so that a flood of half-open
#: connections cannot pile up a thread each.
MAX_CONNECTIONS = 32
_TYPES = {".html": "text/html; charset=utf-8", ".svg": "image/svg+xml", ".mmd": "text/plain"}


@dataclass(frozen=True)
class Snapshot:
    """One render of everything being previewed."""

    version: int
    files: dict[str, bytes] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    entry: str | None = None  # the page to show: the map's, or the portfolio
    watched: tuple[Path, ...] = ()

    def state(self) -> dict[str, Any]:
        return {"version": self.version, "errors": self.errors, "entry": self.entry}


class Preview:
    """Renders the target again whenever one of the files it depends on changes."""

    def __init__(
        self,
        target: Path,
        config: Path | None = None,
        isolated: bool = False,
        theme: str | None = None,
    ) -> None:
        self.target = target
        self.config = config
        self.isolated = isolated
        self.theme = theme
        self.changed = threading.Condition()
        self.snapshot = Snapshot(version=0)
        self._stop = threading.Event()
        self._fingerprint: dict[Path, tuple[int, int] | None] = {}
        self.log: Callable[[Snapshot], None] | None = None

    # -- building -----------------------------------------------------------------------------

    def build(self) -> Snapshot:
        version = self.snapshot.version + 1
        try:
            return self._build(version)
        except Exception as err:  # a bug must not stop the preview; show it instead
            detail = "".join(traceback.format_exception_only(type(err), err)).strip()
            return Snapshot(
                version,
                errors=[f"journeymap: internal error while rendering: {detail}"],
                watched=self.snapshot.watched or (self.target,),
            )

    def _build(self, version: int) -> Snapshot:
        from journeymap.render.batch import plan
        from journeymap.render.themes import DEFAULT_THEME, THEMES

        try:
            finder = ConfigFinder(self.config, self.isolated)  # fresh: config edits apply
            files = discover([str(self.target)], finder).files
        except (ConfigError, InputError) as err:
            return Snapshot(version, errors=[str(err)], watched=(self.target,))
        inspector = Inspector(finder)
        results = [inspector.inspect(path) for path in files]
        errors = [
            f"{f.file}:{f.line}:{f.column}: {f.severity.value} {f.rule}: {f.message}"
            for r in results
            for f in r.findings
        ]
        config = results[0].config if results else None
        theme_name = self.theme or (config.render_theme if config else None) or DEFAULT_THEME
        if theme_name not in THEMES:  # as `render` does; the page still shows the map
            errors.append(
                f"unknown theme '{theme_name}'{did_you_mean(theme_name, THEMES)} in the "
                f"configuration's render.theme; choose from {', '.join(THEMES)}"
            )
        theme = THEMES.get(theme_name, THEMES[DEFAULT_THEME])
        rendered = plan(results, ["html"], theme, Path())
        errors += [p for p in rendered.problems if "format error(s)" not in p]
        outputs = {output.path.name: output.data for output in rendered.outputs}
        entry: str | None = None
        if "index.html" in outputs:
            entry = "index.html"
        elif rendered.rendered:
            entry = f"{rendered.rendered[0][0].id}.html"
        if not files:
            errors.append(f"{self.target}: no journeymap files found")
        watched = [*files, *self._configs(files)]
        for result in results:
            if result.journey is not None:
                watched += [doc.path for doc, _ in result.journey.libraries]
            elif result.document is not None:
                # Not valid, perhaps because of a library: fixing the library must reload too.
                watched += library_paths(result.path, result.document.data)[1]
        return Snapshot(version, outputs, errors, entry, tuple(dict.fromkeys(watched)))

    def _configs(self, files: list[Path]) -> Iterator[Path]:
        if self.config is not None:
            yield self.config
            return
        folders = {path.resolve().parent for path in files} or {self.target.resolve()}
        for folder in folders:
            for directory in upward(folder):
                for name in (*CONFIG_NAMES, PYPROJECT):
                    yield directory / name

    # -- watching -----------------------------------------------------------------------------

    def _candidates(self) -> Iterator[Path]:
        yield from self.snapshot.watched
        if self.target.is_dir():  # new files in the folder
            for current, dirnames, filenames in os.walk(self.target):
                dirnames[:] = [
                    d for d in dirnames if d not in DEFAULT_EXCLUDE and not d.startswith(".")
                ]
                for name in filenames:
                    if name.endswith(YAML_SUFFIXES):
                        yield Path(current) / name

    def fingerprint(self) -> dict[Path, tuple[int, int] | None]:
        out: dict[Path, tuple[int, int] | None] = {}
        for path in self._candidates():
            try:
                stat = path.stat()
                out[path] = (stat.st_mtime_ns, stat.st_size)
            except OSError:
                out[path] = None
        return out

    def refresh(self) -> bool:
        """Render again if anything changed; True when a new snapshot was published."""
        # Taken before the build and kept: a file saved while the build runs then differs from
        # it at the next poll and is rendered (taken after, that edit would never be seen).
        before = self.fingerprint()
        if before == self._fingerprint and self.snapshot.version:
            return False
        snapshot = self.build()
        with self.changed:
            self.snapshot = snapshot
            # The build may watch new files (a library now used): those as they are now.
            after = self.fingerprint()
            self._fingerprint = {path: before.get(path, now) for path, now in after.items()}
            self.changed.notify_all()
        if self.log is not None and snapshot.version > 1:
            self.log(snapshot)
        return True

    def watch(self) -> None:
        while not self._stop.wait(POLL_SECONDS):
            self.refresh()

    def stop(self) -> None:
        self._stop.set()
        with self.changed:
            self.changed.notify_all()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()


# ---------------------------------------------------------------------------------------------
# The shell page


_STYLE = """
body{margin:0;font:15px/1.4 system-ui,sans-serif;display:flex;flex-direction:column;height:100vh}
header{padding:.4rem .8rem;background:#222;color:#eee;display:flex;gap:1rem;align-items:center}
header strong{font-weight:600}#status{margin-left:auto;font-size:.85rem;color:#bbb}
#errors{margin:0;padding:.8rem 1rem;background:#fff1f0;color:#5c0011;
border-bottom:2px solid #cf1322}
#errors h2{margin:0 0 .4rem;font-size:1rem}#errors ul{margin:0;padding-left:1.2rem}
#errors li{font-family:ui-monospace,monospace;white-space:pre-wrap;margin:.15rem 0}
iframe{flex:1;border:0;width:100%}[hidden]{display:none!important}
"""

_SCRIPT = """
(() => {
  const frame = document.getElementById("view");
  const box = document.getElementById("errors");
  const list = document.getElementById("error-list");
  const status = document.getElementById("status");
  let version = Number(document.body.dataset.version);
  function show(state) {
    list.replaceChildren(...state.errors.map((text) => {
      const item = document.createElement("li");
      item.textContent = text;
      return item;
    }));
    box.hidden = state.errors.length === 0;
    if (state.entry) {
      frame.hidden = false;
      if (frame.dataset.entry !== state.entry) {
        frame.dataset.entry = state.entry;
        frame.src = "/view/" + state.entry;
      } else {
        frame.contentWindow.location.reload();
      }
    } else {
      frame.hidden = true;
    }
    version = state.version;
    document.body.dataset.version = String(version);
    status.textContent = "updated " + new Date().toLocaleTimeString();
  }
  const events = new EventSource("/events");
  events.onmessage = async (event) => {
    if (Number(event.data) === version) return;
    const response = await fetch("/state", {cache: "no-store"});
    show(await response.json());
  };
  events.onerror = () => { status.textContent = "reconnecting…"; };
  events.onopen = () => { status.textContent = "live"; };
})();
"""


SHELL_CSP = (
    f"default-src 'none'; script-src {csp_hash(_SCRIPT)}; style-src {csp_hash(_STYLE)}; "
    "connect-src 'self'; frame-src 'self'; img-src data:; base-uri 'none'; form-action 'none'"
)


def shell_page(snapshot: Snapshot, target: str) -> bytes:
    errors = "".join(f"<li>{html.escape(e)}</li>" for e in snapshot.errors)
    entry = snapshot.entry
    frame = (
        f'<iframe id="view" title="Rendered journey map" src="/view/{html.escape(entry)}" '
        f'data-entry="{html.escape(entry)}"></iframe>'
        if entry
        else '<iframe id="view" title="Rendered journey map" hidden></iframe>'
    )
    page = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(target)} · journeymap serve</title>
<style>{_STYLE}</style>
</head>
<body data-version="{snapshot.version}">
<header><strong>journeymap serve</strong><span>{html.escape(target)}</span>
<span id="status" role="status">live</span></header>
<section id="errors" aria-labelledby="errors-title"{"" if errors else " hidden"}>
<h2 id="errors-title">This map does not validate; fix it and save, and the page comes back</h2>
<ul id="error-list">{errors}</ul>
</section>
{frame}
<script>{_SCRIPT}</script>
</body>
</html>
"""
    return page.encode("utf-8")


# ---------------------------------------------------------------------------------------------
# The server


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"
    timeout = CONNECTION_TIMEOUT_SECONDS  # a socket timeout on every read and write

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: the terminal shows what changed, not every request

    def _send(self, status: int, body: bytes, content_type: str, csp: str | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        if csp:
            self.send_header("Content-Security-Policy", csp)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _host_ok(self) -> bool:
        """Refuse other Host names, so a web page cannot reach the preview by DNS rebinding."""
        host = (self.headers.get("Host") or "").lower()
        port = self.server.server_address[1]
        return host in (f"127.0.0.1:{port}", f"localhost:{port}")

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        if not self._host_ok():
            self._send(HTTPStatus.FORBIDDEN, b"forbidden host\n", "text/plain")
            return
        preview = self.server.preview
        snapshot = preview.snapshot
        path = self.path.split("?", 1)[0]
        if path == "/":
            page = shell_page(snapshot, str(preview.target))
            self._send(HTTPStatus.OK, page, "text/html; charset=utf-8", SHELL_CSP)
        elif path == "/state":
            body = json.dumps(snapshot.state()).encode("utf-8")
            self._send(HTTPStatus.OK, body, "application/json")
        elif path == "/events":
            self._events()
        elif path.startswith("/view/") and path[len("/view/") :] in snapshot.files:
            name = path[len("/view/") :]
            kind = _TYPES.get(Path(name).suffix, "application/octet-stream")
            self._send(HTTPStatus.OK, snapshot.files[name], kind)
        else:
            self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain")

    def _events(self) -> None:
        preview = self.server.preview
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        sent = -1
        try:
            while not preview.stopped:
                with preview.changed:
                    if preview.snapshot.version == sent:
                        preview.changed.wait(KEEPALIVE_SECONDS)
                    version = preview.snapshot.version
                if version != sent:
                    self.wfile.write(f"data: {version}\n\n".encode())
                    sent = version
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
        except OSError:  # the browser went away, or stopped reading (a timeout)
            pass


class PreviewServer(ThreadingHTTPServer):
    """A thread per connection, at most `max_connections` of them."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64  # accepted (and, when full, closed) quickly, not left to retry

    def __init__(self, preview: Preview, port: int, max_connections: int = MAX_CONNECTIONS) -> None:
        self.preview = preview
        self._slots = threading.BoundedSemaphore(max_connections)
        super().__init__((HOST, port), _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            self.shutdown_request(request)  # full: close it at once rather than queue a thread
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()


def serve(
    target: Path,
    port: int = DEFAULT_PORT,
    config: Path | None = None,
    isolated: bool = False,
    theme: str | None = None,
    on_ready: Callable[[str, Snapshot], None] | None = None,
    on_change: Callable[[Snapshot], None] | None = None,
) -> None:
    """Serve until interrupted (KeyboardInterrupt propagates after a clean shutdown)."""
    preview = Preview(target, config, isolated, theme)
    preview.refresh()
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
