"""The map as a Mermaid `journey` diagram, for pasting into GitHub Markdown.

Each stage is a `section`, each step a task scored emotion + 3 (1..5) with the step's persona
(or every persona; none when the map has no personas) as actors. Map text is made safe for
Mermaid's syntax with its entity codes (`#58;` for `:`), which Mermaid turns back into the
character when it draws: the lexer treats
`:` `;` `#` and newlines as syntax, `%` as the start of a comment, and a task that starts with
a keyword (`section`, `title`, `journey`...) as that keyword.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from journeymap.render.text import one_line

if TYPE_CHECKING:
    from journeymap.render import RenderContext
    from journeymap.validation import Journey

# Characters with a meaning in Mermaid's journey grammar, or in the HTML it draws into.
_UNSAFE = re.compile(r"[#:;%<>&,\"'`{}\[\]\\]")
_KEYWORD = re.compile(r"(?:journey|title|section|acctitle|accdescr)\b", re.IGNORECASE)
NEUTRAL_SCORE = 3


def entities(text: str) -> str:
    """`text` with Mermaid's special characters written as entity codes (`:` as `#58;`)."""
    return _UNSAFE.sub(lambda m: f"#{ord(m.group())};", text)


def mermaid_text(text: str, fallback: str = "untitled") -> str:
    """`text` on one line with Mermaid's special characters written as entity codes."""
    safe = entities(one_line(text) or fallback)
    if _KEYWORD.match(safe):
        safe = f"#{ord(safe[0])};{safe[1:]}"
    return safe


def to_mermaid(journey: Journey) -> str:
    personas = {p.id: p.name for p in journey.personas}
    everyone = [mermaid_text(name) for name in personas.values()]
    lines = ["journey", f"  title {mermaid_text(journey.map.title)}"]
    for stage in journey.map.stages:
        lines.append(f"  section {mermaid_text(stage.name, stage.id)}")
        for step in stage.steps:
            name = mermaid_text(step.name, step.id)
            if step.emotion is None:
                score = NEUTRAL_SCORE
                name += " (emotion not recorded)"
            else:
                score = step.emotion + 3
            if step.persona and step.persona in personas:
                actors = [mermaid_text(personas[step.persona])]
            else:
                actors = everyone
            who = f": {', '.join(actors)}" if actors else ""
            lines.append(f"    {name}: {score}{who}")
    return "\n".join(lines) + "\n"


class MermaidRenderer:
    name = "mermaid"
    extension = "mmd"
    description = "a Mermaid journey diagram (paste into GitHub Markdown)"

    def render(self, journey: Journey, context: RenderContext) -> bytes:
        from journeymap.render.marks import mark_mermaid

        return mark_mermaid(to_mermaid(journey), context.source_name(journey)).encode("utf-8")
