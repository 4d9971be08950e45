"""The flow graph of a map, built once and written as DOT text.

Steps are nodes (coloured by emotion, with the value written out), transitions are edges
(`next`, or the next step in file order), a change of channel is marked on its edge and a change
without a `handoff` is flagged. Node ids are the step ids (unique slugs): no random ids, and
the output depends only on the map, so the same map always gives the same DOT text.

Layout: one row per stage, top to bottom, and a stage with more steps than `row_length`
wraps onto further rows, so the drawing stays close to the shape of a page (an 18-step map
is well under 3:1) instead of one long strip. Each row is a `rank=same` group; invisible
edges keep the steps of a row in map order and each row below the one before. Edge labels
are real `label`s, laid out with the graph, so they never sit on a node.

Layout speed: `dot` spends its time in crossing minimisation and in packing clusters. The
graph is nearly a chain in rank order, so crossing minimisation is cut to one pass
(`mclimit`, `nslimit`, `remincross=false`); for big maps the clusters per stage are dropped
and stages are marked by a coloured header line in each node instead (see `CLUSTER_LIMIT`).
`bench/render_big.py` measures this.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from journeymap.render.text import dot_string, html_label_lines, html_label_text, wrap
from journeymap.render.themes import Theme, emotion_colour, emotion_text, text_on
from journeymap.transitions import step_transitions

if TYPE_CHECKING:
    from journeymap.model import Channel, Stage, Step
    from journeymap.render import RenderContext
    from journeymap.validation import Journey

#: Up to this many steps a stage is drawn as a cluster box; above it `dot` slows down
#: sharply (about 20 s for 400 steps in 20 clusters), so stages become node headers.
CLUSTER_LIMIT = 500
LABEL_WIDTH = 26
#: Steps per row of the flow: at least this many, at most `ROW_MAX` (see `row_length`).
ROW_MIN, ROW_MAX = 3, 6


def row_length(step_count: int) -> int:
    """Steps per row: about the square root of the step count, so rows and columns balance."""
    root = 1
    while root * root < step_count:
        root += 1
    return max(ROW_MIN, min(ROW_MAX, root))


def stage_rows(stage: Stage, length: int) -> list[list[Step]]:
    """The steps of a stage cut into rows of at most `length`."""
    steps = list(stage.steps)
    return [steps[i : i + length] for i in range(0, len(steps), length)]


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


def channel_names(journey: Journey) -> dict[str, Channel]:
    return {channel.id: channel for channel in journey.channels}


def _node_label(step: Step, stage: Stage | None, channel: Channel | None) -> str:
    parts = []
    if stage is not None:
        parts.append(f'<FONT POINT-SIZE="9">{html_label_text(stage.name.upper())}</FONT>')
    parts.append(f"<B>{html_label_lines(wrap(step.name, LABEL_WIDTH, 4))}</B>")
    if channel is not None:
        kind = f" ({channel.kind.value})" if channel.kind else ""
        parts.append(
            f'<FONT POINT-SIZE="10">{html_label_lines(wrap(channel.name + kind, 32, 2))}</FONT>'
        )
    detail = f"emotion {emotion_text(step.emotion)}"
    if step.moment_of_truth:
        detail += " · ★ moment of truth"
    parts.append(f'<FONT POINT-SIZE="10">{html_label_text(detail)}</FONT>')
    return "<" + "<BR/>".join(parts) + ">"


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


def _defaults(journey: Journey, theme: Theme, clusters: bool) -> list[str]:
    """The graph's opening line and its graph, node and edge defaults."""
    font = dot_string(theme["dot_font"])
    graph = [
        "rankdir=TB",
        "newrank=true",
        "splines=true" if clusters else "splines=line",
        "nodesep=0.25",
        "ranksep=0.35",
        "mclimit=0.5",
        "nslimit=2",
        "nslimit1=2",
        "searchsize=30",
        "remincross=false",
        "pad=0.2",
        'bgcolor="transparent"',
        f"fontname={font}",
        f"fontcolor={dot_string(theme['text'])}",
        "fontsize=12",
    ]
    node = [
        "shape=box",
        'style="rounded,filled"',
        f"fontname={font}",
        "fontsize=12",
        f"color={dot_string(theme['border'])}",
        'margin="0.14,0.08"',
    ]
    edge = [
        f"color={dot_string(theme['edge'])}",
        f"fontname={font}",
        "fontsize=10",
        f"fontcolor={dot_string(theme['muted'])}",
        "arrowsize=0.7",
    ]
    return [
        f"digraph {dot_string(journey.id)} {{",
        f"  graph [{', '.join(graph)}]",
        f"  node [{', '.join(node)}]",
        f"  edge [{', '.join(edge)}]",
    ]


def _node(
    step: Step, header: Stage | None, channels: dict[str, Channel], theme: Theme, indent: str
) -> str:
    """A step's node: coloured by emotion, linked to its card; `header` writes the stage's
    name on top (when stages are not drawn as clusters)."""
    channel = channels.get(step.channel) if step.channel else None
    attrs = [
        f"label={_node_label(step, header, channel)}",
        f"fillcolor={dot_string(emotion_colour(theme, step.emotion))}",
        f"fontcolor={dot_string(text_on(theme, step.emotion))}",
        f"URL={dot_string('#step-' + step.id)}",
        f"tooltip={dot_string(step.name)}",
        f"id={dot_string('flow-' + step.id)}",
        f'class="step emotion-{"none" if step.emotion is None else step.emotion}"',
    ]
    if step.moment_of_truth:
        attrs += ["penwidth=3", f"color={dot_string(theme['moment'])}"]
    return f"{indent}{dot_string(step.id)} [{', '.join(attrs)}]"


