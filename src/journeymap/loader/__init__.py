"""Safe YAML loading with limits, and a way back from any node to its line and column.

The C parser (libyaml) composes the node graph; we construct plain Python values from it
ourselves so that we can reject duplicate keys, keep `yes`/`no`/`on`/`off` as text (YAML 1.2
core schema), drop `x-` extension keys, refuse tags that build objects, and bound the work an
alias bomb can cause. The node graph is kept so a finding can be located lazily: positions are
only looked up for the few nodes that have findings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from journeymap.loader.source import (
    DEFAULT_LIMITS,
    Limits,
    LoadError,
    decode,
    fail,
    read,
    read_bytes,
)

if TYPE_CHECKING:
    from journeymap.loader.document import Document
    from journeymap.loader.parse import load, load_text

__all__ = [
    "DEFAULT_LIMITS",
    "Document",
    "Limits",
    "LoadError",
    "decode",
    "fail",
    "load",
    "load_text",
    "read",
    "read_bytes",
]

# Imported when first asked for: reading a file's bytes and its limits need no YAML parser,
# and a run whose results all come from the cache never parses (nor imports PyYAML).
_LAZY = {"Document": "document", "load": "parse", "load_text": "parse"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
