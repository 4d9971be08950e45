from pathlib import Path

from .kit import hits
from .measured import lint_measured, metrics


def test_a_step_nobody_reached(tmp_path: Path) -> None:
    findings = lint_measured(tmp_path, "unobserved-step", metrics())
    assert hits(findings) == [("unobserved-step", 21, 17, "/stages/0/steps/2/events")]
    assert "step 'pays' was reached by no user in the measured data (events: pay)" in (
        findings[0].message
    )


def test_nothing_without_metrics(tmp_path: Path) -> None:
    assert lint_measured(tmp_path, "unobserved-step", None) == []
