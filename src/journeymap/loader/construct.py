"""Plain Python values from the node graph: duplicate keys found, `x-` keys dropped, work bounded.

Only plain data is built (text, numbers, booleans, null, lists, mappings); any other tag is
refused. The problems that stop construction are `AtNode` exceptions carrying the node, which
the loader turns into located findings.
"""

from __future__ import annotations

from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from journeymap.findings import Finding, Severity
from journeymap.loader.compose import BOOL, FLOAT, INT, MAP, MERGE, NULL, SEQ, STR
from journeymap.loader.source import Limits

# Text is charged too where aliases can repeat it: one node per this many characters, so
# that 10,000 aliases of a 100 KB string (1 GB of text in any report that quotes them) are
# over the budget, while the text of a file without anchors (at most `max-bytes`) costs little.
_CHARS_PER_NODE = 64


class Constructor:
    """Builds dicts, lists and scalars from nodes; collects duplicate keys; counts work.

    The budget (`max-nodes`) is charged on every path that builds something: each scalar,
    list and mapping, each mapping key, each mapping merged in with `<<` (before it is built,
    at its expanded size), the `x-` subtrees that are dropped, and, in a file with anchors,
    the length of each piece of text. An input's work is therefore linear in its size up to
    the budget, whatever its aliases and merges do.
    """

    def __init__(self, doc_display: str, limits: Limits, *, aliases: bool = True) -> None:
        self.display = doc_display
        self.limits = limits
        self.budget = limits.max_nodes
        self.findings: list[Finding] = []
        self.sizes: dict[int, int] = {}
        # The collections being built, outermost first. Aliases can nest deeper than the text
        # does (a chain of anchors) or refer to an enclosing anchor (a cycle), so depth is
        # checked again here, with aliases expanded. Without them (`aliases` False: the text
        # has no anchor) the text's depth, checked before composing, is the depth: nothing to
        # track.
        self.open: dict[int, Node] = {}
        self.tracking = aliases

    def enter(self, node: Node) -> None:
        if id(node) in self.open:
            raise Cycle(node)
        if len(self.open) >= self.limits.max_depth:
            raise TooDeep(node)
        self.open[id(node)] = node

    def leave(self, node: Node) -> None:
        del self.open[id(node)]

    def build(self, node: Node) -> Any:
        if isinstance(node, MappingNode):
            return self.mapping(node)  # which charges itself (merges call it directly)
        self.budget -= 1
        if self.budget < 0:
            raise TooBig(node)
        if isinstance(node, ScalarNode):
            if self.tracking:
                self.budget -= len(node.value) // _CHARS_PER_NODE
            return self.scalar(node)
        if isinstance(node, SequenceNode):
            if node.tag != SEQ:
                raise BadTag(node)
            if self.tracking:
                self.enter(node)
            items = [self._item(item) for item in node.value]
            if self.budget < 0:
                raise TooBig(node)
            if self.tracking:
                self.leave(node)
            return items
        raise BadTag(node)  # pragma: no cover - the composer yields only these

    def _item(self, node: Node) -> Any:
        """`build` with the most common case inline: most values in a map are plain text."""
        if node.__class__ is ScalarNode and node.tag == STR:
            # checked once the enclosing collection is built
            self.budget -= 1 + len(node.value) // _CHARS_PER_NODE if self.tracking else 1
            return node.value
        return self.build(node)

    def expanded_size(self, node: Node) -> int:
        """How many nodes a subtree becomes with aliases expanded, without expanding it."""
        known = self.sizes.get(id(node))
        if known is not None:
            return known
        size = 1
        if isinstance(node, SequenceNode | MappingNode):
            self.enter(node)
            if isinstance(node, SequenceNode):
                size += sum(self.expanded_size(item) for item in node.value)
            else:
                size += sum(self.expanded_size(k) + self.expanded_size(v) for k, v in node.value)
            self.leave(node)
        self.sizes[id(node)] = size
        return size

    def mapping(self, node: MappingNode) -> dict[str, Any]:
        if node.tag != MAP:
            raise BadTag(node)
        # The mapping and each of its keys (keys are nodes too, and aliases can make them big).
        self.budget -= 1 + len(node.value)
        if self.budget < 0:
            raise TooBig(node)
        if self.tracking:
            self.enter(node)
        out: dict[str, Any] = {}
        seen: set[str] = set()
        merges: list[Node] = []
        for key_node, value_node in node.value:
            key_tag = key_node.tag
            if key_tag == STR and key_node.__class__ is ScalarNode:  # the usual key: text
                key = key_node.value
                if self.tracking:
                    self.budget -= len(key) // _CHARS_PER_NODE
                    if self.budget < 0:  # before a duplicate-key finding quotes it
                        raise TooBig(node)
            elif key_tag == MERGE:
                merges.append(value_node)
                continue
            elif isinstance(key_node, ScalarNode):
                key = self.scalar(key_node)
                if not isinstance(key, str):
                    key = str(key).lower() if isinstance(key, bool) else str(key)
            else:
                raise BadKey(key_node)
            if key in seen:
                self._duplicate(key_node, key)
                continue
            seen.add(key)
            if key.startswith("x-"):
                # Extension keys are the user's and we keep none of them, but a bomb hidden
                # there would still explode in the next tool that reads the file: count it.
                self.budget -= self.expanded_size(value_node)
                if self.budget < 0:
                    raise TooBig(value_node)
                continue
            if value_node.__class__ is ScalarNode and value_node.tag == STR:  # as in _item
                value = value_node.value
                self.budget -= 1 + len(value) // _CHARS_PER_NODE if self.tracking else 1
                out[key] = value
            else:
                out[key] = self.build(value_node)
        if merges:
            self._merge(node, merges, out)
        if self.budget < 0:
            raise TooBig(node)
        if self.tracking:
            self.leave(node)
        return out

    def _duplicate(self, key_node: Node, key: str) -> None:
        mark = key_node.start_mark
        self.findings.append(
            Finding(
                self.display,
                mark.line + 1,
                mark.column + 1,
                "duplicate-key",
                Severity.ERROR,
                f"duplicate key '{_shorten(key)}': a key may appear only once in a mapping",
            )
        )

    def _merge(self, node: MappingNode, merges: list[Node], out: dict[str, Any]) -> None:
        """The mappings merged into `node` with `<<`: their keys where `out` has none."""
        for merge in merges:
            sources = merge.value if isinstance(merge, SequenceNode) else [merge]
            for source in sources:
                if not isinstance(source, MappingNode):
                    raise BadKey(source)
                # Charged at its expanded size before it is built: merges of merges double
                # per level (a "merge bomb") and are refused here after a few levels.
                if self.expanded_size(source) > self.budget:
                    raise TooBig(node)
                for key, value in self.mapping(source).items():
                    out.setdefault(key, value)

    def scalar(self, node: ScalarNode) -> Any:
        tag, value = node.tag, node.value
        if tag == STR:
            return value
        if tag == NULL:
            return None
        if tag == BOOL:
            if value.lower() not in ("true", "false"):
                raise BadTag(node)
            return value.lower() == "true"
        if tag == INT:
            text = value.replace("_", "")
            if len(text) > 64:  # a huge literal is not a number anyone means; keep it as text
                return value
            try:
                if text[:2] in ("0x", "0o"):
                    return int(text, 16 if text[1] == "x" else 8)
                return int(text)
            except ValueError:
                raise BadTag(node) from None
        if tag == FLOAT:
            text = value.replace("_", "")
            if text.lower().lstrip("+-") in (".inf", ".nan"):  # YAML's spelling of inf and nan
                text = text.replace(".", "")
            try:
                return float(text)
            except ValueError:
                raise BadTag(node) from None
        if tag == "tag:yaml.org,2002:timestamp":
            return value
        raise BadTag(node)


