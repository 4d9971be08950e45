"""`diff --rev` and `diff OLD NEW` on folders check only what changed, with the same output.

The reference is the way every map used to be read and checked (kept here as
`full_diff_revision` and `full_diff_folders`): each test builds a repository or two folders
with maps unchanged, changed, added, removed and renamed, libraries changed and not, and
asserts that the output of every format is the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest

from journeymap.config import ConfigFinder
from journeymap.diff import FORMATTERS, diff_paths, diff_revision
from journeymap.diff.changes import MapDiff
from journeymap.diff.sources import by_id, pair, relative_to
from journeymap.findings import Finding
from journeymap.inputs import YAML_SUFFIXES, discover, looks_like_map, named_as_map
from journeymap.inspection import Inspection, Inspector, library_from_text
from journeymap.lint import lint_checked
from journeymap.loader import Document, decode
from journeymap.model import Library

from .conftest import Run
from .test_diff import BASE, NEW

TODAY = dt.date(2026, 11, 1)


def lint(checked: Inspection) -> list[Finding]:
    return lint_checked(checked, today=TODAY)


def full_diff_revision(rev: str, paths: list[Path], finder: ConfigFinder) -> list[MapDiff]:
    """Every map at REV (one `git show` each) and in the tree, checked: the old way."""

    def git(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(["git", *args], capture_output=True, check=False)

    root = Path(git("rev-parse", "--show-toplevel").stdout.decode().strip()).resolve()

    def relative(path: Path) -> str:
        return path.resolve().relative_to(root).as_posix()

    def read(rel: str) -> str | None:
        shown = git("show", f"{rev}:{rel}")
        return decode(shown.stdout, f"{rev}:{rel}") if shown.returncode == 0 else None

    checker = Inspector(finder)
    present = [str(p) for p in paths if p.exists()]
    new_files = discover(present, finder).files if present else []
    explicit_files = {relative(p) for p in paths if not p.is_dir()}
    new = by_id((checker.inspect(f) for f in new_files), relative_to(root))

    def load_library(
        target: Path, shown_as: str
    ) -> tuple[Document | None, Library | None, list[Finding]]:
        rel = relative(target)
        text = read(rel)
        if text is None:
            return checker.inspect_library(target)
        return library_from_text(text, f"{rev}:{rel}", target, finder.for_file(target))

    specs = [relative(p) or "." for p in paths]
    listing = git("ls-tree", "-r", "-z", "--name-only", "--full-tree", rev, "--", *specs).stdout
    names = [n for n in listing.decode("utf-8", "replace").split("\0") if n]
    old_checked = []
    for rel in sorted(n for n in names if n.endswith(YAML_SUFFIXES)):
        path = root / rel
        if finder.for_path(path).is_excluded(path):
            continue
        text = read(rel)
        if text is None:
            continue
        if (
            rel not in explicit_files
            and not named_as_map(path)
            and not looks_like_map(text.encode("utf-8"))
        ):
            continue
        old_checked.append(checker.inspect_text(path, text, f"{rev}:{rel}", load_library))
    return pair(by_id(old_checked, relative_to(root)), new, lint)


def full_diff_folders(old_path: Path, new_path: Path, finder: ConfigFinder) -> list[MapDiff]:
    checker = Inspector(finder)
    sides = []
    for path in (old_path, new_path):
        files = discover([str(path)], finder).files
        sides.append(by_id((checker.inspect(f) for f in files), relative_to(path)))
    return pair(sides[0], sides[1], lint)


def outputs(diffs: list[MapDiff]) -> dict[str, str]:
    return {name: render(diffs, False) for name, render in FORMATTERS.items()}


def write(root: Path, name: str, text: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


def with_id(text: str, ident: str, title: str | None = None) -> str:
    text = text.replace("journeymap: 1\n", f"journeymap: 1\nid: {ident}\n", 1)
    return text.replace("Buying a new TV", title or f"Map {ident}")


LIBRARY = """\
journeymap: 1
kind: library
personas:
  - id: shared
    name: Shared persona
channels:
  - id: chat
    name: Chat