def _rows(
    stages: list[Stage], length: int, linked: set[tuple[str, str]]
) -> tuple[list[list[str]], list[str]]:
    """Each stage's rows as `rank=same` groups, and the invisible edges that keep the steps
    of a row in map order (where no transition does) and each row below the one before."""
    bodies: list[list[str]] = []
    layout: list[str] = []
    previous_row: list[Step] = []
    for stage in stages:
        body: list[str] = []
        for row in stage_rows(stage, length):
            ids = " ".join(dot_string(step.id) for step in row)
            body.append(f"{{rank=same; {ids}}}")
            for a, b in itertools.pairwise(row):
                if (a.id, b.id) not in linked:
                    layout.append(f"  {dot_string(a.id)} -> {dot_string(b.id)} [style=invis]")
            if previous_row:
                first, last = previous_row[0], row[0]
                layout.append(
                    f"  {dot_string(first.id)} -> {dot_string(last.id)} [style=invis, weight=100]"
                )
            previous_row = row
        bodies.append(body)
    return bodies, layout


def _cluster(index: int, stage: Stage, theme: Theme, inner: list[str]) -> list[str]:
    """A stage drawn as a box around its steps (`inner`: its nodes and rows), with its name
    and goal, linked to the stage on the page; boxes alternate two fills."""
    goal = f"<BR/>{html_label_lines(wrap(stage.goal, 40, 2))}" if stage.goal else ""
    return [
        f"  subgraph cluster_{index} {{",
        f"    id={dot_string('flow-stage-' + stage.id)}",
        f"    label=<<B>{html_label_text(stage.name)}</B>{goal}>",
        '    labeljust="l"',
        '    style="rounded,filled"',
        f"    fillcolor={dot_string(theme['accent_soft' if index % 2 == 0 else 'page'])}",
        f"    color={dot_string(theme['border'])}",
        f"    URL={dot_string('#stage-' + stage.id)}",
        f"    tooltip={dot_string(stage.name)}",
        *inner,
        "  }",
    ]


def _stages(
    journey: Journey, theme: Theme, stages: list[Stage], clusters: bool, bodies: list[list[str]]
) -> list[str]:
    """The steps' nodes and rows, stage by stage: in a cluster each, or at the top level
    with the stage named in each node."""
    channels = channel_names(journey)
    lines: list[str] = []
    for index, (stage, body) in enumerate(zip(stages, bodies, strict=True)):
        if clusters:
            inner = [_node(step, None, channels, theme, "    ") for step in stage.steps]
            lines += _cluster(index, stage, theme, inner + [f"    {line}" for line in body])
        else:
            lines += [_node(step, stage, channels, theme, "  ") for step in stage.steps]
            lines += [f"  {line}" for line in body]
    return lines


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


def _edges(
    journey: Journey,
    theme: Theme,
    edges: list[Transition],
    inside: set[str],
    figures: dict[str, Any] | None,
) -> list[str]:
    """The transitions; with measured `figures`, each as wide as its observed users (one
    nobody took dashed) and the observed transitions the map lacks added, dotted."""
    observed, unmapped, most = _measured_edges(journey, figures)
    lines = []
    for edge in edges:
        attrs = _edge_attrs(edge, theme)
        if figures is not None:
            count = observed.get((edge.source.id, edge.target.id), 0)
            attrs = _measured_attrs(edge, attrs, count, most)
        source, target = dot_string(edge.source.id), dot_string(edge.target.id)
        lines.append(f"  {source} -> {target} [{', '.join(attrs)}]")
    for source_id, target_id, count in unmapped:
        if not {source_id, target_id} <= inside:
            continue
        attrs = [
            _width(count, most),
            f"label={dot_string(_users(count) + ', not on the map')}",
            f"color={dot_string(theme['error'])}",
            f"fontcolor={dot_string(theme['error'])}",
            'style="dotted"',
            "constraint=false",
            'class="transition unmapped"',
        ]
        lines.append(f"  {dot_string(source_id)} -> {dot_string(target_id)} [{', '.join(attrs)}]")
    return lines


def to_dot(
    journey: Journey,
    theme: Theme,
    only: Stage | None = None,
    figures: dict[str, Any] | None = None,
) -> str:
    """The flow graph as DOT text (of one stage alone with `only`); with measured `figures`,
    edge widths by observed users, map transitions nobody took dashed, and observed transitions
    the map lacks added."""
    stages = [only] if only is not None else list(journey.map.stages)
    step_count = sum(len(stage.steps) for stage in stages)
    clusters = step_count <= CLUSTER_LIMIT
    inside = {step.id for stage in stages for step in stage.steps}
    edges = [e for e in transitions(journey) if {e.source.id, e.target.id} <= inside]
    linked = {(e.source.id, e.target.id) for e in edges}
    linked |= {(b, a) for a, b in linked}
    bodies, layout = _rows(stages, row_length(step_count), linked)
    lines = _defaults(journey, theme, clusters)
    lines += _stages(journey, theme, stages, clusters, bodies)
    lines += layout
    lines += _edges(journey, theme, edges, inside, figures)
    lines.append("}")
    return "\n".join(lines) + "\n"


def flow_dot(journey: Journey, context: RenderContext) -> str:
    """The DOT text of the map, built once per render context."""
    return context.memo(
        "dot", lambda: to_dot(journey, context.theme, figures=context.figures(journey))
    )


class DotRenderer:
    name = "dot"
    extension = "dot"
    description = "the flow diagram's Graphviz DOT source"

    def render(self, journey: Journey, context: RenderContext) -> bytes:
        return flow_dot(journey, context).encode("utf-8")
