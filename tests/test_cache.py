"""The result cache: a second run reuses results, and nothing stale is ever reported."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import run, run_process

MAP = """\
journeymap: 1
title: Cached
uses: [lib.yaml]
stages:
  - id: awareness
    name: Awareness
    steps:
      - id: sees-ad
        name: Sees an ad
        persona: sam
        emotion: 1
"""
LIB = "journeymap: 1\nkind: library\npersonas:\n  - {id: sam, name: Sam, goals: [x], needs: [y]}\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "m.journey.yaml").write_text(MAP, "utf-8")
    (tmp_path / "lib.yaml").write_text(LIB, "utf-8")
    return tmp_path


def lint(project: Path, *extra: str) -> dict[str, object]:
    env = {"JOURNEYMAP_CACHE_DIR": str(project / "cache")}
    result = run("lint", "-f", "json", "--today", "2026-11-23", *extra, ".", cwd=project, env=env)
    assert result.code in (0, 1), result.err
    body: dict[str, object] = json.loads(result.out)
    return body


def cache_files(project: Path) -> list[Path]:
    return sorted((project / "cache").rglob("*.jsonl"))


def entries(project: Path) -> list[str]:
    """The cache's entries: a line per file per command."""
    return [line for path in cache_files(project) for line in path.read_text("utf-8").splitlines()]


def test_second_run_uses_the_cache_and_says_the_same(project: Path) -> None:
    first = lint(project)
    assert [p.name for p in cache_files(project)] == ["lint.jsonl"]
    slots = [Path(line.split("\t")[1]) for line in entries(project)]  # one per file, absolute
    assert [p.name for p in slots] == ["lib.yaml", "m.journey.yaml"]
    assert all(p.is_absolute() and p.exists() for p in slots)
    ignore = (project / "cache" / ".gitignore").read_text("utf-8")
    assert ignore == "# Created by journeymap; safe to delete.\n*\n"
    stamp = cache_files(project)[0].stat().st_mtime_ns
    assert lint(project) == first
    assert cache_files(project)[0].stat().st_mtime_ns == stamp  # read, not rewritten


def test_a_file_keeps_one_entry_its_newest(project: Path) -> None:
    lint(project)
    before = entries(project)
    (project / "m.journey.yaml").write_text(MAP.replace("Cached", "Edited"), "utf-8")
    lint(project)
    after = entries(project)
    assert len(after) == 2
    assert after[0] == before[0]  # the library's, unchanged
    assert after[1] != before[1]
    lint(project, "m.journey.yaml")  # a run over one file keeps the others' entries
    assert len(entries(project)) == 2


def test_editing_a_library_invalidates_the_maps_that_use_it(project: Path) -> None:
    assert lint(project)["summary"]["errors"] == 0  # type: ignore[index]
    (project / "lib.yaml").write_text(LIB.replace("id: sam", "id: sue"), "utf-8")
    findings = lint(project)["findings"]
    assert any(f["rule"] == "reference" for f in findings)  # type: ignore[union-attr, index]


def test_editing_the_map_or_the_config_or_the_options_invalidates(project: Path) -> None:
    base = lint(project)
    (project / "journeymap.toml").write_text('[rules]\nmissing-kpi = "error"\n', "utf-8")
    with_config = lint(project)
    assert with_config != base
    assert lint(project, "--ignore", "missing-kpi") != with_config
    text = MAP.replace("emotion: 1", "emotion: 7")
    (project / "m.journey.yaml").write_text(text, "utf-8")
    assert lint(project)["summary"]["errors"] == 1  # type: ignore[index]


def test_a_damaged_entry_or_file_is_a_miss(project: Path) -> None:
    first = lint(project)
    (path,) = cache_files(project)
    damaged = [line[: line.rindex("\t") + 1] + "{not json" for line in entries(project)]
    path.write_text("\n".join(damaged) + "\n", "utf-8")
    assert lint(project) == first
    assert "{not json" not in path.read_text("utf-8")  # replaced by good entries
    path.write_bytes(b"\xff\xfe binary \x00")
    assert lint(project) == first


def test_no_cache_reads_and_writes_nothing(project: Path) -> None:
    lint(project, "--no-cache")
    assert entries(project) == []


