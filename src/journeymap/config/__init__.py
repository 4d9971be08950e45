"""Finding and reading the configuration.

Looked up from each input file's directory upward to the repository root: the nearest
`journeymap.toml` or `.journeymap.toml`, else a `[tool.journeymap]` table in `pyproject.toml`.
`--config PATH` or `--isolated` override the search; `--config-rev REV` searches the same way
but reads the files as they are at a git revision (the pull request's base), so that a pull
request cannot change the configuration its own check uses (docs/security.md, trust model).
"""

from journeymap.config.reader import parse, read
from journeymap.config.search import ConfigFinder, GitConfigs
from journeymap.config.settings import (
    DEFAULT_EXCLUDE,
    MAX_DEPTH_CEILING,
    SEVERITY_SETTINGS,
    THRESHOLD_ALIASES,
    Config,
    ConfigError,
)

__all__ = [
    "DEFAULT_EXCLUDE",
    "MAX_DEPTH_CEILING",
    "SEVERITY_SETTINGS",
    "THRESHOLD_ALIASES",
    "Config",
    "ConfigError",
    "ConfigFinder",
    "GitConfigs",
    "parse",
    "read",
]
