"""The mutation fuzzer run against `validate` and `lint`: no traceback, no hang, exit 0, 1 or 2.

A fixed number of cases runs in the suite (`JOURNEYMAP_FUZZ_CASES`, default 300) from a fixed
seed (`JOURNEYMAP_FUZZ_SEED`), so a failure names a case that reproduces; raise the count for
a long local run:

    JOURNEYMAP_FUZZ_CASES=20000 .venv/bin/pytest tests/security/test_fuzz.py -s

Machine outputs are read back as their consumers would: every JSON and SARIF output must parse,
every JUnit report must be well-formed XML, and every GitHub line that starts with `::` must be
one of our annotations (a map cannot start a workflow command of its own).
"""

from __future__ import annotations

import collections
import json
import os
import re
import shutil
import signal
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest
from tests.security.fuzz import MUTATIONS, Case, make_case

from helpers import EXAMPLES, Result, run

CASES = int(os.environ.get("JOURNEYMAP_FUZZ_CASES", "300"))
SEED = int(os.environ.get("JOURNEYMAP_FUZZ_SEED", "20261123"))
SECONDS_PER_RUN = float(os.environ.get("JOURNEYMAP_FUZZ_TIMEOUT", "10"))
FRESH = {"JOURNEYMAP_NO_CACHE": "1"}  # check every case afresh, not from the result cache
PWNED = Path("/tmp/journeymap-pwned")  # what the object-building tags in fuzz.py would create

LIBRARY = "shared/personas.yaml"
USES_LIBRARY = "tv-purchase.journey.yaml"
VALIDATE_FORMATS = ("text", "json")
LINT_FORMATS = ("text", "json", "sarif", "junit", "github")
_ANNOTATION = re.compile(r"^::(error|warning|notice) file=[^:,]*,line=\d+,col=\d+,title=[^:,]*::")


class Hang(BaseException):
    """Raised by the alarm: a BaseException, so the CLI's last line of defence lets it pass."""


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise Hang


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Path]:
    """A copy of the examples as its own project (`.git` marks the root)."""
    root = tmp_path / "project"
    shutil.copytree(EXAMPLES, root)
    (root / ".git").mkdir()
    yield root


def _sources() -> dict[str, str]:
    return {
        path.relative_to(EXAMPLES).as_posix(): path.read_text("utf-8")
        for path in sorted(EXAMPLES.rglob("*.yaml"))
    }


def _check_output(case: Case, command: str, fmt: str, result: Result) -> list[str]:
    """What is wrong with one run's output, if anything."""
    problems = []
    if result.code not in (0, 1, 2):
        problems.append(f"exit code {result.code}")
    for name, text in (("stdout", result.out), ("stderr", result.err)):
        if "Traceback" in text:
            problems.append(f"traceback on {name}")
    if "internal error" in result.err:
        problems.append(f"internal error: {result.err.strip()[:300]}")
    if result.code == 2 and not result.err.startswith("journeymap: error:"):
        problems.append(f"exit 2 without a clear message: {result.err[:200]!r}")
    if result.code == 2 or not result.out:
        return problems
    try:
        if fmt in ("json", "sarif"):
            json.loads(result.out)
        elif fmt == "junit":
            ET.fromstring(result.out)
    except (ValueError, ET.ParseError) as err:
        problems.append(f"{command} --format {fmt} output does not parse: {err}")
    if fmt == "github":
        for line in result.out.splitlines():
            if line.startswith("::") and not _ANNOTATION.match(line):
                problems.append(f"a stray workflow command: {line[:200]!r}")
    return problems


def _run_case(case: Case, project: Path) -> tuple[list[str], list[int], float]:
    target = project / case.source
    original = target.read_bytes()
    target.write_bytes(case.data())
    paths = [case.source, USES_LIBRARY] if case.source == LIBRARY else [case.source]
    problems: list[str] = []
    codes: list[int] = []
    started = time.perf_counter()
    try:
        for command, formats in (("validate", VALIDATE_FORMATS), ("lint", LINT_FORMATS)):
            fmt = formats[case.number % len(formats)]
            args = [command, "--format", fmt, "--isolated", *paths]
            if command == "lint":
                args += ["--today", "2026-11-23"]
            signal.setitimer(signal.ITIMER_REAL, SECONDS_PER_RUN)
            try:
                result = run(*args, cwd=project, env=FRESH)
            except Hang:
                problems.append(f"{command} took longer than {SECONDS_PER_RUN} s")
                continue
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            codes.append(result.code)
            problems += [f"{command}: {p}" for p in _check_output(case, command, fmt, result)]
    finally:
        target.write_bytes(original)
    return problems, codes, time.perf_counter() - started


@pytest.mark.slow
def test_mutated_examples_never_crash_or_hang(project: Path) -> None:
    sources = _sources()
    assert LIBRARY in sources and USES_LIBRARY in sources
    PWNED.unlink(missing_ok=True)
    previous = signal.signal(signal.SIGALRM, _alarm)
    failures: list[str] = []
    tally: collections.Counter[tuple[str, int]] = collections.Counter()
    slowest: list[tuple[float, int]] = []
    try:
        for number in range(CASES):
            case = make_case(SEED, number, sources)
            problems, codes, seconds = _run_case(case, project)
            for name in set(case.mutations):
                tally[name, max(codes, default=-1)] += 1
            slowest = sorted([*slowest, (seconds, number)], reverse=True)[:3]
            if problems:
                failures.append(
                    f"case {number} (seed {SEED}, {case.source}, {'+'.join(case.mutations)}): "
                    + "; ".join(problems)
                )
    finally:
        signal.signal(signal.SIGALRM, previous)
    print(f"\nfuzz: {CASES} cases, seed {SEED}; worst exit code per case by mutation class:")
    for name in sorted(MUTATIONS):
        counts = ", ".join(f"exit {c}: {tally[name, c]}" for c in (0, 1, 2) if tally[name, c])
        print(f"  {name:15} {counts}")
    print("  slowest cases: " + ", ".join(f"#{n} {s:.2f} s" for s, n in slowest))
    assert not PWNED.exists(), "a YAML tag ran code"
    assert not failures, f"{len(failures)} of {CASES} cases failed:\n" + "\n".join(failures[:20])


def test_a_case_is_reproducible() -> None:
    sources = _sources()
    assert make_case(SEED, 7, sources) == make_case(SEED, 7, sources)
    assert make_case(SEED, 7, sources) != make_case(SEED, 8, sources)
