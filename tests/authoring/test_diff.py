"""`journeymap diff`: a changelog of what changed for the customer, keyed by ids."""

from __future__ import annotations

import json
import re
import shlex
import sys
from pathlib import Path

import cmarkgfm
import pytest

from .conftest import Run

BASE = """\
journeymap: 1
title: Buying a new TV
updated: 2026-10-01
personas:
  - id: sam
    name: Sam
    goals: [A good TV]
    needs: [Plain words]
channels:
  - id: web
    name: Website
    kind: digital
  - id: store
    name: Retail store
    kind: physical
stages:
  - id: awareness
    name: Awareness
    kpis: [{name: Reach, target: 1000}]
    feedback: [{method: analytics}]
    steps:
      - id: sees-ad
        name: Sees an ad
        channel: web
        emotion: 1
  - id: consideration
    name: Consideration
    kpis: [{name: Store visits, target: 100, actual: 80}]
    feedback: [{method: survey}]
    steps:
      - id: compares-online
        name: Compares models online
        channel: web
        emotion: 0
        opportunities:
          - text: Add a comparison table
            status: idea
      - id: visits-store
        name: Sees the TVs in a store
        channel: store
        handoff: The shortlist is shown to the salesperson
        emotion: -1
        pain_points: [No staff available]
        opportunities: [Book a store appointment online]
  - id: purchase
    name: Purchase
    kpis: [{name: Conversion, target: 0.3, actual: 0.25}]
    feedback: [{method: csat}]
    steps:
      - id: pays
        name: Pays at the till
        channel: store
        emotion: 1
  - id: retention
    name: Retention
    kpis: [{name: Returns, target: 0.05, better: lower}]
    feedback: [{method: nps}]
    steps:
      - id: sets-up
        name: Sets up the TV
        channel: store
        emotion: 2
"""


def edit(text: str, *pairs: tuple[str, str]) -> str:
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


NEW = edit(
    BASE,
    ("        emotion: 0\n", "        emotion: 1\n"),
    (
        "      - id: visits-store\n",
        "      - id: reads-reviews\n        name: Reads reviews\n        channel: web\n"
        "        emotion: 1\n      - id: visits-store\n",
    ),
    ("        pain_points: [No staff available]\n", ""),
    ("            status: idea\n", "            status: planned\n"),
    ("target: 100, actual: 80", "target: 100, actual: 120"),
    ("        handoff: The shortlist is shown to the salesperson\n", ""),
    ("    name: Purchase\n", "    name: Checkout\n"),
)

EXPECTED = """\
tv: Buying a new TV
  ~ KPI on stage consideration: "Store visits" actual 80 → 120 (target 100)
  ~ step compares-online (Consideration): emotion 0 → +1
  ~ opportunity on compares-online: "Add a comparison table" status idea → planned
  + step reads-reviews (Consideration) "Reads reviews"
  - handoff removed from visits-store: "The shortlist is shown to the salesperson"
  - pain point resolved on visits-store: "No staff available"
  ~ stage purchase: renamed "Purchase" → "Checkout"
  + lint channel-gap (warning) at step visits-store, line 42: step 'visits-store' switches \
from channel 'web' (step 'reads-reviews') to 'store' with no `handoff`
  - lint fixed kpi-off-target at stage consideration: KPI 'Store visits' of stage \
'consideration' is off target: 80 is below the target of 100 (higher is better)
"""


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    (tmp_path / ".git").mkdir()  # a project root, so no configuration from outside is used
    return write(tmp_path, "old/tv.journey.yaml", BASE), write(tmp_path, "new/tv.journey.yaml", NEW)


def test_text_reads_like_a_changelog(jm: Run, pair: tuple[Path, Path]) -> None:
    result = jm("diff", *pair)
    assert result.returncode == 0, result.stderr
    assert result.stdout == EXPECTED