def test_validate_uses_the_cache_too(project: Path) -> None:
    env = {"JOURNEYMAP_CACHE_DIR": str(project / "cache")}
    first = run("validate", ".", cwd=project, env=env)
    assert first.code == 0
    assert [p.name for p in cache_files(project)] == ["validate.jsonl"]
    assert len(entries(project)) == 2
    assert run("validate", ".", cwd=project, env=env).out == first.out


def _fingerprint_of(copy: Path) -> str:
    code = "from journeymap.cache import code_fingerprint; print(code_fingerprint())"
    env = {**os.environ, "PYTHONPATH": str(copy), "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_the_code_fingerprint_is_the_same_for_two_installs_of_the_same_code(
    tmp_path: Path,
) -> None:
    """A CI cache restored onto a fresh install of the same source must still hit."""
    import journeymap

    source = Path(journeymap.__file__).parent
    ignore = shutil.ignore_patterns("__pycache__")
    first = tmp_path / "one"
    second = tmp_path / "two"
    shutil.copytree(source, first / "journeymap", ignore=ignore)
    shutil.copytree(source, second / "journeymap", ignore=ignore)
    for path in (second / "journeymap").rglob("*.py"):  # installed at another time
        os.utime(path, (1_000_000, 1_000_000))
    assert _fingerprint_of(first) == _fingerprint_of(second)

    edited = second / "journeymap" / "lint" / "core.py"
    edited.write_text(edited.read_text() + "\n# an edit\n")
    assert _fingerprint_of(first) != _fingerprint_of(second)

    # The page's stylesheet is part of what `render` makes (a wheel installs it in the package).
    (first / "journeymap" / "templates").mkdir()
    (first / "journeymap" / "templates" / "page.css").write_text("a { color: red; }\n")
    before = _fingerprint_of(first)
    (first / "journeymap" / "templates" / "page.css").write_text("a { color: blue; }\n")
    assert _fingerprint_of(first) != before


def test_two_maps_with_the_same_bytes_keep_their_own_names(project: Path) -> None:
    """Copies of one map (a template filled in twice, say) are reported each under its name,
    on the run that fills the cache and on the runs that read it."""
    text = MAP.replace("emotion: 1", "emotion: 7")  # an error, so each file has a finding
    (project / "a.journey.yaml").write_text(text, "utf-8")
    (project / "b.journey.yaml").write_text(text, "utf-8")
    (project / "m.journey.yaml").unlink()
    for _ in range(3):
        findings = lint(project)["findings"]
        files = sorted(f["file"] for f in findings if f["rule"] == "schema")  # type: ignore[index]
        assert files == ["a.journey.yaml", "b.journey.yaml"]
    assert len(entries(project)) == 3  # a, b and the library: one slot each


def test_validate_sees_a_library_edited_since_the_last_run(project: Path) -> None:
    env = {"JOURNEYMAP_CACHE_DIR": str(project / "cache")}
    assert run("validate", ".", cwd=project, env=env).code == 0
    assert run("validate", ".", cwd=project, env=env).code == 0  # from the cache
    (project / "lib.yaml").write_text(LIB.replace("id: sam", "id: sue"), "utf-8")
    edited = run("validate", ".", cwd=project, env=env)
    assert edited.code == 1, edited.out
    assert "m.journey.yaml:10:18: error reference unknown persona 'sam'" in edited.out
    (project / "lib.yaml").write_text(LIB, "utf-8")  # and back: the error goes away
    assert run("validate", ".", cwd=project, env=env).code == 0


