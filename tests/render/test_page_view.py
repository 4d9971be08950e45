"""The map page and the portfolio as people see them, in headless Chromium: the map on the first
screen, the overview and sticky headers, the visual grammar, the emotion curve per persona, the
service-blueprint order, print to PDF that keeps every step, and the phone layout. Screenshots
and PDFs go to build/screenshots/view/ for a person to look at."""

from __future__ import annotations

import re
import shutil
import subprocess
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from browser import PageLog, tool_missing
from helpers import run

from .kit import BUILD, DATA, EXAMPLE_FILES, EXAMPLES, check, journey_of
from .test_flow import contrast

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from journeymap.validation import Journey

pytestmark = pytest.mark.browser
JOURNEYS = {j.id: j for j in (journey_of(check(p)) for p in EXAMPLE_FILES)}
EXAMPLE_IDS = sorted(JOURNEYS)
SHOTS = BUILD / "screenshots" / "view"
DESKTOP = {"width": 1600, "height": 1000}
PHONE = {"width": 390, "height": 844}
A3_WIDTH = 1512  # CSS pixels across an A3 landscape page inside its 10 mm margins

# Words (split at spaces and after hyphens) whose text is laid out on more than one line box:
# a word broken inside itself. Measured with Range.getClientRects on the rendered text.
BROKEN_WORDS = """(selector) => {
  const broken = [];
  for (const el of document.querySelectorAll(selector)) {
    if (!el.getClientRects().length) continue;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const re = /[^\\s-]+-?/g;
      let m;
      while ((m = re.exec(node.data))) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0)
          .map((r) => Math.round(r.top)));
        if (tops.size > 1) broken.push(m[0] + ' in ' + el.textContent.trim().slice(0, 40));
      }
    }
  }
  return broken;
}"""
OVERFLOW_X = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("view")
    result = run("render", EXAMPLES, DATA / "hostile.journey.yaml", "-o", out, "-f", "html")
    assert result.code == 0, result.err
    return out


