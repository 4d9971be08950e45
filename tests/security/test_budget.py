"""One budget of work per input, charged on every path through the loader (issue 12).

Each bomb runs in a child process, as `journeymap validate` would in CI, and must answer in
under 2 s of CPU and 200 MB of memory with a `limits` error at a line and column. Before the
budget was charged on these paths they ran for minutes, or until memory ran out.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.security.bombs import BOMBS, unknown_keys

from helpers import run

SECONDS = 2.0
MEGABYTES = 200


@dataclass
class Measured:
    code: int
    out: str
    err: str
    cpu: float  # seconds, user + system
    peak_mb: float


# The measured command runs as the child of a small launcher, not of the test process: on
# Linux a child's peak memory starts at its parent's peak at the time of the fork (and exec
# keeps it), so a pytest process that grew to 300 MB would make every child look that big.
_LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, "-m", "journeymap", *sys.argv[2:]])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as report:
    report.write(f"{usage.ru_utime + usage.ru_stime} {usage.ru_maxrss}")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def measure(*args: str | Path, cwd: Path, timeout: float = 120) -> Measured:
    """Run `python -m journeymap ARGS` and measure that one process's CPU time and peak memory."""
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory() as scratch,
    ):
        report = Path(scratch) / "usage"
        proc = subprocess.Popen(
            [sys.executable, "-c", _LAUNCHER, str(report), *map(str, args)],
            cwd=cwd,
            stdout=out,
            stderr=err,
            env={**os.environ, "NO_COLOR": "1"},  # the cache folder: conftest's, per test
            start_new_session=True,
        )
        try:
            code = proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()
            pytest.fail(f"journeymap {' '.join(map(str, args))} was killed after {timeout} s")
        if code < 0 or not report.exists():
            pytest.fail(f"journeymap {' '.join(map(str, args))} ended by signal {-code}")
        cpu, peak_kib = report.read_text().split()
        out.seek(0)
        err.seek(0)
        return Measured(
            code,
            out.read().decode(),
            err.read().decode(),
            float(cpu),
            int(peak_kib) / 1024,  # KiB on Linux
        )


def _write(tmp_path: Path, name: str, text: str) -> Path:
    (tmp_path / ".git").mkdir(exist_ok=True)
    path = tmp_path / f"{name}.journey.yaml"
    path.write_text(text, "utf-8")
    return path


@pytest.mark.parametrize("name", list(BOMBS))
def test_each_bomb_is_a_located_limits_error_in_bounded_time_and_memory(
    tmp_path: Path, name: str
) -> None:
    """Items 2 (merge keys), 3 (alias keys), 6 (brackets in quotes): a located `limits`."""
    bomb, size = BOMBS[name]
    path = _write(tmp_path, name, bomb(size))
    result = measure("validate", "--no-cache", "--format", "json", path, cwd=tmp_path)
    assert result.code == 1, result.err
    findings = json.loads(result.out)["findings"]
    assert [f["rule"] for f in findings] == ["limits"], findings
    assert findings[0]["line"] > 1, "the limits error says where"
    assert result.cpu < SECONDS, f"{name}: {result.cpu:.2f} s of CPU"
    assert result.peak_mb < MEGABYTES, f"{name}: {result.peak_mb:.0f} MB"
    where = f"{findings[0]['line']}:{findings[0]['column']}"
    size_text = f"{path.stat().st_size:,} bytes"
    usage = f"{result.cpu:.2f} s CPU, {result.peak_mb:.0f} MB"
    print(f"\n{name} (n={size}, {size_text}): {usage}, {where}")


def test_merge_key_bomb_does_not_hang_git_diff_textconv(tmp_path: Path) -> None:
    """Item 2: `diff --textconv`, which `git diff` runs on every changed map, answers."""
    bomb, size = BOMBS["merge-keys"]
    path = _write(tmp_path, "bomb", bomb(size))
    result = measure("diff", "--textconv", path, cwd=tmp_path)
    assert result.code == 0, result.err
    assert result.out == path.read_text("utf-8")  # not a map it can outline: shown as it is
    assert result.cpu < SECONDS


def test_alias_keys_are_charged_before_findings_quote_them(tmp_path: Path) -> None:
    """Item 3: 10,000 duplicate alias keys of a 100 KB string: no 1 GB report."""
    bomb, size = BOMBS["alias-keys"]
    path = _write(tmp_path, "keys", bomb(size))
    result = measure("lint", "--no-cache", "--format", "json", path, cwd=tmp_path)
    assert result.code == 1
    assert len(result.out) < 10_000
    assert result.peak_mb < MEGABYTES


def test_locating_many_unknown_keys_is_not_quadratic(tmp_path: Path) -> None:
    """Item 7: 20,000 unknown keys took 92 s to locate. The first 1,000 are listed, each at
    its own line, and one more finding counts the rest, quickly and in bounded memory."""
    path = _write(tmp_path, "keys", unknown_keys(20_000))
    result = measure("validate", "--no-cache", "--format", "json", path, cwd=tmp_path)
    findings = json.loads(result.out)["findings"]
    assert len(findings) == 1_001
    assert [f["line"] for f in findings[:1000]] == list(range(9, 9 + 1000))
    assert findings[-1]["line"] == 9 + 1000
    assert findings[-1]["message"].startswith("19,000 more schema problems")
    assert result.cpu < 10, f"{result.cpu:.1f} s"
    assert result.peak_mb < MEGABYTES, f"{result.peak_mb:.0f} MB"


GOOD = (
    "journeymap: 1\ntitle: Good\nstages:\n  - id: s\n    name: S\n    steps:\n"
    "      - id: a\n        name: A\n"
)


def test_one_files_internal_error_never_stops_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Item 6: a bug met in one file is that file's finding; the others are linted and
    rendered, and the run exits 2."""
    import journeymap.validation as validation

    real = validation.validate_shape

    def failing(doc):  # type: ignore[no-untyped-def]
        if doc.display.endswith("bad.journey.yaml"):
            raise RecursionError("maximum recursion depth exceeded")
        return real(doc)

    monkeypatch.setattr(validation, "validate_shape", failing)
    (tmp_path / ".git").mkdir()
    (tmp_path / "good.journey.yaml").write_text(GOOD.replace("Good", "Fine"), "utf-8")
    (tmp_path / "bad.journey.yaml").write_text(GOOD, "utf-8")
    (tmp_path / "zgood.journey.yaml").write_text(GOOD.replace("Good", "Also"), "utf-8")

    linted = run("lint", "--format", "json", "--no-cache", ".", cwd=tmp_path)
    assert linted.code == 2, linted.err
    report = json.loads(linted.out)
    assert report["summary"]["files"] == 3
    internal = [f for f in report["findings"] if f["rule"] == "internal"]
    assert [f["file"] for f in internal] == ["bad.journey.yaml"]
    assert "RecursionError" in internal[0]["message"]
    assert {f["file"] for f in report["findings"]} >= {"good.journey.yaml", "zgood.journey.yaml"}

    rendered = run("render", ".", "-o", "out", "-f", "mermaid", cwd=tmp_path)
    assert rendered.code == 2
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "good.mmd",
        "index.html",
        "zgood.mmd",
    ]
    assert "bad.journey.yaml: not rendered" in rendered.err