def test_directories_are_paired_by_map_id(jm: Run, pair: tuple[Path, Path], tmp_path: Path) -> None:
    write(tmp_path, "new/gone-later.journey.yaml", BASE.replace("Buying a new TV", "Extra"))
    write(tmp_path, "old/retired.journey.yaml", BASE.replace("Buying a new TV", "Old one"))
    result = jm("diff", "old", "new", "--no-lint")
    assert result.returncode == 0, result.stderr
    blocks = result.stdout.split("\n\n")
    assert blocks[0] == "gone-later: Extra (new map)"
    assert blocks[1].startswith("tv: Buying a new TV\n  ~ KPI on stage consideration")
    assert blocks[2] == "retired: Old one (map removed)\n"


def test_no_changes_prints_nothing(jm: Run, pair: tuple[Path, Path]) -> None:
    old, _ = pair
    result = jm("diff", old, old, "--exit-code")
    assert (result.returncode, result.stdout) == (0, "")


def test_exit_code(jm: Run, pair: tuple[Path, Path]) -> None:
    assert jm("diff", *pair, "--exit-code").returncode == 1
    assert jm("diff", *pair).returncode == 0


def test_json(jm: Run, pair: tuple[Path, Path]) -> None:
    result = jm("diff", *pair, "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["changed"] is True
    (tv,) = data["maps"]
    assert (tv["id"], tv["status"]) == ("tv", "changed")
    kinds = [(c["op"], c["kind"], c["id"]) for c in tv["changes"]]
    assert kinds == [
        ("~", "kpi-actual", "consideration"),
        ("~", "emotion", "compares-online"),
        ("~", "opportunity-status", "compares-online"),
        ("+", "step-added", "reads-reviews"),
        ("-", "handoff-removed", "visits-store"),
        ("-", "pain-point-resolved", "visits-store"),
        ("~", "stage-renamed", "purchase"),
        ("+", "finding-introduced", "channel-gap"),
        ("-", "finding-fixed", "kpi-off-target"),
    ]
    emotion = tv["changes"][1]
    assert (emotion["old"], emotion["new"], emotion["stage"]) == (0, 1, "consideration")
    assert tv["changes"][-2]["new"]["line"] == 42
    assert data["summary"] == {
        "maps": 1,
        "maps_changed": 1,
        "maps_added": 0,
        "maps_removed": 0,
        "maps_not_compared": 0,
        "added": 2,
        "removed": 3,
        "changed": 4,
    }


def test_markdown_for_a_pull_request(jm: Run, pair: tuple[Path, Path]) -> None:
    result = jm("diff", *pair, "--format", "markdown", "--no-lint")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "## Journey map changes"
    assert "**1 map** in this diff: 1 changed." in lines
    assert (
        "**7 changes** inside the changed map: ➕ 1 added, ➖ 2 removed or resolved, ✏️ 4 modified."
    ) in lines
    assert "### tv: Buying a new TV" in lines
    assert '| ➕ | step reads-reviews (Consideration) "Reads reviews" |' in lines
    assert '| ➖ | pain point resolved on visits-store: "No staff available" |' in lines


def test_markdown_summary_counts_maps_and_changes_apart(jm: Run, tmp_path: Path) -> None:
    """Trial defect: one map changed, one added and one removed read as "3 maps changed: 2
    added, 2 removed or resolved, ...", counts of changes inside one map taken for maps."""
    (tmp_path / ".git").mkdir()
    write(tmp_path, "a/tv.journey.yaml", BASE)
    write(tmp_path, "a/gone.journey.yaml", BASE.replace("Buying a new TV", "Gone"))
    write(tmp_path, "b/tv.journey.yaml", NEW)
    write(tmp_path, "b/fresh.journey.yaml", BASE.replace("Buying a new TV", "Fresh"))
    result = jm("diff", "a", "b", "--format", "markdown", "--no-lint")
    assert result.returncode == 0, result.stderr
    html = cmarkgfm.github_flavored_markdown_to_html(result.stdout)
    paragraphs = [re.sub("<[^>]+>", "", p) for p in re.findall("<p>(.*?)</p>", html)]
    assert paragraphs[:3] == [  # what a reviewer reads on GitHub, then a map's file
        "3 maps in this diff: 1 changed, 1 new, 1 removed.",
        "7 changes inside the changed map: ➕ 1 added, ➖ 2 removed or resolved, ✏️ 4 modified.",
        "b/fresh.journey.yaml",
    ]
    assert "<h3>fresh: Fresh (new map)</h3>" in html
    assert "<h3>gone: Gone (map removed)</h3>" in html
    unchanged = jm("diff", "a", "a", "--format", "markdown").stdout
    assert unchanged == "## Journey map changes\n\nNo changes to journey maps.\n"


def test_markdown_escapes_map_text(jm: Run, tmp_path: Path) -> None:
    old = write(tmp_path, "a/m.journey.yaml", "journeymap: 1\ntitle: T\n")
    new = write(tmp_path, "b/m.journey.yaml", "journeymap: 1\ntitle: 'a | <img src=x> `b`'\n")
    result = jm("diff", old, new, "-f", "markdown", "--no-lint")
    assert "<img" not in result.stdout
    assert r'→ "a \| &lt;img src=x&gt; \`b\`" |' in result.stdout


def test_moves_renames_and_removals(jm: Run, tmp_path: Path) -> None:
    new = edit(
        BASE,
        # pays moves to retention, before sets-up; purchase is then empty and removed
        (
            "  - id: purchase\n    name: Purchase\n"
            "    kpis: [{name: Conversion, target: 0.3, actual: 0.25}]\n"
            "    feedback: [{method: csat}]\n    steps:\n"
            "      - id: pays\n        name: Pays at the till\n        channel: store\n"
            "        emotion: 1\n",
            "",
        ),
        (
            "      - id: sets-up\n",
            "      - id: pays\n        name: Pays at the till\n        channel: store\n"
            "        emotion: 1\n      - id: sets-up\n",
        ),
        ("name: Sees an ad", "name: Notices an ad"),
        ("kind: physical", "kind: partner"),
        ("  - id: web\n    name: Website", "  - id: web\n    name: Web shop"),
    )
    old_path = write(tmp_path, "old.journey.yaml", BASE)
    new_path = write(tmp_path, "new.journey.yaml", new)
    result = jm("diff", old_path, new_path, "--no-lint")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1:] == [
        '  ~ channel web: renamed "Website" → "Web shop"',
        "  ~ channel store: kind physical → partner",
        '  ~ step sees-ad (Awareness): renamed "Sees an ad" → "Notices an ad"',
        "  ~ step pays (Retention): moved from Purchase",
        '  - stage purchase "Purchase"',
    ]


