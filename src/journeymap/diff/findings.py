"""Lint findings that a change introduced, fixed, or changed, as `Change`s of element "finding"."""

from __future__ import annotations

from collections import Counter
from typing import cast

from journeymap.diff.changes import ADDED, CHANGED, REMOVED, Change, JSONValue, Subject
from journeymap.findings import ORDER, Finding
from journeymap.pointers import element_at
from journeymap.validation import Journey


def where(journey: Journey, ptr: str) -> str:
    """`step x`, `stage y`, `persona z` or `map` for a finding's JSON Pointer."""
    element = element_at(journey.map, ptr)
    return f"{element.kind} {element.id}" if element else "map"


def _json(finding: Finding) -> JSONValue:
    # to_dict holds only strings and numbers; its declared type is wider.
    return cast(dict[str, JSONValue], finding.to_dict())


def _shown(findings: list[Finding]) -> list[Finding]:
    return sorted((f for f in findings if not f.suppressed), key=ORDER)


def _unmatched(ours: list[Finding], theirs: list[Finding]) -> list[Finding]:
    """Our findings left when each of theirs with the same rule and message takes one away."""
    others = Counter((f.rule, f.message) for f in theirs)
    left = []
    for finding in ours:
        if others[finding.rule, finding.message] > 0:
            others[finding.rule, finding.message] -= 1
        else:
            left.append(finding)
    return left


def _place(journey: Journey | None, finding: Finding) -> str:
    return where(journey, finding.path) if journey else "map"


def finding_changes(
    old: Journey | None,
    old_findings: list[Finding],
    new: Journey | None,
    new_findings: list[Finding],
) -> list[Change]:
    """Lint findings that the change introduced (+), fixed (-), or changed (~).

    Findings are matched on rule and message first; what is left of a rule at the same place
    on both sides is one finding whose message changed (a KPI still off target with a new
    `actual`), not one fixed and one introduced.
    """
    old_shown, new_shown = _shown(old_findings), _shown(new_findings)
    introduced = _unmatched(new_shown, old_shown)
    fixed = _unmatched(old_shown, new_shown)
    still: dict[tuple[str, str], list[Finding]] = {}
    for finding in fixed:
        still.setdefault((finding.rule, _place(old, finding)), []).append(finding)
    out: list[Change] = []
    for finding in introduced:
        at = _place(new, finding)
        rule = Subject("finding", finding.rule, "lint")
        earlier = still.get((finding.rule, at))
        lint = f"lint {finding.rule} ({finding.severity.value}) at {at}, line {finding.line}"
        if earlier:
            was = earlier.pop(0)
            summary = f"{lint}: {was.message} → {finding.message}"
            old_json, new_json = _json(was), _json(finding)
            out.append(rule.change(CHANGED, "finding-changed", summary, "lint", old_json, new_json))
        else:
            summary = f"{lint}: {finding.message}"
            out.append(
                rule.change(ADDED, "finding-introduced", summary, "lint", new=_json(finding))
            )
    for finding in fixed:
        at = _place(old, finding)
        if not any(finding is f for f in still.get((finding.rule, at), [])):
            continue  # paired with a changed finding above
        summary = f"lint fixed {finding.rule} at {at}: {finding.message}"
        rule = Subject("finding", finding.rule, "lint")
        out.append(rule.change(REMOVED, "finding-fixed", summary, "lint", old=_json(finding)))
    return out
