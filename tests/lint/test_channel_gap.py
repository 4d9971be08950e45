from pathlib import Path

from .kit import hits, lint_text

MAP = """
journeymap: 1
title: Buying a TV
channels:
  - {id: web, name: Website}
  - {id: store, name: Store}
  - {id: phone, name: Phone}
stages:
  - id: consideration
    name: Consideration
    steps:
      - id: browses
        name: Browses online
        channel: web
      - id: visits-store
        name: Visits a store
        channel: store
      - id: asks
        name: Asks a salesperson
        channel: store
  - id: purchase
    name: Purchase
    steps:
      - id: calls
        name: Calls to order
        channel: phone
        handoff: The salesperson's quote number
        next: [pays-online, visits-store]
      - id: pays-online
        name: Pays online
        channel: web
      - id: no-channel
        name: Thinks it over
"""


def test_channel_changes_without_handoff(tmp_path: Path) -> None:
    findings = lint_text(tmp_path, MAP, select="channel-gap")
    # visits-store is reached from browses (web) and from calls (phone): reported once.
    # calls has a handoff; asks stays in the store; no-channel has no channel to compare.
    assert hits(findings) == [
        ("channel-gap", 14, 9, "/stages/0/steps/1"),
        ("channel-gap", 28, 9, "/stages/1/steps/1"),
    ]
    assert findings[0].message == (
        "step 'visits-store' switches from channel 'web' (step 'browses') to 'store' "
        "with no `handoff`"
    )
    assert "from channel 'phone' (step 'calls')" in findings[1].message


def test_transitions_cross_stage_boundaries(tmp_path: Path) -> None:
    text = MAP.replace("        handoff: The salesperson's quote number\n", "")
    assert ("channel-gap", 23, 9, "/stages/1/steps/0") in hits(
        lint_text(tmp_path, text, select="channel-gap")
    )


def test_handoffs_everywhere_pass(tmp_path: Path) -> None:
    text = MAP.replace("        channel: store\n", "        channel: store\n        handoff: h\n")
    text = text.replace(
        "        channel: web\n      - id: no",
        "        channel: web\n        handoff: h\n      - id: no",
    )
    assert hits(lint_text(tmp_path, text, select="channel-gap")) == []
