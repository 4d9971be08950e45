"""A suppression comment that silences nothing.

## What it does
Flags a rule named in a `# journeymap: ignore[...]` comment that finds nothing on the YAML the
comment is about (the node that starts on its line, or on the next line for a comment on a line
of its own, and everything inside it), and a rule named in `# journeymap: file-ignore[...]`
that finds nothing in the file. The problem was fixed, or the comment is on the wrong line, or
it names the wrong rule.

Only a rule that ran can leave a comment unused: a rule turned `off` in the configuration, left
out by `--select`, `--ignore` or `per-file-ignores`, or not run because the file has format
errors, makes no comment unused.

## Why is this bad?
A suppression that silences nothing misleads: readers take it for an accepted problem, and it
stays in the map until the rule finds something there again, which it then hides without
anyone having looked at it.

## Known problems
The findings of the rules that compare the map with measured data change with the data, and
lint runs with and without them (`--metrics`), so a comment naming one of them is never
reported: `kpi-off-target`, `unobserved-step`, `unanswered-survey`, `unmapped-transition`,
`unexplained-drop-off`, `emotion-contradicts-data`, `stale-metrics`. Nor is a comment naming
`unused-suppression` itself, which silences this rule's findings on its line.

## Example
```yaml
stages:
  # journeymap: ignore[missing-kpi] -- no KPI agreed yet
  - id: support
    name: Support
    kpis:
      - name: First contact resolution
        target: 0.6
```

## Use instead
```yaml
stages:
  - id: support
    name: Support
    kpis:
      - name: First contact resolution
        target: 0.6
```
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING

from journeymap.findings import Severity
from journeymap.lint.core import Context, Problem

if TYPE_CHECKING:
    from journeymap.lint.suppress import Directive, Suppressions
    from journeymap.validation import Journey

NAME = "unused-suppression"
DEFAULT_SEVERITY = Severity.WARNING


def check(journey: Journey, context: Context) -> Iterator[Problem]:
    # The engine calls `check_suppressions` once every other rule's findings are known.
    yield from ()


def check_suppressions(suppressions: Suppressions, ran: Collection[str]) -> Iterator[Problem]:
    from journeymap.lint import RULE_BY_NAME  # the registry imports this module

    judged = {name for name in ran if name != NAME and not RULE_BY_NAME[name].reads_metrics}
    for directive, name, column in suppressions.unused(judged):
        yield Problem("", _message(directive, name), line=directive.line, column=column)


def _message(directive: Directive, name: str) -> str:
    fix = "remove the comment" if len(directive.rules) == 1 else f"remove '{name}' from it"
    if directive.file_wide:
        return f"file-ignore[{name}] suppresses nothing: {name} finds nothing in this file; {fix}"
    if not directive.target:
        return f"ignore[{name}] suppresses nothing: no YAML follows the comment; {fix}"
    where = "this line" if directive.target == directive.line else f"line {directive.target}"
    return (
        f"ignore[{name}] suppresses nothing here: {name} finds nothing on {where} or inside "
        f"what starts there; {fix}"
    )