def test_a_median_time_kpi_reads_as_a_duration(jm: Run, tmp_path: Path) -> None:
    """As `lint` and the page show it: `1 h → 1 h 30 min`, not `3600 → 5400`."""
    kpi = "    kpis: [{name: Time to buy, measure: median-time, target: %s, better: lower}]\n"
    old = BASE.replace("    kpis: [{name: Reach, target: 1000}]\n", kpi % 3600)
    new = BASE.replace("    kpis: [{name: Reach, target: 1000}]\n", kpi % 5400)
    old_path = write(tmp_path, "old.journey.yaml", old)
    new_path = write(tmp_path, "new.journey.yaml", new)
    result = jm("diff", old_path, new_path, "--no-lint")
    assert result.returncode == 0, result.stderr
    assert '~ KPI on stage awareness: "Time to buy" target 1 h → 1 h 30 min' in result.stdout


def test_step_order_and_id_renames(jm: Run, tmp_path: Path) -> None:
    swapped = edit(
        BASE,
        (
            "      - id: visits-store\n",
            "      - id: visits-shop\n",
        ),
    )
    # reads: compares-online then visits-store; swap them
    block_a = swapped[
        swapped.index("      - id: compares-online") : swapped.index("      - id: visits-shop")
    ]
    block_b = swapped[swapped.index("      - id: visits-shop") : swapped.index("  - id: purchase")]
    swapped = swapped.replace(block_a + block_b, block_b + block_a)
    old_path = write(tmp_path, "old.journey.yaml", BASE)
    new_path = write(tmp_path, "new.journey.yaml", swapped)
    result = jm("diff", old_path, new_path, "--no-lint")
    assert result.stdout.splitlines()[1:] == [
        "  ~ step visits-shop (Consideration): id visits-store → visits-shop",
        "  ~ step visits-shop (Consideration): moved from position 2 to 1 in the stage",
    ]


