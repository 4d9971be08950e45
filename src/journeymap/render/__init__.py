"""Renderers: one module per output, collected in `RENDERER_BY_NAME`.

A renderer turns one valid map (`Journey`) into the bytes of one file named
`<map id>.<extension>`. The CLI's `--format` choices are this registry's keys. Renderers are
pure: the same map and context give the same bytes (no timestamps, no random ids).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from journeymap import choices
from journeymap.render.themes import DEFAULT_THEME, THEMES, Theme

if TYPE_CHECKING:
    from concurrent.futures import Future

    from journeymap.findings import Finding
    from journeymap.inspection import Inspection
    from journeymap.render.layouts import LayoutCache
    from journeymap.validation import Journey

T = TypeVar("T")


@dataclass
class RenderContext:
    """What a renderer may use besides the map: the theme, the lint findings, caches.

    One context per map: the flow diagram's SVG is drawn once and shared by the SVG and HTML
    renderers through `memo`.
    """

    theme: Theme = field(default_factory=lambda: THEMES[DEFAULT_THEME])
    checked: Inspection | None = None
    today: dt.date | None = None
    #: metrics.json from `journeymap measure` (`render --metrics`): the whole file, or None.
    metrics: dict[str, Any] | None = None
    #: Drawings made by earlier runs (`render/layouts.py`), or None to run `dot` every time.
    layouts: LayoutCache | None = None
    #: Whether a big map's page may be rendered in two processes (a forked child): off where
    #: threads other than the renderer's own could hold locks (the preview server).
    parallel: bool = False
    #: The map as its outputs name it (`render.marks.source_name`); None: from its project root.
    source: str | None = None
    _cache: dict[str, object] = field(default_factory=dict, repr=False)
    _pending: dict[str, Future[Any]] = field(default_factory=dict, repr=False)

    def figures(self, journey: Journey) -> dict[str, Any] | None:
        """This map's measured figures, when `render --metrics` gave them for this version of
        it (`journeymap.measure.use.staleness`: a page draws no figures of an older map)."""
        from journeymap.measure.use import figures_of

        found = figures_of(self.metrics, journey.id)
        if found is None:
            return None
        return self.memo(f"figures:{journey.id}", lambda: _current(journey, found))

    def source_name(self, journey: Journey) -> str:
        """The map's path as every output records it (`render.marks`): from the project root
        the run gave (`source`), else from the map's own."""
        if self.source is None:
            from journeymap.project import project_root
            from journeymap.render.marks import source_name

            path = journey.document.path
            self.source = source_name(path, project_root(path.parent.resolve()))
        return self.source

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        if key not in self._cache:
            pending = self._pending.pop(key, None)
            self._cache[key] = pending.result() if pending is not None else compute()
        return self._cache[key]  # type: ignore[return-value]

    def prefetch(self, key: str, compute: Callable[[], object]) -> None:
        """Start computing `memo(key)` in a thread (for work outside the interpreter lock,
        such as a `dot` subprocess), so it overlaps with what this thread does meanwhile."""
        if key in self._cache or key in self._pending:
            return
        import threading
        from concurrent.futures import Future

        future: Future[Any] = Future()

        def run() -> None:
            try:
                future.set_result(compute())
            except BaseException as err:  # handed to whoever asks for the result
                future.set_exception(err)

        self._pending[key] = future
        threading.Thread(target=run, name=f"prefetch {key}", daemon=True).start()

    def findings(self) -> list[Finding]:
        """The map's lint findings (suppressed ones included), or none without a lint engine."""
        checked = self.checked
        if checked is None:
            return []

        def lint() -> list[Finding]:
            try:
                from journeymap.lint import lint_checked
            except ImportError:  # the lint engine is optional for rendering
                return []
            result: list[Finding] = lint_checked(
                checked, today=self.today, metrics=self.metrics
            )  # sorted
            return result

        return self.memo("findings", lint)


class Renderer(Protocol):
    """One output format of one map."""

    name: str
    extension: str
    description: str

    def render(self, journey: Journey, context: RenderContext) -> bytes: ...


def _registry() -> dict[str, Renderer]:
    from journeymap.render.graph import DotRenderer
    from journeymap.render.html import HtmlRenderer
    from journeymap.render.mermaid import MermaidRenderer
    from journeymap.render.svg import GraphvizRenderer

    renderers: list[Renderer] = [
        HtmlRenderer(),
        GraphvizRenderer("svg", "the flow diagram as SVG"),
        GraphvizRenderer("png", "the flow diagram as PNG"),
        GraphvizRenderer("pdf", "the flow diagram as PDF"),
        DotRenderer(),
        MermaidRenderer(),
    ]
    return {r.name: r for r in renderers}


# The names alone (journeymap.choices), so the command line can offer them and the
# configuration can be checked without importing every renderer.
RENDERER_NAMES = choices.RENDERER_NAMES
DEFAULT_FORMATS = ("html", "svg")

if TYPE_CHECKING:
    RENDERER_BY_NAME: dict[str, Renderer]


@cache
def renderers() -> dict[str, Renderer]:
    return _registry()


def __getattr__(name: str) -> object:
    if name == "RENDERER_BY_NAME":  # built on first use: it imports Jinja2 and the templates
        return renderers()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def render_journey(journey: Journey, fmt: str, context: RenderContext) -> bytes:
    return renderers()[fmt].render(journey, context)


def _current(journey: Journey, figures: dict[str, Any]) -> dict[str, Any] | None:
    from journeymap.measure.use import staleness

    return None if staleness(journey, figures) is not None else figures
