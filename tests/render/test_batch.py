"""Rendering a folder: what is reported for maps that cannot be rendered, the portfolio page,
progress, and `--check` of outputs that cannot be read (render/batch.py, as a user sees it)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from helpers import run, run_on_terminal

TODAY = ["--today", "2026-11-23"]


def small_map(title: str, map_id: str | None = None, updated: str = "2026-11-01") -> str:
    given_id = f"id: {map_id}\n" if map_id else ""
    return (
        f"journeymap: 1\n{given_id}title: {title}\nupdated: {updated}\n"
        "stages:\n  - id: s\n    name: S\n    steps:\n      - {id: a, name: A, emotion: 1}\n"
    )


def folder(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "maps"
    root.mkdir()
    (tmp_path / ".git").mkdir(exist_ok=True)
    for name, text in files.items():
        (root / name).write_text(text, "utf-8")
    return root


def test_a_library_and_a_broken_map_before_the_others_stop_nothing(tmp_path: Path) -> None:
    root = folder(
        tmp_path,
        {
            "a-people.yaml": "journeymap: 1\nkind: library\npersonas: [{id: sam, name: Sam}]\n",
            "b-broken.journey.yaml": small_map("Broken").replace("emotion: 1", "emotion: 7"),
            "c-first.journey.yaml": small_map("First"),
            "d-second.journey.yaml": small_map("Second"),
        },
    )
    result = run("render", root, "-o", tmp_path / "out", "-f", "mermaid", *TODAY)
    assert result.code == 1
    problems = [line for line in result.err.splitlines() if line.startswith("journeymap:")]
    assert problems == [
        f"journeymap: error: {root / 'b-broken.journey.yaml'}: not rendered: 1 format error "
        "(first: line 8: emotion must be a whole number from -2 to +2; got the number 7); "
        "run `journeymap validate` for details"
    ]
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == ["c-first.mmd", "d-second.mmd", "index.html"]


def test_a_map_with_a_taken_id_names_the_map_that_has_it(tmp_path: Path) -> None:
    root = folder(
        tmp_path,
        {
            "a.journey.yaml": small_map("One", "tv"),
            "b.journey.yaml": small_map("Two", "tv"),
            "c.journey.yaml": small_map("Three", "radio"),
        },
    )
    result = run("render", root, "-o", tmp_path / "out", "-f", "mermaid", *TODAY)
    assert result.code == 1
    assert (
        f"journeymap: error: {root / 'b.journey.yaml'}:2:5: not rendered: the map id 'tv' is "
        f"also the id of {root / 'a.journey.yaml'}: give one map another `id:` (render and "
        "measure need each map's id to be unique)"
    ) in result.err.splitlines()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "index.html",
        "radio.mmd",
        "tv.mmd",
    ]


def test_a_map_named_index_keeps_its_page_and_the_portfolio_is_not_written(
    tmp_path: Path,
) -> None:
    root = folder(
        tmp_path,
        {"a.journey.yaml": small_map("Index", "index"), "b.journey.yaml": small_map("Other")},
    )
    out = tmp_path / "out"
    result = run("render", root, "-o", out, "-f", "html", *TODAY)
    assert result.code == 1
    assert (
        "journeymap: error: the portfolio page index.html was not written: a map has the id 'index'"
    ) in result.err.splitlines()
    assert sorted(p.name for p in out.iterdir()) == ["b.html", "index.html"]
    assert "<title>Index" in (out / "index.html").read_text("utf-8")  # the map's, not a list
    # Without HTML pages there is no clash: the portfolio is written.
    svg_only = run("render", root, "-o", tmp_path / "svg", "-f", "mermaid", *TODAY)
    assert svg_only.code == 0, svg_only.err
    assert sorted(p.name for p in (tmp_path / "svg").iterdir()) == [
        "b.mmd",
        "index.html",
        "index.mmd",
    ]


def test_progress_names_each_map_past_three(tmp_path: Path) -> None:
    names = [f"m{i}.journey.yaml" for i in range(4)]
    root = folder(tmp_path, {name: small_map(name, f"m{i}") for i, name in enumerate(names)})
    result = run("render", root, "-o", tmp_path / "out", "-f", "mermaid", "--progress", *TODAY)
    assert result.code == 0, result.err
    shown = [line for line in result.err.splitlines() if line.startswith("rendering ")]
    # Counted as they come (the maps render in workers, ahead of the count).
    assert shown == [f"rendering {root / name} ({i + 1})" for i, name in enumerate(names)]
    three = sorted(root.iterdir())[:3]
    few = run("render", *three, "-o", tmp_path / "o3", "-f", "mermaid", "--progress")
    assert not [line for line in few.err.splitlines() if line.startswith("rendering ")]


def test_no_progress_off_a_terminal_unless_asked(tmp_path: Path) -> None:
    """A new user's trial: a CI log got a `rendering ... (n)` line per map, where `measure`
    says nothing off a terminal. Now only the summary, as for three maps."""
    names = [f"m{i}.journey.yaml" for i in range(5)]
    root = folder(tmp_path, {name: small_map(name, f"m{i}") for i, name in enumerate(names)})
    out = tmp_path / "out"
    result = run("render", root, "-o", out, "-f", "mermaid", *TODAY)
    assert (result.code, result.err) == (
        0,
        f"rendered 5 maps into {out}: 6 files written, 0 unchanged\n",
    )


def test_a_terminal_sees_the_progress(tmp_path: Path) -> None:
    """On a terminal, without --progress, a bar names the map being rendered."""
    import os
    import sys

    names = [f"m{i}.journey.yaml" for i in range(5)]
    root = folder(tmp_path, {name: small_map(name, f"m{i}") for i, name in enumerate(names)})
    args = ["render", str(root), "-o", str(tmp_path / "out"), "-f", "mermaid", *TODAY]
    argv = [sys.executable, "-m", "journeymap", *args]
    text = run_on_terminal(argv, env={**os.environ, "COLUMNS": "200"})
    assert "rendering " in text and "m4.journey.yaml" in text
    assert f"rendered 5 maps into {tmp_path / 'out'}" in text


def test_the_page_lints_as_of_the_today_given(tmp_path: Path) -> None:
    """`--today` reaches the page's lint findings: a map reviewed in 2020 is stale later on."""
    root = folder(tmp_path, {"old.journey.yaml": small_map("Old", updated="2020-01-01")})
    run("render", root, "-o", tmp_path / "then", "-f", "html", "--today", "2020-02-01")
    run("render", root, "-o", tmp_path / "now", "-f", "html", "--today", "2026-11-23")
    assert "stale-map" not in (tmp_path / "then" / "old.html").read_text("utf-8")
    assert "stale-map" in (tmp_path / "now" / "old.html").read_text("utf-8")


