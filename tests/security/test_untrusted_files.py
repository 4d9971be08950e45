"""Files and links from a pull request: every read bounded, the cache never lies or peeks,
output stays inside the checkout, and `serve` cannot be flooded (issue 12).
"""

from __future__ import annotations

import importlib.util
import json
import os
import socket
import sys
import threading
import time
import types
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

import journeymap.cache as cache_module
from helpers import run, run_process
from journeymap.cache import ResultCache

LIBRARY = "journeymap: 1\nkind: library\npersonas:\n  - id: {persona}\n    name: P\n"
MAP = (
    "journeymap: 1\ntitle: M\nuses: [{uses}]\nstages:\n  - id: s\n    name: S\n    steps:\n"
    "      - id: a\n        name: A\n        persona: sam\n"
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    return tmp_path


def _cache_env(tmp_path: Path) -> dict[str, str]:
    return {"JOURNEYMAP_CACHE_DIR": str(tmp_path / "cache")}


def _cache_text(tmp_path: Path) -> str:
    return "".join(p.read_text("utf-8") for p in (tmp_path / "cache").rglob("*.jsonl"))


def test_cache_opens_only_what_validation_accepts(project: Path, tmp_path_factory: Path) -> None:
    """Item 4: `uses: [/dev/zero]` and a path outside the project are refused, not hashed."""
    outside = Path(tmp_path_factory.mktemp("outside")) / "secret.txt"  # type: ignore[attr-defined]
    outside.write_text("hunter2\n", "utf-8")
    (project / "zero.yaml").symlink_to("/dev/zero")
    env = _cache_env(project)
    for uses in ("/dev/zero", str(outside), "zero.yaml"):
        (project / "m.journey.yaml").write_text(MAP.format(uses=json.dumps(uses)), "utf-8")
        result = run_process("validate", "m.journey.yaml", cwd=project, env=env, timeout=30)
        assert result.code == 1, result.err
        assert "reference" in result.out
    import hashlib

    stored = _cache_text(project)
    assert hashlib.sha256(b"hunter2\n").hexdigest() not in stored
    assert "hunter2" not in stored


def test_reads_are_bounded_and_refuse_what_is_not_a_file(project: Path) -> None:
    """Item 5: a map linked to /dev/zero, a FIFO, a committed output linked to /dev/zero."""
    (project / "zero.journey.yaml").symlink_to("/dev/zero")
    os.mkfifo(project / "fifo.journey.yaml")
    for name in ("zero.journey.yaml", "fifo.journey.yaml"):
        result = run_process("validate", "--no-cache", name, cwd=project, timeout=30)
        assert result.code == 1, result.err
        assert "not a regular file" in result.out
    good = MAP.replace("uses: [{uses}]\n", "").replace("        persona: sam\n", "")
    (project / "m.journey.yaml").write_text(good, "utf-8")
    (project / "out").mkdir()
    (project / "out" / "m.mmd").symlink_to("/dev/zero")
    result = run_process(
        "render", "m.journey.yaml", "-o", "out", "-f", "mermaid", "--check", cwd=project
    )
    assert result.code == 1
    assert "out/m.mmd" in result.out


def test_cache_is_not_stale_after_links_change(project: Path) -> None:
    """Item 9: a retargeted `uses` link, and a map that is itself a link."""
    env = _cache_env(project)
    (project / "with-sam.yaml").write_text(LIBRARY.format(persona="sam"), "utf-8")
    (project / "without.yaml").write_text(LIBRARY.format(persona="pat"), "utf-8")
    (project / "lib.yaml").symlink_to("with-sam.yaml")
    (project / "m.journey.yaml").write_text(MAP.format(uses="lib.yaml"), "utf-8")
    assert run("validate", "m.journey.yaml", cwd=project, env=env).code == 0
    (project / "lib.yaml").unlink()
    (project / "lib.yaml").symlink_to("without.yaml")
    retargeted = run("validate", "m.journey.yaml", cwd=project, env=env)
    assert retargeted.code == 1, "a stale 'valid' from the cache"
    assert "unknown persona 'sam'" in retargeted.out

    real, linked = project / "real", project / "linked"
    real.mkdir()
    linked.mkdir()
    (real / "lib.yaml").write_text(LIBRARY.format(persona="sam"), "utf-8")
    (linked / "lib.yaml").write_text(LIBRARY.format(persona="sam"), "utf-8")
    (real / "m.yaml").write_text(MAP.format(uses="lib.yaml"), "utf-8")
    (linked / "m.journey.yaml").symlink_to("../real/m.yaml")
    assert run("validate", "linked/m.journey.yaml", cwd=project, env=env).code == 0
    (real / "lib.yaml").write_text(LIBRARY.format(persona="pat"), "utf-8")  # what it uses
    edited = run("validate", "linked/m.journey.yaml", cwd=project, env=env)
    assert edited.code == 1, "a stale 'valid' from the cache"


def _installed(root: Path, files: dict[str, str]) -> dict[str, types.ModuleType]:
    """Stand-ins for installed pydantic and PyYAML packages made of `files` under `root`, as
    the modules `importlib.util.find_spec` finds (it answers from sys.modules)."""
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, "utf-8")
    modules = {}
    for package in ("pydantic", "yaml"):
        folder = root / package
        folder.mkdir(exist_ok=True)
        module = types.ModuleType(package)
        module.__spec__ = importlib.util.spec_from_file_location(
            package, folder / "__init__.py", submodule_search_locations=[str(folder)]
        )
        modules[package] = module
    return modules


