"""Every output format, read back the way its consumer reads it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from helpers import run
from journeymap.escape import workflow_data as escape_data
from journeymap.escape import workflow_property as escape_property

from .kit import write

DATA = Path(__file__).parent / "data"

MAP = """
journeymap: 1
title: Buying a TV, fast
updated: 2026-11-01
personas: [{id: sam, name: Sam, goals: [g], needs: [n]}]
stages:
  - id: awareness
    name: Awareness
    kpis:
      # journeymap: ignore[kpi-off-target] -- baseline under review
      - {name: Reach, target: 10, actual: 5}
    feedback: [{method: survey}]
    steps:
      - id: sees-ad
        name: Sees an ad
        emotion: 1
  - id: retention
    name: Retention
    steps: []
"""
BROKEN = "journeymap: 1\ntitle: Broken\nstages: [{id: s, name: S, steps: [{id: a}]}]\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    write(tmp_path, MAP, "maps/tv.journey.yaml")
    write(tmp_path, BROKEN, "maps/broken.journey.yaml")
    return tmp_path


def lint(project: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = run("lint", "maps", "--today", "2026-11-23", *args, cwd=project, env=env)
    assert result.err == ""
    return result.code, result.out


def test_text(project: Path) -> None:
    code, out = lint(project, "--format", "text")
    assert code == 1
    lines = out.splitlines()
    assert (
        lines[0]
        == "maps/broken.journey.yaml:3:35: error schema step is missing required key 'name'"
    )
    assert "maps/tv.journey.yaml:16:5: error empty-stage stage 'retention' has no steps" in lines
    caret = lines.index(
        "maps/tv.journey.yaml:16:5: error empty-stage stage 'retention' has no steps"
    )
    assert lines[caret + 2 : caret + 4] == [" 16 |   - id: retention", "    |     ^"]
    assert "kpi-off-target" not in out  # suppressed: not in the text report
    assert lines[-1] == "2 files checked: 2 errors, 2 warnings, 1 suppressed"
    assert "\x1b[" not in out  # not a terminal


def test_colour_is_off_with_no_color(project: Path) -> None:
    _, out = lint(project, env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "\x1b[" not in out
    _, out = lint(project, env={"FORCE_COLOR": "1"})
    assert "\x1b[31m" in out


def test_json(project: Path) -> None:
    code, out = lint(project, "--format", "json")
    assert code == 1
    body = json.loads(out)
    by_rule = {f["rule"]: f for f in body["findings"]}
    assert by_rule["kpi-off-target"]["suppressed"] is True
    assert by_rule["kpi-off-target"]["path"] == "/stages/0/kpis/0"
    assert by_rule["empty-stage"] == {
        "file": "maps/tv.journey.yaml",
        "line": 16,
        "column": 5,
        "rule": "empty-stage",
        "severity": "error",
        "message": "stage 'retention' has no steps",
        "path": "/stages/1",
        "suppressed": False,
    }
    assert body["summary"] == {
        "files": 2,
        "errors": 2,
        "warnings": 2,
        "infos": 0,
        "suppressed": 1,
        "passed_over": 0,
        "links_not_followed": 0,
    }


def test_sarif_validates_against_the_official_schema(project: Path) -> None:
    code, out = lint(project, "--format", "sarif")
    assert code == 1
    log = json.loads(out)
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text("utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)  # draft-04, as it declares
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    validator.validate(log)
    assert not validator.is_valid({**log, "version": "2.0.0"})  # the check has teeth
    run_ = log["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert "empty-stage" in ids and "schema" in ids
    empty = rules[ids.index("empty-stage")]
    assert empty["shortDescription"]["text"] == "A stage with no steps, or a map with no stages."
    assert empty["fullDescription"]["text"].startswith("Flags a stage that lists no steps, and ")
    assert "## Why is this bad?" in empty["help"]["markdown"]
    assert empty["defaultConfiguration"]["level"] == "error"
    results = run_["results"]
    for result in results:
        assert ids[result["ruleIndex"]] == result["ruleId"]
    suppressed = [r for r in results if "suppressions" in r]
    assert [r["ruleId"] for r in suppressed] == ["kpi-off-target"]
    assert suppressed[0]["suppressions"] == [{"kind": "inSource", "status": "accepted"}]
    assert suppressed[0]["level"] == "note"
    location = suppressed[0]["locations"][0]["physicalLocation"]
    assert location == {
        "artifactLocation": {"uri": "maps/tv.journey.yaml"},
        "region": {"startLine": 10, "startColumn": 9},
    }


def test_junit(project: Path) -> None:
    code, out = lint(project, "--format", "junit")
    assert code == 1
    root = ET.fromstring(out)
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {"maps/broken.journey.yaml", "maps/tv.journey.yaml"}
    tv = suites["maps/tv.journey.yaml"]
    cases = {c.get("name"): c for c in tv.findall("testcase")}
    assert "format" in cases and "empty-stage" in cases and "missing-emotion" in cases
    assert int(tv.get("tests", "0")) == len(cases)
    failing = sorted(n for n, c in cases.items() if c.find("failure") is not None)
    assert failing == ["empty-stage", "missing-feedback", "missing-kpi"]
    failure = cases["empty-stage"].find("failure")
    assert failure is not None
    assert failure.get("type") == "error"
    assert "maps/tv.journey.yaml:16:5" in (failure.text or "")
    assert "(suppressed)" in (cases["kpi-off-target"].findtext("system-out") or "")
    assert tv.get("failures") == str(len(failing))
    broken = suites["maps/broken.journey.yaml"]
    broken_cases = {c.get("name"): c for c in broken.findall("testcase")}
    assert broken_cases["format"].find("failure") is not None
    assert broken_cases["empty-stage"].find("skipped") is not None


def _annotations(out: str) -> list[tuple[str, dict[str, str], str]]:
    found = []
    for line in out.splitlines():
        match = re.fullmatch(r"::(error|warning|notice) ([^:]*)::(.*)", line)
        if match:
            props = dict(p.split("=", 1) for p in match.group(2).split(","))
            found.append((match.group(1), props, match.group(3)))
    return found


def test_github_annotations_and_step_summary(project: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("# Earlier step\n")
    code, out = lint(project, env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    assert code == 1
    annotations = _annotations(out)
    assert len(annotations) == 4  # the suppressed finding is not annotated
    level, props, message = next(a for a in annotations if "empty-stage" in a[1]["title"])
    assert level == "error"
    assert props == {
        "file": "maps/tv.journey.yaml",
        "line": "16",
        "col": "5",
        "title": "journeymap%3A empty-stage",
    }
    assert message == "stage 'retention' has no steps"
    text = summary.read_text("utf-8")
    assert text.startswith("# Earlier step\n## journeymap lint\n")
    assert (
        "| maps/tv.journey.yaml | 16 | error | `empty-stage` | stage 'retention' has no steps |"
        in text
    )


def test_explicit_format_wins_on_github(project: Path) -> None:
    _, out = lint(project, "--format", "json", env={"GITHUB_ACTIONS": "true"})
    json.loads(out)


def test_github_escaping() -> None:
    assert escape_data("100%\r\nnext") == "100%25%0D%0Anext"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_output_file(project: Path) -> None:
    target = project / "lint.sarif"
    code, out = lint(project, "--format", "sarif", "--output", str(target))
    assert code == 1 and out == ""
    assert json.loads(target.read_text("utf-8"))["version"] == "2.1.0"


COLOUR_MAP = """\
# A map whose findings sit on lines 10 and 17: the frame's line numbers change width.
# The blank line 16 is left out of the frame under it.
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


