"""`journeymap serve`: edit the file, the page in headless Chromium changes; break it, the
page shows the errors and the server keeps running; it listens on 127.0.0.1 only."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from .conftest import Run

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

    from journeymap.serve import Snapshot

TIMEOUT_MS = 10_000


class Server:
    def __init__(self, proc: subprocess.Popen[str], url: str) -> None:
        self.proc, self.url = proc, url

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1].strip("/"))


def _as_from_a_terminal() -> None:
    """Ctrl-C as in a terminal: a shell running the suite in the background (CI, `&`, nohup)
    starts it with SIGINT ignored, and a child would inherit that."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start(target: Path, cwd: Path, *args: str) -> Server:
    proc = subprocess.Popen(
        [sys.executable, "-m", "journeymap", "serve", str(target), "--port", "0", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, NO_COLOR="1"),
        preexec_fn=_as_from_a_terminal,
    )
    assert proc.stderr is not None
    line = proc.stderr.readline()  # "Serving PATH at http://127.0.0.1:PORT/ (Ctrl-C to stop)"
    match = re.search(r"http://127\.0\.0\.1:\d+/", line)
    if not match:
        proc.kill()
        raise AssertionError(f"serve did not start: {line}{proc.stderr.read()}")
    return Server(proc, match.group(0))


@pytest.fixture
def served(jm: Run, tmp_path: Path) -> Iterator[tuple[Server, Path]]:
    (tmp_path / ".git").mkdir()
    assert jm("init", "shop.journey.yaml", "--title", "Buying shoes").returncode == 0
    server = start(tmp_path / "shop.journey.yaml", tmp_path)
    try:
        yield server, tmp_path / "shop.journey.yaml"
    finally:
        if server.proc.poll() is None:
            server.proc.kill()
        server.proc.wait(10)


@pytest.fixture
def live_page(browser: Browser) -> Iterator[Page]:
    """A page that may reach 127.0.0.1 (the shared `page` fixture allows no http at all)."""
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    blocked: list[str] = []

    def only_local(route: object) -> None:
        request = route.request  # type: ignore[attr-defined]
        if request.url.startswith(("http://127.0.0.1:", "data:", "about:", "blob:")):
            route.continue_()  # type: ignore[attr-defined]
        else:
            blocked.append(request.url)
            route.abort("blockedbyclient")  # type: ignore[attr-defined]

    context.route("**/*", only_local)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield page
    finally:
        context.close()
    assert errors == [], errors
    assert blocked == [], blocked


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.mark.browser
def test_edit_and_the_page_changes(served: tuple[Server, Path], live_page: Page) -> None:
    server, path = served
    page = live_page
    page.goto(server.url)
    frame = page.frame_locator("#view")
    frame.locator("h1").filter(has_text="Buying shoes").wait_for()
    assert page.locator("#errors").is_hidden()

    started = time.monotonic()
    edit(path, "title: Buying shoes", "title: Buying running shoes")
    frame.locator("h1").filter(has_text="Buying running shoes").wait_for()
    assert time.monotonic() - started < 5

    edit(path, "name: Compares the options", "name: Tries shoes on in the store")
    frame.get_by_text("Tries shoes on in the store").first.wait_for()

    # Break it: the errors are shown, escaped, and the server stays up.
    edit(path, "emotion: 2", "emotion: 7")
    edit(path, "title: Buying running shoes", "title: Buying <b>shoes</b>")
    errors = page.locator("#error-list li")
    errors.first.wait_for()
    assert page.locator("#errors").is_visible()
    listed = errors.all_inner_texts()
    assert any(
        "emotion must be a whole number from -2 to +2; got the number 7" in e for e in listed
    )
    assert re.search(r"shop\.journey\.yaml:\d+:\d+", listed[0])
    assert page.locator("#view").is_hidden()
    assert server.proc.poll() is None

    # Fix it: the map is back, with the title as text, not markup.
    edit(path, "emotion: 7", "emotion: 2")
    frame.locator("h1").filter(has_text="Buying <b>shoes</b>").wait_for()
    page.locator("#errors").wait_for(state="hidden")
    assert frame.locator("h1 b").count() == 0

    # A new server-side render after a reload of the shell shows the same.
    page.reload()
    frame.locator("h1").filter(has_text="Buying <b>shoes</b>").wait_for()


