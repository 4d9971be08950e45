"""DuckDB's SQL for reading event and answer files: the table function over the files, and the
expressions that turn a column of any type DuckDB gave it into text or microseconds."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from journeymap.measure.engines.common import ISO_TIME, seconds_to_micros
from journeymap.measure.sqltext import literal

NUMERIC = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "FLOAT",
    "DOUBLE",
    "DECIMAL",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
)


def seconds(number: str) -> str:
    """Microseconds from a number of seconds; NULL for NaN, infinities and from the year 10000
    on (so that `_check` reports the row, instead of a conversion error without one)."""
    return seconds_to_micros(number, "TRY_CAST(ROUND({} * 1000000) AS BIGINT)")


def text_of(column: str, kind: str) -> str:
    """A column's values as text; a JSON column (JSON Lines mixing strings and numbers) without
    the quotes JSON writes around a string."""
    return f"({column} ->> '$')" if kind.upper() == "JSON" else f"CAST({column} AS VARCHAR)"


def duckdb_time(column: str, kind: str, strict: bool = False) -> str:
    """Microseconds since 1970 from a time column of this DuckDB type; NULL when unreadable.

    `strict`: text is a time only in the ISO form every engine reads alike (`ISO_TIME`); the
    check for unreadable rows uses it, so that the query, which runs only once no row failed
    it, can take DuckDB's faster cast (a regular expression on every row of a 3M-row CSV file
    costs 0.2 s)."""
    kind = kind.upper()
    if kind.startswith(NUMERIC):
        return seconds(f"CAST({column} AS DOUBLE)")
    if kind.startswith("TIMESTAMP"):  # naive timestamps are UTC; epoch_us reads both kinds
        return f"epoch_us({column})"
    if kind == "DATE":
        return f"epoch_us(CAST({column} AS TIMESTAMP))"
    raw = text_of(column, kind)
    text = f"TRIM({raw})"
    # An ISO time first (the common case), then seconds; nothing else, though DuckDB's own
    # cast takes more (`epoch`, an offset of 25 hours) than the other engines.
    number = (
        f"CASE WHEN regexp_full_match({text}, '-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?') "
        f"THEN {seconds(f'TRY_CAST({text} AS DOUBLE)')} END"
    )
    if strict:
        iso = f"CASE WHEN regexp_full_match({text}, '{ISO_TIME}') THEN {text} END"
        return f"COALESCE(epoch_us(TRY_CAST({iso} AS TIMESTAMPTZ)), {number})"
    # An ISO time first (the common case; a number never reads as one; the cast skips spaces
    # around it), then seconds.
    return f"COALESCE(epoch_us(TRY_CAST({raw} AS TIMESTAMPTZ)), {number})"


def reader(
    files: list[Path],
    kind: str,
    *,
    lines: bool,
    text: Sequence[str] = (),
    described: dict[str, str] | None = None,
) -> str:
    """The table function reading the files. `text`: the CSV or JSON Lines columns read as
    written, as text (DuckDB would guess `yes` is a boolean, `007` the number 7, and convert a
    column's later rows to a type guessed from its first); `described`: a JSON Lines file's
    columns and their guessed types, which it then lists; `lines`: with each row's file name."""
    # Absolute: DuckDB reads a leading `~` as the home folder, so `~/x.csv` (a folder named
    # `~` in the repository, the one checked) would read the runner's own `$HOME/x.csv`.
    names = "[" + ", ".join(literal(str(p.absolute())) for p in files) + "]"
    extra = ", filename = true" if lines else ""
    if kind == "csv":
        sep = ", delim = '\t'" if files[0].suffix.lower() == ".tsv" else ""
        if text:
            pairs = ", ".join(f"{literal(name)}: 'VARCHAR'" for name in text)
            extra += f", types = {{{pairs}}}"
        # Quotes as in RFC 4180 (`"a, b"`, `""` inside): left to itself, DuckDB reads a file
        # with one unclosed quote as having no quoting at all, and every quote as text. Every
        # line is read: left to itself, DuckDB guesses that lines before the header are a
        # preamble, or that a line starting with `#` is a comment, and skips them, silently
        # (a user `#u1`'s events with them, once one line starting with `#` breaks the layout).
        quoting = ", quote = '\"', escape = '\"', skip = 0, comment = ''"
        return f"read_csv({names}, header = true, union_by_name = true{sep}{quoting}{extra})"
    if kind == "parquet":
        return f"read_parquet({names}, union_by_name = true{extra})"
    if text:  # every column's type as described, those read as text VARCHAR (not JSON)
        pairs = ", ".join(
            f"{literal(name)}: {literal('VARCHAR' if name in text else kind_of)}"
            for name, kind_of in (described or {}).items()
        )
        extra += f", columns = {{{pairs}}}"
    return f"read_json({names}, format = 'newline_delimited', union_by_name = true{extra})"