def test_text_exactly_in_colour(tmp_path: Path) -> None:
    write(tmp_path, COLOUR_MAP, "maps/tv.journey.yaml")
    result = run("lint", "maps", "--today", "2026-11-23", cwd=tmp_path, env={"FORCE_COLOR": "1"})
    assert result.code == 1
    where = "\x1b[1mmaps/tv.journey.yaml:%s:\x1b[0m"
    info, error, warning = "\x1b[36m%s\x1b[0m", "\x1b[31m%s\x1b[0m", "\x1b[33m%s\x1b[0m"
    retention = " 17 |   - id: retention\n    | %s\n"
    assert result.out == (
        f"{where % '10:12'} {info % 'info'} kpi-off-target KPI 'Reach' of stage 'awareness' is "
        "off target: 5 is below the target of 10 (higher is better)\n"
        "  9 |     name: Awareness\n"
        " 10 |     kpis: [{name: Reach, target: 10, actual: 5}]\n"
        f"    | {info % '           ^'}\n"
        f"{where % '17:5'} {error % 'error'} empty-stage stage 'retention' has no steps\n"
        + retention
        % (error % "    ^")
        + f"{where % '17:5'} {warning % 'warning'} missing-feedback stage 'retention' collects "
        "no customer feedback: add `feedback` to the stage or one of its steps\n"
        + retention
        % (warning % "    ^")
        + f"{where % '17:5'} {warning % 'warning'} missing-kpi stage 'retention' has no KPI: "
        "add `kpis` to the stage or one of its steps\n"
        + retention % (warning % "    ^")
        + "1 file checked: 1 error, 2 warnings, 1 info\n"
    )


