"""A map's transitions, defined once for lint, render and measure.

A step goes to each step its `next` names (a step named twice is one transition), or else to the
step after it in file order, across stage boundaries. A `next` naming an unknown step is a
validation error; API callers that skip validation get that transition left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from journeymap.model import Step


def step_transitions(steps: Sequence[Step]) -> list[tuple[Step, Step]]:
    """Every (from, to) pair, in file order of the source step, then in the order of `next`."""
    by_id = {step.id: step for step in steps}
    out: list[tuple[Step, Step]] = []
    for index, step in enumerate(steps):
        if step.next is not None:
            out += [(step, by_id[t]) for t in dict.fromkeys(step.next) if t in by_id]
        elif index + 1 < len(steps):
            out.append((step, steps[index + 1]))
    return out


def index_transitions(steps: Sequence[Step]) -> set[tuple[int, int]]:
    """The same transitions as pairs of positions in `steps`."""
    position = {id(step): i for i, step in enumerate(steps)}
    return {(position[id(a)], position[id(b)]) for a, b in step_transitions(steps)}
