"""Rendering several maps into one directory: plan every output in memory, then write or check.

One map that cannot be rendered never stops the others; its problem is reported and counted.
Writing is atomic per file and leaves unchanged files alone (their mtime too), and `check`
only compares bytes, so `render --check` in CI costs no more than a render.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journeymap.config import ConfigError
from journeymap.findings import INTERNAL, internal_finding
from journeymap.render import RENDERER_BY_NAME, RenderContext
from journeymap.render.svg import RenderError, flow_image, png_oversize, stage_pngs
from journeymap.render.themes import Theme

if TYPE_CHECKING:
    from journeymap.inspection import Inspection
    from journeymap.validation import Journey

PORTFOLIO_NAME = "index.html"


@dataclass
class Output:
    path: Path
    data: bytes


@dataclass
class Plan:
    """Every file a render produces, and the maps that could not be rendered (with why)."""

    outputs: list[Output] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rendered: list[tuple[Journey, RenderContext]] = field(default_factory=list)
    internal: bool = False  # a map met an internal error (exit 2)


def file_name(journey_id: str, fmt: str) -> str:
    return f"{journey_id}.{RENDERER_BY_NAME[fmt].extension}"


def plan(
    results: list[Inspection],
    formats: list[str],
    theme: Theme,
    out_dir: Path,
    today: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
    metrics: dict[str, Any] | None = None,
) -> Plan:
    """Render every valid map in every format, and the portfolio page when there are several."""
    result = Plan()
    seen: dict[str, str] = {}
    todo: list[tuple[Inspection, Journey, RenderContext]] = []
    for checked in results:
        if checked.library is not None:
            continue  # a library is used by maps, not rendered on its own
        journey = checked.journey
        if any(f.rule == INTERNAL for f in checked.findings):
            result.internal = True
        if journey is None:
            errors = [f for f in checked.findings if not f.suppressed]
            first = errors[0] if errors else None
            where = f" (first: line {first.line}: {first.message})" if first else ""
            result.problems.append(
                f"{checked.display}: not rendered: {len(errors)} format error(s){where}; "
                "run `journeymap validate` for details"
            )
            continue
        if journey.id in seen:
            result.problems.append(
                f"{checked.display}: not rendered: map id '{journey.id}' is also the id of "
                f"{seen[journey.id]}; give one of them another `id:`"
            )
            continue
        seen[journey.id] = checked.display
        todo.append(
            (
                checked,
                journey,
                RenderContext(theme=theme, checked=checked, today=today, metrics=metrics),
            )
        )
    with _flow_prefetch(todo, formats) as ready:
        for (checked, journey, context), flow_done in zip(todo, ready, strict=True):
            if progress is not None:
                progress(checked.display)
            try:
                flow_done()
                outputs = []
                for fmt in formats:
                    oversize = png_oversize(journey, context) if fmt == "png" else None
                    if oversize is not None:
                        outputs += _png_per_stage(journey, context, out_dir)
                        result.warnings.append(
                            f"{checked.display}: {oversize}; wrote one PNG per stage instead "
                            f"({journey.id}-<stage id>.png); the SVG and PDF hold it whole"
                        )
                        continue
                    data = RENDERER_BY_NAME[fmt].render(journey, context)
                    outputs.append(Output(out_dir / file_name(journey.id, fmt), data))
            except RenderError as err:
                result.problems.append(f"{checked.display}: not rendered: {err}")
                continue
            except ConfigError:
                raise
            except Exception as err:  # a bug met on one map: the others are still rendered
                if os.environ.get("JOURNEYMAP_DEBUG"):
                    raise
                result.internal = True
                why = internal_finding(checked.display, err).message
                result.problems.append(f"{checked.display}: not rendered: {why}")
                continue
            result.outputs.extend(outputs)
            result.rendered.append((journey, context))
    if len(result.rendered) > 1:
        if PORTFOLIO_NAME.removesuffix(".html") in seen and "html" in formats:
            result.problems.append(
                f"the portfolio page {PORTFOLIO_NAME} was not written: a map has the id 'index'"
            )
        else:
            from journeymap.render.portfolio import render_portfolio

            page = render_portfolio(result.rendered, formats, theme)
            result.outputs.append(Output(out_dir / PORTFOLIO_NAME, page))
    return result


def _png_per_stage(journey: Journey, context: RenderContext, out_dir: Path) -> list[Output]:
    return [
        Output(out_dir / f"{journey.id}-{stage.id}.png", data)
        for stage, data in stage_pngs(journey, context)
    ]


@contextlib.contextmanager
def _flow_prefetch(
    todo: list[tuple[Inspection, Journey, RenderContext]], formats: list[str]
) -> Iterator[list[Callable[[], object]]]:
    """Start every map's Graphviz layout ahead, in threads: `dot` runs as a subprocess outside
    the interpreter lock, so the layouts overlap with rendering the pages in this thread.

    Yields, per map, a function that waits for its layout (and raises its RenderError).
    """
    if ("svg" not in formats and "html" not in formats) or len(todo) < 2:
        yield [lambda: None for _ in todo]
        return
    from concurrent.futures import ThreadPoolExecutor

    workers = min(len(todo), (os.cpu_count() or 1) + 1)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(flow_image, j, c, "svg") for _, j, c in todo]
        try:
            yield [f.result for f in futures]
        finally:
            for future in futures:
                future.cancel()


def stale(outputs: list[Output]) -> list[tuple[str, Path]]:
    """('missing' | 'stale', path) for every output that is not on disk with these bytes."""
    from journeymap.files import read_bounded

    out: list[tuple[str, Path]] = []
    for output in outputs:
        try:
            # Only as much as the right bytes could be: a committed output may be a link to
            # /dev/zero or a FIFO, which is not a current output (and is never read whole).
            current = read_bounded(output.path, len(output.data))
        except OSError:
            out.append(("missing", output.path))
            continue
        if current != output.data:
            out.append(("stale", output.path))
    return out
