"""Configuration: nearest file wins, pyproject, --config, --isolated, per-file-ignores, errors."""

from pathlib import Path

import pytest

from helpers import run

from .kit import write

MAP = """
journeymap: 1
title: Buying a TV
updated: 2026-11-01
personas: [{id: sam, name: Sam, goals: [g], needs: [n]}]
stages:
  - id: awareness
    name: Awareness
    kpis: [{name: Reach}]
    feedback: [{method: survey}]
    steps:
      - id: sees-ad
        name: Sees an ad
"""


def _rules(out: str) -> list[tuple[str, str, str]]:
    """(file, severity, rule) of each text finding line."""
    found = []
    for line in out.splitlines():
        head, _, rest = line.partition(": ")
        if rest and rest.split()[0] in ("error", "warning", "info") and head.count(":") == 2:
            severity, rule = rest.split()[:2]
            found.append((head.split(":")[0], severity, rule))
    return found


def _project(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    write(tmp_path, MAP, "top.journey.yaml")
    write(tmp_path, MAP, "team/sub.journey.yaml")
    write(tmp_path, MAP, "team/drafts/draft.journey.yaml")
    return tmp_path


def test_defaults_without_configuration(tmp_path: Path) -> None:
    _project(tmp_path)
    result = run("lint", ".", "--today", "2026-11-23", cwd=tmp_path)
    assert result.code == 0, result.err
    assert ("top.journey.yaml", "info", "missing-emotion") in _rules(result.out)


def test_nearest_configuration_wins(tmp_path: Path) -> None:
    _project(tmp_path)
    (tmp_path / "journeymap.toml").write_text('[rules]\nmissing-emotion = "off"\n')
    (tmp_path / "team" / ".journeymap.toml").write_text('[rules]\nmissing-emotion = "error"\n')
    result = run("lint", ".", "--today", "2026-11-23", cwd=tmp_path)
    assert result.code == 1
    assert _rules(result.out) == [
        ("team/drafts/draft.journey.yaml", "error", "missing-emotion"),
        ("team/sub.journey.yaml", "error", "missing-emotion"),
    ]


def test_pyproject_table(tmp_path: Path) -> None:
    _project(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.journeymap]\nfail-on = "info"\n'
        '[tool.journeymap.rules]\nmissing-emotion = "warning"\n'
    )
    result = run("lint", "top.journey.yaml", "--today", "2026-11-23", cwd=tmp_path)
    assert result.code == 1
    assert _rules(result.out) == [("top.journey.yaml", "warning", "missing-emotion")]


def test_explicit_config_and_isolated(tmp_path: Path) -> None:
    _project(tmp_path)
    (tmp_path / "journeymap.toml").write_text('[rules]\nmissing-emotion = "off"\n')
    other = tmp_path / "strict.toml"
    other.write_text('fail-on = "warning"\n[rules]\nmissing-emotion = "warning"\n')
    result = run(
        "lint", "top.journey.yaml", "--config", other, "--today", "2026-11-23", cwd=tmp_path
    )
    assert result.code == 1
    assert _rules(result.out) == [("top.journey.yaml", "warning", "missing-emotion")]
    result = run("lint", "top.journey.yaml", "--isolated", "--today", "2026-11-23", cwd=tmp_path)
    assert result.code == 0
    assert _rules(result.out) == [("top.journey.yaml", "info", "missing-emotion")]


def test_per_file_ignores(tmp_path: Path) -> None:
    _project(tmp_path)
    (tmp_path / "journeymap.toml").write_text(
        '[per-file-ignores]\n"team/drafts/**" = ["missing-emotion"]\n'
    )
    result = run("lint", ".", "--today", "2026-11-23", cwd=tmp_path)
    files = [file for file, _, rule in _rules(result.out) if rule == "missing-emotion"]
    assert files == ["team/sub.journey.yaml", "top.journey.yaml"]


def test_command_line_fail_on_wins(tmp_path: Path) -> None:
    _project(tmp_path)
    (tmp_path / "journeymap.toml").write_text('fail-on = "info"\n')
    assert run("lint", "top.journey.yaml", "--today", "2026-11-23", cwd=tmp_path).code == 1
    result = run(
        "lint", "top.journey.yaml", "--fail-on", "error", "--today", "2026-11-23", cwd=tmp_path
    )
    assert result.code == 0


