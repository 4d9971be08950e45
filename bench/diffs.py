"""Benchmark `journeymap diff --rev HEAD~1` where a pull request spends it: few maps changed.

    .venv/bin/python bench/diffs.py [--maps 1000,10000] [--changed 10] [--repeat 3]
                                    [--old-src ../main/src] [--quick]

Builds, in a temporary directory, one git repository per size from bench/corpus.py's maps
(the same bytes on every machine): a first commit with every map, a second that edits
`--changed` of them (spread over the repository: a new title and description). Then it
times `journeymap diff --rev HEAD~1` in each repository, the runs interleaved. With
`--old-src` it times the same command on another checkout's code as well (for the ratio
with the code before a change: `PYTHONPATH` puts that `src/` first).

`bench/run.py` calls `prepare` and `targets` to add these rows to its table.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
CHANGED = 10
SIZES = (1_000, 10_000)
KEYS = ("diff-small", "diff-large")  # the rows of bench/run.py
# `journeymap diff --rev HEAD~1` of 10 changed maps among 1,000 before it checked only what
# changed (issue 18: 10.5 s, 628 MB); the target is a tenth of it.
BEFORE_S = 10.5
GIT_ENV = {
    "GIT_AUTHOR_NAME": "bench",
    "GIT_AUTHOR_EMAIL": "bench@journeymap.invalid",
    "GIT_COMMITTER_NAME": "bench",
    "GIT_COMMITTER_EMAIL": "bench@journeymap.invalid",
    "GIT_AUTHOR_DATE": "2026-11-01T00:00:00Z",
    "GIT_COMMITTER_DATE": "2026-11-01T00:00:00Z",
    "GIT_CONFIG_NOSYSTEM": "1",
}


@dataclass(frozen=True)
class Case:
    """One command to time, in the shape of bench/run.py's rows."""

    key: str
    label: str
    cmd: list[str]
    maps: int


def _git(repo: Path, *args: str) -> None:
    env = {**os.environ, **GIT_ENV, "HOME": str(repo.parent)}
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def repository(root: Path, maps: int, changed: int) -> Path:
    """A repository of `maps` maps whose last commit edits `changed` of them."""
    sys.path.insert(0, str(BENCH))
    import corpus  # bench/ is not a package: imported from its folder

    repo = root / f"repo-{maps}"
    corpus.write(repo / "maps", maps, 0)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "maps")
    step = max(1, maps // max(1, changed))
    for index in range(0, step * changed, step):
        path = repo / "maps" / f"journey-{index:04d}.journey.yaml"
        text = path.read_text("utf-8")
        text = text.replace(f"number {index}\n", f"number {index}, revised\n", 1)
        text = text.replace("used to benchmark", "revised to benchmark", 1)
        path.write_text(text, "utf-8")
    _git(repo, "commit", "-qam", "edit some maps")
    _git(repo, "update-index", "--refresh")  # as after a checkout: no file git must rehash
    return repo


def in_folder(repo: Path, cmd: Sequence[str]) -> list[str]:
    """`cmd` run from inside `repo` (the diff finds its repository from there)."""
    return ["sh", "-c", 'cd "$1" && shift && exec "$@"', "sh", str(repo), *cmd]


def prepare(root: Path, jm_cmd: Sequence[str], quick: bool) -> list[Case]:
    """The repositories, and a `diff --rev HEAD~1` case for each size."""
    sizes, changed = ((12, 24), 2) if quick else (SIZES, CHANGED)
    cases = []
    for key, maps in zip(KEYS, sizes, strict=True):
        repo = repository(root, maps, changed)
        cmd = in_folder(repo, [*jm_cmd, "diff", "--rev", "HEAD~1"])
        label = f"journeymap diff --rev HEAD~1, {changed} of {maps:,} maps changed"
        cases.append(Case(key, label, cmd, maps))
    return cases


def targets(
    median: Mapping[str, float | None], quick: bool
) -> list[tuple[str, str, str, bool | None]]:
    """(name, measured, limit, met) of issue 18's two diff targets; None where not measured."""
    small, large = (median.get(key) for key in KEYS)
    changed = 2 if quick else CHANGED
    n_small, n_large = (12, 24) if quick else SIZES
    limit = BEFORE_S / 10
    out: list[tuple[str, str, str, bool | None]] = [
        (
            f"diff --rev HEAD~1, {changed} of {n_small:,} maps changed",
            f"{small:.3f} s" if small else "–",
            f"≤ {limit:.2f} s",
            small <= limit if small else None,
        )
    ]
    ratio = large / small if small and large else None
    out.append(
        (
            f"diff --rev HEAD~1, {changed} of {n_large:,} vs {changed} of {n_small:,} changed",
            f"{ratio:.2f}×" if ratio else "–",
            "≤ 1.5×",
            ratio <= 1.5 if ratio else None,
        )
    )
    return out


def _time(cmd: Sequence[str], env: Mapping[str, str]) -> tuple[float, float]:
    """Wall clock and CPU (user + system, the command and its children) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, env=dict(env), capture_output=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{done.stderr.decode(errors='replace')}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--old-src", type=Path, help="time this checkout's src/ too")
    parser.add_argument("--quick", action="store_true", help="tiny repositories, one run")
    args = parser.parse_args(argv)
    jm_cmd = [sys.executable, "-m", "journeymap"]
    env = {**os.environ, "NO_COLOR": "1"}
    versions: dict[str, Callable[[Case], tuple[list[str], dict[str, str]]]] = {
        "now": lambda case: (case.cmd, env),
    }
    if args.old_src:  # on the smallest repository only: the old way takes minutes on more
        old_env = {**env, "PYTHONPATH": str(args.old_src.resolve())}
        versions["before"] = lambda case: (case.cmd, old_env)
    with tempfile.TemporaryDirectory(prefix="journeymap-bench-diff-") as tmp:
        cases = prepare(Path(tmp), jm_cmd, args.quick)
        walls: dict[tuple[str, str], list[float]] = {}
        cpus: dict[tuple[str, str], list[float]] = {}
        for _ in range(1 if args.quick else args.repeat):
            for case in cases:
                for version, how in versions.items():
                    if version == "before" and case is not cases[0]:
                        continue
                    cmd, case_env = how(case)
                    wall, cpu = _time(cmd, case_env)
                    walls.setdefault((case.key, version), []).append(wall)
                    cpus.setdefault((case.key, version), []).append(cpu)
    medians = {key: statistics.median(values) for key, values in walls.items()}
    for key, version in sorted(medians):
        wall, cpu = medians[key, version], statistics.median(cpus[key, version])
        print(f"{key:12} {version:7} wall median {wall:.3f} s, CPU median {cpu:.3f} s")
    now = {key: value for (key, version), value in medians.items() if version == "now"}
    for name, measured, limit, met in targets(now, args.quick):
        verdict = "n/a" if met is None else ("PASS" if met else "FAIL")
        print(f"{name}: {measured} (limit {limit}) {verdict}")
    for case in cases:
        before = medians.get((case.key, "before"))
        if before:
            cpu = statistics.median(cpus[case.key, "before"]) / statistics.median(
                cpus[case.key, "now"]
            )
            ratio = before / medians[case.key, "now"]
            print(
                f"{case.key}: the code before takes {ratio:.1f}× the wall time, {cpu:.1f}× the CPU"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