def _shorten(text: str, most: int = 80) -> str:
    """Text quoted in a message: one line, at most `most` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= most else flat[: most - 1] + "…"


class AtNode(Exception):
    """A construction problem at a node; the loader turns it into a located finding."""

    def __init__(self, node: Node) -> None:
        self.node = node


class TooBig(AtNode):
    """Over the budget, while building this node."""


class TooDeep(AtNode):
    pass


class Cycle(AtNode):
    pass


class BadTag(AtNode):
    pass


class BadKey(AtNode):
    pass


def paths_to(root: Node, wanted: set[tuple[int, int]]) -> dict[tuple[int, int], list[str | int]]:
    """The paths to the mapping keys that start at the `wanted` (line, column) positions.

    One walk for all of them, visiting each node once, so that a file full of duplicate keys
    costs no more than one without.
    """
    found: dict[tuple[int, int], list[str | int]] = {}
    seen: set[int] = set()

    def walk(node: Node, path: list[str | int]) -> None:
        if id(node) in seen or len(found) == len(wanted):
            return
        seen.add(id(node))
        if isinstance(node, MappingNode):
            for key, value in node.value:
                mark = key.start_mark
                position = (mark.line + 1, mark.column + 1)
                if position in wanted and position not in found:
                    found[position] = [*path, str(key.value)]
                walk(value, [*path, str(key.value)])
        elif isinstance(node, SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, [*path, index])

    if wanted:
        walk(root, [])
    return found