def test_cache_key_includes_pydantic_and_pyyaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Item 9: results of another pydantic or PyYAML (or PyYAML without libyaml) are not
    reused; the same versions installed elsewhere (a fresh CI machine) give the same key."""
    import importlib.util

    cache = ResultCache(tmp_path, "validate", "salt")
    installs = {
        "base": {
            "pydantic/version.py": "VERSION = '2.11.0'\n",
            "yaml/__init__.py": "__version__ = '6.0.2'\n",
            "yaml/_yaml.so": "",
        },
        "same, elsewhere": {
            "pydantic/version.py": "VERSION = '2.11.0'\n",
            "yaml/__init__.py": "__version__ = '6.0.2'\n",
            "yaml/_yaml.so": "",
        },
        "another pydantic": {
            "pydantic/version.py": "VERSION = '2.12.0'\n",
            "yaml/__init__.py": "__version__ = '6.0.2'\n",
            "yaml/_yaml.so": "",
        },
        "another PyYAML": {
            "pydantic/version.py": "VERSION = '2.11.0'\n",
            "yaml/__init__.py": "__version__ = '6.0.3'\n",
            "yaml/_yaml.so": "",
        },
        "no libyaml": {
            "pydantic/version.py": "VERSION = '2.11.0'\n",
            "yaml/__init__.py": "__version__ = '6.0.2'\n",
        },
    }
    keys = {}
    for number, (name, files) in enumerate(installs.items()):
        cache_module._dependencies.cache_clear()
        with monkeypatch.context() as patched:
            for package, module in _installed(tmp_path / str(number), files).items():
                patched.setitem(sys.modules, package, module)
            assert importlib.util.find_spec("yaml") is sys.modules["yaml"].__spec__
            keys[name] = cache.key(b"x", "m.yaml", "config")
    cache_module._dependencies.cache_clear()
    assert keys["same, elsewhere"] == keys["base"]
    others = [keys[name] for name in installs if name not in ("base", "same, elsewhere")]
    assert len({keys["base"], *others}) == 1 + len(others)
    assert cache.key(b"x", "m.yaml", "config") not in keys.values()  # the real ones


def test_symlinked_output_folder_does_not_write_outside(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Item 10: `journeys -> /somewhere` committed by a PR: refused, exit 2, saying why."""
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (project / "journeys").symlink_to(elsewhere)
    good = MAP.replace("uses: [{uses}]\n", "").replace("        persona: sam\n", "")
    (project / "m.journey.yaml").write_text(good, "utf-8")
    result = run("render", "m.journey.yaml", "-o", "journeys", "-f", "mermaid", cwd=project)
    assert result.code == 2
    assert "outside it, through a symbolic link" in result.err
    assert list(elsewhere.iterdir()) == []
    absolute = run("render", "m.journey.yaml", "-o", str(elsewhere), "-f", "mermaid", cwd=project)
    assert absolute.code == 0, absolute.err  # named explicitly: the user's choice
    assert (elsewhere / "m.mmd").exists()


