"""Finding the configuration of each map: the nearest file upward, or one at a git revision."""

from __future__ import annotations

from pathlib import Path

from journeymap.config.reader import read
from journeymap.config.settings import Config, ConfigError
from journeymap.project import (
    CONFIG_NAMES,
    PYPROJECT,
    config_file_in,
    has_journeymap_table,
    real_path,
    upward,
)


class GitConfigs:
    """The configuration files of a git revision, for `--config-rev`."""

    def __init__(self, rev: str, cwd: Path | None = None) -> None:
        self.rev = rev
        top = self._git(cwd, "rev-parse", "--show-toplevel")
        self.root = Path(top.decode("utf-8", "surrogateescape").strip()).resolve()
        try:
            self._git(cwd, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
        except ConfigError:
            raise ConfigError(f"--config-rev {rev}: unknown revision") from None
        listing = self._git(cwd, "ls-tree", "-r", "-z", "--name-only", "--full-tree", rev)
        names = (*CONFIG_NAMES, "pyproject.toml")
        self.files = {
            name
            for name in listing.decode("utf-8", "surrogateescape").split("\0")
            if name.rsplit("/", 1)[-1] in names
        }
        self.cwd = cwd

    def _git(self, cwd: Path | None, *args: str) -> bytes:
        import subprocess

        try:
            proc = subprocess.run(
                ["git", *args], cwd=cwd, capture_output=True, check=False, timeout=60
            )
        except (OSError, subprocess.SubprocessError) as err:
            raise ConfigError(f"--config-rev {self.rev}: cannot run git: {err}") from None
        if proc.returncode != 0:
            lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            raise ConfigError(
                f"--config-rev {self.rev}: git {args[0]}: {lines[-1] if lines else 'failed'}"
            )
        return proc.stdout

    def text(self, path: Path) -> str | None:
        """The file's text at the revision; None when it is not there. Outside the repository
        (a folder above the checkout, which no pull request can change) the file on disk."""
        try:
            rel = path.relative_to(self.root).as_posix()
        except ValueError:
            return path.read_text("utf-8", "replace") if path.is_file() else None
        if rel not in self.files:
            return None
        return self._git(self.cwd, "show", f"{self.rev}:{rel}").decode("utf-8", "replace")


class ConfigFinder:
    """Finds the nearest configuration for a directory, reading each file once.

    `notes` gathers the warnings about the files it has looked at (a pyproject.toml whose
    table is a near miss of `[tool.journeymap]`), each once, for the command to print."""

    def __init__(
        self, explicit: Path | None = None, isolated: bool = False, rev: str | None = None
    ) -> None:
        self._fixed: Config | None = None
        self.notes: list[str] = []
        self._rev = GitConfigs(rev) if rev is not None and explicit is None else None
        if explicit is not None:
            self._fixed = read(explicit)
            self.notes += self._fixed.notes
        elif isolated:
            self._fixed = Config()
        self._cache: dict[Path, Config] = {}
        self._by_parent: dict[Path, Config] = {}

    def for_file(self, path: Path) -> Config:
        """The configuration for a file (cached by its folder as written, no stat)."""
        if self._fixed is not None:
            return self._fixed
        cached = self._by_parent.get(path.parent)
        if cached is None:
            cached = self._by_parent[path.parent] = self._for_directory(path.parent.resolve())
        return cached

    def for_path(self, path: Path) -> Config:
        if self._fixed is not None:
            return self._fixed
        directory = real_path(path)  # (a link in a loop: its own folder's)
        if not directory.is_dir():
            directory = directory.parent
        return self._for_directory(directory)

    def _for_directory(self, directory: Path) -> Config:
        cached = self._cache.get(directory)
        if cached is not None:
            return cached
        config = self._search(directory)
        self._cache[directory] = config
        return config

    def _search(self, directory: Path) -> Config:
        """The configuration of the nearest folder upward that has one (each folder on the way
        remembers it), else the defaults rooted at the repository's top."""
        visited: list[Path] = []
        config: Config | None = None
        for folder in upward(directory):
            config = self._cache.get(folder)
            if config is not None:
                break
            visited.append(folder)
            config = self._read_in(folder)
            if config is not None:
                break
        if config is None:
            config = Config(root=visited[-1])
        for folder in visited:
            self._cache[folder] = config
        return config

    def _read_in(self, folder: Path) -> Config | None:
        """The configuration file in `folder` (at `--config-rev`'s revision, if given)."""
        if self._rev is None:
            found = config_file_in(folder)
            if found is None:
                self._near_miss(folder / PYPROJECT, None, str(folder / PYPROJECT))
                return None
            config = read(found)
            self.notes += config.notes
            return config
        for name in (*CONFIG_NAMES, PYPROJECT):
            text = self._rev.text(folder / name)
            shown = f"{self._rev.rev}:{folder / name}"
            if text is None:
                continue
            if name == PYPROJECT and not has_journeymap_table(text):
                self._near_miss(folder / name, text, shown)
                continue
            config = read(folder / name, text, shown)
            self.notes += config.notes
            return config
        return None

    def _near_miss(self, path: Path, text: str | None, shown: str) -> None:
        """Note a pyproject.toml that is no configuration, for a table named like one."""
        import tomllib

        from journeymap.config.tomltext import BOM, misspelt_tables, names_a_near_miss

        try:
            if text is None:
                if not path.is_file():
                    return
                text = path.read_text("utf-8")
            text = text.removeprefix(BOM)
            if not names_a_near_miss(text):
                return
            data = tomllib.loads(text)
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            return  # another tool's file, which is not ours to judge
        self.notes += misspelt_tables(data, text, shown)
