"""What to measure for one map: its steps and their events, the main path, the map's transitions,
the surveys, and the step pairs its KPIs ask a median time for. Plain Python, no engine.

`facts_of` reads a validated map into `MapFacts`, plain data that the result cache keeps as JSON
(a warm `journeymap measure` loads neither the map nor the model); `make_plan` adds the path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from journeymap.model import Kpi
    from journeymap.validation import Journey


class PlanError(Exception):
    """A request that the map cannot answer (an unknown step in `--path`); exit 2."""


@dataclass(frozen=True)
class Survey:
    index: int
    id: str
    method: str  # csat | nps | ces


@dataclass(frozen=True)
class EventSpec:
    """An event that marks a step: its name and the property values it must have."""

    name: str
    where: dict[str, Any] = field(default_factory=dict)  # text, or a number


@dataclass(frozen=True)
class PlanStep:
    id: str
    events: list[EventSpec]


@dataclass(frozen=True)
class MedianKpi:
    """A KPI measuring the median time: its `from` and `to` steps, and where it sits."""

    from_: str | None
    to: str | None
    stage: int | None
    step: int | None


@dataclass
class MapFacts:
    """Everything the queries of one map need besides the path, by index: step i is the i-th
    step in file order."""

    id: str
    file: str
    steps: list[PlanStep]
    stage_ids: list[str]
    stage_of: list[int]  # step index -> stage index
    on_map: set[tuple[int, int]]
    surveys: list[Survey]
    step_surveys: dict[int, list[int]]  # step index -> survey indices
    properties: dict[str, str] = field(default_factory=dict)  # property -> where it is used
    median_kpis: list[MedianKpi] = field(default_factory=list)
    id_at: tuple[int, int] = (1, 1)  # the line and column of its `id:` (`mapids.id_position`)

    def fingerprint(self) -> str:
        """A digest of what the figures, keyed by step and stage id, depend on: the steps with
        events in file order (their events, stage), each step's surveys and the median-time
        KPIs. metrics.json keeps it, so `lint --metrics` can tell figures of another version
        of the map; a step added without events, a name or an emotion change none of them."""
        import hashlib
        import json

        def step_id(i: int | None) -> str | None:
            return None if i is None else self.steps[i].id

        def stage_id(s: int | None) -> str | None:
            return None if s is None else self.stage_ids[s]

        measured = {
            "steps": [
                [
                    step.id,
                    self.stage_ids[self.stage_of[i]],
                    [[e.name, e.where] for e in step.events],
                ]
                for i, step in enumerate(self.steps)
                if step.events
            ],
            "surveys": [
                [self.steps[i].id, [[self.surveys[s].id, self.surveys[s].method] for s in found]]
                for i, found in sorted(self.step_surveys.items())
            ],
            "median": [
                [k.from_, k.to, stage_id(k.stage), step_id(k.step)] for k in self.median_kpis
            ],
        }
        text = json.dumps(measured, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return "jm1-" + hashlib.sha256(text.encode()).hexdigest()[:20]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "file": self.file,
            "steps": [[s.id, [[e.name, e.where] for e in s.events]] for s in self.steps],
            "stage_ids": self.stage_ids,
            "stage_of": self.stage_of,
            "on_map": sorted(self.on_map),
            "surveys": [[s.id, s.method] for s in self.surveys],
            "step_surveys": [[i, s] for i, s in sorted(self.step_surveys.items())],
            "properties": self.properties,
            "median_kpis": [[k.from_, k.to, k.stage, k.step] for k in self.median_kpis],
            "id_at": list(self.id_at),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MapFacts:
        """The inverse of `to_json`; raises KeyError, TypeError or ValueError on other data
        (an entry of older code, without `id_at`, is a miss)."""
        line, column = data["id_at"]
        return cls(
            id=data["id"],
            file=data["file"],
            steps=[
                PlanStep(i, [EventSpec(name, dict(where)) for name, where in events])
                for i, events in data["steps"]
            ],
            stage_ids=list(data["stage_ids"]),
            stage_of=list(data["stage_of"]),
            on_map={(a, b) for a, b in data["on_map"]},
            surveys=[Survey(n, i, method) for n, (i, method) in enumerate(data["surveys"])],
            step_surveys={i: list(s) for i, s in data["step_surveys"]},
            properties=dict(data["properties"]),
            median_kpis=[MedianKpi(*k) for k in data["median_kpis"]],
            id_at=(int(line), int(column)),
        )


@dataclass
class MapPlan(MapFacts):
    """The facts and the funnel's path: step indices in order, and the path positions (a, b)
    whose median time is reported."""

    path: list[int] = field(default_factory=list)
    median_pairs: list[tuple[int, int]] = field(default_factory=list)

    @property
    def entries(self) -> list[tuple[int, EventSpec]]:
        return [(i, entry) for i, step in enumerate(self.steps) for entry in step.events]


def facts_of(journey: Journey) -> MapFacts:
    """A validated map's facts."""
    from journeymap.mapids import id_position
    from journeymap.model import SURVEY_METHODS, Measure
    from journeymap.transitions import index_transitions

    steps = list(journey.steps())
    surveys: list[Survey] = []
    by_id: dict[str, int] = {}
    step_surveys: dict[int, list[int]] = {}
    for i, step in enumerate(steps):
        for feedback in step.feedback:
            if feedback.survey is None or feedback.method.value not in SURVEY_METHODS:
                continue
            if feedback.survey not in by_id:
                by_id[feedback.survey] = len(surveys)
                surveys.append(Survey(len(surveys), feedback.survey, feedback.method.value))
            step_surveys.setdefault(i, []).append(by_id[feedback.survey])
    properties: dict[str, str] = {}
    for step in steps:
        for entry in step.events:
            for name in entry.where:
                properties.setdefault(name, f"step '{step.id}' of {journey.file}")
    return MapFacts(
        id=journey.id,
        file=journey.file,
        steps=[
            PlanStep(step.id, [EventSpec(e.name, dict(e.where)) for e in step.events])
            for step in steps
        ],
        stage_ids=[stage.id for stage in journey.map.stages],
        stage_of=[s for s, stage in enumerate(journey.map.stages) for _ in stage.steps],
        on_map=index_transitions(steps),
        surveys=surveys,
        step_surveys=step_surveys,
        properties=properties,
        median_kpis=[
            MedianKpi(kpi.from_, kpi.to, stage, step)
            for kpi, stage, step in _kpis(journey)
            if kpi.measure is Measure.MEDIAN_TIME
        ],
        id_at=id_position(journey),
    )