@pytest.mark.browser
def test_the_page_names_a_configuration_error_as_such(
    served: tuple[Server, Path], live_page: Page
) -> None:
    server, path = served
    page = live_page
    page.goto(server.url)
    frame = page.frame_locator("#view")
    frame.locator("h1").filter(has_text="Buying shoes").wait_for()
    config = path.parent / "journeymap.toml"
    config.write_text('fail_on = "error"\n', "utf-8")
    title = page.locator("#errors-title")
    title.filter(has_text="The configuration has an error").wait_for()
    assert page.locator("#error-list li").all_inner_texts() == [
        f"{config}:1:1: unknown key 'fail_on' (did you mean 'fail-on'?)"
    ]
    config.write_text('fail-on = "error"\n', "utf-8")
    page.locator("#errors").wait_for(state="hidden")
    frame.locator("h1").filter(has_text="Buying shoes").wait_for()
    # A map error afterwards is the map's again.
    edit(path, "emotion: 2", "emotion: 7")
    title.filter(has_text="This map does not validate").wait_for()


@pytest.mark.browser
def test_portfolio_for_a_directory(jm: Run, tmp_path: Path, live_page: Page) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "maps").mkdir()
    for name in ("shoes", "socks"):
        made = jm("init", f"maps/{name}.journey.yaml", "--title", f"Buying {name}")
        assert made.returncode == 0
    server = start(tmp_path / "maps", tmp_path)
    try:
        live_page.goto(server.url)
        frame = live_page.frame_locator("#view")
        frame.get_by_text("Buying socks").first.wait_for()
        frame.get_by_text("Buying shoes").first.wait_for()
        # A new map in the folder appears in the portfolio.
        assert jm("init", "maps/hats.journey.yaml", "--title", "Buying hats").returncode == 0
        frame.get_by_text("Buying hats").first.wait_for()
    finally:
        server.proc.kill()
        server.proc.wait(10)


