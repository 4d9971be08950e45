"""`journeymap lint`: best-practice rules for journey maps.

Public API (used by `lint`, the HTML health panel and `diff`):

- `lint_checked(checked, select=..., ignore=..., today=...)`: format errors plus lint findings
  for one checked file, severities from the configuration applied, `suppressed` set.
- `RULE_BY_NAME`: every rule, by name, in documentation order.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from journeymap.findings import ORDER, Finding
from journeymap.inspection import Inspection
from journeymap.lint.core import (
    Context,
    Problem,
    Rule,
    check_config,
    check_rule_names,
    enabled_rules,
    resolve_options,
    run_rules,
    run_suppression_rules,
)
from journeymap.lint.rules import (
    channel_gap,
    dead_end_step,
    emotion_contradicts_data,
    empty_stage,
    invalid_suppression,
    kpi_off_target,
    missing_emotion,
    missing_feedback,
    missing_kpi,
    negative_ending,
    no_persona,
    no_post_purchase,
    pain_without_opportunity,
    persona_incomplete,
    stale_map,
    stale_metrics,
    unanswered_survey,
    unexplained_drop_off,
    unmapped_transition,
    unmeasured_moment_of_truth,
    unobserved_step,
    unreachable_step,
    unused_channel,
    unused_persona,
    unused_suppression,
)
from journeymap.lint.suppress import Suppressions

# Explicit, in the order the documentation lists them: the journey's flow and structure, then
# measurement and feedback, then the customer's perspective, then housekeeping.
RULE_BY_NAME: dict[str, Rule] = {
    rule.name: rule
    for rule in map(
        Rule.from_module,
        (
            empty_stage,
            unreachable_step,
            dead_end_step,
            channel_gap,
            no_post_purchase,
            missing_feedback,
            missing_kpi,
            unmeasured_moment_of_truth,
            kpi_off_target,
            unobserved_step,
            unanswered_survey,
            unmapped_transition,
            unexplained_drop_off,
            emotion_contradicts_data,
            stale_metrics,
            no_persona,
            persona_incomplete,
            unused_persona,
            missing_emotion,
            pain_without_opportunity,
            negative_ending,
            unused_channel,
            stale_map,
            invalid_suppression,
            unused_suppression,
        ),
    )
}


def lint_checked(
    checked: Inspection,
    *,
    select: set[str] | None = None,
    ignore: set[str] | None = None,
    today: dt.date | None = None,
    metrics: dict[str, Any] | None = None,
) -> list[Finding]:
    """Format errors (if any) plus lint findings for one checked file, sorted.

    Raises `journeymap.config.ConfigError` when `select`, `ignore` or the file's configuration
    names a rule that does not exist.
    """
    known = RULE_BY_NAME.keys()
    if select is not None:
        check_rule_names(sorted(select), known, "--select")
    if ignore:
        check_rule_names(sorted(ignore), known, "--ignore")
    check_config(checked.config, RULE_BY_NAME)
    document = checked.document
    if checked.findings or document is None:
        return sorted(checked.findings, key=ORDER)
    if checked.journey is None and checked.library is None:
        return []
    config = checked.config
    figures, stale = None, None
    if metrics is not None and checked.journey is not None:
        from journeymap.measure.use import figures_of, fill_actuals, staleness

        figures = figures_of(metrics, checked.journey.id)
        stale = staleness(checked.journey, figures)
        if stale is not None:
            figures = None  # (stale-metrics says why; no rule reads figures of another map)
        if figures is not None:
            fill_actuals(checked.journey, figures)
    context = Context(
        checked.journey,
        today=today or dt.date.today(),
        options=resolve_options(RULE_BY_NAME, config),
        metrics=figures,
        stale=stale,
    )
    enabled = enabled_rules(RULE_BY_NAME, config, checked.path, select, ignore)
    findings = list(
        run_rules(RULE_BY_NAME, enabled, document, checked.journey, checked.library, context)
    )
    suppressions = Suppressions.of(document)
    findings = suppressions.apply(findings)
    if suppressions.directives:
        ran = [
            name
            for name in enabled
            if checked.journey is not None or RULE_BY_NAME[name].check_library is not None
        ]
        late = run_suppression_rules(RULE_BY_NAME, enabled, document, suppressions, ran)
        findings += suppressions.apply(list(late))
    return sorted(findings, key=ORDER)


__all__ = ["RULE_BY_NAME", "Context", "Problem", "Rule", "lint_checked"]
