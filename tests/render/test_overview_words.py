"""The overview of a map with many steps keeps every word and every badge whole, in Chromium.

A new user's map of 3 + 12 + 3 steps showed, at 1400 px, step names as `moderatel|y` and
emotion badges as `Emotion|: -2 very negativ|e`. Screenshots go to build/screenshots/view/.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from helpers import run

from .test_page_view import BROKEN_WORDS, OVERFLOW_X, SHOTS

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

# Each badge of the step row and its line height: one line of text is as high as that.
BADGE_LINES = """() => [...document.querySelectorAll(
    'tr.step-row :is(.emotion-badge, .badge, .persona-chip)')].map((el) => {
  const style = getComputedStyle(el);
  const inner = el.getBoundingClientRect().height - parseFloat(style.borderTopWidth)
    - parseFloat(style.borderBottomWidth) - parseFloat(style.paddingTop)
    - parseFloat(style.paddingBottom);
  return [el.textContent, Math.round(inner / parseFloat(style.lineHeight))];
})"""


def _map(stages: list[int]) -> str:
    lines = ["journeymap: 1", "title: Many steps", "updated: 2026-11-01", "stages:"]
    for number, count in enumerate(stages):
        lines += [f"  - id: stage-{number}", f"    name: Stage {number}", "    steps:"]
        for step in range(count):
            lines += [
                f"      - id: step-{number}-{step}",
                f"        name: Step {number}.{step} with a moderately long name",
                f"        emotion: {(step % 5) - 2}",
            ]
            if step == 1:
                lines.append("        moment_of_truth: true")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("overview-words")
    (folder / "eighteen.journey.yaml").write_text(_map([3, 12, 3]), "utf-8")
    (folder / "twenty.journey.yaml").write_text(_map([4, 12, 4]), "utf-8")
    result = run("render", folder, "-o", folder / "out", "-f", "html")
    assert result.code == 0, result.err
    return folder / "out"


def _overview(page: Page, path: Path, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    page.locator("#view-overview").check()


def test_18_steps_at_1400_px_split_no_word_and_no_badge(page: Page, pages: Path) -> None:
    _overview(page, pages / "eighteen.html", 1400)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "eighteen-steps-overview-1400x900.png"))
    assert page.evaluate(BROKEN_WORDS, "tr.step-row th, .grid .lane-head") == []
    lines = page.evaluate(BADGE_LINES)
    assert len(lines) == 18 + 3  # an emotion badge per step, a moment of truth per stage
    assert [text for text, count in lines if count != 1] == []
    # What the badges show: the value (the legend gives its words); the star. Screen readers
    # read the whole badge, drawn in a clipped 1 px box.
    emotion = page.locator("tr.step-row .emotion-badge").first
    mot = page.locator("tr.step-row .badge-mot").first
    assert emotion.locator(".badge-short").inner_text() == "-2"
    assert mot.locator(".badge-short").inner_text() == "★"
    for badge, full in ((emotion, "Emotion: -2 very negative"), (mot, "★ Moment of truth")):
        hidden = badge.locator(".badge-full")
        assert hidden.text_content() == full
        box = hidden.bounding_box()
        assert box is not None and box["width"] <= 1 and box["height"] <= 1
    # The columns stay equal, so the emotion curve's points stay over their steps.
    widths = page.evaluate(
        "() => [...document.querySelectorAll('tr.step-row th.step-head')]"
        ".map((th) => Math.round(th.getBoundingClientRect().width))"
    )
    assert max(widths) - min(widths) <= 1, widths
    # Too many steps for the window's width: the page scrolls sideways, labels in view.
    assert page.evaluate(OVERFLOW_X) > 0
    page.evaluate("() => window.scrollTo(200, 0)")
    lane = page.locator("tr.step-row .lane-head").bounding_box()
    assert lane is not None and -1 <= lane["x"] <= 1


def test_20_steps_fit_1600_px_whole(page: Page, pages: Path) -> None:
    _overview(page, pages / "twenty.html", 1600)
    page.screenshot(path=str(SHOTS / "twenty-steps-overview-1600x900.png"))
    assert page.evaluate(OVERFLOW_X) <= 0
    assert page.evaluate(BROKEN_WORDS, "tr.step-row th") == []
    assert [text for text, count in page.evaluate(BADGE_LINES) if count != 1] == []


def test_printed_overview_keeps_to_the_page(page: Page, pages: Path) -> None:
    """Printing with the overview chosen: the screen's least column width does not apply."""
    _overview(page, pages / "twenty.html", 1600)
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 1512, "height": 1000})
    assert page.evaluate(OVERFLOW_X) <= 0
    assert page.evaluate(BROKEN_WORDS, "tr.step-row th") == []
