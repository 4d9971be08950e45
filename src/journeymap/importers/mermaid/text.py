"""Text as Mermaid treats it: entity codes (`#58;`, `#amp;`), `<br>`, and JavaScript numbers.

Mermaid encodes entity codes before it lexes a diagram, so their `#` and `;` do not end a text
or start a comment; here they are masked with private-use characters for the lexer and decoded
again in the text a map keeps.
"""

from __future__ import annotations

import html.entities
import math
import re

_MASK_HASH, _MASK_SEMI = "\ue000", "\ue001"
_MASKS = re.compile(f"[{_MASK_HASH}{_MASK_SEMI}]")
_ENTITY = re.compile(r"#\w+;", re.ASCII)  # \w as in JavaScript: ASCII only
_ENTITY_CODE = re.compile(r"#(\w+);", re.ASCII)
_BREAK = re.compile(r"<br\s*/?>", re.I)
# `\d+(?:\.\d*)?`, not `\d+\.?\d*`: digits that end in a letter are then tried one way, not
# split at each digit (a score of 20,000 digits and an `x` took 8 s).
_JS_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?", re.I)
_JS_RADIX = {"0x": 16, "0o": 8, "0b": 2}


def blank(text: str, start: int, end: int) -> str:
    """Text with [start, end) replaced by spaces, newlines kept (positions stay put)."""
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


def mask_entities(text: str) -> str:
    """Entity codes with their `#` and `;` masked, as Mermaid encodes them before lexing.

    A mask character the text already holds is written as its own masked entity code first,
    so that decoding gives it back rather than a `#` or `;`.
    """
    text = _MASKS.sub(lambda m: f"{_MASK_HASH}{ord(m.group())}{_MASK_SEMI}", text)
    return _ENTITY.sub(lambda m: _MASK_HASH + m.group()[1:-1] + _MASK_SEMI, text)


def _entity(match: re.Match[str]) -> str:
    name = match.group(1)
    if name.isdigit():
        code = int(name) if len(name) < 8 else -1
        if 0 < code < 0x110000 and not 0xD800 <= code < 0xE000:
            return chr(code)
        return match.group()
    return html.entities.html5.get(name + ";", match.group())


def decoded(masked: str) -> str:
    """Masked text as written, with its entity codes decoded (white space as it is)."""
    return _ENTITY_CODE.sub(_entity, masked.replace(_MASK_HASH, "#").replace(_MASK_SEMI, ";"))


def shown_text(raw: str) -> str:
    """Text as Mermaid draws it: entity codes decoded, `<br>` and whitespace as one space."""
    text = _BREAK.sub(" ", raw)  # before decoding: `#60;br#62;` is drawn as text
    return " ".join(decoded(text).split())


def js_number(text: str) -> float:
    """JavaScript's `Number(text)`, which journeyDb applies to a score."""
    s = text.strip()
    if not s:
        return 0.0
    if _JS_DECIMAL.fullmatch(s):
        return float(s)
    radix = _JS_RADIX.get(s[:2].lower())
    if radix is not None:
        try:
            return float(int(s[2:], radix))
        except ValueError:
            return math.nan
    if s in ("Infinity", "+Infinity"):
        return math.inf
    if s == "-Infinity":
        return -math.inf
    return math.nan
