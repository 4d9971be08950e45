"""Hostile inputs of a chosen size: the bombs of issue 12 and growth tests, and fuzzer seeds.

Each function returns the text of a map whose work grows with `n`; at the sizes in `BOMBS` the
unbounded loader ran for minutes or ran out of memory. Each must now answer in under 2 s and
200 MB with a located `limits` error (tests/security/test_budget.py).
"""

from __future__ import annotations

from collections.abc import Callable

HEAD = (
    "journeymap: 1\ntitle: Bomb\nstages:\n  - id: s\n    name: S\n    steps:\n"
    "      - id: a\n        name: A\n"
)


def merge_keys(n: int) -> str:
    """`aN: &aN {<<: [*aN-1, *aN-1]}` over `a0: &a0 {}`: merges of empty mappings, doubling."""
    lines = ["a0: &a0 {}"]
    lines += [f"a{i}: &a{i} {{<<: [*a{i - 1}, *a{i - 1}]}}" for i in range(1, n + 1)]
    return HEAD + "\n".join(lines) + "\n"


def alias_keys(n: int, size: int = 100_000) -> str:
    """`n` lines of `*a : 1` where `a` is a `size`-character string."""
    lines = [f"x-big: &a {'x' * size}", "extra:"]
    lines += [f"  ? *a\n  : {i}" for i in range(n)]
    return HEAD + "\n".join(lines) + "\n"


def unknown_alias_keys(n: int, size: int = 100_000) -> str:
    """`n` unknown keys, each an alias of one long string plus a distinct suffix key."""
    lines = [f"x-big: &a {'y' * size}"]
    lines += [f"k{i}: {{? *a : {i}}}" for i in range(n)]
    return HEAD + "\n".join(lines) + "\n"


def unknown_keys(n: int) -> str:
    """`n` unknown keys at the top level (each a schema finding to locate)."""
    return HEAD + "".join(f"unknown{i}: {i}\n" for i in range(n))


def quoted_brackets(n: int) -> str:
    """Flow nesting with a quoted `]` per level: a bracket count stays near zero."""
    return HEAD + "x-deep: " + '["]",' * n + "1" + "]" * n + "\n"


def nodes(n: int) -> str:
    """`n` thoughts on one step: plain nodes, the linear case."""
    return HEAD + "        thoughts:\n" + "".join(f"          - thought {i}\n" for i in range(n))


def aliases(n: int) -> str:
    """`n` aliases of one small list, under a key that is built (an `x-` one is only counted)."""
    lines = ["x-base: &b [1, 2, 3, 4]", "refs:"] + ["  - *b"] * n
    return HEAD + "\n".join(lines) + "\n"


def merges(n: int) -> str:
    """`n` mappings each merging one small mapping (built, as with `aliases`)."""
    lines = ["x-base: &b {p: 1, q: 2, r: 3}", "merged:"]
    lines += [f"  - {{<<: *b, own{i}: {i}}}" for i in range(n)]
    return HEAD + "\n".join(lines) + "\n"


#: name -> (the bomb, the size issue 12 reported as hanging or exhausting memory)
BOMBS: dict[str, tuple[Callable[[int], str], int]] = {
    "merge-keys": (merge_keys, 40),
    "alias-keys": (alias_keys, 10_000),
    "unknown-alias-keys": (unknown_alias_keys, 10_000),
    "quoted-brackets": (quoted_brackets, 400),
}

#: Inputs whose work must grow linearly, for the growth property (tests/security/test_growth.py).
GROWTH: dict[str, Callable[[int], str]] = {
    "nodes": nodes,
    "keys": unknown_keys,
    "aliases": aliases,
    "merges": merges,
}
