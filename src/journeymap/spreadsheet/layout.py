"""The spreadsheet's layout: its sheets, their columns, and the CSV files of one map.

One row per step and a column per lane. A column has the header the export writes and the other
names an import also reads it by (`Phase` for the stage, `Feelings` for the emotion). In CSV the
steps file has three files beside it, `<name>.personas.csv`, `<name>.channels.csv` and
`<name>.map.csv`. A CSV cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`) is written
with a leading `'`, which the import removes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

STEPS, PERSONAS, CHANNELS, MAP = "Steps", "Personas", "Channels", "Map"


@dataclass(frozen=True)
class Column:
    key: str  # the map field (stage_... for stage fields)
    header: str  # as exported
    aliases: tuple[str, ...] = ()
    kind: str = "text"  # text | list | emotion | bool | ids | pain | opportunity | kpi | ...


STEP_COLUMNS = (
    Column("stage_id", "Stage id", ("phase id",), "id"),
    Column("stage_name", "Stage name", ("stage", "phase", "phase name", "journey stage")),
    Column("step_id", "Step id", (), "id"),
    Column("name", "Step name", ("step", "task", "activity", "customer step", "name")),
    Column("persona", "Persona", ("actor", "who", "persona id", "customer")),
    Column("channel", "Channel", ("channels", "channel id", "medium")),
    Column("touchpoint", "Touchpoint", ("touchpoints", "touch point", "touch points")),
    Column("action", "Action", ("actions", "doing", "customer action", "customer actions")),
    Column("thoughts", "Thoughts", ("thought", "thinking", "quotes", "what they think"), "list"),
    Column(
        "emotion", "Emotion", ("emotions", "feelings", "feeling", "mood", "sentiment"), "emotion"
    ),
    Column(
        "pain_points", "Pain points", ("pain point", "pains", "painpoints", "frustrations"), "pain"
    ),
    Column(
        "opportunities", "Opportunities", ("opportunity", "ideas", "improvements"), "opportunity"
    ),
    Column("kpis", "KPIs", ("kpi", "metrics", "measures"), "kpi"),
    Column("feedback", "Feedback", ("feedback sources", "voice of the customer"), "feedback"),
    Column("frontstage", "Frontstage", ("front stage",), "list"),
    Column("backstage", "Backstage", ("back stage",), "list"),
    Column("support", "Support", ("support processes", "support systems"), "list"),
    Column("moment_of_truth", "Moment of truth", ("moments of truth", "mot", "key moment"), "bool"),
    Column("next", "Next", ("next step", "next steps", "leads to"), "ids"),
    Column("description", "Description", ("step description", "details")),
    Column("handoff", "Handoff", ("hand off", "handover")),
    Column("owner", "Owner", ("step owner",)),
    Column("evidence", "Evidence", ("sources", "research"), "evidence"),
    Column("links", "Links", ("link", "urls"), "link"),
    Column("stage_goal", "Stage goal", ("goal", "phase goal", "customer goal")),
    Column("stage_description", "Stage description", ("phase description",)),
    Column("stage_kpis", "Stage KPIs", ("stage kpi", "stage metrics"), "kpi"),
    Column("stage_feedback", "Stage feedback", (), "feedback"),
    Column("events", "Events", ("event", "event names"), "event"),
)
PERSONA_COLUMNS = (
    Column("id", "Id", (), "id"),
    Column("name", "Name", ("persona",)),
    Column("description", "Description"),
    Column("goals", "Goals", ("goal",), "list"),
    Column("needs", "Needs", ("need",), "list"),
    Column("pain_points", "Pain points", ("pain point", "pains", "frustrations"), "pain"),
    Column("quote", "Quote"),
    Column("library", "Library", ("from", "defined in")),
)
CHANNEL_COLUMNS = (
    Column("id", "Id", (), "id"),
    Column("name", "Name", ("channel",)),
    Column("kind", "Kind", ("type",)),
    Column("description", "Description"),
    Column("library", "Library", ("from", "defined in")),
)
MAP_FIELDS = ("id", "title", "description", "owner", "status", "updated", "tags", "uses")
MAP_LISTS = ("tags", "uses")


def header_key(text: str) -> str:
    """A header as compared with the known names: lower case, words joined by one space."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


def column_index(columns: tuple[Column, ...]) -> dict[str, Column]:
    index: dict[str, Column] = {}
    for column in columns:
        for name in (column.header, column.key.replace("_", " "), *column.aliases):
            index.setdefault(header_key(name), column)
    return index


def find_column(index: dict[str, Column], header: str) -> Column | None:
    """The column a header names; `Feelings / Emotion` tries each part."""
    key = header_key(header)
    if key in index:
        return index[key]
    for part in re.split(r"[/|&]| or ", header):
        found = index.get(header_key(part))
        if found is not None:
            return found
    return None


def sibling(steps_file: Path, sheet: str) -> Path:
    """`trip.csv` -> `trip.personas.csv`: where a sheet other than Steps goes."""
    stem = steps_file.name.removesuffix(".csv").removesuffix(".CSV")
    return steps_file.with_name(f"{stem}.{sheet.lower()}.csv")


# What a spreadsheet reads as the start of a formula in a cell.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def guard_formula(value: str) -> str:
    """A CSV cell's text that no spreadsheet runs: a leading `'` before formula-like text."""
    return "'" + value if value.startswith(FORMULA_START) else value


def unguard_formula(value: str) -> str:
    """A CSV cell without the `'` an export puts before formula-like text."""
    if value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value
