"""Bringing maps in from other tools, and the runs behind `journeymap import` and `init --from`.

Importers are modules with `import_file(path, display) -> ImportResult`, in a registry the CLI
reads its choices from; each is imported only when used (openpyxl is heavy).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Protocol

from journeymap.importers.common import ImportedMap, ImportFailure, ImportResult

# name -> (module, what it reads)
IMPORTERS: dict[str, tuple[str, str]] = {
    "mermaid": ("journeymap.importers.mermaid", "a Mermaid journey diagram (.mmd, or Markdown)"),
    "csv": ("journeymap.importers.sheet", "a spreadsheet saved as CSV, one row per step"),
    "xlsx": ("journeymap.importers.sheet", "an Excel workbook, one row per step"),
}


class Importer(Protocol):
    def __call__(self, path: Path, display: str) -> ImportResult: ...


def importer(name: str) -> Importer:
    module = importlib.import_module(IMPORTERS[name][0])
    function: Importer = getattr(module, f"import_{name}", None) or module.import_file
    return function


def kind_of(path: Path) -> str | None:
    """The importer for a file, from its name (for `init --from`)."""
    suffix = path.suffix.lower()
    if suffix in (".mmd", ".mermaid", ".md", ".markdown", ".mdown", ".mkd", ".mdx"):
        return "mermaid"
    if suffix in (".csv", ".xlsx"):
        return suffix[1:]
    return None


def run_import(kind: str, path: Path, display: str | None = None) -> ImportResult:
    """Import a file; ImportFailure when it cannot be imported at all."""
    if not path.exists():
        raise ImportFailure(f"{display or path}: no such file")
    if path.is_dir():
        raise ImportFailure(f"{display or path} is a directory, not a file")
    return importer(kind)(path, display or str(path))


__all__ = [
    "IMPORTERS",
    "ImportFailure",
    "ImportResult",
    "ImportedMap",
    "importer",
    "kind_of",
    "run_import",
]


def create_from(
    source: Path,
    path: Path | None,
    title: str | None = None,
    force: bool = False,
    schema: str | None = None,
) -> tuple[Path, ImportResult]:
    """`journeymap init --from SOURCE [PATH]`: a new map from an import, with the modeline.

    Raises InitError (exit 2) when the source cannot be imported or the file exists.
    """
    from journeymap.importers.common import write_map
    from journeymap.init import InitError, refuse_existing, schema_reference

    kind = kind_of(source)
    if kind is None:
        raise InitError(
            f"cannot tell what {source} is from its name: --from takes a Mermaid journey "
            "(.mmd, .md), a .csv or an .xlsx file"
        )
    try:
        result = run_import(kind, source, str(source))
    except ImportFailure as err:
        raise InitError(str(err)) from None
    if len(result.maps) > 1:
        raise InitError(
            f"{source} holds {len(result.maps)} journey diagrams; "
            f"`journeymap import {kind} {source} -o DIR` writes a map for each"
        )
    imported = result.maps[0]
    if title and title.strip():
        imported.data["title"] = title.strip()
    target = path if path is not None else Path(f"{imported.ident}.journey.yaml")
    if target.is_dir():
        target = target / f"{imported.ident}.journey.yaml"
    refuse_existing(target, force)
    if not target.parent.is_dir():
        raise InitError(f"{target.parent}: no such directory")
    modeline = f"# yaml-language-server: $schema={schema or schema_reference(target.parent)}"
    try:
        write_map(imported, target, [modeline])
    except ImportFailure as err:
        raise InitError(str(err)) from None
    return target, result
