"""From a loaded document to a checked model: shape errors, ids, references and libraries.

Every format problem becomes a located `Finding` (always an error). This is the one place where
references that span a map and its libraries are checked.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from journeymap.findings import Finding
from journeymap.loader import Document
from journeymap.model import (
    FORMAT_VERSION,
    SLUG_RE,
    Channel,
    JourneyMap,
    Library,
    Persona,
    Step,
)
from journeymap.pointers import pointer
from journeymap.project import project_root
from journeymap.suggest import did_you_mean, edit_distance


@dataclass
class Journey:
    """A valid map with the personas and channels of its libraries merged in."""

    document: Document
    map: JourneyMap
    id: str
    libraries: list[tuple[Document, Library]] = field(default_factory=list)

    @property
    def file(self) -> str:
        return self.document.display

    @property
    def personas(self) -> list[Persona]:
        return [*self.map.personas, *(p for _, lib in self.libraries for p in lib.personas)]

    @property
    def channels(self) -> list[Channel]:
        return [*self.map.channels, *(c for _, lib in self.libraries for c in lib.channels)]

    def steps(self) -> Iterator[Step]:
        for stage in self.map.stages:
            yield from stage.steps


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | float):
        return f"the number {value}"
    text = str(value)
    return f"'{text[:40]}…'" if len(text) > 40 else f"'{text}'"


_EXPECTED = {
    "int_type": "a number",
    "int_parsing": "a number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "finite_number": "a finite number",
    "string_type": "text",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "dict_type": "a mapping",
    "date_type": "a date (YYYY-MM-DD)",
    "date_parsing": "a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "a date (YYYY-MM-DD)",
    "date_from_datetime_inexact": "a date (YYYY-MM-DD) without a time",
}


def _slug_hint(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    slug = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    return f" (did you mean '{slug}'?)" if slug and SLUG_RE.fullmatch(slug) else ""


def _model_classes(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models an annotation can hold, looking through lists, unions, Annotated."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    out: list[type[BaseModel]] = []
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _model_classes(typing.get_args(annotation)[0])
    if origin is not None:  # list, a union, or any other generic: look at its arguments
        for arg in typing.get_args(annotation):
            out.extend(_model_classes(arg))
    return out


@cache
def _model_at(root: type[BaseModel], shape: tuple[str, ...]) -> type[BaseModel] | None:
    """The model class at a path of field names (list indexes left out)."""
    model: type[BaseModel] | None = root
    for name in shape:
        if model is None or name not in model.model_fields:
            return None
        classes = _model_classes(model.model_fields[name].annotation)
        model = classes[0] if classes else None
    return model


def _data_path(data: Any, loc: tuple[str | int, ...], kind: str) -> list[str | int]:
    """The part of a pydantic error location that exists in the data (drops union tags)."""
    path: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            node = node[part]
            path.append(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            path.append(part)
        elif kind == "missing" and isinstance(node, dict) and isinstance(part, str):
            path.append(part)  # a required key that is missing: the finding names it
            break
        # otherwise a union member name such as 'str' or 'float' (also when the value is a
        # mapping, as in `target: {a: 1}`): skip it
    return path


#: Schema findings listed per file; the rest are counted in one more finding.
MAX_SCHEMA_FINDINGS = 1000


def _schema_findings(doc: Document, err: ValidationError, root: type[BaseModel]) -> list[Finding]:
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
    order: list[tuple[str, str]] = []
    for error in err.errors(include_url=False):
        kind = error["type"]
        path = _data_path(doc.data, error["loc"], kind)
        category = kind if kind in ("missing", "extra_forbidden") else "value"
        key = (pointer(path), category)
        if key not in grouped:
            grouped[key] = []
            order.append(key)
        grouped[key].append({**error, "path": path})
    findings = [_one_schema_finding(doc, grouped[key], root) for key in order[:MAX_SCHEMA_FINDINGS]]
    if len(order) > MAX_SCHEMA_FINDINGS:
        # A file of 100,000 unknown keys is not 100,000 things to read: list the first ones,
        # then say how many more there are, at the first one not listed. This bounds the work
        # (suggestions, locating) and the report's size whatever the file holds.
        rest = len(order) - MAX_SCHEMA_FINDINGS
        # Where that one would have been: a missing key's mapping, an unknown key, a value.
        ptr, category = order[MAX_SCHEMA_FINDINGS]
        if category == "missing":
            ptr = pointer(grouped[ptr, category][0]["path"][:-1])
        findings.append(
            doc.finding(
                ptr,
                "schema",
                f"{rest:,} more schema "
                f"{'problems from here on are' if rest != 1 else 'problem from here on is'} "
                f"not listed (only the first {MAX_SCHEMA_FINDINGS:,} of a file are); "
                "fix these first",
                key=category == "extra_forbidden",
            )
        )
    return findings


def _one_schema_finding(
    doc: Document, errors: list[dict[str, Any]], root: type[BaseModel]
) -> Finding:
    first = errors[0]
    path: list[str | int] = first["path"]
    ptr = pointer(path)
    kind = first["type"]
    shape = tuple(p for p in path if isinstance(p, str))
    name = str(path[-1]) if path else ""
    if kind == "missing":
        parent = pointer(path[:-1])
        model = _model_at(root, shape[:-1])
        what = model.__name__.lower() if model else "entry"
        what = {"journeymap": "map", "eventmatch": "event"}.get(what, what)
        return doc.finding(parent, "schema", f"{what} is missing required key '{name}'")
    if kind == "extra_forbidden":
        model = _model_at(root, shape[:-1])
        allowed = sorted(f.alias or n for n, f in model.model_fields.items()) if model else []
        if model is Library and name in JourneyMap.model_fields:
            message = (
                f"a library (kind: library) holds only personas and channels; "
                f"'{name}' belongs in a map"
            )
        else:
            hint = did_you_mean(name, allowed)
            message = f"unknown key '{name}'{hint}"
            if not hint:
                message += " (extension keys must start with 'x-')"
        return doc.finding(ptr, "schema", message, key=True)
    value = first.get("input")
    ctx = first.get("ctx") or {}
    label = f"'{name}'" if name and not name.isdigit() else "value"
    if kind in ("literal_error", "enum"):
        expected = ctx.get("expected", "")
        choices = re.findall(r"'([^']*)'", str(expected))
        hint = did_you_mean(str(value), choices) if isinstance(value, str) else ""
        message = f"{label} must be one of {', '.join(choices)}; got {_describe(value)}{hint}"
    elif kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        if name == "emotion":
            message = f"emotion must be a whole number from -2 to +2; got {_describe(value)}"
        else:
            message = f"{label} is out of range: {first['msg'].lower()}; got {_describe(value)}"
    elif kind == "string_pattern_mismatch":
        if name == "url":
            message = "link url must be an http, https or mailto URL or a relative path"
        else:
            message = (
                f"{_describe(value)} is not a valid id: use lowercase letters and digits, "
                f"words joined by '-' or '_'{_slug_hint(value)}"
            )
    elif kind == "string_too_short":
        message = f"{label} must not be empty"
    elif kind == "string_too_long" and isinstance(value, str):
        message = (
            f"{label} is too long: at most {ctx.get('max_length', 0):,} characters; "
            f"got {len(value):,}"
        )
    elif kind == "value_error":
        message = str(first["msg"]).removeprefix("Value error, ")
    else:
        expected_all = [_EXPECTED[e["type"]] for e in errors if e["type"] in _EXPECTED]
        if expected_all:
            unique = list(dict.fromkeys(expected_all))
            wanted = unique[0] if len(unique) == 1 else ", ".join(unique[:-1]) + f" or {unique[-1]}"
            if name == "emotion" and isinstance(value, int | float | str):
                wanted = "a whole number from -2 to +2"
            message = f"{label} must be {wanted}; got {_describe(value)}"
        else:
            message = f"{label}: {first['msg']}"
    return doc.finding(ptr, "schema", message)


def check_version(doc: Document) -> Finding | None:
    data = doc.data
    if "journeymap" not in data:
        misspelt = next(
            (k for k in data if isinstance(k, str) and edit_distance(k, "journeymap", 2) <= 2),
            None,
        )
        if misspelt is not None:
            return doc.finding(
                pointer([misspelt]),
                "version",
                f"unknown key '{misspelt}' (did you mean 'journeymap'?): the format version is "
                f"missing; write `journeymap: {FORMAT_VERSION}`",
                key=True,
            )
        return doc.finding(
            "",
            "version",
            f"missing the format version: add `journeymap: {FORMAT_VERSION}` at the top",
        )
    version = data["journeymap"]
    if version != FORMAT_VERSION or isinstance(version, bool):
        return doc.finding(
            "/journeymap",
            "version",
            f"unsupported format version {_describe(version)}: "
            f"this journeymap reads `journeymap: {FORMAT_VERSION}`",
        )
    return None


def validate_shape(doc: Document) -> tuple[JourneyMap | Library | None, list[Finding]]:
    """Check a document against the model of its kind; no cross-file checks."""
    version = check_version(doc)
    if version is not None:
        return None, [version]
    model: type[JourneyMap] | type[Library] = (
        Library if doc.data.get("kind") == "library" else JourneyMap
    )
    try:
        value = model.model_validate(doc.data)
    except ValidationError as err:
        return None, _schema_findings(doc, err, model)
    _locate_all(value, doc.display)
    return value, []


def _locate_all(value: JourneyMap | Library, file: str) -> None:
    value.locate(file, "")
    for i, persona in enumerate(value.personas):
        persona.locate(file, f"/personas/{i}")
    for i, channel in enumerate(value.channels):
        channel.locate(file, f"/channels/{i}")
    if isinstance(value, JourneyMap):
        for i, stage in enumerate(value.stages):
            stage.locate(file, f"/stages/{i}")
            for j, step in enumerate(stage.steps):
                step.locate(file, f"/stages/{i}/steps/{j}")


def map_id(doc: Document, value: JourneyMap) -> tuple[str, Finding | None]:
    if value.id:
        return value.id, None
    stem = doc.path.name.split(".", 1)[0]
    if SLUG_RE.fullmatch(stem):
        return stem, None
    return stem, doc.finding(
        "",
        "schema",
        f"the file name '{doc.path.name}' does not give a valid map id; "
        f"add `id:` with a slug{_slug_hint(stem)}",
    )


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
        lib_doc, library, lib_findings = load_library(target, entry)
        if lib_findings:
            findings.append(
                doc.finding(
                    ptr,
                    "reference",
                    f"library '{entry}' has {len(lib_findings)} format error(s); "
                    "validate it for details",
                )
            )
            continue
        if lib_doc is None or library is None:
            findings.append(
                doc.finding(ptr, "reference", f"'{entry}' is a map, not a library (kind: library)")
            )
            continue
        libraries.append((lib_doc, library))
    if journey is not None:
        journey.libraries = libraries
    findings.extend(_check_ids(doc, libraries))
    findings.extend(_check_references(doc, libraries))
    return journey, findings


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


_HINT_COMPARISONS = 200_000


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
    comparisons_left = _HINT_COMPARISONS
    ordered: dict[str, list[str]] = {}

    def unknown(kind: str, ident: str, known: set[str], ptr: str) -> Finding:
        nonlocal comparisons_left
        hint = ""
        if not known:
            hint = f" (the map defines no {kind}s)"
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


def _kpi_references(
    kpi: dict[str, Any], ptr: str, steps: set[str], unknown: Callable[..., Finding]
) -> Iterator[Finding]:
    """A measured KPI's `from` and `to` name steps."""
    for key in ("from", "to"):
        target = kpi.get(key)
        if isinstance(target, str) and target not in steps:
            yield unknown("step", target, steps, f"{ptr}/{key}")
