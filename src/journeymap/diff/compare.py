"""Comparing two checked maps: a list of typed `Change`s, in the order of the new map.

Every collection keyed by something (personas and channels by id, pain points and
opportunities by their text, KPIs by name) goes through one comparison, `keyed`: the items
gone (in the old order), then the items new or changed (in the new order). Stages and steps
are compared together, because a step can move between stages or keep its content under a new id.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from journeymap.diff.changes import (
    ADDED,
    CHANGED,
    REMOVED,
    Change,
    Subject,
    kpi_figure,
    kpi_values,
    plain,
    quote,
    scalar,
    signed,
)
from journeymap.model import Channel, JourneyMap, Kpi, Opportunity, PainPoint, Persona, Stage, Step
from journeymap.validation import Journey

T = TypeVar("T")
Named = TypeVar("Named", Persona, Channel)
Located = tuple[Stage, Step]
_LAYERS = ("frontstage", "backstage", "support")


def diff_journeys(old: Journey, new: Journey) -> list[Change]:
    """The changes from `old` to `new`, in the order of the new map."""
    return [
        *map_fields(old.map, new.map),
        *named("persona", old.map.personas, new.map.personas, ()),
        *named("channel", old.map.channels, new.map.channels, ("kind",)),
        *stages(old.map, new.map),
    ]


def keyed(
    old: Iterable[T],
    new: Iterable[T],
    key: Callable[[T], str],
    removed: Callable[[str, T], Change],
    added: Callable[[str, T], Change],
    changed: Callable[[str, T, T], Iterable[Change]],
) -> Iterator[Change]:
    """The one comparison of keyed collections: gone items, then new or changed ones."""
    before = {key(item): item for item in old}
    after = {key(item): item for item in new}
    for name, item in before.items():
        if name not in after:
            yield removed(name, item)
    for name, item in after.items():
        previous = before.get(name)
        yield from (added(name, item),) if previous is None else changed(name, previous, item)


def map_fields(old: JourneyMap, new: JourneyMap) -> Iterator[Change]:
    """The map's own fields: title, status, owner, updated, description, tags and libraries."""
    subject = Subject("map", "", "map")
    for name in ("title", "status", "owner", "updated"):
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            summary = f"map: {name} {scalar(before)} → {scalar(after)}"
            yield subject.change(CHANGED, name, summary, name, plain(before), plain(after))
    if old.description != new.description:
        summary = "map: description changed"
        yield subject.change(
            CHANGED, "description", summary, "description", old.description, new.description
        )
    yield from subject.texts("tags", "tag", old.tags, new.tags)
    yield from subject.texts("uses", "library", old.uses, new.uses)


def named(
    element: str, old: Sequence[Named], new: Sequence[Named], extra: Sequence[str]
) -> Iterator[Change]:
    """Personas or channels, by id: added, removed, renamed, and their other fields."""

    def gone(ident: str, item: Named) -> Change:
        summary = f"{element} {ident} {quote(item.name)}"
        return Change(REMOVED, f"{element}-removed", element, ident, summary)

    def new_one(ident: str, item: Named) -> Change:
        summary = f"{element} {ident} {quote(item.name)}"
        return Change(ADDED, f"{element}-added", element, ident, summary)

    def changed(ident: str, before: Named, after: Named) -> Iterator[Change]:
        subject = Subject(element, ident, f"{element} {ident}")
        yield from subject.renamed(before.name, after.name)
        for name in extra:
            yield from subject.scalar(name, getattr(before, name), getattr(after, name))
        for name in sorted(set(type(after).model_fields) - {"id", "name", *extra}):
            yield from subject.changed(name, getattr(before, name), getattr(after, name))

    return keyed(old, new, lambda item: item.id, gone, new_one, changed)


