"""The README is executable: every `console` block of README.md and docs/*.md is run.

Each document runs in its own scratch folder (a git repository holding a copy of examples/ and
what the document's story needs), its commands one after another in a shell, so that a map
made by one block is there for the next. The output a block shows is compared with what the
commands print (stdout and stderr together): a line `...` stands for any number of lines, and a
line ending in ` ...` for any line that starts with what comes before it. A command shown with
no output must exit 0.

A few commands cannot run in a test; each is listed in NOT_RUN with the reason, and what a
stand-in does instead (when the story needs its effect). A test fails when such an entry no
longer matches any command, so the list cannot rot. Edits an author makes by hand between two
commands (in an editor) are in EDITS.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DOCUMENTS = ["README.md", *sorted(p.relative_to(REPO).as_posix() for p in REPO.glob("docs/*.md"))]
FIXTURES = Path(__file__).resolve().parent / "readme"
BIN = Path(sys.executable).parent


@dataclass
class Command:
    line: int  # in the document
    text: str  # without the `$ `
    output: list[str] = field(default_factory=list)
    shown: bool = False  # whether the block shows output for it


def commands(document: str) -> list[Command]:
    """Every `$ command` of the document's console blocks, with the output shown under it."""
    text = (REPO / document).read_text("utf-8")
    out: list[Command] = []
    for block in re.finditer(r"^```console\n(.*?)^```", text, re.S | re.M):
        first = text[: block.start()].count("\n") + 2
        current: Command | None = None
        for offset, line in enumerate(block.group(1).splitlines()):
            if line.startswith("$ "):
                current = Command(first + offset, line[2:])
                out.append(current)
            elif current is not None and (line or current.output):
                current.output.append(line)
                current.shown = True
        for command in out:
            while command.output and not command.output[-1]:
                command.output.pop()
    return out


def matches(expected: list[str], actual: list[str]) -> bool:
    """`expected` with `...` lines (any lines) and ` ...` endings (any rest of the line)."""
    if not expected:
        return not actual
    head, rest = expected[0], expected[1:]
    if head.strip() == "...":
        return any(matches(rest, actual[i:]) for i in range(len(actual) + 1))
    if not actual:
        return False
    line = actual[0]
    ok = line.startswith(head[:-4]) if head.endswith(" ...") else line == head
    return ok and matches(rest, actual[1:])


# ---------------------------------------------------------------------------------------------
# What cannot run here, and the author's edits between commands

# (document, start of the command) -> (why it is not run, a stand-in command or "", whether
# the stand-in's output is compared with the output shown)
NOT_RUN: dict[tuple[str, str], tuple[str, str, bool]] = {
    ("README.md", "scripts/demo"): ("sets up a whole checkout (apt, pip, npm)", "", False),
    ("README.md", "scripts/test "): ("runs this very test suite", "", False),
    ("README.md", "journeymap serve "): (
        "serves until Ctrl-C: run for a moment on a free port, the URL shown with port 8765",
        # Waits for the line (a loaded machine may take seconds to start), then stops it.
        "journeymap serve maps/onboarding.journey.yaml --port 0 >serve.log 2>&1 & pid=$!; "
        "for _ in $(seq 1200); do grep -q Serving serve.log && break; sleep 0.05; done; "
        "kill $pid; wait $pid; sed -E 's/:[0-9]+\\//:8765\\//' serve.log | head -1",
        True,
    ),
    ("README.md", "pre-commit install"): ("the hooks come from GitHub: no network here", "", False),
    ("README.md", "git add maps/ schema/"): (
        "the hooks need the network (tests/authoring/test_precommit.py runs them from a "
        "checkout); the commit the story needs is made without them",
        "git add maps/ schema/ && git commit -qm 'Onboarding journey map'",
        False,
    ),
    ("README.md", ".venv/bin/python bench/run.py "): ("minutes of CPU", "", False),
    ("README.md", ".venv/bin/python bench/run.py --quick"): (
        "tests/test_bench.py runs the smoke run",
        "",
        False,
    ),
    ("docs/performance.md", ".venv/bin/python bench/run.py "): ("minutes of CPU", "", False),
    ("docs/testing.md", "scripts/mutation "): (
        "an hour of CPU per module (mutation testing is run on purpose, not in CI)",
        "",
        False,
    ),
    ("docs/performance.md", ".venv/bin/python bench/run.py --quick"): (
        "tests/test_bench.py runs the smoke run",
        "",
        False,
    ),
}


def _replace(path: str, *pairs: tuple[str, str]) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        target = root / path
        text = target.read_text("utf-8")
        for old, new in pairs:
            assert old in text, f"the README's story changed: {old!r} is not in {path}"
            text = text.replace(old, new, 1)
        target.write_text(text, "utf-8")

    return edit