def test_json_exactly_one_finding_a_line(tmp_path: Path) -> None:
    write(tmp_path, BROKEN, "maps/bröken.journey.yaml")  # written as is, not as \\u00f6
    result = run("lint", "maps", "--format", "json", cwd=tmp_path)
    assert result.code == 1
    assert result.out == (
        "{\n"
        '  "findings": [\n'
        '    {"file": "maps/bröken.journey.yaml", "line": 3, "column": 35, "rule": "schema", '
        '"severity": "error", "message": "step is missing required key \'name\'", '
        '"path": "/stages/0/steps/0", "suppressed": false}\n'
        "  ],\n"
        '  "summary": {"files": 1, "errors": 1, "warnings": 0, "infos": 0, "suppressed": 0, '
        '"passed_over": 0, "links_not_followed": 0}\n'
        "}\n"
    )
    write(tmp_path, MAP, "clean/tv.journey.yaml")
    result = run("lint", "clean", "--select", "no-persona", "--format", "json", cwd=tmp_path)
    assert (result.code, result.out) == (
        0,
        '{\n  "findings": [],\n  "summary": {"files": 1, "errors": 0, "warnings": 0, "infos": 0, '
        '"suppressed": 0, "passed_over": 0, "links_not_followed": 0}\n}\n',
    )


LONG = "a: 1\n" + "b" * 170 + "\n" + "c" * 100 + "Y" + "c" * 99 + "\n" + "d" * 160 + "\n"
LONG += "e" * 161 + "\n\nshort\n"
B, C, D, E = "b" * 170, "c" * 100 + "Y" + "c" * 99, "d" * 160, "e" * 161


@pytest.mark.parametrize(
    ("line", "column", "frame"),
    [
        # a 200-character line, the caret in its middle: 160 characters around it, the line
        # before cut at the same place
        (3, 101, [f" 2 | …{B[20:]}", f" 3 | …{C[20:180]}…", "   | " + " " * 81 + "^"]),
        (3, 1, [f" 2 | {B[:160]}…", f" 3 | {C[:160]}…", "   | ^"]),
        (3, 200, [f" 2 | …{B[40:]}", f" 3 | …{C[40:]}", "   | " + " " * 160 + "^"]),
        (4, 160, [f" 3 | {C[:160]}…", f" 4 | {D}", "   | " + " " * 159 + "^"]),
        (5, 1, [f" 4 | {D}", f" 5 | {E[:160]}…", "   | ^"]),
        (7, 1, [" 7 | short", "   | ^"]),  # a blank line before is left out
        (7, 99, [" 7 | short", "   |      ^"]),  # past the end: just after the last character
        (8, 1, []),
        (0, 1, []),
    ],
)
def test_code_frame_of_long_lines_and_edges(
    tmp_path: Path, line: int, column: int, frame: list[str]
) -> None:
    from journeymap.findings import Finding, Severity
    from journeymap.report.text import TextReporter

    path = tmp_path / "long.yaml"
    path.write_text(LONG, "utf-8")
    finding = Finding(str(path), line, column, "limits", Severity.ERROR, "m")
    assert TextReporter().frame(finding, color=False) == frame


