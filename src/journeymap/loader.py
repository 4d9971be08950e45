"""Safe YAML loading with limits, and a way back from any node to its line and column.

The C parser (libyaml) composes the node graph; we construct plain Python values from it
ourselves so that we can reject duplicate keys, keep `yes`/`no`/`on`/`off` as text (YAML 1.2
core schema), drop `x-` extension keys, refuse tags that build objects, and bound the work an
alias bomb can cause. The node graph is kept so a finding can be located lazily: positions are
only looked up for the few nodes that have findings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from journeymap.findings import Finding, Severity
from journeymap.pointers import parse_pointer, pointer, unescape

try:  # the C parser is ~7x faster; fall back to the pure-Python one where libyaml is missing
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


@dataclass(frozen=True)
class Limits:
    """Bounds on the work one input file can cause (see docs/security.md)."""

    max_bytes: int = 4 * 1024 * 1024
    max_depth: int = 64
    max_nodes: int = 500_000  # counted after alias expansion


DEFAULT_LIMITS = Limits()

_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_MERGE = "tag:yaml.org,2002:merge"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_SCALAR_TAGS = {_STR, _NULL, _BOOL, _INT, _FLOAT, "tag:yaml.org,2002:timestamp"}


class _Resolver(yaml.resolver.BaseResolver):
    """The YAML 1.2 core schema: no `yes`/`no`/`on`/`off` booleans, no sexagesimal numbers,
    no implicit timestamps (dates stay text and the model parses them)."""


_Resolver.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Resolver.add_implicit_resolver(
    _INT, re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"), list("-+0123456789")
)
_Resolver.add_implicit_resolver(
    _FLOAT,
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+.0123456789"),
)
_Resolver.add_implicit_resolver(_NULL, re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""])
_Resolver.add_implicit_resolver(_MERGE, re.compile(r"^(?:<<)$"), ["<"])


_IMPLICIT: dict[str, list[tuple[str, re.Pattern[str]]]] = _Resolver.yaml_implicit_resolvers


_NO_PATHS: dict[object, object] = {}


class _Loader(_BaseLoader, _Resolver):
    """libyaml's parser and composer with our resolver; construction is ours (below)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)

    yaml_implicit_resolvers = _Resolver.yaml_implicit_resolvers

    # The composer calls descend_resolver(parent, index) and ascend_resolver() around every
    # node, for path resolvers, which we do not use. Methods that do nothing would still cost
    # a Python call each (a tenth of composing); these builtins do nothing at C speed.
    descend_resolver = staticmethod(_NO_PATHS.get)  # type: ignore[assignment]
    ascend_resolver = staticmethod(tuple)  # type: ignore[assignment]

    @staticmethod
    def resolve(kind: type[Node], value: str | None, implicit: tuple[bool, bool]) -> str:
        """BaseResolver.resolve without path resolvers: it runs once per node, so it is hot."""
        if value is None:  # a collection: only scalars have a value here
            return _SEQ if kind is SequenceNode else _MAP
        if implicit[0]:
            candidates = _IMPLICIT.get(value[:1])
            if candidates is not None:
                for tag, regexp in candidates:
                    if regexp.match(value):
                        return tag
        return _STR


