"""A mutation fuzzer for journey maps: realistic files made hostile in small, typed steps.

Each case starts from one of the examples and applies one to three mutations, each from a named
class (`MUTATIONS`). A case is a pure function of (seed, number), so any failure reproduces from
the two numbers in its message.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass

Mutation = Callable[[str, random.Random], str]


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _pick_line(lines: list[str], rng: random.Random, *, content: bool = True) -> int:
    """A random line index, preferring lines with a `key: value` (the interesting ones)."""
    candidates = [i for i, line in enumerate(lines) if ":" in line] if content else []
    return rng.choice(candidates or list(range(len(lines))))


_VALUE = re.compile(r"^(\s*(?:- )?[A-Za-z_][\w-]*:)(\s+)(.+)$")


def delete_line(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    del lines[_pick_line(lines, rng, content=False)]
    return "\n".join(lines)


def duplicate_line(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    i = _pick_line(lines, rng)
    lines.insert(i, lines[i])
    return "\n".join(lines)


def swap_lines(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    i = _pick_line(lines, rng)
    j = min(len(lines) - 1, i + rng.randint(1, 5))
    lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)


def reindent(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    i = _pick_line(lines, rng)
    shift = rng.choice([-4, -2, -1, 1, 2, 4])
    lines[i] = " " * shift + lines[i] if shift > 0 else lines[i][-shift:]
    return "\n".join(lines)


_TYPED_VALUES = [
    "[]",
    "{}",
    "[a, b, [c, {d: e}]]",
    "{id: x, name: y}",
    "~",
    "null",
    "true",
    "False",
    "no",
    "on",
    "0",
    "-1",
    "3",
    "2.5",
    "-0.0",
    '""',
    "''",
    "'  '",
    "2026-13-45",
    "2026-02-29",
    "2026-10-14T10:00:00Z",
    "12:30:00",
    "0x1F",
    "0o17",
    "1_000",
    "+.inf",
    "-.inf",
    ".nan",
    "|\n  a block\n  scalar",
    ">-\n  folded",
]


def swap_type(text: str, rng: random.Random) -> str:
    """Replace a value with one of another type: list, mapping, null, bool, number, date."""
    lines = _lines(text)
    hits = [i for i, line in enumerate(lines) if _VALUE.match(line)]
    if not hits:
        return text
    i = rng.choice(hits)
    match = _VALUE.match(lines[i])
    assert match is not None
    lines[i] = f"{match.group(1)} {rng.choice(_TYPED_VALUES)}"
    return "\n".join(lines)


_HUGE_NUMBERS = [
    "1e999999",
    "-1e999999",
    "1e-999999",
    "9" * 5000,
    "-" + "9" * 64,
    "9" * 65,
    "0x" + "f" * 200,
    "0o" + "7" * 300,
    "1" + "_0" * 2000,
    "179769313486231570814527423731704356798070567525844996598917476803157260780028538"
    "760589558632766878171540458953514382464234321326889464182768467546703537516986049"
    "910576551282076245490090389328944075868508455133942304583236903222948165808559332"
    "123348274797826204144723168738177180919299881250404026184124858368.0",
    "4.9e-324",
    "2e308",
    "-0",
    "00000000000000000001",
    "1.0e+",
    "0x",
]


def huge_number(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    hits = [i for i, line in enumerate(lines) if _VALUE.match(line)]
    if not hits:
        return text
    i = rng.choice(hits)
    match = _VALUE.match(lines[i])
    assert match is not None
    lines[i] = f"{match.group(1)} {rng.choice(_HUGE_NUMBERS)}"
    return "\n".join(lines)


_TAGS = [
    "!!python/object/apply:os.system ['echo pwned > /tmp/journeymap-pwned']",
    "!!python/object/new:subprocess.Popen [['touch', '/tmp/journeymap-pwned']]",
    "!!python/name:os.system",
    "!!python/module:os",
    "!!python/tuple [1, 2]",
    "!!binary aGVsbG8=",
    "!!set {a, b}",
    "!!omap [a: 1]",
    "!!pairs [a: 1]",
    "!!timestamp 2026-01-01",
    "!!float '1.5'",
    "!!int 'twelve'",
    "!!bool maybe",
    "!!null 'x'",
    "!!str 12",
    "!!seq [a]",
    "!!map {a: 1}",
    "!custom value",
    "!<tag:example.com,2000:app/foo> bar",
    "!!merge x",
    "! plain",
]


def yaml_tag(text: str, rng: random.Random) -> str:
    """Put a tag before a value: object-building Python tags, binary, sets, custom tags."""
    lines = _lines(text)
    hits = [i for i, line in enumerate(lines) if _VALUE.match(line)]
    if not hits:
        return text
    i = rng.choice(hits)
    match = _VALUE.match(lines[i])
    assert match is not None
    tag = rng.choice(_TAGS)
    if rng.random() < 0.5:
        lines[i] = f"{match.group(1)} {tag}"
    else:
        lines[i] = f"{match.group(1)} {tag.split()[0]} {match.group(3)}"
    return "\n".join(lines)


def anchors(text: str, rng: random.Random) -> str:
    """Anchors, aliases, merges; cycles, undefined aliases and doubled anchors."""
    lines = _lines(text)
    hits = [i for i, line in enumerate(lines) if _VALUE.match(line)]
    if len(hits) < 2:
        return text
    i, j = sorted(rng.sample(hits, 2))
    a, b = _VALUE.match(lines[i]), _VALUE.match(lines[j])
    assert a is not None and b is not None
    kind = rng.randrange(7)
    if kind == 0:  # a plain alias of an earlier value
        lines[i] = f"{a.group(1)} &v {a.group(3)}"
        lines[j] = f"{b.group(1)} *v"
    elif kind == 1:  # an alias used before its anchor
        lines[i] = f"{a.group(1)} *later"
        lines[j] = f"{b.group(1)} &later {b.group(3)}"
    elif kind == 2:  # an alias that was never defined
        lines[j] = f"{b.group(1)} *nowhere"
    elif kind == 3:  # a cycle
        lines[i] = f"{a.group(1)} &loop [*loop]"
    elif kind == 4:  # a merge key, of a mapping or of a scalar
        indent = re.match(r"\s*(?:- )?", lines[j])
        pad = " " * len(indent.group(0)) if indent else ""
        lines[i] = f"{a.group(1)} &m {{k: v, id: merged}}"
        lines.insert(j + 1, f"{pad}<<: {rng.choice(['*m', '[*m, *m]', 'x', '[1]'])}")
    elif kind == 5:  # the same anchor twice
        lines[i] = f"{a.group(1)} &twice {a.group(3)}"
        lines[j] = f"{b.group(1)} &twice {b.group(3)}"
    else:  # a small alias bomb
        bomb = ["x-bomb-0: &b0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for level in range(1, rng.randint(3, 9)):
            prev = f"*b{level - 1}"
            bomb.append(f"x-bomb-{level}: &b{level} [{', '.join([prev] * 9)}]")
        if rng.random() < 0.5:
            bomb.append(f"title: *b{len(bomb) - 1}")
        lines = [*bomb, *lines]
    return "\n".join(lines)


def tabs(text: str, rng: random.Random) -> str:
    lines = _lines(text)
    i = _pick_line(lines, rng)
    line = lines[i]
    stripped = line.lstrip(" ")
    kind = rng.randrange(3)
    if kind == 0:
        lines[i] = "\t" * max(1, (len(line) - len(stripped)) // 2) + stripped
    elif kind == 1:
        lines[i] = line.replace(": ", ":\t", 1)
    else:
        lines[i] = line + "\t"
    return "\n".join(lines)


_CONTROL = [
    "\x00",
    "\x01",
    "\x07",
    "\x08",
    "\x0b",
    "\x0c",
    "\r",
    "\x1b[31mred\x1b[0m",
    "\x1b]0;title\x07",
    "\x1b[2J",
    "\x7f",
    "\x85",
    "\x9b",
    "\u2028",
    "\u2029",
    "\ufeff",
    "\ufffe",
    "\uffff",
    "\ud7ff",
    "\U0001f600",
    "\u0301",
]
_RTL = ["\u202e", "\u202d", "\u202a", "\u202b", "\u2066", "\u2067", "\u2068", "\u2069", "\u200f"]


def control_chars(text: str, rng: random.Random) -> str:
    """Control, bidi (Trojan Source) and odd Unicode characters, raw or escaped in quotes."""
    lines = _lines(text)
    i = _pick_line(lines, rng)
    char = rng.choice(_CONTROL + _RTL)
    line = lines[i]
    pos = rng.randint(0, len(line))
    if rng.random() < 0.5:
        lines[i] = line[:pos] + char + line[pos:]
    else:  # the same characters as YAML escapes inside a double-quoted value, which is legal
        match = _VALUE.match(line)
        if match:
            escaped = "".join(f"\\u{ord(c):04x}" if ord(c) < 0x10000 else c for c in char)
            lines[i] = f'{match.group(1)} "{escaped}{match.group(3).replace(chr(34), "")}"'
    return "\n".join(lines)


_ODD_YAML = [
    "---",
    "...",
    "--- !!map",
    "%YAML 1.1",
    "%YAML 9.9",
    "%TAG ! tag:yaml.org,2002:python/object/apply:",
    "? [complex, key]\n: value",
    "? {a: b}\n: value",
    ": no key",
    "[unclosed",
    "{unclosed: 1",
    "'unclosed",
    '"unclosed',
    "*",
    "&",
    "- - - -",
    "key: value: another",
    "@reserved",
    "`reserved",
    "x-" + "a" * 10000 + ": long key",
    "long: " + "a" * 200000,
    "deep: " + "[" * 80 + "]" * 80,
    "deep2: " + "{a: " * 70 + "b" + "}" * 70,
    "null: x",
    "true: x",
    "1: x",
    "2026-01-01: x",
    "~: x",
    "? !!python/object:os.system x\n: y",
    "journeymap: 1",
    "journeymap: 2",
    "journeymap: '1'",
    "kind: library",
    "kind: [library]",
    "uses: [/etc/passwd]",
    "uses: [../../../../../etc/passwd]",
    "uses: ['\\0']",
    "uses: [.]",
    "uses: ['']",
    "uses: [shared/personas.yaml, shared/personas.yaml]",
    "uses: " + "[" + ", ".join(["shared/personas.yaml"] * 200) + "]",
    "id: Not A Slug",
    "id: ''",
    "links: [{url: 'javascript:alert(1)'}]",
    "links: [{url: ' JaVa\\tScRiPt:alert(1)'}]",
    "links: [{url: 'data:text/html,<script>alert(1)</script>'}]",
    "links: [{url: 'vbscript:x'}]",
    "links: [{url: '//evil.example/x'}]",
]


def odd_yaml(text: str, rng: random.Random) -> str:
    """Directives, document markers, complex keys, unclosed flows, reserved characters."""
    lines = _lines(text)
    i = rng.randint(0, len(lines))
    line = lines[i - 1] if i else ""
    indent = " " * (len(line) - len(line.lstrip(" "))) if rng.random() < 0.5 else ""
    snippet = rng.choice(_ODD_YAML)
    lines.insert(i, "\n".join(indent + part for part in snippet.split("\n")))
    return "\n".join(lines)


def truncate(text: str, rng: random.Random) -> str:
    return text[: rng.randint(0, len(text))]


def flip_byte(text: str, rng: random.Random) -> str:
    """Change one character to a random one, YAML's indicators more often than not."""
    if not text:
        return text
    pos = rng.randrange(len(text))
    char: str = rng.choice([*":-[]{}&*!|>'\"%@`#,? \n", chr(rng.randint(0, 0x2FFF))])
    return text[:pos] + char + text[pos + 1 :]


