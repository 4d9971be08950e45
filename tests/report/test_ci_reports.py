"""The CI reports as their consumers read them: GitLab Code Quality, SARIF, the step summary.

Line numbers are absolute (the map's own lines, as an editor shows them); fingerprints do not
depend on where the checkout lives; a summary cell never breaks the Markdown table.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest

from helpers import run

# Line numbers below are this text's: stage 'retention' at 14, KPI at 8, step 'sees-ad' at 11.
MAP = """\
journeymap: 1
title: Buying a TV
updated: 2026-11-01
personas: [{id: sam, name: Sam, goals: [g], needs: [n]}]
stages:
  - id: awareness
    name: Awareness
    kpis: [{name: Reach, target: 10, actual: 5}]
    feedback: [{method: survey}]
    steps:
      - id: sees-ad
        name: Sees an ad
        emotion: 1
  - id: retention
    name: Retention
    steps: []
"""
TODAY = ("--today", "2026-11-23")
# The fingerprints of the empty-stage finding of MAP in maps/tv.journey.yaml.
GITLAB_EMPTY_STAGE = "db6c786984ebe0f92dbeed9987962ef52085a0dccb59c06a8f15a298fc519bac"
SARIF_EMPTY_STAGE = "91013e468babf9e30a39beb5dbdb8034"


def project(folder: Path) -> Path:
    (folder / ".git").mkdir(parents=True)
    (folder / "maps").mkdir()
    (folder / "maps" / "tv.journey.yaml").write_text(MAP, "utf-8")
    return folder


def lint(folder: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = run("lint", "maps", *TODAY, *args, cwd=folder, env=env)
    assert result.err == "", result.err
    return result.code, result.out


def test_gitlab_lines_are_the_maps_own_lines(tmp_path: Path) -> None:
    code, out = lint(project(tmp_path), "--format", "gitlab")
    assert code == 1
    issues = json.loads(out)
    seen = [
        (i["check_name"], i["severity"], i["location"]["path"], i["location"]["lines"]["begin"])
        for i in issues
    ]
    assert seen == [
        ("kpi-off-target", "info", "maps/tv.journey.yaml", 8),
        ("empty-stage", "major", "maps/tv.journey.yaml", 14),
        ("missing-feedback", "minor", "maps/tv.journey.yaml", 14),
        ("missing-kpi", "minor", "maps/tv.journey.yaml", 14),
    ]
    lines = MAP.splitlines()
    assert lines[14 - 1] == "  - id: retention"  # begin counts from 1, as GitLab does
    assert lines[8 - 1].lstrip().startswith("kpis:")
    # The same lines as the text report's file:line:column.
    _, text = lint(tmp_path, "--format", "text")
    located = re.findall(r"^maps/tv\.journey\.yaml:(\d+):\d+: \w+ ([\w-]+) ", text, re.M)
    assert sorted((rule, int(line)) for line, rule in located) == sorted(
        (rule, begin) for rule, _, _, begin in seen
    )


def test_gitlab_fingerprints_are_distinct_even_for_repeated_findings(tmp_path: Path) -> None:
    """Two KPIs alike give two identical findings: each keeps a fingerprint of its own."""
    twice = MAP.replace(
        "kpis: [{name: Reach, target: 10, actual: 5}]",
        "kpis: [{name: Reach, target: 10, actual: 5}, {name: Reach, target: 10, actual: 5}]",
    )
    folder = project(tmp_path)
    (folder / "maps" / "tv.journey.yaml").write_text(twice, "utf-8")
    _, out = lint(folder, "--format", "gitlab")
    issues = json.loads(out)
    off = [i for i in issues if i["check_name"] == "kpi-off-target"]
    assert len(off) == 2 and off[0]["description"] == off[1]["description"]
    assert len({i["fingerprint"] for i in issues}) == len(issues) == 5
    assert all(re.fullmatch(r"[0-9a-f]{64}", i["fingerprint"]) for i in issues)


def test_fingerprints_do_not_change_between_releases(tmp_path: Path) -> None:
    """Code scanning and GitLab match findings across pipelines by these values: a change of
    how they are computed reopens every finding, so they are pinned."""
    folder = project(tmp_path)
    gitlab = {
        i["check_name"]: i["fingerprint"] for i in json.loads(lint(folder, "-f", "gitlab")[1])
    }
    assert gitlab["empty-stage"] == GITLAB_EMPTY_STAGE
    sarif = {rule: f for rule, _, f in _sarif_fingerprints(folder)}
    assert sarif["empty-stage"] == SARIF_EMPTY_STAGE


def _sarif_fingerprints(folder: Path) -> list[tuple[str, int, str]]:
    code, out = lint(folder, "--format", "sarif")
    assert code == 1
    results = json.loads(out)["runs"][0]["results"]
    return [
        (
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["partialFingerprints"]["journeymapFinding/v1"],
        )
        for r in results
    ]


def _gitlab_fingerprints(folder: Path) -> list[str]:
    return [i["fingerprint"] for i in json.loads(lint(folder, "--format", "gitlab")[1])]


def test_fingerprints_are_the_same_across_runs_and_checkout_folders(tmp_path: Path) -> None:
    """Two machines check the same commit out in different folders: code scanning and GitLab
    must see the same findings, not closed ones and new ones."""
    here = project(tmp_path / "runner-1" / "work" / "shop")
    there = tmp_path / "elsewhere" / "build" / "shop"
    shutil.copytree(here, there)
    first = _sarif_fingerprints(here)
    assert first == _sarif_fingerprints(here)  # the same run again
    assert first == _sarif_fingerprints(there)  # another folder
    assert [line for _, line, _ in first] == [8, 14, 14, 14]
    fingerprints = [f for _, _, f in first]
    assert len(set(fingerprints)) == len(fingerprints)
    assert all(re.fullmatch(r"[0-9a-f]{32}", f) for f in fingerprints)
    assert _gitlab_fingerprints(here) == _gitlab_fingerprints(there)
    # A line added above moves the findings, not their identity.
    moved = there / "maps" / "tv.journey.yaml"
    moved.write_text("# reviewed\n" + MAP, "utf-8")
    shifted = _sarif_fingerprints(there)
    assert [f for _, _, f in shifted] == fingerprints
    assert [line for _, line, _ in shifted] == [9, 15, 15, 15]


def test_sarif_fingerprints_tell_findings_and_files_apart(tmp_path: Path) -> None:
    folder = project(tmp_path)
    shutil.copy(folder / "maps" / "tv.journey.yaml", folder / "maps" / "tv2.journey.yaml")
    results = _sarif_fingerprints(folder)
    assert len(results) == 8
    assert len({f for _, _, f in results}) == 8


def _summary(folder: Path, tmp_path: Path) -> str:
    summary = tmp_path / "summary.md"
    summary.write_text("", "utf-8")
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    lint(folder, env=env)
    return summary.read_text("utf-8")


def _table_rows(summary: str) -> list[str]:
    return [line for line in summary.splitlines() if line.startswith("| ")]


def _cells(row: str) -> list[str]:
    """A Markdown table row's cells, as GitHub splits them: at each `|` not escaped."""
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", row)[1:-1]]


