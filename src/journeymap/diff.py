"""A semantic diff of journey maps, keyed by ids: what changed for the customer, not which lines.

`diff_journeys(old, new)` is pure: two checked maps in, a list of typed `Change`s out, in the
order of the new map. Formatters turn a list of `MapDiff`s into text (a changelog), JSON, or
Markdown for a pull-request comment. `outline(map)` is the normalized, line-oriented form that
git's textconv shows in `git diff` and `git log -p`.
"""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from journeymap.config import ConfigFinder
from journeymap.escape import markdown, markdown_code, terminal
from journeymap.findings import ORDER, Finding
from journeymap.inputs import YAML_SUFFIXES, discover, looks_like_map, named_as_map
from journeymap.inspection import Inspection, Inspector, library_from_text
from journeymap.loader import DEFAULT_LIMITS, Document, LoadError, decode, load_text
from journeymap.model import JourneyMap, Kpi, Library, Opportunity, PainPoint, Stage, Step
from journeymap.validation import Journey, validate_shape

JSON = Any
ADDED, REMOVED, CHANGED = "+", "-", "~"
# The format's key for the list an item of each kind sits in (`field` in JSON output).
_LIST_FIELD = {"pain-point": "pain_points", "opportunity": "opportunities"}
_QUOTE_MAX = 72


@dataclass(frozen=True)
class Change:
    """One change, located by ids. `summary` is the changelog line without its `op`."""

    op: str  # "+" added, "-" removed or resolved, "~" changed
    kind: str  # stable name for machines: "step-added", "emotion", "pain-point-resolved"...
    element: str  # "map", "persona", "channel", "stage", "step" or "finding"
    id: str  # the element's id ("" for the map itself)
    summary: str
    stage: str | None = None
    field: str | None = None
    old: JSON = None
    new: JSON = None

    @property
    def line(self) -> str:
        return f"{self.op} {self.summary}"


@dataclass
class MapDiff:
    """The changes to one map. `status` is "added", "removed" or "changed"."""

    id: str
    title: str
    status: str
    old_file: str | None
    new_file: str | None
    changes: list[Change] = field(default_factory=list)

    @property
    def header(self) -> str:
        suffix = {"added": " (new map)", "removed": " (map removed)"}.get(self.status, "")
        return f"{self.id}: {self.title}{suffix}"


# ---------------------------------------------------------------------------------------------
# Formatting values


def quote(text: object) -> str:
    value = " ".join(str(text).split())
    if len(value) > _QUOTE_MAX:
        value = value[: _QUOTE_MAX - 1].rstrip() + "…"
    return f'"{value}"'


def signed(value: int | None) -> str:
    if value is None:
        return "none"
    return f"+{value}" if value > 0 else str(value)


def number(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _scalar(value: object) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, str):
        return quote(value)
    return str(getattr(value, "value", value))


