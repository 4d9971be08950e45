"""How the flow's transitions are drawn: as DOT edge statements, with their marks and figures.

A change of channel is bold with ⇄, one without a `handoff` dashed in the error colour. With
measured figures, each transition is as wide as its observed users and labelled with them (one
nobody took dashed), and the observed transitions the map lacks are added, dotted and labelled
"not on the map". Every label is a real `label`, laid out by `dot` as a node of its own, so
it sits beside its edge and no edge is routed through it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from journeymap.render.text import dot_string
from journeymap.transitions import step_transitions

if TYPE_CHECKING:
    from journeymap.model import Step
    from journeymap.render.themes import Theme
    from journeymap.validation import Journey


@dataclass(frozen=True)
class Transition:
    """An edge of the flow: `source` leads to `target`."""

    source: Step
    target: Step
    channel_switch: bool
    missing_handoff: bool


def transitions(journey: Journey) -> list[Transition]:
    """Every transition, in file order of the source step, then of `next` (a target named
    twice is one transition, as in lint)."""
    out: list[Transition] = []
    for step, target in step_transitions(list(journey.steps())):
        switch = bool(step.channel and target.channel and step.channel != target.channel)
        out.append(Transition(step, target, switch, switch and not target.handoff))
    return out


def _measured_edges(
    journey: Journey, figures: dict[str, Any] | None
) -> tuple[dict[tuple[str, str], int], list[tuple[str, str, int]], int]:
    """Observed users per map transition, the observed transitions the map lacks, the most."""
    if figures is None:
        return {}, [], 0
    ids = {step.id for step in journey.steps()}
    mapped = {(e.source.id, e.target.id) for e in transitions(journey)}
    users: dict[tuple[str, str], int] = {}
    unmapped: list[tuple[str, str, int]] = []
    for item in figures.get("transitions", []):
        if not isinstance(item, dict) or item.get("from") not in ids or item.get("to") not in ids:
            continue
        key, count = (str(item["from"]), str(item["to"])), int(item.get("users") or 0)
        if key in mapped:
            users[key] = count
        elif count:
            unmapped.append((*key, count))
    most = max([*users.values(), *(c for _, _, c in unmapped), 0])
    return users, unmapped, most


def _users(count: int) -> str:
    return f"{count:,} user{'' if count == 1 else 's'}"


def _width(count: int, most: int) -> str:
    """Edge width by observed users: 1 to 8 points."""
    return f"penwidth={1 + 7 * count / most:.2f}" if most else "penwidth=1"


def _classes(edge: Transition, *more: str) -> str:
    """A transition's `class` attribute: `transition`, then `more`, then its channel marks."""
    marks = ["channel-switch", "missing-handoff"] if edge.missing_handoff else []
    marks = marks or (["channel-switch"] if edge.channel_switch else [])
    return f'class="{" ".join(["transition", *more, *marks])}"'


def _edge_attrs(edge: Transition, theme: Theme) -> list[str]:
    """How a transition is drawn: a change of channel bold with ⇄, one without a handoff
    dashed in the error colour."""
    if edge.missing_handoff:
        return [
            f"color={dot_string(theme['error'])}",
            f"fontcolor={dot_string(theme['error'])}",
            'style="dashed"',
            "penwidth=2",
            'label="⚠ no handoff"',
            _classes(edge),
        ]
    if edge.channel_switch:
        return ["penwidth=2", 'label="⇄"', f"fontcolor={dot_string(theme['text'])}", _classes(edge)]
    return [_classes(edge)]


def _measured_attrs(edge: Transition, attrs: list[str], count: int, most: int) -> list[str]:
    """A transition as wide as its observed users and labelled with them, keeping its channel
    marks (⇄, ⚠ no handoff) beside the count; one nobody took dashed."""
    label = _users(count)
    if edge.missing_handoff:
        label += " · ⚠ no handoff"
    elif edge.channel_switch:
        label = f"⇄ {label}"
    kept = [a for a in attrs if not a.startswith(("penwidth=", "label="))]
    if not count:
        kept = [a for a in kept if not a.startswith(("class=", "style="))]
        kept += ['style="dashed"', _classes(edge, "untaken")]
    return [_width(count, most), f"label={dot_string(label)}", *kept]


#: Where a step sits: its row (counted over the whole drawing) and its place in that row.
Places = dict[str, tuple[int, int]]


def edge_statement(source: str, target: str, attrs: list[str], where: Places) -> str:
    """The DOT statement of an edge. One that runs back along its row is written forwards
    and drawn backwards (`dir=back`), leaving the top corners the forward edges do not use:
    a cycle of edges within a row lets `dot` reorder the row, out of map order."""
    (row, place), (target_row, target_place) = where[source], where[target]
    if row == target_row and target_place < place:
        back = ["dir=back", 'tailport="ne"', 'headport="nw"', *attrs]
        return f"  {dot_string(target)} -> {dot_string(source)} [{', '.join(back)}]"
    return f"  {dot_string(source)} -> {dot_string(target)} [{', '.join(attrs)}]"


def edge_lines(
    journey: Journey,
    theme: Theme,
    edges: list[Transition],
    where: Places,
    figures: dict[str, Any] | None,
) -> list[str]:
    """The transitions (between steps in `where`); with measured `figures`, each as wide as
    its observed users (one nobody took dashed) and the observed transitions the map lacks
    added, dotted. These take part in the layout like the others (no `constraint=false`: the
    rows fix the ranks anyway, and `dot` placed such an edge's label on a neighbour's line)."""
    observed, unmapped, most = _measured_edges(journey, figures)
    lines = []
    for edge in edges:
        attrs = _edge_attrs(edge, theme)
        if figures is not None:
            count = observed.get((edge.source.id, edge.target.id), 0)
            attrs = _measured_attrs(edge, attrs, count, most)
        lines.append(edge_statement(edge.source.id, edge.target.id, attrs, where))
    for source_id, target_id, count in unmapped:
        if not {source_id, target_id} <= where.keys():
            continue
        attrs = [
            _width(count, most),
            f"label={dot_string(_users(count) + ', not on the map')}",
            f"color={dot_string(theme['error'])}",
            f"fontcolor={dot_string(theme['error'])}",
            'style="dotted"',
            'class="transition unmapped"',
        ]
        lines.append(edge_statement(source_id, target_id, attrs, where))
    return lines
