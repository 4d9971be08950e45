"""Work grows linearly with the input: doubling an input never costs more than ~2.5x the time.

For each kind of growth (plain nodes, mapping keys that each get a finding, aliases, merges),
a map of size n and one of size 2n go through what `journeymap lint` does to a file (load,
validate, lint, locate every finding). Quadratic work gives a ratio near 4, linear near 2.

Made to hold on a loaded machine: CPU time rather than wall time, the median of several runs
of each size taken in turns (so a burst of load hits both sizes alike), sizes large enough that
one run takes a tenth of a second or more, and one more round before failing. The cyclic
garbage collector is set as the `journeymap` executable sets it (its default thresholds make
full collections over a growing heap look like superlinear work of our own).
"""

from __future__ import annotations

import datetime as dt
import gc
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.security.bombs import GROWTH

from journeymap.config import ConfigFinder
from journeymap.inspection import Inspector
from journeymap.lint import lint_checked

MAX_RATIO = 2.5
#: The smaller size of each kind (the larger is twice it): well under `max-nodes`.
SIZES = {"nodes": 100_000, "keys": 4_000, "aliases": 40_000, "merges": 12_000}
RUNS = 5


def _work(text: str, path: Path) -> int:
    inspector = Inspector(ConfigFinder(None, isolated=True))
    checked = inspector.inspect_text(path, text, path.name)
    findings = lint_checked(checked, today=dt.date(2026, 1, 1))
    assert not [f for f in checked.findings if f.rule == "limits"], "a size under the limits"
    return len(findings) + len(checked.findings)


def _cpu(text: str, path: Path) -> float:
    gc.collect()
    started = time.process_time()
    _work(text, path)
    return time.process_time() - started


def _ratio(kind: str, path: Path) -> tuple[float, float, float]:
    small, large = GROWTH[kind](SIZES[kind]), GROWTH[kind](2 * SIZES[kind])
    _work(small, path)  # warm up: imports, regexes, pydantic's first validation
    times: dict[str, list[float]] = {"small": [], "large": []}
    for _ in range(RUNS):
        times["small"].append(_cpu(small, path))
        times["large"].append(_cpu(large, path))
    a, b = statistics.median(times["small"]), statistics.median(times["large"])
    return b / a, a, b


@pytest.fixture(autouse=True)
def _collector_as_in_the_executable() -> Iterator[None]:
    previous = gc.get_threshold()
    gc.set_threshold(100_000, 50, 50)  # journeymap.entry.main
    yield
    gc.set_threshold(*previous)


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(GROWTH))
def test_doubling_an_input_at_most_about_doubles_the_work(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "grow.journey.yaml"
    ratio, small, large = _ratio(kind, path)
    if ratio > MAX_RATIO:  # one more round: a single burst of load must not fail the suite
        ratio, small, large = min(_ratio(kind, path), (ratio, small, large))
    print(f"\n{kind}: n {small:.3f} s, 2n {large:.3f} s, ratio {ratio:.2f}")
    assert ratio <= MAX_RATIO, f"{kind}: {small:.3f} s -> {large:.3f} s ({ratio:.2f}x)"