def test_step_summary_cells_keep_pipes_and_newlines_inside_one_row(tmp_path: Path) -> None:
    folder = project(tmp_path / "p")
    hostile = MAP.replace("title: Buying a TV\n", 'title: Buying a TV\n"a|b\\nc": 1\n')
    (folder / "maps" / "odd.journey.yaml").write_text(hostile, "utf-8")
    summary = _summary(folder, tmp_path)
    rows = _table_rows(summary)
    assert rows[0] == "| File | Line | Severity | Rule | Message |"
    assert rows[1] == "| --- | ---: | --- | --- | --- |"
    body = rows[2:]
    assert len(body) == 5  # one row per finding: the newline did not start a new one
    for row in body:
        assert len(_cells(row)) == 5, row
    schema = body[0]
    assert _cells(schema) == [
        "maps/odd.journey.yaml",
        "3",
        "error",
        "`schema`",
        "unknown key 'a\\|b c' (extension keys must start with 'x-')",
    ]


def test_step_summary_stops_at_500_rows_and_says_how_many_more(tmp_path: Path) -> None:
    folder = project(tmp_path / "p")
    stages = "".join(f"  - id: empty-{i}\n    name: Empty {i}\n    steps: []\n" for i in range(600))
    (folder / "maps" / "many.journey.yaml").write_text(
        "journeymap: 1\ntitle: Many\nstages:\n" + stages, "utf-8"
    )
    summary = _summary(folder, tmp_path)
    rows = _table_rows(summary)[2:]
    assert len(rows) == 500
    counts = re.search(r"(\d+) errors, (\d+) warnings, (\d+) infos", summary)
    assert counts is not None
    total = sum(map(int, counts.groups()))
    assert total > 600 * 3  # each empty stage: empty-stage, missing-feedback, missing-kpi
    assert f"\n…and {total - 500} more findings.\n" in summary
    assert summary.count("more findings") == 1


