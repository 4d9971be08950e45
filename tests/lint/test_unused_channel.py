from pathlib import Path

from .kit import hits, lint_file, lint_text, write

MAP = """
journeymap: 1
title: Booking a trip
channels:
  - id: web
    name: Website
  - id: phone
    name: Phone line
stages:
  - id: booking
    name: Booking
    steps:
      - {id: books, name: Books, channel: web}
"""


def test_declared_channel_no_step_uses(tmp_path: Path) -> None:
    findings = lint_text(tmp_path, MAP, select="unused-channel")
    assert hits(findings) == [("unused-channel", 6, 5, "/channels/1")]
    assert findings[0].message == "channel 'phone' is declared but no step uses it"


def test_used_channels_pass(tmp_path: Path) -> None:
    text = MAP + "      - {id: calls, name: Calls, channel: phone}\n"
    assert hits(lint_text(tmp_path, text, select="unused-channel")) == []


def test_library_channels_are_not_checked(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(
        tmp_path,
        "journeymap: 1\nkind: library\nchannels: [{id: fax, name: Fax}]\n",
        "shared/channels.yaml",
    )
    text = MAP.replace("title: Booking a trip\n", "title: T\nuses: [shared/channels.yaml]\n")
    text = text.replace("  - id: phone\n    name: Phone line\n", "")
    assert hits(lint_file(write(tmp_path, text), select={"unused-channel"})) == []