def test_an_invalid_side_is_reported_and_exits_1(jm: Run, tmp_path: Path) -> None:
    old_path = write(tmp_path, "old.journey.yaml", BASE)
    new_path = write(tmp_path, "new.journey.yaml", BASE.replace("emotion: 2", "emotion: 3"))
    result = jm("diff", old_path, new_path)
    assert result.returncode == 1, result.stderr
    assert result.stdout == ("new: not compared: new.journey.yaml is not a valid map (1 error)\n")
    assert result.stderr == (
        "new.journey.yaml:62:18: error schema emotion must be a whole number from -2 to +2; "
        "got the number 3\n"
        " 61 |         channel: store\n"
        " 62 |         emotion: 3\n"
        "    |                  ^\n"
    )


def test_one_invalid_map_in_folders_does_not_hide_the_others(jm: Run, tmp_path: Path) -> None:
    """Trial defect: one invalid map made the whole diff of two folders exit 2 with no changes."""
    (tmp_path / ".git").mkdir()
    broken = BASE.replace("Buying a new TV", "Repairs").replace("emotion: 2", "emotion: 3")
    write(tmp_path, "dA/tv.journey.yaml", BASE)
    write(tmp_path, "dA/repair.journey.yaml", BASE.replace("Buying a new TV", "Repairs"))
    write(tmp_path, "dA/gone.journey.yaml", BASE.replace("Buying a new TV", "Gone"))
    write(tmp_path, "dB/tv.journey.yaml", NEW)
    write(tmp_path, "dB/repair.journey.yaml", broken)
    write(tmp_path, "dB/fresh.journey.yaml", BASE.replace("Buying a new TV", "Fresh"))
    result = jm("diff", "dA", "dB", "--no-lint")
    assert result.returncode == 1, result.stderr
    blocks = result.stdout.split("\n\n")
    assert blocks[0] == "repair: not compared: dB/repair.journey.yaml is not a valid map (1 error)"
    assert blocks[1].startswith("fresh: Fresh (new map)") or blocks[2].startswith("fresh:")
    assert "tv: Buying a new TV\n  ~ KPI on stage consideration" in result.stdout
    assert "gone: Gone (map removed)" in result.stdout
    assert "repair: Repairs (map removed)" not in result.stdout  # not compared, not gone
    assert result.stderr.startswith(
        "dB/repair.journey.yaml:62:18: error schema emotion must be a whole number"
    )
    assert "\n 62 |         emotion: 3\n" in result.stderr

    # The same with --exit-code (1 either way), and in the pull-request comment.
    assert jm("diff", "dA", "dB", "--exit-code").returncode == 1
    markdown = jm("diff", "dA", "dB", "--format", "markdown", "--no-lint")
    assert markdown.returncode == 1
    assert (
        "### repair: not compared: dB/repair.journey.yaml is not a valid map (1 error)\n\n"
        "| | Why it is not valid |\n|:-:|---|\n"
        "| ⛔ | dB/repair.journey.yaml:62:18: error schema emotion must be a whole number "
        "from -2 to +2; got the number 3 |\n"
    ) in markdown.stdout
    assert "### tv: Buying a new TV" in markdown.stdout
    data = json.loads(jm("diff", "dA", "dB", "--format", "json").stdout)
    invalid = [m for m in data["maps"] if m["status"] == "invalid"]
    assert [(m["id"], m["new_file"], m["findings"][0]["line"]) for m in invalid] == [
        ("repair", "dB/repair.journey.yaml", 62)
    ]

    # A folder that does not exist is still a usage error.
    missing = jm("diff", "dA", "dC")
    assert (missing.returncode, missing.stdout) == (2, "")
    assert missing.stderr == "journeymap: error: dC: no such file or directory\n"


def test_usage_errors(jm: Run, tmp_path: Path) -> None:
    assert jm("diff", "only-one.yaml").returncode == 2
    assert "no such file" in jm("diff", "a.yaml", "b.yaml").stderr


