"""Lint at repository scale: memory and time of `journeymap lint` over 10,000 and 50,000 maps.

    .venv/bin/python bench/scale.py [--sizes 10000,50000] [--keep]

For each size, a corpus of bench/corpus.py's typical maps in one folder, linted as child
processes three ways: cold (an empty result cache, which the run fills), warm (the second run,
every result from the cache) and `--no-cache`; each run's wall time and the peak proportional
set size of its whole process tree (the parent and its forked workers, sampled every 20 ms).
The targets (issue 18): peak memory at 50,000 maps at most 300 MB; the 50,000-map peak within
1.5× of the 10,000-map one; filling the cache costs little over `--no-cache` (it was 1.49× at
50,000 maps); a warm run well under a cold one.

bench/run.py calls `measure` and `targets` with `--scale SIZES`; run alone, this prints them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
TODAY = "2026-11-01"
PHASES = ("cold", "warm", "no-cache")


@dataclass
class ScaleRun:
    maps: int
    phase: str  # cold, warm or no-cache
    wall: float
    peak_mb: float  # the whole process tree's PSS
    ok: bool


def measure(
    jm_cmd: Sequence[str],
    work: Path,
    env: dict[str, str],
    run_once: Callable[..., Any],
    sizes: Sequence[int] = (10_000, 50_000),
    timeout: float = 1200.0,
    progress: Callable[[str], None] = print,
    phases: Sequence[str] = PHASES,
) -> list[ScaleRun]:
    """Lint each size's corpus cold, warm and without the cache; `run_once` is bench/run.py's
    (a child process timed, its process tree's PSS sampled with `sample_tree=True`)."""
    sys.path.insert(0, str(BENCH))
    from corpus import write

    runs: list[ScaleRun] = []
    for maps in sizes:
        corpus = work / f"scale-{maps}"
        progress(f"scale: writing {maps} maps")
        write(corpus, maps, 0)
        cache = work / f"scale-cache-{maps}"
        shutil.rmtree(cache, ignore_errors=True)
        child_env = {**env, "JOURNEYMAP_CACHE_DIR": str(cache)}
        for phase in phases:
            extra = ["--no-cache"] if phase == "no-cache" else []
            cmd = [*jm_cmd, "lint", "--today", TODAY, *extra, str(corpus)]
            progress(f"scale: lint of {maps} maps, {phase}")
            run = run_once(
                cmd, cwd=work, env=child_env, timeout=timeout,
                log=work / "logs" / f"scale-{maps}-{phase}", sample_tree=True,
            )  # fmt: skip
            ok = not run.timed_out and run.returncode in (0, 1)
            runs.append(ScaleRun(maps, phase, run.wall, run.tree_peak_kb / 1024, ok))
            progress(
                f"    {run.wall:.1f} s, {run.tree_peak_kb / 1024:.0f} MB (exit {run.returncode})"
            )
        shutil.rmtree(corpus, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
    return runs


def _get(runs: list[ScaleRun], maps: int, phase: str) -> ScaleRun | None:
    return next((r for r in runs if r.maps == maps and r.phase == phase and r.ok), None)


def targets(runs: list[ScaleRun]) -> list[tuple[str, str, str, bool | None]]:
    """(target, measured, limit, met) for each target whose runs were measured (met None:
    not measured)."""
    sizes = sorted({r.maps for r in runs})
    out: list[tuple[str, str, str, bool | None]] = []
    big, small = sizes[-1], sizes[0]
    cold_big = _get(runs, big, "cold")
    peak = max((r.peak_mb for r in runs if r.maps == big and r.ok), default=None)
    out.append(
        (
            f"lint of {big} maps, peak memory (process tree)",
            f"{peak:.0f} MB" if peak is not None else "–",
            "≤ 300 MB",
            peak <= 300 if peak is not None else None,
        )
    )
    if len(sizes) > 1:
        peak_small = max((r.peak_mb for r in runs if r.maps == small and r.ok), default=None)
        grow = peak / peak_small if peak and peak_small else None
        out.append(
            (
                f"lint peak memory, {big} vs {small} maps",
                f"{grow:.2f}×" if grow else "–",
                "≤ 1.5×",
                grow <= 1.5 if grow else None,
            )
        )
    nocache = _get(runs, big, "no-cache")
    cost = cold_big.wall / nocache.wall if cold_big and nocache else None
    out.append(
        (
            f"lint of {big} maps, filling the cache vs --no-cache",
            f"{cost:.2f}×" if cost else "–",
            "≤ 1.15×",
            cost <= 1.15 if cost else None,
        )
    )
    for maps in sizes:
        cold, warm = _get(runs, maps, "cold"), _get(runs, maps, "warm")
        share = warm.wall / cold.wall if warm and cold else None
        out.append(
            (
                f"lint of {maps} maps, warm vs cold",
                f"{share:.2f}×" if share else "–",
                "≤ 0.5×",
                share <= 0.5 if share else None,
            )
        )
    return out


def table(runs: list[ScaleRun]) -> list[list[str]]:
    """A row per run: maps, phase, wall, peak memory."""
    return [
        [f"{r.maps}", r.phase, f"{r.wall:.1f}" if r.ok else "failed", f"{r.peak_mb:.0f}"]
        for r in runs
    ]


TABLE_HEADER = ["maps", "lint run", "wall s", "peak MB (process tree, PSS)"]


def main(argv: Sequence[str] | None = None) -> int:
    sys.path.insert(0, str(BENCH))
    from run import run_once

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,50000", help="corpus sizes, comma-separated")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--phases", default=",".join(PHASES), help="which runs, comma-separated")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    work = Path(tempfile.mkdtemp(prefix="journeymap-scale-"))
    env = {"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "TERM": "dumb", "HOME": str(work)}
    if "PYTHONPATH" in os.environ:  # another checkout's code, say
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    jm = shutil.which("journeymap", path=str(Path(sys.executable).parent))
    jm_cmd = [jm] if jm else [sys.executable, "-m", "journeymap"]
    try:
        phases = args.phases.split(",")
        runs = measure(jm_cmd, work, env, run_once, sizes, progress=print, phases=phases)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(" | ".join(TABLE_HEADER))
    for line in table(runs):
        print(" | ".join(line))
    for name, measured, limit, met in targets(runs):
        verdict = "–" if met is None else "PASS" if met else "FAIL"
        print(f"{name}: {measured} (limit {limit}): {verdict}")
    return 0 if all(r.ok for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