def _plain(value: object) -> JSON:
    """A JSON-ready value."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", exclude_defaults=True)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "value"):
        return value.value
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


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


# ---------------------------------------------------------------------------------------------
# Comparing


class _Differ:
    def __init__(self, old: Journey, new: Journey) -> None:
        self.old, self.new = old, new
        self.out: list[Change] = []

    def add(self, op: str, kind: str, element: str, ident: str, summary: str, **kw: Any) -> None:
        self.out.append(Change(op, kind, element, ident, summary, **kw))

    def run(self) -> list[Change]:
        self.map_fields(self.old.map, self.new.map)
        self.named("persona", self.old.personas, self.new.personas, ())
        self.named("channel", self.old.channels, self.new.channels, ("kind",))
        self.stages()
        return self.out

    # -- the map itself ------------------------------------------------------------------------

    def map_fields(self, old: JourneyMap, new: JourneyMap) -> None:
        for name in ("title", "status", "owner", "updated"):
            before, after = getattr(old, name), getattr(new, name)
            if before != after:
                self.add(
                    CHANGED,
                    name,
                    "map",
                    "",
                    f"map: {name} {_scalar(before)} → {_scalar(after)}",
                    field=name,
                    old=_plain(before),
                    new=_plain(after),
                )
        if old.description != new.description:
            self.add(
                CHANGED,
                "description",
                "map",
                "",
                "map: description changed",
                field="description",
                old=old.description,
                new=new.description,
            )
        for name, label in (("tags", "tag"), ("uses", "library")):
            self.text_list("map", "", "map", name, label, getattr(old, name), getattr(new, name))

    def text_list(
        self,
        element: str,
        ident: str,
        subject: str,
        name: str,
        label: str,
        old: list[str],
        new: list[str],
        stage: str | None = None,
    ) -> None:
        removed = Counter(old) - Counter(new)
        added = Counter(new) - Counter(old)
        for text in old:
            if removed[text] > 0:
                removed[text] -= 1
                self.add(
                    REMOVED,
                    f"{name}-removed",
                    element,
                    ident,
                    f"{subject}: {label} removed {quote(text)}",
                    stage=stage,
                    field=name,
                    old=text,
                )
        for text in new:
            if added[text] > 0:
                added[text] -= 1
                self.add(
                    ADDED,
                    f"{name}-added",
                    element,
                    ident,
                    f"{subject}: {label} added {quote(text)}",
                    stage=stage,
                    field=name,
                    new=text,
                )

    # -- personas and channels -----------------------------------------------------------------

    def named(
        self, element: str, old: Iterable[Any], new: Iterable[Any], extra: Sequence[str]
    ) -> None:
        before = {item.id: item for item in old}
        after = {item.id: item for item in new}
        for ident, item in before.items():
            if ident not in after:
                self.add(
                    REMOVED,
                    f"{element}-removed",
                    element,
                    ident,
                    f"{element} {ident} {quote(item.name)}",
                )
        for ident, item in after.items():
            previous = before.get(ident)
            if previous is None:
                self.add(
                    ADDED,
                    f"{element}-added",
                    element,
                    ident,
                    f"{element} {ident} {quote(item.name)}",
                )
                continue
            subject = f"{element} {ident}"
            if previous.name != item.name:
                self.renamed(element, ident, subject, previous.name, item.name)
            for name in extra:
                self.scalar(
                    element, ident, subject, name, getattr(previous, name), getattr(item, name)
                )
            rest = set(type(item).model_fields) - {"id", "name", *extra}
            for name in sorted(rest):
                if _plain(getattr(previous, name)) != _plain(getattr(item, name)):
                    self.add(
                        CHANGED, name, element, ident, f"{subject}: {name} changed", field=name
                    )

    def renamed(
        self, element: str, ident: str, subject: str, old: str, new: str, **kw: Any
    ) -> None:
        self.add(
            CHANGED,
            f"{element}-renamed",
            element,
            ident,
            f"{subject}: renamed {quote(old)} → {quote(new)}",
            field="name",
            old=old,
            new=new,
            **kw,
        )

    def scalar(
        self, element: str, ident: str, subject: str, name: str, old: Any, new: Any, **kw: Any
    ) -> None:
        if _plain(old) == _plain(new):
            return
        self.add(
            CHANGED,
            name.replace("_", "-"),
            element,
            ident,
            f"{subject}: {name.replace('_', ' ')} {_scalar(old)} → {_scalar(new)}",
            field=name,
            old=_plain(old),
            new=_plain(new),
            **kw,
        )

    # -- stages and steps ----------------------------------------------------------------------

    def stages(self) -> None:
        old_stages = {s.id: s for s in self.old.map.stages}
        new_stages = {s.id: s for s in self.new.map.stages}
        old_steps = {
            step.id: (stage, step) for stage in self.old.map.stages for step in stage.steps
        }
        new_steps = {
            step.id: (stage, step) for stage in self.new.map.stages for step in stage.steps
        }
        renamed_ids = self._renamed_ids(old_steps, new_steps)
        moved_stages = _moved(list(old_stages), list(new_stages))
        old_positions = {ident: i + 1 for i, ident in enumerate(old_stages)}
        for position, (ident, stage) in enumerate(new_stages.items(), start=1):
            previous = old_stages.get(ident)
            if previous is None:
                self.add(
                    ADDED,
                    "stage-added",
                    "stage",
                    ident,
                    f"stage {ident} {quote(stage.name)}",
                    new=stage.name,
                )
            else:
                self.stage(previous, stage, ident in moved_stages, old_positions[ident], position)
            # Steps that stayed in this stage, by their old ids (a renamed id counts as kept).
            same_stage = [
                old_id
                for s in stage.steps
                if (old_id := renamed_ids.get(s.id, s.id)) in old_steps
                and old_steps[old_id][0].id == ident
            ]
            previous_order = [s.id for s in previous.steps] if previous else []
            moved_steps = _moved(previous_order, same_stage)
            for step in stage.steps:
                before = old_steps.get(step.id)
                if before is None:
                    if step.id in renamed_ids:
                        old_id = renamed_ids[step.id]
                        self.add(
                            CHANGED,
                            "step-id-renamed",
                            "step",
                            step.id,
                            f"step {step.id} ({stage.name}): id {old_id} → {step.id}",
                            stage=ident,
                            field="id",
                            old=old_id,
                            new=step.id,
                        )
                        if old_id in moved_steps:
                            self._moved_within(old_steps[old_id][0], old_id, stage, step.id)
                    else:
                        self.add(
                            ADDED,
                            "step-added",
                            "step",
                            step.id,
                            f"step {step.id} ({stage.name}) {quote(step.name)}",
                            stage=ident,
                            new=step.name,
                        )
                    continue
                old_stage, old_step = before
                self.step(old_stage, old_step, stage, step, step.id in moved_steps)
            # Steps gone from this stage (not moved elsewhere) are listed where they were.
            if previous is not None:
                self._removed_steps(previous, new_steps, renamed_ids, stage.name)
        for ident, stage in old_stages.items():
            if ident not in new_stages:
                self._removed_steps(stage, new_steps, renamed_ids, stage.name)
                self.add(
                    REMOVED,
                    "stage-removed",
                    "stage",
                    ident,
                    f"stage {ident} {quote(stage.name)}",
                    old=stage.name,
                )

    def _removed_steps(
        self,
        stage: Stage,
        new_steps: dict[str, tuple[Stage, Step]],
        renamed_ids: dict[str, str],
        stage_name: str,
    ) -> None:
        gone_by_rename = set(renamed_ids.values())
        for step in stage.steps:
            if step.id not in new_steps and step.id not in gone_by_rename:
                self.add(
                    REMOVED,
                    "step-removed",
                    "step",
                    step.id,
                    f"step {step.id} ({stage_name}) {quote(step.name)}",
                    stage=stage.id,
                    old=step.name,
                )

    @staticmethod
    def _renamed_ids(
        old_steps: dict[str, tuple[Stage, Step]], new_steps: dict[str, tuple[Stage, Step]]
    ) -> dict[str, str]:
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

    def stage(self, old: Stage, new: Stage, moved: bool, old_pos: int, new_pos: int) -> None:
        subject = f"stage {new.id}"
        if old.name != new.name:
            self.renamed("stage", new.id, subject, old.name, new.name, stage=new.id)
        if moved:
            self.add(
                CHANGED,
                "stage-moved",
                "stage",
                new.id,
                f"{subject}: moved from position {old_pos} to {new_pos}",
                stage=new.id,
                field="position",
                old=old_pos,
                new=new_pos,
            )
        for name in ("goal", "description"):
            self.scalar(
                "stage", new.id, subject, name, getattr(old, name), getattr(new, name), stage=new.id
            )
        self.kpis("stage", new.id, subject, old.kpis, new.kpis, new.id)
        if _plain(old.feedback) != _plain(new.feedback):
            self.add(
                CHANGED,
                "feedback",
                "stage",
                new.id,
                f"{subject}: feedback changed",
                stage=new.id,
                field="feedback",
            )

    def _moved_within(self, old_stage: Stage, old_id: str, stage: Stage, ident: str) -> None:
        old_pos = [s.id for s in old_stage.steps].index(old_id) + 1
        new_pos = [s.id for s in stage.steps].index(ident) + 1
        self.add(
            CHANGED,
            "step-moved",
            "step",
            ident,
            f"step {ident} ({stage.name}): moved from position {old_pos} to {new_pos} in the stage",
            stage=stage.id,
            field="position",
            old=old_pos,
            new=new_pos,
        )

    def step(
        self, old_stage: Stage, old: Step, stage: Stage, new: Step, moved_within: bool
    ) -> None:
        ident = new.id
        subject = f"step {ident} ({stage.name})"
        kw: dict[str, Any] = {"stage": stage.id}
        if old.name != new.name:
            self.renamed("step", ident, subject, old.name, new.name, **kw)
        if old_stage.id != stage.id:
            self.add(
                CHANGED,
                "step-moved",
                "step",
                ident,
                f"{subject}: moved from {old_stage.name}",
                field="stage",
                old=old_stage.id,
                new=stage.id,
                **kw,
            )
        elif moved_within:
            self._moved_within(old_stage, ident, stage, ident)
        if old.emotion != new.emotion:
            self.add(
                CHANGED,
                "emotion",
                "step",
                ident,
                f"{subject}: emotion {signed(old.emotion)} → {signed(new.emotion)}",
                field="emotion",
                old=old.emotion,
                new=new.emotion,
                **kw,
            )
        for name in ("channel", "persona"):
            before, after = getattr(old, name), getattr(new, name)
            if before != after:
                self.add(
                    CHANGED,
                    name,
                    "step",
                    ident,
                    f"{subject}: {name} {before or 'none'} → {after or 'none'}",
                    field=name,
                    old=before,
                    new=after,
                    **kw,
                )
        self.handoff(ident, old.handoff, new.handoff, kw)
        if old.moment_of_truth != new.moment_of_truth:
            what = "now a moment of truth" if new.moment_of_truth else "no longer a moment of truth"
            self.add(
                CHANGED,
                "moment-of-truth",
                "step",
                ident,
                f"{subject}: {what}",
                field="moment_of_truth",
                old=old.moment_of_truth,
                new=new.moment_of_truth,
                **kw,
            )
        self.pain_points(ident, old.pain_points, new.pain_points, kw)
        self.opportunities(ident, old.opportunities, new.opportunities, kw)
        self.kpis("step", ident, subject, old.kpis, new.kpis, stage.id)
        if (old.next or []) != (new.next or []):
            self.add(
                CHANGED,
                "next",
                "step",
                ident,
                f"{subject}: next {', '.join(old.next or []) or 'the following step'}"
                f" → {', '.join(new.next or []) or 'the following step'}",
                field="next",
                old=old.next,
                new=new.next,
                **kw,
            )
        for name in ("touchpoint", "action", "description", "owner"):
            self.scalar("step", ident, subject, name, getattr(old, name), getattr(new, name), **kw)
        for name, label in (
            ("thoughts", "thought"),
            ("frontstage", "frontstage"),
            ("backstage", "backstage"),
            ("support", "support"),
        ):
            self.text_list(
                "step",
                ident,
                subject,
                name,
                label,
                getattr(old, name),
                getattr(new, name),
                stage.id,
            )
        for name in ("feedback", "evidence", "links"):
            if _plain(getattr(old, name)) != _plain(getattr(new, name)):
                self.add(
                    CHANGED, name, "step", ident, f"{subject}: {name} changed", field=name, **kw
                )

    def handoff(self, ident: str, old: str | None, new: str | None, kw: dict[str, Any]) -> None:
        if old == new:
            return
        if old is None:
            op, kind, text = ADDED, "handoff-added", f"handoff on {ident}: {quote(new)}"
        elif new is None:
            op, kind, text = (
                REMOVED,
                "handoff-removed",
                f"handoff removed from {ident}: {quote(old)}",
            )
        else:
            op, kind, text = CHANGED, "handoff", f"handoff on {ident}: {quote(old)} → {quote(new)}"
        self.add(op, kind, "step", ident, text, field="handoff", old=old, new=new, **kw)

    def pain_points(
        self, ident: str, old: list[PainPoint], new: list[PainPoint], kw: dict[str, Any]
    ) -> None:
        before = {p.text: p for p in old}
        after = {p.text: p for p in new}
        for text, point in before.items():
            if text not in after:
                self.add(
                    REMOVED,
                    "pain-point-resolved",
                    "step",
                    ident,
                    f"pain point resolved on {ident}: {quote(text)}",
                    field="pain_points",
                    old=_plain(point),
                    **kw,
                )
        for text, point in after.items():
            previous = before.get(text)
            if previous is None:
                severity = f" ({point.severity.value})" if point.severity else ""
                self.add(
                    ADDED,
                    "pain-point-added",
                    "step",
                    ident,
                    f"pain point on {ident}: {quote(text)}{severity}",
                    field="pain_points",
                    new=_plain(point),
                    **kw,
                )
                continue
            for name in ("severity", "owner"):
                self._attribute("pain point", "pain-point", ident, text, name, previous, point, kw)

    def _attribute(
        self,
        label: str,
        kind: str,
        ident: str,
        text: str,
        name: str,
        old: Any,
        new: Any,
        kw: dict[str, Any],
    ) -> None:
        before, after = _plain(getattr(old, name)), _plain(getattr(new, name))
        if before != after:
            self.add(
                CHANGED,
                f"{kind}-{name}",
                "step",
                ident,
                f"{label} on {ident}: {quote(text)} {name} {before or 'none'} → {after or 'none'}",
                field=f"{_LIST_FIELD[kind]}.{name}",
                old=before,
                new=after,
                **kw,
            )

    def opportunities(
        self, ident: str, old: list[Opportunity], new: list[Opportunity], kw: dict[str, Any]
    ) -> None:
        before = {o.text: o for o in old}
        after = {o.text: o for o in new}
        for text, item in before.items():
            if text not in after:
                self.add(
                    REMOVED,
                    "opportunity-removed",
                    "step",
                    ident,
                    f"opportunity removed from {ident}: {quote(text)}",
                    field="opportunities",
                    old=_plain(item),
                    **kw,
                )
        for text, item in after.items():
            previous = before.get(text)
            if previous is None:
                notes = ", ".join(v.value for v in (item.priority, item.status) if v is not None)
                self.add(
                    ADDED,
                    "opportunity-added",
                    "step",
                    ident,
                    f"opportunity on {ident}: {quote(text)}" + (f" ({notes})" if notes else ""),
                    field="opportunities",
                    new=_plain(item),
                    **kw,
                )
                continue
            for name in ("status", "priority", "owner"):
                self._attribute("opportunity", "opportunity", ident, text, name, previous, item, kw)

    def kpis(
        self, element: str, ident: str, subject: str, old: list[Kpi], new: list[Kpi], stage: str
    ) -> None:
        before = {k.name: k for k in old}
        after = {k.name: k for k in new}
        on = f"{element} {ident}" if element == "stage" else ident
        for name, kpi in before.items():
            if name not in after:
                self.add(
                    REMOVED,
                    "kpi-removed",
                    element,
                    ident,
                    f"KPI removed from {on}: {quote(name)}",
                    stage=stage,
                    field="kpis",
                    old=_plain(kpi),
                )
        for name, kpi in after.items():
            previous = before.get(name)
            if previous is None:
                self.add(
                    ADDED,
                    "kpi-added",
                    element,
                    ident,
                    f"KPI on {on}: {quote(name)}{_kpi_values(kpi)}",
                    stage=stage,
                    field="kpis",
                    new=_plain(kpi),
                )
                continue
            for attr in ("target", "actual", "unit", "better"):
                was, now = _plain(getattr(previous, attr)), _plain(getattr(kpi, attr))
                if was == now:
                    continue
                context = ""
                if attr == "actual" and kpi.target is not None:
                    context = f" (target {number(kpi.target)})"
                self.add(
                    CHANGED,
                    f"kpi-{attr}",
                    element,
                    ident,
                    f"KPI on {on}: {quote(name)} {attr} {number(was)} → {number(now)}{context}",
                    stage=stage,
                    field=f"kpis.{attr}",
                    old=was,
                    new=now,
                )


def _kpi_values(kpi: Kpi) -> str:
    parts = [
        f"{name} {number(getattr(kpi, name))}"
        for name in ("target", "actual")
        if getattr(kpi, name) is not None
    ]
    unit = f" {kpi.unit}" if kpi.unit and parts else ""
    return (" " + ", ".join(parts) + unit) if parts else ""


def diff_journeys(old: Journey, new: Journey) -> list[Change]:
    """The changes from `old` to `new`, in the order of the new map."""
    return _Differ(old, new).run()


# ---------------------------------------------------------------------------------------------
# Lint findings introduced or fixed


def where(journey: Journey, ptr: str) -> str:
    """`step x`, `stage y` or `map` for a finding's JSON Pointer."""
    parts = ptr.split("/")[1:]
    try:
        if len(parts) >= 2 and parts[0] == "stages":
            stage = journey.map.stages[int(parts[1])]
            if len(parts) >= 4 and parts[2] == "steps":
                return f"step {stage.steps[int(parts[3])].id}"
            return f"stage {stage.id}"
        if len(parts) >= 2 and parts[0] in ("personas", "channels"):
            item = getattr(journey.map, parts[0])[int(parts[1])]
            return f"{parts[0][:-1]} {item.id}"
    except (ValueError, IndexError):
        pass
    return "map"


