"""The flow graph of a map, built once and written as DOT text.

Steps are nodes (coloured by emotion, with the value written out), transitions are edges
(`next`, or the next step in file order), a change of channel is marked on its edge and a change
without a `handoff` is flagged. Node ids are the step ids (unique slugs): no random ids, and
the output depends only on the map, so the same map always gives the same DOT text.

Layout: one row per stage, top to bottom, and a stage with more steps than `row_length`
wraps onto further rows, so the drawing stays close to the shape of a page (an 18-step map
is under 3:1) instead of one long strip. Each row is a `rank=same` group; invisible
edges keep the steps of a row in map order and each row below the one before. Edge labels
are real `label`s, laid out with the graph, so they never sit on a node.

Stage names: a stage is a box (a cluster) whose name and goal are a node of their own, a
header at the left of the stage's first row, not the cluster's `label`. `dot` routes edges
around nodes but not around cluster labels, so with the name as the cluster's label the edge
into a stage's first step ran through it; as a node, no edge crosses it.

Layout speed: `dot` spends its time in crossing minimisation and in packing clusters. The
graph is nearly a chain in rank order, so crossing minimisation is cut to one pass
(`mclimit`, `nslimit`, `remincross=false`); for big maps the clusters per stage are dropped
and stages are marked by a coloured header line in each node instead (see `CLUSTER_LIMIT`).
`bench/render_big.py` measures this.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

from journeymap.render.flowedges import Places, edge_lines, transitions
from journeymap.render.text import dot_string, html_label_lines, html_label_text, wrap
from journeymap.render.themes import Theme, emotion_colour, emotion_text, text_on

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


def _defaults(journey: Journey, theme: Theme, clusters: bool) -> list[str]:
    """The graph's opening line and its graph, node and edge defaults."""
    font = dot_string(theme["dot_font"])
    graph = [
        "rankdir=TB",
        "newrank=true",
        "splines=true" if clusters else "splines=line",
        "nodesep=0.25",
        # Room between stages for the edges that run from one to the next, and their labels.
        "ranksep=0.6" if clusters else "ranksep=0.35",
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


def header_id(stage: Stage) -> str:
    """The node id of a stage's header: with a `:`, which no slug has, so no step's id."""
    return f"stage:{stage.id}"


def _rows(
    stages: list[Stage], length: int, linked: set[tuple[str, str]], headers: bool
) -> tuple[list[list[str]], list[str]]:
    """Each stage's rows as `rank=same` groups, and the invisible edges that keep the steps
    of a row in map order (where no transition does) and each row below the one before;
    with `headers`, each stage's header node leads its first row."""
    bodies: list[list[str]] = []
    layout: list[str] = []
    previous_row: list[Step] = []
    for stage in stages:
        body: list[str] = []
        for number, row in enumerate(stage_rows(stage, length)):
            ids = " ".join(dot_string(step.id) for step in row)
            if headers and number == 0:
                head = dot_string(header_id(stage))
                ids = f"{head} {ids}"
                layout.append(f"  {head} -> {dot_string(row[0].id)} [style=invis, weight=100]")
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


def _header(stage: Stage, theme: Theme) -> str:
    """A stage's name and goal as a node (see the module's docstring), left-aligned text
    without a box, linked to the stage on the page."""
    lines = [f"<B>{html_label_text(line)}</B>" for line in wrap(stage.name, 22, 2)]
    goal = wrap(stage.goal, 28, 4) if stage.goal else []
    lines += [f'<FONT POINT-SIZE="10">{html_label_text(line)}</FONT>' for line in goal]
    attrs = [
        "label=<" + "".join(f'{line}<BR ALIGN="LEFT"/>' for line in lines) + ">",
        "shape=plaintext",
        'style=""',
        'margin="0,0"',
        f"fontcolor={dot_string(theme['text'])}",
        f"URL={dot_string('#stage-' + stage.id)}",
        f"tooltip={dot_string(stage.name)}",
        f"id={dot_string('flow-stage-' + stage.id + '.header')}",
        'class="stage-header"',
    ]
    return f"    {dot_string(header_id(stage))} [{', '.join(attrs)}]"


def _cluster(index: int, stage: Stage, theme: Theme, inner: list[str]) -> list[str]:
    """A stage drawn as a box around its header and steps (`inner`: its nodes and rows),
    linked to the stage on the page; boxes alternate two fills."""
    return [
        f"  subgraph cluster_{index} {{",
        f"    id={dot_string('flow-stage-' + stage.id)}",
        _header(stage, theme),
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


def places(stages: list[Stage], length: int) -> Places:
    """Each step's row (counted over all stages) and place in its row."""
    rows = (row for stage in stages for row in stage_rows(stage, length))
    return {step.id: (r, i) for r, row in enumerate(rows) for i, step in enumerate(row)}


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
    length = row_length(step_count)
    inside = places(stages, length)
    edges = [e for e in transitions(journey) if {e.source.id, e.target.id} <= inside.keys()]
    linked = {(e.source.id, e.target.id) for e in edges}
    linked |= {(b, a) for a, b in linked}
    bodies, layout = _rows(stages, length, linked, clusters)
    lines = _defaults(journey, theme, clusters)
    lines += _stages(journey, theme, stages, clusters, bodies)
    lines += layout
    lines += edge_lines(journey, theme, edges, inside, figures)
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
        from journeymap.render.marks import mark_dot

        return mark_dot(flow_dot(journey, context), context.source_name(journey)).encode("utf-8")
