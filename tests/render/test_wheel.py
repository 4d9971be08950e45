"""A wheel built from the source tree renders a map from outside it (the templates ship in it)."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from .kit import EXAMPLES, REPO

pytestmark = pytest.mark.slow


def test_wheel_renders_outside_the_source_tree(tmp_path: Path) -> None:
    pytest.importorskip("hatchling", reason="pip install hatchling (in the test extras)")
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "-q", "-w", str(dist), str(REPO)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    wheel = next(dist.glob("journeymap-*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    # Reuse this environment's dependencies (typer, pydantic...) without its .pth files, so
    # journeymap itself can only come from the wheel, never from the source tree.
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    ours = next(p for p in sys.path if p.endswith("site-packages") and Path(p).is_dir())
    (Path(site) / "deps.pth").write_text(ours + "\n", encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q",
         "--no-deps", "--no-index", "--force-reinstall", str(wheel)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    work = tmp_path / "elsewhere"
    work.mkdir()
    (work / "shared").mkdir()
    for name in ("tv-purchase.journey.yaml", "shared/personas.yaml"):
        (work / name).write_bytes((EXAMPLES / name).read_bytes())
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run(
        [str(python), "-c", "import journeymap.render.templates as t; print(t.template_dir())"],
        cwd=work, capture_output=True, text=True, env=env, check=True, timeout=60,
    )  # fmt: skip
    assert str(env_dir) in result.stdout, "templates must come from the installed wheel"
    rendered = subprocess.run(
        [str(python), "-m", "journeymap", "render", "tv-purchase.journey.yaml", "-o", "out"],
        cwd=work, capture_output=True, text=True, env=env, check=False, timeout=120,
    )  # fmt: skip
    assert rendered.returncode == 0, rendered.stderr
    html = (work / "out" / "tv-purchase.html").read_text(encoding="utf-8")
    assert "Buying a new TV in the winter sale" in html
    assert (work / "out" / "tv-purchase.svg").read_bytes().startswith(b"<?xml")
