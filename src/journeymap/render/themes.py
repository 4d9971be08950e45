"""Themes: plain dicts of colours and fonts, shared by the HTML page and the flow diagram.

Every theme has the same keys. Emotion colours are always paired with a text label in the
output, so a theme may use any palette without making colour the only signal. The emotion
fills are a red-blue diverging scale, which stays distinct under the common colour-vision
deficiencies (red-green ones included; the browser tests simulate them), and the emotion
curve's lines per persona differ by dash as well as by colour.
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
    "emotion_-2": "#b2182b",
    "emotion_-1": "#f4a582",
    "emotion_0": "#e3e5e8",
    "emotion_1": "#92c5de",
    "emotion_2": "#2166ac",
    "emotion_none": "#ffffff",
    "emotion_line": "#1f2933",
    "negative_zone": "#fbeeee",
    "stage_head": "#1d3a5c",
    "stage_head_alt": "#2f5d8a",
    "stage_text": "#ffffff",
    "stage_rule": "#1d3a5c",
    "series_0": "#1d3a5c",
    "series_1": "#c0430a",
    "series_2": "#00704f",
    "series_3": "#8a3b78",
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
    "emotion_-2": "#8b0000",
    "emotion_-1": "#f4a582",
    "emotion_0": "#ffffff",
    "emotion_1": "#92c5de",
    "emotion_2": "#08306b",
    "emotion_none": "#ffffff",
    "emotion_line": "#000000",
    "negative_zone": "#eeeeee",
    "stage_head": "#000000",
    "stage_head_alt": "#000000",
    "stage_text": "#ffffff",
    "stage_rule": "#000000",
    "series_0": "#000000",
    "series_1": "#8b0000",
    "series_2": "#00306e",
    "series_3": "#3d1a6e",
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
