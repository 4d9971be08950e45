"""The documents of the format: a map (stages of steps) and a library, with personas and channels.

References between ids (persona, channel, next), uniqueness of ids and library paths are
checked in one place, `journeymap.validation.resolve`, because they span the map and the
libraries it uses.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field, StrictBool

from journeymap.model.base import FORMAT_VERSION, Emotion, Located, Slug, Text
from journeymap.model.measures import Events, Feedback, Kpi, StageFeedback
from journeymap.model.notes import Evidence, Link, Opportunities, PainPoints


class ChannelKind(StrEnum):
    DIGITAL = "digital"
    PHYSICAL = "physical"
    HUMAN = "human"
    PARTNER = "partner"


class Status(StrEnum):
    CURRENT = "current"
    FUTURE = "future"


def _as_list(value: Any) -> Any:
    """`thoughts: text` is shorthand for a list of one."""
    return [value] if isinstance(value, str) else value


Thoughts = Annotated[list[str], BeforeValidator(_as_list, json_schema_input_type=str | list[str])]


class Persona(Located):
    """A customer archetype the journey is seen through."""

    id: Slug
    name: Text
    description: str | None = None
    goals: list[str] = Field(default_factory=list)
    needs: list[str] = Field(default_factory=list)
    pain_points: PainPoints = Field(default_factory=list)
    quote: str | None = None


class Channel(Located):
    """A medium the customer uses: website, store, phone..."""

    id: Slug
    name: Text
    kind: ChannelKind | None = None
    description: str | None = None


class Step(Located):
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
    moment_of_truth: StrictBool = False  # YAML 1.2: only true/false, not "yes" nor 1
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


class Stage(Located):
    """A phase of the journey; stages are in journey order."""

    id: Slug
    name: Text
    goal: str | None = None
    description: str | None = None
    steps: list[Step] = Field(default_factory=list)
    kpis: list[Kpi] = Field(default_factory=list)
    feedback: list[StageFeedback] = Field(
        default_factory=list,
        description="Feedback collected over the stage; a survey is measured on its step.",
    )


class _Document(Located):
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
