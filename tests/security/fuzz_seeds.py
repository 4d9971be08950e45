"""Seeds for the coverage-guided fuzzer: the examples, the acceptance cases, and hostile maps.

`python tests/security/fuzz_seeds.py DIR` writes one file per seed into DIR (names are content
hashes, so running it again adds nothing twice).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from bombs import BOMBS, GROWTH
from hostile import HOSTILE

REPO = Path(__file__).resolve().parents[2]

_SMALL = """journeymap: 1
title: {text}
description: {text}
personas:
  - id: sam
    name: {text}
channels:
  - id: web
    name: {text}
stages:
  - id: s1
    name: {text}
    steps:
      - id: a
        name: {text}
        persona: sam
        channel: web
        emotion: -1
        thoughts: [{text}]
        pain_points: [{text}]
        links:
          - url: {url}
            label: {text}
  - id: s2
    name: {text}
    steps:
      - id: b
        name: {text}
        emotion: 1
"""

#: URLs a browser would read as script, behind what validation once stripped.
URLS = [
    "https://example.com/x",
    "javascript:alert(1)",
    "\u00a0javascript:alert(1)",
    "\u3000javascript:alert(1)",
    "\u2028javascript:alert(1)",
    "\u0085javascript:alert(1)",
    "\u1680javascript:alert(1)",
    " \tjava\nscript:alert(1)",
]

NAMES = [
    "z\\n::warning file=x::injected\\n.journey.yaml",
    "abc\\n.journey.yaml",
    "\\xff\\xfename.journey.yaml",
    "a\\r\\n\\n<img src=x>\\n\\n# h1\\n.journey.yaml",
    "@everyone https://evil.example.journey.yaml",
]


def seeds() -> list[bytes]:
    out = [p.read_bytes() for p in sorted((REPO / "examples").rglob("*.yaml"))]
    out += [p.read_bytes() for p in sorted((REPO / "tests" / "cases").rglob("*.yaml"))]
    for text in HOSTILE:
        for url in URLS[:2]:
            out.append(_SMALL.format(text=json.dumps(text), url=json.dumps(url)).encode())
    for url in URLS:
        out.append(_SMALL.format(text="ok", url=json.dumps(url)).encode())
    for name in NAMES:
        body = _SMALL.format(text=json.dumps("x\n::add-mask::hunter2\n"), url='"a"')
        out.append(f"# fuzz-name: {name}\n{body}".encode())
    out.append(b'journeymap: 1\ntitle: t\n"x\\n::add-mask::hunter2\\n::stop-commands::t\\n": 1\n')
    for bomb, size in BOMBS.values():
        out.append(bomb(max(2, size // 50 if size > 100 else size // 4)).encode())
    for grow in GROWTH.values():
        out.append(grow(50).encode())
    return out


def main(directory: Path) -> int:
    directory.mkdir(parents=True, exist_ok=True)
    for data in seeds():
        (directory / hashlib.sha256(data).hexdigest()[:16]).write_bytes(data)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