def test_check_reports_an_output_that_cannot_be_read_as_missing(tmp_path: Path) -> None:
    root = folder(tmp_path, {"a.journey.yaml": small_map("A")})
    out = tmp_path / "out"
    assert run("render", root, "-o", out, "-f", "mermaid,dot", *TODAY).code == 0
    (out / "a.mmd").unlink()
    (out / "a.mmd").mkdir()  # not a file: reading it fails (not with FileNotFoundError)
    (out / "a.dot").unlink()
    result = run("render", root, "-o", out, "-f", "mermaid,dot", "--check", *TODAY)
    assert result.code == 1
    assert result.out.splitlines() == [f"missing: {out / 'a.mmd'}", f"missing: {out / 'a.dot'}"]


def test_graphviz_missing_is_reported_for_every_map(tmp_path: Path) -> None:
    root = folder(tmp_path, {"a.journey.yaml": small_map("A"), "b.journey.yaml": small_map("B")})
    empty = tmp_path / "no-tools"
    empty.mkdir()
    result = run("render", root, "-o", tmp_path / "out", "-f", "svg", env={"PATH": str(empty)})
    assert result.code == 1
    problems = [line for line in result.err.splitlines() if line.startswith("journeymap:")]
    assert problems == [
        f"journeymap: error: {root / name}: not rendered: Graphviz's `dot` was not found on "
        "PATH; install Graphviz (e.g. `apt install graphviz`, `brew install graphviz`)"
        for name in ("a.journey.yaml", "b.journey.yaml")
    ]


def test_a_deleted_output_is_written_again_and_the_cache_file_is_left_alone(
    tmp_path: Path,
) -> None:
    """The cached render of an unchanged map whose output was deleted is rendered again: the
    file is back with the same bytes, and the cache, whose entry is the same, is not rewritten."""
    import os

    root = folder(tmp_path, {"a.journey.yaml": small_map("A")})
    out = tmp_path / "out"
    assert run("render", root, "-o", out, "-f", "mermaid", *TODAY).code == 0
    first = (out / "a.mmd").read_bytes()
    (cache,) = Path(os.environ["JOURNEYMAP_CACHE_DIR"]).rglob("render.jsonl")
    stamp = cache.stat().st_ino, cache.stat().st_mtime_ns  # written atomically: a new inode
    (out / "a.mmd").unlink()
    assert run("render", root, "-o", out, "-f", "mermaid", *TODAY).code == 0
    assert (out / "a.mmd").read_bytes() == first
    assert (cache.stat().st_ino, cache.stat().st_mtime_ns) == stamp


