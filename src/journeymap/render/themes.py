"""Themes: plain dicts of colours and fonts, shared by the HTML page and the flow diagram.

Every theme has the same keys. Emotion colours are always paired with a text label in the
output, so a theme may use any palette without making colour the only signal.
"""

from __future__ import annotations

from typing import Final

Theme = dict[str, str]

_DEFAULT: Final[Theme] = {
    "font": '"Inter", "Segoe UI", system-ui, -apple-system, "Helvetica Neue", Arial, sans-serif',
    "dot_font": "Helvetica",
    "page": "#f6f7f9",
    "surface": "#ffffff",
    "text": "#1f2933",
    "muted": "#52606d",
    "border": "#d9dee4",
    "accent": "#2f5d8a",
    "accent_soft": "#e6eef6",
    "warning": "#8a4b00",
    "warning_soft": "#fff4e0",
    "error": "#a61b1b",
    "error_soft": "#fdecec",
    "ok": "#1d6b3a",
    "ok_soft": "#e7f5ec",
    "moment": "#6b3fa0",
    "moment_soft": "#f1eafa",
    "edge": "#52606d",
    "emotion_-2": "#b3362f",
    "emotion_-1": "#f2a07b",
    "emotion_0": "#d5dae1",
    "emotion_1": "#97d4ae",
    "emotion_2": "#1f7a4a",
    "emotion_none": "#ffffff",
    "emotion_line": "#2f5d8a",
}

_HIGH_CONTRAST: Final[Theme] = {
    **_DEFAULT,
    "font": '"Atkinson Hyperlegible", Verdana, "DejaVu Sans", Arial, sans-serif',
    "page": "#ffffff",
    "surface": "#ffffff",
    "text": "#000000",
    "muted": "#222222",
    "border": "#000000",
    "accent": "#00306e",
    "accent_soft": "#ffffff",
    "warning": "#5c3100",
    "warning_soft": "#ffffff",
    "error": "#8b0000",
    "error_soft": "#ffffff",
    "ok": "#004d1f",
    "ok_soft": "#ffffff",
    "moment": "#3d1a6e",
    "moment_soft": "#ffffff",
    "edge": "#000000",
    "emotion_-2": "#b00000",
    "emotion_-1": "#f0a080",
    "emotion_0": "#ffffff",
    "emotion_1": "#a0d8b0",
    "emotion_2": "#006b2e",
    "emotion_none": "#ffffff",
    "emotion_line": "#000000",
}

THEMES: Final[dict[str, Theme]] = {"default": _DEFAULT, "high-contrast": _HIGH_CONTRAST}
DEFAULT_THEME: Final = "default"

EMOTION_LABELS: Final[dict[int, str]] = {
    -2: "very negative",
    -1: "negative",
    0: "neutral",
    1: "positive",
    2: "very positive",
}


def emotion_colour(theme: Theme, emotion: int | None) -> str:
    return theme["emotion_none" if emotion is None else f"emotion_{emotion}"]


def emotion_text(emotion: int | None) -> str:
    """`+2 very positive`: the value and its word, so colour is never the only signal."""
    if emotion is None:
        return "not recorded"
    return f"{emotion:+d} {EMOTION_LABELS[emotion]}" if emotion else "0 neutral"


def text_on(theme: Theme, emotion: int | None) -> str:
    """A readable text colour on an emotion fill: white on the two strong ends."""
    return "#ffffff" if emotion in (-2, 2) else theme["text"]
