"""docs/rules.md, generated from the rules' docstrings.

Regenerate with `python -m journeymap.lint.docs > docs/rules.md` (or `journeymap rules
--markdown`); a test fails when the file is stale.
"""

from __future__ import annotations

import re

from journeymap.lint import RULE_BY_NAME

_HEADING = re.compile(r"^## ", re.MULTILINE)


def anchor(name: str) -> str:
    return name


def markdown() -> str:
    out = [
        "# Lint rules",
        "",
        "<!-- Generated from the rule docstrings by `python -m journeymap.lint.docs`; "
        "do not edit. -->",
        "",
        "`journeymap lint` checks maps against journey-mapping best practices. Each rule has a",
        "default severity; change it, or turn the rule `off`, in the configuration",
        "(`[rules]` in `journeymap.toml`), and silence one finding with a",
        "`# journeymap: ignore[rule] -- reason` comment. See `journeymap rules NAME`.",
        "",
        "| Rule | Default | What it flags |",
        "| --- | --- | --- |",
    ]
    for rule in RULE_BY_NAME.values():
        out.append(
            f"| [`{rule.name}`](#{anchor(rule.name)}) | {rule.default_severity.value} | "
            f"{rule.summary} |"
        )
    for rule in RULE_BY_NAME.values():
        summary, _, body = rule.documentation.partition("\n")
        out += [
            "",
            f"## {rule.name}",
            "",
            f"{summary.strip()} Default severity: **{rule.default_severity.value}**.",
            "",
            _HEADING.sub("### ", body.strip()),
        ]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(markdown())
