"""Measure `journeymap render` on a generated 400-step map (the scale target: HTML and SVG
in under 3 seconds on a 2-core machine; issue 18: 5,000 steps in at most 4 s).

    .venv/bin/python bench/render_big.py [--steps 400] [--stages 20] [--repeat 3]

Prints the time of each part (check, DOT, `dot -Tsvg`, HTML) and of the whole command: wall
time and CPU time (user + system of this process and the children it waited for: `dot`, the
command's process tree). On a shared, loaded machine the CPU time is the steadier figure.
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
from pathlib import Path

CHANNELS = ["web", "app", "store", "phone", "email"]


def big_map(steps: int = 400, stages: int = 20) -> str:
    """A valid map with `steps` steps spread over `stages` stages, every lane filled in."""
    out = [
        "journeymap: 1",
        "id: big",
        f"title: A generated map with {steps} steps",
        "owner: bench",
        "updated: 2026-11-01",
        "personas:",
        "  - {id: ana, name: Ana the planner}",
        "  - {id: ben, name: Ben the improviser}",
        "channels:",
        *(f"  - {{id: {c}, name: {c.title()} channel, kind: digital}}" for c in CHANNELS),
        "stages:",
    ]
    per_stage = max(1, steps // stages)
    n = 0
    for s in range(stages):
        out += [f"  - id: stage-{s}", f"    name: Stage {s}", f"    goal: Goal of stage {s}"]
        out.append("    steps:")
        count = per_stage if s < stages - 1 else steps - n
        for _ in range(count):
            channel = CHANNELS[(n // 3) % len(CHANNELS)]
            out += [
                f"      - id: step-{n}",
                f"        name: Step {n} where the customer does something quite long to read",
                f"        persona: {'ana' if n % 2 else 'ben'}",
                f"        channel: {channel}",
                f"        touchpoint: Touchpoint {n}",
                f"        action: Action {n}",
                f"        thoughts: [Thinking about step {n}]",
                f"        emotion: {((n * 7) % 5) - 2}",
                f"        pain_points: [Pain {n}]",
                f"        opportunities: [{{text: Idea {n}, priority: medium, owner: team}}]",
                f"        kpis: [{{name: KPI {n}, target: 10, actual: {n % 20}}}]",
                f"        moment_of_truth: {'true' if n % 25 == 0 else 'false'}",
            ]
            if n % 3 == 0 and n % 2 == 0:
                out.append(f"        handoff: Context {n} carries over")
            # Branches forward and loops back, as real maps have, so crossings must be solved.
            if n % 7 == 3 and n + 4 < steps:
                out.append(f"        next: [step-{n + 1}, step-{n + 4}]")
            elif n % 40 == 39 and n + 1 < steps:
                out.append(f"        next: [step-{n + 1}, step-{n - 12}]")
            n += 1
    return "\n".join(out) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=400)
    parser.add_argument("--stages", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from journeymap.config import ConfigFinder
    from journeymap.inspection import Inspector
    from journeymap.render import RenderContext, render_journey
    from journeymap.render.graph import to_dot
    from journeymap.render.svg import run_dot
    from journeymap.render.themes import THEMES

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "big.journey.yaml"
        source.write_text(big_map(args.steps, args.stages), encoding="utf-8")
        timings: dict[str, list[float]] = {}
        cpu_times: dict[str, list[float]] = {}
        env = {**os.environ, "NO_COLOR": "1"}
        out = str(Path(tmp) / "out")
        cmd = [sys.executable, "-m", "journeymap", "render", str(source), "-o", out]
        cmd += ["--format", "html,svg", "--no-cache"]

        def cpu() -> float:
            own = resource.getrusage(resource.RUSAGE_SELF)
            children = resource.getrusage(resource.RUSAGE_CHILDREN)
            return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

        started = 0.0

        def timed(name: str, start: float) -> None:
            nonlocal started
            timings.setdefault(name, []).append(time.perf_counter() - start)
            cpu_times.setdefault(name, []).append(cpu() - started)
            started = cpu()

        for _ in range(args.repeat):
            started = cpu()
            start = time.perf_counter()
            checked = Inspector(ConfigFinder(None, True)).inspect(source)
            timed("check (parse + validate)", start)
            journey = checked.journey
            assert journey is not None, checked.findings
            start = time.perf_counter()
            dot = to_dot(journey, THEMES["default"])
            timed("DOT text", start)
            start = time.perf_counter()
            run_dot(dot, "svg")
            timed("dot -Tsvg (layout)", start)
            context = RenderContext(theme=THEMES["default"], checked=checked)
            start = time.perf_counter()
            render_journey(journey, "html", context)
            timed("HTML incl. lint and dot", start)
            start = time.perf_counter()
            subprocess.run(cmd, check=True, env=env, capture_output=True)
            timed("`journeymap render -f html,svg` process", start)
        print(
            f"{args.steps} steps in {args.stages} stages, {os.cpu_count()} CPUs; "
            f"median of {args.repeat} (wall, CPU):"
        )
        for name, values in timings.items():
            wall, spent = statistics.median(values), statistics.median(cpu_times[name])
            print(f"  {name:40s} {wall:6.2f} s {spent:6.2f} s CPU")
    return 0


if __name__ == "__main__":
    sys.exit(main())
