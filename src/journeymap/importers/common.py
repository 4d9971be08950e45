"""What every importer shares: ids made from names, the imported map, and its YAML text.

An importer turns a foreign file into plain map data (dicts and lists in the order of the map
format) and `Finding`s located in that file; this module gives the data ids, writes it as a
readable map, and checks that what it wrote is a valid map.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from journeymap.findings import Finding, Severity
from journeymap.model import SLUG_RE
from journeymap.words import plural

MAX_ID = 48  # characters of a generated id; longer names are cut at a word


class ImportFailure(Exception):
    """The file cannot be imported at all (exit 2): missing, unreadable, not of the kind."""


def slug(text: str, fallback: str) -> str:
    """An id from a name: ASCII letters and digits joined by `-`, at most MAX_ID long."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", " ", ascii_text.lower()).split()
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > MAX_ID:
            out = out or word[:MAX_ID]
            break
        out = candidate
    return out if SLUG_RE.match(out) else fallback


class Ids:
    """Unique ids within one kind (stages, steps, personas...): `checkout`, `checkout-2`."""

    def __init__(self) -> None:
        self.taken: set[str] = set()
        self._next: dict[str, int] = {}  # base -> the suffix to try next (no quadratic scan)

    def reserve(self, ident: str) -> None:
        self.taken.add(ident)

    def make(self, name: str, fallback: str) -> str:
        base = slug(name, fallback)
        ident, n = base, self._next.get(base, 1)
        if n > 1:
            ident = f"{base}-{n}"
        while ident in self.taken:
            n += 1
            ident = f"{base}-{n}"
        self._next[base] = n + 1
        self.taken.add(ident)
        return ident


@dataclass
class ImportedMap:
    """One map read from a source: its data (map format, in order) and where it came from."""

    data: dict[str, Any]
    source: str  # "docs/journey.md:12": file and line the map starts at
    kind: str  # "a Mermaid journey diagram", "a spreadsheet"

    @property
    def ident(self) -> str:
        return str(self.data.get("id") or "journey")

    def counts(self) -> str:
        stages = self.data.get("stages", [])
        steps = sum(len(s.get("steps", [])) for s in stages)
        personas = len(self.data.get("personas", []))
        return (
            f"{plural(len(stages), 'stage')}, {plural(steps, 'step')}, "
            f"{plural(personas, 'persona')}"
        )


@dataclass
class ImportResult:
    """Everything one import produced: the maps and the findings, in file order."""

    file: str
    maps: list[ImportedMap] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    # Spreadsheet findings name a row and a column letter (`steps.csv:14:F`), not a character.
    cells: bool = False

    def warn(self, line: int, column: int, rule: str, message: str) -> None:
        self.findings.append(Finding(self.file, line, column, rule, Severity.WARNING, message))

    def error(self, line: int, column: int, rule: str, message: str) -> None:
        self.findings.append(Finding(self.file, line, column, rule, Severity.ERROR, message))