def test_progress_of_a_cached_run_names_the_same_maps(tmp_path: Path) -> None:
    """A library is used by maps, not rendered: not named in the progress of the run that
    fills the cache, nor of the run that reads it."""
    names = [f"m{i}.journey.yaml" for i in range(4)]
    files = {name: small_map(name, f"m{i}") for i, name in enumerate(names)}
    files["people.yaml"] = "journeymap: 1\nkind: library\npersonas: [{id: sam, name: Sam}]\n"
    root = folder(tmp_path, files)
    expected = [f"rendering {root / name} ({i + 1})" for i, name in enumerate(names)]
    for _ in range(2):
        result = run("render", root, "-o", tmp_path / "out", "-f", "mermaid", "--progress", *TODAY)
        assert result.code == 0, result.err
        shown = [line for line in result.err.splitlines() if line.startswith("rendering ")]
        assert shown == expected


@pytest.mark.parametrize(
    ("digest", "code"),
    [("0" * 64, 1), ("Z" * 64, 0)],
    ids=["another-digest", "not-a-digest"],
)
def test_check_uses_the_cached_render_as_it_is(tmp_path: Path, digest: str, code: int) -> None:
    """`--check` of an unchanged map compares the disk with the cached digest, without
    rendering the map again (proof: a digest edited in the cache says the file is stale); a
    cached digest that is not one is a damaged entry, a miss: the map is checked afresh."""
    import os

    root = folder(tmp_path, {"a.journey.yaml": small_map("A")})
    out = tmp_path / "out"
    assert run("render", root, "-o", out, "-f", "mermaid", *TODAY).code == 0
    (cache,) = Path(os.environ["JOURNEYMAP_CACHE_DIR"]).rglob("render.jsonl")
    real = hashlib.sha256((out / "a.mmd").read_bytes()).hexdigest()
    text = cache.read_text("utf-8")
    assert text.count(real) == 1
    cache.write_text(text.replace(real, digest), "utf-8")
    check = run("render", root, "-o", out, "-f", "mermaid", "--check", *TODAY)
    assert (check.code, check.out) == (code, f"stale: {out / 'a.mmd'}\n" if code else "")


