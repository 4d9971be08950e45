"""What to measure for one map: its steps and their events, the main path, the map's transitions,
the surveys, and the step pairs its KPIs ask a median time for. Plain Python, no engine."""

from __future__ import annotations

from dataclasses import dataclass, field

from journeymap.model import SURVEY_METHODS, EventMatch, Kpi, Measure, Step
from journeymap.transitions import index_transitions
from journeymap.validation import Journey


class PlanError(Exception):
    """A request that the map cannot answer (an unknown step in `--path`); exit 2."""


@dataclass(frozen=True)
class Survey:
    index: int
    id: str
    method: str  # csat | nps | ces


@dataclass
class MapPlan:
    """Everything the queries of one map need, by index: step i is the i-th step in file order."""

    id: str
    file: str
    steps: list[Step]
    stage_ids: list[str]
    stage_of: list[int]  # step index -> stage index
    path: list[int]  # step indices of the funnel, in order
    on_map: set[tuple[int, int]]
    surveys: list[Survey]
    step_surveys: dict[int, list[int]]  # step index -> survey indices
    properties: dict[str, str] = field(default_factory=dict)  # property -> where it is used
    median_pairs: list[tuple[int, int]] = field(default_factory=list)  # path positions (a, b)

    @property
    def entries(self) -> list[tuple[int, EventMatch]]:
        return [(i, entry) for i, step in enumerate(self.steps) for entry in step.events]


def map_transitions(steps: list[Step]) -> set[tuple[int, int]]:
    """A step's `next`, or else the step after it in file order (across stages)."""
    return index_transitions(steps)


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


def kpi_target_step(plan: MapPlan, kpi: Kpi, stage: int | None, step: int | None) -> int | None:
    """The step a measured KPI is about: `to`, else its own step, else its stage's last step on
    the main path."""
    ids = [s.id for s in plan.steps]
    if kpi.to is not None:
        return ids.index(kpi.to) if kpi.to in ids else None
    if step is not None:
        return step
    on_path = [i for i in plan.path if plan.stage_of[i] == stage]
    return on_path[-1] if on_path else None


def kpi_from_step(plan: MapPlan, kpi: Kpi) -> int | None:
    ids = [s.id for s in plan.steps]
    if kpi.from_ is not None:
        return ids.index(kpi.from_) if kpi.from_ in ids else None
    return plan.path[0] if plan.path else None


def make_plan(journey: Journey, path: list[str] | None = None) -> MapPlan:
    steps = list(journey.steps())
    ids = [step.id for step in steps]
    stage_of = [s for s, stage in enumerate(journey.map.stages) for _ in stage.steps]
    if path is not None:
        for name in path:
            if name not in ids:
                from journeymap.suggest import did_you_mean

                raise PlanError(
                    f"--path: map '{journey.id}' ({journey.file}) has no step "
                    f"'{name}'{did_you_mean(name, ids)}"
                )
        order = [ids.index(name) for name in path]
    else:
        order = [i for i, step in enumerate(steps) if step.events]
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
    plan = MapPlan(
        id=journey.id,
        file=journey.file,
        steps=steps,
        stage_ids=[stage.id for stage in journey.map.stages],
        stage_of=stage_of,
        path=order,
        on_map=map_transitions(steps),
        surveys=surveys,
        step_surveys=step_surveys,
        properties=properties,
    )
    pairs = {(k - 1, k) for k in range(1, len(order))}
    for kpi, stage_index, step_index in _kpis(journey):
        if kpi.measure is not Measure.MEDIAN_TIME:
            continue
        start = kpi_from_step(plan, kpi)
        end = kpi_target_step(plan, kpi, stage_index, step_index)
        if start in order and end in order:
            a, b = order.index(start), order.index(end)
            if a < b:
                pairs.add((a, b))
    plan.median_pairs = sorted(pairs)
    return plan