def kpis(subject: Subject, old: list[Kpi], new: list[Kpi]) -> Iterator[Change]:
    """A stage's or a step's KPIs, by name: added, removed, and figures changed."""
    on = f"stage {subject.id}" if subject.element == "stage" else subject.id

    def gone(name: str, kpi: Kpi) -> Change:
        summary = f"KPI removed from {on}: {quote(name)}"
        return subject.change(REMOVED, "kpi-removed", summary, "kpis", old=plain(kpi))

    def new_one(name: str, kpi: Kpi) -> Change:
        summary = f"KPI on {on}: {quote(name)}{kpi_values(kpi)}"
        return subject.change(ADDED, "kpi-added", summary, "kpis", new=plain(kpi))

    def changed(name: str, before: Kpi, after: Kpi) -> Iterator[Change]:
        for attr in ("target", "actual", "unit", "better"):
            was, now = plain(getattr(before, attr)), plain(getattr(after, attr))
            if was == now:
                continue
            context = ""
            if attr == "actual" and after.target is not None:
                context = f" (target {kpi_figure(after, after.target)})"
            was_text, now_text = kpi_figure(before, was), kpi_figure(after, now)  # any attribute
            summary = f"KPI on {on}: {quote(name)} {attr} {was_text} → {now_text}{context}"
            yield subject.change(CHANGED, f"kpi-{attr}", summary, f"kpis.{attr}", was, now)

    return keyed(old, new, lambda kpi: kpi.name, gone, new_one, changed)


def _attributes(
    subject: Subject, label: str, kind: str, field: str, names: Sequence[str]
) -> Callable[[str, PainPoint | Opportunity, PainPoint | Opportunity], Iterator[Change]]:
    """The changed attributes (severity, status, owner...) of a pain point or an opportunity."""

    def changed(
        text: str, old: PainPoint | Opportunity, new: PainPoint | Opportunity
    ) -> Iterator[Change]:
        for name in names:
            before, after = plain(getattr(old, name)), plain(getattr(new, name))
            if before != after:
                summary = (
                    f"{label} on {subject.id}: {quote(text)} {name} "
                    f"{before or 'none'} → {after or 'none'}"
                )
                yield subject.change(
                    CHANGED, f"{kind}-{name}", summary, f"{field}.{name}", before, after
                )

    return changed


def pain_points(subject: Subject, old: list[PainPoint], new: list[PainPoint]) -> Iterator[Change]:
    """A step's pain points, by text: resolved, added, severity or owner changed."""
    ident, field = subject.id, "pain_points"

    def gone(text: str, point: PainPoint) -> Change:
        summary = f"pain point resolved on {ident}: {quote(text)}"
        return subject.change(REMOVED, "pain-point-resolved", summary, field, old=plain(point))

    def new_one(text: str, point: PainPoint) -> Change:
        severity = f" ({point.severity.value})" if point.severity else ""
        summary = f"pain point on {ident}: {quote(text)}{severity}"
        return subject.change(ADDED, "pain-point-added", summary, field, new=plain(point))

    changed = _attributes(subject, "pain point", "pain-point", field, ("severity", "owner"))
    return keyed(old, new, lambda point: point.text, gone, new_one, changed)


def opportunities(
    subject: Subject, old: list[Opportunity], new: list[Opportunity]
) -> Iterator[Change]:
    """A step's opportunities, by text: removed, added, status, priority or owner changed."""
    ident, field = subject.id, "opportunities"

    def gone(text: str, item: Opportunity) -> Change:
        summary = f"opportunity removed from {ident}: {quote(text)}"
        return subject.change(REMOVED, "opportunity-removed", summary, field, old=plain(item))

    def new_one(text: str, item: Opportunity) -> Change:
        notes = ", ".join(v.value for v in (item.priority, item.status) if v is not None)
        summary = f"opportunity on {ident}: {quote(text)}" + (f" ({notes})" if notes else "")
        return subject.change(ADDED, "opportunity-added", summary, field, new=plain(item))

    names = ("status", "priority", "owner")
    changed = _attributes(subject, "opportunity", "opportunity", field, names)
    return keyed(old, new, lambda item: item.text, gone, new_one, changed)


def _moved(old_order: Sequence[str], new_order: Sequence[str]) -> set[str]:
    """Ids present in both orders whose relative order changed (outside a longest common run)."""
    common = set(old_order) & set(new_order)
    a = [x for x in old_order if x in common]
    b = [x for x in new_order if x in common]
    n, m = len(a), len(b)
    lengths = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            lengths[i][j] = (
                lengths[i + 1][j + 1] + 1
                if a[i] == b[j]
                else max(lengths[i + 1][j], lengths[i][j + 1])
            )
    keep: set[str] = set()
    i = j = 0
    while i < n and j < m:
        if a[i] == b[j]:
            keep.add(a[i])
            i, j = i + 1, j + 1
        elif lengths[i + 1][j] > lengths[i][j + 1]:  # on a tie, the new side's item moved
            i += 1
        else:
            j += 1
    return common - keep


