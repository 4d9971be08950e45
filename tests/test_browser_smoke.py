"""Smoke tests for the browser test tooling itself: Chromium, axe-core, mmdc."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from browser import PageLog, mermaid_cli, run_axe

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

# A 1x1 transparent GIF.
PIXEL = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"

PAGE = f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta http-equiv="Content-Security-Policy"
        content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
  <title>journeymap smoke test</title>
  <style>body {{ font-family: sans-serif; }}</style>
</head>
<body>
  <main>
    <h1>Checkout journey</h1>
    <p id="stage">Browse, then pay.</p>
    <img src="{PIXEL}" alt="A pixel" width="16" height="16">
  </main>
</body>
</html>
"""


def test_local_page_renders_offline_and_axe_runs(
    page: Page, page_log: PageLog, tmp_path: Path
) -> None:
    html = tmp_path / "smoke.html"
    html.write_text(PAGE, encoding="utf-8")

    page.goto(html.as_uri())

    assert page.get_by_role("heading", name="Checkout journey").is_visible()
    assert page.locator("#stage").inner_text() == "Browse, then pay."
    image_loaded = page.evaluate("() => document.querySelector('img').naturalWidth")
    assert image_loaded == 1, "the data: image did not load"

    violations = run_axe(page)
    assert isinstance(violations, list)
    assert violations == [], violations
    page_log.assert_clean()


def test_page_log_catches_errors_and_network(page: Page, page_log: PageLog, tmp_path: Path) -> None:
    """The recorder must really record, or the clean result above proves nothing."""
    html = tmp_path / "leaky.html"
    html.write_text(
        '<!doctype html><html lang="en"><head><title>leaky</title></head><body>'
        '<img src="https://example.invalid/tracker.gif" alt="">'
        "<script>console.error('boom'); throw new Error('uncaught');</script>"
        "</body></html>",
        encoding="utf-8",
    )

    page.goto(html.as_uri())

    assert page_log.network_requests == ["https://example.invalid/tracker.gif"]
    assert "boom" in page_log.console_errors
    assert any("uncaught" in e for e in page_log.page_errors)
    with pytest.raises(AssertionError):
        page_log.assert_clean()


def test_axe_reports_violations(page: Page, tmp_path: Path) -> None:
    html = tmp_path / "bad.html"
    html.write_text(
        f'<!doctype html><html><body><img src="{PIXEL}"></body></html>', encoding="utf-8"
    )
    page.goto(html.as_uri())

    ids = {v["id"] for v in run_axe(page)}

    assert {"image-alt", "html-has-lang"} <= ids


JOURNEY = """journey
  title Smoke
  section Discover
    Find the shop: 5: Me
"""

BROKEN = """journey
  title Smoke
  section Discover
    Find the shop: five: Me
  ]]]
"""


def test_mermaid_cli_renders_journey_and_rejects_broken(tmp_path: Path) -> None:
    mmdc = mermaid_cli()

    ok = mmdc.render(JOURNEY, tmp_path / "ok.svg")
    assert ok.returncode == 0, ok.stderr
    svg = (tmp_path / "ok.svg").read_text(encoding="utf-8")
    assert svg.startswith("<svg")
    assert 'aria-roledescription="journey"' in svg
    assert "Find the shop" in svg

    bad = mmdc.render(BROKEN, tmp_path / "bad.svg")
    assert bad.returncode != 0
    assert "Parse error" in bad.stderr
    assert not (tmp_path / "bad.svg").exists()