def test_rev_against_the_working_tree(jm: Run, git: Run, tmp_path: Path) -> None:
    write(tmp_path, "maps/tv.journey.yaml", BASE)
    write(tmp_path, "maps/old-news.journey.yaml", BASE.replace("Buying a new TV", "Old news"))
    write(tmp_path, "notes.yaml", "not: a map\n")
    assert git("add", ".").returncode == 0
    assert git("commit", "-qm", "maps").returncode == 0
    write(tmp_path, "maps/tv.journey.yaml", NEW)
    (tmp_path / "maps/old-news.journey.yaml").unlink()
    write(tmp_path, "maps/fresh.journey.yaml", BASE.replace("Buying a new TV", "Fresh"))

    result = jm("diff", "--rev", "HEAD")
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout
        == "fresh: Fresh (new map)\n\n"
        + EXPECTED.replace("tv: Buying a new TV", "tv: Buying a new TV")
        + "\nold-news: Old news (map removed)\n"
    )

    # From a subdirectory, for one file, and with --exit-code.
    only_tv = jm("diff", "--rev", "HEAD", "tv.journey.yaml", "--exit-code", cwd=tmp_path / "maps")
    assert only_tv.returncode == 1, only_tv.stderr
    assert only_tv.stdout == EXPECTED
    assert git("add", "-A").returncode == 0
    assert git("commit", "-qm", "edit").returncode == 0
    same = jm("diff", "--rev", "HEAD", "--exit-code")
    assert (same.returncode, same.stdout) == (0, "")
    assert jm("diff", "--rev", "HEAD~1", "--exit-code").returncode == 1


def test_rev_errors(jm: Run, git: Run, tmp_path: Path) -> None:
    write(tmp_path, "tv.journey.yaml", BASE)
    git("add", ".")
    git("commit", "-qm", "x")
    result = jm("diff", "--rev", "no-such-branch")
    assert result.returncode == 2
    assert result.stderr == "journeymap: error: unknown revision 'no-such-branch'\n"


def test_rev_a_path_that_names_nothing_now_or_then(jm: Run, git: Run, tmp_path: Path) -> None:
    """A mistyped path compared nothing and passed; a path only at the revision is removed."""
    write(tmp_path, "maps/tv.journey.yaml", BASE)
    git("add", ".")
    git("commit", "-qm", "x")
    result = jm("diff", "--rev", "HEAD", "maps/tvv.journey.yaml")
    assert result.returncode == 2
    assert result.stderr == (
        "journeymap: error: maps/tvv.journey.yaml: no such file or directory, now or at HEAD\n"
    )
    (tmp_path / "maps/tv.journey.yaml").unlink()
    removed = jm("diff", "--rev", "HEAD", "maps/tv.journey.yaml")
    assert (removed.returncode, removed.stdout) == (0, "tv: Buying a new TV (map removed)\n")


def test_rev_reads_a_committed_link_as_the_file_it_leads_to(
    jm: Run, git: Run, tmp_path: Path
) -> None:
    """At the revision a link's blob is its target's name; it was checked as the map's text."""
    write(tmp_path, "maps/real.journey.yaml", BASE)
    (tmp_path / "maps/tv.journey.yaml").symlink_to("real.journey.yaml")
    (tmp_path / "maps/up.journey.yaml").symlink_to("../../elsewhere.journey.yaml")
    (tmp_path / "maps/a.journey.yaml").symlink_to("b.journey.yaml")
    (tmp_path / "maps/b.journey.yaml").symlink_to("a.journey.yaml")
    git("add", ".")
    git("commit", "-qm", "links")
    for link in ("up", "a", "b"):
        (tmp_path / f"maps/{link}.journey.yaml").unlink()  # now gone, at HEAD no map either
    write(tmp_path, "maps/real.journey.yaml", NEW)
    result = jm("diff", "--rev", "HEAD", "maps")
    assert result.returncode == 0, result.stderr
    assert result.stdout == EXPECTED.replace("tv: ", "real: ") + "\n" + EXPECTED


