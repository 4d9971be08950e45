"""One document against the model of its kind (a map or a library): version, then shape.

No cross-file checks here (`references` does those). A valid model is located: each persona,
channel, stage and step knows its file and JSON Pointer, for lint findings.
"""

from __future__ import annotations

from pydantic import ValidationError

from journeymap.findings import Finding
from journeymap.loader import Document
from journeymap.model import FORMAT_VERSION, JourneyMap, Library
from journeymap.pointers import pointer
from journeymap.suggest import edit_distance
from journeymap.validation.schema import describe, schema_findings


def check_version(doc: Document) -> Finding | None:
    """A finding when the format version is missing or not this one's."""
    data = doc.data
    if "journeymap" not in data:
        misspelt = next(
            (k for k in data if isinstance(k, str) and edit_distance(k, "journeymap", 2) <= 2),
            None,
        )
        if misspelt is not None:
            return doc.finding(
                pointer([misspelt]),
                "version",
                f"unknown key '{misspelt}' (did you mean 'journeymap'?): the format version is "
                f"missing; write `journeymap: {FORMAT_VERSION}`",
                key=True,
            )
        return doc.finding(
            "",
            "version",
            f"missing the format version: add `journeymap: {FORMAT_VERSION}` at the top",
        )
    version = data["journeymap"]
    if version != FORMAT_VERSION or isinstance(version, bool):
        number = isinstance(version, int | float) and not isinstance(version, bool)
        if isinstance(version, dict | list):
            message = (
                f"`journeymap:` holds {describe(version)}, not a format version: a map starts "
                f"with `journeymap: {FORMAT_VERSION}` (a file of another tool with a "
                "`journeymap` entry, such as a CI job, is not a map: name it otherwise than "
                "*.journey.yaml, or exclude it in the configuration)"
            )
        else:
            message = (
                f"unsupported format version {version if number else describe(version)}: "
                f"this journeymap reads `journeymap: {FORMAT_VERSION}`"
            )
        return doc.finding("/journeymap", "version", message)
    return None


def validate_shape(doc: Document) -> tuple[JourneyMap | Library | None, list[Finding]]:
    """Check a document against the model of its kind; no cross-file checks."""
    version = check_version(doc)
    if version is not None:
        return None, [version]
    model: type[JourneyMap] | type[Library] = (
        Library if doc.data.get("kind") == "library" else JourneyMap
    )
    try:
        value = model.model_validate(doc.data)
    except ValidationError as err:
        return None, schema_findings(doc, err, model)
    _locate_all(value, doc.display)
    return value, []


def _locate_all(value: JourneyMap | Library, file: str) -> None:
    value.locate(file, "")
    for i, persona in enumerate(value.personas):
        persona.locate(file, f"/personas/{i}")
    for i, channel in enumerate(value.channels):
        channel.locate(file, f"/channels/{i}")
    if isinstance(value, JourneyMap):
        for i, stage in enumerate(value.stages):
            stage.locate(file, f"/stages/{i}")
            for j, step in enumerate(stage.steps):
                step.locate(file, f"/stages/{i}/steps/{j}")