def finding_changes(
    old: Journey | None,
    old_findings: list[Finding],
    new: Journey | None,
    new_findings: list[Finding],
) -> list[Change]:
    """Lint findings that the change introduced (+), fixed (-), or changed (~).

    Findings are matched on rule and message first; what is left of a rule at the same place
    on both sides is one finding whose message changed (a KPI still off target with a new
    `actual`), not one fixed and one introduced.
    """

    def key(finding: Finding) -> tuple[str, str]:
        return finding.rule, finding.message

    def shown(findings: list[Finding]) -> list[Finding]:
        return sorted((f for f in findings if not f.suppressed), key=ORDER)

    def unmatched(ours: list[Finding], theirs: list[Finding]) -> list[Finding]:
        others = Counter(key(f) for f in theirs)
        left = []
        for finding in ours:
            if others[key(finding)] > 0:
                others[key(finding)] -= 1
            else:
                left.append(finding)
        return left

    old_shown, new_shown = shown(old_findings), shown(new_findings)
    introduced = unmatched(new_shown, old_shown)
    fixed = unmatched(old_shown, new_shown)

    def place(journey: Journey | None, finding: Finding) -> str:
        return where(journey, finding.path) if journey else "map"

    still: dict[tuple[str, str], list[Finding]] = {}
    for finding in fixed:
        still.setdefault((finding.rule, place(old, finding)), []).append(finding)
    out: list[Change] = []
    for finding in introduced:
        at = place(new, finding)
        earlier = still.get((finding.rule, at))
        if earlier:
            was = earlier.pop(0)
            out.append(
                Change(
                    CHANGED,
                    "finding-changed",
                    "finding",
                    finding.rule,
                    f"lint {finding.rule} ({finding.severity.value}) at {at}, line "
                    f"{finding.line}: {was.message} → {finding.message}",
                    field="lint",
                    old=was.to_dict(),
                    new=finding.to_dict(),
                )
            )
            continue
        out.append(
            Change(
                ADDED,
                "finding-introduced",
                "finding",
                finding.rule,
                f"lint {finding.rule} ({finding.severity.value}) at {at}, line "
                f"{finding.line}: {finding.message}",
                field="lint",
                new=finding.to_dict(),
            )
        )
    for finding in fixed:
        if not any(finding is f for f in still.get((finding.rule, place(old, finding)), [])):
            continue  # paired with a changed finding above
        out.append(
            Change(
                REMOVED,
                "finding-fixed",
                "finding",
                finding.rule,
                f"lint fixed {finding.rule} at {place(old, finding)}: {finding.message}",
                field="lint",
                old=finding.to_dict(),
            )
        )
    return out


