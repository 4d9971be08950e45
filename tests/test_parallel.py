"""Many files: worker processes give the same bytes as one process, in the same order."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench.corpus import typical_map

from helpers import run_process
from journeymap import pool
from journeymap.inspection import PARALLEL_MIN_FILES

COUNT = PARALLEL_MIN_FILES + 12  # enough for the default to start workers


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("many")
    (root / ".git").mkdir()
    for index in range(COUNT):
        text = typical_map(index)
        if index == 7:  # one broken map among them, reported in its place
            text = text.replace("emotion: ", "emotion: 9 #", 1)
        (root / "maps" / f"m{index:03d}.journey.yaml").parent.mkdir(exist_ok=True)
        (root / "maps" / f"m{index:03d}.journey.yaml").write_text(text, "utf-8")
    return root


def lint(project: Path, cache: Path, *extra: str) -> tuple[int, str]:
    result = run_process(
        "lint", "--today", "2026-11-23", *extra, "maps",
        cwd=project, env={"JOURNEYMAP_CACHE_DIR": str(cache)}, timeout=120,
    )  # fmt: skip
    assert result.err == ""
    return result.code, result.out


def test_workers_one_process_and_the_cache_say_the_same(project: Path, tmp_path: Path) -> None:
    one = lint(project, tmp_path / "c1", "-j", "1", "--no-cache")
    assert one[0] == 1  # the broken map
    assert f"{COUNT} files checked" in one[1]
    assert "maps/m007.journey.yaml" in one[1]
    assert lint(project, tmp_path / "c2", "-j", "2", "--no-cache") == one
    assert lint(project, tmp_path / "c3") == one  # the default: workers, filling the cache
    (cache_file,) = (tmp_path / "c3").rglob("lint.jsonl")
    assert len(cache_file.read_text("utf-8").splitlines()) == COUNT
    assert lint(project, tmp_path / "c3") == one  # every result from the cache


@pytest.mark.parametrize("count", [1, 5, 47, 48, 200, 1000])
@pytest.mark.parametrize("jobs", [2, 4])
def test_chunks_cover_every_file_once_in_order_and_shrink(count: int, jobs: int) -> None:
    files = [Path(f"{i}.yaml") for i in range(count)]
    chunks = list(pool.chunks(files, jobs))
    assert [f for chunk in chunks for f in chunk] == files
    sizes = [len(chunk) for chunk in chunks]
    assert max(sizes) <= 32
    assert sizes == sorted(sizes, reverse=True) or count < 8
    if count >= 200:
        assert sizes[-1] <= 4  # the tail is a few files, not a full chunk
