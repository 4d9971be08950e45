"""A suppression comment that names no lint rule.

## What it does
Flags a `# journeymap: ignore[...]` or `# journeymap: file-ignore[...]` comment that names a
rule that does not exist (with the closest rule name), names a format check (format errors
cannot be suppressed), or names no rule at all: `ignore[]`, or a bare `# journeymap: ignore`
with no rule list, which silences nothing. A suppression always names its rules, so that it
cannot hide findings of rules added later or problems nobody looked at.

## Why is this bad?
A misspelt rule name silences nothing, so the finding it was meant to silence stays, or worse, a
later finding the author meant to accept is reported and nobody knows why the comment is there.

## Example
```yaml
kpis:
  # journeymap: ignore[kpi-of-target] -- baseline under review
  - name: First contact resolution
```

## Use instead
```yaml
kpis:
  # journeymap: ignore[kpi-off-target] -- baseline under review
  - name: First contact resolution
```
"""

from __future__ import annotations

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


def _check(document: Document) -> Iterator[Problem]:
    if "ignore" not in document.text:
        return
    from journeymap.lint import RULE_BY_NAME  # the registry imports this module

    for directive in parse(document.lines):
        if not directive.rules:
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
