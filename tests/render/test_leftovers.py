"""Files left over in the output folder by maps deleted, renamed or given another id: named by
`render`, reported by `render --check`, removed by `render --prune` (render/leftovers.py), as a
user sees them. Only files journeymap made (they carry the map's path, render/marks.py) from
maps under the paths given count; nothing else in the folder is ever reported or touched."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers import Result, run

TODAY = ["--today", "2026-11-23"]
FORMATS = ["-f", "html,mermaid"]


def small_map(title: str, map_id: str | None = None) -> str:
    given_id = f"id: {map_id}\n" if map_id else ""
    return (
        f"journeymap: 1\n{given_id}title: {title}\n"
        "stages:\n  - id: s\n    name: S\n    steps:\n      - {id: a, name: A, emotion: 1}\n"
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project of three maps rendered into site/ (html and mermaid, and the portfolio)."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "maps").mkdir()
    for name in ("alpha", "beta", "gamma"):
        (tmp_path / "maps" / f"{name}.journey.yaml").write_text(small_map(name.title()), "utf-8")
    result = render(tmp_path)
    assert result.code == 0, result.err
    return tmp_path


def render(root: Path, *args: str, paths: tuple[str, ...] = ("maps",)) -> Result:
    return run("render", *paths, "-o", "site", *FORMATS, *TODAY, *args, cwd=root)


def names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


def test_check_names_the_files_of_a_renamed_map_and_prune_removes_exactly_them(
    project: Path,
) -> None:
    maps = project / "maps"
    (maps / "beta.journey.yaml").rename(maps / "bravo.journey.yaml")
    check = render(project, "--check")
    assert check.code == 1
    assert check.out.splitlines() == [
        "missing: site/bravo.html",
        "missing: site/bravo.mmd",
        "stale: site/index.html",
        "leftover: site/beta.html (made from maps/beta.journey.yaml, which no longer exists)",
        "leftover: site/beta.mmd (made from maps/beta.journey.yaml, which no longer exists)",
    ]
    assert check.err == (
        "3 of 7 outputs missing or stale, and 2 files left over from maps that no longer "
        "make them; run the same command with --prune instead of --check to update site\n"
    )
    before = names(project / "site")
    pruned = render(project, "--prune")
    assert pruned.code == 0, pruned.err
    assert pruned.err.splitlines()[:2] == [
        "removed site/beta.html: made from maps/beta.journey.yaml, which no longer exists",
        "removed site/beta.mmd: made from maps/beta.journey.yaml, which no longer exists",
    ]
    assert pruned.err.splitlines()[-1].endswith("; 2 left-over files removed")
    after = names(project / "site")
    assert set(before) - set(after) == {"beta.html", "beta.mmd"}
    assert set(after) - set(before) == {"bravo.html", "bravo.mmd"}
    index = (project / "site" / "index.html").read_text("utf-8")
    assert "bravo.html" in index and "beta.html" not in index
    assert render(project, "--check").code == 0


def test_a_render_without_prune_names_the_leftovers_and_keeps_them(project: Path) -> None:
    (project / "maps" / "gamma.journey.yaml").unlink()
    result = render(project)
    assert result.code == 0
    assert result.err.splitlines() == [
        "journeymap: warning: site/gamma.html is left over: made from maps/gamma.journey.yaml, "
        "which no longer exists",
        "journeymap: warning: site/gamma.mmd is left over: made from maps/gamma.journey.yaml, "
        "which no longer exists",
        "rendered 2 maps into site: 1 file written, 4 unchanged; 2 files left over from maps "
        "that no longer make them (delete them, or run again with --prune)",
    ]
    assert {"gamma.html", "gamma.mmd"} <= set(names(project / "site"))


def test_a_map_given_another_id_leaves_its_old_files(project: Path) -> None:
    path = project / "maps" / "alpha.journey.yaml"
    path.write_text(small_map("Alpha", "first"), "utf-8")
    check = render(project, "--check")
    assert check.code == 1
    assert (
        "leftover: site/alpha.mmd (made from maps/alpha.journey.yaml, which now renders to "
        "other files)"
    ) in check.out.splitlines()


def test_the_portfolio_of_maps_since_deleted_is_left_over(project: Path) -> None:
    """Down to one map, no portfolio is made: the old one must not keep listing the others."""
    for name in ("beta", "gamma"):
        (project / "maps" / f"{name}.journey.yaml").unlink()
    check = render(project, "--check")
    assert check.code == 1
    assert (
        "leftover: site/index.html (the portfolio of maps/alpha.journey.yaml, "
        "maps/beta.journey.yaml, maps/gamma.journey.yaml; this run renders 1 map, and makes no "
        "portfolio)"
    ) in check.out.splitlines()
    assert render(project, "--prune").code == 0
    assert names(project / "site") == ["alpha.html", "alpha.mmd"]


def test_a_render_of_some_maps_reports_no_other_maps_files(project: Path) -> None:
    (project / "maps" / "beta.journey.yaml").unlink()
    (project / "maps" / "gamma.journey.yaml").rename(project / "maps" / "delta.journey.yaml")
    # One map given: the portfolio (also of beta and gamma) and their files are not its own.
    alone = render(project, "--check", paths=("maps/alpha.journey.yaml",))
    assert (alone.code, alone.out) == (0, "")
    assert alone.err == "2 outputs in site are current\n"
    pruned = render(project, "--prune", paths=("maps/alpha.journey.yaml",))
    assert pruned.code == 0 and "removed" not in pruned.err
    assert {"beta.html", "gamma.html", "index.html"} <= set(names(project / "site"))
    # A folder of other maps: nothing of maps/ lies in it.
    (project / "more").mkdir()
    (project / "more" / "omega.journey.yaml").write_text(small_map("Omega"), "utf-8")
    other = render(project, "--check", paths=("more",))
    assert other.out.splitlines() == ["missing: site/omega.html", "missing: site/omega.mmd"]


def test_files_journeymap_did_not_make_are_never_reported_or_removed(project: Path) -> None:
    site = project / "site"
    (project / "maps" / "beta.journey.yaml").unlink()
    # Named like outputs, in the formats rendered, but without the record of a map.
    (site / "about.html").write_text("<!doctype html>\n<title>About</title>\n", "utf-8")
    (site / "flow.mmd").write_text("journey\n  title Made by hand\n", "utf-8")
    old = (site / "beta.html").read_text("utf-8").replace('"journeymap-source"', '"source"')
    (site / "older.html").write_text(old, "utf-8")  # a page of journeymap before the record
    # Carries a record, but of a map that is still there and has errors: its files stay.
    (project / "maps" / "gamma.journey.yaml").write_text("journeymap: 1\ntitle: [\n", "utf-8")
    check = render(project, "--check")
    assert check.code == 1
    assert [line for line in check.out.splitlines() if line.startswith("leftover")] == [
        "leftover: site/beta.html (made from maps/beta.journey.yaml, which no longer exists)",
        "leftover: site/beta.mmd (made from maps/beta.journey.yaml, which no longer exists)",
    ]
    assert render(project, "--prune").code == 1  # gamma's errors
    kept = {"about.html", "flow.mmd", "older.html", "gamma.html", "gamma.mmd"}
    assert kept <= set(names(site)) and not {"beta.html", "beta.mmd"} & set(names(site))


def test_a_link_in_the_folder_is_never_followed_nor_removed(project: Path) -> None:
    site = project / "site"
    (project / "maps" / "beta.journey.yaml").unlink()
    elsewhere = project / "elsewhere"
    elsewhere.mkdir()
    (site / "beta.html").rename(elsewhere / "beta.html")  # a marked file of a deleted map
    (site / "beta.html").symlink_to(elsewhere / "beta.html")
    (site / "loop.mmd").symlink_to("loop.mmd")
    os.mkfifo(site / "fifo.html")  # never opened for reading (it would block)
    check = render(project, "--check")
    assert [line for line in check.out.splitlines() if line.startswith("leftover")] == [
        "leftover: site/beta.mmd (made from maps/beta.journey.yaml, which no longer exists)"
    ]
    assert render(project, "--prune").code == 0
    assert (site / "beta.html").is_symlink() and (elsewhere / "beta.html").is_file()
    assert (site / "loop.mmd").is_symlink() and (site / "fifo.html").exists()
    assert not (site / "beta.mmd").exists()


def test_files_of_formats_this_run_does_not_render_are_left_alone(project: Path) -> None:
    (project / "maps" / "beta.journey.yaml").unlink()
    result = run("render", "maps", "-o", "site", "-f", "html", "--check", *TODAY, cwd=project)
    assert [line for line in result.out.splitlines() if line.startswith("leftover")] == [
        "leftover: site/beta.html (made from maps/beta.journey.yaml, which no longer exists)"
    ]


def test_a_map_made_a_library_leaves_its_files(project: Path) -> None:
    library = "journeymap: 1\nkind: library\npersonas: [{id: sam, name: Sam}]\n"
    (project / "maps" / "gamma.journey.yaml").write_text(library, "utf-8")
    check = render(project, "--check")
    assert (
        "leftover: site/gamma.mmd (made from maps/gamma.journey.yaml, which is a library now, "
        "not a map)"
    ) in check.out.splitlines()


def test_a_render_opens_no_file_it_makes_to_look_for_leftovers(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folder is listed once; a file this run makes is never opened to look for a mark."""
    from journeymap.render import leftovers

    opened: list[Path] = []
    real = leftovers._head

    def spy(path: Path, extension: str) -> object:
        opened.append(path)
        return real(path, extension)

    monkeypatch.setattr(leftovers, "_head", spy)
    (project / "site" / "notes.mmd").write_text("journey\n", "utf-8")
    assert render(project, "--check").code == 0
    assert opened == [Path("site/notes.mmd")]


