"""The preview's state: render everything again whenever a file it depends on changes.

A watcher thread polls the maps, their libraries and the configuration (modification time and
size); on a change it renders everything again, in memory, with the render registry, and
publishes a new `Snapshot` that the server's connections wait on. A map that stops validating
gives a snapshot with its errors, and the preview keeps running.
"""

from __future__ import annotations

import os
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from journeymap.cache import library_paths
from journeymap.config import DEFAULT_EXCLUDE, ConfigError, ConfigFinder
from journeymap.inputs import YAML_SUFFIXES, InputError, discover
from journeymap.inspection import Inspector
from journeymap.project import CONFIG_NAMES, PYPROJECT, upward
from journeymap.suggest import did_you_mean

POLL_SECONDS = 0.25


MAP_HEADING = "This map does not validate; fix it and save, and the page comes back"
CONFIG_HEADING = "The configuration has an error; fix it and save, and the page comes back"


@dataclass(frozen=True)
class Snapshot:
    """One render of everything being previewed."""

    version: int
    files: dict[str, bytes] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    entry: str | None = None  # the page to show: the map's, or the portfolio
    watched: tuple[Path, ...] = ()
    #: The configuration could not be read: its located message (also the one error shown).
    config_error: str | None = None

    @property
    def heading(self) -> str:
        """What the page says above the errors: the configuration's, or the map's."""
        return CONFIG_HEADING if self.config_error is not None else MAP_HEADING

    def state(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "errors": self.errors,
            "entry": self.entry,
            "heading": self.heading,
        }


