"""`scripts/setup -q` prints only what it changes and errors, never the tools' own chatter."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

NOISY = """#!/bin/sh
echo "Selecting previously unselected package fonts-liberation2."
echo "Unpacking fonts-liberation2 (2.1.5-1) ..."
echo "npm notice New major version of npm available! 10.8.2 -> 11.0.0"
echo "added 264 packages in 53s"
echo "WARNING: Location 'file:///opt/pypi-more/simple/idna/' is ignored"
"""


def _tool(bin_dir: Path, name: str, body: str) -> None:
    path = bin_dir / name
    path.write_text(body, "utf-8")
    path.chmod(0o755)


@pytest.fixture
def checkout(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A checkout whose .venv is in place and whose apt-get and npm are noisy stand-ins."""
    root = tmp_path / "repo"
    (root / "scripts").mkdir(parents=True)
    shutil.copy(REPO / "scripts/setup", root / "scripts/setup")
    (root / "pyproject.toml").write_text("[project]\nname = 'x'\n", "utf-8")
    (root / "src/journeymap").mkdir(parents=True)
    venv_bin = root / ".venv/bin"
    venv_bin.mkdir(parents=True)
    (venv_bin / "python").symlink_to(sys.executable)
    _tool(venv_bin, "journeymap", "#!/bin/sh\n")
    (root / "requirements").mkdir()
    (root / "requirements/test.txt").write_text("pyyaml==6.0.2\n", "utf-8")
    locked = (root / "pyproject.toml").read_bytes() + (root / "requirements/test.txt").read_bytes()
    digest = hashlib.sha256(locked).hexdigest()
    (root / ".venv/.journeymap-setup-stamp").write_text(digest + "\n", "utf-8")
    (root / "tools").mkdir()
    (root / "tools/package.json").write_text("{}", "utf-8")
    (root / "tools/package-lock.json").write_text("{}", "utf-8")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("dot", "chromium", "node", "sudo"):
        _tool(bin_dir, name, '#!/bin/sh\n[ "$#" -gt 0 ] && exec "$@"\n')
    # One font is "missing", so apt-get runs; it and npm print what the real ones print.
    installed = tmp_path / "emoji-installed"
    _tool(
        bin_dir,
        "dpkg-query",
        f'#!/bin/sh\ncase "$*" in *emoji*) [ -e {installed} ] || exit 1;; esac\n'
        'echo "install ok installed"\n',
    )
    _tool(bin_dir, "apt-get", NOISY + f"touch {installed}\n")
    _tool(
        bin_dir,
        "npm",
        NOISY + "mkdir -p node_modules/.bin node_modules/axe-core\n"
        "touch node_modules/axe-core/axe.min.js\n"
        "printf '#!/bin/sh\\n' > node_modules/.bin/mmdc; chmod +x node_modules/.bin/mmdc\n",
    )
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    return root, env


def test_quiet_setup_shows_what_changed_and_nothing_of_the_tools(
    checkout: tuple[Path, dict[str, str]],
) -> None:
    root, env = checkout
    proc = subprocess.run(
        [root / "scripts/setup", "-q"], capture_output=True, text=True, env=env, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    shown = proc.stdout + proc.stderr
    for noise in ("Selecting previously", "Unpacking", "npm notice", "added 264", "WARNING"):
        assert noise not in shown
    lines = shown.splitlines()
    assert lines and all(line.startswith("[setup] ") for line in lines), shown
    assert any("installing Debian packages: fonts-noto-color-emoji" in line for line in lines)
    assert any("node tools: installed" in line for line in lines)


def test_quiet_setup_shows_the_output_of_a_step_that_fails(
    checkout: tuple[Path, dict[str, str]],
) -> None:
    root, env = checkout
    bin_dir = Path(env["PATH"].split(":", 1)[0])
    _tool(bin_dir, "npm", "#!/bin/sh\necho 'npm ERR! code EINTEGRITY' >&2\nexit 1\n")
    proc = subprocess.run(
        [root / "scripts/setup", "-q"], capture_output=True, text=True, env=env, timeout=120
    )
    assert proc.returncode == 1
    assert "npm ERR! code EINTEGRITY" in proc.stderr
    assert "npm ci in tools/ failed" in proc.stderr


def test_quiet_setup_prints_nothing_when_all_is_in_place(
    checkout: tuple[Path, dict[str, str]],
) -> None:
    root, env = checkout
    first = subprocess.run(
        [root / "scripts/setup", "-q"], capture_output=True, env=env, timeout=120
    )
    assert first.returncode == 0
    again = subprocess.run(
        [root / "scripts/setup", "-q"], capture_output=True, text=True, env=env, timeout=120
    )
    assert again.returncode == 0
    assert again.stdout + again.stderr == ""