def test_rev_asks_the_repository_of_the_path_given(jm: Run, git: Run, tmp_path: Path) -> None:
    """Trial defect: from outside the repository, `diff --rev HEAD ~/repo/maps` said `not a git
    repository`. And a link named on the command line was compared, at the revision, under the
    name of the file it leads to ('tv: new map', 'real: map removed')."""
    repo = tmp_path / "repo"
    write(repo, "maps/real.journey.yaml", BASE)
    (repo / "maps/tv.journey.yaml").symlink_to("real.journey.yaml")
    git("init", "-q", cwd=repo)
    git("add", ".", cwd=repo)
    git("commit", "-qm", "x", cwd=repo)
    write(repo, "maps/real.journey.yaml", NEW)
    elsewhere = tmp_path.parent / f"{tmp_path.name}-elsewhere"  # in no repository
    elsewhere.mkdir()
    result = jm("diff", "--rev", "HEAD", repo / "maps", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert result.stdout == EXPECTED.replace("tv: ", "real: ") + "\n" + EXPECTED
    named = jm("diff", "--rev", "HEAD", "maps/tv.journey.yaml", cwd=repo)
    assert (named.returncode, named.stdout) == (0, EXPECTED), named.stderr


def test_rev_a_link_that_leads_nowhere_now(jm: Run, git: Run, tmp_path: Path) -> None:
    write(tmp_path, "maps/tv.journey.yaml", BASE)
    git("add", ".")
    git("commit", "-qm", "x")
    (tmp_path / "maps/a.journey.yaml").symlink_to("b.journey.yaml")
    (tmp_path / "maps/b.journey.yaml").symlink_to("a.journey.yaml")
    for args in (["maps/a.journey.yaml"], ["maps", "maps/a.journey.yaml"]):
        result = jm("diff", "--rev", "HEAD", *args)
        assert result.returncode == 2, result.stderr
        assert result.stderr == (
            "journeymap: error: maps/a.journey.yaml: a symbolic link to 'b.journey.yaml', "
            "which leads round a loop of links\n"
        )


def test_textconv_in_real_git(jm: Run, git: Run, tmp_path: Path) -> None:
    """The documented setup (docs/ci.md): git diff and git log -p show the outline."""
    write(tmp_path, ".gitattributes", "*.journey.yaml diff=journeymap\n")
    command = f"{shlex.quote(sys.executable)} -m journeymap diff --textconv"
    assert git("config", "diff.journeymap.textconv", command).returncode == 0
    assert git("config", "diff.journeymap.xfuncname", "^(stage .*|  step .*)$").returncode == 0
    write(tmp_path, "tv.journey.yaml", BASE)
    git("add", ".")
    git("commit", "-qm", "first")
    write(tmp_path, "tv.journey.yaml", NEW)

    shown = git("diff")
    assert shown.returncode == 0, shown.stderr
    body = shown.stdout
    assert "+    emotion: +1\n" in body and "-    emotion: 0\n" in body
    assert "-    pain point: No staff available\n" in body
    assert "+  step reads-reviews: Reads reviews\n" in body
    assert "-stage purchase: Purchase\n" in body and "+stage purchase: Checkout\n" in body
    assert "@@ stage consideration: Consideration" in body or "@@   step" in body
    assert "kpis:" not in body  # the outline, not the YAML

    git("commit", "-qam", "second")
    log = git("log", "-p", "-1")
    assert "+  step reads-reviews: Reads reviews" in log.stdout

    outline = jm("diff", "--textconv", "tv.journey.yaml")
    assert outline.stdout.splitlines()[:3] == [
        "map (id from the file name): Buying a new TV",
        "  status: current",
        "  updated: 2026-10-01",
    ]


def test_textconv_shows_a_broken_file_as_is(jm: Run, tmp_path: Path) -> None:
    write(tmp_path, "broken.yaml", "journeymap: 1\ntitle: [unclosed\n")
    result = jm("diff", "--textconv", "broken.yaml")
    assert (result.returncode, result.stdout) == (0, "journeymap: 1\ntitle: [unclosed\n")


def test_rev_with_a_library_that_was_broken_then(jm: Run, git: Run, tmp_path: Path) -> None:
    """A library that did not parse at the old revision is reported, not a crash."""
    write(tmp_path, "lib.yaml", "journeymap: 1\nkind: library\npersonas: [unclosed\n")
    write(tmp_path, "tv.journey.yaml", BASE.replace("title:", "uses: [lib.yaml]\ntitle:", 1))
    git("add", ".")
    git("commit", "-qm", "broken library")
    write(tmp_path, "lib.yaml", "journeymap: 1\nkind: library\npersonas: []\n")
    result = jm("diff", "--rev", "HEAD")
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("lib: not compared: HEAD:lib.yaml is not a valid map")
    assert result.stderr.startswith("HEAD:lib.yaml:3:11: error syntax ")
    assert "internal error" not in result.stderr


def test_json_field_names_are_the_format_keys(jm: Run, pair: tuple[Path, Path]) -> None:
    """Issue 13, defect 6: `opportunitys.status` was written for an opportunity's status."""
    data = json.loads(jm("diff", *pair, "--format", "json", "--no-lint").stdout)
    fields = {c["kind"]: c["field"] for c in data["maps"][0]["changes"]}
    assert fields["opportunity-status"] == "opportunities.status"


def test_a_finding_that_stays_but_changes_is_one_changed_line(jm: Run, tmp_path: Path) -> None:
    """Issue 13, defect 6: a KPI still off target with a new `actual` is not added + fixed."""
    (tmp_path / ".git").mkdir()
    old = write(tmp_path, "old/tv.journey.yaml", BASE)
    new = write(tmp_path, "new/tv.journey.yaml", edit(BASE, ("actual: 80", "actual: 90")))
    result = jm("diff", old, new)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1:] == [
        '  ~ KPI on stage consideration: "Store visits" actual 80 → 90 (target 100)',
        "  ~ lint kpi-off-target (info) at stage consideration, line 28: KPI 'Store visits' "
        "of stage 'consideration' is off target: 80 is below the target of 100 (higher is "
        "better) → KPI 'Store visits' of stage 'consideration' is off target: 90 is below "
        "the target of 100 (higher is better)",
    ]
    data = json.loads(jm("diff", old, new, "-f", "json").stdout)
    (finding,) = [c for c in data["maps"][0]["changes"] if c["element"] == "finding"]
    assert (finding["op"], finding["kind"]) == ("~", "finding-changed")
    assert "80 is below" in finding["old"]["message"]
    assert "90 is below" in finding["new"]["message"]