@pytest.fixture(scope="module")
def high_contrast(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("view-hc")
    result = run("render", EXAMPLES, "-o", out, "-f", "html", "--theme", "high-contrast")
    assert result.code == 0, result.err
    return out


def _open(page: Page, path: Path, size: dict[str, int] = DESKTOP) -> None:
    page.set_viewport_size(size)
    page.goto(path.as_uri())
    page.wait_for_load_state("load")


def _overview(page: Page) -> None:
    page.locator("#view-overview").check()


def _names(journey: Journey) -> list[str]:
    return [s.name for s in journey.map.stages] + [s.name for s in journey.steps()]


# ---------------------------------------------------------------- the first screen


@pytest.mark.parametrize("map_id", EXAMPLE_IDS)
def test_the_map_starts_on_the_first_screen(page: Page, rendered: Path, map_id: str) -> None:
    _open(page, rendered / f"{map_id}.html")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{map_id}-1600x1000.png"))
    stage_row = page.locator("tr.stage-row").bounding_box()
    step_row = page.locator("tr.step-row").bounding_box()
    assert stage_row is not None and step_row is not None
    assert 0 <= stage_row["y"] < DESKTOP["height"] - 200, stage_row
    assert step_row["y"] < DESKTOP["height"] - 100
    # The persona cards are below the map; the strip at the top names every persona.
    persona_cards = page.locator("section.personas").bounding_box()
    assert persona_cards is not None and persona_cards["y"] > stage_row["y"]
    for persona in JOURNEYS[map_id].personas:
        assert page.locator(".persona-strip").get_by_text(persona.name).is_visible()


def test_stage_and_step_rows_stay_at_the_top_while_the_grid_scrolls(
    page: Page, rendered: Path
) -> None:
    _open(page, rendered / "tv-purchase.html")
    scroller = page.locator("#grid")
    scroller.evaluate("(el) => el.scrollTo(0, el.scrollHeight)")  # down to the last lane
    frame = scroller.bounding_box()
    step = page.locator("#step-sees-ad").bounding_box()
    stage = page.locator("#stage-awareness .stage-name").bounding_box()
    assert frame is not None and step is not None and stage is not None
    assert frame["y"] <= stage["y"] < frame["y"] + 60
    assert step["y"] < frame["y"] + 140, "the step row stays under the stage row"
    # Sideways: the lane labels stay at the left, a stage's name stays in view over its steps.
    th = page.locator("#stage-consideration")
    offset = th.evaluate("(th) => th.offsetLeft")
    scroller.evaluate(f"(el) => el.scrollTo({offset} + 200, 0)")
    lane = page.locator("tr.step-row .lane-head").bounding_box()
    name = page.locator("#stage-consideration .stage-name").bounding_box()
    assert lane is not None and name is not None
    assert name["x"] >= lane["x"] + lane["width"] - 1, "the stage name slid into view"
    assert lane["x"] <= frame["x"] + 2


def test_overview_fits_every_step_in_the_width(page: Page, rendered: Path) -> None:
    _open(page, rendered / "tv-purchase.html")
    _overview(page)
    page.screenshot(path=str(SHOTS / "tv-purchase-overview-1600x1000.png"))
    assert page.evaluate(OVERFLOW_X) <= 0
    last = page.locator("th.step-head").last.bounding_box()
    assert last is not None and last["x"] + last["width"] <= DESKTOP["width"]
    # Its header sticks to the top of the window as the page scrolls.
    page.evaluate("() => window.scrollTo(0, document.querySelector('tr.lane-kpis').offsetTop)")
    stage = page.locator("tr.stage-row").bounding_box()
    assert stage is not None and -1 <= stage["y"] <= 1


@pytest.mark.parametrize("map_id", EXAMPLE_IDS)
def test_stage_boundaries_run_the_full_height_with_real_contrast(
    page: Page, rendered: Path, map_id: str
) -> None:
    _open(page, rendered / f"{map_id}.html")
    journey = JOURNEYS[map_id]
    widths = page.evaluate(
        """() => [...document.querySelectorAll('table.grid tbody tr')].map((tr) =>
          [...tr.querySelectorAll('td.stage-start, td.curve-cell')]
            .map((td) => parseFloat(getComputedStyle(td).borderLeftWidth)))"""
    )
    stages = len(journey.map.stages)
    for row in widths:
        assert all(w >= 3 for w in row), row
        assert len(row) in (1, stages)  # the curve spans all, other rows start each stage
    assert page.locator("svg.emotion-curve .stage-boundary").count() == stages - 1
    colours = page.evaluate(
        """() => { const c = (s, p) => getComputedStyle(document.querySelector(s))[p];
        return [c('th.stage-head', 'backgroundColor'), c('th.stage-head', 'color'),
                c('th.step-head', 'backgroundColor')]; }"""
    )
    stage_bg, stage_text, step_bg = (_hex(c) for c in colours)
    assert contrast(stage_bg, step_bg) >= 3, "stage row and step row are told apart"
    assert contrast(stage_bg, stage_text) >= 4.5


# ---------------------------------------------------------------- words, print and phone


@pytest.mark.parametrize("map_id", EXAMPLE_IDS)
def test_lane_labels_and_headers_keep_their_words_whole(
    page: Page, rendered: Path, map_id: str
) -> None:
    _open(page, rendered / f"{map_id}.html")
    headers = ".grid .lane-head, .stage-name, .step-name"
    assert page.evaluate(BROKEN_WORDS, headers) == []
    _overview(page)
    assert page.evaluate(BROKEN_WORDS, headers) == []
    page.emulate_media(media="print")
    page.set_viewport_size({"width": A3_WIDTH, "height": 1000})
    assert page.evaluate(BROKEN_WORDS, headers) == []


def test_portfolio_headers_and_cells_keep_their_words_whole(page: Page, rendered: Path) -> None:
    _open(page, rendered / "index.html")
    page.screenshot(path=str(SHOTS / "index-1600x1000.png"))
    assert page.evaluate(BROKEN_WORDS, ".table thead th, .table td, .table tbody th") == []


def _pdftotext() -> str:
    found = shutil.which("pdftotext")
    if not found:
        tool_missing("pdftotext (poppler-utils) not found")
    return found


def _pdf_pages(pdf: Path) -> list[str]:
    """The text of each page of a PDF in the order it is drawn (so a cell's lines stay
    together), whitespace collapsed, a word hyphenated over two lines joined again."""
    out = subprocess.run(
        [_pdftotext(), "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = [" ".join(text.split()) for text in out.split("\f")]
    return [re.sub(r"(?<=\w)- (?=\w)", "-", text) for text in pages if text]


FLOW_NOTE = "One row per stage"


def _print(page: Page, path: Path, pdf: Path) -> list[str]:
    _open(page, path)
    page.emulate_media(media="print")
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    return _pdf_pages(pdf)


@pytest.mark.parametrize("map_id", EXAMPLE_IDS)
def test_print_keeps_every_stage_and_step(page: Page, rendered: Path, map_id: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    pages = _print(page, rendered / f"{map_id}.html", SHOTS / f"{map_id}.pdf")
    # The grid's pages: those before the persona cards and the flow (which name steps too).
    end = next(i for i, text in enumerate(pages) if "Personas" in text or FLOW_NOTE in text)
    grid_text = " ".join(pages[:end])
    for name in _names(JOURNEYS[map_id]):
        assert " ".join(name.split()) in grid_text, f"{name!r} is not printed"
    # The flow has a page of its own, with the diagram on it (not pushed to the next page).
    flow = next(i for i, text in enumerate(pages) if FLOW_NOTE in text)
    assert "Customer action" not in pages[flow] and "Personas" not in pages[flow]
    last_step = list(JOURNEYS[map_id].steps())[-1]
    assert " ".join(last_step.name.split()[:2]) in pages[flow].split(FLOW_NOTE)[1]


def test_print_keeps_the_blueprint_on_one_page_and_the_flow_legible(
    page: Page, rendered: Path
) -> None:
    pages = _print(page, rendered / "clinic-visit-blueprint.html", SHOTS / "blueprint.pdf")
    block = ["Customer action", "Line of interaction", "Frontstage", "Line of visibility"]
    block += ["Backstage", "Line of internal interaction", "Support processes"]
    holding = [i for i, text in enumerate(pages) if "Line of interaction" in text]
    assert len(holding) == 1
    assert all(label in pages[holding[0]] for label in block), pages[holding[0]]
    # The flow is drawn at least at 6 pt (its boxes' text is 12 pt at full size).
    scale = page.evaluate(
        """() => { const svg = document.querySelector('.flow svg');
        return svg.getBoundingClientRect().width / svg.viewBox.baseVal.width; }"""
    )
    assert 12 * scale >= 6


@pytest.mark.parametrize("map_id", [*EXAMPLE_IDS, "index"])
def test_a_phone_gets_stacked_cards_and_no_sideways_scrolling(
    page: Page, page_log: PageLog, rendered: Path, map_id: str
) -> None:
    _open(page, rendered / f"{map_id}.html", PHONE)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{map_id}-390x844.png"))
    assert page.evaluate(OVERFLOW_X) <= 0, "the page scrolls sideways"
    page_log.assert_clean()
    if map_id == "index":
        assert page.locator(".maps-table thead").is_hidden()
        assert page.locator(".maps-table td[data-label='Pain points']").first.is_visible()
        return
    journey = JOURNEYS[map_id]
    assert page.locator("#grid").is_hidden()
    cards = page.locator(".step-card:not(.empty)")
    assert cards.count() == len(list(journey.steps()))
    first = cards.first.bounding_box()
    assert first is not None and first["width"] <= PHONE["width"]
    for stage in journey.map.stages:
        assert page.locator(f"#stack-stage-{stage.id}").is_visible()


# ---------------------------------------------------------------- what the lanes mean


def test_blueprint_lanes_are_in_the_standard_order(page: Page, rendered: Path) -> None:
    _open(page, rendered / "clinic-visit-blueprint.html")
    labels = page.locator("table.grid tbody .lane-head").evaluate_all(
        "(ths) => ths.map((th) => th.childNodes[0].textContent.trim())"
    )
    expected = [
        "Stage goal",
        "Thoughts",
        "Emotion",
        "Touchpoint and channel",
        "Handoffs",
        "Customer action",
        "Line of interaction",
        "Frontstage",
        "Line of visibility",
        "Backstage",
        "Line of internal interaction",
        "Support processes",
        "Pain points",
        "Opportunities",
        "KPIs",
        "Feedback",
        "Evidence and links",
    ]
    assert labels == expected
    # One unbroken block in its own row group.
    block = page.locator("tbody.group-blueprint .lane-head").evaluate_all(
        "(ths) => ths.map((th) => th.childNodes[0].textContent.trim())"
    )
    assert block == expected[3:12]


def test_two_personas_give_two_curve_lines(page: Page, rendered: Path) -> None:
    journey = JOURNEYS["clinic-visit-blueprint"]
    _open(page, rendered / "clinic-visit-blueprint.html")
    series = page.locator("svg.emotion-curve .emotion-series")
    used = [p for p in journey.personas if any(s.persona == p.id for s in journey.steps())]
    assert len(used) == 2
    assert series.count() == 2
    steps = list(journey.steps())
    shared = {i for i, s in enumerate(steps) if s.persona is None and s.emotion is not None}
    for index, persona in enumerate(used):
        line = series.nth(index)
        assert line.get_attribute("data-persona") == persona.id
        own = [s for s in steps if s.persona in (None, persona.id) and s.emotion is not None]
        assert line.locator(".emotion-line").count() == len(own) - 1
        columns = {int(p.split(":")[0]) for p in line.get_attribute("data-points").split()}  # type: ignore[union-attr]
        assert shared <= columns, "a step without a persona is on every line"
        assert page.locator(".curve-legend").get_by_text(persona.name).is_visible()
    dashes = series.evaluate_all(
        "(gs) => gs.map((g) => getComputedStyle(g.querySelector('.emotion-line')).strokeDasharray)"
    )
    assert dashes[0] != dashes[1], "the lines differ in greyscale, not only by colour"
    negative = page.locator("svg.emotion-curve .negative-zone").bounding_box()
    zero = page.locator("svg.emotion-curve .level-line.zero").bounding_box()
    assert negative is not None and zero is not None
    assert abs(negative["y"] - zero["y"]) <= 1 and negative["height"] > 50


MEANINGS = {
    "pain point": "li.pain",
    "opportunity": "li.opp",
    "KPI off target": "li.kpi-off",
    "KPI on target": "li.kpi-on",
    "moment of truth": ".grid .badge-mot",
    "missing handoff": ".grid .flag-error",
    "channel change": ".grid .switch",
    "negative emotion zone": "svg.emotion-curve .negative-zone",
    "stage boundary": "svg.emotion-curve .stage-boundary",
    "curve line": "svg.emotion-curve .emotion-series",
    "blueprint line": ".grid tr.blueprint-line",
}
SIGNATURE = """(selector) => [...document.querySelectorAll(selector)]
  .filter((el) => el.getClientRects().length).map((el) => {
    const s = getComputedStyle(el);
    const icon = el.querySelector('.icon');
    return [icon ? icon.textContent : '', s.borderLeftStyle, s.borderLeftWidth, s.fontWeight];
  })"""


def _hex(css: str) -> str:
    r, g, b = (int(v) for v in re.findall(r"\d+", css)[:3])
    return f"#{r:02x}{g:02x}{b:02x}"


def _looks(page: Page) -> dict[str, list[Any]]:
    return {meaning: page.evaluate(SIGNATURE, sel) for meaning, sel in MEANINGS.items()}


@pytest.mark.parametrize("map_id", EXAMPLE_IDS)
def test_high_contrast_theme_keeps_every_meaning(
    page: Page, rendered: Path, high_contrast: Path, map_id: str
) -> None:
    _open(page, rendered / f"{map_id}.html")
    default = _looks(page)
    _open(page, high_contrast / f"{map_id}.html")
    page.screenshot(path=str(SHOTS / f"{map_id}-high-contrast.png"))
    strong = _looks(page)
    for meaning in MEANINGS:
        assert len(strong[meaning]) == len(default[meaning]), meaning
    # Told apart without colour: icon, border style or weight differ between the meanings.
    kinds = {m: {tuple(v[:2]) for v in strong[m]} for m in ("pain point", "opportunity")}
    kinds["KPI off target"] = {tuple(v[:2]) for v in strong["KPI off target"]}
    for a, b in combinations([k for k in kinds if kinds[k]], 2):
        assert not kinds[a] & kinds[b], f"{a} and {b} look alike without colour"
    weights = {v[2] for v in strong["pain point"]}
    severities = {p.severity for s in JOURNEYS[map_id].steps() for p in s.pain_points}
    if len(severities) > 1:
        assert len(weights) > 1, "severity shows as weight"


# Colour-vision deficiency simulation (Machado, Oliveira and Fernandes 2009, severity 1.0),
# applied in linear RGB; colours compared as CIELAB distances (CIE76).
CVD = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602),
                   (0.004733, 0.691367, 0.303900)),
}  # fmt: skip


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _lab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return (116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z)))


