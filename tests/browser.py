"""Headless Chromium, axe-core and the Mermaid CLI for journeymap's browser tests.

The browser is Debian's ``/usr/bin/chromium`` driven by Playwright's Python API
(``playwright install`` is never needed). axe-core and the Mermaid CLI come from
``tools/node_modules`` (``npm ci`` in ``tools/``). ``scripts/setup`` installs
all of it.

Policy: when something is missing the fixtures and helpers here FAIL with a
message that says to run ``scripts/setup``, so a half-set-up machine can never
pass by silently skipping. Set ``JOURNEYMAP_SKIP_BROWSER=1`` to skip instead.

The fixtures themselves live in ``tests/conftest.py``; tests using them are
marked ``@pytest.mark.browser``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page

REPO_ROOT = Path(__file__).resolve().parent.parent
TOOLS_DIR = REPO_ROOT / "tools"
AXE_JS = TOOLS_DIR / "node_modules" / "axe-core" / "axe.min.js"
MMDC = TOOLS_DIR / "node_modules" / ".bin" / "mmdc"
PUPPETEER_CONFIG = TOOLS_DIR / "puppeteer-config.json"

SKIP_ENV = "JOURNEYMAP_SKIP_BROWSER"

#: Flags for headless Chromium on a machine whose network is closed: without
#: the background-networking ones Chromium keeps opening (refused) connections
#: and can hang. Keep in sync with tools/puppeteer-config.json.
CHROMIUM_ARGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)

#: URL schemes that never touch the network. Any other request is recorded.
#: (blob: URLs are in-memory objects the page made itself.)
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")

#: Milliseconds a browser test waits for anything before failing.
DEFAULT_TIMEOUT_MS = 15_000


def skip_requested() -> bool:
    """True when ``JOURNEYMAP_SKIP_BROWSER=1``: missing tools skip instead of failing."""
    return os.environ.get(SKIP_ENV, "") == "1"


def tool_missing(what: str) -> NoReturn:
    """Fail (or skip, with ``JOURNEYMAP_SKIP_BROWSER=1``) because ``what`` is missing."""
    message = (
        f"{what}. Run scripts/setup to install the browser test tools "
        f"(or set {SKIP_ENV}=1 to skip browser tests)."
    )
    if skip_requested():
        pytest.skip(message)
    pytest.fail(message, pytrace=False)


def chromium_path() -> str:
    """Path of Debian's Chromium, or fail pointing at scripts/setup."""
    found = shutil.which("chromium")
    if found:
        return found
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    tool_missing("Chromium not found (no 'chromium' on PATH, no /usr/bin/chromium)")


def axe_source() -> str:
    """The text of axe.min.js, or fail pointing at scripts/setup."""
    if not AXE_JS.is_file():
        tool_missing(f"axe-core not found at {AXE_JS.relative_to(REPO_ROOT)}")
    return AXE_JS.read_text(encoding="utf-8")


@dataclass
class PageLog:
    """What a page did that tests usually want to be empty."""

    console_errors: list[str] = field(default_factory=list)
    """Text of every ``console.error`` (including Chromium's own: failed loads, CSP)."""
    page_errors: list[str] = field(default_factory=list)
    """Uncaught exceptions thrown in the page."""
    network_requests: list[str] = field(default_factory=list)
    """URL of every request whose scheme is not in LOCAL_SCHEMES (all are aborted)."""

    def assert_clean(self) -> None:
        """Assert no console errors, no uncaught exceptions and no network requests."""
        assert self.console_errors == [], f"console errors: {self.console_errors}"
        assert self.page_errors == [], f"uncaught page errors: {self.page_errors}"
        assert self.network_requests == [], f"network requests: {self.network_requests}"


def run_axe(page: Page, options: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Run axe-core on the loaded page and return its list of violations.

    The script is evaluated through the DevTools protocol rather than added as a
    <script> tag, so it works on pages with a strict Content-Security-Policy
    and makes no request. ``options`` is passed to ``axe.run`` as is, e.g.
    ``{"runOnly": ["wcag2a", "wcag2aa"]}``.
    """
    source = axe_source()
    if page.evaluate("() => typeof window.axe") != "object":
        kind = page.evaluate(source + "\n;typeof window.axe")
        if kind != "object":
            pytest.fail(f"axe-core did not load in the page (typeof axe = {kind!r})")
    result = page.evaluate(
        "async (options) => (await window.axe.run(document, options)).violations",
        options or {},
    )
    assert isinstance(result, list)
    return result


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """One line per axe violation, with its impact and the first offending targets."""
    lines = []
    for v in violations:
        targets = [str(n.get("target")) for n in v.get("nodes", [])][:3]
        lines.append(f"{v.get('impact')}: {v.get('id')}: {v.get('help')} at {', '.join(targets)}")
    return "\n".join(lines)


@dataclass(frozen=True)
class MermaidCLI:
    """The real Mermaid CLI (mmdc) with a Puppeteer config pointing at Debian's Chromium."""

    mmdc: Path
    puppeteer_config: Path

    def command(self, source: Path, output: Path) -> list[str]:
        """The mmdc command line rendering ``source`` (.mmd) to ``output`` (.svg/.png/.pdf)."""
        return [
            str(self.mmdc),
            "--quiet",
            "--puppeteerConfigFile",
            str(self.puppeteer_config),
            "--input",
            str(source),
            "--output",
            str(output),
        ]

    def render(
        self, text: str, output: Path, *, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        """Write ``text`` next to ``output`` as .mmd and render it; never raises on failure.

        Check ``returncode`` (non-zero on a syntax error) and ``stderr``.
        """
        source = output.with_suffix(".mmd")
        source.write_text(text, encoding="utf-8")
        return subprocess.run(
            self.command(source, output),
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            check=False,
        )


def mermaid_cli() -> MermaidCLI:
    """The Mermaid CLI installed by scripts/setup, or fail pointing at scripts/setup."""
    if not (MMDC.is_file() and os.access(MMDC, os.X_OK)):
        tool_missing(f"Mermaid CLI not found at {MMDC.relative_to(REPO_ROOT)}")
    if not PUPPETEER_CONFIG.is_file():
        tool_missing(f"{PUPPETEER_CONFIG.relative_to(REPO_ROOT)} is missing")
    config = json.loads(PUPPETEER_CONFIG.read_text(encoding="utf-8"))
    executable = config.get("executablePath", "")
    if not Path(executable).is_file():
        tool_missing(
            f"Chromium not found at {executable!r} "
            f"(executablePath in {PUPPETEER_CONFIG.relative_to(REPO_ROOT)})"
        )
    return MermaidCLI(mmdc=MMDC, puppeteer_config=PUPPETEER_CONFIG)
