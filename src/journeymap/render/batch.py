"""Rendering several maps into one directory: each map rendered where it is checked, then
every output compared with the disk, and the portfolio made from the maps' summaries.

`MapRenderer` is the per-file task of the check pipeline (`inspection.inspect_each`): in a worker
process it renders one map in every format, hashes each output and compares it with the file
on disk, and returns a `MapRender`: the outputs' names and SHA-256, the bytes only of those
that are not current (and only when they are to be written), and the map's summary for the
portfolio page. That result is what the render cache keeps (`Cached`), keyed by the map's
bytes, its configuration and the run's options (`MapRenderer.salt`): a second run over
unchanged maps reads no YAML, runs no Jinja and no `dot`; it only hashes and compares. A cached
result whose outputs are no longer current on disk is, when writing, rendered again.

One map that cannot be rendered never stops the others; its problem is reported and counted.
Writing is atomic per file and leaves unchanged files alone (their mtime too).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journeymap.config import ConfigError
from journeymap.findings import INTERNAL, internal_finding
from journeymap.mapids import id_position, same_id_message
from journeymap.render import RENDERER_BY_NAME, RenderContext
from journeymap.render.svg import RenderError, png_oversize, prefetch_flow, stage_pngs
from journeymap.render.themes import Theme
from journeymap.words import plural

if TYPE_CHECKING:
    from journeymap.cache import Cached, ResultCache
    from journeymap.inspection import Inspection
    from journeymap.render.layouts import LayoutCache
    from journeymap.validation import Journey

PORTFOLIO_NAME = "index.html"
CURRENT, STALE, MISSING = "current", "stale", "missing"
RENDERED, KEPT, LIBRARY = "rendered", "kept", "library"
_DIGEST = re.compile(r"[0-9a-f]{64}")


@dataclass
class Output:
    """One file of a render: its bytes' SHA-256 and size, whether the disk holds them, and the
    bytes themselves when they are to be written (`data` is None for a current file)."""

    path: Path
    data: bytes | None
    digest: str = ""
    size: int = 0
    state: str = MISSING


@dataclass
class MapRender:
    """What rendering one input gave: its outputs, problems, and summary for the portfolio."""

    display: str
    source: str = ""  # as its outputs name it (render/marks.py)
    map_id: str | None = None  # None: nothing rendered (a library, or a map with errors)
    id_at: tuple[int, int] = (1, 1)  # the line and column of its `id:` (`mapids.id_position`)
    library: bool = False
    outputs: list[Output] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    summary: dict[str, Any] | None = None
    internal: bool = False  # an internal error: exit 2, and never cached
    cacheable: bool = True  # False when Graphviz failed or was missing


@dataclass
class Plan:
    """Every file a render produces, and the maps that could not be rendered (with why)."""

    outputs: list[Output] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)  # the map ids, in file order
    #: Each map met, as outputs name it: RENDERED, KEPT (not rendered: its outputs stay), LIBRARY
    sources: dict[str, str] = field(default_factory=dict)
    internal: bool = False  # a map met an internal error (exit 2)


@dataclass(frozen=True)
class RenderSettings:
    """A render's settings, the same for every map of the run."""

    formats: list[str]
    theme: Theme
    theme_name: str
    out_dir: Path
    write: bool  # False for --check: no output's bytes are kept
    today: dt.date | None = None
    metrics: dict[str, Any] | None = None
    metrics_key: str = ""  # the metrics file's hash, for the cache
    layouts: LayoutCache | None = None
    #: False: keep every output's bytes, compare none with the disk (the preview server).
    compare: bool = True
    #: The project root outputs name their maps from (render/marks.py); None: each map's own.
    base: Path | None = None


def file_name(journey_id: str, fmt: str) -> str:
    return f"{journey_id}.{RENDERER_BY_NAME[fmt].extension}"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def state_on_disk(path: Path, sha256: str, size: int) -> str:
    """Whether `path` holds exactly the bytes of this digest and size: current, stale or
    missing (also for what cannot be read as a regular file)."""
    from journeymap.files import read_bounded

    try:
        # Only as much as the right bytes could be: a committed output may be a link to
        # /dev/zero or a FIFO, which is not a current output (and is never read whole).
        current = read_bounded(path, size)
    except OSError:
        return MISSING
    return CURRENT if len(current) == size and digest(current) == sha256 else STALE


