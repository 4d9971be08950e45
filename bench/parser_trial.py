"""The parser trial of the performance issue: could rapidyaml replace libyaml for the common case?

    .venv/bin/pip install rapidyaml      # not a dependency of journeymap: only this trial uses it
    .venv/bin/python bench/parser_trial.py [--maps 1000] [--repeat 5]

On the benchmark corpus (bench/corpus.py, the same 1,000 maps as the cold-lint row) it times,
in this process, best of `--repeat`:
- libyaml: `yaml.compose` with PyYAML's CSafeLoader (the node graph our loader walks), and our
  whole `journeymap.loader.load_text` (limits, positions, duplicate keys, YAML 1.2 scalars);
- rapidyaml: `ryml.parse_in_arena` (a tree of untyped strings), and rapidyaml -> JSON ->
  `json.loads` (plain values, still without positions);
and it tries, on small inputs, each guarantee our loader gives: line and column of every node,
duplicate keys refused, YAML 1.2 scalars (`no`, `on`, `1_000` stay strings; `0o17` is 15), and
a nesting depth limit applied before a deep document reaches the parser. It prints a Markdown
table and the verdict; docs/performance.md quotes it.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402


def best(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def guarantees() -> dict[str, str]:
    """What rapidyaml's Python binding does with each guarantee of our loader."""
    import ryml as r  # the same module, typed loosely

    out: dict[str, str] = {}
    tree = r.parse_in_arena(b"a: 1\nb: [x, y]\n")
    has_location = any("location" in name.lower() for name in dir(tree))
    out["line and column of each node"] = (
        "yes" if has_location else "no: the Python binding's Tree has no location API"
    )
    try:
        r.parse_in_arena(b"a: 1\na: 2\n")
        out["duplicate keys refused"] = "no: `a: 1` then `a: 2` parses without an error"
    except Exception:
        out["duplicate keys refused"] = "yes"
    scalars = r.parse_in_arena(b"a: no\nb: on\nc: 1_000\nd: 0o17\ne: 0x1F\nf: ~\ng: 1\nh: true\n")
    got = json.loads(r.emit_json_malloc(scalars, scalars.root_id()))
    core = {"a": "no", "b": "on", "c": "1_000", "d": 15, "e": 31, "f": None, "g": 1, "h": True}
    wrong = [f"`{k}: {v!r}` (YAML 1.2: {core[k]!r})" for k, v in got.items() if v != core[k]]
    out["YAML 1.2 scalars via JSON"] = (
        "yes"
        if not wrong
        else f"no: {', '.join(wrong)}; typing scalars ourselves would be Python code "
        "over every scalar again"
    )
    deep = b"a: " + b"[" * 100_000 + b"]" * 100_000 + b"\n"
    try:
        r.parse_in_arena(deep)
        out["depth limit before parsing"] = "none: 100,000 nested lists parse (no bound)"
    except Exception as err:
        out["depth limit before parsing"] = f"refused by the parser: {type(err).__name__}"
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--maps", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    try:
        import ryml
    except ImportError:
        print("parser trial: rapidyaml is not installed (.venv/bin/pip install rapidyaml)")
        return 2
    import yaml

    from journeymap.loader import DEFAULT_LIMITS, load_text

    with tempfile.TemporaryDirectory() as tmp:
        corpus.write(Path(tmp) / "maps", args.maps, 0)
        paths = sorted((Path(tmp) / "maps").glob("*.journey.yaml"))
        texts = [p.read_text("utf-8") for p in paths]
    raw = [t.encode("utf-8") for t in texts]
    size = sum(len(b) for b in raw)

    def ours() -> None:
        for index, text in enumerate(texts):
            load_text(text, f"m{index}.yaml", None, DEFAULT_LIMITS)

    def each(parse: Callable[[bytes, str], object]) -> Callable[[], None]:
        return lambda: [parse(b, t) for b, t in zip(raw, texts, strict=True)] and None

    rows = [
        (
            "PyYAML `yaml.load`, CSafeLoader",
            each(lambda b, t: yaml.load(t, Loader=yaml.CSafeLoader)),
        ),
        (
            "PyYAML `yaml.compose`, CSafeLoader",
            each(lambda b, t: yaml.compose(t, Loader=yaml.CSafeLoader)),
        ),
        ("journeymap loader (libyaml, positions, limits, YAML 1.2)", ours),
        ("rapidyaml `parse_in_arena`", each(lambda b, t: ryml.parse_in_arena(b))),
        (
            "rapidyaml -> JSON -> `json.loads`",
            each(
                lambda b, t: json.loads(
                    ryml.emit_json_malloc(tree := ryml.parse_in_arena(b), tree.root_id())
                )
            ),
        ),
    ]
    timed = [(name, best(args.repeat, work)) for name, work in rows]
    base = timed[0][1]
    print(f"{len(texts)} maps, {size / 1e6:.1f} MB, best of {args.repeat}\n")
    print("| parser | time | vs `yaml.load` |\n| --- | ---: | ---: |")
    for name, seconds in timed:
        print(f"| {name} | {seconds:.3f} s | {seconds / base:.2f}x |")
    print("\n| guarantee | rapidyaml |\n| --- | --- |")
    for name, verdict in guarantees().items():
        print(f"| {name} | {verdict} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