def _kpis(journey: Journey) -> list[tuple[Kpi, int | None, int | None]]:
    """Every KPI with `measure`, with the stage and step index it sits on."""
    out: list[tuple[Kpi, int | None, int | None]] = []
    step_index = 0
    for s, stage in enumerate(journey.map.stages):
        out.extend((kpi, s, None) for kpi in stage.kpis if kpi.measure)
        for step in stage.steps:
            out.extend((kpi, s, step_index) for kpi in step.kpis if kpi.measure)
            step_index += 1
    return out


def make_plan(
    facts: MapFacts,
    path: list[str] | None = None,
    source: str = "--path",
    places: list[str] | None = None,
) -> MapPlan:
    """The map's plan along `path` (step ids), by default its steps with events in file order;
    `source` names where the path came from in errors (`--path`, `measure.path`), and `places`
    where each of its steps is written (`FILE:LINE:COLUMN`), if in a file."""
    ids = [step.id for step in facts.steps]
    if path is not None:
        _check_path(facts, path, source, places)
        order = [ids.index(name) for name in path]
    else:
        order = [i for i, step in enumerate(facts.steps) if step.events]
    plan = MapPlan(**vars(facts), path=order)
    pairs = {(k - 1, k) for k in range(1, len(order))}
    for kpi in facts.median_kpis:
        start = _start(plan, kpi, ids)
        end = _target(plan, kpi, ids)
        if start in order and end in order:
            a, b = order.index(start), order.index(end)
            if a < b:
                pairs.add((a, b))
    plan.median_pairs = sorted(pairs)
    return plan


def _check_path(facts: MapFacts, path: list[str], source: str, places: list[str] | None) -> None:
    """PlanError for a path that names no step, a step the map lacks (with the map's steps),
    a step twice, or a step without events; located at the step when `places` are known."""
    from journeymap.suggest import did_you_mean, listing

    ids = [step.id for step in facts.steps]
    if not path:
        raise PlanError(f"{source}: names no step")
    for k, name in enumerate(path):
        where = f"{places[k]}: {source}" if places and k < len(places) else source
        if name not in ids:
            raise PlanError(
                f"{where}: map '{facts.id}' ({facts.file}) has no step "
                f"'{name}'{did_you_mean(name, ids)}; its steps: {listing(ids, _LISTED_STEPS)}"
            )
        if name in path[:k]:
            raise PlanError(f"{where}: step '{name}' is on the path twice")
        if not facts.steps[ids.index(name)].events:
            raise PlanError(
                f"{where}: step '{name}' of map '{facts.id}' has no `events`, so nobody "
                "can reach it and the funnel would stop there: give it events, or leave "
                "it off the path"
            )


_LISTED_STEPS = 20  # a map's steps named in the error about a step it lacks; then "and N more"


def _start(plan: MapPlan, kpi: MedianKpi, ids: list[str]) -> int | None:
    """The step a measured KPI counts from: `from`, else the path's first step."""
    if kpi.from_ is not None:
        return ids.index(kpi.from_) if kpi.from_ in ids else None
    return plan.path[0] if plan.path else None


def _target(plan: MapPlan, kpi: MedianKpi, ids: list[str]) -> int | None:
    """The step a measured KPI is about: `to`, else its own step, else its stage's last step on
    the main path."""
    if kpi.to is not None:
        return ids.index(kpi.to) if kpi.to in ids else None
    if kpi.step is not None:
        return kpi.step
    on_path = [i for i in plan.path if plan.stage_of[i] == kpi.stage]
    return on_path[-1] if on_path else None
