"""Random valid maps (hypothesis) hold together through validate -> lint -> render -> browser.

The maps are valid by construction, with text drawn from all of Unicode and from `HOSTILE`.
Whatever the text: validate says valid, lint exits 0 or 1 with parseable output, render writes
whole files, and the page carries the map's text as text (escaped, never markup or script).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from tests.security.hostile import HOSTILE, scan

from helpers import run

if TYPE_CHECKING:
    from playwright.sync_api import Page

    from browser import PageLog

FRESH = {"JOURNEYMAP_NO_CACHE": "1"}
TODAY = "2026-11-23"

slugs = st.from_regex(r"\A[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4}){0,2}\Z")
# Any Unicode but surrogates (a file must be UTF-8), often one of the hostile strings.
texts = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=40),
)
urls = st.one_of(
    st.sampled_from(["https://example.com/a?b=1&c=<d>", "mailto:x@example.com", "docs/a b.md"]),
    st.builds(lambda t: "https://example.com/" + t, texts),
    st.builds(lambda t: "relative/" + t.replace(":", "_"), texts),
)


def _unique(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[str] = set()
    out = []
    for item in items:
        if item["id"] not in seen:
            seen.add(item["id"])
            out.append(item)
    return out


@st.composite
def maps(draw: st.DrawFn) -> dict[str, Any]:
    personas = _unique(
        draw(
            st.lists(
                st.fixed_dictionaries(
                    {"id": slugs, "name": texts},
                    optional={
                        "description": texts,
                        "goals": st.lists(texts, max_size=2),
                        "quote": texts,
                    },
                ),
                max_size=2,
            )
        )
    )
    channels = _unique(
        draw(
            st.lists(
                st.fixed_dictionaries(
                    {"id": slugs, "name": texts},
                    optional={"kind": st.sampled_from(["digital", "physical", "human", "partner"])},
                ),
                max_size=3,
            )
        )
    )
    stage_ids = draw(st.lists(slugs, min_size=1, max_size=3, unique=True))
    step_ids = draw(st.lists(slugs, min_size=1, max_size=6, unique=True))
    stages: list[dict[str, Any]] = [
        {"id": sid, "name": draw(texts), "steps": []} for sid in stage_ids
    ]
    for step_id in step_ids:
        step: dict[str, Any] = {"id": step_id, "name": draw(texts)}
        extra = draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "description": texts,
                    "touchpoint": texts,
                    "action": texts,
                    "thoughts": st.lists(texts, max_size=2),
                    "emotion": st.integers(-2, 2),
                    "pain_points": st.lists(texts, max_size=2),
                    "opportunities": st.lists(
                        st.one_of(
                            texts,
                            st.fixed_dictionaries(
                                {"text": texts},
                                optional={"priority": st.sampled_from(["high", "medium", "low"])},
                            ),
                        ),
                        max_size=2,
                    ),
                    "kpis": st.lists(
                        st.fixed_dictionaries(
                            {"name": texts},
                            optional={
                                "target": st.one_of(st.floats(-1e9, 1e9), st.integers(), texts),
                                "actual": st.one_of(st.floats(-1e9, 1e9), texts),
                                "unit": texts,
                            },
                        ),
                        max_size=2,
                    ),
                    "feedback": st.lists(
                        st.fixed_dictionaries(
                            {"method": st.sampled_from(["survey", "nps", "analytics", "other"])},
                            optional={"name": texts},
                        ),
                        max_size=1,
                    ),
                    "frontstage": st.lists(texts, max_size=1),
                    "backstage": st.lists(texts, max_size=1),
                    "handoff": texts,
                    "owner": texts,
                    "links": st.lists(
                        st.fixed_dictionaries({"url": urls}, optional={"label": texts}),
                        max_size=2,
                    ),
                    "moment_of_truth": st.booleans(),
                },
            )
        )
        step.update(extra)
        if personas and draw(st.booleans()):
            step["persona"] = draw(st.sampled_from([p["id"] for p in personas]))
        if channels and draw(st.booleans()):
            step["channel"] = draw(st.sampled_from([c["id"] for c in channels]))
        if draw(st.booleans()):
            step["next"] = draw(st.lists(st.sampled_from(step_ids), max_size=2, unique=True))
        draw(st.sampled_from(stages))["steps"].append(step)
    return {
        "journeymap": 1,
        "id": "generated",
        "title": draw(texts),
        **draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "description": texts,
                    "owner": texts,
                    "tags": st.lists(texts, max_size=3),
                },
            )
        ),
        "personas": personas,
        "channels": channels,
        "stages": stages,
    }


def _write(directory: Path, data: dict[str, Any]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / ".git").mkdir(exist_ok=True)
    path = directory / "generated.journey.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def _texts_of(data: Any) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [t for value in data.values() for t in _texts_of(value)]
    if isinstance(data, list):
        return [t for value in data for t in _texts_of(value)]
    return []


def _render(path: Path, out: Path, formats: str = "html,mermaid,dot") -> str:
    result = run("render", path, "-o", out, "-f", formats, "--today", TODAY, env=FRESH)
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    return (out / "generated.html").read_text("utf-8")


def _assert_page_holds_together(page_html: str, data: dict[str, Any]) -> None:
    found = scan(page_html)
    assert found.csp is not None and "default-src 'none'" in found.csp
    assert "unsafe-inline" not in found.csp and "unsafe-eval" not in found.csp
    assert found.scripts <= 1, "map text added a <script>"
    assert found.event_handlers == [], found.event_handlers
    assert found.bad_tags == [], found.bad_tags
    for href, rel in found.links:
        if href.startswith("#"):
            continue  # the page's own anchors
        assert re.match(r"(?i)^(https?:|mailto:|[^:]*$)", href), href
        assert rel == "noopener noreferrer", (href, rel)
    # Every name reaches the page as text: escaped, so it reads back the same (compared on the
    # letters and digits, since whitespace is collapsed and control characters dropped).
    page_core = _core(html.unescape(page_html))
    for name in [data["title"], *(s["name"] for st_ in data["stages"] for s in st_["steps"])]:
        assert _core(name)[:12] in page_core, name


def _core(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


@pytest.mark.slow
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],  # shrinking hostile text can take minutes
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=maps())
def test_random_valid_maps_validate_lint_and_render(tmp_path: Path, data: dict[str, Any]) -> None:
    import tempfile

    work = Path(tempfile.mkdtemp(dir=tmp_path))
    path = _write(work / "project", data)
    checked = run("validate", path, env=FRESH)
    assert checked.code == 0, checked.out + checked.err
    linted = run("lint", "--format", "json", "--today", TODAY, path, env=FRESH)
    assert linted.code in (0, 1), linted.err
    json.loads(linted.out)
    for fmt in ("sarif", "junit", "github"):
        other = run("lint", "--format", fmt, "--today", TODAY, path, env=FRESH)
        assert other.code == linted.code and "Traceback" not in other.err
    page_html = _render(path, work / "out")
    _assert_page_holds_together(page_html, data)


@pytest.mark.browser
@pytest.mark.slow
@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],  # shrinking hostile text can take minutes
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=maps())
def test_random_maps_pages_run_no_map_script_in_chromium(
    tmp_path: Path, page: Page, page_log: PageLog, data: dict[str, Any]
) -> None:
    import tempfile

    work = Path(tempfile.mkdtemp(dir=tmp_path))
    path = _write(work / "project", data)
    _render(path, work / "out", "html")
    page.goto((work / "out" / "generated.html").as_uri())
    page.wait_for_load_state("load")
    assert page.evaluate("() => window.__pwned") is None
    assert page.title().strip() != ""
    page_log.assert_clean()
    page_log.console_errors.clear()
