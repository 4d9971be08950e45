"""The render and layout caches (render/batch.py, render/layouts.py), as a user sees them:
an unchanged map runs no `dot`, a damaged or foreign cache entry changes no output, pooled
rendering gives the bytes of one process, `--no-cache` leaves no cache."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from helpers import run

from .kit import EXAMPLES

TODAY = ["--today", "2026-11-23"]
MAPS = ["tv-purchase", "trip-booking", "phone-repair"]


@pytest.fixture
def maps(tmp_path: Path) -> Path:
    folder = tmp_path / "maps"
    folder.mkdir()
    (tmp_path / ".git").mkdir()  # the project's root
    for name in MAPS:
        shutil.copy(EXAMPLES / f"{name}.journey.yaml", folder)
    shutil.copytree(EXAMPLES / "shared", folder / "shared")  # their library
    return folder


@pytest.fixture
def dot_log(tmp_path: Path) -> Path:
    """A `dot` first on PATH that notes each call's arguments, then runs Graphviz's."""
    real = shutil.which("dot")
    assert real is not None
    log = tmp_path / "dot-calls.log"
    bindir = tmp_path / "bin"
    bindir.mkdir()
    wrapper = bindir / "dot"
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> "{log}"\nexec "{real}" "$@"\n', "utf-8")
    wrapper.chmod(0o755)
    log.write_text("", "utf-8")
    return log


def calls(log: Path) -> list[str]:
    """The `dot` calls noted since the last look (and forget them)."""
    noted = log.read_text("utf-8").splitlines()
    log.write_text("", "utf-8")
    return noted


def with_logged_dot(log: Path) -> dict[str, str]:
    return {"PATH": f"{log.parent / 'bin'}{os.pathsep}{os.environ['PATH']}"}


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def layout_entries() -> list[Path]:
    """The cached drawings (the folder also keeps a small record of the portfolio page)."""
    root = Path(os.environ["JOURNEYMAP_CACHE_DIR"])
    return sorted(p for p in root.glob("v*/layout/*") if b"<svg" in p.read_bytes())


def test_second_render_and_check_run_no_dot(maps: Path, tmp_path: Path, dot_log: Path) -> None:
    out, env = tmp_path / "out", with_logged_dot(dot_log)
    assert run("render", maps, "-o", out, *TODAY, env=env).code == 0
    assert sorted(calls(dot_log)) == ["-Tsvg", "-Tsvg", "-Tsvg", "-V"]
    before = files(out)

    again = run("render", maps, "-o", out, *TODAY, env=env)
    assert again.code == 0, again.err
    assert "0 files written, 7 unchanged" in again.err
    assert calls(dot_log) == ["-V"]  # asked once per run; no drawing
    check = run("render", maps, "-o", out, "--check", *TODAY, env=env)
    assert (check.code, check.out) == (0, "")
    assert calls(dot_log) == ["-V"]
    assert files(out) == before


def test_a_page_only_edit_renders_the_page_again_with_the_cached_drawing(
    maps: Path, tmp_path: Path, dot_log: Path
) -> None:
    """The step's `thoughts` are on the page, not in the flow diagram: same DOT, no `dot`."""
    out, env = tmp_path / "out", with_logged_dot(dot_log)
    assert run("render", maps, "-o", out, *TODAY, env=env).code == 0
    calls(dot_log)
    source = maps / "tv-purchase.journey.yaml"
    text = source.read_text("utf-8")
    old = "Is this sale any good?"
    assert old in text
    source.write_text(text.replace(old, "Edited thought", 1), "utf-8")
    edited = run("render", maps, "-o", out, *TODAY, env=env)
    assert edited.code == 0, edited.err
    assert calls(dot_log) == ["-V"]
    assert "Edited thought" in (out / "tv-purchase.html").read_text("utf-8")
    # The same bytes as a render that uses no cache at all.
    fresh = tmp_path / "fresh"
    assert run("render", maps, "-o", fresh, "--no-cache", *TODAY).code == 0
    assert files(fresh) == files(out)


