"""Hostile text for map fields, and what a page that escaped it properly must (not) contain."""

from __future__ import annotations

import html.parser
from dataclasses import dataclass, field

#: Each tries to break out of one output format, or to run or load something in a page. The
#: ones that could run script set `window.__pwned`, which the browser tests look for.
HOSTILE = [
    "<script>window.__pwned = 1</script>",
    '"><img src=x onerror="window.__pwned=1">',
    "'><svg onload=window.__pwned=1>",
    "</textarea></style></script><script>window.__pwned=1</script>",
    '<iframe src="javascript:window.parent.__pwned=1"></iframe>',
    '<a href="javascript:window.__pwned=1">click</a>',
    "<img src=https://evil.example/beacon.png>",
    "<link rel=stylesheet href=https://evil.example/x.css>",
    "<style>@import url(https://evil.example/x.css); body{background:url(//e.example/b)}</style>",
    "<base href=https://evil.example/>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "{{ 7*7 }} {{ config }} {% for x in range(10**9) %}{% endfor %} ${7*7} #{7*7}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "<!-- -->--> <![CDATA[ ]]> &amp; &lt;script&gt; &#x3C;script&#x3E;",
    '" onmouseover="window.__pwned=1" x="',
    "' onfocus='window.__pwned=1' autofocus='",
    'label="x"]; evil [label="y"',
    '\\"; node [shape=box]; x -> y; "',
    "<<b>html-like</b>> <font color='red'>x</font>",
    "A]-->B[x\"]; click A call alert(1); %%{init: {'securityLevel':'loose'}}%%",
    "graph TD; A-->B; style A fill:#f00",
    "%0A::error::injected %0D%0A ::set-output name=x::y :: ::add-mask::secret",
    "line one\r\n::warning file=x::injected\n::stop-commands::token",
    "100% of 50%% ,:;=",
    "\u202eevil\u202c \u2066isolate\u2069 \u200f",
    "\x1b[31mred\x1b[0m \x1b]8;;https://evil.example\x07link\x1b]8;;\x07 \x07\x08",
    "nul\x00byte",
    "\ufeffbom \u2028line separator\u2029 \x85next line",
    "emoji 😀 👩‍👩‍👧 CJK 顧客旅程 Arabic رحلة العميل",
    "</svg><script>window.__pwned=1</script>",
    "javascript:window.__pwned=1",
    "]]><x/>",
    '{"json": "breakout"}\'',
    "a" * 2000,
]


@dataclass
class PageScan(html.parser.HTMLParser):
    """What a rendered page holds that map text could have planted."""

    scripts: int = 0
    styles: int = 0
    csp: str | None = None
    event_handlers: list[str] = field(default_factory=list)
    links: list[tuple[str, str | None]] = field(default_factory=list)  # (href, rel)
    resources: list[str] = field(default_factory=list)  # src= / href= that a browser would load
    bad_tags: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script":
            self.scripts += 1
        elif tag == "style":
            self.styles += 1
        elif tag == "meta" and (values.get("http-equiv") or "").lower() == (
            "content-security-policy"
        ):
            self.csp = values.get("content")
        elif tag == "a" and "href" in values:
            self.links.append((values["href"] or "", values.get("rel")))
        if tag in ("iframe", "object", "embed", "base", "form", "link", "img", "svg:img"):
            src = values.get("src") or values.get("href") or values.get("data") or ""
            if not src.startswith("data:"):
                self.bad_tags.append(f"<{tag} {src}>")
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            self.bad_tags.append("<meta refresh>")
        for name, value in attrs:
            if name.startswith("on"):
                self.event_handlers.append(f"{tag} {name}={value}")
            loads = tag != "a" and name in ("src", "href", "xlink:href", "action", "formaction")
            if loads and value and not value.startswith(("#", "data:")):
                self.resources.append(f"{tag} {name}={value}")


def scan(page: str) -> PageScan:
    scanner = PageScan()
    scanner.feed(page)
    scanner.close()
    return scanner
