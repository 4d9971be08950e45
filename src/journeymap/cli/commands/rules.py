"""`journeymap rules`: the lint rules, one line each, or one rule's documentation."""

from __future__ import annotations

from typing import Annotated

import typer

from journeymap.cli.output import fail, write_output


def rules(
    name: Annotated[
        str | None,
        typer.Argument(help="A rule name: print its full documentation.", show_default=False),
    ] = None,
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Print every rule's documentation as Markdown.")
    ] = False,
) -> None:
    """List the lint rules with their default severity, or document one rule."""
    from journeymap.lint import RULE_BY_NAME
    from journeymap.lint.run import rule_doc, rules_table

    if markdown:
        from journeymap.lint.docs import markdown as rules_markdown

        write_output(rules_markdown(), None)
    elif name is None:
        write_output(rules_table(), None)
    elif name in RULE_BY_NAME:
        write_output(rule_doc(name), None)
    else:
        from journeymap.lint.core import unknown_rule_message

        fail(f"{unknown_rule_message(name, RULE_BY_NAME)}; `journeymap rules` lists them")
