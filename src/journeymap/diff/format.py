"""Reporters of a diff, in a registry the CLI reads its `--format` choices from.

Each takes the `MapDiff`s of a run and whether to color the text, and returns the whole
output: `text` (a changelog for the terminal and CI logs), `json` (for tools) and `markdown`
(a pull-request comment). Maps that did not change are left out of every format.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict

from journeymap.diff.changes import ADDED, CHANGED, REMOVED, MapDiff
from journeymap.escape import line_start, markdown, markdown_code, terminal
from journeymap.findings import Finding
from journeymap.words import plural

Formatter = Callable[[Sequence[MapDiff], bool], str]

_COLORS = {ADDED: "\033[32m", REMOVED: "\033[31m", CHANGED: "\033[33m"}
_BOLD, _RESET = "\033[1m", "\033[0m"
_MD_OP = {ADDED: "➕", REMOVED: "➖", CHANGED: "✏️"}
_MD_FINDINGS = 10  # a map's errors listed in a comment; the log has them all


def has_changes(diffs: Sequence[MapDiff]) -> bool:
    """Whether any map changed (`--exit-code` exits 1)."""
    return any(d.shown for d in diffs)


def invalid_findings(diffs: Sequence[MapDiff]) -> list[Finding]:
    """The format errors of the maps not compared (a diff with any exits 1)."""
    return [f for d in diffs if d.status == "invalid" for f in d.findings]


def _counts(diffs: Sequence[MapDiff]) -> dict[str, int]:
    ops = Counter(c.op for d in diffs for c in d.changes)
    status = Counter(d.status for d in diffs if d.shown)
    return {
        "maps": sum(1 for d in diffs if d.shown),
        "maps_changed": status["changed"],
        "maps_added": status["added"],
        "maps_removed": status["removed"],
        "maps_not_compared": status["invalid"],
        "added": ops[ADDED],
        "removed": ops[REMOVED],
        "changed": ops[CHANGED],
    }


def _summary(counts: dict[str, int]) -> list[str]:
    """What the Markdown comment counts, in words: maps, then the changes inside the maps
    that changed (a new or removed map is one line, not counted again as changes)."""
    kinds = [
        ("maps_changed", "changed"),
        ("maps_added", "new"),
        ("maps_removed", "removed"),
        ("maps_not_compared", "not compared (not a valid map)"),
    ]
    parts = ", ".join(f"{counts[key]} {word}" for key, word in kinds if counts[key])
    out = [f"**{plural(counts['maps'], 'map')}** in this diff: {parts}."]
    changes = counts["added"] + counts["removed"] + counts["changed"]
    if changes:
        ops = [(ADDED, "added"), (REMOVED, "removed or resolved"), (CHANGED, "modified")]
        keys = {ADDED: "added", REMOVED: "removed", CHANGED: "changed"}
        detail = ", ".join(
            f"{_MD_OP[op]} {counts[keys[op]]} {word}" for op, word in ops if counts[keys[op]]
        )
        inside = "the changed map" if counts["maps_changed"] == 1 else "the changed maps"
        out += ["", f"**{plural(changes, 'change')}** inside {inside}: {detail}."]
    return out


def format_text(diffs: Sequence[MapDiff], color: bool = False) -> str:
    """A changelog: one block per map that changed, one line per change."""
    blocks: list[str] = []
    for d in diffs:
        if not d.shown:
            continue
        header = line_start(d.header)  # an invalid map's id is its file name, any text
        lines = [f"{_BOLD}{header}{_RESET}" if color else header]
        for change in d.changes:
            text = terminal(change.line)
            lines.append(f"  {_COLORS[change.op]}{text}{_RESET}" if color else f"  {text}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n" if blocks else ""


def format_json(diffs: Sequence[MapDiff], color: bool = False) -> str:
    """Every change with its `op`, `kind`, `element`, `id`, `stage`, `field`, `old`, `new`."""
    payload = {
        "changed": has_changes(diffs),
        "summary": _counts(diffs),
        "maps": [
            {
                "id": d.id,
                "title": d.title,
                "status": d.status,
                "old_file": d.old_file,
                "new_file": d.new_file,
                "changes": [{**asdict(c), "text": c.line} for c in d.changes],
                **({"findings": [f.to_dict() for f in d.findings]} if d.findings else {}),
            }
            for d in diffs
            if d.shown
        ],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def format_markdown(diffs: Sequence[MapDiff], color: bool = False) -> str:
    """A pull-request comment: a summary line, then a table of changes per map."""
    counts = _counts(diffs)
    out = ["## Journey map changes", ""]
    if not has_changes(diffs):
        out.append("No changes to journey maps.")
        return "\n".join(out) + "\n"
    out += _summary(counts)
    for d in diffs:
        if not d.shown:
            continue
        out += ["", f"### {markdown(d.header)}", ""]
        files = d.new_file or d.old_file
        if files and d.status != "invalid":  # the header names the files that are not valid
            out += [markdown_code(files), ""]
        if d.findings:
            out += ["| | Why it is not valid |", "|:-:|---|"]
            out += [f"| ⛔ | {markdown(_located(f))} |" for f in d.findings[:_MD_FINDINGS]]
            if len(d.findings) > _MD_FINDINGS:
                more = len(d.findings) - _MD_FINDINGS
                out.append(f"| | and {more} more: run `journeymap validate` on the file |")
        if not d.changes:
            continue
        out += ["| | Change |", "|:-:|---|"]
        out += [f"| {_MD_OP[c.op]} | {markdown(c.summary)} |" for c in d.changes]
    return "\n".join(out) + "\n"


def _located(finding: Finding) -> str:
    """A format error as `validate` writes its first line: `file:line:col: rule message`."""
    where = f"{finding.file}:{finding.line}:{finding.column}:"
    return f"{where} {finding.severity.value} {finding.rule} {finding.message}"


FORMATTERS: dict[str, Formatter] = {
    "text": format_text,
    "json": format_json,
    "markdown": format_markdown,
}
FORMAT_NAMES = tuple(FORMATTERS)