def _get(url: str, host: str | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def test_listens_on_loopback_only(served: tuple[Server, Path]) -> None:
    server, _ = served
    status, body = _get(server.url)
    assert status == 200 and b"journeymap serve" in body
    # Not on any other address of this machine.
    hostname_ip = socket.gethostbyname(socket.gethostname())
    others = {hostname_ip} - {"127.0.0.1"}
    for address in others:
        with pytest.raises(OSError):
            socket.create_connection((address, server.port), timeout=2).close()
    connections = Path("/proc/net/tcp").read_text().splitlines()[1:]
    listening = [c.split()[1] for c in connections if c.split()[3] == "0A"]
    assert f"0100007F:{server.port:04X}" in listening
    assert f"00000000:{server.port:04X}" not in listening


def test_other_host_names_are_refused(served: tuple[Server, Path]) -> None:
    """A page on another site cannot reach the preview through DNS rebinding."""
    server, _ = served
    assert _get(server.url, host=f"attacker.example:{server.port}")[0] == 403
    assert _get(server.url.replace("127.0.0.1", "localhost"))[0] == 200


def test_only_rendered_files_are_served(served: tuple[Server, Path]) -> None:
    server, _ = served
    assert _get(server.url + "view/shop.html")[0] == 200
    for path in ("view/../shop.journey.yaml", "shop.journey.yaml", "view/%2e%2e/etc/passwd"):
        assert _get(server.url + path)[0] == 404


def _wait_until_serving(server: Server) -> None:
    """Ready when it answers: the "Serving" line comes just before the server loop starts."""
    deadline = time.monotonic() + 60
    while True:
        try:
            if _get(server.url + "state")[0] == 200:
                return
        except OSError:
            pass
        assert server.proc.poll() is None, "serve exited"
        assert time.monotonic() < deadline, "serve never answered"
        time.sleep(0.05)


def test_ctrl_c_exits_cleanly(served: tuple[Server, Path]) -> None:
    server, _ = served
    _wait_until_serving(server)
    server.proc.send_signal(signal.SIGINT)
    assert server.proc.wait(60) == 0  # a bound for a stuck process, not a guess at its speed
    assert server.proc.stderr is not None
    assert "journeymap: stopped serving" in server.proc.stderr.read()


def test_ctrl_c_while_a_connection_thread_starts_stops_the_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C can land in `Thread.start()` while it waits for the new connection's thread,
    after that thread has served its request and freed its slot (seen: 6 of 60 `serve`
    processes kept serving after SIGINT). The slot was freed a second time, the semaphore's
    ValueError took the KeyboardInterrupt's place, and socketserver reported a failed request
    and served on. The interrupt must reach the serve loop, and every slot be free."""
    import threading

    from journeymap.serve import Preview, PreviewServer

    server = PreviewServer(Preview(tmp_path / "shop.journey.yaml"), 0, max_connections=2)
    server.timeout = 10  # handle_request waits this long at most for the connection
    port = server.server_address[1]
    client = socket.create_connection(("127.0.0.1", port), timeout=10)
    client.sendall(
        f"GET /state HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode()
    )
    start = threading.Thread.start

    def start_then_ctrl_c(thread: threading.Thread) -> None:
        start(thread)
        thread.join(10)  # the request is served and the slot freed, as under the GIL's luck
        assert not thread.is_alive()
        raise KeyboardInterrupt

    monkeypatch.setattr(threading.Thread, "start", start_then_ctrl_c)
    try:
        with pytest.raises(KeyboardInterrupt):
            server.handle_request()  # one connection, handled as serve_forever handles it
    finally:
        monkeypatch.undo()
        server.server_close()
    assert client.recv(100).startswith(b"HTTP/1.1 200")
    client.close()
    slots = server._slots
    assert [slots.acquire(blocking=False) for _ in range(3)] == [True, True, False]


class Lines:
    """The server's stderr, a line at a time, waited for with a bound (a reader thread)."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        import queue
        import threading

        self.queue: queue.Queue[str] = queue.Queue()
        assert proc.stderr is not None
        stream = proc.stderr

        def pump() -> None:
            for line in stream:
                self.queue.put(line)

        threading.Thread(target=pump, daemon=True).start()

    def wait_for(self, pattern: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        seen = []
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self.queue.get(timeout=left)
            except Exception:
                break
            seen.append(line)
            if re.search(pattern, line):
                return line
        raise AssertionError(f"no line matching {pattern!r}; saw {seen!r}")


def test_editing_a_library_reloads_the_preview(jm: Run, tmp_path: Path) -> None:
    """A map's personas come from a library; a library edit shows up like a map edit."""
    (tmp_path / ".git").mkdir()
    library = tmp_path / "people.yaml"
    library.write_text(
        "journeymap: 1\nkind: library\npersonas:\n  - {id: sam, name: Sam, goals: [g]}\n", "utf-8"
    )
    path = tmp_path / "shop.journey.yaml"
    path.write_text(
        "journeymap: 1\ntitle: Buying shoes\nuses: [people.yaml]\nstages:\n"
        "  - id: buy\n    name: Buy\n    steps:\n"
        "      - {id: pays, name: Pays, persona: sam, emotion: 1}\n",
        "utf-8",
    )
    assert jm("validate", "shop.journey.yaml").returncode == 0
    server = start(path, tmp_path)
    try:
        lines = Lines(server.proc)
        _wait_until_serving(server)
        assert json.loads(_get(server.url + "state")[1])["errors"] == []
        library = tmp_path / "people.yaml"
        library.write_text(library.read_text("utf-8").replace("id: sam", "id: sue"), "utf-8")
        lines.wait_for(r"reloaded: \d+ problem")
        errors = json.loads(_get(server.url + "state")[1])["errors"]
        assert any("unknown persona 'sam'" in e for e in errors), errors
        library.write_text(library.read_text("utf-8").replace("id: sue", "id: sam"), "utf-8")
        lines.wait_for(r"reloaded: valid")
        assert json.loads(_get(server.url + "state")[1])["errors"] == []
    finally:
        server.proc.kill()
        server.proc.wait(60)


def test_port_in_use(jm: Run, tmp_path: Path) -> None:
    assert jm("init", "m.journey.yaml").returncode == 0
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = jm("serve", "m.journey.yaml", "--port", str(port))
    assert result.returncode == 2
    assert f"port {port} on 127.0.0.1 is in use" in result.stderr


def test_unknown_theme_is_refused_as_render_does(jm: Run, tmp_path: Path) -> None:
    """Issue 13, defect 5: `serve --theme nope` served the default theme."""
    assert jm("init", "shop.journey.yaml").returncode == 0
    rendered = jm("render", "shop.journey.yaml", "-o", "out", "--theme", "nope")
    served = jm("serve", "shop.journey.yaml", "--port", "0", "--theme", "nope")
    assert served.returncode == rendered.returncode == 2
    assert "'nope' is not one of 'default', 'high-contrast'" in served.stderr
    assert "Serving" not in served.stderr


def test_an_edit_saved_during_a_build_is_rendered_next(jm: Run, tmp_path: Path) -> None:
    """Issue 13, defect 5: the fingerprint was taken after the build, so a save made while
    a build ran was never rendered. Here the build is slowed on purpose and the file is
    saved in the middle of it."""
    from journeymap.serve import Preview

    (tmp_path / ".git").mkdir()
    assert jm("init", "shop.journey.yaml", "--title", "Version one").returncode == 0
    path = tmp_path / "shop.journey.yaml"
    preview = Preview(path)
    preview.refresh()
    slow_build = preview._build

    def build_while_the_author_saves(version: int) -> Snapshot:
        snapshot = slow_build(version)  # renders "Version two"
        text = path.read_text("utf-8").replace("Version two", "Version three")
        path.write_text(text, "utf-8")  # saved while the build is still running
        time.sleep(0.05)
        return snapshot

    text = path.read_text("utf-8").replace("Version one", "Version two")
    path.write_text(text, "utf-8")
    preview._build = build_while_the_author_saves  # type: ignore[method-assign]
    assert preview.refresh()
    assert b"Version two" in b"".join(preview.snapshot.files.values())
    preview._build = slow_build  # type: ignore[method-assign]
    assert preview.refresh(), "the edit saved during the build was never rendered"
    assert b"Version three" in b"".join(preview.snapshot.files.values())
    assert not preview.refresh()


def test_an_unknown_theme_in_the_configuration_is_shown(jm: Run, tmp_path: Path) -> None:
    """As every command refuses it: the configuration's error, located, and no page (it was
    an internal error while rendering, once the configuration was checked when read)."""
    from journeymap.serve import Preview

    (tmp_path / ".git").mkdir()
    (tmp_path / "journeymap.toml").write_text('[render]\ntheme = "hi-contrast"\n', "utf-8")
    assert jm("init", "shop.journey.yaml").returncode == 0
    preview = Preview(tmp_path / "shop.journey.yaml")
    preview.refresh()
    assert preview.snapshot.errors == [
        f"{tmp_path / 'journeymap.toml'}:2:9: render.theme: unknown theme 'hi-contrast' "
        "(did you mean 'high-contrast'?); choose from default, high-contrast"
    ]
    assert preview.snapshot.entry is None
    (tmp_path / "journeymap.toml").write_text('[render]\ntheme = "high-contrast"\n', "utf-8")
    preview.refresh()
    assert preview.snapshot.errors == [] and preview.snapshot.entry == "shop.html"


BAD_CONFIG = 'fail_on = "error"\n'


def test_a_bad_configuration_is_refused_at_start_as_validate_refuses_it(
    jm: Run, tmp_path: Path
) -> None:
    """A new user's trial: `serve` with `fail_on` (not `fail-on`) in journeymap.toml started,
    and the page blamed the map for an "internal error" naming a Python class."""
    (tmp_path / ".git").mkdir()
    assert jm("init", "shop.journey.yaml").returncode == 0
    (tmp_path / "journeymap.toml").write_text(BAD_CONFIG, "utf-8")
    served = jm("serve", "shop.journey.yaml", "--port", "0")
    validated = jm("validate", "shop.journey.yaml")
    assert served.returncode == validated.returncode == 2
    assert (
        served.stderr
        == validated.stderr
        == (
            f"journeymap: error: {tmp_path / 'journeymap.toml'}:1:1: unknown key 'fail_on' "
            "(did you mean 'fail-on'?)\n"
        )
    )


def test_a_configuration_edited_into_an_error_is_shown_and_fixing_it_reloads(
    jm: Run, tmp_path: Path
) -> None:
    (tmp_path / ".git").mkdir()
    assert jm("init", "shop.journey.yaml").returncode == 0
    config = tmp_path / "journeymap.toml"
    config.write_text('fail-on = "error"\n', "utf-8")
    server = start(tmp_path / "shop.journey.yaml", tmp_path)
    try:
        lines = Lines(server.proc)
        _wait_until_serving(server)
        assert json.loads(_get(server.url + "state")[1])["errors"] == []
        config.write_text(BAD_CONFIG, "utf-8")
        lines.wait_for(r"reloaded: the configuration has an error; it is shown in the page")
        state = json.loads(_get(server.url + "state")[1])
        assert state["errors"] == [f"{config}:1:1: unknown key 'fail_on' (did you mean 'fail-on'?)"]
        assert state["heading"] == (
            "The configuration has an error; fix it and save, and the page comes back"
        )
        page = _get(server.url)[1].decode("utf-8")
        assert "The configuration has an error; fix it and save" in page
        assert "This map does not validate" not in page
        assert "internal" not in page
        config.write_text('fail-on = "error"\n', "utf-8")
        lines.wait_for(r"reloaded: valid")
        state = json.loads(_get(server.url + "state")[1])
        assert (state["errors"], state["entry"]) == ([], "shop.html")
        assert state["heading"] == (
            "This map does not validate; fix it and save, and the page comes back"
        )
    finally:
        server.proc.kill()
        server.proc.wait(60)


@pytest.mark.parametrize("target", ["shop.journey.yaml", "."], ids=["map", "folder"])
def test_a_preview_built_with_a_bad_configuration_watches_it(
    jm: Run, tmp_path: Path, target: str
) -> None:
    """Built while the configuration has an error (before this fix, the only file watched
    was the map): the error is the configuration's, and fixing the file renders again."""
    from journeymap.serve import Preview
    from journeymap.serve.shell import shell_page

    (tmp_path / ".git").mkdir()
    assert jm("init", "shop.journey.yaml").returncode == 0
    config = tmp_path / "journeymap.toml"
    config.write_text(BAD_CONFIG, "utf-8")
    preview = Preview(tmp_path / target)
    preview.refresh()
    message = f"{config}:1:1: unknown key 'fail_on' (did you mean 'fail-on'?)"
    assert preview.snapshot.errors == [message]
    assert preview.snapshot.config_error == message
    assert preview.snapshot.entry is None
    page = shell_page(preview.snapshot, target).decode("utf-8")
    assert "The configuration has an error; fix it and save" in page
    assert not preview.refresh()  # nothing changed
    config.write_text('fail-on = "error"\n', "utf-8")
    assert preview.refresh(), "fixing the configuration did not render again"
    fixed = preview.snapshot
    assert (fixed.errors, fixed.config_error, fixed.entry) == ([], None, "shop.html")


def test_one_problem_is_one_problem(jm: Run, tmp_path: Path) -> None:
    """The terminal said "1 problem(s); they are shown in the page"."""
    (tmp_path / ".git").mkdir()
    assert jm("init", "shop.journey.yaml").returncode == 0
    edit(tmp_path / "shop.journey.yaml", "emotion: 2", "emotion: 7")
    server = start(tmp_path / "shop.journey.yaml", tmp_path)
    try:
        lines = Lines(server.proc)
        assert lines.wait_for(r"problem") == "  1 problem; it is shown in the page\n"
        edit(tmp_path / "shop.journey.yaml", "emotion: -1", "emotion: 9")
        assert re.search(r"\] reloaded: 2 problems\n$", lines.wait_for(r"reloaded: "))
    finally:
        server.proc.kill()
        server.proc.wait(60)
