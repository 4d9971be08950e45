"""The README's "Importing and exporting" examples, run as written: same output, same codes."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

from helpers import REPO, run


def console_blocks() -> list[list[tuple[str, list[str]]]]:
    """Each console block of the section: (command, expected output lines) in order."""
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme.split("## Importing and exporting", 1)[1].split("\n## ", 1)[0]
    blocks = []
    for body in re.findall(r"```console\n(.*?)```", section, re.S):
        steps: list[tuple[str, list[str]]] = []
        for line in body.splitlines():
            if line.startswith("$ "):
                steps.append((line[2:], []))
            else:
                steps[-1][1].append(line)
        blocks.append(steps)
    return blocks


def test_readme_examples_match_the_tool(tmp_path: Path) -> None:
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    (tmp_path / "docs" / "examples").mkdir(parents=True)
    shutil.copy(REPO / "docs" / "examples" / "checkout.md", tmp_path / "docs" / "examples")
    (tmp_path / "journeymap.toml").write_text("", encoding="utf-8")
    blocks = console_blocks()
    assert blocks, "the section has no console example"
    for steps in blocks:
        for command, expected in steps:
            args = shlex.split(command)
            assert args[0] == "journeymap"
            result = run(*args[1:], cwd=tmp_path)
            assert result.code in (0, 1), (command, result.err)
            assert (result.err + result.out).splitlines() == expected, command