@pytest.mark.parametrize(
    ("select", "summary"),
    [
        ("kpi-off-target", "1 file checked: all clean (1 suppressed)"),
        ("missing-kpi", "1 file checked: 0 errors, 1 warning"),
        ("missing-kpi,kpi-off-target", "1 file checked: 0 errors, 1 warning, 1 suppressed"),
    ],
)
def test_text_summary_line(tmp_path: Path, select: str, summary: str) -> None:
    write(tmp_path, MAP, "maps/tv.journey.yaml")
    result = run("lint", "maps", "--today", "2026-11-23", "--select", select, cwd=tmp_path)
    assert result.out.splitlines()[-1] == summary


def test_two_runs_in_one_process_frame_their_own_files(tmp_path: Path) -> None:
    # The text reporter is one object for the process (tests, serve): a name it read in an
    # earlier run may be another file now, or the same file edited.
    for folder, stage in (("a", "first"), ("b", "second")):
        write(
            tmp_path / folder,
            f"journeymap: 1\ntitle: T\nstages:\n  - id: {stage}\n    name: N\n    steps: []\n",
            "maps/m.journey.yaml",
        )
        result = run("lint", "maps", "--select", "empty-stage", cwd=tmp_path / folder)
        assert f" 4 |   - id: {stage}\n" in result.out, result.out


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "junit"])
def test_a_bug_met_on_one_file_is_exit_2_in_every_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """An internal error on one file is that file's finding and exit 2, whatever the format;
    the other file is still linted."""
    from journeymap import inspection

    real = inspection.Inspector.inspect

    def inspect(self, path, raw, display):  # type: ignore[no-untyped-def]
        if path.name == "a.journey.yaml":
            raise RuntimeError("simulated")
        return real(self, path, raw, display)

    monkeypatch.setattr(inspection.Inspector, "inspect", inspect)
    text = (
        "journeymap: 1\ntitle: T\nstages:\n  - id: s\n    name: S\n    steps: [{id: a, name: A}]\n"
    )
    for name in ("a.journey.yaml", "b.journey.yaml"):
        (tmp_path / name).write_text(text, "utf-8")
    result = run("lint", "--no-cache", "-f", fmt, "--today", "2026-11-23", ".", cwd=tmp_path)
    assert result.code == 2, result.err
    assert "RuntimeError: simulated" in result.out
    assert "missing-kpi" in result.out  # b's findings


def test_a_sarif_report_over_a_mebibyte_is_whole(tmp_path: Path) -> None:
    """A writer keeps its results in memory while small, then on disk: a report past that
    point (1,500 findings, about 1.4 MB) is still one JSON document with every result."""
    steps = "".join(f"      - {{id: s{i}, name: S{i}, pain_points: [p]}}\n" for i in range(1500))
    text = f"journeymap: 1\ntitle: T\nstages:\n  - id: s\n    name: S\n    steps:\n{steps}"
    (tmp_path / "m.journey.yaml").write_text(text, "utf-8")
    args = ("lint", "--no-cache", "-f", "sarif", "--select", "pain-without-opportunity")
    result = run(*args, "m.journey.yaml", cwd=tmp_path)
    assert result.code == 0, result.err
    assert len(result.out.encode()) > 1 << 20
    results = json.loads(result.out)["runs"][0]["results"]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results] == [
        7 + i for i in range(1500)
    ]
