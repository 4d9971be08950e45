"""The textconv outline: a map as one fact per line, for `git diff` and `git log -p`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from journeymap.diff.changes import DiffError, kpi_values, plain, signed
from journeymap.escape import terminal
from journeymap.loader import DEFAULT_LIMITS, LoadError, decode, load_text
from journeymap.model import JourneyMap, Kpi, Step
from journeymap.validation import validate_shape


def outline(value: JourneyMap) -> str:
    """A normalized, line-oriented form of a map for `git diff` (textconv).

    One fact per line, stages and steps as headings, so that a line diff of two outlines reads
    like the semantic diff and hunk headers can name the step (see docs/ci.md, xfuncname).
    Map text is kept to its line and shown without terminal escapes (`escape.terminal`).
    """
    return "".join(terminal(line) + "\n" for line in _lines(value))


def _lines(value: JourneyMap) -> Iterator[str]:
    yield f"map {value.id or '(id from the file name)'}: {value.title}"
    head = [(name, getattr(value, name)) for name in ("status", "owner", "updated")]
    yield from (f"  {name}: {plain(fact)}" for name, fact in head if fact is not None)
    if value.tags:
        yield f"  tags: {', '.join(value.tags)}"
    yield from _each("  uses: ", value.uses)
    if value.description:
        yield f"  description: {' '.join(value.description.split())}"
    for persona in value.personas:
        yield f"persona {persona.id}: {persona.name}"
    for channel in value.channels:
        kind = f" ({channel.kind.value})" if channel.kind else ""
        yield f"channel {channel.id}: {channel.name}{kind}"
    for stage in value.stages:
        yield ""
        yield f"stage {stage.id}: {stage.name}"
        for name in ("goal", "description"):
            if getattr(stage, name):
                yield f"  {name}: {' '.join(getattr(stage, name).split())}"
        yield from _kpis(stage.kpis, "  ")
        for step in stage.steps:
            yield from _step(step)


def _kpis(kpis: list[Kpi], indent: str) -> Iterator[str]:
    for kpi in kpis:
        values = kpi_values(kpi).strip()
        better = " (lower is better)" if kpi.better.value == "lower" else ""
        yield f"{indent}kpi {kpi.name}: {values or 'no values'}{better}"


def _each(prefix: str, items: list[str]) -> Iterator[str]:
    return (prefix + item for item in items)


def _notes(*values: str | None) -> str:
    notes = ", ".join(v for v in values if v)
    return f" ({notes})" if notes else ""


def _step(step: Step) -> Iterator[str]:
    yield f"  step {step.id}: {step.name}"
    pad = "    "
    facts: list[tuple[str, object]] = [
        ("persona", step.persona),
        ("channel", step.channel),
        ("handoff", step.handoff),
        ("touchpoint", step.touchpoint),
        ("action", step.action),
        ("emotion", signed(step.emotion) if step.emotion is not None else None),
        ("owner", step.owner),
        ("description", step.description),
    ]
    for name, fact in facts:
        if fact is not None:
            yield f"{pad}{name}: {' '.join(str(fact).split())}"
    if step.moment_of_truth:
        yield f"{pad}moment of truth"
    yield from _each(f"{pad}thought: ", step.thoughts)
    for point in step.pain_points:
        severity = point.severity and point.severity.value
        yield f"{pad}pain point: {point.text}" + _notes(severity, point.owner)
    for opp in step.opportunities:
        priority, status = opp.priority and opp.priority.value, opp.status and opp.status.value
        yield f"{pad}opportunity: {opp.text}" + _notes(priority, status, opp.owner)
    yield from _kpis(step.kpis, pad)
    for fb in step.feedback:
        yield f"{pad}feedback: {fb.method.value}" + (f" ({fb.name})" if fb.name else "")
    for layer in ("frontstage", "backstage", "support"):
        yield from _each(f"{pad}{layer}: ", getattr(step, layer))
    for ev in step.evidence:
        yield f"{pad}evidence: {ev.kind.value}" + (f" ({ev.source})" if ev.source else "")
    for link in step.links:
        yield f"{pad}link: {link.label + ' ' if link.label else ''}<{link.url}>"
    if step.next is not None:
        yield f"{pad}next: {', '.join(step.next)}"


def textconv_text(path: Path) -> str:
    """What git shows for a map: its outline, or the file as is when it is not a valid map.

    git hands a textconv a temporary copy for old revisions, so libraries (`uses`) cannot be
    resolved here; only the file's own content is outlined.
    """
    from journeymap.files import read_bounded

    try:
        raw = read_bounded(path, DEFAULT_LIMITS.max_bytes)
    except OSError as err:
        raise DiffError(f"{path}: cannot read: {err.strerror}") from None
    if len(raw) > DEFAULT_LIMITS.max_bytes:
        shown = raw[: DEFAULT_LIMITS.max_bytes].decode("utf-8", "replace")
        return f"{shown}\n[journeymap: larger than {DEFAULT_LIMITS.max_bytes:,} bytes; cut here]\n"
    try:
        text = decode(raw, str(path))
        doc = load_text(text, str(path), path)
    except LoadError:
        return raw.decode("utf-8", "replace")
    value, findings = validate_shape(doc)
    if not isinstance(value, JourneyMap) or findings or doc.findings:
        return text
    return outline(value)
