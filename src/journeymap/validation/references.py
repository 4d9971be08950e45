"""A map with its libraries: loading the libraries it uses, then ids and references across them.

This is the one place where references that span a map and its libraries are checked: unique
ids, and each step's persona, channel, `next` and KPI steps naming something defined. It works
on the raw data, so a file with schema errors still gets every other finding in one run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from journeymap.findings import Finding
from journeymap.loader import Document
from journeymap.model import JourneyMap, Library
from journeymap.project import project_root
from journeymap.suggest import did_you_mean
from journeymap.validation.journey import Journey, map_id
from journeymap.words import plural

LibraryLoader = Callable[[Path, str], tuple[Document | None, Library | None, list[Finding]]]


def _items(data: dict[str, Any], key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """The mapping entries of a list in raw data, skipping what the schema check reports."""
    value = data.get(key)
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item


def _ids(data: dict[str, Any], key: str) -> set[str]:
    return {str(item["id"]) for _, item in _items(data, key) if isinstance(item.get("id"), str)}


def _written(datas: list[dict[str, Any]], key: str) -> bool:
    """Whether any of `datas` has an entry in its list `key`, with an id or not."""
    return any(next(_items(data, key), None) is not None for data in datas)


def resolve(
    doc: Document, value: JourneyMap | None, load_library: LibraryLoader
) -> tuple[Journey | None, list[Finding]]:
    """Load a map's libraries, then check ids and references across all of them.

    Works on the raw data too (`value` None, after schema errors) so that one run reports
    every problem of a file.
    """
    findings: list[Finding] = []
    journey: Journey | None = None
    if value is not None:
        ident, bad_id = map_id(doc, value)
        if bad_id:
            findings.append(bad_id)
        journey = Journey(document=doc, map=value, id=ident)
    libraries = _libraries(doc, load_library, findings)
    if journey is not None:
        journey.libraries = libraries
    findings.extend(_check_ids(doc, libraries))
    findings.extend(_check_references(doc, libraries))
    return journey, findings


def _libraries(
    doc: Document, load_library: LibraryLoader, findings: list[Finding]
) -> list[tuple[Document, Library]]:
    """The libraries the map `uses`, each inside the project; a finding for each that is not."""
    libraries: list[tuple[Document, Library]] = []
    uses = doc.data.get("uses")
    uses = uses if isinstance(uses, list) else []
    base = doc.path.resolve().parent if uses else doc.path.parent
    root = project_root(base) if uses else base
    for index, entry in enumerate(uses):
        if not isinstance(entry, str) or not entry:
            continue
        ptr = f"/uses/{index}"
        try:
            target = (base / entry).resolve()
            inside = target.is_relative_to(root)
            found = inside and target.is_file()
        except (OSError, ValueError, RuntimeError) as err:  # NUL byte, name too long, link loop
            reason = getattr(err, "strerror", None) or str(err)
            findings.append(
                doc.finding(ptr, "reference", f"'{entry}' is not a usable path: {reason}")
            )
            continue
        if not inside:
            findings.append(
                doc.finding(
                    ptr,
                    "reference",
                    f"'{entry}' is outside the project root ({root}); "
                    "libraries must stay inside the project",
                )
            )
            continue
        if not found:
            findings.append(doc.finding(ptr, "reference", f"library file '{entry}' not found"))
            continue
        library = _library(doc, ptr, entry, load_library(target, entry), findings)
        if library is not None:
            libraries.append(library)
    return libraries


def _library(
    doc: Document,
    ptr: str,
    entry: str,
    loaded: tuple[Document | None, Library | None, list[Finding]],
    findings: list[Finding],
) -> tuple[Document, Library] | None:
    """A loaded library, or None with a finding when it has errors or is a map."""
    lib_doc, library, lib_findings = loaded
    if lib_findings:
        findings.append(
            doc.finding(
                ptr,
                "reference",
                f"library '{entry}' has {plural(len(lib_findings), 'format error')}; "
                "validate it for details",
            )
        )
        return None
    if lib_doc is None or library is None:
        findings.append(
            doc.finding(ptr, "reference", f"'{entry}' is a map, not a library (kind: library)")
        )
        return None
    return lib_doc, library


def _check_ids(doc: Document, libraries: list[tuple[Document, Library]]) -> Iterator[Finding]:
    first_seen: dict[tuple[str, str], tuple[Document, str]] = {}

    def seen(kind: str, ident: Any, in_doc: Document, ptr: str) -> Iterator[Finding]:
        if not isinstance(ident, str):
            return
        first = first_seen.get((kind, ident))
        if first is None:
            first_seen[kind, ident] = (in_doc, ptr)  # located only if a duplicate turns up
            return
        first_doc, first_ptr = first
        line = first_doc.position(first_ptr)[0]
        where = f"line {line}" if first_doc is in_doc else f"{first_doc.display}:{line}"
        message = f"duplicate {kind} id '{ident}': already defined on {where}"
        yield in_doc.finding(ptr, "duplicate-id", message)

    # Libraries first, so that a clash is reported in the map being validated.
    for in_doc in [*(d for d, _ in libraries), doc]:
        for kind in ("persona", "channel"):
            for i, item in _items(in_doc.data, kind + "s"):
                yield from seen(kind, item.get("id"), in_doc, f"/{kind}s/{i}/id")
    for i, stage in _items(doc.data, "stages"):
        yield from seen("stage", stage.get("id"), doc, f"/stages/{i}/id")
        for j, step in _items(stage, "steps"):
            yield from seen("step", step.get("id"), doc, f"/stages/{i}/steps/{j}/id")


HINT_COMPARISONS = 200_000


def _check_references(
    doc: Document, libraries: list[tuple[Document, Library]]
) -> Iterator[Finding]:
    personas = _ids(doc.data, "personas").union(*(_ids(d.data, "personas") for d, _ in libraries))
    channels = _ids(doc.data, "channels").union(*(_ids(d.data, "channels") for d, _ in libraries))
    steps = {
        str(step["id"])
        for _, stage in _items(doc.data, "stages")
        for _, step in _items(stage, "steps")
        if isinstance(step.get("id"), str)
    }

    # "Did you mean" compares the unknown id with every known one: a hostile map with thousands
    # of each would take hours, so the comparisons per file are bounded and the hint dropped
    # beyond that (the finding itself is always reported).
    comparisons_left = HINT_COMPARISONS
    ordered: dict[str, list[str]] = {}
    # Entries written without an id (a schema error) are there all the same: not "no steps".
    datas = [doc.data, *(d.data for d, _ in libraries)]
    stages = [stage for _, stage in _items(doc.data, "stages")]
    written = {
        "persona": _written(datas, "personas"),
        "channel": _written(datas, "channels"),
        "step": _written(stages, "steps"),
    }

    def unknown(kind: str, ident: str, known: set[str], ptr: str) -> Finding:
        nonlocal comparisons_left
        hint = ""
        if not known:
            hint = (
                f" (the map's {kind}s have no ids)"
                if written[kind]
                else f" (the map defines no {kind}s)"
            )
        elif comparisons_left >= len(known):
            comparisons_left -= len(known)
            if kind not in ordered:
                ordered[kind] = sorted(known)
            hint = did_you_mean(ident, ordered[kind], f"known {kind}s")
        return doc.finding(ptr, "reference", f"unknown {kind} '{ident}'{hint}")

    for i, stage in _items(doc.data, "stages"):
        for j, step in _items(stage, "steps"):
            ptr = f"/stages/{i}/steps/{j}"
            persona, channel, targets = step.get("persona"), step.get("channel"), step.get("next")
            if isinstance(persona, str) and persona not in personas:
                yield unknown("persona", persona, personas, ptr + "/persona")
            if isinstance(channel, str) and channel not in channels:
                yield unknown("channel", channel, channels, ptr + "/channel")
            for k, target in enumerate(targets if isinstance(targets, list) else []):
                if isinstance(target, str) and target not in steps:
                    yield unknown("step", target, steps, f"{ptr}/next/{k}")
            for k, kpi in _items(step, "kpis"):
                yield from _kpi_references(kpi, f"{ptr}/kpis/{k}", steps, unknown)
        for k, kpi in _items(stage, "kpis"):
            yield from _kpi_references(kpi, f"/stages/{i}/kpis/{k}", steps, unknown)
    yield from _survey_methods(doc)
    yield from _survey_kpis(doc)


def _survey_methods(doc: Document) -> Iterator[Finding]:
    """One survey id, one method: its answers are on one scale (`measure` checks each score
    against it, and a csat 9 is out of range where an nps 9 is not)."""
    first: dict[str, tuple[str, str]] = {}
    for i, stage in _items(doc.data, "stages"):
        for j, step in _items(stage, "steps"):
            for k, feedback in _items(step, "feedback"):
                survey, method = feedback.get("survey"), feedback.get("method")
                if not isinstance(survey, str) or not isinstance(method, str):
                    continue
                ptr = f"/stages/{i}/steps/{j}/feedback/{k}"
                seen = first.setdefault(survey, (method, ptr))
                if seen[0] != method:
                    line = doc.position(seen[1])[0]
                    yield doc.finding(
                        ptr + "/survey",
                        "reference",
                        f"survey '{survey}' is {seen[0]} on line {line} and {method} here; one "
                        "survey's answers are on one scale: give this one its own id",
                    )


def _kpi_references(
    kpi: dict[str, Any], ptr: str, steps: set[str], unknown: Callable[..., Finding]
) -> Iterator[Finding]:
    """A measured KPI's `from` and `to` name steps."""
    for key in ("from", "to"):
        target = kpi.get(key)
        if isinstance(target, str) and target not in steps:
            yield unknown("step", target, steps, f"{ptr}/{key}")