class LoadError(Exception):
    """The file could not be turned into data; `finding` says where and why."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


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
    own = [(k, v) for k, v in node.value if k.tag != _MERGE]
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
            merged.extend((k, v) for k, v in source.value if k.tag != _MERGE)
            stack.append(_sources(source))
    return own + merged


def _sources(node: MappingNode) -> Iterator[MappingNode]:
    """The mappings merged into `node` with `<<`, in order."""
    for key, value in node.value:
        if key.tag == _MERGE:
            for source in value.value if isinstance(value, SequenceNode) else [value]:
                if isinstance(source, MappingNode):
                    yield source


# Nesting deeper than this risks libyaml's recursive composer overflowing the C stack, so we
# bound it before composing. A cheap upper bound clears ordinary files; only when it is over the
# limit do we count exactly, from the parser's own events. The bound must never be below the
# true depth (brackets inside quoted text are counted as opening ones: never as closing ones,
# which text such as `["]",` could use to hide real nesting).
_LEADING = re.compile(r"^[ \t?-]+", re.MULTILINE)
_WIDE_LEADING = re.compile(r"\n[ \t?-]{16}")  # a literal first: far faster than ^ per line


# The start of a line's content: not blank, not a comment. Usually found at once, on line 1.
_CONTENT = re.compile(r"^[^\S\n]*[^\s#]", re.MULTILINE)


# Above this many possible levels the text's depth is counted from parser events before
# composing. Below it, composing is safe for the C stack and under libyaml's own limit (1000 in
# builds since PyYAML 6.0.3, none before), and the constructor counts the depth as it builds: so
# every PyYAML release reports the same finding at the same place.
_COMPOSE_SAFELY = 512


def _depth_bound(text: str) -> int:
    """An upper bound on how deep the text nests: never below the true depth."""
    if _WIDE_LEADING.search("\n" + text) is None:  # no line indented 16 or more: the usual case
        widest = 15
    else:
        widest = max((len(m) for m in _LEADING.findall(text)), default=0)
    # Flow collections nest no deeper than there are opening brackets.
    return text.count("[") + text.count("{") + 2 * widest + 2


def _too_deep_event(text: str, limit: int) -> yaml.Event | None:
    """The first collection that the parser's events nest deeper than `limit`, if any.

    libyaml builds since PyYAML 6.0.3 stop at their own nesting depth (1000) while scanning
    ahead, before reporting a single event; the pure-Python parser has no such limit and
    parses iteratively, so it gives the same answer for every PyYAML release. It only runs when
    the C parser fails, which ordinary maps never make it do.
    """
    try:
        return _first_too_deep(yaml.parse(text, Loader=_BaseLoader), limit)
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


# Text is charged too where aliases can repeat it: one node per this many characters, so
# that 10,000 aliases of a 100 KB string (1 GB of text in any report that quotes them) are
# over the budget, while the text of a file without anchors (at most `max-bytes`) costs little.
_CHARS_PER_NODE = 64


class _Constructor:
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
            raise _Cycle(node)
        if len(self.open) >= self.limits.max_depth:
            raise _TooDeep(node)
        self.open[id(node)] = node

    def leave(self, node: Node) -> None:
        del self.open[id(node)]

    def build(self, node: Node) -> Any:
        if isinstance(node, MappingNode):
            return self.mapping(node)  # which charges itself (merges call it directly)
        self.budget -= 1
        if self.budget < 0:
            raise _TooBig(node)
        if isinstance(node, ScalarNode):
            if self.tracking:
                self.budget -= len(node.value) // _CHARS_PER_NODE
            return self.scalar(node)
        if isinstance(node, SequenceNode):
            if node.tag != _SEQ:
                raise _BadTag(node)
            if self.tracking:
                self.enter(node)
            items = [self._item(item) for item in node.value]
            if self.budget < 0:
                raise _TooBig(node)
            if self.tracking:
                self.leave(node)
            return items
        raise _BadTag(node)  # pragma: no cover - the composer yields only these

    def _item(self, node: Node) -> Any:
        """`build` with the most common case inline: most values in a map are plain text."""
        if node.__class__ is ScalarNode and node.tag == _STR:
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
        if node.tag != _MAP:
            raise _BadTag(node)
        # The mapping and each of its keys (keys are nodes too, and aliases can make them big).
        self.budget -= 1 + len(node.value)
        if self.budget < 0:
            raise _TooBig(node)
        if self.tracking:
            self.enter(node)
        out: dict[str, Any] = {}
        seen: set[str] = set()
        merges: list[Node] = []
        for key_node, value_node in node.value:
            key_tag = key_node.tag
            if key_tag == _STR and key_node.__class__ is ScalarNode:  # the usual key: text
                key = key_node.value
                if self.tracking:
                    self.budget -= len(key) // _CHARS_PER_NODE
                    if self.budget < 0:  # before a duplicate-key finding quotes it
                        raise _TooBig(node)
            elif key_tag == _MERGE:
                merges.append(value_node)
                continue
            elif isinstance(key_node, ScalarNode):
                key = self.scalar(key_node)
                if not isinstance(key, str):
                    key = str(key).lower() if isinstance(key, bool) else str(key)
            else:
                raise _BadKey(key_node)
            if key in seen:
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
                continue
            seen.add(key)
            if key.startswith("x-"):
                # Extension keys are the user's and we keep none of them, but a bomb hidden
                # there would still explode in the next tool that reads the file: count it.
                self.budget -= self.expanded_size(value_node)
                if self.budget < 0:
                    raise _TooBig(value_node)
                continue
            if value_node.__class__ is ScalarNode and value_node.tag == _STR:  # as in _item
                value = value_node.value
                self.budget -= 1 + len(value) // _CHARS_PER_NODE if self.tracking else 1
                out[key] = value
            else:
                out[key] = self.build(value_node)
        for merge in merges:
            sources = merge.value if isinstance(merge, SequenceNode) else [merge]
            for source in sources:
                if not isinstance(source, MappingNode):
                    raise _BadKey(source)
                # Charged at its expanded size before it is built: merges of merges double
                # per level (a "merge bomb") and are refused here after a few levels.
                if self.expanded_size(source) > self.budget:
                    raise _TooBig(node)
                for key, value in self.mapping(source).items():
                    out.setdefault(key, value)
        if self.budget < 0:
            raise _TooBig(node)
        if self.tracking:
            self.leave(node)
        return out

    def scalar(self, node: ScalarNode) -> Any:
        tag, value = node.tag, node.value
        if tag == _STR:
            return value
        if tag == _NULL:
            return None
        if tag == _BOOL:
            if value.lower() not in ("true", "false"):
                raise _BadTag(node)
            return value.lower() == "true"
        if tag == _INT:
            text = value.replace("_", "")
            if len(text) > 64:  # a huge literal is not a number anyone means; keep it as text
                return value
            try:
                if text[:2] in ("0x", "0o"):
                    return int(text, 16 if text[1] == "x" else 8)
                return int(text)
            except ValueError:
                raise _BadTag(node) from None
        if tag == _FLOAT:
            try:
                return float(value.replace("_", "").replace("inf", "Inf").replace("INF", "Inf"))
            except ValueError:
                raise _BadTag(node) from None
        if tag == "tag:yaml.org,2002:timestamp":
            return value
        raise _BadTag(node)


def _shorten(text: str, most: int = 80) -> str:
    """Text quoted in a message: one line, at most `most` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= most else flat[: most - 1] + "…"