def test_no_output_goes_through_a_committed_link_to_another_folder(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """`results -> /somewhere` committed by a PR: `lint --output`, `diff --output` and
    `measure -o` refuse it as `render -o` does, before making any folder there."""
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (project / "results").symlink_to(elsewhere)
    good = MAP.replace("uses: [{uses}]\n", "").replace("        persona: sam\n", "")
    (project / "m.journey.yaml").write_text(good, "utf-8")
    (project / "events.csv").write_text("user,event,time\nu1,e,2026-01-01T00:00:00Z\n")
    commands = {
        "results/jm.sarif": (
            "lint",
            "m.journey.yaml",
            "--isolated",
            "--format",
            "sarif",
            "--output",
        ),
        "results/sub/d.md": ("diff", "m.journey.yaml", "m.journey.yaml", "--output"),
        "results/m.json": (
            "measure",
            "m.journey.yaml",
            "--isolated",
            "--events",
            "events.csv",
            "-o",
        ),
    }
    for target, command in commands.items():
        result = run(*command, target, cwd=project)
        assert result.code == 2, (command, result.err)
        assert f"cannot write {target}: the folder results" in result.err, result.err
        assert "leads to" in result.err and "through a symbolic link" in result.err
    assert list(elsewhere.iterdir()) == []
    named = run("lint", "m.journey.yaml", "--output", str(elsewhere / "jm.txt"), cwd=project)
    assert named.code in (0, 1), named.err  # named explicitly: the user's choice
    assert (elsewhere / "jm.txt").exists()


def test_a_dot_dot_after_a_committed_link_goes_up_from_where_it_leads(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """`deep -> /somewhere/a`: `deep/../x` is /somewhere/x to the system, not ./x, and is
    refused like `deep/x`."""
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "a").mkdir()
    (project / "deep").symlink_to(elsewhere / "a")
    good = MAP.replace("uses: [{uses}]\n", "").replace("        persona: sam\n", "")
    (project / "m.journey.yaml").write_text(good, "utf-8")
    linted = run("lint", "m.journey.yaml", "--isolated", "--output", "deep/../up.txt", cwd=project)
    rendered = run("render", "m.journey.yaml", "-f", "mermaid", "-o", "deep/../r", cwd=project)
    for result in (linted, rendered):
        assert result.code == 2 and "through a symbolic link" in result.err, result.err
    assert sorted(p.name for p in elsewhere.iterdir()) == ["a"]
    assert list((elsewhere / "a").iterdir()) == []


def test_a_cache_folder_in_the_checkout_follows_no_committed_link(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """JOURNEYMAP_CACHE_DIR inside the checkout (the job's choice), with links a PR committed
    there: no folder or `.gitignore` is made outside through them."""
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    good = MAP.replace("uses: [{uses}]\n", "").replace("        persona: sam\n", "")
    (project / "m.journey.yaml").write_text(good, "utf-8")
    (project / "c1").mkdir()
    (project / "c1" / ".gitignore").symlink_to(elsewhere / "created-by-pr")
    (project / "c2").symlink_to(elsewhere)
    for cache in ("c1", "c2"):
        result = run(
            "render",
            "m.journey.yaml",
            "-f",
            "mermaid,svg",
            "-o",
            "out",
            cwd=project,
            env={"JOURNEYMAP_CACHE_DIR": cache},
        )
        assert result.code == 0, result.err
    assert list(elsewhere.iterdir()) == []
    assert (project / "c1" / ".gitignore").is_symlink()  # left as it was, not written through
    assert any((project / "c1").iterdir())  # the cache itself works


def test_a_committed_link_to_a_device_is_replaced_not_written_through(project: Path) -> None:
    """`maps/m.html -> /dev/stdout` committed by a PR: the page must not reach the job's log
    (where a line `::warning::...` in map text would be a workflow command)."""
    good = MAP.replace("uses: [{uses}]\n", "").replace("        persona: sam\n", "")
    (project / "m.journey.yaml").write_text(good, "utf-8")
    (project / "maps").mkdir()
    for name in ("m.html", "m.mmd"):
        (project / "maps" / name).symlink_to("/dev/stdout")
    (project / "report.json").symlink_to("/dev/stdout")
    result = run_process(
        "render", "m.journey.yaml", "-o", "maps", "-f", "html,mermaid", cwd=project
    )
    assert result.code == 0, result.err
    linted = run_process(
        "lint", "m.journey.yaml", "--format", "json", "--output", "report.json", cwd=project
    )
    assert linted.code in (0, 1), linted.err
    assert result.out == "" and linted.out == ""
    for written in (
        project / "maps" / "m.html",
        project / "maps" / "m.mmd",
        project / "report.json",
    ):
        assert not written.is_symlink() and written.is_file()
    assert "<!doctype html>" in (project / "maps" / "m.html").read_text("utf-8")
    # A device the user names is still written in place.
    named = run_process(
        "lint", "m.journey.yaml", "--format", "json", "--output", "/dev/stdout", cwd=project
    )
    assert named.code in (0, 1), named.err
    assert (
        json.loads(named.out)["findings"]
        == json.loads((project / "report.json").read_text("utf-8"))["findings"]
    )


@pytest.fixture
def server(project: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, int]]:
    from journeymap import serve
    from journeymap.serve.server import Handler

    monkeypatch.setattr(Handler, "timeout", 1.0)
    good = MAP.replace("uses: [{uses}]\n", "").replace("        persona: sam\n", "")
    (project / "m.journey.yaml").write_text(good, "utf-8")
    preview = serve.Preview(project / "m.journey.yaml", isolated=True)
    preview.refresh()
    httpd = serve.PreviewServer(preview, 0, max_connections=8)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield serve.HOST, httpd.server_address[1]
    finally:
        preview.stop()
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_serve_caps_threads_and_times_out_half_open_connections(
    server: tuple[str, int],
) -> None:
    """Item 14: 100 half-open connections hold at most the cap of threads, for a while."""
    host, port = server
    before = threading.active_count()
    sockets = [socket.create_connection((host, port)) for _ in range(100)]
    try:
        time.sleep(0.5)
        assert threading.active_count() <= before + 8
        deadline = time.monotonic() + 10
        while threading.active_count() > before and time.monotonic() < deadline:
            time.sleep(0.1)  # the handlers time out and close their connections
        assert threading.active_count() <= before
        request = urllib.request.Request(f"http://{host}:{port}/state")
        with urllib.request.urlopen(request, timeout=5) as response:  # still serving
            assert response.status == 200
    finally:
        for sock in sockets:
            sock.close()
