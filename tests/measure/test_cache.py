"""`journeymap measure` reads an unchanged map's facts from the result cache: the same bytes,
without loading the map or the model, and never a stale map (edited, or its library edited)."""

from __future__ import annotations

from pathlib import Path

from helpers import run, shown_at_exit

from .reference import MAP, random_log, write_csv

LIBRARY = "journeymap: 1\nkind: library\npersonas:\n  - {id: sam, name: Sam, goals: [x]}\n"
WITH_LIBRARY = MAP.replace("title: Reference funnel\n", "title: Reference\nuses: [lib.yaml]\n")
WITH_LIBRARY = WITH_LIBRARY.replace("events: [view]}", "events: [view], persona: sam}")


def project(tmp_path: Path, text: str = MAP) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "ref.journey.yaml").write_text(text, "utf-8")
    (tmp_path / "lib.yaml").write_text(LIBRARY, "utf-8")
    events, _ = random_log(11, users=60)
    write_csv(tmp_path / "events.csv", events, "user,event,time")
    return tmp_path


def measure(tmp_path: Path, *extra: str) -> tuple[int, str, str]:
    env = {"JOURNEYMAP_CACHE_DIR": str(tmp_path / "cache")}
    argv = ["measure", "ref.journey.yaml", "--events", "events.csv", *extra]
    result = run(*argv, cwd=tmp_path, env=env)
    return result.code, result.out, result.err


def entries(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache").rglob("measure.jsonl"))


def test_a_second_run_reads_the_map_from_the_cache_with_the_same_bytes(tmp_path: Path) -> None:
    project(tmp_path)
    first = measure(tmp_path)
    assert first[0] == 0, first[2]
    assert len(entries(tmp_path)) == 1
    assert measure(tmp_path) == first
    argv = ["measure", "ref.journey.yaml", "--events", "events.csv", "-o", "m.json"]
    env = {"JOURNEYMAP_CACHE_DIR": str(tmp_path / "cache")}
    code, modules, err = shown_at_exit(argv, "' '.join(sorted(sys.modules))", tmp_path, env)
    assert code == 0, err
    assert (tmp_path / "m.json").read_text("utf-8") == first[1]
    loaded = set(modules.split())
    assert "journeymap.measure.run" in loaded
    assert not {"yaml", "journeymap.model", "journeymap.validation"} & loaded


def test_an_edited_map_is_read_again(tmp_path: Path) -> None:
    project(tmp_path)
    code, before, err = measure(tmp_path)
    assert code == 0, err
    edited = MAP.replace("events: [cart]", "events: [pay]")
    (tmp_path / "ref.journey.yaml").write_text(edited, "utf-8")
    code, after, err = measure(tmp_path)
    assert code == 0, err
    assert after != before
    fresh = run("measure", "ref.journey.yaml", "--events", "events.csv", "--no-cache", cwd=tmp_path)
    assert after == fresh.out


def test_a_library_edited_since_the_last_run_is_read_again(tmp_path: Path) -> None:
    project(tmp_path, WITH_LIBRARY)
    code, _, err = measure(tmp_path)
    assert code == 0, err
    (tmp_path / "lib.yaml").write_text(LIBRARY.replace("id: sam", "id: kim"), "utf-8")
    code, out, err = measure(tmp_path)
    assert (code, out) == (2, "")
    assert "ref.journey.yaml: 1 format error; run `journeymap validate ref.journey.yaml`" in err


def test_a_map_with_format_errors_stays_an_error_from_the_cache(tmp_path: Path) -> None:
    project(tmp_path, MAP.replace("title:", "titel:"))
    for _ in range(2):
        code, out, err = measure(tmp_path)
        assert (code, out) == (2, "")
        assert "ref.journey.yaml: 2 format errors; run `journeymap validate" in err
    assert len(entries(tmp_path)) == 1


def test_no_cache_reads_and_writes_nothing(tmp_path: Path) -> None:
    project(tmp_path)
    code, _, err = measure(tmp_path, "--no-cache")
    assert code == 0, err
    assert entries(tmp_path) == []