def test_unknown_rule_in_config_is_a_usage_error(tmp_path: Path) -> None:
    _project(tmp_path)
    (tmp_path / "journeymap.toml").write_text('[rules]\nmissing-emotions = "off"\n')
    result = run("lint", ".", cwd=tmp_path)
    assert result.code == 2
    assert "journeymap.toml:2:1: rules: unknown rule 'missing-emotions'" in result.err
    assert "(did you mean 'missing-emotion'?)" in result.err


def test_unknown_rule_in_per_file_ignores(tmp_path: Path) -> None:
    _project(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.journeymap.per-file-ignores]\n"*.yaml" = ["stale_map"]\n'
    )
    result = run("lint", ".", cwd=tmp_path)
    assert result.code == 2
    assert (
        "pyproject.toml:2:1: [tool.journeymap]: per-file-ignores '*.yaml': unknown rule 'stale_map'"
    ) in result.err
    assert "did you mean 'stale-map'?" in result.err


def test_unknown_rule_on_the_command_line(tmp_path: Path) -> None:
    _project(tmp_path)
    result = run("lint", ".", "--select", "missing-kpi,channel-gaps", cwd=tmp_path)
    assert result.code == 2
    assert "--select: unknown rule 'channel-gaps' (did you mean 'channel-gap'?)" in result.err
    result = run("lint", ".", "--ignore", "schema", cwd=tmp_path)
    assert result.code == 2
    assert "format errors cannot be turned off" in result.err


def test_select_and_ignore_comma_separated_and_repeated(tmp_path: Path) -> None:
    _project(tmp_path)
    args = ("lint", "top.journey.yaml", "--today", "2026-11-23", "--fail-on", "info")
    assert (
        run(*args, "--select", "missing-kpi,stale-map", "--select", "no-persona", cwd=tmp_path).code
        == 0
    )
    assert run(*args, "--ignore", "missing-emotion", cwd=tmp_path).code == 0
    assert run(*args, cwd=tmp_path).code == 1


def test_select_runs_a_rule_the_config_turns_off(tmp_path: Path) -> None:
    _project(tmp_path)
    (tmp_path / "journeymap.toml").write_text('[rules]\nmissing-emotion = "off"\n')
    result = run("lint", "top.journey.yaml", "--select", "missing-emotion", cwd=tmp_path)
    assert _rules(result.out) == [("top.journey.yaml", "info", "missing-emotion")]


def _checked(out: str) -> str:
    return out.strip().splitlines()[-1]


def test_exclude_skips_matching_files_and_folders(tmp_path: Path) -> None:
    _project(tmp_path)
    write(tmp_path, MAP, "top.draft.yaml")
    write(tmp_path, MAP, "team/deep/old.draft.yaml")
    args = ("lint", ".", "--today", "2026-11-23", "--select", "missing-emotion")
    before = run(*args, cwd=tmp_path)
    assert _checked(before.out).startswith("5 files checked")
    (tmp_path / "journeymap.toml").write_text('exclude = ["team/drafts/**", "*.draft.yaml"]\n')
    result = run(*args, cwd=tmp_path)
    assert [file for file, _, _ in _rules(result.out)] == [
        "team/sub.journey.yaml",
        "top.journey.yaml",
    ]
    assert _checked(result.out).startswith("2 files checked")
    validated = run("validate", ".", cwd=tmp_path)
    assert validated.code == 0 and _checked(validated.out).startswith("2 files checked")


def test_exclude_a_bare_name_matches_at_any_depth_and_a_path_from_the_config(
    tmp_path: Path,
) -> None:
    _project(tmp_path)
    args = ("lint", ".", "--today", "2026-11-23", "--select", "missing-emotion")
    (tmp_path / "journeymap.toml").write_text('exclude = ["drafts"]\n')
    assert _checked(run(*args, cwd=tmp_path).out).startswith("2 files checked")
    # A pattern with a folder in it starts where its configuration file is.
    (tmp_path / "journeymap.toml").write_text('exclude = ["drafts/**"]\n')
    assert _checked(run(*args, cwd=tmp_path).out).startswith("3 files checked")
    (tmp_path / "team" / "journeymap.toml").write_text('exclude = ["drafts/**"]\n')
    result = run(*args, cwd=tmp_path)
    assert _checked(result.out).startswith("2 files checked")
    assert "draft.journey.yaml" not in result.out


