"""The map format, version 1 (see the spec in README and `journeymap schema`), as pydantic models.

Everything here is shape and value checks; references between ids (persona, channel, next),
uniqueness of ids and library paths are checked in one place, `journeymap.validation.resolve`,
because they span the map and the libraries it uses.

Extension keys (`x-...`) are dropped by the loader before validation and allowed by the schema.

The parts: `base` (the base classes and field types every model shares), `journey` (the map and
the library: personas, channels, stages, steps), `notes` (pain points, opportunities, evidence,
links), `measures` (KPIs, feedback, events) and `schema` (the JSON Schema). The names below are
the format's vocabulary, importable from here.
"""

from __future__ import annotations

from journeymap.model.base import FORMAT_VERSION, SLUG_PATTERN, SLUG_RE
from journeymap.model.journey import (
    AnyDocument,
    Channel,
    ChannelKind,
    JourneyMap,
    Library,
    Persona,
    Stage,
    Status,
    Step,
)
from journeymap.model.measures import (
    KEY_NOT_ALLOWED,
    SURVEY_METHODS,
    Better,
    EventMatch,
    Feedback,
    FeedbackMethod,
    Kpi,
    Measure,
    StageFeedback,
)
from journeymap.model.notes import (
    Evidence,
    EvidenceKind,
    Level,
    Link,
    Opportunity,
    OpportunityStatus,
    PainPoint,
)
from journeymap.model.schema import schema_document

__all__ = [
    "FORMAT_VERSION",
    "KEY_NOT_ALLOWED",
    "SLUG_PATTERN",
    "SLUG_RE",
    "SURVEY_METHODS",
    "AnyDocument",
    "Better",
    "Channel",
    "ChannelKind",
    "EventMatch",
    "Evidence",
    "EvidenceKind",
    "Feedback",
    "FeedbackMethod",
    "JourneyMap",
    "Kpi",
    "Level",
    "Library",
    "Link",
    "Measure",
    "Opportunity",
    "OpportunityStatus",
    "PainPoint",
    "Persona",
    "Stage",
    "StageFeedback",
    "Status",
    "Step",
    "schema_document",
]