def _steps_without_emotion(tmp_path: Path, count: int) -> str:
    """The step summary of a map whose `count` steps each have one finding, and no other."""
    folder = tmp_path / "p"
    (folder / ".git").mkdir(parents=True)
    (folder / "maps").mkdir()
    # `emotion` missing on each step: one info finding per step, and nothing else.
    steps = "".join(f"      - {{id: s{i}, name: Step {i}}}\n" for i in range(count))
    map_text = (
        "journeymap: 1\ntitle: Steps\nupdated: 2026-11-01\n"
        "personas: [{id: sam, name: Sam, goals: [g], needs: [n]}]\n"
        "stages:\n  - id: only\n    name: Only\n"
        "    kpis: [{name: Reach, target: 1, actual: 1}]\n    feedback: [{method: survey}]\n"
        "    steps:\n" + steps
    )
    (folder / "maps" / "steps.journey.yaml").write_text(map_text, "utf-8")
    return _summary(folder, tmp_path)


@pytest.mark.parametrize("count", [499, 500])
def test_step_summary_at_or_below_the_cap_lists_every_finding(tmp_path: Path, count: int) -> None:
    summary = _steps_without_emotion(tmp_path, count)
    rows = _table_rows(summary)[2:]
    assert len(rows) == count, summary[-500:]
    assert "more finding" not in summary


def test_step_summary_one_past_the_cap_says_one_more_finding(tmp_path: Path) -> None:
    summary = _steps_without_emotion(tmp_path, 501)
    assert len(_table_rows(summary)[2:]) == 500
    assert "\n…and 1 more finding.\n" in summary


STEP_SUMMARY = """\
## journeymap lint

1 file checked: 1 error, 2 warnings, 1 info

| File | Line | Severity | Rule | Message |
| --- | ---: | --- | --- | --- |
| maps/tv.journey.yaml | 8 | info | `kpi-off-target` | KPI 'Reach' of stage 'awareness' \
is off target: 5 is below the target of 10 (higher is better) |
| maps/tv.journey.yaml | 14 | error | `empty-stage` | stage 'retention' has no steps |
| maps/tv.journey.yaml | 14 | warning | `missing-feedback` | stage 'retention' collects no \
customer feedback: add \\`feedback\\` to the stage or one of its steps |
| maps/tv.journey.yaml | 14 | warning | `missing-kpi` | stage 'retention' has no KPI: add \
\\`kpis\\` to the stage or one of its steps |

"""
ANNOTATIONS = """\
::notice file=maps/tv.journey.yaml,line=8,col=12,title=journeymap%3A kpi-off-target::KPI \
'Reach' of stage 'awareness' is off target: 5 is below the target of 10 (higher is better)
::error file=maps/tv.journey.yaml,line=14,col=5,title=journeymap%3A empty-stage::stage \
'retention' has no steps
::warning file=maps/tv.journey.yaml,line=14,col=5,title=journeymap%3A missing-feedback::stage \
'retention' collects no customer feedback: add `feedback` to the stage or one of its steps
::warning file=maps/tv.journey.yaml,line=14,col=5,title=journeymap%3A missing-kpi::stage \
'retention' has no KPI: add `kpis` to the stage or one of its steps
1 file checked: 1 error, 2 warnings, 1 info
"""


