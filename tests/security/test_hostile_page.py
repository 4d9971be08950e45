"""A map made of hostile text, rendered: the page runs no script of the map's and loads nothing.

Every text field of the map holds every string of `HOSTILE`. The page is read as HTML (CSP,
links, no planted elements) and then opened in Chromium with the network blocked and logged.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from tests.security.hostile import HOSTILE, scan

from helpers import run

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from browser import PageLog

FRESH = {"JOURNEYMAP_NO_CACHE": "1"}


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


def _hostile_map() -> str:
    evil = " ".join(HOSTILE[:-1])  # all but the 2,000-character one, in every field
    lines = [
        "journeymap: 1",
        f"title: {_q(evil)}",
        f"description: {_q(evil)}",
        f"owner: {_q(evil)}",
        f"tags: [{_q(HOSTILE[0])}, {_q(HOSTILE[1])}]",
        f"personas: [{{id: p, name: {_q(evil)}, quote: {_q(evil)}, goals: [{_q(evil)}]}}]",
        f"channels: [{{id: c, name: {_q(evil)}, kind: digital}}, {{id: d, name: {_q(evil)}}}]",
        "stages:",
    ]
    for s in range(2):
        lines += [f"  - id: s{s}", f"    name: {_q(evil)}", f"    goal: {_q(evil)}", "    steps:"]
        for i, text in enumerate(HOSTILE):
            lines += [
                f"      - id: s{s}-{i}",
                f"        name: {_q(text)}",
                "        persona: p",
                f"        channel: {'c' if i % 2 else 'd'}",
                f"        handoff: {_q(text)}",
                f"        emotion: {i % 5 - 2}",
                f"        thoughts: [{_q(text)}]",
                f"        pain_points: [{_q(text)}]",
                f"        opportunities: [{{text: {_q(text)}, priority: high}}]",
                f"        kpis: [{{name: {_q(text)}, target: 1, actual: {_q(text)},"
                f" unit: {_q(text)}}}]",
                f"        feedback: [{{method: other, name: {_q(text)}}}]",
                f"        frontstage: [{_q(text)}]",
                f"        backstage: [{_q(text)}]",
                f"        evidence: [{{kind: assumed, source: {_q(text)}}}]",
                f"        links: [{{label: {_q(text)},"
                f" url: {_q('https://example.com/?q=' + text)}}},"
                f" {{label: x, url: {_q('rel/' + text.replace(':', '_'))}}}]",
                f"        moment_of_truth: {'true' if i % 3 == 0 else 'false'}",
            ]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    (root / ".git").mkdir()
    (root / "hostile.journey.yaml").write_text(_hostile_map(), "utf-8")
    assert run("validate", "hostile.journey.yaml", cwd=root, env=FRESH).code == 0
    result = run(
        "render", ".", "-o", "out", "-f", "html,svg,dot,mermaid", "--today", "2026-11-23",
        cwd=root, env=FRESH,
    )  # fmt: skip
    assert result.code == 0, result.err
    return root / "out"


def test_page_has_a_strict_csp_and_safe_links(rendered: Path) -> None:
    found = scan((rendered / "hostile.html").read_text("utf-8"))
    assert found.csp is not None
    directives = dict(d.strip().split(" ", 1) for d in found.csp.split(";") if " " in d.strip())
    assert directives["default-src"] == "'none'"
    assert re.fullmatch(r"'sha256-[A-Za-z0-9+/=]+'", directives["script-src"])
    assert re.fullmatch(r"'sha256-[A-Za-z0-9+/=]+'", directives["style-src"])
    assert found.scripts == 1 and found.styles == 1
    assert found.event_handlers == [] and found.bad_tags == [] and found.resources == []
    external = [(h, r) for h, r in found.links if not h.startswith("#")]
    assert len(external) >= 2 * len(HOSTILE)
    for href, rel in external:
        assert href.startswith(("https://example.com/", "rel/")), href
        assert rel == "noopener noreferrer"


def test_diagram_sources_carry_no_directives(rendered: Path) -> None:
    mermaid = (rendered / "hostile.mmd").read_text("utf-8")
    # No directive (`%%{init: ...}%%`), no interaction (`click`): the words stay, escaped.
    assert "%%" not in mermaid and "{" not in mermaid
    assert not any(line.strip().startswith(("click", "style")) for line in mermaid.splitlines())
    svg = scan((rendered / "hostile.svg").read_text("utf-8"))
    assert svg.scripts == 0 and svg.event_handlers == [] and svg.bad_tags == []


@pytest.mark.browser
def test_page_runs_no_map_script_and_requests_nothing(
    rendered: Path, page: Page, page_log: PageLog
) -> None:
    page.goto((rendered / "hostile.html").as_uri())
    page.wait_for_load_state("load")
    page.mouse.move(200, 200)  # hover and focus handlers, had any been planted
    page.keyboard.press("Tab")
    assert page.evaluate("() => window.__pwned") is None
    assert (
        page.evaluate("() => document.querySelectorAll('iframe, object, embed, base').length") == 0
    )
    assert "<script>window.__pwned = 1</script>" in page.evaluate("() => document.body.textContent")
    page_log.assert_clean()