class MapRenderer:
    """The per-file task: render one checked map (`__call__`), and keep that in the cache."""

    def __init__(self, options: RenderSettings) -> None:
        self.options = options

    def salt(self) -> str:
        """Everything besides the map and its configuration that its outputs depend on."""
        from journeymap.render.layouts import graphviz_version

        o = self.options
        day = (o.today or dt.date.today()).isoformat()
        versions = f"{o.metrics_key}|{graphviz_version()}|{o.base}"
        return f"{','.join(o.formats)}|{o.theme_name}|{day}|{versions}"

    def cached(self, cache: ResultCache) -> Cached[MapRender]:
        from journeymap.cache import Cached

        return Cached(cache, dump=self.dump, load=self.load)

    def __call__(self, checked: Inspection) -> MapRender:
        result = MapRender(checked.display, self._source(checked.path))
        if checked.library is not None:
            result.library = True  # a library is used by maps, not rendered on its own
            return result
        result.internal = any(f.rule == INTERNAL for f in checked.findings)
        journey = checked.journey
        if journey is None:
            errors = [f for f in checked.findings if not f.suppressed]
            first = errors[0] if errors else None
            where = f" (first: line {first.line}: {first.message})" if first else ""
            result.problems.append(
                f"{checked.display}: not rendered: {plural(len(errors), 'format error')}{where}; "
                "run `journeymap validate` for details"
            )
            return result
        o = self.options
        context = RenderContext(
            theme=o.theme,
            checked=checked,
            today=o.today,
            metrics=o.metrics,
            layouts=o.layouts,
            parallel=o.compare,  # not in the preview server (its threads)
            source=result.source,
        )
        try:
            if "svg" in o.formats or "html" in o.formats or "png" in o.formats:
                prefetch_flow(journey, context)
            files = self._files(journey, context, result)
            from journeymap.render.portfolio import map_summary

            summary = map_summary(journey, context, o.formats)
        except RenderError as err:
            result.problems.append(f"{checked.display}: not rendered: {err}")
            result.cacheable = False
            return result
        except ConfigError:
            raise
        except Exception as err:  # a bug met on one map: the others are still rendered
            if os.environ.get("JOURNEYMAP_DEBUG"):
                raise
            result.internal = True
            why = internal_finding(checked.display, err).message
            result.problems.append(f"{checked.display}: not rendered: {why}")
            return result
        result.map_id, result.id_at, result.summary = journey.id, id_position(journey), summary
        result.outputs = [_output(o.out_dir / name, data, o) for name, data in files]
        return result

    def _source(self, path: Path) -> str:
        from journeymap.project import project_root
        from journeymap.render.marks import source_name

        return source_name(path, self.options.base or project_root(path.parent.resolve()))

    def _files(
        self, journey: Journey, context: RenderContext, result: MapRender
    ) -> list[tuple[str, bytes]]:
        files: list[tuple[str, bytes]] = []
        for fmt in self.options.formats:
            oversize = png_oversize(journey, context) if fmt == "png" else None
            if oversize is not None:
                files += [
                    (f"{journey.id}-{stage.id}.png", data)
                    for stage, data in stage_pngs(journey, context)
                ]
                result.warnings.append(
                    f"{result.display}: {oversize}; wrote one PNG per stage instead "
                    f"({journey.id}-<stage id>.png); the SVG and PDF hold it whole"
                )
                continue
            files.append(
                (file_name(journey.id, fmt), RENDERER_BY_NAME[fmt].render(journey, context))
            )
        return files

    def dump(self, result: MapRender) -> Any:
        """The cache's JSON of a result: names and digests, never bytes."""
        if result.internal or not result.cacheable:
            return {"uncacheable": True}
        return {
            "display": result.display,
            "source": result.source,
            "map_id": result.map_id,
            "id_at": list(result.id_at),
            "library": result.library,
            "outputs": [[o.path.name, o.digest, o.size] for o in result.outputs],
            "problems": result.problems,
            "warnings": result.warnings,
            "summary": result.summary,
        }

    def load(self, data: Any) -> MapRender:
        """A result back from the cache, its outputs compared with the disk.

        Raises ValueError (a miss: the map is rendered again) for an entry of another shape,
        and, when writing, for one whose outputs are not all current: their bytes are needed.
        """
        from journeymap.render.portfolio import valid_summary

        if not isinstance(data, dict) or data.get("uncacheable"):
            raise ValueError("not a cached render")
        result = MapRender(
            display=_text(data["display"]),
            source=_text(data["source"]),
            map_id=None if data["map_id"] is None else _text(data["map_id"]),
            id_at=_place(data["id_at"]),
            library=data["library"] is True,
            problems=[_text(p) for p in _list(data["problems"])],
            warnings=[_text(w) for w in _list(data["warnings"])],
            summary=None if data["summary"] is None else valid_summary(data["summary"]),
        )
        if (result.map_id is None) != (result.summary is None):
            raise ValueError("a rendered map has a summary")
        for item in _list(data["outputs"]):
            name, sha256, size = _list(item)
            if not _is_file_name(name) or not isinstance(sha256, str) or type(size) is not int:
                raise ValueError("not an output")
            if not _DIGEST.fullmatch(sha256) or size < 0:
                raise ValueError("not an output")
            output = Output(self.options.out_dir / name, None, sha256, size)
            output.state = state_on_disk(output.path, sha256, size)
            if output.state != CURRENT and self.options.write:
                raise ValueError("an output is not current: render it again")
            result.outputs.append(output)
        return result


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("not text")
    return value