def _survey_kpis(doc: Document) -> Iterator[Finding]:
    """A KPI measuring `csat`, `nps` or `ces` reads the one survey of that method on its step
    (`to`, else the step it is on): none, or two, leave its actual unknown, or chosen
    arbitrarily. A stage's KPI without `to` reads its stage's last step on the funnel path,
    which `--path` can change: `measure` knows it, validation does not."""
    surveys: dict[str, dict[str, set[str]]] = {}  # step id -> method -> survey ids
    kpis: list[tuple[dict[str, Any], str, str | None]] = []  # KPI, pointer, its own step
    for i, stage in _items(doc.data, "stages"):
        for j, step in _items(stage, "steps"):
            last = step.get("id") if isinstance(step.get("id"), str) else None
            mine = surveys.setdefault(str(last), {})
            for _, feedback in _items(step, "feedback"):
                method, survey = feedback.get("method"), feedback.get("survey")
                if isinstance(method, str) and isinstance(survey, str):
                    mine.setdefault(method, set()).add(survey)
            kpis += [
                (kpi, f"/stages/{i}/steps/{j}/kpis/{k}", last) for k, kpi in _items(step, "kpis")
            ]
        kpis += [(kpi, f"/stages/{i}/kpis/{k}", None) for k, kpi in _items(stage, "kpis")]
    for kpi, ptr, own in kpis:
        measure, target = kpi.get("measure"), kpi.get("to", own)
        if measure not in ("csat", "nps", "ces") or not isinstance(target, str):
            continue
        found = sorted(surveys.get(target, {}).get(measure, ()))
        if len(found) == 1:
            continue
        if found:
            said = f"step '{target}' has {len(found)} {measure} surveys ({', '.join(found)})"
            fix = "which one is meant is unknown; keep one on the step"
        else:
            said = f"step '{target}' has no {measure} survey"
            fix = f"add feedback `{{method: {measure}, survey: ID}}` to it"
        yield doc.finding(
            ptr + "/measure",
            "reference",
            f"a KPI measuring {measure} reads the {measure} survey of its step, and {said}: {fix}",
        )
