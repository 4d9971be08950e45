"""The rendered pages in headless Chromium: they load offline with no error, nothing
overflows, the emotion curve and the persona filter work, axe finds no serious problem, and
hostile map text is shown literally and runs nothing. Screenshots go to build/screenshots/."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from browser import PageLog, describe_violations, run_axe
from helpers import run

from .kit import BUILD, DATA, EXAMPLE_FILES, EXAMPLES, check, journey_of

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser
JOURNEYS = {j.id: j for j in (journey_of(check(p)) for p in EXAMPLE_FILES)}
EXAMPLE_IDS = sorted(JOURNEYS)
SCREENSHOTS = BUILD / "screenshots"

OVERFLOWING_CELLS = """() => [...document.querySelectorAll('table.grid th, table.grid td')]
  .filter((c) => c.offsetParent !== null && c.scrollWidth > c.clientWidth + 1)
  .map((c) => (c.id || c.className) + ' ' + c.scrollWidth + '>' + c.clientWidth)"""
# Cells narrower than one of their words (a hyphen may end a line): the word would break mid-way.
WORDS_BROKEN = """(selector) => [...document.querySelectorAll(selector)].filter((cell) => {
  const style = getComputedStyle(cell);
  const inner = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return cell.textContent.trim().split(/\\s+|(?<=-)/).some((word) => {
    const probe = document.createElement('span');
    probe.style.whiteSpace = 'nowrap';
    probe.textContent = word;
    cell.appendChild(probe);
    const wide = probe.getBoundingClientRect().width;
    probe.remove();
    return wide > inner + 1;
  });
}).map((cell) => cell.textContent.trim())"""
VISIBLE_POINTS = """() => [...document.querySelectorAll('svg.emotion-curve .emotion-point')]
  .filter((g) => g.getBoundingClientRect().width > 0).length"""


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pages")
    result = run("render", EXAMPLES, DATA / "hostile.journey.yaml", "-o", out, "-f", "html")
    assert result.code == 0, result.err
    return out


def _open(page: Page, path: Path) -> None:
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(path.as_uri())
    page.wait_for_load_state("load")


@pytest.mark.parametrize("map_id", EXAMPLE_IDS)
def test_example_page(page: Page, page_log: PageLog, rendered: Path, map_id: str) -> None:
    _open(page, rendered / f"{map_id}.html")
    journey = JOURNEYS[map_id]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{map_id}.png"), full_page=True)

    page_log.assert_clean()
    assert page.evaluate(OVERFLOWING_CELLS) == []
    with_emotion = [s for s in journey.steps() if s.emotion is not None]
    assert page.evaluate(VISIBLE_POINTS) == len(with_emotion)
    # One line per persona (or one line), through the points of its steps.
    through = page.locator("svg.emotion-curve .emotion-series").evaluate_all(
        "(gs) => gs.map((g) => g.getAttribute('data-points').split(' ').filter(Boolean).length)"
    )
    assert page.locator("svg.emotion-curve .emotion-line").count() == sum(n - 1 for n in through)
    assert len(through) == 1 or sum(through) > len(with_emotion)
    assert page.locator("#toolbar").is_visible(), "the script shows the toolbar"
    violations = [v for v in run_axe(page) if v.get("impact") in ("serious", "critical")]
    assert violations == [], describe_violations(violations)


def test_portfolio_page(page: Page, page_log: PageLog, rendered: Path) -> None:
    _open(page, rendered / "index.html")
    page.screenshot(path=str(SCREENSHOTS / "index.png"), full_page=True)
    page_log.assert_clean()
    assert page.locator("table.coverage").first.is_visible()
    assert page.evaluate(WORDS_BROKEN, "table.coverage th") == []  # it scrolls sideways instead
    violations = [v for v in run_axe(page) if v.get("impact") in ("serious", "critical")]
    assert violations == [], describe_violations(violations)


def test_persona_filter_hides_other_personas_steps(
    page: Page, page_log: PageLog, rendered: Path
) -> None:
    journey = journey_of(check(EXAMPLES / "service-blueprint.journey.yaml"))
    _open(page, rendered / f"{journey.id}.html")
    page.get_by_role("radio", name="Maria, the patient").check()
    for step in journey.steps():
        shown = page.locator(f"#step-{step.id}").is_visible()
        assert shown == (step.persona in (None, "maria")), step.id
    kept = [s for s in journey.steps() if s.persona in (None, "maria") and s.emotion is not None]
    assert page.evaluate(VISIBLE_POINTS) == len(kept)
    assert page.evaluate(OVERFLOWING_CELLS) == []
    page.get_by_role("radio", name="All personas").check()
    assert all(page.locator(f"#step-{s.id}").is_visible() for s in journey.steps())
    page_log.assert_clean()


def test_lane_toggle_hides_its_row(page: Page, rendered: Path) -> None:
    _open(page, rendered / "tv-purchase.html")
    row = page.locator('tr[data-lane="thoughts"]')
    assert row.is_visible()
    page.locator(".lane-toggles summary").click()
    page.locator('input[name="lane"][value="thoughts"]').uncheck()
    assert not row.is_visible()


def test_page_is_readable_with_scripts_off(browser: Browser, rendered: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto((rendered / "clinic-visit-blueprint.html").as_uri())
        assert not page.locator("#toolbar").is_visible(), "no dead controls without scripts"
        assert page.locator("#step-books-appointment").is_visible()
        assert page.locator("svg.emotion-curve .emotion-point").count() > 0
    finally:
        context.close()


def test_hostile_text_is_shown_literally_and_runs_nothing(
    page: Page, page_log: PageLog, rendered: Path
) -> None:
    _open(page, rendered / "hostile.html")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "hostile.png"), full_page=True)
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    assert page.locator("#step-a .step-name").inner_text() == "<script>window.__pwned=1</script>"
    assert page.locator("h1").inner_text().startswith("<script>window.__pwned=1</script> {{ 7*7 }}")
    assert page.locator("img").count() == 0
    assert page.locator("main a[href^='javascript']").count() == 0
    page.locator("#step-a").hover()
    page.locator("td[data-col='0']").first.hover()
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    assert page.evaluate(OVERFLOWING_CELLS) == []
    page_log.assert_clean()
