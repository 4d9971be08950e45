"""`journeymap init`: a new map that validates and lints clean, from each stage framework."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import yaml

from journeymap.config import Config, read
from journeymap.init import TEMPLATES

from .conftest import Run

STAGES = {
    "five-stage": ["awareness", "consideration", "purchase", "retention", "advocacy"],
    "buyer": ["awareness", "consideration", "decision", "post-purchase"],
    "before-during-after": ["before", "during", "after"],
    "conversion": ["touchpoints", "awareness", "consideration", "conversion", "retention"],
    "service-blueprint": ["request", "service", "follow-up"],
}


def test_every_template_is_tested() -> None:
    assert set(TEMPLATES) == set(STAGES)


@pytest.mark.parametrize("template", sorted(STAGES))
def test_template_validates_and_lints_clean(jm: Run, tmp_path: Path, template: str) -> None:
    made = jm("init", "visit.journey.yaml", "--template", template, "--title", "Visiting us")
    assert made.returncode == 0, made.stderr
    assert "Wrote visit.journey.yaml" in made.stdout
    text = (tmp_path / "visit.journey.yaml").read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert sum(1 for line in text.splitlines() if line.lstrip().startswith("#")) >= 5

    validated = jm("validate", "visit.journey.yaml")
    assert validated.returncode == 0, validated.stdout + validated.stderr
    linted = jm("lint", "--fail-on", "info", "visit.journey.yaml")
    assert linted.returncode == 0, linted.stdout + linted.stderr

    data = yaml.safe_load(text)
    assert data["title"] == "Visiting us"
    assert [stage["id"] for stage in data["stages"]] == STAGES[template]
    if template == "service-blueprint":
        steps = [step for stage in data["stages"] for step in stage["steps"]]
        assert all(step.get("backstage") and step.get("support") for step in steps)


def test_default_path_and_title(jm: Run, tmp_path: Path) -> None:
    assert jm("init").returncode == 0
    data = yaml.safe_load((tmp_path / "journey.journey.yaml").read_text("utf-8"))
    assert data["title"] == "Our customer journey"
    assert "id" not in data  # the file name gives the id


def test_awkward_title_and_file_name(jm: Run, tmp_path: Path) -> None:
    title = 'Réserver: un "vélo" # vite'
    made = jm("init", "Bike Hire.yaml", "--title", title, "-t", "buyer")
    assert made.returncode == 0, made.stderr
    data = yaml.safe_load((tmp_path / "Bike Hire.yaml").read_text("utf-8"))
    assert data["title"] == title
    assert data["id"] == "bike-hire"  # the file name is not a slug: the id follows it
    assert jm("validate", "Bike Hire.yaml").returncode == 0


def test_two_maps_of_the_default_title_get_ids_of_their_names(jm: Run, tmp_path: Path) -> None:
    """Trial: both got `id: our-customer-journey` from the default title, and clashed."""
    for name in ("My Dental Map.journey.yaml", "Clinic Visit.journey.yaml"):
        assert jm("init", name).returncode == 0
    assert jm("validate", ".").returncode == 0
    text = (tmp_path / "My Dental Map.journey.yaml").read_text("utf-8")
    assert "\nid: my-dental-map               # the map's id" in text
    assert "#   journeymap lint 'My Dental Map.journey.yaml'" in text  # as a shell reads it
    assert "\nupdated: " in text and " # the last review" in text
    column = {
        line.index("#")
        for line in text.splitlines()
        if line.startswith(("id:", "owner:", "updated:"))
    }
    assert len(column) == 1, "the comments line up"


def test_an_empty_title_is_refused(jm: Run, tmp_path: Path) -> None:
    made = jm("init", "x.journey.yaml", "--title", " ")
    assert made.returncode == 2
    assert "--title is empty" in made.stderr
    assert not (tmp_path / "x.journey.yaml").exists()


def test_refuses_to_overwrite_unless_forced(jm: Run, tmp_path: Path) -> None:
    target = tmp_path / "mine.journey.yaml"
    target.write_text("journeymap: 1\ntitle: Work in progress\n", "utf-8")
    refused = jm("init", "mine.journey.yaml")
    assert refused.returncode == 2
    assert refused.stderr == (
        "journeymap: error: mine.journey.yaml already exists; use --force to overwrite it\n"
    )
    assert target.read_text("utf-8") == "journeymap: 1\ntitle: Work in progress\n"

    forced = jm("init", "mine.journey.yaml", "--force", "--title", "Fresh")
    assert forced.returncode == 0, forced.stderr
    assert yaml.safe_load(target.read_text("utf-8"))["title"] == "Fresh"


def test_directory_argument(jm: Run, tmp_path: Path) -> None:
    (tmp_path / "maps").mkdir()
    assert jm("init", "maps").returncode == 0
    assert (tmp_path / "maps" / "journey.journey.yaml").is_file()


def test_unknown_template(jm: Run) -> None:
    result = jm("init", "--template", "five-stages")
    assert result.returncode == 2
    assert "unknown template 'five-stages' (did you mean 'five-stage'?)" in result.stderr


def test_list(jm: Run) -> None:
    result = jm("init", "--list")
    assert result.returncode == 0
    names = [line.split()[0] for line in result.stdout.splitlines() if line[:1].isalpha()]
    assert names[: len(TEMPLATES)] == list(TEMPLATES)
    assert "stages: awareness, consideration, purchase, retention, advocacy" in result.stdout


def test_modeline_points_at_the_projects_schema(jm: Run, tmp_path: Path) -> None:
    (tmp_path / "schema").mkdir()
    (tmp_path / ".git").mkdir()  # the project root
    assert jm("schema", "-o", "schema/journeymap-1.schema.json").returncode == 0
    (tmp_path / "maps" / "retail").mkdir(parents=True)
    assert jm("init", "maps/retail/tv.journey.yaml").returncode == 0
    first = (tmp_path / "maps/retail/tv.journey.yaml").read_text("utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../schema/journeymap-1.schema.json"


def test_modeline_can_be_given(jm: Run, tmp_path: Path) -> None:
    assert jm("init", "a.journey.yaml", "--schema", "https://example.com/s.json").returncode == 0
    first = (tmp_path / "a.journey.yaml").read_text("utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=https://example.com/s.json"


def test_config_file_has_every_default(jm: Run, tmp_path: Path) -> None:
    result = jm("init", "--config")
    assert result.returncode == 0, result.stderr
    path = tmp_path / "journeymap.toml"
    table = tomllib.loads(path.read_text("utf-8"))
    assert set(table) == {"fail-on", "exclude", "rules", "per-file-ignores", "render", "limits"}
    # Rule options in their own tables, not the older top-level `stale-after-days`.
    assert table["rules"] == {"options": {"stale-map": {"after-days": 180}}}
    config = read(path)
    defaults = Config()
    for name in ("rules", "fail_on", "exclude", "per_file_ignores", "stale_after_days", "limits"):
        assert getattr(config, name) == getattr(defaults, name), name
    # Every rule is listed, commented out, at its default severity.
    from journeymap.lint import RULE_BY_NAME

    text = path.read_text("utf-8")
    for rule in RULE_BY_NAME.values():
        assert f'# {rule.name} = "{rule.default_severity.value}"' in text
    # Uncommenting a rule line gives a configuration the loader accepts.
    first = next(iter(RULE_BY_NAME.values()))
    path.write_text(text.replace(f"# {first.name} = ", f"{first.name} = ", 1), "utf-8")
    assert read(path).rules == {first.name: first.default_severity.value}

    # The map and lint pick the file up.
    assert jm("init", "m.journey.yaml").returncode == 0
    assert jm("lint", "m.journey.yaml").returncode == 0
    assert jm("init", "--config").returncode == 2
    assert jm("init", "--config", "--force").returncode == 0


def test_config_file_loads_without_a_warning_and_its_measure_example_too(
    jm: Run, tmp_path: Path
) -> None:
    assert jm("init", "--config").returncode == 0
    assert jm("init", "m.journey.yaml").returncode == 0
    linted = jm("lint", "m.journey.yaml")
    assert (linted.returncode, linted.stderr) == (0, "")
    path = tmp_path / "journeymap.toml"
    text = path.read_text("utf-8")
    # The commented [measure] example, uncommented, is a configuration the loader accepts.
    start = text.index("# [measure]\n")
    block = text[start : text.index("\n\n", start)]
    path.write_text(text.replace(block, block.replace("# ", "", 1).replace("\n# ", "\n")))
    measure = read(path).measure
    # (with the folder data paths start from, and where each step of the path is written)
    assert set(measure) == {
        "events", "responses", "columns", "window", "path", "metrics", "engine", "root", "path_at"
    }  # fmt: skip
    assert len(measure["path_at"]) == len(measure["path"])
    assert measure["columns"] == {"user": "user_id", "event": "event_name", "time": "ts"}


def test_readme_step_one_in_a_fresh_repository(jm: Run, tmp_path: Path) -> None:
    """Issue 13, defect 7: `schema -o` and `init` create the folders they write into."""
    (tmp_path / ".git").mkdir()
    made = jm("schema", "-o", "schema/journeymap-1.schema.json")
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "schema/journeymap-1.schema.json").is_file()
    made = jm("init", "maps/onboarding.journey.yaml", "--template", "buyer")
    assert made.returncode == 0, made.stderr
    first = (tmp_path / "maps/onboarding.journey.yaml").read_text("utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schema/journeymap-1.schema.json"
    assert jm("init", "--config", "config/journeymap.toml").returncode == 0
    assert (tmp_path / "config/journeymap.toml").is_file()


def test_config_file_shows_the_real_render_defaults(jm: Run, tmp_path: Path) -> None:
    """Issue 13, defect 7: the commented defaults are the real ones (html and svg)."""
    assert jm("init", "--config").returncode == 0
    text = (tmp_path / "journeymap.toml").read_text("utf-8")
    assert '# formats = ["html", "svg"]' in text
    assert '# theme = "default"' in text
    assert "lint --help" not in text
    assert "`journeymap rules NAME`" in text
