"""One item of a list cell as text, and back (`export` writes it, `import` reads it).

A list cell holds one item per line; typed items are written in a small text form
(docs/import.md):

    pain point     [high|medium|low: ]text[ | owner: NAME]
    opportunity    [high|medium|low: ]text[ | owner: NAME][ | status: idea|planned|done]
    KPI            name[ | measure: M][ | from: STEP][ | to: STEP][ | target: N][ | actual: N]
                   [ | unit: U][ | better: lower]
    feedback       method[: name][ | survey: ID]  e.g. analytics: Campaign funnel dashboard
    event          name[ | where: {JSON object}]  e.g. page_view | where: {"path": "/cart"}
    evidence       kind[: source]                 e.g. observed: Session recordings
    link           [label ]<url>                  e.g. Sale page <https://shop.example/sale>

Text that would read as something else (a leading `high:`, a ` | `, a newline, a leading `"`)
is written as a JSON string ("..."), which reads back as exactly that text.
"""

from __future__ import annotations

import json
import re
from typing import Any

from journeymap.model import (
    Better,
    EvidenceKind,
    FeedbackMethod,
    Level,
    OpportunityStatus,
)

# ----------------------------------------------------------------------------- writing
_NUMBER = re.compile(r"-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def quoted(text: str, prefixes: tuple[str, ...] = ()) -> str:
    """Text as it stands in an item: itself, or a JSON string when it would read otherwise."""
    head = text.split(":", 1)[0].strip().lower() if ":" in text else None
    if (
        text != text.strip()
        or not text
        or "\n" in text
        or " | " in text
        or text.startswith('"')
        or _CONTROL.search(text)
        or (head is not None and head in prefixes)
        or (text.endswith(">") and "<" in text)
        or text == "(none)"
    ):
        return json.dumps(text, ensure_ascii=False)
    return text


def quoted_cell(text: str) -> str:
    """A single-value cell (not a list): as it is, unless it would read back otherwise."""
    if text != text.strip() or _CONTROL.search(text) or whole_json(text) is not None:
        return json.dumps(text, ensure_ascii=False)
    return text


def read_cell(text: str) -> str:
    """A single-value cell's text: a whole JSON string decoded, else the text stripped."""
    whole = whole_json(text)
    return whole if whole is not None else text.strip()


def _attribute(key: str, value: Any) -> str:
    if isinstance(value, bool):
        raise TypeError(key)
    if isinstance(value, int | float):
        return f" | {key}: {value!r}"
    text = str(value)
    if _NUMBER.fullmatch(text) or text.lower() in ("true", "false"):
        return f" | {key}: {json.dumps(text)}"
    return f" | {key}: {quoted(text)}"


_LEVELS = tuple(level.value for level in Level)
_METHODS = tuple(method.value for method in FeedbackMethod)
_KINDS = tuple(kind.value for kind in EvidenceKind)


def write_item(kind: str, item: Any) -> str:
    """One item of a list cell as text (`item` is a model object or a string)."""
    if kind in ("list", "ids"):
        return quoted(str(item))
    if kind == "pain":
        head = f"{item.severity.value}: " if item.severity else ""
        text = head + quoted(item.text, _LEVELS)
        return text + (_attribute("owner", item.owner) if item.owner is not None else "")
    if kind == "opportunity":
        head = f"{item.priority.value}: " if item.priority else ""
        text = head + quoted(item.text, _LEVELS)
        if item.owner is not None:
            text += _attribute("owner", item.owner)
        if item.status is not None:
            text += f" | status: {item.status.value}"
        return text
    if kind == "kpi":
        text = quoted(item.name)
        if item.measure is not None:
            text += f" | measure: {item.measure.value}"
        for key, attribute in (("from", "from_"), ("to", "to")):
            if getattr(item, attribute) is not None:
                text += f" | {key}: {getattr(item, attribute)}"
        for key in ("target", "actual", "unit"):
            value = getattr(item, key)
            if value is not None:
                text += _attribute(key, value)
        if item.better is not Better.HIGHER:
            text += f" | better: {item.better.value}"
        return text
    if kind == "feedback":
        text = str(item.method.value) + (f": {quoted(item.name)}" if item.name is not None else "")
        return text + (_attribute("survey", item.survey) if item.survey is not None else "")
    if kind == "event":
        text = quoted(item.name)
        return text + (f" | where: {json.dumps(item.where)}" if item.where else "")
    if kind == "evidence":
        head = str(item.kind.value)
        return head + (f": {quoted(item.source)}" if item.source is not None else "")
    if kind == "link":
        url = item.url.replace(">", "%3E")  # the one character that would end it early
        return (f"{quoted(item.label)} " if item.label is not None else "") + f"<{url}>"
    raise ValueError(kind)


def write_list(kind: str, items: list[Any] | None) -> str:
    if items is None:
        return ""
    if kind == "ids" and not items:
        return "(none)"
    return "\n".join(write_item(kind, item) for item in items)


# ----------------------------------------------------------------------------- reading
class CellError(ValueError):
    """An item that cannot be read; the message says what was expected."""


def whole_json(text: str) -> str | None:
    """The text a cell or item holds when it is all one JSON string, else None."""
    text = text.strip()
    if not (text.startswith('"') and text.endswith('"')):
        return None
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, str) else None


def unquote(text: str) -> tuple[str, str]:
    """(text, what follows it): a leading JSON string is decoded, else the text up to ` | `."""
    text = text.strip()
    if text.startswith('"'):
        try:
            value, end = json.JSONDecoder().raw_decode(text)
        except json.JSONDecodeError:
            value = None
        if isinstance(value, str) and (not text[end:].strip() or text[end:].lstrip()[0] == "|"):
            return value, text[end:]
    head, bar, rest = text.partition(" | ")
    return head.strip(), bar + rest


