"""From a loaded document to a checked model: shape errors, ids, references and libraries.

Every format problem becomes a located `Finding` (always an error). This is the one place where
references that span a map and its libraries are checked.

The parts: `shape` (a document against its model), `schema` (pydantic's errors as findings),
`references` (libraries, ids and references across files) and `journey` (the checked map).
"""

from __future__ import annotations

from journeymap.validation.journey import Journey, map_id
from journeymap.validation.references import LibraryLoader, resolve
from journeymap.validation.shape import check_version, validate_shape

__all__ = ["Journey", "LibraryLoader", "check_version", "map_id", "resolve", "validate_shape"]
