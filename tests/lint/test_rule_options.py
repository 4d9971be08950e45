"""Rule options: declared by each rule, set in `[rules.options.<rule>]`, checked with a location."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import run
from journeymap.config import ConfigFinder
from journeymap.inspection import Inspector
from journeymap.lint import RULE_BY_NAME, lint_checked

from .kit import TODAY, hits, write
from .measured import MAP as MEASURED_MAP
from .measured import metrics

STALE = """
journeymap: 1
title: Buying a TV
updated: 2025-11-23
stages: [{id: s, name: S, steps: [{id: a, name: A}]}]
"""
# TODAY (2026-11-23) is 365 days after `updated`.


def _lint(tmp_path: Path, config: str, *args: str) -> tuple[int, str, str]:
    (tmp_path / ".git").mkdir(exist_ok=True)
    (tmp_path / "journeymap.toml").write_text(config, "utf-8")
    write(tmp_path, STALE, "a.journey.yaml")
    result = run(
        "lint", ".", "--select", "stale-map", "--today", TODAY.isoformat(), *args, cwd=tmp_path
    )
    return result.code, result.out, result.err


@pytest.mark.parametrize(
    ("config", "stale"),
    [
        ("", True),
        ("[rules.options.stale-map]\nafter-days = 365\n", False),
        ("[rules.options.stale-map]\nafter-days = 364\n", True),
        ("stale-after-days = 365\n", False),  # the older spelling
        ('[rules]\n[rules.options."stale-map"]\nafter-days = 400\n', False),
        ("rules = {options = {stale-map = {after-days = 365}}}\n", False),
    ],
)
def test_stale_map_after_days(tmp_path: Path, config: str, stale: bool) -> None:
    code, out, err = _lint(tmp_path, config, "--no-cache")
    assert err == ""
    assert code == 0  # a warning does not fail the run
    assert ("365 days ago" in out) is stale, out


def test_changing_an_option_is_not_hidden_by_the_cache(tmp_path: Path) -> None:
    assert "365 days ago" in _lint(tmp_path, "")[1]
    assert "365 days ago" not in _lint(tmp_path, "stale-after-days = 400\n")[1]
    assert "365 days ago" in _lint(tmp_path, "[rules.options.stale-map]\nafter-days = 30\n")[1]


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            "fail-on = 'error'\n\n[rules.options.stale-map]\nafter-day = 30\n",
            "journeymap.toml:4:1: [rules.options.stale-map]: rule 'stale-map' has no option "
            "'after-day' (did you mean 'after-days'?); `journeymap rules stale-map` documents it",
        ),
        (
            "[rules.options.stale-maps]\nafter-days = 30\n",
            "journeymap.toml:1:1: [rules.options.stale-maps]: unknown rule 'stale-maps' "
            "(did you mean 'stale-map'?)",
        ),
        (
            "[rules.options.channel-gap]\nafter-days = 30\n",
            "journeymap.toml:2:1: [rules.options.channel-gap]: rule 'channel-gap' has no option "
            "'after-days' (it has no options)",
        ),
        (
            "[rules.options.stale-map]\n  after-days = 'soon'\n",
            "journeymap.toml:2:3: [rules.options.stale-map] after-days = 'soon': must be a whole "
            "number, 1 or more",
        ),
        (
            "# old\nstale-after-days = 0\n",
            "journeymap.toml:2:1: [rules.options.stale-map] after-days = 0: must be a whole "
            "number, 1 or more",
        ),
        (
            "stale-after-days = 30\n[rules.options.stale-map]\nafter-days = 30\n",
            "journeymap.toml:3:1: the option 'after-days' of rule 'stale-map' is set twice",
        ),
        (
            "[rules]\noptions = 3\n",
            "journeymap.toml:2:1: rules.options must hold one table per rule",
        ),
    ],
)
def test_a_bad_option_is_a_located_configuration_error(
    tmp_path: Path, config: str, message: str
) -> None:
    code, out, err = _lint(tmp_path, config)
    assert code == 2
    assert out == ""
    assert message in err, err
    assert "Traceback" not in err


def test_the_options_are_documented_from_their_declarations() -> None:
    result = run("rules", "emotion-contradicts-data")
    assert result.code == 0
    section = result.out.split("## Options\n", 1)[1]
    assert section.startswith(
        "Set in the configuration, under `[rules.options.emotion-contradicts-data]`:\n"
        "- `positive-csat-share` (number from 0 to 1, default 0.5): "
    )
    for rule in RULE_BY_NAME.values():
        assert ("## Options" in rule.documentation) == bool(rule.options), rule.name
        assert "## Options" not in rule.doc, f"{rule.name}: options are generated, not written"
        for option in rule.options:
            assert f"`{option.name}` (" in rule.documentation


def _measured(tmp_path: Path, config: str, rule: str) -> list[tuple[str, int, int, str]]:
    (tmp_path / "journeymap.toml").write_text(config, "utf-8")
    path = write(tmp_path, MEASURED_MAP)
    checked = Inspector(ConfigFinder(tmp_path / "journeymap.toml")).inspect(path)
    return hits(lint_checked(checked, select={rule}, today=TODAY, metrics=metrics()))


@pytest.mark.parametrize(
    ("rule", "old", "new", "default_hits", "set_hits"),
    [
        ("unexplained-drop-off", "drop-off = 0.9", "drop-off = 0.9", 1, 0),
        ("unmapped-transition", "unmapped-transition-share = 0.5", "share = 0.5", 2, 1),
        (
            "emotion-contradicts-data",
            "emotion-positive-csat-share = 0.1\nemotion-positive-nps = -50\n"
            "emotion-negative-csat-share = 0.95",
            "positive-csat-share = 0.1\npositive-nps = -50\nnegative-csat-share = 0.95",
            3,
            0,
        ),
    ],
)
def test_data_rule_thresholds(
    tmp_path: Path, rule: str, old: str, new: str, default_hits: int, set_hits: int
) -> None:
    assert len(_measured(tmp_path, "", rule)) == default_hits
    assert len(_measured(tmp_path, f"[measure.thresholds]\n{old}\n", rule)) == set_hits
    assert len(_measured(tmp_path, f"[rules.options.{rule}]\n{new}\n", rule)) == set_hits


def test_an_unknown_threshold_name_is_refused(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "journeymap.toml").write_text("[measure.thresholds]\ndropoff = 0.9\n", "utf-8")
    write(tmp_path, STALE, "a.journey.yaml")
    result = run("lint", ".", cwd=tmp_path)
    assert result.code == 2
    assert "unknown key 'measure.thresholds.dropoff' (did you mean 'drop-off'?)" in result.err
    assert json.dumps(result.err)  # one message, no traceback
    assert "Traceback" not in result.err
