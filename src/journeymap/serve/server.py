"""The HTTP server on 127.0.0.1: the shell page, the snapshot's state and files, and its events.

`/` is the shell page, `/state` the snapshot's version and errors as JSON, `/events` a stream of
versions (Server-Sent Events), `/view/<file>` a rendered file. Requests for another Host name are
refused (DNS rebinding); connections are bounded in number and time.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from journeymap.serve.preview import Preview
from journeymap.serve.shell import SHELL_CSP, shell_page

HOST = "127.0.0.1"
KEEPALIVE_SECONDS = 15.0
#: A connection that sends nothing (or cannot be written to) for this long is closed.
CONNECTION_TIMEOUT_SECONDS = 20.0
#: Connections served at once; more are closed as they come, so that a flood of half-open
#: connections cannot pile up a thread each.
MAX_CONNECTIONS = 32
_TYPES = {".html": "text/html; charset=utf-8", ".svg": "image/svg+xml", ".mmd": "text/plain"}


class Handler(BaseHTTPRequestHandler):
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


class _Once:
    """Call `action` the first time only, from whichever thread comes first."""

    def __init__(self, action: Callable[[], None]) -> None:
        self._action = action
        self._done = threading.Lock()

    def __call__(self) -> None:
        if self._done.acquire(blocking=False):
            self._action()


class PreviewServer(ThreadingHTTPServer):
    """A thread per connection, at most `max_connections` of them."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64  # accepted (and, when full, closed) quickly, not left to retry

    def __init__(self, preview: Preview, port: int, max_connections: int = MAX_CONNECTIONS) -> None:
        self.preview = preview
        self._slots = threading.BoundedSemaphore(max_connections)
        super().__init__((HOST, port), Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Serve the connection on a thread of its own, which frees its slot when it ends.

        Ctrl-C can arrive while `start()` waits for the new thread to say it runs: the thread
        then runs, and frees the slot too. The slot is freed once (`_Once`), and the
        KeyboardInterrupt goes on to stop the server; freed twice, the semaphore raised a
        ValueError, which socketserver reports as a failed request, swallowing the Ctrl-C."""
        if not self._slots.acquire(blocking=False):
            self.shutdown_request(request)  # full: close it at once rather than queue a thread
            return
        free = _Once(self._slots.release)
        thread = threading.Thread(
            target=self._serve_connection,
            args=(request, client_address, free),
            daemon=self.daemon_threads,
        )
        try:
            thread.start()
        except BaseException:
            free()  # not started (no thread left, say), or interrupted: the server stops
            raise

    def _serve_connection(self, request: Any, client_address: Any, free: _Once) -> None:
        try:
            self.process_request_thread(request, client_address)
        finally:
            free()