def test_a_bug_met_on_one_map_is_reported_and_the_others_are_rendered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An unexpected error while rendering one map: that map is named with an internal error
    (exit 2), the others are written; with --debug, the error is raised (its traceback)."""
    from journeymap.render import portfolio

    real = portfolio.map_summary

    def buggy(journey, context, formats):  # type: ignore[no-untyped-def]
        if journey.id == "b":
            raise RuntimeError("a bug")
        return real(journey, context, formats)

    monkeypatch.setattr(portfolio, "map_summary", buggy)
    root = folder(tmp_path, {"a.journey.yaml": small_map("A"), "b.journey.yaml": small_map("B")})
    out = tmp_path / "out"
    result = run("render", root, "-o", out, "-f", "mermaid", "--no-cache", *TODAY)
    assert result.code == 2
    problems = [line for line in result.err.splitlines() if line.startswith("journeymap:")]
    assert problems == [
        f"journeymap: error: {root / 'b.journey.yaml'}: not rendered: internal error while "
        "checking this file: RuntimeError: a bug. This is a bug in journeymap: run again with "
        "--debug for the traceback and report it"
    ]
    assert sorted(p.name for p in out.iterdir()) == ["a.mmd"]
    debug = run("--debug", "render", root, "-o", out, "-f", "mermaid", "--no-cache", *TODAY)
    assert debug.code == 2
    assert "Traceback (most recent call last):" in debug.err
    assert debug.err.rstrip().endswith("RuntimeError: a bug")


def test_the_portfolio_is_not_made_again_when_its_record_says_the_page_is_current(
    tmp_path: Path,
) -> None:
    """The portfolio page's record (its digest and size, in the layout cache) spares making
    the page again. Proof: a page edited on disk, with a record edited to match it, is kept."""
    import os

    root = folder(tmp_path, {"a.journey.yaml": small_map("A"), "b.journey.yaml": small_map("B")})
    out = tmp_path / "out"
    assert run("render", root, "-o", out, "-f", "mermaid", *TODAY).code == 0
    page = (out / "index.html").read_bytes()
    body = f"{hashlib.sha256(page).hexdigest()} {len(page)}".encode()
    layouts = Path(os.environ["JOURNEYMAP_CACHE_DIR"]).glob("v*/layout/*")
    (entry,) = [p for p in layouts if p.read_bytes().endswith(b"\n" + body)]
    edited = page.replace(b"<html", b"<HTML", 1)
    (out / "index.html").write_bytes(edited)
    data = entry.read_bytes()
    head = data[: data.rindex(b"\n" + body)].rsplit(b" ", 1)[0]  # magic, key (then its hash)
    body = f"{hashlib.sha256(edited).hexdigest()} {len(edited)}".encode()
    entry.write_bytes(head + b" " + hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
    assert run("render", root, "-o", out, "-f", "mermaid", *TODAY).code == 0
    assert (out / "index.html").read_bytes() == edited


def test_journeymap_no_cache_in_the_environment_leaves_no_cache(tmp_path: Path) -> None:
    """`JOURNEYMAP_NO_CACHE=1` is `--no-cache` (docs/security.md): nothing is read or kept."""
    import os

    root = folder(tmp_path, {"a.journey.yaml": small_map("A"), "b.journey.yaml": small_map("B")})
    env = {"JOURNEYMAP_NO_CACHE": "1"}
    result = run("render", root, "-o", tmp_path / "out", "-f", "mermaid", *TODAY, env=env)
    assert result.code == 0, result.err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.mmd", "b.mmd", "index.html"]
    assert not list(Path(os.environ["JOURNEYMAP_CACHE_DIR"]).rglob("*"))


def test_a_broken_map_s_problem_comes_from_the_cache_while_it_is_unchanged(
    tmp_path: Path,
) -> None:
    """A map that is not rendered (a format error) has its result cached too: proof, a
    problem edited in the cache is what the next run reports (it is not checked again)."""
    import os

    broken = small_map("Broken").replace("emotion: 1", "emotion: 7")
    root = folder(tmp_path, {"b.journey.yaml": broken, "c.journey.yaml": small_map("C")})
    out = tmp_path / "out"
    assert run("render", root, "-o", out, "-f", "mermaid", *TODAY).code == 1
    (cache,) = Path(os.environ["JOURNEYMAP_CACHE_DIR"]).rglob("render.jsonl")
    text = cache.read_text("utf-8")
    assert text.count("got the number 7") == 1
    cache.write_text(text.replace("got the number 7", "got the number 7 (cached)"), "utf-8")
    again = run("render", root, "-o", out, "-f", "mermaid", *TODAY)
    assert again.code == 1
    assert "got the number 7 (cached)" in again.err


def test_a_page_rendered_for_another_day_is_rendered_again(tmp_path: Path) -> None:
    """The HTML page says how old the map is: a cached render of yesterday's is not today's."""
    root = folder(tmp_path, {"a.journey.yaml": small_map("A", updated="2026-01-01")})
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    for day in ("2026-01-02", "2027-06-01"):
        assert run("render", root, "-o", out, "-f", "html", "--today", day).code == 0
    later = ("--today", "2027-06-01")
    assert run("render", root, "-o", fresh, "-f", "html", "--no-cache", *later).code == 0
    assert (out / "a.html").read_bytes() == (fresh / "a.html").read_bytes()
    earlier = tmp_path / "earlier"
    assert run("render", root, "-o", earlier, "-f", "html", "--today", "2026-01-02").code == 0
    assert (earlier / "a.html").read_bytes() != (fresh / "a.html").read_bytes()


def test_one_output_is_counted_as_one(tmp_path: Path) -> None:
    """The summaries said "1 output(s)" and "1 file(s)"; one map, one format, one output."""
    root = folder(tmp_path, {"a.journey.yaml": small_map("A")})
    out = tmp_path / "out"
    missing = run("render", root, "-o", out, "-f", "mermaid", "--check", *TODAY)
    assert (missing.code, missing.err) == (
        1,
        f"1 of 1 output missing or stale; run the same command without --check to update {out}\n",
    )
    written = run("render", root, "-o", out, "-f", "mermaid", *TODAY)
    assert (written.code, written.err) == (
        0,
        f"rendered 1 map into {out}: 1 file written, 0 unchanged\n",
    )
    current = run("render", root, "-o", out, "-f", "mermaid", "--check", *TODAY)
    assert (current.code, current.err) == (0, f"1 output in {out} is current\n")