@pytest.mark.parametrize("damage", ["flipped", "truncated", "link", "group-writable", "empty"])
def test_a_damaged_or_foreign_layout_entry_falls_back_to_dot(
    maps: Path, tmp_path: Path, dot_log: Path, damage: str
) -> None:
    env = with_logged_dot(dot_log)
    assert run("render", maps, "-o", tmp_path / "first", *TODAY, env=env).code == 0
    calls(dot_log)
    entries = layout_entries()
    assert len(entries) == 3
    for entry in entries:
        data = entry.read_bytes()
        if damage == "flipped":  # the last byte of the drawing: the digest no longer holds
            entry.write_bytes(data[:-2] + bytes([data[-2] ^ 1]) + data[-1:])
        elif damage == "truncated":
            entry.write_bytes(data[: len(data) // 2])
        elif damage == "link":  # a link to a sound entry of another drawing is not followed
            other = entries[(entries.index(entry) + 1) % len(entries)]
            shutil.copy(entry, tmp_path / f"{entry.name}.saved")
            entry.unlink()
            entry.symlink_to(tmp_path / f"{other.name}.saved")
        elif damage == "group-writable":
            entry.chmod(entry.stat().st_mode | stat.S_IWGRP | stat.S_IWOTH)
        else:
            entry.write_bytes(b"")
    # A new option (another day) misses the per-map cache, so the drawings are asked for.
    again = run("render", maps, "-o", tmp_path / "again", "--today", "2026-11-24", env=env)
    assert again.code == 0, again.err
    assert sorted(calls(dot_log)) == ["-Tsvg", "-Tsvg", "-Tsvg", "-V"]
    fresh = tmp_path / "fresh"
    assert run("render", maps, "-o", fresh, "--no-cache", "--today", "2026-11-24").code == 0
    assert files(tmp_path / "again") == files(fresh)


def test_a_drawing_of_another_map_under_an_entry_name_is_not_used(
    maps: Path, tmp_path: Path, dot_log: Path
) -> None:
    """An entry copied to another key's name carries its own key: a miss, not a wrong SVG."""
    env = with_logged_dot(dot_log)
    assert run("render", maps, "-o", tmp_path / "first", *TODAY, env=env).code == 0
    entries = layout_entries()
    saved = entries[0].read_bytes()
    for entry in entries[1:]:
        entry.write_bytes(saved)
    calls(dot_log)
    again = run("render", maps, "-o", tmp_path / "again", "--today", "2026-11-24", env=env)
    assert again.code == 0
    assert sorted(calls(dot_log)) == ["-Tsvg", "-Tsvg", "-V"]
    fresh = tmp_path / "fresh"
    assert run("render", maps, "-o", fresh, "--no-cache", "--today", "2026-11-24").code == 0
    assert files(tmp_path / "again") == files(fresh)


@pytest.mark.parametrize(
    "edit",
    [
        lambda line: line[: len(line) // 2],  # a torn line
        lambda line: line.replace('"tv-purchase.html"', '"../escaped.html"'),
        lambda line: line.replace('"steps":', '"steps":"many","x":'),
    ],
    ids=["torn", "path-outside", "wrong-shape"],
)
def test_a_damaged_result_entry_renders_the_map_again(maps: Path, tmp_path: Path, edit) -> None:  # type: ignore[no-untyped-def]
    """`--check` uses a cached result as it is (it needs no bytes): one that does not hold
    together is a miss, so the map is checked afresh and nothing wrong is reported."""
    out = tmp_path / "out"
    assert run("render", maps, "-o", out, *TODAY).code == 0
    before = files(out)
    (cache,) = Path(os.environ["JOURNEYMAP_CACHE_DIR"]).glob("v*/render.jsonl")
    lines = cache.read_text("utf-8").splitlines()
    assert sum("tv-purchase.html" in line for line in lines) == 1
    lines = [edit(line) if "tv-purchase.html" in line else line for line in lines]
    cache.write_text("\n".join(lines) + "\n", "utf-8")
    check = run("render", maps, "-o", out, "--check", *TODAY)
    assert (check.code, check.out) == (0, ""), check.err
    assert run("render", maps, "-o", out, *TODAY).code == 0
    assert files(out) == before
    assert not (tmp_path / "escaped.html").exists()


def test_pooled_pages_are_the_bytes_of_one_process(maps: Path, tmp_path: Path) -> None:
    one, pooled = tmp_path / "one", tmp_path / "pooled"
    serial = run("render", maps, "-o", one, "-j", "1", "--no-cache", "-f", "html,svg,dot", *TODAY)
    assert serial.code == 0, serial.err
    workers = run(
        "render", maps, "-o", pooled, "-j", "2", "--no-cache", "-f", "html,svg,dot", *TODAY
    )
    assert workers.code == 0, workers.err
    assert files(one) == files(pooled)
    assert len(files(one)) == 3 * 3 + 1  # and the portfolio


def test_no_cache_reads_and_writes_no_cache(maps: Path, tmp_path: Path, dot_log: Path) -> None:
    env = with_logged_dot(dot_log)
    assert run("render", maps, "-o", tmp_path / "a", "--no-cache", *TODAY, env=env).code == 0
    assert not list(Path(os.environ["JOURNEYMAP_CACHE_DIR"]).glob("v*/*"))
    assert sorted(calls(dot_log)) == ["-Tsvg", "-Tsvg", "-Tsvg"]  # not even its version
    assert run("render", maps, "-o", tmp_path / "b", *TODAY, env=env).code == 0
    calls(dot_log)
    assert run("render", maps, "-o", tmp_path / "b", "--no-cache", *TODAY, env=env).code == 0
    assert len(calls(dot_log)) == 3


def test_check_with_a_warm_cache_finds_a_stale_page_and_portfolio(
    maps: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert run("render", maps, "-o", out, *TODAY).code == 0
    for name in ("tv-purchase.html", "index.html"):
        path = out / name
        data = path.read_bytes()
        edited = data.replace(b"<html", b"<HTML", 1)
        assert len(edited) == len(data) and edited != data
        path.write_bytes(edited)
        check = run("render", maps, "-o", out, "--check", *TODAY)
        assert (check.code, check.out.splitlines()) == (1, [f"stale: {path}"])
        # Writing mends it, from the cache or not.
        assert run("render", maps, "-o", out, *TODAY).code == 0
        assert path.read_bytes() == data


def test_a_sound_but_foreign_portfolio_record_is_a_miss(maps: Path, tmp_path: Path) -> None:
    """The record of the portfolio page is `SHA256 SIZE` in ASCII. An entry whose digest holds
    but whose body is something else (here with a byte that is not ASCII) is not used: the
    page is compared afresh, and --check says it is current."""
    import hashlib

    out = tmp_path / "out"
    assert run("render", maps, "-o", out, *TODAY).code == 0
    root = Path(os.environ["JOURNEYMAP_CACHE_DIR"])
    records = [p for p in root.glob("v*/layout/*") if b"<svg" not in p.read_bytes()]
    assert len(records) == 1
    record = records[0]
    magic = b"journeymap-layout 1\n"
    data = record.read_bytes()
    assert data.startswith(magic + record.name.encode("ascii") + b" ")
    body = b"\xe9" + bytes(63) + b" 12"
    record.write_bytes(
        magic
        + record.name.encode("ascii")
        + b" "
        + hashlib.sha256(body).hexdigest().encode("ascii")
        + b"\n"
        + body
    )
    check = run("render", maps, "-o", out, "--check", *TODAY)
    assert (check.code, check.out) == (0, ""), check.err
    assert check.err == f"7 outputs in {out} are current\n"


def test_a_page_rendered_in_two_processes_is_the_page_of_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A big map's step cards are rendered by a forked child (html.PARALLEL_PAGE_STEPS): the
    threshold lowered to one step, every example's page is still its bytes from one process."""
    from journeymap.render import RenderContext, html, render_journey

    from .kit import EXAMPLE_FILES, TODAY, check, journey_of

    for path in EXAMPLE_FILES:
        checked = check(path)
        alone = render_journey(
            journey_of(checked), "html", RenderContext(checked=checked, today=TODAY)
        )
        monkeypatch.setattr(html, "PARALLEL_PAGE_STEPS", 1)
        context = RenderContext(checked=checked, today=TODAY, parallel=True)
        two = render_journey(journey_of(checked), "html", context)
        monkeypatch.undo()
        assert two == alone, path.name
        assert b'<div class="stack"' in two


def test_a_failed_child_is_done_again_here() -> None:
    from journeymap.render.deferred import forked

    parent = os.getpid()

    def compute() -> str:
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return "<b>done here</b>"

    assert forked(compute).__html__() == "<b>done here</b>"
