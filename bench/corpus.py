"""A deterministic corpus for benchmarks: typical maps (about 20 steps, 6 KB) and one big map.

    .venv/bin/python bench/corpus.py OUT_DIR [--maps 1000] [--big-steps 400]

The same arguments always give the same bytes (a seeded generator, no clock), so runs on
different days and machines measure the same work.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

STAGES = [
    ("awareness", "Awareness"),
    ("consideration", "Consideration"),
    ("purchase", "Purchase"),
    ("retention", "Retention"),
    ("advocacy", "Advocacy"),
]
CHANNELS = [
    ("web", "Website", "digital"),
    ("app", "Mobile app", "digital"),
    ("store", "Store", "physical"),
    ("phone", "Phone support", "human"),
    ("email", "Email", "digital"),
]
VERBS = [
    "Sees",
    "Compares",
    "Reads",
    "Asks about",
    "Chooses",
    "Pays for",
    "Receives",
    "Sets up",
    "Contacts support about",
    "Reviews",
    "Recommends",
    "Returns",
]
THINGS = [
    "the offer",
    "delivery options",
    "reviews",
    "the price",
    "a plan",
    "the order",
    "the invoice",
    "the warranty",
    "a replacement",
    "loyalty points",
]
METHODS = ["survey", "nps", "csat", "ces", "review", "interview", "analytics", "support"]


def typical_map(index: int, steps: int = 20) -> str:
    """One map of about 6 KB: five stages, `steps` steps, most lanes filled, some gaps."""
    rng = random.Random(index)
    out = [
        "# yaml-language-server: $schema=../schema/journeymap-1.schema.json",
        "journeymap: 1",
        f"id: journey-{index:04d}",
        f"title: Customer journey number {index}",
        "description: A generated journey used to benchmark journeymap.",
        f"owner: team-{index % 7}",
        f"updated: 2026-{1 + index % 10:02d}-{1 + index % 27:02d}",
        "tags: [bench, generated]",
        "personas:",
        f"  - id: p{index % 3}",
        "    name: Pat, a typical customer",
        "    goals: [Get a good deal, Save time]",
        "    needs: [Clear prices]",
        "    pain_points: [Too many choices]",
        "channels:",
        *(f"  - {{id: {c}, name: {n}, kind: {k}}}" for c, n, k in CHANNELS),
        "stages:",
    ]
    per_stage = steps // len(STAGES)
    n = 0
    for s_id, s_name in STAGES:
        out += [
            f"  - id: {s_id}",
            f"    name: {s_name}",
            f"    goal: The customer moves on from {s_id}",
        ]
        if rng.random() < 0.7:
            out.append(f"    feedback: [{{method: {rng.choice(METHODS)}, name: {s_name} pulse}}]")
        out.append("    steps:")
        for _ in range(per_stage):
            channel = CHANNELS[rng.randrange(len(CHANNELS))][0]
            out += [
                f"      - id: step-{n}",
                f"        name: {rng.choice(VERBS)} {rng.choice(THINGS)}",
                f"        channel: {channel}",
                f"        touchpoint: Touchpoint {n} on {channel}",
                f"        emotion: {rng.randint(-2, 2)}",
            ]
            if rng.random() < 0.5:
                out.append(f'        thoughts: ["Is {rng.choice(THINGS)} worth it?"]')
            if rng.random() < 0.4:
                out.append(f"        pain_points: [Waits too long for {rng.choice(THINGS)}]")
                if rng.random() < 0.7:
                    out.append(
                        f"        opportunities: [{{text: Speed up {rng.choice(THINGS)}, "
                        "priority: high, owner: ops}]"
                    )
            if rng.random() < 0.3:
                out.append(
                    f"        kpis: [{{name: Conversion at step {n}, target: 0.5, "
                    f"actual: {rng.randint(30, 70) / 100}}}]"
                )
            if rng.random() < 0.3:
                out.append(f"        handoff: Order number {n} carries over")
            if rng.random() < 0.1:
                out.append("        moment_of_truth: true")
            n += 1
    return "\n".join(out) + "\n"


def write(out_dir: Path, maps: int, big_steps: int) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for i in range(maps):
        (out_dir / f"journey-{i:04d}.journey.yaml").write_text(typical_map(i), "utf-8")
    if big_steps:
        from render_big import big_map  # the 400-step map shared with the render benchmark

        big_dir = out_dir.parent / f"{out_dir.name}-big"
        big_dir.mkdir(exist_ok=True)
        (big_dir / "big.journey.yaml").write_text(big_map(big_steps), "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--maps", type=int, default=1000)
    parser.add_argument("--big-steps", type=int, default=400)
    args = parser.parse_args()
    write(args.out_dir, args.maps, args.big_steps)


if __name__ == "__main__":
    main()
