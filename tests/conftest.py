"""Shared pytest fixtures.

Every test runs with HOME, XDG_CACHE_HOME and JOURNEYMAP_CACHE_DIR pointing at folders of its
own (``isolated_home``, autouse), and so does every process it starts; before the first test the
whole session already has such folders (``pytest_configure``). ``tests/sitehooks`` records any
write under the real home, by this process or any Python child; ``tests/test_home.py`` runs last
and fails if there was one.

Browser fixtures (see tests/browser.py): ``browser`` (one headless Debian
Chromium per session), ``page`` (a fresh context and page per test, every
non-local request aborted) and ``page_log`` (console errors, page errors and
network requests recorded for that page). They fail, not skip, when Chromium
or axe-core is missing, unless JOURNEYMAP_SKIP_BROWSER=1.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from browser import (
    CHROMIUM_ARGS,
    DEFAULT_TIMEOUT_MS,
    LOCAL_SCHEMES,
    PageLog,
    axe_source,
    chromium_path,
    tool_missing,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route


GUARD_DIR = Path(__file__).resolve().parent / "sitehooks"
# The real home and the user's own cache settings, read once before anything points HOME
# elsewhere. Kept in the environment: a test module's `from conftest import ...` may import this
# file again after pytest_configure has moved HOME, and must get the same values.
_REAL = json.loads(
    os.environ.setdefault(
        "JOURNEYMAP_TEST_REAL",
        json.dumps(
            {
                "HOME": str(Path("~").expanduser().resolve()),
                **{n: os.environ.get(n) for n in ("XDG_CACHE_HOME", "JOURNEYMAP_CACHE_DIR")},
            }
        ),
    )
)
REAL_HOME: str = _REAL["HOME"]
# Variables whose value at start-up the home test reads (the user's own cache folders).
REAL_ENV: dict[str, str | None] = {
    name: _REAL[name] for name in ("XDG_CACHE_HOME", "JOURNEYMAP_CACHE_DIR")
}
_SESSION = pytest.StashKey[Path]()
_ENVIRON = pytest.StashKey[dict[str, str | None]]()
_EARLIER = pytest.StashKey[set[str]]()


def real_cache_files() -> list[Path]:
    """The user's journeymap cache files, wherever their settings put them."""
    folders = [Path(REAL_HOME) / ".cache" / "journeymap"]
    if REAL_ENV["XDG_CACHE_HOME"]:
        folders.append(Path(REAL_ENV["XDG_CACHE_HOME"]) / "journeymap")
    if REAL_ENV["JOURNEYMAP_CACHE_DIR"]:
        folders.append(Path(REAL_ENV["JOURNEYMAP_CACHE_DIR"]))
    return [path for folder in folders if folder.is_dir() for path in folder.rglob("*.jsonl")]


def real_cache_entries() -> set[str]:
    """The files in temporary folders (pytest's, the session's) that the user's cache has
    entries for."""
    roots = (tempfile.gettempdir(), f"{os.sep}pytest-of-")
    found: set[str] = set()
    for path in real_cache_files():
        try:
            text = path.read_text("utf-8", "replace")
        except OSError:
            continue
        for line in text.splitlines():
            fields = line.split("\t")
            if len(fields) >= 3 and (fields[1].startswith(roots[0]) or roots[1] in fields[1]):
                found.add(fields[1])
    return found


_CHANGED = (
    "HOME",
    "XDG_CACHE_HOME",
    "JOURNEYMAP_CACHE_DIR",
    "JOURNEYMAP_TEST_GUARD_ROOT",
    "JOURNEYMAP_TEST_GUARD_LOG",
    "PYTHONPATH",
)
LAST = "test_home.py::test_the_suite_left_the_real_home_untouched"


def _point_home_at(home: Path) -> dict[str, str]:
    return {
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "JOURNEYMAP_CACHE_DIR": str(home / ".cache" / "journeymap-tests"),
    }


def pytest_configure(config: pytest.Config) -> None:
    """Before collection: a session home, and the guard in this process and in every child."""
    session = Path(tempfile.mkdtemp(prefix="journeymap-test-session-"))
    (session / "home").mkdir()
    config.stash[_SESSION] = session
    config.stash[_ENVIRON] = {name: os.environ.get(name) for name in _CHANGED}
    # Entries an earlier session left (pytest numbers its folders again once they are gone, so
    # an old entry can name a file of this session's folder): not this session's writes.
    config.stash[_EARLIER] = real_cache_entries()
    os.environ.update(_point_home_at(session / "home"))
    log = session / "real-home-writes.log"
    log.touch()
    os.environ["JOURNEYMAP_TEST_GUARD_ROOT"] = REAL_HOME
    os.environ["JOURNEYMAP_TEST_GUARD_LOG"] = str(log)
    paths = [str(GUARD_DIR), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    os.environ["PYTHONPATH"] = os.pathsep.join(paths)
    sys.path.insert(0, str(GUARD_DIR))
    from homeguard import install

    install(REAL_HOME, str(log))


def pytest_unconfigure(config: pytest.Config) -> None:
    """The environment as it was (pytest may run again in this process, as mutmut does)."""
    for name, value in config.stash.get(_ENVIRON, {}).items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    os.environ.pop("JOURNEYMAP_TEST_REAL", None)
    session = config.stash.get(_SESSION, None)
    if session is not None:
        shutil.rmtree(session, ignore_errors=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The real-home test runs after every other test."""
    last = [item for item in items if item.nodeid.endswith(LAST)]
    items[:] = [item for item in items if item not in last] + last


@pytest.fixture(scope="session")
def session_folder(request: pytest.FixtureRequest) -> Path:
    """The session's own folder (its home, and the log of writes under the real home)."""
    return request.config.stash[_SESSION]


@pytest.fixture(scope="session")
def earlier_cache_entries(request: pytest.FixtureRequest) -> set[str]:
    """`real_cache_entries()` as the session began."""
    return request.config.stash[_EARLIER]


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A fresh, empty home and cache for each test and the processes it starts."""
    home = tmp_path_factory.mktemp("home")
    for name, value in _point_home_at(home).items():
        monkeypatch.setenv(name, value)
    return home


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite golden files (tests/*/golden/) instead of comparing with them; "
        "JOURNEYMAP_UPDATE_GOLDEN=1 does the same.",
    )


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when golden files are to be rewritten rather than compared."""
    import os

    flag = bool(request.config.getoption("--update-golden"))
    return flag or os.environ.get("JOURNEYMAP_UPDATE_GOLDEN", "") == "1"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    axe_source()  # browser tests run axe: a missing axe-core fails here, early
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        tool_missing("The Python package 'playwright' is not installed")
    with sync_playwright() as pw:
        launched = pw.chromium.launch(
            executable_path=executable, args=list(CHROMIUM_ARGS), headless=True
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


@pytest.fixture
def page(browser: Browser, page_log: PageLog) -> Iterator[Page]:
    context = browser.new_context()
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)

    def on_request(url: str) -> None:
        if not url.startswith(LOCAL_SCHEMES):
            page_log.network_requests.append(url)

    def block_network(route: Route) -> None:
        if route.request.url.startswith(LOCAL_SCHEMES):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    context.on("request", lambda request: on_request(request.url))
    context.route("**/*", block_network)
    new_page = context.new_page()
    new_page.on(
        "console",
        lambda msg: page_log.console_errors.append(msg.text) if msg.type == "error" else None,
    )
    new_page.on("pageerror", lambda exc: page_log.page_errors.append(str(exc)))
    try:
        yield new_page
    finally:
        context.close()