def _two_maps_one_id(root: Path, second_stage_name: str = "Purchase") -> None:
    """Two maps that share the id `tv` (a copy not yet given its own id)."""
    first = BASE.replace("journeymap: 1\n", "journeymap: 1\nid: tv\n", 1)
    second = first.replace("Buying a new TV", "Second TV map")
    write(root, "a.journey.yaml", first)
    write(
        root,
        "b.journey.yaml",
        second.replace("    name: Purchase\n", f"    name: {second_stage_name}\n"),
    )


SECOND_RENAMED = 'tv: Second TV map\n  ~ stage purchase: renamed "Purchase" → "Checkout"\n'


def test_folders_with_two_maps_of_one_id_pair_each_with_its_own_file(
    jm: Run, tmp_path: Path
) -> None:
    (tmp_path / ".git").mkdir()
    _two_maps_one_id(tmp_path / "old")
    _two_maps_one_id(tmp_path / "new", "Checkout")
    result = jm("diff", "old", "new", "--no-lint", "--exit-code")
    assert (result.returncode, result.stdout) == (1, SECOND_RENAMED), result.stderr
    same = jm("diff", "old", "old", "--no-lint", "--exit-code")
    assert (same.returncode, same.stdout) == (0, "")


def test_rev_with_two_maps_of_one_id(jm: Run, git: Run, tmp_path: Path) -> None:
    _two_maps_one_id(tmp_path / "maps")
    assert git("add", ".").returncode == 0
    assert git("commit", "-qm", "maps").returncode == 0
    assert jm("diff", "--rev", "HEAD", "--no-lint", "--exit-code").returncode == 0
    _two_maps_one_id(tmp_path / "maps", "Checkout")
    result = jm("diff", "--rev", "HEAD", "--no-lint", "--exit-code")
    assert (result.returncode, result.stdout) == (1, SECOND_RENAMED), result.stderr