def test_github_output_and_step_summary_exactly(tmp_path: Path) -> None:
    folder = project(tmp_path / "p")
    summary = tmp_path / "summary.md"
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    code, out = lint(folder, env=env)
    assert code == 1
    assert out == ANNOTATIONS
    assert summary.read_text("utf-8") == STEP_SUMMARY
    # A clean run: the counts, no table.
    (folder / "maps" / "tv.journey.yaml").write_text(
        MAP.replace("actual: 5", "actual: 12").split("  - id: retention")[0], "utf-8"
    )
    code, out = lint(folder, env=env)
    assert (code, out) == (0, "1 file checked: all clean\n")
    assert summary.read_text("utf-8") == STEP_SUMMARY + (
        "## journeymap lint\n\n1 file checked: all clean\n\n"
    )


def test_gitlab_report_exactly(tmp_path: Path) -> None:
    """The whole report for one finding: every field GitLab reads, two-space JSON, and text
    as written (not as \\u escapes)."""
    folder = project(tmp_path)
    one = (
        "journeymap: 1\ntitle: Café\nupdated: 2026-11-01\n"
        "personas: [{id: sam, name: Sam, goals: [g], needs: [n]}]\n"
        "stages:\n  - id: s\n    name: S\n    feedback: [{method: survey}]\n"
        "    kpis: [{name: Réach, target: 10, actual: 5}]\n"
        "    steps: [{id: a, name: A, emotion: 1}]\n"
    )
    (folder / "maps" / "tv.journey.yaml").write_text(one, "utf-8")
    code, out = lint(folder, "--format", "gitlab", "--fail-on", "never")
    assert code == 0
    message = (
        "KPI 'Réach' of stage 's' is off target: 5 is below the target of 10 (higher is better)"
    )
    fingerprint = hashlib.sha256(
        "\0".join(["maps/tv.journey.yaml", "kpi-off-target", message, "1"]).encode()
    ).hexdigest()
    assert out == (
        "[\n"
        "  {\n"
        '    "type": "issue",\n'
        f'    "description": "{message}",\n'
        '    "check_name": "kpi-off-target",\n'
        f'    "fingerprint": "{fingerprint}",\n'
        '    "severity": "info",\n'
        '    "location": {\n'
        '      "path": "maps/tv.journey.yaml",\n'
        '      "lines": {\n'
        '        "begin": 9\n'
        "      }\n"
        "    }\n"
        "  }\n"
        "]\n"
    )


BROKEN = "journeymap: 1\ntitle: Broken\nstages: [{id: s, name: S, steps: [{id: a}, {id: b}]}]\n"
# MAP with a non-ASCII KPI name and stage 'retention''s missing KPI suppressed (one line down).
SUPPRESSED = MAP.replace("Reach", "Réach").replace(
    "  - id: retention",
    "  # journeymap: ignore[missing-kpi] -- measured elsewhere\n  - id: retention",
)


def _location(uri: str, line: int, column: int, path: str) -> list[dict[str, object]]:
    return [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": uri},
                "region": {"startLine": line, "startColumn": column},
            },
            "logicalLocations": [{"fullyQualifiedName": path}],
        }
    ]


