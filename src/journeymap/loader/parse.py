"""Parsing YAML text into a `Document`: compose with libyaml, construct values ourselves.

`journeymap.loader` re-exports `load_text` and `load`; this module is imported on the first
parse, so that a run answered from the cache never imports PyYAML.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, SequenceNode

from journeymap.loader.compose import (
    COMPOSE_SAFELY,
    CONTENT,
    Loader,
    depth_bound,
    position,
    too_deep,
    too_deep_event,
)
from journeymap.loader.construct import (
    AtNode,
    BadTag,
    Constructor,
    Cycle,
    TooBig,
    TooDeep,
    paths_to,
)
from journeymap.loader.document import Document
from journeymap.loader.source import DEFAULT_LIMITS, Limits, fail, read
from journeymap.pointers import pointer


def load_text(
    text: str, display: str, path: Path | None = None, limits: Limits = DEFAULT_LIMITS
) -> Document:
    """Parse YAML text into a Document, or raise LoadError with the first fatal problem."""
    if CONTENT.search(text) is None:
        raise fail(display, "schema", "empty file: a map needs at least `journeymap: 1`")
    bound = depth_bound(text)
    root = _compose(text, display, limits, bound)
    # Depth is tracked while building where anchors could deepen it or the text may nest
    # deeper than the limit.
    tracking = "&" in text or bound > limits.max_depth
    constructor = Constructor(display, limits, aliases=tracking)
    data = _construct(constructor, root, display, limits)
    paths = paths_to(root, {(f.line, f.column) for f in constructor.findings})
    findings = [
        replace(f, path=pointer(paths.get((f.line, f.column), []))) for f in constructor.findings
    ]
    return Document(
        path=path or Path(display),
        display=display,
        text=text,
        data=data,
        root=root,
        findings=findings,
    )


def _compose(text: str, display: str, limits: Limits, bound: int) -> MappingNode:
    """The node graph of the text's top-level mapping; YAML errors as located LoadErrors."""
    if bound > COMPOSE_SAFELY:
        deep = too_deep_event(text, limits.max_depth)
        if deep is not None:
            raise fail(display, "limits", too_deep(limits), *position(deep.start_mark))
    loader = Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = err.problem or "invalid YAML"
        if "depth" in problem:  # a limit of the parser build's own, not a mistake in the text
            raise fail(display, "limits", too_deep(limits), line, column) from None
        from journeymap.yamlerrors import explain

        found = explain(text, err)
        raise fail(display, "syntax", found.message, found.line, found.column) from None
    except yaml.reader.ReaderError as err:
        # The reader stops at the first character YAML does not allow, so that character's
        # first occurrence is the place (libyaml's `position` counts UTF-8 bytes, not characters).
        at = text.find(chr(err.character)) if isinstance(err.character, int) else -1
        if at < 0:  # pragma: no cover - both parsers give the character as a code point
            at = err.position
        before = text[:at]
        line = before.count("\n") + 1
        column = at - (before.rfind("\n") + 1) + 1
        raise fail(
            display,
            "syntax",
            f"character U+{err.character:04X} is not allowed in YAML ({err.reason})"
            if isinstance(err.character, int)
            else f"invalid character in YAML ({err.reason})",
            line,
            column,
        ) from None
    except yaml.YAMLError as err:  # pragma: no cover - libyaml reports everything as marked
        raise fail(display, "syntax", f"YAML error: {err}") from None
    finally:
        loader.dispose()
    if root is None:
        raise fail(display, "schema", "empty file: a map needs at least `journeymap: 1`")
    if not isinstance(root, MappingNode):
        mark = root.start_mark
        raise fail(
            display,
            "schema",
            "the top level must be a mapping (`journeymap: 1`, `title: ...`, ...), "
            f"not a {'list' if isinstance(root, SequenceNode) else 'single value'}",
            mark.line + 1,
            mark.column + 1,
        )
    return root


def _construct(
    constructor: Constructor, root: MappingNode, display: str, limits: Limits
) -> dict[str, Any]:
    """The data of the top-level mapping; a construction problem as a located LoadError."""
    try:
        return constructor.mapping(root)
    except AtNode as err:
        rule, message = _problem(err, limits)
        raise fail(display, rule, message, *position(err.node.start_mark)) from None


def _problem(err: AtNode, limits: Limits) -> tuple[str, str]:
    """The rule and message of a problem that stopped construction at a node."""
    if isinstance(err, TooBig):
        return "limits", (
            f"the document expands to more than {limits.max_nodes:,} nodes "
            "(an alias bomb or a merge bomb, or a file far larger than a journey map); "
            "the limit was reached here (raise `limits.max-nodes` if this is intended)"
        )
    if isinstance(err, TooDeep):
        return "limits", too_deep(limits)
    if isinstance(err, Cycle):
        return "syntax", (
            "an alias refers to the anchor it is inside of: the value would contain itself"
        )
    if isinstance(err, BadTag):
        return "syntax", (
            f"tag {err.node.tag} is not allowed here: journeymap reads plain YAML data only"
        )
    return "schema", "a mapping key must be plain text, not a list or mapping"  # BadKey


def load(path: Path, display: str | None = None, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read and parse one YAML file."""
    shown = display if display is not None else str(path)
    return load_text(read(path, shown, limits), shown, path, limits)