class Preview:
    """Renders the target again whenever one of the files it depends on changes."""

    def __init__(
        self,
        target: Path,
        config: Path | None = None,
        isolated: bool = False,
        theme: str | None = None,
    ) -> None:
        self.target = target
        self.config = config
        self.isolated = isolated
        self.theme = theme
        self.changed = threading.Condition()
        self.snapshot = Snapshot(version=0)
        self._stop = threading.Event()
        self._fingerprint: dict[Path, tuple[int, int] | None] = {}
        self.log: Callable[[Snapshot], None] | None = None

    # -- building -----------------------------------------------------------------------------

    def build(self) -> Snapshot:
        version = self.snapshot.version + 1
        try:
            return self._build(version)
        except Exception as err:  # a bug must not stop the preview; show it instead
            detail = "".join(traceback.format_exception_only(type(err), err)).strip()
            return Snapshot(
                version,
                errors=[f"journeymap: internal error while rendering: {detail}"],
                watched=self.snapshot.watched or (self.target, *self._configs(())),
            )

    def _build(self, version: int) -> Snapshot:
        files: Sequence[Path] = []
        try:
            finder = ConfigFinder(self.config, self.isolated)  # fresh: config edits apply
            files = discover([str(self.target)], finder).files
            for path in files:  # a configuration that cannot be used: its error, not a page
                finder.for_file(path)
            return self._render(version, finder, files)
        except ConfigError as err:
            # Shown as the configuration's error, and its files watched (with the maps and
            # what the last render used), so that fixing it brings the page back.
            watched = [*self.snapshot.watched, self.target, *files, *self._configs(files)]
            message = str(err)
            return Snapshot(
                version, errors=[message], watched=_unique(watched), config_error=message
            )
        except InputError as err:
            watched = [self.target, *self._configs(files)]
            return Snapshot(version, errors=[str(err)], watched=_unique(watched))

    def _render(self, version: int, finder: ConfigFinder, files: Sequence[Path]) -> Snapshot:
        from journeymap.render.batch import MapRenderer, RenderSettings, plan
        from journeymap.render.themes import DEFAULT_THEME, THEMES

        inspector = Inspector(finder)
        results = [inspector.inspect(path) for path in files]
        errors = [
            f"{f.file}:{f.line}:{f.column}: {f.severity.value} {f.rule}: {f.message}"
            for r in results
            for f in r.findings
        ]
        config = results[0].config if results else None
        theme_name = self.theme or (config.render_theme if config else None) or DEFAULT_THEME
        if theme_name not in THEMES:  # as `render` does; the page still shows the map
            errors.append(
                f"unknown theme '{theme_name}'{did_you_mean(theme_name, THEMES)} in the "
                f"configuration's render.theme; choose from {', '.join(THEMES)}"
            )
        theme = THEMES.get(theme_name, THEMES[DEFAULT_THEME])
        options = RenderSettings(["html"], theme, theme_name, Path(), write=True, compare=False)
        rendered = plan(map(MapRenderer(options), results), options)
        # A map that does not validate is "not rendered" too: its findings say why, above.
        invalid = tuple(f"{r.display}: not rendered: " for r in results if r.journey is None)
        errors += [p for p in rendered.problems if not (invalid and p.startswith(invalid))]
        outputs = {o.path.name: o.data for o in rendered.outputs if o.data is not None}
        entry: str | None = None
        if "index.html" in outputs:
            entry = "index.html"
        elif rendered.rendered:
            entry = f"{rendered.rendered[0]}.html"
        if not files:
            errors.append(f"{self.target}: no journeymap files found")
        watched = [*files, *self._configs(files)]
        for result in results:
            if result.journey is not None:
                watched += [doc.path for doc, _ in result.journey.libraries]
            elif result.document is not None:
                # Not valid, perhaps because of a library: fixing the library must reload too.
                watched += library_paths(result.path, result.document.data)[1]
        return Snapshot(version, outputs, errors, entry, _unique(watched))

    def _configs(self, files: Sequence[Path]) -> Iterator[Path]:
        if self.config is not None:
            yield self.config
            return
        target = self.target.resolve()
        folders = {path.resolve().parent for path in files} or {
            target if target.is_dir() else target.parent
        }
        for folder in folders:
            for directory in upward(folder):
                for name in (*CONFIG_NAMES, PYPROJECT):
                    yield directory / name

    # -- watching -----------------------------------------------------------------------------

    def _candidates(self) -> Iterator[Path]:
        yield from self.snapshot.watched
        if self.target.is_dir():  # new files in the folder
            for current, dirnames, filenames in os.walk(self.target):
                dirnames[:] = [
                    d for d in dirnames if d not in DEFAULT_EXCLUDE and not d.startswith(".")
                ]
                for name in filenames:
                    if name.endswith(YAML_SUFFIXES):
                        yield Path(current) / name

    def fingerprint(self) -> dict[Path, tuple[int, int] | None]:
        out: dict[Path, tuple[int, int] | None] = {}
        for path in self._candidates():
            try:
                stat = path.stat()
                out[path] = (stat.st_mtime_ns, stat.st_size)
            except OSError:
                out[path] = None
        return out

    def refresh(self) -> bool:
        """Render again if anything changed; True when a new snapshot was published."""
        # Taken before the build and kept: a file saved while the build runs then differs from
        # it at the next poll and is rendered (taken after, that edit would never be seen).
        before = self.fingerprint()
        if before == self._fingerprint and self.snapshot.version:
            return False
        snapshot = self.build()
        with self.changed:
            self.snapshot = snapshot
            # The build may watch new files (a library now used): those as they are now.
            after = self.fingerprint()
            self._fingerprint = {path: before.get(path, now) for path, now in after.items()}
            self.changed.notify_all()
        if self.log is not None and snapshot.version > 1:
            self.log(snapshot)
        return True

    def watch(self) -> None:
        while not self._stop.wait(POLL_SECONDS):
            self.refresh()

    def stop(self) -> None:
        self._stop.set()
        with self.changed:
            self.changed.notify_all()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()


def _unique(paths: Iterable[Path]) -> tuple[Path, ...]:
    return tuple(dict.fromkeys(paths))
