"""journeymap's layers, checked against its imports and drawn for docs/architecture.md.

    .venv/bin/python scripts/architecture.py            # print the problems (exit 1 if any)
    .venv/bin/python scripts/architecture.py --write    # regenerate docs/architecture.md's parts

Every module of `src/journeymap` belongs to one layer (the longest prefix in LAYERS wins). A
module may import from its own layer and the layers below it, never from a layer above; two
units (the prefixes of LAYERS) of one layer must not import each other both ways; no module
imports another module's private (`_name`) name. Modules stay at most MAX_MODULE_LINES lines
and functions at most MAX_FUNCTION_LINES, except the data tables named in EXEMPT.
tests/test_architecture.py runs these checks and compares docs/architecture.md with
`--write`'s output.
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
DOC = ROOT / "docs" / "architecture.md"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60

# (layer, what it owns, the module prefixes in it), from the top (the command line) down.
LAYERS: list[tuple[str, str, tuple[str, ...]]] = [
    (
        "cli",
        "parses arguments, calls one function, prints, exits",
        (
            "journeymap.cli",
            "journeymap.entry",
            "journeymap.__main__",
        ),
    ),
    (
        "commands",
        "one function per command: runs a whole command, returns results or raises typed errors",
        (
            "journeymap.lint.run",
            "journeymap.render.run",
            "journeymap.measure.command",
            "journeymap.serve",
            "journeymap.init",
            "journeymap.importers",
            "journeymap.exporters",
        ),
    ),
    (
        "outputs",
        "finished data in, text or files out: reporters, renderers, diff, measures",
        (
            "journeymap.report",
            "journeymap.render",
            "journeymap.diff",
            "journeymap.measure",
            "journeymap.spreadsheet",
        ),
    ),
    ("rules", "the lint rules and their engine, suppressions", ("journeymap.lint",)),
    (
        "pipeline",
        "from a path to inspected maps: discovery, the per-file pipeline, worker pool, cache",
        (
            "journeymap.inputs",
            "journeymap.inspection",
            "journeymap.pool",
            "journeymap.cache",
            "journeymap.cache_index",
            "journeymap.runner",
            "journeymap.mapids",
            "journeymap.measure.use",
            "journeymap.measure.shape",
            "journeymap.measure.plan",
        ),
    ),
    ("validation", "references, libraries, ids: a map as a whole", ("journeymap.validation",)),
    ("config", "the configuration files and their settings", ("journeymap.config",)),
    (
        "loader",
        "YAML text to a located document, within limits",
        ("journeymap.loader", "journeymap.yamlerrors"),
    ),
    (
        "model",
        "the map format's types, and what is defined on them once",
        ("journeymap.model", "journeymap.pointers", "journeymap.transitions"),
    ),
    (
        "foundation",
        "findings, escaping for each output, files, small shared helpers",
        (
            "journeymap",
            "journeymap.findings",
            "journeymap.escape",
            "journeymap.files",
            "journeymap.durations",
            "journeymap.suggest",
            "journeymap.words",
            "journeymap.csp",
            "journeymap.project",
            "journeymap.choices",
        ),
    ),
]

# Data tables, allowed past the size limits: "module" or "module:function".
EXEMPT: dict[str, str] = {}


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the imported module
    name: str | None  # the imported name, for `from x import name`
    line: int


def modules() -> dict[str, Path]:
    """Every module of the package, by dotted name."""
    found: dict[str, Path] = {}
    for path in sorted((SRC / "journeymap").rglob("*.py")):
        parts = list(path.relative_to(SRC).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(mods: dict[str, Path]) -> list[Import]:
    """Every import of a journeymap module, at the top or inside a function."""
    out: list[Import] = []
    for name, path in mods.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                out += [
                    Import(name, a.name, None, node.lineno)
                    for a in node.names
                    if a.name.split(".")[0] == "journeymap"
                ]
            elif isinstance(node, ast.ImportFrom):
                base = _absolute(node, package)
                if base.split(".")[0] != "journeymap":
                    continue
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    if full in mods:
                        out.append(Import(name, full, None, node.lineno))
                    else:
                        out.append(Import(name, base, alias.name, node.lineno))
    return out


def _absolute(node: ast.ImportFrom, package: str) -> str:
    if not node.level:
        return node.module or ""
    parts = package.split(".")
    base = ".".join(parts[: len(parts) - node.level + 1])
    return f"{base}.{node.module}" if node.module else base


def unit_of(module: str) -> tuple[int, str] | None:
    """(layer index, unit prefix) of a module: the longest matching prefix (the package
    `journeymap` itself covers only its `__init__`)."""
    best: tuple[int, str] | None = None
    for index, (_, _, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            covers = module == prefix or (
                prefix != "journeymap" and module.startswith(prefix + ".")
            )
            if covers and (best is None or len(prefix) > len(best[1])):
                best = (index, prefix)
    return best


def layer_problems(mods: dict[str, Path], found: list[Import]) -> dict[str, str]:
    """Modules without a layer, imports up the layers, private names, two-way unit imports;
    keyed by what stays the same when lines move."""
    problems = {m: f"{m}: belongs to no layer (add it to LAYERS)" for m in mods if not unit_of(m)}
    pairs: dict[tuple[str, str], Import] = {}
    for item in found:
        source, target = unit_of(item.source), unit_of(item.target)
        where = f"{item.source}:{item.line}"
        if item.name and item.name.startswith("_") and item.name != "__version__":
            key = f"{item.source} -> {item.target}.{item.name}"
            problems[key] = f"{where}: imports the private name {item.target}.{item.name}"
        if source is None or target is None or source[1] == target[1]:
            continue
        if target[0] < source[0]:
            problems.setdefault(
                f"{item.source} -> {item.target}",
                f"{where}: {LAYERS[source[0]][0]} imports {item.target} of the "
                f"{LAYERS[target[0]][0]} layer above it",
            )
        elif target[0] == source[0]:
            pairs.setdefault((source[1], target[1]), item)
    for (a, b), item in sorted(pairs.items()):
        if a < b and (b, a) in pairs:
            other = pairs[(b, a)]
            problems[f"{a} <-> {b}"] = (
                f"{item.source}:{item.line} and {other.source}:{other.line}: {a} and {b} "
                "import each other"
            )
    return problems


def size_problems(mods: dict[str, Path]) -> dict[str, str]:
    """Modules over MAX_MODULE_LINES lines and functions over MAX_FUNCTION_LINES."""
    problems = {}
    for name, path in mods.items():
        text = path.read_text("utf-8")
        lines = len(text.splitlines())
        if lines > MAX_MODULE_LINES and name not in EXEMPT:
            problems[name] = f"{name}: {lines} lines (at most {MAX_MODULE_LINES})"
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                key = f"{name}:{node.name}"
                if length > MAX_FUNCTION_LINES and key not in EXEMPT:
                    problems[key] = (
                        f"{key} (line {node.lineno}): {length} lines (at most {MAX_FUNCTION_LINES})"
                    )
    return problems


def diagram(mods: dict[str, Path], found: list[Import]) -> str:
    """The layers as a Mermaid flowchart: one box per layer holding its units, and an arrow
    from a unit to each unit it imports, leaving out the arrows that a longer path already
    implies (the transitive reduction), so that the picture stays readable."""
    present: dict[str, int] = {}
    for module in mods:
        place = unit_of(module)
        if place is not None:
            present[place[1]] = place[0]
    edges: dict[str, set[str]] = {unit: set() for unit in present}
    for item in found:
        source, target = unit_of(item.source), unit_of(item.target)
        if source and target and source[1] != target[1]:
            edges[source[1]].add(target[1])
    ids = {unit: f"u{n}" for n, unit in enumerate(sorted(present))}
    lines = ["flowchart TD"]
    for index, (name, _, prefixes) in enumerate(LAYERS):
        lines.append(f'    subgraph L{index}["{name}"]')
        lines += [f'        {ids[u]}["{_short(u)}"]' for u in prefixes if u in present]
        lines.append("    end")
    for source in sorted(edges):
        for target in sorted(edges[source]):
            if not _reachable(edges, source, target):
                lines.append(f"    {ids[source]} --> {ids[target]}")
    return "\n".join(lines) + "\n"


def _short(unit: str) -> str:
    return unit.removeprefix("journeymap.") if unit != "journeymap" else "journeymap/__init__"


def _reachable(edges: dict[str, set[str]], source: str, target: str) -> bool:
    """Whether `target` is reachable from `source` other than by the direct arrow."""
    seen: set[str] = set()
    stack = [n for n in edges[source] if n != target]
    while stack:
        node = stack.pop()
        if node == target:
            return True
        if node not in seen:
            seen.add(node)
            stack += edges[node]
    return False


def owners(mods: dict[str, Path]) -> str:
    """A Markdown table: each unit and the first line of its docstring."""
    rows = ["| Layer | Module | What it owns |", "| --- | --- | --- |"]
    for layer, _, prefixes in LAYERS:
        for prefix in prefixes:
            path = mods.get(prefix)
            if path is None:
                continue
            doc = ast.get_docstring(ast.parse(path.read_text("utf-8"))) or ""
            first = doc.strip().split("\n\n")[0].replace("\n", " ").replace("|", "\\|")
            rel = path.relative_to(ROOT).as_posix()
            rows.append(f"| {layer} | [`{prefix}`](../{rel}) | {first} |")
    return "\n".join(rows) + "\n"


_BLOCK = re.compile(r"(<!-- generated: (\w+) -->\n)(.*?)(<!-- end generated -->)", re.DOTALL)


def document(text: str, mods: dict[str, Path], found: list[Import]) -> str:
    """docs/architecture.md with its generated blocks made current."""
    parts = {
        "diagram": f"```mermaid\n{diagram(mods, found)}```\n",
        "owners": owners(mods),
    }
    return _BLOCK.sub(lambda m: m.group(1) + parts[m.group(2)] + m.group(4), text)


def main(argv: list[str]) -> int:
    mods = modules()
    found = imports(mods)
    if "--write" in argv:
        current = DOC.read_text("utf-8")
        DOC.write_text(document(current, mods, found), "utf-8")
        return 0
    problems = {**layer_problems(mods, found), **size_problems(mods)}
    for problem in problems.values():
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