# ---------------------------------------------------------------------------------------------
# Formatters


def _counts(diffs: Sequence[MapDiff]) -> dict[str, int]:
    ops = Counter(c.op for d in diffs for c in d.changes)
    return {
        "maps": sum(1 for d in diffs if d.changes or d.status != "changed"),
        "added": ops[ADDED],
        "removed": ops[REMOVED],
        "changed": ops[CHANGED],
    }


def has_changes(diffs: Sequence[MapDiff]) -> bool:
    return any(d.changes or d.status != "changed" for d in diffs)


_COLORS = {ADDED: "\033[32m", REMOVED: "\033[31m", CHANGED: "\033[33m"}
_BOLD, _RESET = "\033[1m", "\033[0m"


def format_text(diffs: Sequence[MapDiff], color: bool = False) -> str:
    """A changelog: one block per map that changed, one line per change."""
    blocks: list[str] = []
    for d in diffs:
        if not d.changes and d.status == "changed":
            continue
        header = terminal(d.header)
        lines = [f"{_BOLD}{header}{_RESET}" if color else header]
        for change in d.changes:
            text = terminal(change.line)
            lines.append(f"  {_COLORS[change.op]}{text}{_RESET}" if color else f"  {text}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n" if blocks else ""


def format_json(diffs: Sequence[MapDiff]) -> str:
    payload = {
        "changed": has_changes(diffs),
        "summary": _counts(diffs),
        "maps": [
            {
                "id": d.id,
                "title": d.title,
                "status": d.status,
                "old_file": d.old_file,
                "new_file": d.new_file,
                "changes": [{**asdict(c), "text": c.line} for c in d.changes],
            }
            for d in diffs
            if d.changes or d.status != "changed"
        ],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


_MD_OP = {ADDED: "➕", REMOVED: "➖", CHANGED: "✏️"}


def format_markdown(diffs: Sequence[MapDiff]) -> str:
    """A pull-request comment: a summary line, then a table of changes per map."""
    counts = _counts(diffs)
    out = ["## Journey map changes", ""]
    if not has_changes(diffs):
        out.append("No changes to journey maps.")
        return "\n".join(out) + "\n"
    maps = counts["maps"]
    out.append(
        f"{maps} map{'s' if maps != 1 else ''} changed: {counts['added']} added, "
        f"{counts['removed']} removed or resolved, {counts['changed']} changed."
    )
    for d in diffs:
        if not d.changes and d.status == "changed":
            continue
        out += ["", f"### {markdown(d.header)}", ""]
        files = d.new_file or d.old_file
        if files:
            out += [markdown_code(files), ""]
        if not d.changes:
            continue
        out += ["| | Change |", "|:-:|---|"]
        out += [f"| {_MD_OP[c.op]} | {markdown(c.summary)} |" for c in d.changes]
    return "\n".join(out) + "\n"


FORMATTERS: dict[str, Callable[[Sequence[MapDiff], bool], str]] = {
    "text": format_text,
    "json": lambda diffs, _color: format_json(diffs),
    "markdown": lambda diffs, _color: format_markdown(diffs),
}


# ---------------------------------------------------------------------------------------------
# The textconv outline


def outline(value: JourneyMap) -> str:
    """A normalized, line-oriented form of a map for `git diff` (textconv).

    One fact per line, stages and steps as headings, so that a line diff of two outlines reads
    like the semantic diff and hunk headers can name the step (see docs/ci.md, xfuncname).
    Map text is kept to its line and shown without terminal escapes (`escape.terminal`).
    """
    lines: list[str] = []

    def put(line: str) -> None:
        lines.append(terminal(line))

    put(f"map {value.id or '(id from the file name)'}: {value.title}")
    for name in ("status", "owner", "updated"):
        if getattr(value, name) is not None:
            put(f"  {name}: {_plain(getattr(value, name))}")
    if value.tags:
        put(f"  tags: {', '.join(value.tags)}")
    for use in value.uses:
        put(f"  uses: {use}")
    if value.description:
        put(f"  description: {' '.join(value.description.split())}")
    for persona in value.personas:
        put(f"persona {persona.id}: {persona.name}")
    for channel in value.channels:
        kind = f" ({channel.kind.value})" if channel.kind else ""
        put(f"channel {channel.id}: {channel.name}{kind}")
    for stage in value.stages:
        put("")
        put(f"stage {stage.id}: {stage.name}")
        for name in ("goal", "description"):
            if getattr(stage, name):
                put(f"  {name}: {' '.join(getattr(stage, name).split())}")
        for line in _outline_kpis(stage.kpis, "  "):
            put(line)
        for step in stage.steps:
            for line in _outline_step(step):
                put(line)
    return "\n".join(lines) + "\n"


def _outline_kpis(kpis: list[Kpi], indent: str) -> Iterator[str]:
    for kpi in kpis:
        values = _kpi_values(kpi).strip()
        better = " (lower is better)" if kpi.better.value == "lower" else ""
        yield f"{indent}kpi {kpi.name}: {values or 'no values'}{better}"


def _outline_step(step: Step) -> Iterator[str]:
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
    for thought in step.thoughts:
        yield f"{pad}thought: {thought}"
    for point in step.pain_points:
        notes = ", ".join(x for x in (point.severity and point.severity.value, point.owner) if x)
        yield f"{pad}pain point: {point.text}" + (f" ({notes})" if notes else "")
    for opp in step.opportunities:
        notes = ", ".join(
            x
            for x in (
                opp.priority and opp.priority.value,
                opp.status and opp.status.value,
                opp.owner,
            )
            if x
        )
        yield f"{pad}opportunity: {opp.text}" + (f" ({notes})" if notes else "")
    yield from _outline_kpis(step.kpis, pad)
    for fb in step.feedback:
        yield f"{pad}feedback: {fb.method.value}" + (f" ({fb.name})" if fb.name else "")
    for layer in ("frontstage", "backstage", "support"):
        for entry in getattr(step, layer):
            yield f"{pad}{layer}: {entry}"
    for ev in step.evidence:
        yield f"{pad}evidence: {ev.kind.value}" + (f" ({ev.source})" if ev.source else "")
    for link in step.links:
        yield f"{pad}link: {link.label + ' ' if link.label else ''}<{link.url}>"
    if step.next is not None:
        yield f"{pad}next: {', '.join(step.next)}"


# ---------------------------------------------------------------------------------------------
# Where the two sides come from: files, directories, or a git revision


class DiffError(Exception):
    """Inputs that cannot be compared (exit code 2)."""


LintFn = Callable[[Inspection], list[Finding]]


def _require_valid(checked: Inspection) -> Journey:
    if checked.journey is not None:
        return checked.journey
    errors = [f for f in checked.findings if f.is_format_error] or checked.findings
    shown = "; ".join(f"{f.line}:{f.column}: {f.message}" for f in errors[:3])
    more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
    raise DiffError(
        f"{checked.display} is not a valid map, so it cannot be compared: {shown}{more}. "
        f"Run `journeymap validate` for details."
    )


def _keyed(
    checked: Iterable[Inspection], name: Callable[[Inspection], str]
) -> dict[str, Inspection]:
    """Maps by id (libraries are compared through the maps that use them).

    A map whose id an earlier map already has is keyed by its file too, as `name` gives it:
    the same on both sides (relative to the folder, or to the repository), so that it pairs
    with its own other version rather than showing as one map removed and one added.
    """
    out: dict[str, Inspection] = {}
    for item in checked:
        if item.library is not None:
            continue
        journey = _require_valid(item)
        key = journey.id if journey.id not in out else f"{journey.id} ({name(item)})"
        out[key] = item
    return out


def _relative_to(root: Path) -> Callable[[Inspection], str]:
    base = root.resolve()

    def name(item: Inspection) -> str:
        try:
            return item.path.resolve().relative_to(base).as_posix()
        except ValueError:
            return item.display

    return name


def compare(old: Inspection | None, new: Inspection | None, lint: LintFn | None = None) -> MapDiff:
    """The MapDiff of one map: added, removed, or changed (possibly with no changes)."""
    old_j = _require_valid(old) if old is not None else None
    new_j = _require_valid(new) if new is not None else None
    if new_j is not None and new is not None:
        ident, title, file_new = new_j.id, new_j.map.title, new.display
    else:
        assert old_j is not None and old is not None
        ident, title, file_new = old_j.id, old_j.map.title, None
    status = "changed" if old_j and new_j else ("added" if new_j else "removed")
    diff = MapDiff(ident, title, status, old.display if old else None, file_new)
    if old_j is not None and new_j is not None:
        diff.changes = diff_journeys(old_j, new_j)
        if lint is not None and old is not None and new is not None:
            diff.changes += finding_changes(old_j, lint(old), new_j, lint(new))
    return diff


def pair(
    old: dict[str, Inspection], new: dict[str, Inspection], lint: LintFn | None = None
) -> list[MapDiff]:
    """Diffs for maps matched by id: first in the new side's order, then the removed ones."""
    out = [compare(old.get(key), item, lint) for key, item in new.items()]
    out += [compare(item, None, lint) for key, item in old.items() if key not in new]
    return out


def diff_paths(
    old_path: Path, new_path: Path, finder: ConfigFinder, lint: LintFn | None = None
) -> list[MapDiff]:
    """`journeymap diff OLD NEW`: two files (compared whatever their ids) or two directories."""
    inspector = Inspector(finder)
    for path in (old_path, new_path):
        if not path.exists():
            raise DiffError(f"{path}: no such file or directory")
    if old_path.is_dir() != new_path.is_dir():
        raise DiffError("compare a file with a file, or a directory with a directory")
    if not old_path.is_dir():
        old, new = inspector.inspect(old_path), inspector.inspect(new_path)
        if old.library is not None or new.library is not None:
            raise DiffError("libraries are compared through the maps that use them")
        return [compare(old, new, lint)]
    sides = []
    for path in (old_path, new_path):
        files = discover([str(path)], finder).files
        sides.append(_keyed((inspector.inspect(f) for f in files), _relative_to(path)))
    return pair(sides[0], sides[1], lint)


class GitRevision:
    """Files at one revision of the git repository around the current directory."""

    def __init__(self, rev: str, cwd: Path | None = None) -> None:
        self.rev = rev
        self.cwd = cwd or Path.cwd()
        self.root = Path(self._git("rev-parse", "--show-toplevel").decode().strip()).resolve()
        try:
            self._git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
        except DiffError:
            raise DiffError(f"unknown revision '{rev}'") from None

    def _git(self, *args: str) -> bytes:
        try:
            proc = subprocess.run(
                ["git", *args], cwd=self.cwd, capture_output=True, check=False, timeout=60
            )
        except FileNotFoundError:
            raise DiffError("git is not installed (needed for --rev)") from None
        if proc.returncode != 0:
            message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            raise DiffError(f"git {args[0]}: {message[-1] if message else 'failed'}")
        return proc.stdout

    def relative(self, path: Path) -> str:
        resolved = (self.cwd / path).resolve()
        try:
            return resolved.relative_to(self.root).as_posix()
        except ValueError:
            raise DiffError(f"{path} is outside the git repository {self.root}") from None

    def files(self, paths: list[Path]) -> list[str]:
        """YAML files under `paths` at the revision, relative to the repository root."""
        specs = [self.relative(p) or "." for p in paths]
        listing = self._git(
            "ls-tree", "-r", "-z", "--name-only", "--full-tree", self.rev, "--", *specs
        )
        names = [n for n in listing.decode("utf-8", "replace").split("\0") if n]
        return sorted(n for n in names if n.endswith(YAML_SUFFIXES))

    def read(self, rel: str) -> str | None:
        try:
            raw = self._git("show", f"{self.rev}:{rel}")
        except DiffError:
            return None
        return decode(raw, f"{self.rev}:{rel}")


def diff_revision(
    rev: str, paths: list[Path], finder: ConfigFinder, lint: LintFn | None = None
) -> list[MapDiff]:
    """`journeymap diff --rev REV [PATH...]`: maps at REV (read through git) against the tree."""
    git = GitRevision(rev)
    inspector = Inspector(finder)
    present = [str(p) for p in paths if p.exists()]
    new_files = discover(present, finder).files if present else []
    explicit_files = {git.relative(p) for p in paths if not p.is_dir()}
    new = _keyed((inspector.inspect(f) for f in new_files), _relative_to(git.root))

    def load_library(
        target: Path, shown_as: str
    ) -> tuple[Document | None, Library | None, list[Finding]]:
        rel = git.relative(target)
        text = git.read(rel)
        if text is None:
            return inspector.inspect_library(target)
        return library_from_text(text, f"{rev}:{rel}", target, finder.for_file(target))

    old_checked: list[Inspection] = []
    for rel in git.files(paths):
        path = git.root / rel
        if finder.for_path(path).is_excluded(path):
            continue
        text = git.read(rel)
        if text is None:
            continue
        if (
            rel not in explicit_files
            and not named_as_map(path)
            and not looks_like_map(text.encode("utf-8"))
        ):
            continue
        old_checked.append(inspector.inspect_text(path, text, f"{rev}:{rel}", load_library))
    old = _keyed(old_checked, _relative_to(git.root))
    return pair(old, new, lint)


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
