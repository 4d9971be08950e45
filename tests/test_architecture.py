"""The layout rules of docs/architecture.md, enforced on the code (scripts/architecture.py)."""

from __future__ import annotations

import sys
from pathlib import Path

from helpers import REPO

sys.path.insert(0, str(REPO / "scripts"))
import architecture


def test_layers_private_names_and_sizes() -> None:
    mods = architecture.modules()
    found = architecture.imports(mods)
    problems = {**architecture.layer_problems(mods, found), **architecture.size_problems(mods)}
    assert not problems, "\n".join(problems.values())


def test_the_checks_find_what_they_are_for() -> None:
    mods = {
        "journeymap.loader": Path("loader.py"),
        "journeymap.cli": Path("cli.py"),
        "journeymap.report": Path("report.py"),
        "journeymap.diff": Path("diff.py"),
        "journeymap.stray": Path("stray.py"),
    }
    Import = architecture.Import
    found = [
        Import("journeymap.loader", "journeymap.cli", None, 3),  # up the layers
        Import("journeymap.cli", "journeymap.loader", "_private", 4),  # a private name
        Import("journeymap.report", "journeymap.diff", None, 5),  # each other, one layer
        Import("journeymap.diff", "journeymap.report", None, 6),
        Import("journeymap.cli", "journeymap.loader", "Document", 7),  # fine: down, public
    ]
    problems = architecture.layer_problems(mods, found)
    assert sorted(problems) == [
        "journeymap.cli -> journeymap.loader._private",
        "journeymap.diff <-> journeymap.report",
        "journeymap.loader -> journeymap.cli",
        "journeymap.stray",
    ]
    assert problems["journeymap.loader -> journeymap.cli"] == (
        "journeymap.loader:3: loader imports journeymap.cli of the cli layer above it"
    )


def test_sizes_are_measured(tmp_path: Path) -> None:
    body = "\n".join(f"    x = {n}" for n in range(60))
    module = tmp_path / "m.py"
    module.write_text(f"def long():\n{body}\n\n\ndef short():\n    pass\n" + "\n" * 400)
    assert list(architecture.size_problems({"journeymap.m": module})) == [
        "journeymap.m",
        "journeymap.m:long",
    ]


def test_docs_architecture_md_is_current() -> None:
    mods = architecture.modules()
    current = architecture.DOC.read_text("utf-8")
    assert architecture.document(current, mods, architecture.imports(mods)) == current, (
        "docs/architecture.md is stale: run `.venv/bin/python scripts/architecture.py --write`"
    )