def _attributes(rest: str, allowed: tuple[str, ...]) -> dict[str, Any]:
    """`| key: value | key: value` after an item's text."""
    out: dict[str, Any] = {}
    rest = rest.strip()
    while rest:
        if not rest.startswith("|"):
            raise CellError(f"expected ' | key: value' after the text, got {rest[:30]!r}")
        rest = rest[1:].strip()
        key, colon, value = rest.partition(":")
        key = key.strip().lower()
        if not colon or key not in allowed:
            raise CellError(f"unknown attribute {key!r}: use {', '.join(allowed)}")
        raw = value.strip()
        if raw.startswith('"'):
            text, rest = unquote(raw)
            out[key] = ("text", text)
        else:
            text, bar, rest = raw.partition(" | ")
            rest = bar.strip() and "|" + rest
            out[key] = ("raw", text.strip())
    return out


def _number_or_text(value: tuple[str, str]) -> int | float | str:
    form, text = value
    if form == "raw" and _NUMBER.fullmatch(text):
        number = float(text)
        return int(text) if re.fullmatch(r"-?\d+", text) else number
    return text


def _prefixed(text: str, prefixes: tuple[str, ...]) -> tuple[str | None, str]:
    head, colon, rest = text.partition(":")
    if colon and head.strip().lower() in prefixes:
        return head.strip().lower(), rest.strip()
    return None, text


def _read_remark(kind: str, text: str) -> Any:
    """A pain point or an opportunity: plain text when it has nothing but its text."""
    level, body = _prefixed(text, _LEVELS)
    value, rest = unquote(body)
    allowed = ("owner",) if kind == "pain" else ("owner", "status")
    attributes = _attributes(rest, allowed)
    item: dict[str, Any] = {"text": value}
    if level:
        item["severity" if kind == "pain" else "priority"] = level
    if "owner" in attributes:
        item["owner"] = attributes["owner"][1]
    if "status" in attributes:
        status = attributes["status"][1].lower()
        if status not in {s.value for s in OpportunityStatus}:
            raise CellError(f"status {status!r}: use idea, planned or done")
        item["status"] = status
    return item if len(item) > 1 else value


def _read_kpi(text: str) -> dict[str, Any]:
    name, rest = unquote(text)
    attributes = _attributes(rest, ("measure", "from", "to", "target", "actual", "unit", "better"))
    kpi: dict[str, Any] = {"name": name}
    for key in ("measure", "from", "to"):
        if key in attributes:
            kpi[key] = attributes[key][1]
    for key in ("target", "actual"):
        if key in attributes:
            kpi[key] = _number_or_text(attributes[key])
    if "unit" in attributes:
        kpi["unit"] = attributes["unit"][1]
    if "better" in attributes:
        better = attributes["better"][1].lower()
        if better not in ("higher", "lower"):
            raise CellError(f"better {better!r}: use higher or lower")
        kpi["better"] = better
    return kpi


def _read_event(text: str) -> Any:
    """An event: its name alone, or `{name, where}`."""
    name, rest = unquote(text)
    where = _attributes(rest, ("where",)).get("where")
    if where is None:
        return name
    try:
        table = json.loads(where[1])
    except json.JSONDecodeError:
        table = None
    if not isinstance(table, dict):
        raise CellError('where: expected a JSON object such as {"path": "/cart"}')
    return {"name": name, "where": table}


def _read_source(kind: str, text: str) -> dict[str, Any]:
    """Feedback (`method[: name][ | survey: ID]`) or evidence (`kind[: source]`)."""
    if kind == "feedback" and " | " in text.partition(":")[0]:
        # `method | survey: ID`: no name, attributes straight after the method.
        word, _, after = text.partition(" | ")
        item = _read_source("feedback", word)
        survey = _attributes("|" + after, ("survey",)).get("survey")
        if survey is not None:
            item["survey"] = survey[1]
        return item
    choices = _METHODS if kind == "feedback" else _KINDS
    head, colon, rest = text.partition(":")
    word = head.strip().lower()
    if word not in choices:
        raise CellError(
            f"{word!r} is not a {kind} {'method' if kind == 'feedback' else 'kind'}: "
            f"start with one of {', '.join(choices)}"
        )
    out: dict[str, Any] = {"method" if kind == "feedback" else "kind": word}
    if colon:
        value, after = unquote(rest)
        out["name" if kind == "feedback" else "source"] = value
        if kind == "feedback":
            survey = _attributes(after, ("survey",)).get("survey")
            if survey is not None:
                out["survey"] = survey[1]
    return out


def _read_link(text: str) -> dict[str, Any]:
    stripped = text.strip()
    if stripped.endswith(">") and "<" in stripped:
        cut = stripped.rfind("<")
        url = stripped[cut + 1 : -1].strip()
        label = stripped[:cut].strip()
        link: dict[str, Any] = {"url": url}
        if label:
            link["label"] = unquote(label)[0]
        return link
    return {"url": stripped}


def read_item(kind: str, text: str) -> Any:
    """One item of a list cell as map data; CellError when it does not read."""
    if kind in ("list", "ids"):
        return read_cell(text)
    if kind in ("pain", "opportunity"):
        return _read_remark(kind, text)
    if kind == "kpi":
        return _read_kpi(text)
    if kind == "event":
        return _read_event(text)
    if kind in ("feedback", "evidence"):
        return _read_source(kind, text)
    if kind == "link":
        return _read_link(text)
    raise ValueError(kind)


def split_items(cell: str) -> list[str]:
    """The items of a list cell: one per line (blank lines skipped)."""
    return [line for line in cell.split("\n") if line.strip()]
