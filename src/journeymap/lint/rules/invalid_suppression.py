"""A suppression comment that is misspelt or names no lint rule.

## What it does
Flags a `# journeymap: ignore[...]` or `# journeymap: file-ignore[...]` comment that names a
rule that does not exist (with the closest rule name), names a format check (format errors
cannot be suppressed), or names no rule at all: `ignore[]`, or a bare `# journeymap: ignore`
with no rule list, which silences nothing. A suppression always names its rules, so that it
cannot hide findings of rules added later or problems nobody looked at.

It also flags a comment meant as a suppression but not written as one, and shows how to write
it: `journeymap` in capitals or without its colon, `ignore` misspelt (within two typing
slips), or the rules not in brackets: `# JourneyMap: ignore[missing-kpi]`,
`# journeymap ignore[missing-kpi]`, `# journeymap: ingore[missing-kpi]`,
`# journeymap: ignore missing-kpi`. Such a comment silences nothing. A comment that only starts
with the word (`# journeymap renders this stage as a column`) is not taken for one: after
`journeymap` and a word close to `ignore` must come a rule list, a rule's name, a reason
(`--`) or nothing.

## Why is this bad?
A misspelt rule name silences nothing, so the finding it was meant to silence stays, or worse, a
later finding the author meant to accept is reported and nobody knows why the comment is there.
A misspelt `journeymap: ignore` is the same: it reads as a suppression in review and does nothing.

## Example
```yaml
kpis:
  # journeymap: ignore[kpi-of-target] -- baseline under review
  - name: First contact resolution
steps:
  # JourneyMap: ingore[pain-without-opportunity] -- fix planned in Q3
  - id: waits-for-courier
```

## Use instead
```yaml
kpis:
  # journeymap: ignore[kpi-off-target] -- baseline under review
  - name: First contact resolution
steps:
  # journeymap: ignore[pain-without-opportunity] -- fix planned in Q3
  - id: waits-for-courier
```
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from journeymap.findings import Severity
from journeymap.lint.core import Context, Problem, unknown_rule_message
from journeymap.lint.suppress import parse

if TYPE_CHECKING:
    from journeymap.loader import Document
    from journeymap.model import Library
    from journeymap.validation import Journey

NAME = "invalid-suppression"
DEFAULT_SEVERITY = Severity.WARNING

# Cheap test first: a directive, even a malformed one, is a comment that starts with the word.
_CANDIDATE = re.compile(r"#\s*journeymap", re.IGNORECASE)


def _check(document: Document) -> Iterator[Problem]:
    if _CANDIDATE.search(document.text) is None:
        return
    from journeymap.lint import RULE_BY_NAME  # the registry imports this module

    for directive in parse(document.lines, RULE_BY_NAME):
        if directive.mistakes:
            yield Problem(
                "",
                f"malformed suppression comment ({', '.join(directive.mistakes)}), so it "
                f"silences nothing: write `{directive.fixed}`",
                line=directive.line,
                column=directive.column,
            )
        elif not directive.rules:
            yield Problem(
                "",
                "suppression comment names no rule, so it silences nothing: "
                "list them as ignore[rule-a, rule-b]",
                line=directive.line,
                column=directive.column,
            )
        for name, column in directive.rules:
            if name not in RULE_BY_NAME:
                message = unknown_rule_message(name, RULE_BY_NAME)
                yield Problem(
                    "", f"suppression comment: {message}", line=directive.line, column=column
                )


def check(journey: Journey, context: Context) -> Iterator[Problem]:
    yield from _check(journey.document)


def check_library(document: Document, library: Library, context: Context) -> Iterator[Problem]:
    yield from _check(document)
