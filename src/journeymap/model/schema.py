"""The JSON Schema of the format (`journeymap schema`, schema/journeymap-1.schema.json)."""

from __future__ import annotations

from typing import Any

from journeymap.model.journey import JourneyMap, Library


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