# (document, start of the command) -> the edit an author makes before running it
EDITS: dict[tuple[str, str], Callable[[Path], None]] = {
    ("README.md", "journeymap diff --rev main maps/"): _replace(
        "maps/onboarding.journey.yaml",
        (
            "        emotion: -1\n        pain_points: [Prices are hard to find]\n",
            "        emotion: 1\n",
        ),
        (
            "      - id: places-order\n",
            "      - id: books-demo\n        name: Books a demo\n        channel: support\n"
            "        emotion: 1\n      - id: places-order\n",
        ),
    ),
    ("docs/ci.md", "git diff"): _replace(
        "tv-purchase.journey.yaml",
        ("        emotion: 0\n", "        emotion: 1\n"),
        ("status: planned", "status: done"),
    ),
}


def _setup(document: str, root: Path) -> None:
    """The scratch folder a document's story starts from."""
    git = ["git", "-c", "user.name=Alex Author", "-c", "user.email=alex@example.com"]
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    if document == "docs/ci.md":  # a repository of maps, reviewed against origin/main
        for name in ("tv-purchase.journey.yaml",):
            shutil.copy(REPO / "examples" / name, root / name)
        shutil.copytree(REPO / "examples/shared", root / "shared")
        (root / ".gitattributes").write_text("*.journey.yaml diff=journeymap\n", "utf-8")
    else:
        shutil.copytree(REPO / "examples", root / "examples")
        shutil.copytree(REPO / "docs/examples", root / "docs/examples")
        shutil.copytree(FIXTURES, root, dirs_exist_ok=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "Start"], cwd=root, check=True)
    subprocess.run(["git", "update-ref", "refs/remotes/origin/main", "HEAD"], cwd=root, check=True)


def _environment(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "GIT_"))}
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        NO_COLOR="1",
        COLUMNS="100",
        HOME=str(root / ".home"),
        JOURNEYMAP_CACHE_DIR=str(root / ".cache"),
        GIT_AUTHOR_NAME="Alex Author",
        GIT_AUTHOR_EMAIL="alex@example.com",
        GIT_COMMITTER_NAME="Alex Author",
        GIT_COMMITTER_EMAIL="alex@example.com",
        GIT_CONFIG_NOSYSTEM="1",
        GIT_PAGER="cat",
    )
    return env


def _entry(table: dict[tuple[str, str], object], document: str, command: str) -> object:
    for (doc, start), value in table.items():
        if doc == document and (command + " ").startswith(start):
            return value
    return None


@pytest.mark.parametrize("document", DOCUMENTS)
def test_console_blocks_do_what_they_show(document: str, tmp_path: Path) -> None:
    root = tmp_path / "work"
    root.mkdir()
    _setup(document, root)
    env = _environment(root)
    (root / ".home").mkdir()
    problems: list[str] = []
    for command in commands(document):
        edit = _entry(EDITS, document, command.text)
        if callable(edit):
            edit(root)
        skipped = _entry(NOT_RUN, document, command.text)
        run, compare = command.text, command.shown
        if isinstance(skipped, tuple):
            _, stand_in, compare = skipped
            if not stand_in:
                continue
            run = stand_in
        proc = subprocess.run(
            ["bash", "-c", run],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        actual = (proc.stdout + proc.stderr).rstrip("\n").splitlines()
        where = f"{document}:{command.line}: $ {command.text}"
        if compare:
            if not matches(command.output, actual):
                problems.append(
                    f"{where}\n--- shown\n" + "\n".join(command.output)
                    + "\n--- printed\n" + "\n".join(actual)
                )  # fmt: skip
        elif proc.returncode != 0:
            problems.append(f"{where}\nexit {proc.returncode}\n" + "\n".join(actual))
    assert not problems, "\n\n".join(problems)


def test_every_not_run_entry_still_names_a_command() -> None:
    every = {(doc, c.text) for doc in DOCUMENTS for c in commands(doc)}
    for table in (NOT_RUN, EDITS):
        for doc, start in table:
            assert any(d == doc and (text + " ").startswith(start) for d, text in every), start


def test_every_console_block_has_a_command() -> None:
    """A `console` block is something to type; a record of commands is a `text` block."""
    for document in DOCUMENTS:
        text = (REPO / document).read_text("utf-8")
        for block in re.finditer(r"^```console\n(.*?)^```", text, re.S | re.M):
            assert block.group(1).startswith("$ "), (document, block.group(1)[:60])


def test_documents_have_commands_to_run() -> None:
    counted = {doc: len(commands(doc)) for doc in DOCUMENTS}
    assert counted["README.md"] >= 15
    assert "docs/ci.md" in counted and counted["docs/ci.md"] >= 4


def test_matching_with_elisions() -> None:
    assert matches(["a", "...", "z"], ["a", "b", "c", "z"])
    assert matches(["a", "...", "z"], ["a", "z"])
    assert not matches(["a", "z"], ["a", "b", "z"])
    assert matches(["step 'x' switches ..."], ["step 'x' switches from web to store"])
    assert not matches(["a"], ["a", "b"])
