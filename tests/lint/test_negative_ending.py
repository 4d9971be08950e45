from pathlib import Path

from .kit import hits, lint_text

MAP = """
journeymap: 1
title: Repairing a phone
stages:
  - id: repair
    name: Repair
    steps:
      - {id: repaired, name: Repaired, emotion: -2}
  - id: follow-up
    name: Follow-up
    steps:
      - {id: gets-email, name: Gets an email, emotion: 1}
      - {id: fails-again, name: Phone fails again, emotion: -2}
      - {id: no-emotion, name: Calls}
"""


def test_negative_mean_in_the_last_stage(tmp_path: Path) -> None:
    findings = lint_text(tmp_path, MAP, select="negative-ending")
    assert hits(findings) == [("negative-ending", 8, 5, "/stages/1")]
    assert findings[0].message.endswith("the mean emotion of stage 'follow-up' is -0.5")


def test_zero_mean_is_not_negative(tmp_path: Path) -> None:
    text = MAP.replace("emotion: -2}\n      - {id: no", "emotion: -1}\n      - {id: no")
    assert hits(lint_text(tmp_path, text, select="negative-ending")) == []


def test_no_emotions_in_the_last_stage(tmp_path: Path) -> None:
    text = MAP.replace(", emotion: 1}", "}").replace(
        ", emotion: -2}\n      - {id: no", "}\n      - {id: no"
    )
    assert hits(lint_text(tmp_path, text, select="negative-ending")) == []
