"""What a step or a persona notes beside its story: pain points, opportunities, evidence, links."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, StringConstraints, field_validator

from journeymap.escape import off_site, unsafe_scheme
from journeymap.model.base import Model, Text, text_to_object


class Level(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class OpportunityStatus(StrEnum):
    IDEA = "idea"
    PLANNED = "planned"
    DONE = "done"


class EvidenceKind(StrEnum):
    OBSERVED = "observed"
    REPORTED = "reported"
    INFERRED = "inferred"
    ASSUMED = "assumed"


class PainPoint(Model):
    """A pain point: text, or `{text, severity, owner}`."""

    text: Text
    severity: Level | None = None
    owner: str | None = None


class Opportunity(Model):
    """An improvement idea: text, or `{text, priority, owner, status}`."""

    text: Text
    priority: Level | None = None
    owner: str | None = None
    status: OpportunityStatus | None = None


class Evidence(Model):
    """Where content comes from (research traceability)."""

    kind: EvidenceKind
    source: str | None = None


class Link(Model):
    """A link to a ticket, route, test or document: `http`, `https`, `mailto` or relative."""

    label: str | None = None
    url: Annotated[
        str,
        StringConstraints(min_length=1),
        Field(
            description="An http, https or mailto URL, or a relative path.",
            # Checked by `_safe_url`; the pattern is for editors using the JSON Schema.
            json_schema_extra={
                "pattern": r"^(?:(?:[Hh][Tt][Tt][Pp][Ss]?|[Mm][Aa][Ii][Ll][Tt][Oo]):"
                r"|(?![A-Za-z][A-Za-z0-9+.\-]*:|[/\\]{2})).*$"
            },
        ),
    ]

    @field_validator("url", mode="before")
    @classmethod
    def _safe_url(cls, value: Any) -> Any:
        if isinstance(value, str):
            # The scheme the browser will see in the page's href (escape.href writes the same).
            scheme = unsafe_scheme(value)
            if scheme is not None:
                raise ValueError(
                    f"link scheme '{scheme}:' is not allowed; "
                    "use an http, https or mailto URL or a relative path"
                )
            start = off_site(value)
            if start is not None:
                raise ValueError(
                    f"a link starting with '{start}' leads to another site, though it looks "
                    "relative; write the whole https:// URL, or a path with one leading '/'"
                )
        return value


PainPoints = list[
    Annotated[PainPoint, BeforeValidator(text_to_object, json_schema_input_type=str | PainPoint)]
]
Opportunities = list[
    Annotated[
        Opportunity, BeforeValidator(text_to_object, json_schema_input_type=str | Opportunity)
    ]
]