def test_sarif_report_exactly(tmp_path: Path) -> None:
    from journeymap import __version__

    folder = project(tmp_path / "p")
    (folder / "maps" / "tv.journey.yaml").write_text(SUPPRESSED, "utf-8")
    (folder / "maps" / "broken one.journey.yaml").write_text(BROKEN, "utf-8")
    code, out = lint(folder, "--format", "sarif")
    assert code == 1
    assert out.endswith("}\n") and "'Réach'" in out  # two-space JSON, text as written
    assert out.startswith('{\n  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",\n')
    log = json.loads(out)
    assert log["version"] == "2.1.0"
    [run_] = log["runs"]
    driver = run_["tool"]["driver"]
    assert (driver["name"], driver["version"], driver["semanticVersion"]) == (
        "journeymap",
        __version__,
        __version__,
    )
    ids = [rule["id"] for rule in driver["rules"]]
    schema = driver["rules"][ids.index("schema")]
    summary = "The map does not match the format (a missing, unknown or mistyped key)."
    help_text = summary + "\n\nFormat errors are always errors and cannot be suppressed."
    assert schema == {
        "id": "schema",
        "name": "Schema",
        "shortDescription": {"text": summary},
        "fullDescription": {"text": summary},
        "help": {"text": help_text, "markdown": help_text},
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["journey-map"]},
    }
    dead_end = driver["rules"][ids.index("dead-end-step")]
    assert dead_end["name"] == "DeadEndStep"
    assert dead_end["defaultConfiguration"] == {"level": "warning"}
    assert dead_end["help"]["text"] == dead_end["help"]["markdown"]
    assert dead_end["help"]["text"].startswith(
        "A step that ends the journey before its last stage.\n\n## What it does\n"
    )
    assert dead_end["help"]["text"].endswith("name: Adds the TV to the cart\n```")
    # only the "What it does" section, on one line
    assert dead_end["fullDescription"] == {
        "text": "Flags a step with `next: []` (no way forward) in any stage but the last."
    }
    assert run_["artifacts"] == [
        {"location": {"uri": "maps/broken%20one.journey.yaml"}},
        {"location": {"uri": "maps/tv.journey.yaml"}},
    ]
    assert run_["columnKind"] == "unicodeCodePoints"
    results = run_["results"]
    fingerprints = [r.pop("partialFingerprints")["journeymapFinding/v1"] for r in results]
    assert all(re.fullmatch("[0-9a-f]{32}", f) for f in fingerprints)
    assert len(set(fingerprints)) == len(results)
    broken, tv = "maps/broken%20one.journey.yaml", "maps/tv.journey.yaml"
    missing = "step is missing required key 'name'"
    retention = "stage 'retention' "
    assert results == [
        {
            "ruleId": "schema",
            "ruleIndex": ids.index("schema"),
            "level": "error",
            "message": {"text": missing},
            "locations": _location(broken, 3, 35, "/stages/0/steps/0"),
        },
        {
            "ruleId": "schema",
            "ruleIndex": ids.index("schema"),
            "level": "error",
            "message": {"text": missing},
            "locations": _location(broken, 3, 44, "/stages/0/steps/1"),
        },
        {
            "ruleId": "kpi-off-target",
            "ruleIndex": ids.index("kpi-off-target"),
            "level": "note",
            "message": {
                "text": "KPI 'Réach' of stage 'awareness' is off target: 5 is below the target "
                "of 10 (higher is better)"
            },
            "locations": _location(tv, 8, 12, "/stages/0/kpis/0"),
        },
        {
            "ruleId": "empty-stage",
            "ruleIndex": ids.index("empty-stage"),
            "level": "error",
            "message": {"text": retention + "has no steps"},
            "locations": _location(tv, 15, 5, "/stages/1"),
        },
        {
            "ruleId": "missing-feedback",
            "ruleIndex": ids.index("missing-feedback"),
            "level": "warning",
            "message": {
                "text": retention + "collects no customer feedback: add `feedback` to the "
                "stage or one of its steps"
            },
            "locations": _location(tv, 15, 5, "/stages/1"),
        },
        {
            "ruleId": "missing-kpi",
            "ruleIndex": ids.index("missing-kpi"),
            "level": "warning",
            "message": {
                "text": retention + "has no KPI: add `kpis` to the stage or one of its steps"
            },
            "locations": _location(tv, 15, 5, "/stages/1"),
            "suppressions": [{"kind": "inSource", "status": "accepted"}],
        },
    ]