def _place(value: object) -> tuple[int, int]:
    line, column = _list(value)
    if type(line) is not int or type(column) is not int or line < 1 or column < 1:
        raise ValueError("not a line and column")
    return line, column


def _list(value: object) -> list[Any]:
    if not isinstance(value, list):
        raise ValueError("not a list")
    return value


def _is_file_name(name: object) -> bool:
    """One plain file name (a cached entry must not name a place outside the folder)."""
    return (
        isinstance(name, str)
        and name not in ("", ".", "..")
        and not any(c in name for c in "/\\\x00")
    )


def plan(
    results: Iterable[MapRender],
    options: RenderSettings,
    progress: Callable[[str], None] | None = None,
) -> Plan:
    """Gather every map's render, in file order, and add the portfolio page when there are
    several maps (made from their summaries; not made again when its record says the page
    on disk is current)."""
    result = Plan()
    seen: dict[str, str] = {}
    summaries: list[dict[str, Any]] = []
    for rendered in results:
        map_id = rendered.map_id
        done = rendered.summary is not None and map_id is not None and map_id not in seen
        state = LIBRARY if rendered.library else RENDERED if done else KEPT
        _met(result.sources, rendered.source, state)
        if rendered.library:
            continue
        if progress is not None:
            progress(rendered.display)
        result.internal = result.internal or rendered.internal
        if map_id is not None and map_id in seen:
            line, column = rendered.id_at
            result.problems.append(
                f"{rendered.display}:{line}:{column}: not rendered: "
                + same_id_message(map_id, seen[map_id])
            )
            continue
        result.problems.extend(rendered.problems)
        if map_id is None or rendered.summary is None:
            continue
        seen[map_id] = rendered.display
        result.warnings.extend(rendered.warnings)
        result.outputs.extend(rendered.outputs)
        result.rendered.append(map_id)
        summaries.append(rendered.summary)
    if len(result.rendered) > 1:
        if PORTFOLIO_NAME.removesuffix(".html") in seen and "html" in options.formats:
            result.problems.append(
                f"the portfolio page {PORTFOLIO_NAME} was not written: a map has the id 'index'"
            )
        else:
            result.outputs.append(_portfolio(summaries, options))
    return result


def _met(sources: dict[str, str], source: str, state: str) -> None:
    """Note how a map fared. Of two files that outputs name alike (`marks.source_name`: they
    differ in what a terminal cannot show), one not rendered keeps its outputs."""
    if sources.get(source) != KEPT:
        sources[source] = state


def _portfolio(summaries: list[dict[str, Any]], options: RenderSettings) -> Output:
    """The portfolio page, or only its digest when a record of the same summaries says the
    page on disk is current (no Jinja)."""
    import json

    path = options.out_dir / PORTFOLIO_NAME
    layouts = options.layouts
    text = json.dumps([options.theme_name, summaries], ensure_ascii=False, sort_keys=True)
    key = layouts.key("portfolio", text) if layouts is not None else ""
    record = layouts.recall(key) if layouts is not None else None
    if record is not None and options.compare:
        sha256, _, size = record.decode("ascii", "replace").partition(" ")
        known = _DIGEST.fullmatch(sha256) is not None and size.isdigit()
        if known and state_on_disk(path, sha256, int(size)) == CURRENT:
            return Output(path, None, sha256, int(size), CURRENT)
    from journeymap.render.portfolio import render_portfolio

    output = _output(path, render_portfolio(summaries, options.theme), options)
    if layouts is not None:
        layouts.record(key, f"{output.digest} {output.size}".encode("ascii"))
    return output


def _output(path: Path, data: bytes, options: RenderSettings) -> Output:
    """An output compared with the disk, keeping its bytes only if they are to be written."""
    output = Output(path, data, digest(data), len(data))
    if not options.compare:
        return output
    output.state = state_on_disk(path, output.digest, output.size)
    if output.state == CURRENT or not options.write:
        output.data = None  # not to be written: the bytes need not travel
    return output


def stale(outputs: list[Output]) -> list[tuple[str, Path]]:
    """('missing' | 'stale', path) for every output that is not on disk with these bytes."""
    return [(o.state, o.path) for o in outputs if o.state != CURRENT]
