"""The suite never touches the user's files: each test has its own home and cache folders.

`tests/conftest.py` points HOME, XDG_CACHE_HOME and JOURNEYMAP_CACHE_DIR at temporary folders
and records every write under the real home made by the test process or any Python process it
starts (`tests/sitehooks`). The last test of the session reads that record.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import GUARD_DIR, REAL_HOME, real_cache_entries
from helpers import EXAMPLES, run

MAP = EXAMPLES / "gym-membership.journey.yaml"


def test_each_test_has_its_own_home_and_cache(isolated_home: Path) -> None:
    assert os.environ["HOME"] == str(isolated_home)
    assert Path.home() == isolated_home
    assert os.environ["XDG_CACHE_HOME"] == str(isolated_home / ".cache")
    assert os.environ["JOURNEYMAP_CACHE_DIR"].startswith(str(isolated_home) + os.sep)
    assert not os.path.realpath(isolated_home).startswith(REAL_HOME + os.sep)
    result = run("lint", MAP)
    assert result.code in (0, 1), result.err
    # The cache went into this test's home, where nothing else writes.
    assert list((isolated_home / ".cache").rglob("lint.jsonl"))


def test_the_guard_records_a_write_under_the_guarded_folder(tmp_path: Path) -> None:
    """The guard can fail: a child process writing a cache under a guarded folder is recorded."""
    guarded, log = tmp_path / "someone", tmp_path / "writes.log"
    guarded.mkdir()
    env = dict(
        os.environ,
        JOURNEYMAP_TEST_GUARD_ROOT=str(guarded),
        JOURNEYMAP_TEST_GUARD_LOG=str(log),
        JOURNEYMAP_CACHE_DIR=str(guarded / ".cache" / "journeymap"),
        PYTHONPATH=str(GUARD_DIR),
    )
    done = subprocess.run(
        [sys.executable, "-m", "journeymap", "lint", str(MAP)],
        env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    written = log.read_text("utf-8")
    assert f"{guarded}/.cache/journeymap" in written, written


def test_the_suite_left_the_real_home_untouched(
    session_folder: Path, tmp_path_factory: pytest.TempPathFactory, earlier_cache_entries: set[str]
) -> None:
    """Runs last (see conftest): no process of the suite wrote under the real home."""
    log = session_folder / "real-home-writes.log"
    assert log.read_text("utf-8") == "", f"written under {REAL_HOME}:\n{log.read_text('utf-8')}"
    # Other people's runs may use the real cache meanwhile; none of its entries is ours (an
    # earlier session's entry may name a file of this session's folder, reusing its number).
    ours = (str(tmp_path_factory.getbasetemp()), str(session_folder))
    for file in real_cache_entries() - earlier_cache_entries:
        assert not file.startswith(ours), f"the real cache has an entry for {file}"
