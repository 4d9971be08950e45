"""`--help` for each command, laid out by journeymap rather than by the typer version installed.

Typer's own layouts differ from version to version and each had flaws users saw: rich markup
ate `[rule]` and `[default: ...]` (leaving "Colour theme ."), flags were shown taking `<bool>`,
types were shown as `<list[str]>`, and hyphenated words were split at the end of a line. Here a
command's help is: the usage line, the docstring's paragraphs, then its arguments and options,
each option with its metavar (never for a flag) and its real default, wrapped to the terminal
(at most 120 columns) without breaking words at hyphens.
"""

from __future__ import annotations

import inspect
import shutil
import textwrap
from enum import Enum
from typing import Any

from typer.core import TyperCommand

MAX_WIDTH = 120
MIN_WIDTH = 50
_NAME_COLUMN = 26  # names longer than this put their help on the next line


def width() -> int:
    """The terminal's width, within [MIN_WIDTH, MAX_WIDTH]."""
    return max(MIN_WIDTH, min(shutil.get_terminal_size((80, 24)).columns, MAX_WIDTH))


def wrap(text: str, columns: int, indent: str = "", first: str | None = None) -> list[str]:
    wrapper = textwrap.TextWrapper(
        width=columns,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_on_hyphens=False,
        break_long_words=False,
    )
    # "[default: x]" stays on one line: its space is a no-break space while wrapping.
    text = " ".join(text.split()).replace("[default: ", "[default:\xa0")
    lines = wrapper.wrap(text) or [indent.rstrip()]
    return [line.replace("\xa0", " ") for line in lines]


def default_text(param: Any) -> str | None:
    """The default to show for an option, or None when there is nothing worth showing."""
    if getattr(param, "is_flag", False) or getattr(param, "show_default", True) is False:
        return None
    value = param.default
    if callable(value) or value is None or value == [] or value == ():
        return None
    if isinstance(value, Enum):
        value = value.value
    return str(value)


def _choices(param: Any) -> list[str]:
    """An option's choices (click keeps them on the type, newer typer on a descriptor)."""
    for holder in (getattr(param, "type", None), getattr(param, "type_descriptor", None)):
        found = getattr(holder, "choices", None)
        if found:
            return [c.value if isinstance(c, Enum) else str(c) for c in found]
    return []


def _option_names(param: Any) -> str:
    names = ", ".join(sorted(param.opts, key=lambda o: (o.startswith("--"), o)))
    if param.secondary_opts:
        names += " / " + ", ".join(param.secondary_opts)
    if not getattr(param, "is_flag", False) and not getattr(param, "count", False):
        metavar = param.metavar or "|".join(_choices(param)) or param.name.upper()
        names += f" {metavar}"
    return names


def _help(param: Any) -> str:
    text = param.help or ""
    if param.param_type_name == "option":
        shown = default_text(param)
        if shown is not None and "[default:" not in text:
            text = f"{text} [default: {shown}]"
        if param.required:
            text = f"{text} [required]"
    return text.strip()


def _definitions(rows: list[tuple[str, str]], columns: int) -> list[str]:
    if not rows:
        return []
    name_width = min(max(len(name) for name, _ in rows), _NAME_COLUMN)
    out: list[str] = []
    for name, text in rows:
        lead = f"  {name}"
        indent = " " * (name_width + 4)
        if len(name) <= name_width:
            out += wrap(text, columns, indent, first=lead.ljust(name_width + 4))
        else:
            out.append(lead)
            out += wrap(text, columns, indent) if text else []
    return out


def usage(command: Any, ctx: Any) -> str:
    pieces = [ctx.command_path, "[OPTIONS]"]
    for param in command.get_params(ctx):
        if param.param_type_name != "argument":
            continue
        name = param.metavar or param.name.upper()
        if param.metavar is None and param.nargs != 1:
            name += "..."
        pieces.append(name if param.required or name.startswith("[") else f"[{name}]")
    return "Usage: " + " ".join(pieces)


def render(command: Any, ctx: Any, columns: int | None = None) -> str:
    """The whole help text of a command."""
    columns = columns or width()
    lines = wrap(usage(command, ctx), columns, " " * 7, first="")
    for paragraph in inspect.cleandoc(command.help or "").split("\n\n"):
        if paragraph.strip():
            lines += ["", *wrap(paragraph, columns, "  ")]
    params = [p for p in command.get_params(ctx) if not getattr(p, "hidden", False)]
    arguments = [
        (p.metavar or p.name.upper(), _help(p)) for p in params if p.param_type_name == "argument"
    ]
    options = [(_option_names(p), _help(p)) for p in params if p.param_type_name == "option"]
    if arguments:
        lines += ["", "Arguments:", *_definitions(arguments, columns)]
    if options:
        lines += ["", "Options:", *_definitions(options, columns)]
    return "\n".join(line.rstrip() for line in lines) + "\n"


class HelpCommand(TyperCommand):
    """A typer command whose `--help` is `render`'s."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        formatter.write(render(self, ctx))

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        """The usage line also shown above a usage error."""
        formatter.write("\n".join(wrap(usage(self, ctx), width(), " " * 7, first="")) + "\n")