class _Dumper(yaml.SafeDumper):
    """Block style with list items indented under their key, as the examples are written."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value.rstrip("\n") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def map_text(imported: ImportedMap, header: list[str] | None = None) -> str:
    """The map as YAML: a first comment naming the source, then the data."""
    lines = [
        f"# Imported from {one_line_comment(imported.source)} ({imported.kind}) by journeymap.",
        *(header or []),
    ]
    body = yaml.dump(
        imported.data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=1 << 16,  # one line per value: no folded names
        default_flow_style=False,
    )
    return "\n".join(f"{line}".rstrip() for line in lines) + "\n" + body


def one_line_comment(text: str) -> str:
    """Text that stays inside one YAML comment line."""
    return " ".join(text.split())


def check_text(text: str, display: str) -> list[Finding]:
    """Format problems of a map we wrote (none, unless an importer has a bug)."""
    from journeymap.loader import LoadError, load_text
    from journeymap.validation import validate_shape

    try:
        doc = load_text(text, display)
    except LoadError as err:
        return [err.finding]
    _, findings = validate_shape(doc)
    return [*doc.findings, *findings]


def column_letter(index: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA: a spreadsheet's name for a column."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters or "A"


def text_report(
    result: ImportResult,
    written: list[tuple[ImportedMap, str]],
    color: bool,
    invalid: Sequence[Finding] = (),
) -> str:
    """Findings (with code frames for text files, cell names for sheets) and a summary;
    `invalid`: the errors of the maps written, checked where they were written."""
    from journeymap.escape import line_start, terminal
    from journeymap.findings import ORDER
    from journeymap.report.text import TextReporter

    # File names, sheet names and quoted cell text are the author's: each goes out through
    # the terminal's escaping, so none can start a line of its own (or a workflow command).
    reporter = TextReporter()
    out: list[str] = []
    for finding in sorted(result.findings, key=ORDER):
        if result.cells:
            where = f"{line_start(finding.file)}:{finding.line}:{column_letter(finding.column)}:"
            message = terminal(finding.message)
            out.append(f"{where} {finding.severity.value} {finding.rule} {message}")
        else:
            out.append(reporter.block(finding, color))
    for imported, target in written:
        out.append(f"{line_start(imported.source)} -> {terminal(target)} ({imported.counts()})")
    out += [reporter.block(finding, color) for finding in invalid]
    errors = sum(1 for f in result.findings if f.severity is Severity.ERROR) + len(invalid)
    warnings = len(result.findings) + len(invalid) - errors
    journeys = plural(len(result.maps), "map")
    problems = (
        f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"
        if result.findings or invalid
        else "no problems"
    )
    out.append(f"{journeys} imported from {terminal(result.file)}: {problems}")
    if invalid:
        out.append(
            "the map written does not validate where it is: `uses` paths are relative to the "
            "map file, so write it beside the map it was exported from, or fix them"
        )
    return "\n".join(out) + "\n"


def json_report(result: ImportResult) -> str:
    """The findings as `journeymap validate --format json` prints them."""
    from journeymap.findings import ORDER
    from journeymap.report import REPORTER_BY_NAME, Report

    report = Report("validate", [result.file], sorted(result.findings, key=ORDER))
    return REPORTER_BY_NAME["json"].render(report)


def plan_outputs(
    result: ImportResult, output: Path | None, force: bool = False
) -> list[tuple[ImportedMap, Path | None]]:
    """Where each map goes: stdout (one map, no -o), the -o file, or `<id>.journey.yaml` in
    the -o directory. A file that exists is overwritten only with `force`: ImportFailure
    before anything is written, as `init` does."""
    from journeymap.files import overwrite_refusal

    planned = _places(result, output)
    targets = [target for _, target in planned if target is not None]
    refusal = None if force else overwrite_refusal(targets)
    if refusal is not None:
        raise ImportFailure(refusal)
    return planned


def _places(result: ImportResult, output: Path | None) -> list[tuple[ImportedMap, Path | None]]:
    maps = result.maps
    # Several maps need a folder: one that does not exist yet is made (`-o imported/`).
    if output is not None and (output.is_dir() or (len(maps) > 1 and not output.exists())):
        if not output.is_dir():
            from journeymap.files import make_folder

            try:
                make_folder(output / "map")  # the folder, unless a link leads it out
            except OSError as err:
                raise ImportFailure(f"cannot make {output}: {err.strerror or err}") from None
        return [(m, output / f"{m.ident}.journey.yaml") for m in maps]
    if len(maps) > 1:
        lines = ", ".join(m.source.rsplit(":", 1)[-1] for m in maps)
        raise ImportFailure(
            f"{result.file} holds {len(maps)} journey diagrams (lines {lines}); "
            "give -o a directory to write one map for each"
        )
    return [(maps[0], output)]


def write_map(imported: ImportedMap, target: Path | None, header: list[str] | None = None) -> str:
    """The map's text, checked, and written atomically to `target` (when given)."""
    from journeymap.files import write_atomic

    name = target.name if target is not None else f"{imported.ident}.journey.yaml"
    text = map_text(imported, header)
    problems = check_text(text, name)
    if problems:  # a bug here, not in the user's file: say so rather than write a broken map
        details = "; ".join(f"{f.line}:{f.column} {f.message}" for f in problems[:3])
        raise ImportFailure(
            f"internal error: the map imported from {imported.source} "
            f"does not validate ({details}); please report this"
        )
    if target is not None:
        try:
            write_atomic(target, text.encode("utf-8"))
        except OSError as err:
            raise ImportFailure(f"cannot write {target}: {err.strerror or err}") from None
    return text
