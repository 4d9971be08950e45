"""A parsed YAML file as a `Document`: its data, its text, and its node graph, so that a
finding's JSON Pointer can be turned into a line and column only when it is reported.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from journeymap.findings import Finding, Severity
from journeymap.loader.compose import MERGE
from journeymap.pointers import parse_pointer, unescape


@dataclass
class Document:
    """A parsed YAML file: its data, its text, and its node graph for locating findings."""

    path: Path
    display: str
    text: str
    data: dict[str, Any]
    root: Node
    findings: list[Finding] = field(default_factory=list)  # duplicate keys and the like
    _lines: list[str] | None = field(default=None, repr=False)
    # Pointer -> (node, whether the pointer exists): findings share long prefixes
    # (/stages/2/steps/3/...), so each node is looked up once however many point below it.
    _located: dict[str, tuple[Node, bool]] = field(default_factory=dict, repr=False)
    # id(mapping node) -> key text -> (key node, value node), built once per mapping that a
    # finding points into: locating n findings in one mapping is O(n), not O(n * size).
    _keys: dict[int, dict[str, tuple[Node, Node]]] = field(default_factory=dict, repr=False)

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self.text.splitlines()
        return self._lines

    def node_at(self, ptr: str) -> Node:
        """The node at a JSON Pointer, or the deepest existing ancestor."""
        return self._locate(ptr)[0]

    def _locate(self, ptr: str) -> tuple[Node, bool]:
        found = self._located.get(ptr)
        if found is None:
            cut = ptr.rfind("/")
            if cut < 0:  # "" (or text before the first "/", which parse_pointer ignores too)
                found = (self.root, True)
            else:
                parent, exists = self._locate(ptr[:cut])
                part = unescape(ptr[cut + 1 :])
                child = self._child(parent, part) if exists else None
                found = (child, True) if child is not None else (parent, False)
            self._located[ptr] = found
        return found

    def nodes_along(self, ptr: str) -> list[Node]:
        """The nodes from the root down to the pointer (as far as it exists)."""
        node = self.root
        chain = [node]
        for part in parse_pointer(ptr):
            child = self._child(node, part)
            if child is None:
                break
            node = child
            chain.append(node)
        return chain

    def key_node_at(self, ptr: str) -> Node | None:
        """The key node of the mapping entry a pointer ends in (for unknown keys)."""
        cut = ptr.rfind("/")
        if cut < 0:
            return None
        parent, exists = self._locate(ptr[:cut])
        if not exists:
            return None
        part = unescape(ptr[cut + 1 :])
        entry = self._index(parent).get(part) if isinstance(parent, MappingNode) else None
        return entry[0] if entry is not None else None

    def _index(self, node: MappingNode) -> dict[str, tuple[Node, Node]]:
        """The mapping's entries by key text: its own first, then merged ones (own keys win,
        then the first of duplicates, as the constructor keeps them)."""
        index = self._keys.get(id(node))
        if index is None:
            index = {}
            for key, value in _pairs(node):
                if isinstance(key, ScalarNode):
                    index.setdefault(key.value, (key, value))
            self._keys[id(node)] = index
        return index

    def _child(self, node: Node, part: str) -> Node | None:
        if isinstance(node, MappingNode):
            entry = self._index(node).get(part)
            return entry[1] if entry is not None else None
        if isinstance(node, SequenceNode) and part.isdigit():
            index = int(part)
            if index < len(node.value):
                item: Node = node.value[index]
                return item
        return None

    def position(self, ptr: str, *, key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the node at `ptr` (or of its key, when `key`)."""
        node: Node | None = self.key_node_at(ptr) if key else None
        if node is None:
            node = self.node_at(ptr)
        mark = node.start_mark
        return mark.line + 1, mark.column + 1

    def finding(
        self,
        ptr: str,
        rule: str,
        message: str,
        severity: Severity = Severity.ERROR,
        *,
        key: bool = False,
    ) -> Finding:
        line, column = self.position(ptr, key=key)
        return Finding(self.display, line, column, rule, severity, message, ptr)


def _pairs(node: MappingNode) -> list[tuple[Node, Node]]:
    """A mapping's own pairs first, then those merged in with `<<` (own keys win).

    Each merged mapping is visited once however often it is merged (the constructor has
    charged every merge against the budget; this only needs each key once).
    """
    own = [(k, v) for k, v in node.value if k.tag != MERGE]
    if len(own) == len(node.value):
        return own
    merged: list[tuple[Node, Node]] = []
    seen: set[int] = {id(node)}
    # Depth first, in the constructor's order: a source's own keys, then what it merges.
    stack = [_sources(node)]
    while stack:
        source = next(stack[-1], None)
        if source is None:
            stack.pop()
        elif id(source) not in seen:
            seen.add(id(source))
            merged.extend((k, v) for k, v in source.value if k.tag != MERGE)
            stack.append(_sources(source))
    return own + merged


def _sources(node: MappingNode) -> Iterator[MappingNode]:
    """The mappings merged into `node` with `<<`, in order."""
    for key, value in node.value:
        if key.tag == MERGE:
            for source in value.value if isinstance(value, SequenceNode) else [value]:
                if isinstance(source, MappingNode):
                    yield source