"""


CHAT = "channels:\n  - id: chat\n    name: Chat\n"
# The first step is on the library's channel.
ON_CHAT = BASE.replace(
    "channel: web\n        emotion: 1\n", "channel: chat\n        emotion: 1\n", 1
)


def uses(text: str, library: str) -> str:
    return text.replace("title:", f"uses: [{library}]\ntitle:", 1)


def first_version(root: Path) -> None:
    write(root, "maps/same.journey.yaml", with_id(BASE, "same"))
    write(root, "maps/edited.journey.yaml", with_id(BASE, "edited"))
    write(root, "maps/gone.journey.yaml", with_id(BASE, "gone"))
    write(root, "maps/moved-by-id.journey.yaml", with_id(BASE, "keeps-id"))
    write(root, "maps/moved-by-name.journey.yaml", BASE)  # id from the file name
    write(root, "maps/plain-map.yaml", with_id(BASE, "plain"))
    write(root, "maps/notes.yaml", "not: a map\n")
    write(root, "maps/twin-a.journey.yaml", with_id(BASE, "twin", "First twin"))
    on_chat = BASE.replace(
        "channel: web\n        emotion: 1\n", "channel: chat\n        emotion: 1\n", 1
    )
    write(root, "maps/user.journey.yaml", uses(with_id(on_chat, "user"), "../libs/people.yaml"))
    write(root, "maps/other-user.journey.yaml", uses(with_id(BASE, "ou"), "../libs/stable.yaml"))
    write(root, "libs/people.yaml", LIBRARY)
    write(root, "libs/stable.yaml", LIBRARY)
    write(root, ".hidden/kept.journey.yaml", with_id(BASE, "hidden"))


def second_version(root: Path) -> None:
    write(root, "maps/edited.journey.yaml", with_id(NEW, "edited"))
    (root / "maps/gone.journey.yaml").unlink()
    (root / "maps/sub").mkdir()
    (root / "maps/moved-by-id.journey.yaml").rename(root / "maps/sub/moved.journey.yaml")
    (root / "maps/moved-by-name.journey.yaml").rename(root / "maps/renamed.journey.yaml")
    write(root, "maps/added.journey.yaml", with_id(NEW, "added"))
    write(root, "maps/plain-map.yaml", with_id(NEW, "plain"))
    write(root, "maps/notes.yaml", "still: not a map\n")
    write(root, "maps/twin-b.journey.yaml", with_id(BASE, "twin", "Second twin"))
    write(root, "libs/people.yaml", LIBRARY.replace("Shared persona", "Renamed persona"))


def same_as_before(root: Path, monkeypatch: pytest.MonkeyPatch, *paths: str) -> dict[str, str]:
    monkeypatch.chdir(root)
    finder = ConfigFinder()
    args = [Path(p) for p in paths or (".",)]
    expected = outputs(full_diff_revision("HEAD", args, finder))
    assert outputs(diff_revision("HEAD", args, finder, lint)) == expected
    return expected


@pytest.fixture
def repo(git: Run, tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir(exist_ok=True)
    assert git("init", "-q").returncode == 0
    first_version(tmp_path)
    assert git("add", ".").returncode == 0
    assert git("commit", "-qm", "first").returncode == 0
    second_version(tmp_path)
    return tmp_path


def test_rev_output_is_the_same_as_checking_every_map(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = same_as_before(repo, monkeypatch)
    text = expected["text"]
    headers = [line for line in text.splitlines() if line and not line.startswith(" ")]
    assert headers == [
        "added: Map added (new map)",
        "edited: Map edited",
        "plain: Map plain",
        "renamed: Buying a new TV (new map)",
        "twin: Second twin (new map)",  # a second map with an id, keyed by its file too
        "hidden: Map hidden (map removed)",  # hidden folders are not searched in the tree
        "gone: Map gone (map removed)",
        "moved-by-name: Buying a new TV (map removed)",  # its id came from its file name
    ]
    assert json.loads(expected["json"])["summary"]["maps"] == 8


def test_a_library_that_changed_is_checked_through_its_users(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The map that uses a library is unchanged, but is checked again: here it breaks."""
    write(
        repo,
        "libs/people.yaml",
        LIBRARY.replace(CHAT, "channels: []\n"),
    )
    monkeypatch.chdir(repo)
    finder = ConfigFinder()
    expected = outputs(full_diff_revision("HEAD", [Path()], finder))
    assert outputs(diff_revision("HEAD", [Path()], finder, lint)) == expected
    assert "user: not compared: maps/user.journey.yaml is not a valid map" in expected["text"]


