"""The names a configuration chooses among whose registries sit in the layers above it: the
render formats and the themes. The command line offers them without importing the renderers,
and the configuration is checked against them when it is read; tests/test_startup.py holds
each list to its registry.
"""

from __future__ import annotations

RENDERER_NAMES = ("html", "svg", "png", "pdf", "dot", "mermaid")
THEME_NAMES = ("default", "high-contrast")
