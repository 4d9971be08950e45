"""Benchmark cases for rendering again what has not changed, and for a 5,000-step map; used by
bench/run.py (rows and targets in its shape: it passes its `Row` and `Target` classes in).

- `render` of every map of the corpus, first with no cache and no outputs (cold), then again
  right after (warm): the second may take at most 1/5 of the first.
- `render --check` of the same maps with no cache (cold; the outputs are current), then again
  (warm): the same bound.
- `render` of one 5,000-step map (bench/render_big.py's generator), HTML and SVG, no cache:
  at most 4 s.

The warm rows run right after their cold row in every round, so both see the same load.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

BIG_STEPS = 5000
RATIO_LIMIT = 0.2
BIG_LIMIT_S = 4.0


def write_big_map(folder: Path, steps: int = BIG_STEPS) -> Path:
    """The generated map of `steps` steps in 20 stages (bench/render_big.py), written once."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from render_big import big_map

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"big-{steps}.journey.yaml"
    path.write_text(big_map(steps), encoding="utf-8")
    return path


def rows(
    row: Callable[..., Any],
    *,
    jm_cmd: Sequence[str],
    corpus: Path,
    maps: int,
    big: Path,
    steps: int,
    scratch: Path,
    forget_caches: Callable[[int], None],
    today: str,
) -> list[Any]:
    """The rows, in the order they run in each round. `forget_caches(n)` deletes whatever
    journeymap cached (run.py's `cold`)."""
    out = scratch / "out-rerender"
    render = [*jm_cmd, "render", str(corpus), "-o", str(out), "--today", today]
    render += ["--format", "html,svg"]

    def cold_render(n: int) -> None:
        shutil.rmtree(out, ignore_errors=True)
        forget_caches(n)

    def fresh_big(n: int) -> None:
        shutil.rmtree(scratch / "out-5k", ignore_errors=True)
        forget_caches(n)

    big_cmd = [*jm_cmd, "render", str(big), "-o", str(scratch / "out-5k"), "--today", today]
    big_cmd += ["--format", "html,svg"]
    return [
        row("render-cold", f"journeymap render, {maps} maps, no cache", render, "", maps,
            prepare=cold_render),
        row("render-warm", f"journeymap render, {maps} maps, unchanged (2nd run)", render,
            "", maps),
        row("render-check-cold", f"journeymap render --check, {maps} maps, no cache",
            [*render, "--check"], "", maps, prepare=forget_caches),
        row("render-check-warm", f"journeymap render --check, {maps} maps, unchanged (2nd run)",
            [*render, "--check"], "", maps),
        row("render-5k", f"journeymap render html+svg, 1 map of {steps} steps, no cache",
            big_cmd, "", 1, prepare=fresh_big),
    ]  # fmt: skip


def targets(target: Callable[..., Any], by_key: dict[str, Any], *, quick: bool) -> list[Any]:
    """Second render and second check against the first; the 5,000-step map's time."""

    def verdict(ok: bool) -> str:
        return "not judged" if quick else ("PASS" if ok else "FAIL")

    def missing(*keys: str) -> str:
        return (
            "n/a ("
            + "; ".join(by_key[k].label for k in keys if not by_key[k].ok)
            + " not measured)"
        )

    out = []
    for what, cold, warm in (
        ("render", "render-cold", "render-warm"),
        ("render --check", "render-check-cold", "render-check-warm"),
    ):
        first, second = by_key[cold], by_key[warm]
        name = f"second {what} of {first.maps} unchanged maps vs the first"
        if first.ok and second.ok and first.median > 0:
            share = second.median / first.median
            out.append(
                target(name, f"{share:.2f}×", f"≤ {RATIO_LIMIT}×", verdict(share <= RATIO_LIMIT))
            )
        else:
            out.append(target(name, "–", f"≤ {RATIO_LIMIT}×", missing(cold, warm)))
    big = by_key["render-5k"]
    name = "render of the 5,000-step map, HTML+SVG" if not quick else "render of the big map"
    out.append(
        target(
            name,
            f"{big.median:.2f} s" if big.ok else "–",
            f"≤ {BIG_LIMIT_S:.0f} s",
            verdict(big.median <= BIG_LIMIT_S) if big.ok else missing("render-5k"),
        )
    )
    return out


#: Which row each warm row is compared with, for run.py's "ratio" column.
REFERENCE = {"render-warm": "render-cold", "render-check-warm": "render-check-cold"}
