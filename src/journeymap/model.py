"""The map format, version 1 (see the spec in README and `journeymap schema`), as pydantic models.

Everything here is shape and value checks; references between ids (persona, channel, next),
uniqueness of ids and library paths are checked in one place, `journeymap.resolve`, because they
span the map and the libraries it uses.

Extension keys (`x-...`) are dropped by the loader before validation and allowed by the schema.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from journeymap.escape import unsafe_scheme

FORMAT_VERSION = 1
SLUG_PATTERN = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$"
# In Python use SLUG_RE.fullmatch: `$` alone also matches before a final newline ("abc\n").
SLUG_RE = re.compile(SLUG_PATTERN)

Slug = Annotated[
    str,
    StringConstraints(strict=True, pattern=SLUG_PATTERN),
    Field(
        description="A slug: lowercase letters and digits, words joined by `-` or `_`.",
        examples=["sees-ad"],
    ),
]
Text = Annotated[str, StringConstraints(min_length=1)]
Emotion = Annotated[
    int,
    Field(
        strict=True,
        ge=-2,
        le=2,
        description="How the customer feels: -2 (very negative) to +2 (very positive).",
    ),
]
Number = StrictInt | StrictFloat


def _as_list(value: Any) -> Any:
    """`thoughts: text` is shorthand for a list of one."""
    return [value] if isinstance(value, str) else value


def _text_to_object(value: Any) -> Any:
    """List entries may be plain text, shorthand for `{text: ...}`."""
    return {"text": value} if isinstance(value, str | int | float) else value


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        frozen=False,
        coerce_numbers_to_str=True,
        allow_inf_nan=False,
        populate_by_name=False,
        json_schema_extra={"patternProperties": {"^x-": {}}},
    )


class _Located(_Model):
    """A model that lint findings can point at: where it stands in which file.

    Plain slots rather than pydantic private attributes: those add a post-init hook to every
    instance, 5% of checking a typical map.
    """

    __slots__ = ("_jm_file", "_jm_pointer")

    def locate(self, file: str, pointer: str) -> None:
        object.__setattr__(self, "_jm_file", file)
        object.__setattr__(self, "_jm_pointer", pointer)

    @property
    def source_file(self) -> str:
        return str(getattr(self, "_jm_file", ""))

    @property
    def pointer(self) -> str:
        return str(getattr(self, "_jm_pointer", ""))


class Level(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class ChannelKind(StrEnum):
    DIGITAL = "digital"
    PHYSICAL = "physical"
    HUMAN = "human"
    PARTNER = "partner"


class Status(StrEnum):
    CURRENT = "current"
    FUTURE = "future"


class Better(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


class OpportunityStatus(StrEnum):
    IDEA = "idea"
    PLANNED = "planned"
    DONE = "done"


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


class EvidenceKind(StrEnum):
    OBSERVED = "observed"
    REPORTED = "reported"
    INFERRED = "inferred"
    ASSUMED = "assumed"


class PainPoint(_Model):
    """A pain point: text, or `{text, severity, owner}`."""

    text: Text
    severity: Level | None = None
    owner: str | None = None


class Opportunity(_Model):
    """An improvement idea: text, or `{text, priority, owner, status}`."""

    text: Text
    priority: Level | None = None
    owner: str | None = None
    status: OpportunityStatus | None = None


class Measure(StrEnum):
    """What `journeymap measure` computes for a KPI from the event log or the survey answers."""

    REACH = "reach"
    CONVERSION = "conversion"
    DROP_OFF = "drop-off"
    MEDIAN_TIME = "median-time"
    CSAT = "csat"
    NPS = "nps"
    CES = "ces"


class Kpi(_Model):
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


SURVEY_METHODS = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}


class Feedback(_Model):
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


PropertyName = Annotated[str, StringConstraints(min_length=1, max_length=128)]


class EventMatch(_Model):
    """An event that marks a customer reaching a step: its name, and property values to match."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    where: dict[PropertyName, Annotated[str, StringConstraints(max_length=1000)] | Number] = Field(
        default_factory=dict,
        description="Property name -> value; every one must be equal (compared as text).",
    )


class Evidence(_Model):
    """Where content comes from (research traceability)."""

    kind: EvidenceKind
    source: str | None = None


class Link(_Model):
    """A link to a ticket, route, test or document: `http`, `https`, `mailto` or relative."""

    label: str | None = None
    url: Annotated[
        str,
        StringConstraints(min_length=1),
        Field(
            description="An http, https or mailto URL, or a relative path.",
            # Checked by `_safe_scheme`; the pattern is for editors using the JSON Schema.
            json_schema_extra={
                "pattern": r"^(?:(?:[Hh][Tt][Tt][Pp][Ss]?|[Mm][Aa][Ii][Ll][Tt][Oo]):"
                r"|(?![A-Za-z][A-Za-z0-9+.\-]*:)).*$"
            },
        ),
    ]

    @field_validator("url", mode="before")
    @classmethod
    def _safe_scheme(cls, value: Any) -> Any:
        if isinstance(value, str):
            # The scheme the browser will see in the page's href (escape.href writes the same).
            scheme = unsafe_scheme(value)
            if scheme is not None:
                raise ValueError(
                    f"link scheme '{scheme}:' is not allowed; "
                    "use an http, https or mailto URL or a relative path"
                )
        return value