def test_sarif_names_a_file_outside_the_working_folder_by_a_file_uri(tmp_path: Path) -> None:
    folder = project(tmp_path / "p q")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = run("lint", folder / "maps", *TODAY, "--format", "sarif", cwd=elsewhere)
    [artifact] = json.loads(result.out)["runs"][0]["artifacts"]
    expected = "file://" + str(folder).replace(" ", "%20") + "/maps/tv.journey.yaml"
    assert artifact == {"location": {"uri": expected}}


def _case(file: str, name: str, inside: str = "") -> str:
    head = f'    <testcase name="{name}" classname="{file}" file="{file}" time="0"'
    return f"{head} />\n" if not inside else f"{head}>\n{inside}    </testcase>\n"


def test_junit_report_exactly(tmp_path: Path) -> None:
    """A suite per file and a case per rule: failures (errors and warnings), info and
    suppressed findings as output, and the lint cases of a file with format errors skipped."""
    from journeymap.lint import RULE_BY_NAME

    folder = project(tmp_path)
    (folder / "maps" / "tv.journey.yaml").write_text(SUPPRESSED, "utf-8")
    (folder / "maps" / "broken.journey.yaml").write_text(BROKEN, "utf-8")
    code, out = lint(folder, "--format", "junit")
    assert code == 1
    rules = list(RULE_BY_NAME)
    broken, tv = "maps/broken.journey.yaml", "maps/tv.journey.yaml"
    skipped = '      <skipped message="not linted: the file has format errors" />\n'
    missing = f"{broken}:3:%d: error schema step is missing required key 'name'"
    retention = f"{tv}:15:5: %s stage 'retention' "
    feedback = "collects no customer feedback: add `feedback` to the stage or one of its steps"
    kpi = "has no KPI: add `kpis` to the stage or one of its steps"
    tv_inside = {
        "empty-stage": "      <failure message=\"1 finding: stage 'retention' has no steps\" "
        f'type="error">{retention % "error empty-stage"}has no steps</failure>\n',
        "missing-feedback": f"      <failure message=\"1 finding: stage 'retention' {feedback}\" "
        f'type="warning">{retention % "warning missing-feedback"}{feedback}</failure>\n',
        "missing-kpi": "      <system-out>"
        f"{retention % 'warning missing-kpi'}{kpi} (suppressed)</system-out>\n",
        "kpi-off-target": f"      <system-out>{tv}:8:12: info kpi-off-target KPI 'Réach' of "
        "stage 'awareness' is off target: 5 is below the target of 10 (higher is better)"
        "</system-out>\n",
    }
    n = len(rules) + 1
    expected = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<testsuites name="journeymap lint" tests="{2 * n}" failures="3" skipped="{n - 1}" '
        'errors="0" time="0">\n'
        f'  <testsuite name="{broken}" tests="{n}" failures="1" skipped="{n - 1}" errors="0" '
        'time="0">\n'
        + _case(
            broken,
            "format",
            "      <failure message=\"2 findings: step is missing required key 'name'\" "
            f'type="error">{missing % 35}\n{missing % 44}</failure>\n',
        )
        + "".join(_case(broken, rule, skipped) for rule in rules)
        + "  </testsuite>\n"
        f'  <testsuite name="{tv}" tests="{n}" failures="2" skipped="0" errors="0" time="0">\n'
        + _case(tv, "format")
        + "".join(_case(tv, rule, tv_inside.get(rule, "")) for rule in rules)
        + "  </testsuite>\n</testsuites>\n"
    )
    assert out == expected
