"""Indentation mistakes in YAML: which lines up with what, and what a line could line up with.

libyaml says where it stopped ("did not find expected key") about the block that failed, which
is often not the one the author meant: a step's key one space short fails in its stage. Here
the lines above are read for the lists and keys the line could belong to, nearest first.
"""

from __future__ import annotations

import re

import yaml

from journeymap.words import plural

# The first `key: ` of a line (after list dashes); its value starts after the match.
FIRST_KEY = re.compile(r"^\s*(?:-\s+)*[^\s#'\"-][^:#]*?:(?=\s|$)")

Found = tuple[int, int, str] | None


def indent(line: str) -> int:
    """How many spaces a line starts with."""
    return len(line) - len(line.lstrip(" "))


def misindented(lines: list[str], err: yaml.MarkedYAMLError, line0: int) -> Found:
    """Line `line0` indented to line up with no list or keys above it: where, and with what to
    line it up; None when its indentation is not the problem."""
    problem = err.problem or ""
    if line0 >= len(lines) or not lines[line0].strip():
        return None
    here = indent(lines[line0])
    context = err.context_mark
    steps = _steps_forgotten(lines, line0, problem)
    if steps is not None:
        return steps
    if problem.startswith("mapping values are not allowed") and line0 > 0:
        above = next((i for i in range(line0 - 1, -1, -1) if lines[i].strip()), None)
        if above is None:
            return None
        keys = key_column(lines[above])
        return (
            line0,
            here,
            (
                f"this line is indented {plural(here, 'space')}; the keys above use {keys} "
                "(a deeper line continues the text of the line above)"
            ),
        )
    if context is None or not (
        problem.startswith(("did not find expected", "expected <block end>"))
    ):
        return None
    if "'-' indicator" in problem or context.line >= len(lines):
        return _off_list(lines, line0, context.line, context.column)
    if _ITEM.match(lines[line0]):
        return _item_off_list(lines, line0)
    return _off_keys(lines, line0, context.line, context.column)


# A list item's line: its dash, then a space or the end of the line.
_ITEM = re.compile(r"^\s*-(?:\s|$)")


def _steps_forgotten(lines: list[str], line0: int, problem: str) -> Found:
    """A list item right under a stage's keys (at their column or deeper), in a stage with no
    `steps:`: the steps' key was left out. Lining the item up with a list above (the stages')
    would turn the step into a stage."""
    if not problem.startswith(("did not find expected key", "mapping values are not allowed")):
        return None
    if line0 >= len(lines) or not _ITEM.match(lines[line0]):
        return None
    if not (_is_key(lines[line0]) or lines[line0][key_column(lines[line0]) :].startswith("{")):
        return None  # an item of text: no step
    above = next((i for i in range(line0 - 1, -1, -1) if has_content(lines[i])), None)
    if above is None or not _is_key(lines[above]):
        return None
    here, keys = indent(lines[line0]), key_column(lines[above])
    stage = _stage_item(lines, above, keys)
    if here < keys or stage is None:
        return None
    hint = (
        f"a list under a stage's keys needs a key: add a line `steps:` above it (at {keys} "
        f"spaces) and indent the items under it ({keys + 2} spaces)"
    )
    if here == keys:  # or it is the next stage, one level too deep
        hint += (
            f", or, if it starts the next stage, indent it {keys - 2} spaces as the stage on "
            f"line {stage + 1}"
        )
    return line0, here, hint


def _stage_item(lines: list[str], above: int, keys: int) -> int | None:
    """The line of the `- ` that starts the stage whose keys (at column `keys`) end on line
    `above`, when that mapping is an item of the top-level `stages:` and has no `steps`."""
    for index in range(above, -1, -1):
        line = lines[index]
        if not has_content(line) or indent(line) > keys:
            continue  # a value's lines: a KPI's keys, the items of a list...
        if _key(line) == "steps:" and key_column(line) == keys:
            return None  # the stage has its steps' key: not this mistake
        if indent(line) == keys:
            continue  # another key of the stage, or an item of a list under one
        if not (_ITEM.match(line) and key_column(line) == keys):
            return None
        owner = _owner(lines, index, indent(line))
        if owner is None or indent(lines[owner]) != 0 or _key(lines[owner]) != "stages:":
            return None  # a list item, but not a stage
        return index
    return None


def _off_list(lines: list[str], line0: int, start: int, dash: int) -> Found:
    """A line inside a list (its first item at `start`) that is not one of its items."""
    here = indent(lines[line0])
    item = next(
        (
            i
            for i in range(line0 - 1, start - 1, -1)
            if _ITEM.match(lines[i]) and indent(lines[i]) == dash
        ),
        start,
    )
    keys = key_column(lines[item]) if item < len(lines) and _ITEM.match(lines[item]) else dash + 2
    if here == dash:  # lined up with the items, but no `- `: a key of the item or the mapping
        return line0, here, _beside_list(lines, line0, start, dash, item)
    if _ITEM.match(lines[line0]):  # an item joins the list, never its items' keys
        return (
            line0,
            here,
            (
                f"this list item is indented {plural(here, 'space')}; the list above uses "
                f"{dash}: indent it {dash} to follow the item on line {item + 1}"
            ),
        )
    return (
        line0,
        here,
        (
            f"this line is indented {plural(here, 'space')}; the list above uses {dash} "
            f"(its items' keys {keys}): line it up with one of them"
        ),
    )