MUTATIONS: dict[str, Mutation] = {
    "delete-line": delete_line,
    "duplicate-line": duplicate_line,
    "swap-lines": swap_lines,
    "reindent": reindent,
    "swap-type": swap_type,
    "huge-number": huge_number,
    "yaml-tag": yaml_tag,
    "anchors": anchors,
    "tabs": tabs,
    "control-chars": control_chars,
    "odd-yaml": odd_yaml,
    "truncate": truncate,
    "flip-byte": flip_byte,
}


@dataclass(frozen=True)
class Case:
    number: int
    source: str  # which example file was mutated (relative to the examples folder)
    mutations: tuple[str, ...]
    text: str
    encode_errors: bool  # whether to write invalid UTF-8 (lone surrogates as raw bytes)

    def data(self) -> bytes:
        if self.encode_errors:
            return self.text.encode("utf-8", "surrogateescape")
        return self.text.encode("utf-8", "surrogatepass")


def make_case(seed: int, number: int, sources: dict[str, str]) -> Case:
    """Case `number` of the run with `seed`: one to three mutations of one source file."""
    rng = random.Random(f"{seed}:{number}")
    source = rng.choice(sorted(sources))
    text = sources[source]
    names = tuple(rng.choice(sorted(MUTATIONS)) for _ in range(rng.choice([1, 1, 2, 3])))
    for name in names:
        text = MUTATIONS[name](text, rng)
    encode_errors = rng.random() < 0.02
    if encode_errors:
        pos = rng.randint(0, len(text))
        text = text[:pos] + rng.choice(["\udcff", "\udcc3", "\udce2\udc82"]) + text[pos:]
    return Case(number, source, names, text, encode_errors)