def test_exclude_must_be_a_list_of_globs(tmp_path: Path) -> None:
    _project(tmp_path)
    (tmp_path / "journeymap.toml").write_text('exclude = "drafts/**"\n')
    result = run("lint", ".", cwd=tmp_path)
    assert result.code == 2
    assert "journeymap.toml:1:1: 'exclude' must be a list of glob patterns" in result.err


@pytest.mark.parametrize(
    ("name", "text", "error"),
    [
        (
            "journeymap.toml",
            '# settings\nfail_on = "warning"\n',
            "journeymap.toml:2:1: unknown key 'fail_on' (did you mean 'fail-on'?)",
        ),
        (
            "journeymap.toml",
            '[rules]\nmissing-kpi = "off"\n  chanel-gap = "error"\n',
            "journeymap.toml:3:3: rules: unknown rule 'chanel-gap' (did you mean 'channel-gap'?)",
        ),
        (
            "journeymap.toml",
            '[rules]\nchannel-gap = "fatal"\n',
            "journeymap.toml:2:1: rules.channel-gap = 'fatal': must be one of off, info, warning, "
            "error",
        ),
        (
            "journeymap.toml",
            'rules.channel-gap = "fatal"\n',  # a dotted key: where the rule is named
            "journeymap.toml:1:7: rules.channel-gap = 'fatal': must be one of off, info, warning, "
            "error",
        ),
        (
            "journeymap.toml",
            "fail-on = [\n",
            "journeymap.toml:2:1: invalid TOML: Invalid value",
        ),
        (
            "journeymap.toml",
            'fail-on = "error\n',
            "journeymap.toml:1:17: invalid TOML: Illegal character '\\n'",
        ),
        (
            "journeymap.toml",
            "[limits]\nmax-bytes = 10\nmax-dept = 3\n",
            "journeymap.toml:3:1: unknown key 'limits.max-dept' (did you mean 'max-depth'?)",
        ),
        (
            "pyproject.toml",
            '[project]\nname = "x"\n\n[tool.journeymap]\nfail_on = "warning"\n',
            "pyproject.toml:5:1: [tool.journeymap]: unknown key 'fail_on' (did you mean "
            "'fail-on'?)",
        ),
        (
            "pyproject.toml",
            '[tool.journeymap.rules]\nchannel-gap = "fatal"\n',
            "pyproject.toml:2:1: [tool.journeymap]: rules.channel-gap = 'fatal': must be one of "
            "off, info, warning, error",
        ),
        (
            "pyproject.toml",
            "[tool.journeymap.rules]\nchanel-gap = 'off'\n",
            "pyproject.toml:2:1: [tool.journeymap]: rules: unknown rule 'chanel-gap' (did you "
            "mean 'channel-gap'?)",
        ),
        (
            "pyproject.toml",
            "[tool.journeymap.rules.options.stale-map]\nafter-dayz = 3\n",
            "pyproject.toml:2:1: [tool.journeymap]: [rules.options.stale-map]: rule 'stale-map' "
            "has no option 'after-dayz' (did you mean 'after-days'?); `journeymap rules "
            "stale-map` documents it",
        ),
    ],
)
def test_every_configuration_error_is_located(
    tmp_path: Path, name: str, text: str, error: str
) -> None:
    """Trial defect: some configuration errors had `FILE:LINE:COL:`, others only `FILE:`,
    and invalid TOML put its place at the end of the message."""
    _project(tmp_path)
    (tmp_path / name).write_text(text, "utf-8")
    result = run("lint", "top.journey.yaml", cwd=tmp_path)
    assert (result.code, result.out) == (2, "")
    assert result.err == f"journeymap: error: {tmp_path / error}\n"
