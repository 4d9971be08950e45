"""The emotion mapped on a step disagrees with what customers answered in surveys.

## What it does
With `lint --metrics metrics.json`, compares a step's `emotion` with its survey results: a
positive emotion (+1 or +2) where the CSAT share of 4-5 answers is below
`positive-csat-share` (default 50%) or the NPS is below `positive-nps` (default 0); or a negative
emotion (-1 or -2) where the CSAT share of 4-5 answers is at least `negative-csat-share`
(default 80%). Steps with no answers are not checked.

## Why is this bad?
Emotions on a map are often the workshop's guess. When customers say otherwise, the map is
telling the team a comforting story (or an alarming one) that the data does not support, and
priorities follow the wrong curve.

## Example
```yaml
- id: pays
  emotion: 2                            # but only 35% of answers to pay_csat are 4 or 5
  feedback: [{method: csat, survey: pay_csat}]
```

## Use instead
Change the emotion to match the answers (and find out why they differ):
```yaml
- id: pays
  emotion: -1
  pain_points: [Card declined without a reason]
  feedback: [{method: csat, survey: pay_csat}]
```"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from journeymap.findings import Severity
from journeymap.lint.core import Context, Option, Problem
from journeymap.words import plural

if TYPE_CHECKING:
    from journeymap.validation import Journey

NAME = "emotion-contradicts-data"
DEFAULT_SEVERITY = Severity.WARNING
# Its findings follow the measured data (`lint --metrics`), which change from run to run.
READS_METRICS = True
_OLD = "(also `emotion-{}` under `[measure.thresholds]`)"
OPTIONS = (
    Option(
        "positive-csat-share",
        0.5,
        "a positive emotion needs at least this share of 4-5 CSAT answers "
        + _OLD.format("positive-csat-share"),
        minimum=0,
        maximum=1,
    ),
    Option(
        "positive-nps",
        0,
        "a positive emotion needs an NPS of at least this " + _OLD.format("positive-nps"),
        minimum=-100,
        maximum=100,
    ),
    Option(
        "negative-csat-share",
        0.8,
        "a negative emotion contradicts a share of 4-5 CSAT answers this high "
        + _OLD.format("negative-csat-share"),
        minimum=0,
        maximum=1,
    ),
)


def check(journey: Journey, context: Context) -> Iterator[Problem]:
    if context.metrics is None:
        return
    low_share = context.option(NAME, "positive-csat-share")
    low_nps = context.option(NAME, "positive-nps")
    high_share = context.option(NAME, "negative-csat-share")
    steps = context.metrics.get("steps", {})
    for step in context.steps:
        if step.emotion is None or step.emotion == 0:
            continue
        surveys = steps.get(step.id, {}).get("surveys", {})
        for survey_id, result in sorted(surveys.items()):
            if not isinstance(result, dict) or not result.get("count"):
                continue
            share, nps = result.get("share_4_5"), result.get("nps")
            said = None
            if step.emotion > 0 and isinstance(share, int | float) and share < low_share:
                said = f"only {share:.0%} of {plural(result['count'], 'CSAT answer')} are 4 or 5"
            elif step.emotion > 0 and isinstance(nps, int | float) and nps < low_nps:
                said = f"its NPS is {nps:g} from {plural(result['count'], 'answer')}"
            elif step.emotion < 0 and isinstance(share, int | float) and share >= high_share:
                said = f"{share:.0%} of {plural(result['count'], 'CSAT answer')} are 4 or 5"
            if said:
                yield Problem(
                    step.pointer + "/emotion",
                    f"step '{step.id}' is mapped with emotion {step.emotion:+d} but {said} "
                    f"(survey '{survey_id}')",
                )