def test_rev_with_paths_and_staged_changes(
    repo: Path, git: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert git("add", "-A").returncode == 0
    write(repo, "maps/edited.journey.yaml", with_id(BASE, "edited"))  # staged, then undone
    same_as_before(repo, monkeypatch, "maps")
    same_as_before(repo, monkeypatch, "maps/sub", "maps/edited.journey.yaml", "libs")


def test_a_removed_map_that_shared_an_id_pairs_as_before(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Maps pair by id: a map gone whose id an unchanged map has pairs with that map."""
    (repo / "maps/twin-b.journey.yaml").unlink()
    write(repo, "maps/zz-twin.journey.yaml", with_id(BASE, "same", "Same id, new file"))
    text = same_as_before(repo, monkeypatch)["text"]
    assert "same: Same id, new file (new map)" in text


def test_unchanged_maps_are_not_checked(
    jm: Run, git: Run, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A map that is invalid at the revision and in the tree, unchanged, is not even read."""
    write(repo, "maps/broken.journey.yaml", "journeymap: 1\ntitle: [unclosed\n")
    assert git("add", "maps/broken.journey.yaml").returncode == 0
    assert git("commit", "-qm", "broken").returncode == 0
    result = jm("diff", "--rev", "HEAD", "--exit-code")
    assert result.returncode == 1, result.stderr
    assert "edited: Map edited\n" in result.stdout
    assert "broken" not in result.stdout + result.stderr

    monkeypatch.chdir(repo)
    checked: list[Path] = []
    check = Inspector.inspect_text

    def counting(self: Inspector, path: Path, *args: object, **kwargs: object) -> Inspection:
        checked.append(path)
        return check(self, path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Inspector, "inspect_text", counting)
    diff_revision("HEAD", [Path()], ConfigFinder(), lint)
    names = sorted({(repo / p).relative_to(repo).as_posix() for p in checked})
    assert names == [  # what changed, the user of a library that changed, the other twin
        ".hidden/kept.journey.yaml",
        "libs/people.yaml",
        "maps/added.journey.yaml",
        "maps/edited.journey.yaml",
        "maps/gone.journey.yaml",
        "maps/moved-by-id.journey.yaml",
        "maps/moved-by-name.journey.yaml",
        "maps/plain-map.yaml",
        "maps/renamed.journey.yaml",
        "maps/sub/moved.journey.yaml",
        "maps/twin-a.journey.yaml",
        "maps/twin-b.journey.yaml",
        "maps/user.journey.yaml",
    ]


HOSTILE = [
    "-dash.journey.yaml",
    "a space.journey.yaml",
    "new\nline.journey.yaml",
    "--.journey.yaml",
]


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_file_names_with_git(
    name: str, jm: Run, git: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, f"maps/{name}", with_id(BASE, "hostile"))
    write(tmp_path, "maps/-lib.yaml", LIBRARY)
    write(tmp_path, f"maps/user {name}", uses(with_id(ON_CHAT, "user"), "-lib.yaml"))
    assert git("add", "--", ".").returncode == 0
    assert git("commit", "-qm", "first").returncode == 0
    write(tmp_path, f"maps/{name}", with_id(NEW, "hostile"))
    text = same_as_before(tmp_path, monkeypatch)["text"]
    assert text.startswith("hostile: Map hostile\n  ~ KPI on stage consideration")
    result = jm("diff", "--rev", "HEAD", "--no-lint", "--", f"maps/{name}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("hostile: Map hostile\n")
    # The library loses the channel its (unchanged) user is on: the user is checked again.
    write(tmp_path, "maps/-lib.yaml", LIBRARY.replace(CHAT, "channels: []\n"))
    broken = jm("diff", "--rev", "HEAD")
    assert broken.returncode == 1
    assert "is not a valid map" in broken.stdout and "maps/user " in broken.stdout
    shown = name.replace("\n", "?")  # a new line in a name is never printed as one
    assert f"maps/user {shown}:26:18: error reference unknown channel 'chat'" in broken.stderr
    assert broken.stdout.count("hostile: Map hostile\n") == 1  # the other map is compared


def folders(root: Path, library: str) -> tuple[Path, Path]:
    """Two folders as the repository's two versions; `library` is the new side's copy of a
    library that a map, the same bytes in both folders, uses."""
    (root / ".git").mkdir(exist_ok=True)
    first_version(root / "old")
    first_version(root / "new")
    second_version(root / "new")
    for side in ("old", "new"):
        write(root, f"{side}/shared/lib.yaml", LIBRARY)
        write(
            root,
            f"{side}/maps/out.journey.yaml",
            uses(with_id(ON_CHAT, "out"), "../shared/lib.yaml"),
        )
    write(root, "new/shared/lib.yaml", library)
    return root / "old", root / "new"


def test_folders_output_is_the_same_as_checking_every_map(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folders(tmp_path, LIBRARY.replace("Shared persona", "Renamed"))
    monkeypatch.chdir(tmp_path)
    finder = ConfigFinder()
    expected = outputs(full_diff_folders(Path("old"), Path("new"), finder))
    assert outputs(diff_paths(Path("old"), Path("new"), finder, lint)) == expected
    assert "edited: Map edited\n" in expected["text"]


def test_folders_check_the_users_of_a_library_that_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folders(tmp_path, LIBRARY.replace(CHAT, "channels: []\n"))
    monkeypatch.chdir(tmp_path)
    diffs = diff_paths(Path("old"), Path("new"), ConfigFinder(), lint)
    assert outputs(diffs) == outputs(full_diff_folders(Path("old"), Path("new"), ConfigFinder()))
    assert FORMATTERS["text"](diffs, False).startswith(
        "out: not compared: new/maps/out.journey.yaml is not a valid map (1 error)\n"
    )


def test_folders_leave_unchanged_maps_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new = folders(tmp_path, LIBRARY)
    for side in (old, new):
        write(side, "maps/broken.journey.yaml", "journeymap: 1\ntitle: [unclosed\n")
    monkeypatch.chdir(tmp_path)
    diffs = diff_paths(Path("old"), Path("new"), ConfigFinder(), lint)
    assert "broken" not in FORMATTERS["text"](diffs, False)
