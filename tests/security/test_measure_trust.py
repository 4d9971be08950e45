"""`journeymap measure` when the configuration, the data paths, the map's file name, a
metrics.json or an exported results file come from a stranger's pull request."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import run

MAP = (
    "journeymap: 1\nid: m\ntitle: M\nstages:\n  - id: s\n    name: S\n    steps:\n"
    "      - {id: a, name: A, events: [go]}\n      - {id: b, name: B, events: [buy]}\n"
)
EVENTS = "user,event,time\nu1,go,2026-10-01T00:00:00Z\nu1,buy,2026-10-01T00:01:00Z\n"


def project(tmp_path: Path, config: str) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "m.journey.yaml").write_text(MAP)
    (root / "events.csv").write_text(EVENTS)
    (root / "journeymap.toml").write_text(config)
    return root


@pytest.mark.parametrize(
    "engine", ["postgresql://ci@attacker.example:5432/db", "spark://attacker.example:7077"]
)
def test_a_configuration_cannot_choose_a_database_to_connect_to(
    tmp_path: Path, engine: str
) -> None:
    root = project(tmp_path, f'[measure]\nevents = "events.csv"\nengine = "{engine}"\n')
    result = run("measure", "m.journey.yaml", cwd=root)
    assert result.code == 2 and result.out == ""
    assert "journeymap.toml:3:1: measure.engine" in result.err
    assert "a configuration can only choose an engine on this machine (duckdb, spark)" in result.err
    assert "--engine URL" in result.err


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("/etc/passwd", "must be a path relative to the configuration's folder"),
        ("../outside/events.csv", "must not leave the configuration's folder"),
        ("text.`file:///etc/passwd`", "must be a path relative to the configuration's folder"),
    ],
)
def test_configured_data_paths_stay_in_the_project(tmp_path: Path, value: str, says: str) -> None:
    root = project(tmp_path, f"[measure]\nevents = '{value}'\n")
    result = run("measure", "m.journey.yaml", cwd=root)
    assert result.code == 2 and says in result.err, result.err
    assert "journeymap.toml:2:1: measure.events" in result.err


def test_a_configured_link_to_a_file_outside_is_not_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text("user,event,time\nTOPSECRET,x,not-a-time\n")
    root = project(tmp_path, '[measure]\nevents = "data/*.csv"\nmetrics = "m.json"\n')
    (root / "data").mkdir()
    (root / "data" / "events.csv").symlink_to(secret)
    result = run("measure", "m.journey.yaml", cwd=root)
    assert result.code == 2 and "TOPSECRET" not in result.err + result.out
    assert "data/events.csv: measure.events names a link to a file outside" in result.err
    # The same file named on the command line is the job's own choice, and is read.
    result = run("measure", "m.journey.yaml", "--events", secret, cwd=root)
    assert result.code == 2 and "cannot read 'not-a-time' as a time" in result.err
    (root / "m.json").symlink_to(secret)
    result = run("lint", "m.journey.yaml", cwd=root)
    assert result.code == 2 and "measure.metrics names a link to a file outside" in result.err
    # a link to a file outside that does not exist (yet) is refused too, not a note
    (root / "m.json").unlink()
    (root / "m.json").symlink_to(tmp_path / "not-yet.json")
    result = run("lint", "m.journey.yaml", cwd=root)
    assert result.code == 2 and "measure.metrics names a link to a file outside" in result.err


def test_a_pattern_does_not_loop_through_linked_folders(tmp_path: Path) -> None:
    root = project(tmp_path, '[measure]\nevents = "events.csv"\nresponses = "data/**"\n')
    (root / "m.journey.yaml").write_text(
        MAP.replace("events: [buy]}", "events: [buy], feedback: [{method: csat, survey: q}]}")
    )
    (root / "data").mkdir()
    (root / "data" / "answers.csv").write_text("user,survey,score,time\nu1,q,5,0\n")
    for name in ("l1", "l2", "l3"):
        (root / "data" / name).symlink_to(".")
    result = run("measure", "m.journey.yaml", cwd=root)
    assert result.code == 0, result.err
    # One answer: the file was read once (a final `**` also lists the files, as in a shell).
    assert json.loads(result.out)["maps"]["m"]["steps"]["b"]["surveys"]["q"]["count"] == 1


@pytest.mark.parametrize(
    ("spec", "args"),
    [
        ("~/events.csv", ["--config", "journeymap.toml"]),  # a relative configuration folder
        ("other.csv", ["--events", "*/events.csv"]),  # a pattern starting with a wildcard
    ],
)
def test_a_folder_named_tilde_is_the_one_read_not_the_home_folder(
    tmp_path: Path, spec: str, args: list[str]
) -> None:
    """DuckDB reads a leading `~` as the home folder: the repository's `~/events.csv` (the file
    checked) must be the one read, not the runner's `$HOME/events.csv`."""
    from helpers import run_process

    root = project(tmp_path, f'[measure]\nevents = "{spec}"\n')
    (root / "events.csv").unlink()
    (root / "~").mkdir()
    (root / "~" / "events.csv").write_text(EVENTS)
    home = tmp_path / "home"
    home.mkdir()
    (home / "events.csv").write_text("SECRET_TOKEN=ghp_abc123,other,x\n1,2,3\n")
    result = run_process("measure", "m.journey.yaml", *args, cwd=root, env={"HOME": str(home)})
    assert result.code == 0, result.err
    assert "SECRET_TOKEN" not in result.err + result.out
    assert json.loads(result.out)["maps"]["m"]["steps"]["b"]["funnel"] == 1