@dataclass(frozen=True)
class _Steps:
    """Every step of both maps by id, with its stage, and the steps whose id was renamed."""

    old: dict[str, Located]
    new: dict[str, Located]
    renamed: dict[str, str]  # new id -> old id

    @classmethod
    def of(cls, old: JourneyMap, new: JourneyMap) -> _Steps:
        before = {step.id: (stage, step) for stage in old.stages for step in stage.steps}
        after = {step.id: (stage, step) for stage in new.stages for step in stage.steps}
        return cls(before, after, _renamed_ids(before, after))


def _renamed_ids(old_steps: dict[str, Located], new_steps: dict[str, Located]) -> dict[str, str]:
    """New id -> old id for a removed and an added step that are otherwise identical."""

    def content(stage: Stage, step: Step) -> str:
        body = step.model_dump(mode="json", exclude={"id"})
        return json.dumps([stage.id, body], sort_keys=True)

    removed: dict[str, list[str]] = {}
    for ident, (stage, step) in old_steps.items():
        if ident not in new_steps:
            removed.setdefault(content(stage, step), []).append(ident)
    out: dict[str, str] = {}
    for ident, (stage, step) in new_steps.items():
        if ident in old_steps:
            continue
        candidates = removed.get(content(stage, step))
        if candidates:
            out[ident] = candidates.pop(0)
    return out


def stages(old: JourneyMap, new: JourneyMap) -> Iterator[Change]:
    """Stages in the new order, each followed by its steps; removed stages last."""
    steps = _Steps.of(old, new)
    old_stages = {s.id: s for s in old.stages}
    new_stages = {s.id: s for s in new.stages}
    moved = _moved(list(old_stages), list(new_stages))
    old_positions = {ident: i + 1 for i, ident in enumerate(old_stages)}
    for position, (ident, stage) in enumerate(new_stages.items(), start=1):
        previous = old_stages.get(ident)
        if previous is None:
            summary = f"stage {ident} {quote(stage.name)}"
            yield Change(ADDED, "stage-added", "stage", ident, summary, new=stage.name)
        else:
            yield from _stage(previous, stage, ident in moved, old_positions[ident], position)
        yield from _stage_steps(previous, stage, steps)
        if previous is not None:
            yield from _removed_steps(previous, steps, stage.name)
    for ident, stage in old_stages.items():
        if ident not in new_stages:
            yield from _removed_steps(stage, steps, stage.name)
            summary = f"stage {ident} {quote(stage.name)}"
            yield Change(REMOVED, "stage-removed", "stage", ident, summary, old=stage.name)


def _stage(old: Stage, new: Stage, moved: bool, old_pos: int, new_pos: int) -> Iterator[Change]:
    subject = Subject("stage", new.id, f"stage {new.id}", new.id)
    yield from subject.renamed(old.name, new.name)
    if moved:
        summary = f"{subject.label}: moved from position {old_pos} to {new_pos}"
        yield subject.change(CHANGED, "stage-moved", summary, "position", old_pos, new_pos)
    yield from subject.scalar("goal", old.goal, new.goal)
    yield from subject.scalar("description", old.description, new.description)
    yield from kpis(subject, old.kpis, new.kpis)
    yield from subject.changed("feedback", old.feedback, new.feedback)


def _stage_steps(previous: Stage | None, stage: Stage, steps: _Steps) -> Iterator[Change]:
    """The steps now in `stage`: added, renamed to a new id, moved, or changed."""
    # Steps that stayed in this stage, by their old ids (a renamed id counts as kept).
    same_stage = [
        old_id
        for s in stage.steps
        if (old_id := steps.renamed.get(s.id, s.id)) in steps.old
        and steps.old[old_id][0].id == stage.id
    ]
    previous_order = [s.id for s in previous.steps] if previous else []
    moved = _moved(previous_order, same_stage)
    for step in stage.steps:
        before = steps.old.get(step.id)
        subject = Subject("step", step.id, f"step {step.id} ({stage.name})", stage.id)
        if before is not None:
            yield from _step(before, stage, step, step.id in moved)
        elif step.id in steps.renamed:
            old_id = steps.renamed[step.id]
            summary = f"{subject.label}: id {old_id} → {step.id}"
            yield subject.change(CHANGED, "step-id-renamed", summary, "id", old_id, step.id)
            if old_id in moved:
                yield _moved_within(steps.old[old_id][0], old_id, stage, step.id)
        else:
            summary = f"{subject.label} {quote(step.name)}"
            yield subject.change(ADDED, "step-added", summary, new=step.name)


