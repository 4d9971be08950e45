"""YAML text to a node graph: libyaml's parser and composer, the YAML 1.2 core schema, and
the nesting bound checked before composing (libyaml's composer recurses on the C stack).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml
from yaml.nodes import Node, SequenceNode

from journeymap.loader.source import Limits

try:  # the C parser is ~7x faster; fall back to the pure-Python one where libyaml is missing
    from yaml import CSafeLoader as BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as BaseLoader  # type: ignore[assignment]


STR = "tag:yaml.org,2002:str"
NULL = "tag:yaml.org,2002:null"
BOOL = "tag:yaml.org,2002:bool"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
MERGE = "tag:yaml.org,2002:merge"
SEQ = "tag:yaml.org,2002:seq"
MAP = "tag:yaml.org,2002:map"
SCALAR_TAGS = {STR, NULL, BOOL, INT, FLOAT, "tag:yaml.org,2002:timestamp"}


class Resolver(yaml.resolver.BaseResolver):
    """The YAML 1.2 core schema: no `yes`/`no`/`on`/`off` booleans, no sexagesimal numbers,
    no implicit timestamps (dates stay text and the model parses them)."""


Resolver.add_implicit_resolver(
    BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
Resolver.add_implicit_resolver(
    INT, re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789")
)
Resolver.add_implicit_resolver(
    FLOAT,
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+.0123456789"),
)
Resolver.add_implicit_resolver(NULL, re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
Resolver.add_implicit_resolver(MERGE, re.compile(r"^(?:<<)$"), ["<"])


_IMPLICIT: dict[str, list[tuple[str, re.Pattern[str]]]] = Resolver.yaml_implicit_resolvers


_NO_PATHS: dict[object, object] = {}


class Loader(BaseLoader, Resolver):
    """libyaml's parser and composer with our resolver; construction is ours (below)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)

    yaml_implicit_resolvers = Resolver.yaml_implicit_resolvers

    # The composer calls descend_resolver(parent, index) and ascend_resolver() around every
    # node, for path resolvers, which we do not use. Methods that do nothing would still cost
    # a Python call each (a tenth of composing); these builtins do nothing at C speed.
    descend_resolver = staticmethod(_NO_PATHS.get)  # type: ignore[assignment]
    ascend_resolver = staticmethod(tuple)  # type: ignore[assignment]

    @staticmethod
    def resolve(kind: type[Node], value: str | None, implicit: tuple[bool, bool]) -> str:
        """BaseResolver.resolve without path resolvers: it runs once per node, so it is hot."""
        if value is None:  # a collection: only scalars have a value here
            return SEQ if kind is SequenceNode else MAP
        if implicit[0]:
            candidates = _IMPLICIT.get(value[:1])
            if candidates is not None:
                for tag, regexp in candidates:
                    if regexp.match(value):
                        return tag
        return STR


# Nesting deeper than this risks libyaml's recursive composer overflowing the C stack, so we
# bound it before composing. A cheap upper bound clears ordinary files; only when it is over the
# limit do we count exactly, from the parser's own events. The bound must never be below the
# true depth (brackets inside quoted text are counted as opening ones: never as closing ones,
# which text such as `["]",` could use to hide real nesting).
_LEADING = re.compile(r"^[ \t?-]+", re.MULTILINE)
_WIDE_LEADING = re.compile(r"\n[ \t?-]{16}")  # a literal first: far faster than ^ per line


# The start of a line's content: not blank, not a comment. Usually found at once, on line 1.
CONTENT = re.compile(r"^[^\S\n]*[^\s#]", re.MULTILINE)


# Above this many possible levels the text's depth is counted from parser events before
# composing. Below it, composing is safe for the C stack and under libyaml's own limit (1000 in
# builds since PyYAML 6.0.3, none before), and the constructor counts the depth as it builds: so
# every PyYAML release reports the same finding at the same place.
COMPOSE_SAFELY = 512


def depth_bound(text: str) -> int:
    """An upper bound on how deep the text nests: never below the true depth."""
    if _WIDE_LEADING.search("\n" + text) is None:  # no line indented 16 or more: the usual case
        widest = 15
    else:
        widest = max((len(m) for m in _LEADING.findall(text)), default=0)
    # Flow collections nest no deeper than there are opening brackets.
    return text.count("[") + text.count("{") + 2 * widest + 2


def too_deep_event(text: str, limit: int) -> yaml.Event | None:
    """The first collection that the parser's events nest deeper than `limit`, if any.

    libyaml builds since PyYAML 6.0.3 stop at their own nesting depth (1000) while scanning
    ahead, before reporting a single event; the pure-Python parser has no such limit and
    parses iteratively, so it gives the same answer for every PyYAML release. It only runs when
    the C parser fails, which ordinary maps never make it do.
    """
    try:
        return _first_too_deep(yaml.parse(text, Loader=BaseLoader), limit)
    except yaml.YAMLError:
        pass
    try:
        return _first_too_deep(yaml.parse(text, Loader=yaml.SafeLoader), limit)
    except yaml.YAMLError:
        return None  # a real syntax error: the composer reports it with its position


def _first_too_deep(events: Iterator[yaml.Event], limit: int) -> yaml.Event | None:
    depth = 0
    for event in events:
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > limit:
                return event
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


def too_deep(limits: Limits) -> str:
    return (
        f"nesting deeper than the limit of {limits.max_depth} levels of lists and mappings "
        "(raise `limits.max-depth` in the configuration if this is intended)"
    )


def position(mark: Any) -> tuple[int, int]:
    """1-based (line, column) of a mark from either parser (libyaml's or PyYAML's)."""
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
