"""The health panel of a map's page: its lint findings grouped by rule, each linked to the
element it concerns."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from journeymap.pointers import element_at

if TYPE_CHECKING:
    from journeymap.findings import Finding
    from journeymap.validation import Journey

#: A group of the health panel with more findings than this starts folded.
FOLD_AFTER = 6
_RANK = {"error": 0, "warning": 1, "info": 2}


def _target_of(path: str, journey: Journey) -> tuple[str, str] | None:
    """The page anchor and a name for what a finding's JSON pointer concerns."""
    element = element_at(journey.map, path)
    if element is None:
        return None
    return f"{element.kind}-{element.id}", f"{element.kind} ‘{element.name}’"


def _groups(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The items by rule: the most severe rule first, then the one with most findings."""
    by_rule: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        by_rule.setdefault(str(item["rule"]), []).append(item)
    groups = [
        {
            "rule": rule,
            "severity": min((i["severity"] for i in found), key=_RANK.__getitem__),
            "items": found,
            "open": len(found) <= FOLD_AFTER,
        }
        for rule, found in by_rule.items()
    ]
    groups.sort(key=lambda g: (_RANK[g["severity"]], -len(g["items"]), g["rule"]))
    return groups


def health(findings: list[Finding], journey: Journey) -> dict[str, Any]:
    """The panel's data: this file's unsuppressed findings, their groups and counts, and how
    many were suppressed."""
    shown = [f for f in findings if not f.suppressed and f.file == journey.file]
    items = []
    for finding in shown:
        target = _target_of(finding.path, journey)
        items.append(
            {
                "severity": finding.severity.value,
                "rule": finding.rule,
                "message": finding.message,
                "line": finding.line,
                "anchor": target[0] if target else None,
                "where": target[1] if target else "the map",
            }
        )
    counts = {s: sum(1 for i in items if i["severity"] == s) for s in ("error", "warning", "info")}
    return {
        "items": items,
        "groups": _groups(items),
        "counts": counts,
        "suppressed": sum(1 for f in findings if f.suppressed),
    }
