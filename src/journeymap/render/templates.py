"""The Jinja environment for the page templates in the top-level `templates/` directory.

In a wheel the templates are installed as `journeymap/templates`; in a source checkout (an
editable install) they are read from the repository's `templates/`.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape


def template_dir() -> Path:
    installed = resources.files("journeymap") / "templates"
    if installed.is_dir():
        return Path(str(installed))
    source = Path(__file__).resolve().parents[3] / "templates"
    if source.is_dir():
        return source
    raise FileNotFoundError("journeymap's templates are missing from this installation")


@cache
def environment() -> Environment:
    """HTML templates autoescape; `page.css` and `page.js` hold no map text at all."""
    return Environment(
        loader=FileSystemLoader(template_dir()),
        autoescape=select_autoescape(
            enabled_extensions=("html", "html.j2"),
            disabled_extensions=("css", "js"),
            default=True,
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