@pytest.mark.slow  # and copies the package: not for mutation runs, whose copy is instrumented
def test_editing_journeymaps_own_code_invalidates_the_cache(project: Path, tmp_path: Path) -> None:
    """A developer edits a rule: the next run shows the new message, not the cached old one."""
    import shutil
    import subprocess
    import sys

    import journeymap

    copy = tmp_path / "code"
    shutil.copytree(
        Path(journeymap.__file__).parent,
        copy / "journeymap",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join([str(copy), os.environ.get("PYTHONPATH", "")]),
        JOURNEYMAP_CACHE_DIR=str(project / "cache"),
        PYTHONDONTWRITEBYTECODE="1",
    )

    def lint_with_the_copy() -> str:
        done = subprocess.run(
            [sys.executable, "-m", "journeymap", "lint", "--today", "2026-11-23", "."],
            cwd=project, env=env, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert done.returncode in (0, 1), done.stderr
        assert str(copy) in subprocess.run(
            [sys.executable, "-c", "import journeymap; print(journeymap.__file__)"],
            env=env, capture_output=True, text=True, timeout=60, check=True,
        ).stdout  # fmt: skip
        return done.stdout

    first = lint_with_the_copy()
    assert "has no KPI" in first
    stamp = cache_files(project)[0].stat().st_mtime_ns
    assert lint_with_the_copy() == first
    assert cache_files(project)[0].stat().st_mtime_ns == stamp  # every result from the cache
    rule = copy / "journeymap" / "lint" / "rules" / "missing_kpi.py"
    source = rule.read_text("utf-8")
    assert "has no KPI" in source
    rule.write_text(source.replace("has no KPI", "measures nothing"), "utf-8")
    edited = lint_with_the_copy()
    assert "measures nothing" in edited
    assert "has no KPI" not in edited


def test_results_really_come_from_the_cache_and_stay_there(tmp_path: Path) -> None:
    """Proof of a hit: a result edited in the cache file is what the next runs report (the map
    is unchanged, so its stored result is used as is). In a folder with a space and an accent,
    with a library, next to a damaged line."""
    project = tmp_path / "Café maps"
    project.mkdir()
    (project / ".git").mkdir()
    (project / "m.journey.yaml").write_text(MAP, "utf-8")
    (project / "lib.yaml").write_text(LIB, "utf-8")
    alone = MAP.replace("uses: [lib.yaml]\n", "").replace("        persona: sam\n", "")
    (project / "n.journey.yaml").write_text(alone, "utf-8")
    first = lint(project)
    messages = {f["message"] for f in first["findings"]}  # type: ignore[union-attr, index]
    assert "stage 'awareness' has no KPI: add `kpis` to the stage or one of its steps" in messages
    (path,) = cache_files(project)
    poisoned = path.read_text("utf-8").replace("has no KPI", "has no KPI (from the cache)")
    path.write_text("a damaged line without fields\n" + poisoned, "utf-8")
    for _ in range(2):  # and the entries used are kept for the run after
        again = lint(project)
        texts = [f["message"] for f in again["findings"]]  # type: ignore[union-attr, index]
        assert sum("(from the cache)" in t for t in texts) == 2, texts  # both maps
        assert len([e for e in entries(project) if "\t" in e]) == 3  # one line per file
    # Editing the library changes the map that uses it: that result is computed again.
    (project / "lib.yaml").write_text(LIB.replace("goals: [x]", "goals: [x, z]"), "utf-8")
    texts = [f["message"] for f in lint(project)["findings"]]  # type: ignore[union-attr, index]
    assert sum("(from the cache)" in t for t in texts) == 1, texts  # n only
    assert len(entries(project)) == 3  # written again: the damaged line is gone


def test_a_map_with_a_bad_uses_entry_is_a_finding_not_a_crash(project: Path) -> None:
    (project / "m.journey.yaml").write_text(MAP.replace("uses: [lib.yaml]", "uses: [1, '']"))
    env = {"JOURNEYMAP_CACHE_DIR": str(project / "cache")}
    result = run("validate", "m.journey.yaml", cwd=project, env=env)
    assert result.code == 1, result.err
    assert "internal error" not in result.err


@pytest.mark.parametrize(
    "name",
    [b"tab\there.journey.yaml", b"new\nline.journey.yaml", b"caf\xe9-latin1.journey.yaml"],
    ids=["tab", "newline", "not-utf-8"],
)
def test_odd_file_names_are_cached_like_any_other(project: Path, name: bytes) -> None:
    """A tab or newline in a file name cannot break the cache file's lines, and a name that
    is not UTF-8 (an old Latin-1 file) is hashed and stored, not a crash."""
    text = MAP.replace("uses: [lib.yaml]\n", "id: odd\n").replace("        persona: sam\n", "")
    (project / "m.journey.yaml").unlink()
    (project / os.fsdecode(name)).write_text(text, "utf-8")
    first = lint(project)
    assert first["summary"]["files"] == 2  # type: ignore[index]
    (path,) = cache_files(project)
    lines = path.read_bytes().split(b"\n")
    assert len([line for line in lines if line]) == 2
    assert all(line.count(b"\t") == 2 for line in lines if line)
    path.write_bytes(path.read_bytes().replace(b"has no KPI", b"has no KPI (cached)"))
    texts = [f["message"] for f in lint(project)["findings"]]  # type: ignore[union-attr, index]
    assert any("(cached)" in t for t in texts), texts


def test_the_cache_folder_follows_the_environment(
    project: Path, isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """$JOURNEYMAP_CACHE_DIR, else $XDG_CACHE_HOME/journeymap, else ~/.cache/journeymap
    (HOME is this test's own folder)."""
    monkeypatch.delenv("JOURNEYMAP_CACHE_DIR")
    monkeypatch.delenv("XDG_CACHE_HOME")
    args = ("lint", "--today", "2026-11-23", ".")
    run(*args, cwd=project)
    assert list((isolated_home / ".cache" / "journeymap").rglob("lint.jsonl"))
    run(*args, cwd=project, env={"XDG_CACHE_HOME": str(project / "xdg")})
    assert list((project / "xdg" / "journeymap").rglob("lint.jsonl"))
    run(*args, cwd=project, env={"XDG_CACHE_HOME": "", "JOURNEYMAP_CACHE_DIR": ""})
    assert len(list((isolated_home / ".cache" / "journeymap").rglob("lint.jsonl"))) == 1
    run(*args, cwd=project, env={"JOURNEYMAP_CACHE_DIR": str(project / "mine")})
    assert list((project / "mine").rglob("lint.jsonl"))


def _counting_scans(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """Every line `load` reads to index the cache file (none when the saved index is used)."""
    import journeymap.cache_index as index_module

    scanned: list[bytes] = []
    real = index_module.short_key

    def counted(line: bytes) -> int | None:
        scanned.append(line)
        return real(line)

    monkeypatch.setattr(index_module, "short_key", counted)
    return scanned


def test_a_run_finds_its_entries_through_the_saved_index(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run of one map in a large repository must not read every line of the cache file."""
    first = lint(project)
    (path,) = cache_files(project)
    index = path.with_suffix(".idx")
    assert index.is_file()
    # Poison the entries in place (same length, same file, same time): only a hit shows it.
    state = path.stat()
    text = path.read_bytes()
    assert text.count(b"has no KPI") == 1
    with path.open("r+b") as handle:
        handle.write(text.replace(b"has no KPI", b"HAS NO KPI"))
    os.utime(path, ns=(state.st_atime_ns, state.st_mtime_ns))
    scanned = _counting_scans(monkeypatch)
    hit = lint(project)
    assert scanned == []  # found through the index alone
    assert hit != first
    assert json.dumps(hit).replace("HAS NO KPI", "has no KPI") == json.dumps(first)
    # The cache file changed behind the index's back (another time): the index describes
    # another file, so it is not used; the lines are read, and the index saved again.
    os.utime(path, ns=(state.st_atime_ns, state.st_mtime_ns + 1_000_000_000))
    assert lint(project) == hit
    assert len(scanned) == 2  # the two entries' lines
    scanned.clear()
    assert lint(project) == hit
    assert scanned == []


@pytest.mark.parametrize(
    "damage", ["truncated", "header cut", "garbage", "empty", "wrong places", "past the end"]
)
def test_a_damaged_index_is_never_a_wrong_result(
    project: Path, damage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = lint(project)
    (path,) = cache_files(project)
    index = path.with_suffix(".idx")
    data = index.read_bytes()
    if damage == "truncated":
        index.write_bytes(data[:-5])
    elif damage == "header cut":  # the first line whole, the numbers after it cut short
        index.write_bytes(data[: data.index(b"\n") + 6])
    elif damage == "garbage":
        index.write_bytes(b"\x00" * len(data))
    elif damage == "empty":
        index.write_bytes(b"")
    else:  # intact header, every entry said to be 7 bytes further on, or 4 GiB long
        entries_at = len(data) - 8 * 2
        places = [
            int.from_bytes(data[at : at + 8], sys.byteorder) for at in (entries_at, entries_at + 8)
        ]
        moved = [p + (7 << 32) if damage == "wrong places" else p | 0xFFFFFFFF for p in places]
        index.write_bytes(data[:entries_at] + b"".join(p.to_bytes(8, sys.byteorder) for p in moved))
    assert lint(project) == first
    # and the next run has a good index again: it reads no line to find its entries
    from journeymap.cache_index import Index

    repaired = Index.read(index, path.stat())
    assert repaired is not None
    text = path.read_bytes()
    for line in text.splitlines():  # each key leads to its own line
        place = repaired.find(int(line[:16], 16))
        assert place is not None
        assert text[place >> 32 : (place >> 32) + (place & 0xFFFFFFFF)] == line
    scanned = _counting_scans(monkeypatch)
    assert lint(project) == first
    assert scanned == []


def test_a_pipe_where_the_cache_file_belongs_is_no_cache(project: Path) -> None:
    """Neither reading nor writing the cache may wait on a FIFO (nor write into it)."""
    folder = project / "cache"
    lint(project)
    (path,) = cache_files(project)
    path.unlink()
    os.mkfifo(path)
    env = {"JOURNEYMAP_CACHE_DIR": str(folder), "HOME": str(project)}
    argv = ("lint", "-f", "json", "--today", "2026-11-23", ".")
    done = run_process(*argv, cwd=project, env=env, timeout=60)
    assert done.code in (0, 1), done.err
    assert json.loads(done.out)["summary"]["files"] == 2
    assert path.is_fifo()


def test_a_library_of_exactly_max_bytes_is_checked_by_its_bytes(project: Path) -> None:
    """A library as long as `max-bytes` is read and hashed like any other: editing it (to the
    same length) invalidates the map that uses it."""
    size = max(len(MAP), len(LIB)) + 10
    (project / "lib.yaml").write_text(LIB + "#" * (size - len(LIB) - 1) + "\n", "utf-8")
    (project / "journeymap.toml").write_text(f"[limits]\nmax-bytes = {size}\n", "utf-8")
    assert lint(project)["summary"]["errors"] == 0  # type: ignore[index]
    lib = (project / "lib.yaml").read_text("utf-8")
    (project / "lib.yaml").write_text(lib.replace("id: sam", "id: sue"), "utf-8")
    assert (project / "lib.yaml").stat().st_size == size
    findings = lint(project)["findings"]
    assert [f["message"] for f in findings if f["rule"] == "reference"] == [  # type: ignore[index, union-attr]
        "unknown persona 'sam' (known personas: 'sue')"
    ]


def test_a_save_keeps_the_entries_of_files_it_did_not_inspect_again(project: Path) -> None:
    """When a run saves, the entries it only read stay: one of a file whose name is not
    UTF-8, and those after a damaged line that is not UTF-8 either."""
    alone = MAP.replace("uses: [lib.yaml]\n", "id: odd\n").replace("        persona: sam\n", "")
    (project / os.fsdecode(b"caf\xe9-latin1.journey.yaml")).write_text(alone, "utf-8")
    lint(project)
    (path,) = cache_files(project)
    poisoned = path.read_bytes().replace(b"has no KPI", b"has no KPI (cached)")
    path.write_bytes(b"\xff\xfe damaged\t\xff\t{}\n" + poisoned)
    (project / "lib.yaml").write_text(LIB.replace("goals: [x]", "goals: [x, z]"), "utf-8")
    lint(project)  # the library and the map that uses it again; the odd map's entry is read
    assert len(path.read_bytes().splitlines()) == 3  # one per file: the damaged line is gone
    texts = [f["message"] for f in lint(project)["findings"]]  # type: ignore[union-attr, index]
    assert sum("(cached)" in t for t in texts) == 1, texts  # the odd map's, kept


def test_a_suppressed_finding_stays_suppressed_from_the_cache(project: Path) -> None:
    text = MAP.replace(
        "  - id: awareness\n", "  - id: awareness  # journeymap: ignore[missing-kpi]\n"
    )
    (project / "m.journey.yaml").write_text(text, "utf-8")
    first = lint(project)
    assert first["summary"]["suppressed"] == 1  # type: ignore[index]
    assert lint(project) == first


def test_a_line_whose_key_is_not_hexadecimal_is_a_miss(project: Path) -> None:
    first = lint(project)
    (path,) = cache_files(project)
    path.write_text("this key is not hexadecimal\t/x\t{}\n" + path.read_text("utf-8"), "utf-8")
    assert lint(project) == first


def test_an_index_that_cannot_be_written_is_only_slower(project: Path) -> None:
    first = lint(project)
    (path,) = cache_files(project)
    index = path.with_suffix(".idx")
    index.unlink()
    index.mkdir()  # nothing can be renamed over it
    before = entries(project)
    (project / "m.journey.yaml").write_text(MAP.replace("emotion: 1", "emotion: -1"), "utf-8")
    edited = lint(project)  # a miss, whose entry is saved; the index is not
    assert edited != first
    assert entries(project) != before
    assert index.is_dir()
    assert lint(project) == edited


@pytest.mark.parametrize(
    ("line", "short"),
    [
        (b"0123456789abcdef0123\t/m.yaml\t{}", 0x0123456789ABCDEF),
        (b"0123456789abcdef0\t/m.yaml\t{}", 0x0123456789ABCDEF),  # a key of 17 digits
        (b"0123456789abcdef0123\t\t{}", 0x0123456789ABCDEF),  # an empty file name
        (b"0123456789abcdef\t/m.yaml\t{}", None),  # a key of 16 digits is not a key
        (b"0123456789abcde\tx\t{}", None),
        (b"0123456789abcdef0123\t/m.yaml", None),  # no result
        (b"0123456789abcdeg0123\t/m.yaml\t{}", None),  # not hexadecimal
    ],
)
def test_what_the_index_takes_for_an_entry(line: bytes, short: int | None) -> None:
    from journeymap.cache_index import short_key

    assert short_key(line) == short


def _poison_in_place(path: Path, old: bytes, new: bytes) -> None:
    """Edit the cache file's entries without the index noticing (same length, same time)."""
    assert len(old) == len(new)
    state = path.stat()
    text = path.read_bytes()
    with path.open("r+b") as handle:
        handle.write(text.replace(old, new))
    os.utime(path, ns=(state.st_atime_ns, state.st_mtime_ns))


def test_every_entry_is_found_through_the_index_a_save_wrote(project: Path) -> None:
    """The index written with the cache file places every line, not only the first two."""
    alone = MAP.replace("uses: [lib.yaml]\n", "").replace("        persona: sam\n", "")
    for name in ("n", "o"):
        (project / f"{name}.journey.yaml").write_text(alone.replace("Cached", name), "utf-8")
    lint(project)
    (path,) = cache_files(project)
    assert len(entries(project)) == 4  # the library and three maps
    _poison_in_place(path, b"has no KPI", b"HAS NO KPI")
    texts = [f["message"] for f in lint(project)["findings"]]  # type: ignore[union-attr, index]
    assert sum("HAS NO KPI" in t for t in texts) == 3, texts  # every map's, from the cache


def test_a_result_computed_again_after_a_library_edit_is_saved(project: Path) -> None:
    """A library edit that leaves the map's result as it was still replaces the stored entry
    (its library's state is new): the run after is a hit again, not a miss for ever."""
    env = {"JOURNEYMAP_CACHE_DIR": str(project / "cache")}

    def lint_the_map() -> list[str]:
        args = ("lint", "-f", "json", "--today", "2026-11-23", "m.journey.yaml")
        result = run(*args, cwd=project, env=env)
        assert result.code in (0, 1), result.err
        return [f["message"] for f in json.loads(result.out)["findings"]]

    first = lint_the_map()
    (project / "lib.yaml").write_text(LIB.replace("goals: [x]", "goals: [z]"), "utf-8")
    assert lint_the_map() == first  # a miss: computed again, the same findings
    (path,) = cache_files(project)
    _poison_in_place(path, b"has no KPI", b"HAS NO KPI")
    assert any("HAS NO KPI" in t for t in lint_the_map())  # a hit


def test_a_file_whose_entry_is_there_twice_costs_no_other_entry(project: Path) -> None:
    """A cache file holding one file's line twice (two cache files joined, say): the save
    that replaces it writes it once and keeps the lines after the second copy."""
    alone = MAP.replace("uses: [lib.yaml]\n", "").replace("        persona: sam\n", "")
    (project / "n.journey.yaml").write_text(alone.replace("Cached", "N"), "utf-8")
    lint(project)
    (path,) = cache_files(project)
    lines = path.read_bytes().splitlines(keepends=True)
    (mine,) = [line for line in lines if b"/m.journey.yaml\t" in line]
    others = [line.replace(b"has no KPI", b"HAS NO KPI") for line in lines if line != mine]
    path.write_bytes(mine + mine + b"".join(others))
    (project / "m.journey.yaml").write_text(MAP.replace("Cached", "Edited"), "utf-8")
    lint(project)  # m again; the library's and n's entries are read, not computed
    assert len(entries(project)) == 3  # one line per file
    texts = [f["message"] for f in lint(project)["findings"]]  # type: ignore[union-attr, index]
    assert sum("HAS NO KPI" in t for t in texts) == 1, texts  # n's, still from the cache
