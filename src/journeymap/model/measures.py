"""How a journey is measured: KPIs, the feedback collected, and the events that mark a step.

A KPI with a `measure` is computed by `journeymap measure` from the event log (the steps'
`events`) or the survey answers (a feedback's `survey`); its `actual` then comes from the data.
"""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, StringConstraints, ValidationInfo, field_validator
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from journeymap.durations import duration_text
from journeymap.model.base import Model, Number, Slug, Text


class Better(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


class FeedbackMethod(StrEnum):
    SURVEY = "survey"
    NPS = "nps"
    CSAT = "csat"
    CES = "ces"
    REVIEW = "review"
    INTERVIEW = "interview"
    USABILITY_TEST = "usability-test"
    SUPPORT = "support"
    ANALYTICS = "analytics"
    SOCIAL_LISTENING = "social-listening"
    OTHER = "other"


class Measure(StrEnum):
    """What `journeymap measure` computes for a KPI from the event log or the survey answers."""

    REACH = "reach"
    CONVERSION = "conversion"
    DROP_OFF = "drop-off"
    MEDIAN_TIME = "median-time"
    CSAT = "csat"
    NPS = "nps"
    CES = "ces"


class Kpi(Model):
    """A measure of the journey. `target` and `actual` are compared only when both are numbers."""

    name: Text
    measure: Measure | None = Field(
        default=None,
        description="Computed from the data by `journeymap measure`; then `actual` comes from "
        "the metrics and must not be written by hand.",
    )
    from_: Slug | None = Field(
        default=None,
        alias="from",
        description="For conversion and median-time: the step to start from "
        "(default: the map's first step).",
    )
    to: Slug | None = Field(
        default=None, description="For a measure: the step measured (default: this step)."
    )
    target: Number | str | None = None
    actual: Number | str | None = None
    unit: str | None = None
    better: Better = Better.HIGHER

    def off_target(self) -> bool | None:
        """True when a numeric actual misses a numeric target; None when not comparable."""
        target, actual = self.target, self.actual
        if not isinstance(target, int | float) or not isinstance(actual, int | float):
            return None
        return actual < target if self.better is Better.HIGHER else actual > target

    def shown_actual(self) -> Any:
        """The actual as people read it: a measured ratio or time to 4 decimals (the data's
        2/3 is 0.6667, not 0.6666666666666666); a hand-written one as written."""
        actual = self.actual
        if self.measure is not None and isinstance(actual, float):
            rounded = round(actual, 4)
            if rounded == self.target and actual != self.target:
                return actual  # all of it: "0.8 is below the target of 0.8" would puzzle
            return int(rounded) if rounded.is_integer() else rounded
        return actual

    def figure(self, value: Any) -> str:
        """A target or actual as people read it: a `median-time` (seconds) as a duration,
        `2 h 11 min`; otherwise the value and its unit, `1 day` (not `1 days`), `2.5 days`."""
        if not isinstance(value, int | float) or not math.isfinite(value):
            return f"{value} {self.unit}" if self.unit else str(value)
        if self.measure is Measure.MEDIAN_TIME:
            return duration_text(value)
        shown = _number(value)
        if not self.unit:
            return shown
        return f"{shown} {_singular(self.unit) if abs(value) == 1 else self.unit}"

    @field_validator("target")
    @classmethod
    def _target_on_the_measure_s_scale(cls, value: Any, info: ValidationInfo) -> Any:
        measure = info.data.get("measure")
        if value is None or measure is None:
            return value
        low, high, hint = _SCALES[measure]
        if not isinstance(value, int | float):
            raise ValueError(
                f"the target of a KPI with `measure: {measure.value}` is compared with the "
                f"data, so it is a number ({hint}), not {value!r}"
            )
        if not low <= value <= high:
            raise ValueError(
                f"a `measure: {measure.value}` target of {value} can never be met: {hint}"
            )
        return value

    @field_validator("unit")
    @classmethod
    def _seconds_for_median_time(cls, value: Any, info: ValidationInfo) -> Any:
        if info.data.get("measure") is Measure.MEDIAN_TIME and value not in _SECONDS:
            raise ValueError(
                f"a `measure: median-time` KPI is in seconds, its target too (10 minutes is "
                f"600), and is shown as a duration: remove `unit: {value}`"
            )
        return value

    @field_validator("actual")
    @classmethod
    def _not_beside_measure(cls, value: Any, info: ValidationInfo) -> Any:
        measure = info.data.get("measure")
        if value is not None and measure is not None:
            raise ValueError(
                f"a KPI with `measure: {measure.value}` takes its actual from the data "
                "(`journeymap measure`); remove the hand-written `actual`"
            )
        return value


# What each measure's target can be, and how to write it.
_FRACTION = "a fraction from 0 to 1: write 0.6 for 60%"
_SCALES: dict[Measure, tuple[float, float, str]] = {
    Measure.REACH: (0, math.inf, "a number of users, 0 or more"),
    Measure.CONVERSION: (0, 1, _FRACTION),
    Measure.DROP_OFF: (0, 1, _FRACTION),
    Measure.MEDIAN_TIME: (0, math.inf, "seconds, 0 or more: write 600 for 10 minutes"),
    Measure.CSAT: (0, 1, "the share of answers of 4 or 5, " + _FRACTION),
    Measure.NPS: (-100, 100, "an NPS from -100 to 100"),
    Measure.CES: (1, 7, "a mean CES from 1 to 7"),
}
_SECONDS = {None, "s", "sec", "second", "seconds"}


def _number(value: float) -> str:
    """A number as written on the page: a whole float without its `.0`."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


# Words after a 1 that stay as they are: rates and abbreviations that end in an `s`.
_NOT_PLURAL = {"kbps", "mbps", "gbps", "tbps", "bps", "fps", "rps", "qps", "tps", "ms"}
_ABBREVIATED = {"hrs": "hr", "yrs": "yr"}


def _singular(unit: str) -> str:
    """A unit after the number 1: its first word without the plural `s`, when it has one
    (`days`, `visits per week`); units like `%`, `ratio`, `kbps` or `status` as written."""
    word, _, rest = unit.partition(" ")
    if word in _ABBREVIATED:
        word = _ABBREVIATED[word]
    elif (
        word.isalpha()
        and word.islower()
        and len(word) >= 4
        and word.endswith("s")
        and not word.endswith(("ss", "us", "is"))
        and word not in _NOT_PLURAL
    ):
        word = word[:-1]
    return f"{word} {rest}" if rest else word


SURVEY_METHODS = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}


class Feedback(Model):
    """A way customer feedback is collected."""

    method: FeedbackMethod
    name: str | None = None
    survey: (
        Annotated[
            str,
            StringConstraints(min_length=1, max_length=200),
            Field(
                description="The survey or question id whose answers belong here "
                "(method csat 1-5, nps 0-10 or ces 1-7)."
            ),
        ]
        | None
    ) = None

    @field_validator("survey")
    @classmethod
    def _scored_method(cls, value: Any, info: ValidationInfo) -> Any:
        method = info.data.get("method")
        if value is not None and method is not None and method.value not in SURVEY_METHODS:
            raise ValueError(
                f"`survey` needs a scored method (csat, nps or ces) to read its answers; "
                f"got method '{method.value}'"
            )
        return value


#: The error type of a key the model knows but does not allow where it is written: located at
#: the key, not its value (see `journeymap.validation.schema`).
KEY_NOT_ALLOWED = "key_not_allowed"


class StageFeedback(Feedback):
    """Feedback collected over a whole stage; no `survey`: answers are measured per step."""

    survey: SkipJsonSchema[str | None] = None

    @field_validator("survey", mode="before")
    @classmethod
    def _measured_per_step(cls, value: Any) -> Any:
        if value is not None:
            raise PydanticCustomError(
                KEY_NOT_ALLOWED,
                "a stage's feedback cannot name a `survey`: surveys are measured per step; "
                "move this feedback to the step where the survey is asked",
            )
        return value


PropertyName = Annotated[str, StringConstraints(min_length=1, max_length=128)]


class EventMatch(Model):
    """An event that marks a customer reaching a step: its name, and property values to match."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    where: dict[PropertyName, Annotated[str, StringConstraints(max_length=1000)] | Number] = Field(
        default_factory=dict,
        description="Property name -> value; every one must be equal (compared as text).",
    )


def _event_to_object(value: Any) -> Any:
    """An `events` entry may be a plain event name, shorthand for `{name: ...}`."""
    return {"name": value} if isinstance(value, str) else value


Events = list[
    Annotated[
        EventMatch, BeforeValidator(_event_to_object, json_schema_input_type=str | EventMatch)
    ]
]
