"""Making untrusted text safe for each place journeymap writes it: one function per sink.

Map text, file names and configuration keys come from whoever opened the pull request. They
reach an output only through the function for that output, which leaves them inert there:

| sink | function |
|---|---|
| terminal and log lines (GitHub reads commands on stdout and stderr) | `terminal`, `line_start` |
| GitHub Flavored Markdown (PR comments, the job summary) | `markdown`, `markdown_code` |
| GitHub workflow commands | `workflow_data`, `workflow_property` |
| XML (JUnit) | `xml_text` |
| an XML comment (the map an SVG file was made from) | `xml_comment` |
| Graphviz DOT strings and HTML-like labels | `dot_string`, `dot_html` |
| an HTML `href` | `href` |

(HTML and SVG pages are escaped by Jinja's autoescape; Mermaid by `render.mermaid`; JSON by the
JSON encoder.) `tests/security/test_escape_*.py` reads each output back with its consumer.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Control characters (C0, DEL, C1: they move a terminal's cursor, recolour it, or end a line,
# and a line that starts with `::` is a GitHub workflow command), line and paragraph
# separators, and bidirectional marks, embeddings, overrides and isolates (which make text
# read as other text).
_UNSAFE = [
    *range(32),
    *range(127, 160),
    0x061C,  # ARABIC LETTER MARK
    0x200E,  # LEFT-TO-RIGHT MARK
    0x200F,  # RIGHT-TO-LEFT MARK
    0x2028,
    0x2029,
    *range(0x202A, 0x202F),  # LRE, RLE, PDF, LRO, RLO
    *range(0x2066, 0x206A),  # LRI, RLI, FSI, PDI
]
_SURROGATES = range(0xD800, 0xE000)  # a file name that is not UTF-8 (os.fsdecode's escapes)
_TERMINAL = dict.fromkeys(_UNSAFE, "?") | dict.fromkeys(_SURROGATES, "\ufffd") | {9: " "}


def terminal(text: str) -> str:
    """One line of text fit for a terminal or a CI log: no control character (newlines and
    carriage returns included), no bidirectional override, no lone surrogate."""
    # Everything replaced is non-printable, so a printable text (most are) is already safe.
    return text if text.isprintable() else text.translate(_TERMINAL)


def line_start(text: str) -> str:
    """`terminal`, for text that starts a line (a file name before `:line:column:`): a name
    such as `::error file=README.md::Fake.journey.yaml` needs no newline to be a workflow
    command, so one that would start with `::` (GitHub's runner skips leading spaces) is
    shown as `./::...`, the same file."""
    safe = terminal(text)
    return "./" + safe if safe.lstrip().startswith("::") else safe


# Markdown: HTML's special characters as entities; the punctuation that Markdown or GitHub
# gives a meaning inside a line (code, emphasis, links and images, table cells, strikethrough,
# math, headings) backslash-escaped; `@` followed by a zero-width space, so that `@someone`
# and `a@b.example` neither ping nor autolink. (Map text never starts a line of the output,
# so list and block markers are plain text where it goes.)
_MARKDOWN = (
    {ord(c): "\\" + c for c in "\\`*_[]|~$#"}
    | {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord("@"): "@\u200b"}
    | dict.fromkeys(_UNSAFE, "?")
    | dict.fromkeys(_SURROGATES, "\ufffd")
)


def markdown(text: str) -> str:
    """Inline GitHub Flavored Markdown that shows `text` as plain words: no HTML, no links or
    mentions, no emphasis, no line break (so it cannot end a heading or a table row)."""
    return _AUTOLINK.sub(r"\\\g<0>", " ".join(text.split()).translate(_MARKDOWN))


# Where GitHub's autolinker starts a link without brackets (`http://`, `https://`, `ftp://`,
# `www.`): the `:` or `.` is backslash-escaped, which ends the autolinker's match.
_AUTOLINK = re.compile(r"(?<=[A-Za-z]):(?=//)|(?<=www)\.", re.IGNORECASE)


def markdown_code(text: str) -> str:
    """`text` as one inline code span (not for table cells, where `|` still splits)."""
    flat = " ".join(text.split()).translate(dict.fromkeys(_UNSAFE, "?"))
    flat = flat.translate(dict.fromkeys(_SURROGATES, "\ufffd"))
    fence = "`" * (max((len(run) for run in re.findall("`+", flat)), default=0) + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") or not flat.strip() else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def workflow_data(text: str) -> str:
    """The message of a GitHub workflow command, escaped as the Actions toolkit does."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def workflow_property(text: str) -> str:
    """A property value of a workflow command (`file=`, `title=`): also `:` and `,`."""
    return workflow_data(text).replace(":", "%3A").replace(",", "%2C")


@functools.cache
def _not_xml() -> re.Pattern[str]:
    """Characters XML 1.0 cannot hold (compiled on first use: 10 ms, which every command
    that lists the formats would pay)."""
    return re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """Text an XML 1.0 parser accepts: characters XML cannot hold at all (control characters,
    lone surrogates) become U+FFFD. Markup is escaped by the XML writer itself."""
    return _not_xml().sub("\ufffd", text)


def xml_comment(text: str) -> str:
    """Text for inside an XML comment, written as Graphviz writes its own: `-` as `&#45;` (a
    comment may not hold `--` nor end in `-`), `&`, `<` and `>` as entities, characters XML
    cannot hold as U+FFFD. A comment's entities are not read by XML: they are for whoever reads
    the text back (`render.marks`)."""
    return (
        xml_text(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("-", "&#45;")
    )


# C0/C1 control characters (but tab and newline) and the XML non-characters: Graphviz's
# HTML-like label parser is an XML parser and rejects them.
_DOT_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def dot_clean(text: str) -> str:
    """Drop control characters; tabs become spaces."""
    return _DOT_CONTROL.sub("", text).replace("\t", " ")


def dot_string(text: str) -> str:
    """A DOT double-quoted string on one line. Backslashes are doubled so Graphviz's escString
    sequences (`\\N`, `\\G`, `\\L`...) in map text stay literal."""
    body = " ".join(dot_clean(text).split()).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{body}"'


def dot_html(text: str) -> str:
    """Text for inside a Graphviz HTML-like label (an XML fragment).

    Graphviz expands `\\N`, `\\G`, `\\L` in HTML-like labels too, after decoding entities (so
    `&#92;N` does not help): a backslash is doubled. Never empty: Graphviz rejects an empty
    element (`<B></B>`), and a name may be nothing but control characters, which are dropped.
    """
    cleaned = dot_clean(text)
    if not cleaned:
        return "&#160;"
    return (
        cleaned.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
        .replace("\\", "\\\\")
    )


# What a browser strips from a URL before it looks at it (the WHATWG URL parser): C0 controls
# and spaces at either end, and tabs and newlines anywhere. Nothing else: U+00A0, U+3000 and
# the like stay, and make the URL relative.
_URL_EDGES = "".join(map(chr, range(33)))
_URL_REMOVED = {9: None, 10: None, 13: None}
_ANY_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
SAFE_SCHEMES = ("http", "https", "mailto")
_OFF_SITE = re.compile(r"[/\\]{2}")


def browser_url(url: str) -> str:
    """The URL as a browser will read it from an `href`."""
    return url.strip(_URL_EDGES).translate(_URL_REMOVED)


def unsafe_scheme(url: str) -> str | None:
    """The scheme (lowercase) that makes this URL unsafe for an `href`, or None when it is
    http, https, mailto or relative.

    Checked on exactly what a browser reads, and, to be safe from parsers that strip more, on
    the URL with every invisible character removed (Unicode spaces such as U+00A0, U+3000,
    U+2028, U+0085, U+1680, controls and format characters): a scheme hidden behind those is
    refused too.
    """
    for view in _views(url):
        match = _ANY_SCHEME.match(view)
        if match and match.group(0)[:-1].lower() not in SAFE_SCHEMES:
            return match.group(0)[:-1].lower()
    return None


def off_site(url: str) -> str | None:
    """The two slashes or backslashes (in any mix) a URL with no scheme starts with, or None.

    Such a URL looks relative but is not: a browser reads `//evil.example/login` as another
    site's address, and on an http page `\\\\evil.example` and `/\\evil.example` too.
    """
    for view in _views(url):
        if _OFF_SITE.match(view):
            return view[:2]
    return None


def _views(url: str) -> tuple[str, str]:
    """The URL as a browser reads it, and with every invisible character removed."""
    return browser_url(url), "".join(ch for ch in url if _visible(ch))


def _visible(ch: str) -> bool:
    return ch > " " and not ch.isspace() and unicodedata.category(ch)[0] not in "CZ"


def href(url: str) -> str | None:
    """The URL for an `href`: exactly the string validation checked, as the browser reads it;
    None when its scheme is not http, https or mailto (see `unsafe_scheme`), or when it leads
    to another site while looking relative (see `off_site`)."""
    if unsafe_scheme(url) is not None or off_site(url) is not None:
        return None
    return browser_url(url)
