"""Pydantic's validation errors as located findings people can act on.

Errors at one place are grouped into one finding (a value that is neither text nor a number is
one problem, not two); a missing key is reported at its mapping, an unknown key at the key with
"did you mean", a known key that has no place where it is (a stage's `survey`) at the key; at
most MAX_SCHEMA_FINDINGS are listed per file.
"""

from __future__ import annotations

import re
import typing
import unicodedata
from functools import cache
from typing import Any

from pydantic import BaseModel, ValidationError

from journeymap.findings import Finding
from journeymap.loader import Document
from journeymap.model import KEY_NOT_ALLOWED, SLUG_RE, JourneyMap, Library
from journeymap.pointers import pointer
from journeymap.suggest import did_you_mean


def describe(value: Any) -> str:
    """A value as a message quotes it: `nothing (null)`, `a list`, `'text'`..."""
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


def slug_hint(value: Any) -> str:
    """` (did you mean 'a-slug'?)` for text that makes a valid id, else nothing."""
    if not isinstance(value, str):
        return ""
    slug = slugify(value)
    return f" (did you mean '{slug}'?)" if slug and SLUG_RE.fullmatch(slug) else ""


#: Letters that Unicode does not decompose into a Latin letter and a mark.
_SPELLED = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "þ": "th"})


def slugify(text: str) -> str:
    """An id made of `text`: accents taken off (`café` -> `cafe`, `ß` -> `ss`), every other run
    of characters that are not a letter or digit a `-`."""
    spelled = unicodedata.normalize("NFKD", text.lower().translate(_SPELLED))
    plain = spelled.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


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


def schema_findings(doc: Document, err: ValidationError, root: type[BaseModel]) -> list[Finding]:
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
    kind = first["type"]
    name = str(path[-1]) if path else ""
    if kind in ("missing", "extra_forbidden"):
        return _key_finding(doc, first, root)
    if kind == KEY_NOT_ALLOWED:  # a known key that has no place here: at the key
        return doc.finding(pointer(path), "schema", str(first["msg"]), key=True)
    message = _value_message(errors, name)
    value = first.get("input")
    if kind == "list_type" and isinstance(value, dict) and value:
        shape = tuple(p for p in path if isinstance(p, str))
        if _model_at(root, shape) is not None:  # a list of entries with keys (stages, steps)
            message += _list_form(value)
    return doc.finding(pointer(path), "schema", message)


def _list_form(value: dict[Any, Any]) -> str:
    """How a mapping written where a list of entries belongs is written as one: most often
    one entry's keys without the `- ` that makes it an item."""
    key, first = next(iter(value.items()))
    if isinstance(first, dict):  # entries keyed by their ids (`sam: {name: Sam}`)
        return (
            f": write each entry as an item with its id (`- id: {key}`), its keys lined up "
            "with `id`"
        )
    shown = str(first) if isinstance(first, str | int | float) else "..."
    shown = shown if len(shown) <= 40 and "\n" not in shown else "..."
    return (
        f": start each entry with `- ` (`- {key}: {shown}`) and indent its other keys 2 more, "
        f"to line up with `{key}`"
    )


def _key_finding(doc: Document, first: dict[str, Any], root: type[BaseModel]) -> Finding:
    """A required key that is missing (at its mapping), or an unknown key (at the key)."""
    path: list[str | int] = first["path"]
    shape = tuple(p for p in path if isinstance(p, str))
    name = str(path[-1]) if path else ""
    model = _model_at(root, shape[:-1])
    if first["type"] == "missing":
        what = model.__name__.lower() if model else "entry"
        what = {"journeymap": "map", "eventmatch": "event"}.get(what, what)
        return doc.finding(pointer(path[:-1]), "schema", f"{what} is missing required key '{name}'")
    allowed = sorted(f.alias or n for n, f in model.model_fields.items()) if model else []
    if model is Library and name in JourneyMap.model_fields:
        message = (
            f"a library (kind: library) holds only personas and channels; '{name}' belongs in a map"
        )
    else:
        hint = did_you_mean(name, allowed)
        message = f"unknown key '{name}'{hint}"
        if not hint:
            message += " (extension keys must start with 'x-')"
    return doc.finding(pointer(path), "schema", message, key=True)


def _value_message(errors: list[dict[str, Any]], name: str) -> str:
    """What is wrong with a value: the first error's kind, and what every error expected."""
    first = errors[0]
    kind = first["type"]
    value = first.get("input")
    ctx = first.get("ctx") or {}
    label = f"'{name}'" if name and not name.isdigit() else "value"
    if kind in ("literal_error", "enum"):
        expected = ctx.get("expected", "")
        choices = re.findall(r"'([^']*)'", str(expected))
        hint = did_you_mean(str(value), choices) if isinstance(value, str) else ""
        return f"{label} must be one of {', '.join(choices)}; got {describe(value)}{hint}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        if name == "emotion":
            return f"emotion must be a whole number from -2 to +2; got {describe(value)}"
        return f"{label} is out of range: {first['msg'].lower()}; got {describe(value)}"
    if kind == "string_pattern_mismatch":
        if name == "url":
            return "link url must be an http, https or mailto URL or a relative path"
        return (
            f"{describe(value)} is not a valid id: use lowercase letters and digits, "
            f"words joined by '-' or '_'{slug_hint(value)}"
        )
    if kind == "string_too_short":
        return f"{label} must not be empty"
    if kind == "string_too_long" and isinstance(value, str):
        return (
            f"{label} is too long: at most {ctx.get('max_length', 0):,} characters; "
            f"got {len(value):,}"
        )
    if kind == "value_error":
        return str(first["msg"]).removeprefix("Value error, ")
    expected_all = [_EXPECTED[e["type"]] for e in errors if e["type"] in _EXPECTED]
    if not expected_all:
        return f"{label}: {first['msg']}"
    unique = list(dict.fromkeys(expected_all))
    wanted = unique[0] if len(unique) == 1 else ", ".join(unique[:-1]) + f" or {unique[-1]}"
    if name == "emotion" and isinstance(value, int | float | str):
        wanted = "a whole number from -2 to +2"
    return f"{label} must be {wanted}; got {describe(value)}"