@pytest.mark.parametrize("swap", ["file", "link"])
def test_prune_leaves_a_name_that_no_longer_holds_the_file_it_read(
    project: Path, swap: str
) -> None:
    """Between reading a leftover and removing it, its name came to hold another file or a
    link: that is left as it is, and said."""
    from journeymap.render.leftovers import Leftover, remove

    target = project / "site" / "alpha.mmd"
    status = target.stat()
    read = Leftover(target, ("maps/alpha.journey.yaml",), "why", (status.st_dev, status.st_ino))
    mine = project / "mine.mmd"
    mine.write_text("journey\n", "utf-8")
    if swap == "file":
        mine.replace(target)
    else:
        target.unlink()
        target.symlink_to(mine)
    assert remove([read]) == ([], [f"{target} changed while it was read; left as it is"])
    assert target.read_text("utf-8") == "journey\n" and mine.exists() == (swap == "link")


def test_a_hostile_file_name_stays_on_its_line(project: Path) -> None:
    """The map's path in a leftover's line is shown as a terminal shows it: a name with a
    newline cannot start a line of its own (a workflow command, on GitHub)."""
    hostile = project / "maps" / "x\n::error file=a::Fake.journey.yaml"
    hostile.write_text(small_map("Hostile", "hostile"), "utf-8")
    assert render(project).code == 0
    hostile.unlink()
    check = render(project, "--check")
    assert check.code == 1
    assert (
        "leftover: site/hostile.mmd (made from maps/x?::error file=a::Fake.journey.yaml, which "
        "no longer exists)" in check.out.splitlines()
    )
    for line in check.out.splitlines() + check.err.splitlines():
        assert line.startswith(("missing: ", "stale: ", "leftover: ", "1 of 7 ")), line
    pruned = render(project, "--prune")
    assert all(line.startswith(("removed ", "rendered ")) for line in pruned.err.splitlines())
    assert not (project / "site" / "hostile.mmd").exists()