def test_a_name_with_pattern_characters_is_refused(tmp_path: Path) -> None:
    root = project(tmp_path, "")
    (root / "data").mkdir()
    (root / "data" / "e[1].csv").write_text(EVENTS)
    result = run("measure", "m.journey.yaml", "--events", "data/*.csv", cwd=root)
    assert result.code == 2 and "e[1].csv: a name with *, ? or [ cannot be read" in result.err
    # A folder named `*` holding a link out: DuckDB would expand `data/*/e.csv` again.
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "e.csv").write_text("user,event,time\nSECRET,x,nope\n")
    (root / "data" / "e[1].csv").unlink()
    (root / "data" / "*").mkdir()
    (root / "data" / "*" / "e.csv").write_text(EVENTS)
    (root / "data" / "link").symlink_to(outside)
    (root / "journeymap.toml").write_text('[measure]\nevents = "data/[*]/e.csv"\n')
    result = run("measure", "m.journey.yaml", cwd=root)
    assert result.code == 2 and "SECRET" not in result.err
    assert "a name with *, ? or [ cannot be read" in result.err


def test_a_file_name_cannot_add_statements_to_the_printed_sql(tmp_path: Path) -> None:
    root = project(tmp_path, "")
    hostile = root / "x\nDROP TABLE customers; SELECT 1 AS x\n--.journey.yaml"
    hostile.write_text(MAP.replace("id: m", "id: h"))
    result = run("measure", hostile, "--sql", "--dialect", "snowflake", cwd=root)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert not any(line.startswith("DROP") for line in lines)
    assert any(line.startswith("-- map h (") and "\\nDROP TABLE" in line for line in lines)


@pytest.mark.parametrize(
    ("figures", "says"),
    [
        ({"steps": {"a": {"reached": "1e5"}}}, "`maps.m.steps.a.reached` must be a whole number"),
        ({"transitions": [{"from": "a", "users": 3}]}, "`maps.m.transitions[0]` has no `to`"),
        ({"steps": {"a": {"surveys": {"q": {"share_4_5": "x"}}}}}, "share_4_5` must be a number"),
        ({"path": "a"}, "`maps.m.path` must be a list"),
    ],
)
def test_a_metrics_file_of_the_wrong_shape_stops_lint_and_render(
    tmp_path: Path, figures: dict, says: str
) -> None:
    root = project(tmp_path, "")
    metrics = root / "metrics.json"
    metrics.write_text(json.dumps({"journeymap-metrics": 1, "maps": {"m": figures}}))
    for command in (["lint"], ["render", "-o", tmp_path / "out"]):
        result = run(*command, "m.journey.yaml", "--metrics", metrics, cwd=root)
        assert result.code == 2 and says in result.err, (command, result.err)
        assert "internal error" not in result.err


@pytest.mark.parametrize(
    "text",
    ["[" * 100_000 + "]" * 100_000, '{"journeymap-metrics": 1, "maps": {}, "x": Infinity}'],
)
def test_deep_or_infinite_json_is_a_clear_error(tmp_path: Path, text: str) -> None:
    root = project(tmp_path, "")
    metrics = root / "metrics.json"
    metrics.write_text(text)
    result = run("lint", "m.journey.yaml", "--metrics", metrics, cwd=root)
    assert result.code == 2 and "metrics.json: not JSON" in result.err
    assert "internal error" not in result.err


def test_results_with_numbers_beyond_64_bits_are_a_clear_error(tmp_path: Path) -> None:
    root = project(tmp_path, "")
    results = root / "r.csv"
    results.write_text(f"map,part,segment,a,b,n,x,y,z,w\nm,reach,,0,,{'9' * 400},,,,\n")
    result = run("measure", "m.journey.yaml", "--results", results, cwd=root)
    assert result.code == 2 and "r.csv:2: column 'n': '99999" in result.err
    assert "is not a whole number" in result.err and "internal error" not in result.err


def test_config_rev_reads_the_measure_settings_of_the_base(tmp_path: Path) -> None:
    import subprocess

    root = project(tmp_path, '[measure]\nevents = "events.csv"\nwindow = "1d"\n')
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid"]
    for args in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-qm", "base"]):
        subprocess.run([*git, *args], cwd=root, check=True, capture_output=True)
    (root / "journeymap.toml").write_text('[measure]\nevents = "events.csv"\nwindow = "30d"\n')
    pull_request = run("measure", "m.journey.yaml", cwd=root)
    base = run("measure", "m.journey.yaml", "--config-rev", "HEAD", cwd=root)
    assert pull_request.code == 0 and base.code == 0, base.err
    assert json.loads(pull_request.out)["window_days"] == 30
    assert json.loads(base.out)["window_days"] == 1


def test_printing_the_sql_needs_no_data(tmp_path: Path) -> None:
    root = project(tmp_path, '[measure]\nevents = "gone/*.csv"\nresponses = "none.csv"\n')
    result = run("measure", "m.journey.yaml", "--sql", cwd=root)
    assert result.code == 0, result.err
    assert result.out.startswith("-- journeymap measure: one query per map")


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://jm:LEAK%ZZME@127.0.0.1:1/postgres",  # a bad percent escape
        "postgresql://jm:LEAKME@[::1/postgres",  # a [ never closed
        "postgresql:/jm:LEAKME@127.0.0.1/x",  # one slash
    ],
)
def test_a_url_psycopg_cannot_parse_is_not_repeated_with_its_password(
    tmp_path: Path, url: str
) -> None:
    """psycopg repeats a URL it cannot parse, password and all; a CI log is public."""
    root = project(tmp_path, "")
    result = run("measure", "m.journey.yaml", "--engine", url, "--events", "t", cwd=root)
    assert result.code == 2 and "cannot connect to PostgreSQL" in result.err, result.err
    assert "LEAK" not in result.err + result.out and "***" in result.err
