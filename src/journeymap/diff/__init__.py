"""A semantic diff of journey maps, keyed by ids: what changed for the customer, not which lines.

- `changes`: the records (`Change`, `MapDiff`) and how values are written in them;
- `compare`: two checked maps in, their `Change`s out (`diff_journeys`, pure);
- `findings`: lint findings introduced, fixed or changed;
- `sources`: the two sides, from two files, two folders or a git revision;
- `pairs`: the maps of the two sides paired by id (an invalid map reported, not compared);
- `format`: the reporters (text, json, markdown) in the registry behind `--format`;
- `outline`: the line-oriented form of a map that git's textconv shows.

The names the `diff` command uses are importable from here.
"""

from __future__ import annotations

from journeymap.diff.changes import Change, DiffError, MapDiff
from journeymap.diff.compare import diff_journeys
from journeymap.diff.findings import finding_changes, where
from journeymap.diff.format import (
    FORMAT_NAMES,
    FORMATTERS,
    format_json,
    format_markdown,
    format_text,
    has_changes,
    invalid_findings,
)
from journeymap.diff.outline import outline, textconv_text
from journeymap.diff.pairs import map_diff
from journeymap.diff.sources import diff_paths, diff_revision

__all__ = [
    "FORMATTERS",
    "FORMAT_NAMES",
    "Change",
    "DiffError",
    "MapDiff",
    "diff_journeys",
    "diff_paths",
    "diff_revision",
    "finding_changes",
    "format_json",
    "format_markdown",
    "format_text",
    "has_changes",
    "invalid_findings",
    "map_diff",
    "outline",
    "textconv_text",
    "where",
]