def _beside_list(lines: list[str], line0: int, start: int, dash: int, item: int) -> str:
    """What a line lined up with a list's dashes, with no `- `, could be: a key of the mapping
    the list is in (`owner:` after `stages:`'s list), or of the item above when it has keys."""
    options = []
    outer = _owner(lines, start, dash)
    if outer is not None:
        options.append(
            f"indent it {plural(key_column(lines[outer]), 'space')}, as the keys of line "
            f"{outer + 1} (`{_key(lines[outer])}`), if it belongs there"
        )
    above = lines[item] if item < len(lines) and _ITEM.match(lines[item]) else ""
    value = above[key_column(above) :]
    if value.startswith("{"):
        options.append(f"put it inside the {{ }} of the item on line {item + 1}")
    elif _is_key(above) and not value.startswith("["):  # a block mapping: its keys
        options.append(
            f"indent it {plural(key_column(above), 'space')}, as the keys of the item on line "
            f"{item + 1}, to make it part of that item"
        )
    if not options:
        options.append("start it with `- ` to make it an item, or move it out of the list")
    return (
        f"this line is indented {plural(indent(lines[line0]), 'space')}, as the list above, but "
        f"is not one of its items (`- `): {', or '.join(options)}"
    )


def _owner(lines: list[str], start: int, dash: int) -> int | None:
    """The line of the key whose value is the list starting at `start`, when it is a key of a
    mapping (`stages:` above `  - id: a`)."""
    for index in range(start - 1, -1, -1):
        if has_content(lines[index]) and indent(lines[index]) < dash:
            line = lines[index]
            return index if _is_key(line) and key_column(line) < dash else None
    return None


def _item_off_list(lines: list[str], line0: int) -> Found:
    """A list item among the keys of a mapping: lined up with no list above it."""
    here = indent(lines[line0])
    items = [i for i in _enclosing(lines, line0) if _ITEM.match(lines[i])]
    deeper = next((i for i in items if indent(lines[i]) > here), None)
    shallower = next((i for i in items if indent(lines[i]) < here), None)
    options = [
        f"{indent(lines[i])} to follow the item on line {i + 1}"
        for i in (deeper, shallower)
        if i is not None
    ]
    if not options:
        return (
            line0,
            here,
            (
                "a list item among keys: a list belongs under a key (`key:`, then its items "
                "on the lines below, indented deeper than the key)"
            ),
        )
    return (
        line0,
        here,
        (
            f"this list item is indented {plural(here, 'space')} and lines up with no list above: "
            f"indent it {', or '.join(options)}"
        ),
    )


def _off_keys(lines: list[str], line0: int, start: int, column: int) -> Found:
    """A key line that lines up with no mapping it could belong to."""
    here = indent(lines[line0])
    keys = key_column(lines[start]) if start < len(lines) else column
    if here == keys:
        return None  # lined up already (a lone `...`, say): the indentation is not the problem
    # The nearest keys it falls short of (a step's) come first, not those of the mapping that
    # failed (its stage's): the line was most likely meant for the keys just above it.
    found = [i for i in _enclosing(lines, line0) if _is_key(lines[i])]
    deeper = [key_column(lines[i]) for i in found if key_column(lines[i]) > here]
    nearest = next((i for i in found if deeper and key_column(lines[i]) == min(deeper)), None)
    outer = next((i for i in found if key_column(lines[i]) < here), None)
    if nearest is None or outer is None:
        return (
            line0,
            here,
            f"this line is indented {plural(here, 'space')}; the keys above use {keys}: line it up "
            "with them",
        )
    return (
        line0,
        here,
        (
            f"this line is indented {plural(here, 'space')}; the keys above use "
            f"{key_column(lines[nearest])} (line {nearest + 1}): line it up with them, or with "
            f"the keys of line {outer + 1} ({plural(key_column(lines[outer]), 'space')}) if it "
            "belongs there"
        ),
    )


def _enclosing(lines: list[str], line0: int) -> list[int]:
    """The lines above `line0` that enclose the line above it, nearest first: each less
    indented than the one before."""
    found: list[int] = []
    for index in range(line0 - 1, -1, -1):
        if has_content(lines[index]) and (
            not found or indent(lines[index]) < indent(lines[found[-1]])
        ):
            found.append(index)
    return found


def _is_key(line: str) -> bool:
    """Whether a line holds a `key:` (after its list dashes)."""
    return FIRST_KEY.match(line) is not None


def _key(line: str) -> str:
    """The `key:` of a line that holds one (after its list dashes)."""
    match = FIRST_KEY.match(line)
    return line[key_column(line) : match.end()] if match else ""


def key_column(line: str) -> int:
    """Where the key of a line starts (after its list dashes)."""
    match = re.match(r"^\s*(?:-\s+)*", line)
    return match.end() if match else 0


def has_content(line: str) -> bool:
    """Whether a line holds YAML, not only spaces or a comment."""
    return bool(line.strip()) and not line.lstrip().startswith("#")