def test_a_map_whose_name_a_terminal_cannot_show_is_looked_for_as_shown(tmp_path: Path) -> None:
    from journeymap.render.leftovers import _gone

    (tmp_path / "maps").mkdir()
    (tmp_path / "maps" / "a\x01.journey.yaml").write_text("", "utf-8")
    assert not _gone("maps/a?.journey.yaml", tmp_path)  # there, shown with a `?`
    assert _gone("maps/b?.journey.yaml", tmp_path)
    assert _gone("gone/a?.journey.yaml", tmp_path)
    assert not _gone("m\ufffd/a.journey.yaml", tmp_path)  # a folder that may be there


def test_a_portfolio_of_many_maps_is_read_to_its_last_map(tmp_path: Path) -> None:
    """Its record of every map runs past the first 4 KB read of a file."""
    (tmp_path / ".git").mkdir()
    maps = tmp_path / "maps"
    maps.mkdir()
    for number in range(60):
        name = f"a-map-with-a-rather-long-name-to-make-the-record-long-{number:02}.journey.yaml"
        (maps / name).write_text(small_map(f"Map {number}", f"m{number}"), "utf-8")
    assert run("render", "maps", "-o", "site", "-f", "mermaid", cwd=tmp_path).code == 0
    assert (tmp_path / "site" / "index.html").read_bytes().index(b"<title>") > 4096
    for path in sorted(maps.iterdir())[1:]:
        path.unlink()
    check = run("render", "maps", "-o", "site", "-f", "mermaid", "--check", cwd=tmp_path)
    leftovers = [line for line in check.out.splitlines() if line.startswith("leftover")]
    assert len(leftovers) == 60  # 59 maps' files, and the portfolio
    assert leftovers[0] == (
        "leftover: site/index.html (the portfolio of maps/a-map-with-a-rather-long-name-to-make-"
        "the-record-long-00.journey.yaml, maps/a-map-with-a-rather-long-name-to-make-the-record-"
        "long-01.journey.yaml, maps/a-map-with-a-rather-long-name-to-make-the-record-long-02."
        "journey.yaml and 57 more; this run renders 1 map, and makes no portfolio)"
    )


def test_check_and_prune_together_are_a_usage_error(project: Path) -> None:
    """--check writes nothing, so with --prune it silently removed nothing."""
    result = run("render", "maps", "-o", "site", "--check", "--prune", *TODAY, cwd=project)
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "journeymap: error: --check and --prune together: --check writes and removes nothing; "
        "run --prune to remove the left-over files, --check to report them\n"
    )
