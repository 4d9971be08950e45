"""Shared pytest fixtures.

Browser fixtures (see tests/browser.py): ``browser`` (one headless Debian
Chromium per session), ``page`` (a fresh context and page per test, every
non-local request aborted) and ``page_log`` (console errors, page errors and
network requests recorded for that page). They fail, not skip, when Chromium
or axe-core is missing, unless JOURNEYMAP_SKIP_BROWSER=1.
"""

from __future__ import annotations

from collections.abc import Iterator
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