def _removed_steps(stage: Stage, steps: _Steps, stage_name: str) -> Iterator[Change]:
    """Steps gone from `stage` (not moved elsewhere, not renamed), listed where they were."""
    gone_by_rename = set(steps.renamed.values())
    for step in stage.steps:
        if step.id not in steps.new and step.id not in gone_by_rename:
            summary = f"step {step.id} ({stage_name}) {quote(step.name)}"
            yield Change(REMOVED, "step-removed", "step", step.id, summary, stage.id, old=step.name)


def _moved_within(old_stage: Stage, old_id: str, stage: Stage, ident: str) -> Change:
    old_pos = [s.id for s in old_stage.steps].index(old_id) + 1
    new_pos = [s.id for s in stage.steps].index(ident) + 1
    summary = (
        f"step {ident} ({stage.name}): moved from position {old_pos} to {new_pos} in the stage"
    )
    return Change(
        CHANGED, "step-moved", "step", ident, summary, stage.id, "position", old_pos, new_pos
    )


def _step(before: Located, stage: Stage, new: Step, moved_within: bool) -> Iterator[Change]:
    """One step on both sides: where it is, then each of its fields, in a fixed order."""
    old_stage, old = before
    subject = Subject("step", new.id, f"step {new.id} ({stage.name})", stage.id)
    yield from subject.renamed(old.name, new.name)
    if old_stage.id != stage.id:
        summary = f"{subject.label}: moved from {old_stage.name}"
        yield subject.change(CHANGED, "step-moved", summary, "stage", old_stage.id, stage.id)
    elif moved_within:
        yield _moved_within(old_stage, new.id, stage, new.id)
    yield from _step_flow(subject, old, new)
    yield from pain_points(subject, old.pain_points, new.pain_points)
    yield from opportunities(subject, old.opportunities, new.opportunities)
    yield from kpis(subject, old.kpis, new.kpis)
    if (old.next or []) != (new.next or []):
        was = ", ".join(old.next or []) or "the following step"
        now = ", ".join(new.next or []) or "the following step"
        summary = f"{subject.label}: next {was} → {now}"
        yield subject.change(CHANGED, "next", summary, "next", old.next, new.next)
    for name in ("touchpoint", "action", "description", "owner"):
        yield from subject.scalar(name, getattr(old, name), getattr(new, name))
    for name, label in (("thoughts", "thought"), *((n, n) for n in _LAYERS)):
        yield from subject.texts(name, label, getattr(old, name), getattr(new, name))
    for name in ("feedback", "evidence", "links"):
        yield from subject.changed(name, getattr(old, name), getattr(new, name))


def _step_flow(subject: Subject, old: Step, new: Step) -> Iterator[Change]:
    """How the customer goes through a step: emotion, channel, persona, handoff, moment."""
    if old.emotion != new.emotion:
        summary = f"{subject.label}: emotion {signed(old.emotion)} → {signed(new.emotion)}"
        yield subject.change(CHANGED, "emotion", summary, "emotion", old.emotion, new.emotion)
    for name in ("channel", "persona"):
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            summary = f"{subject.label}: {name} {before or 'none'} → {after or 'none'}"
            yield subject.change(CHANGED, name, summary, name, before, after)
    yield from _handoff(subject, old.handoff, new.handoff)
    if old.moment_of_truth != new.moment_of_truth:
        what = "now a moment of truth" if new.moment_of_truth else "no longer a moment of truth"
        yield subject.change(
            CHANGED,
            "moment-of-truth",
            f"{subject.label}: {what}",
            "moment_of_truth",
            old.moment_of_truth,
            new.moment_of_truth,
        )


def _handoff(subject: Subject, old: str | None, new: str | None) -> Iterator[Change]:
    if old == new:
        return
    ident = subject.id
    if old is None:
        op, kind, text = ADDED, "handoff-added", f"handoff on {ident}: {quote(new)}"
    elif new is None:
        op, kind, text = REMOVED, "handoff-removed", f"handoff removed from {ident}: {quote(old)}"
    else:
        op, kind, text = CHANGED, "handoff", f"handoff on {ident}: {quote(old)} → {quote(new)}"
    yield subject.change(op, kind, text, "handoff", old, new)