def _event_to_object(value: Any) -> Any:
    """An `events` entry may be a plain event name, shorthand for `{name: ...}`."""
    return {"name": value} if isinstance(value, str) else value


Thoughts = Annotated[list[str], BeforeValidator(_as_list, json_schema_input_type=str | list[str])]
Events = list[
    Annotated[
        EventMatch, BeforeValidator(_event_to_object, json_schema_input_type=str | EventMatch)
    ]
]
PainPoints = list[
    Annotated[PainPoint, BeforeValidator(_text_to_object, json_schema_input_type=str | PainPoint)]
]
Opportunities = list[
    Annotated[
        Opportunity, BeforeValidator(_text_to_object, json_schema_input_type=str | Opportunity)
    ]
]


class Persona(_Located):
    """A customer archetype the journey is seen through."""

    id: Slug
    name: Text
    description: str | None = None
    goals: list[str] = Field(default_factory=list)
    needs: list[str] = Field(default_factory=list)
    pain_points: PainPoints = Field(default_factory=list)
    quote: str | None = None


class Channel(_Located):
    """A medium the customer uses: website, store, phone..."""

    id: Slug
    name: Text
    kind: ChannelKind | None = None
    description: str | None = None


class Step(_Located):
    """One thing the customer does, with what they think and feel and how it is measured."""

    id: Slug
    name: Text
    description: str | None = None
    persona: Slug | None = Field(
        default=None, description="A persona id; absent means every persona."
    )
    channel: Slug | None = Field(default=None, description="A channel id.")
    touchpoint: str | None = None
    action: str | None = None
    thoughts: Thoughts = Field(default_factory=list)
    emotion: Emotion | None = None
    pain_points: PainPoints = Field(default_factory=list)
    opportunities: Opportunities = Field(default_factory=list)
    kpis: list[Kpi] = Field(default_factory=list)
    feedback: list[Feedback] = Field(default_factory=list)
    frontstage: list[str] = Field(default_factory=list)
    backstage: list[str] = Field(default_factory=list)
    support: list[str] = Field(default_factory=list)
    owner: str | None = None
    evidence: list[Evidence] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    moment_of_truth: bool = False
    handoff: str | None = Field(
        default=None,
        description="What context carries over when the channel differs from the step before.",
    )
    next: list[Slug] | None = Field(
        default=None, description="Step ids this step leads to; absent means the next step."
    )
    events: Events = Field(
        default_factory=list,
        description="Events in the event log that mark a customer reaching this step "
        "(`journeymap measure`).",
    )


class Stage(_Located):
    """A phase of the journey; stages are in journey order."""

    id: Slug
    name: Text
    goal: str | None = None
    description: str | None = None
    steps: list[Step] = Field(default_factory=list)
    kpis: list[Kpi] = Field(default_factory=list)
    feedback: list[Feedback] = Field(default_factory=list)


class _Document(_Located):
    journeymap: Annotated[
        int,
        Field(
            strict=True,
            description=f"The format version: {FORMAT_VERSION}.",
            json_schema_extra={"const": FORMAT_VERSION},
        ),
    ]
    id: Slug | None = Field(
        default=None, description="Defaults to the file name up to its first dot."
    )
    description: str | None = None
    owner: str | None = None
    personas: list[Persona] = Field(default_factory=list)
    channels: list[Channel] = Field(default_factory=list)


class JourneyMap(_Document):
    """A customer journey map (format version 1)."""

    model_config = ConfigDict(title="Map")

    kind: Literal["map"] = "map"
    title: Text
    status: Status = Status.CURRENT
    updated: dt.date | None = Field(default=None, description="Last review date (YYYY-MM-DD).")
    tags: list[str] = Field(default_factory=list)
    uses: list[Text] = Field(
        default_factory=list,
        description="Library files (kind: library), relative to this file.",
    )
    stages: list[Stage] = Field(default_factory=list)


class Library(_Document):
    """Personas and channels shared by several maps (`kind: library`)."""

    model_config = ConfigDict(title="Library")

    kind: Literal["library"]
    title: str | None = None


AnyDocument = JourneyMap | Library


def schema_document() -> dict[str, Any]:
    """The JSON Schema of the format: a map or a library."""
    from pydantic.json_schema import models_json_schema

    _, top = models_json_schema(
        [(JourneyMap, "validation"), (Library, "validation")],
        ref_template="#/$defs/{model}",
    )
    defs = top["$defs"]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://journeymap.dev/schema/journeymap-1.schema.json",
        "title": "journeymap map format, version 1",
        "description": "A customer journey map, or a library of shared personas and channels.",
        "oneOf": [{"$ref": "#/$defs/JourneyMap"}, {"$ref": "#/$defs/Library"}],
        "$defs": dict(sorted(defs.items())),
    }