def simulate(colour: str, matrix: tuple[tuple[float, ...], ...]) -> tuple[float, float, float]:
    rgb = [_linear(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5)]
    out = [min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb, strict=True)))) for row in matrix]
    return _lab((out[0], out[1], out[2]))


def _delta(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    return float(sum((x - y) ** 2 for x, y in zip(a, b, strict=True)) ** 0.5)


@pytest.mark.parametrize("theme", ["default", "high-contrast"])
def test_emotion_fills_stay_distinct_under_colour_vision_deficiencies(
    page: Page, rendered: Path, high_contrast: Path, theme: str
) -> None:
    folder = rendered if theme == "default" else high_contrast
    _open(page, folder / "tv-purchase.html")
    fills = page.evaluate(
        """() => [-2, -1, 0, 1, 2].map((v) => getComputedStyle(document.querySelector(
          '#legend .emotion-' + (v < 0 ? 'n' + (-v) : v))).backgroundColor)"""
    )
    colours = dict(zip((-2, -1, 0, 1, 2), (_hex(f) for f in fills), strict=True))
    for name, matrix in CVD.items():
        seen = {v: simulate(c, matrix) for v, c in colours.items()}
        for a, b in combinations(colours, 2):
            distance = _delta(seen[a], seen[b])
            # Opposite signs must never be confused; neighbours must still differ.
            need = 20 if a * b < 0 else 8
            assert distance >= need, f"{name}: {a:+d} and {b:+d} differ by only {distance:.1f}"


# ---------------------------------------------------------------- a 400-step map


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import importlib.util

    spec = importlib.util.spec_from_file_location("render_big", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path_factory.mktemp("big")
    source = out / "big.journey.yaml"
    source.write_text(module.big_map(400, 20), encoding="utf-8")
    result = run("render", source, "-o", out, "-f", "html", "--today", "2026-11-23")
    assert result.code == 0, result.err
    return out


BENCH = Path(__file__).resolve().parents[2] / "bench" / "render_big.py"


def test_a_400_step_map_prints_every_step_one_band_a_page(page: Page, big: Path) -> None:
    pages = _print(page, big / "big.html", SHOTS / "big.pdf")
    end = next(i for i, text in enumerate(pages) if "Personas" in text or FLOW_NOTE in text)
    grid = pages[:end]
    assert len(grid) == 20, "one band of 20 steps per page"
    text = " ".join(grid)
    for number in range(400):
        assert f"Step {number} where the customer does something" in text, number
    assert all("Customer action" in p and "Line of" not in p for p in grid)


def test_a_400_step_map_folds_its_findings_by_rule(page: Page, big: Path) -> None:
    _open(page, big / "big.html")
    groups = page.locator("#health details.rule-group")
    summaries = groups.locator("summary").all_inner_texts()
    counts = {s.split()[1]: int(s.split()[2]) for s in summaries}
    assert counts["kpi-off-target"] == 200 and counts["channel-gap"] == 110
    assert sum(counts.values()) == page.locator("#health li.finding").count()
    assert groups.evaluate_all("(ds) => ds.filter((d) => d.open).length") == 1  # the short one
    health = page.locator("#health").bounding_box()
    assert health is not None and health["height"] < 800
    page.set_viewport_size(PHONE)
    assert page.evaluate(OVERFLOW_X) <= 0


def test_edge_labels_have_a_halo_of_the_background(page: Page, rendered: Path) -> None:
    """An edge's label may lie on an edge (a dotted arc through "1 user, not on the map"): the
    browser draws it over a stroke of the page's surface colour."""
    _open(page, rendered / "tv-purchase.html")
    label = page.locator(".flow-scroller svg g.edge text").first
    style = label.evaluate(
        "(el) => { const s = getComputedStyle(el); "
        "return [s.paintOrder, s.strokeWidth, s.stroke]; }"
    )
    surface = page.evaluate(
        "() => getComputedStyle(document.querySelector('.card, .scroller')).backgroundColor"
    )
    assert style == ["stroke", "4px", surface]