class _AtNode(Exception):
    """A construction problem at a node; the loader turns it into a located finding."""

    def __init__(self, node: Node) -> None:
        self.node = node


class _TooBig(_AtNode):
    """Over the budget, while building this node."""


class _TooDeep(_AtNode):
    pass


class _Cycle(_AtNode):
    pass


class _BadTag(_AtNode):
    pass


class _BadKey(_AtNode):
    pass


def _paths_to(root: Node, wanted: set[tuple[int, int]]) -> dict[tuple[int, int], list[str | int]]:
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


def _too_deep(limits: Limits) -> str:
    return (
        f"nesting deeper than the limit of {limits.max_depth} levels of lists and mappings "
        "(raise `limits.max-depth` in the configuration if this is intended)"
    )


def _position(mark: Any) -> tuple[int, int]:
    """1-based (line, column) of a mark from either parser (libyaml's or PyYAML's)."""
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _fail(display: str, rule: str, message: str, line: int = 1, column: int = 1) -> LoadError:
    return LoadError(Finding(display, line, column, rule, Severity.ERROR, message))


def decode(raw: bytes, display: str) -> str:
    """UTF-8 text from bytes, or a located `encoding` error."""
    if b"\x00" in raw:
        return _raise(
            _fail(display, "encoding", "binary file: contains NUL bytes, not UTF-8 YAML text")
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise _fail(
            display,
            "encoding",
            f"not UTF-8: byte 0x{raw[err.start]:02x} at line {line} cannot be decoded "
            "(save the file as UTF-8)",
            line,
            column,
        ) from None


def _raise(err: LoadError) -> str:
    raise err


def read_bytes(path: Path, display: str, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """A regular file's bytes, reading no more than one byte past the size limit.

    A FIFO, device or socket (a map in a pull request can be a link to `/dev/zero`) is an
    `encoding` error, never read; other OSErrors are the caller's to report.
    """
    from journeymap.files import NotRegularFile, read_bounded

    try:
        return read_bounded(path, limits.max_bytes)
    except IsADirectoryError:  # where a folder cannot be opened at all
        raise _fail(display, "syntax", "is a directory, not a YAML file") from None
    except NotRegularFile as err:
        if err.strerror == "a directory":
            raise _fail(display, "syntax", "is a directory, not a YAML file") from None
        raise _fail(
            display,
            "encoding",
            "not a regular file (a FIFO, device or socket): journeymap reads only files",
        ) from None


def read(
    path: Path, display: str, limits: Limits = DEFAULT_LIMITS, raw: bytes | None = None
) -> str:
    """The text of a file (or of its bytes already read), within the size limit, as UTF-8."""
    if raw is None:
        raw = read_bytes(path, display, limits)
    if len(raw) > limits.max_bytes:
        raise _fail(
            display,
            "limits",
            f"file is larger than the limit of {limits.max_bytes:,} bytes "
            "(raise `limits.max-bytes` in the configuration if this is intended)",
        )
    return decode(raw, display)


def load_text(
    text: str, display: str, path: Path | None = None, limits: Limits = DEFAULT_LIMITS
) -> Document:
    """Parse YAML text into a Document, or raise LoadError with the first fatal problem."""
    if _CONTENT.search(text) is None:
        raise _fail(display, "schema", "empty file: a map needs at least `journeymap: 1`")
    bound = _depth_bound(text)
    if bound > _COMPOSE_SAFELY:
        deep = _too_deep_event(text, limits.max_depth)
        if deep is not None:
            raise _fail(display, "limits", _too_deep(limits), *_position(deep.start_mark))
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = err.problem or "invalid YAML"
        if "depth" in problem:  # a limit of the parser build's own, not a mistake in the text
            raise _fail(display, "limits", _too_deep(limits), line, column) from None
        from journeymap.yamlerrors import explain

        found = explain(text, err)
        raise _fail(display, "syntax", found.message, found.line, found.column) from None
    except yaml.reader.ReaderError as err:
        before = text[: err.position]
        line = before.count("\n") + 1
        column = err.position - (before.rfind("\n") + 1) + 1
        raise _fail(
            display,
            "syntax",
            f"character U+{err.character:04X} is not allowed in YAML ({err.reason})"
            if isinstance(err.character, int)
            else f"invalid character in YAML ({err.reason})",
            line,
            column,
        ) from None
    except yaml.YAMLError as err:  # pragma: no cover - libyaml reports everything as marked
        raise _fail(display, "syntax", f"YAML error: {err}") from None
    finally:
        loader.dispose()
    if root is None:
        raise _fail(display, "schema", "empty file: a map needs at least `journeymap: 1`")
    if not isinstance(root, MappingNode):
        mark = root.start_mark
        raise _fail(
            display,
            "schema",
            "the top level must be a mapping (`journeymap: 1`, `title: ...`, ...), "
            f"not a {'list' if isinstance(root, SequenceNode) else 'single value'}",
            mark.line + 1,
            mark.column + 1,
        )
    # Depth is tracked while building where anchors could deepen it or the text may nest
    # deeper than the limit.
    tracking = "&" in text or bound > limits.max_depth
    constructor = _Constructor(display, limits, aliases=tracking)
    try:
        data = constructor.mapping(root)
    except _TooBig as err:
        raise _fail(
            display,
            "limits",
            f"the document expands to more than {limits.max_nodes:,} nodes "
            "(an alias bomb or a merge bomb, or a file far larger than a journey map); "
            "the limit was reached here (raise `limits.max-nodes` if this is intended)",
            *_position(err.node.start_mark),
        ) from None
    except _TooDeep as err:
        raise _fail(display, "limits", _too_deep(limits), *_position(err.node.start_mark)) from None
    except _Cycle as err:
        mark = err.node.start_mark
        raise _fail(
            display,
            "syntax",
            "an alias refers to the anchor it is inside of: the value would contain itself",
            mark.line + 1,
            mark.column + 1,
        ) from None
    except _BadTag as err:
        mark = err.node.start_mark
        raise _fail(
            display,
            "syntax",
            f"tag {err.node.tag} is not allowed here: journeymap reads plain YAML data only",
            mark.line + 1,
            mark.column + 1,
        ) from None
    except _BadKey as err:
        mark = err.node.start_mark
        raise _fail(
            display,
            "schema",
            "a mapping key must be plain text, not a list or mapping",
            mark.line + 1,
            mark.column + 1,
        ) from None
    paths = _paths_to(root, {(f.line, f.column) for f in constructor.findings})
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


def load(path: Path, display: str | None = None, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read and parse one YAML file."""
    shown = display if display is not None else str(path)
    return load_text(read(path, shown, limits), shown, path, limits)
