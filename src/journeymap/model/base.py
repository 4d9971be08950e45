"""What every model of the format shares: the base classes, slugs, text, emotions, numbers.

`Model` forbids unknown keys (`x-` extension keys are dropped by the loader before validation
and allowed by the schema); `Located` is a model that lint findings can point at.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, StringConstraints

FORMAT_VERSION = 1
SLUG_PATTERN = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$"
# In Python use SLUG_RE.fullmatch: `$` alone also matches before a final newline ("abc\n").
SLUG_RE = re.compile(SLUG_PATTERN)

Slug = Annotated[
    str,
    StringConstraints(strict=True, pattern=SLUG_PATTERN),
    Field(
        description="A slug: lowercase letters and digits, words joined by `-` or `_`.",
        examples=["sees-ad"],
    ),
]
Text = Annotated[str, StringConstraints(min_length=1)]
Emotion = Annotated[
    int,
    Field(
        strict=True,
        ge=-2,
        le=2,
        description="How the customer feels: -2 (very negative) to +2 (very positive).",
    ),
]
Number = StrictInt | StrictFloat


def text_to_object(value: Any) -> Any:
    """List entries may be plain text, shorthand for `{text: ...}`."""
    return {"text": value} if isinstance(value, str | int | float) else value


class Model(BaseModel):
    """A part of the format: unknown keys are errors; a number where text belongs is text."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=False,
        coerce_numbers_to_str=True,
        allow_inf_nan=False,
        populate_by_name=False,
        json_schema_extra={"patternProperties": {"^x-": {}}},
    )


class Located(Model):
    """A model that lint findings can point at: where it stands in which file.

    Plain slots rather than pydantic private attributes: those add a post-init hook to every
    instance, 5% of checking a typical map.
    """

    __slots__ = ("_jm_file", "_jm_pointer")

    def locate(self, file: str, pointer: str) -> None:
        object.__setattr__(self, "_jm_file", file)
        object.__setattr__(self, "_jm_pointer", pointer)

    @property
    def source_file(self) -> str:
        return str(getattr(self, "_jm_file", ""))

    @property
    def pointer(self) -> str:
        return str(getattr(self, "_jm_pointer", ""))
