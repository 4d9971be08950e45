"""The page the browser opens (`/`): a header, the errors, the rendered page in an iframe.

Its script listens to Server-Sent Events (`/events`) and reloads the iframe, or shows the errors,
when a new snapshot is published. The rendered pages keep their own strict
Content-Security-Policy, which is why the reload script lives here and not in them; the shell's
own policy allows only its inline script and style, by hash.
"""

from __future__ import annotations

import html

from journeymap.csp import csp_hash
from journeymap.serve.preview import Snapshot

_STYLE = """
body{margin:0;font:15px/1.4 system-ui,sans-serif;display:flex;flex-direction:column;height:100vh}
header{padding:.4rem .8rem;background:#222;color:#eee;display:flex;gap:1rem;align-items:center}
header strong{font-weight:600}#status{margin-left:auto;font-size:.85rem;color:#bbb}
#errors{margin:0;padding:.8rem 1rem;background:#fff1f0;color:#5c0011;
border-bottom:2px solid #cf1322}
#errors h2{margin:0 0 .4rem;font-size:1rem}#errors ul{margin:0;padding-left:1.2rem}
#errors li{font-family:ui-monospace,monospace;white-space:pre-wrap;margin:.15rem 0}
iframe{flex:1;border:0;width:100%}[hidden]{display:none!important}
"""

_SCRIPT = """
(() => {
  const frame = document.getElementById("view");
  const box = document.getElementById("errors");
  const list = document.getElementById("error-list");
  const heading = document.getElementById("errors-title");
  const status = document.getElementById("status");
  let version = Number(document.body.dataset.version);
  function show(state) {
    list.replaceChildren(...state.errors.map((text) => {
      const item = document.createElement("li");
      item.textContent = text;
      return item;
    }));
    heading.textContent = state.heading;
    box.hidden = state.errors.length === 0;
    if (state.entry) {
      frame.hidden = false;
      if (frame.dataset.entry !== state.entry) {
        frame.dataset.entry = state.entry;
        frame.src = "/view/" + state.entry;
      } else {
        frame.contentWindow.location.reload();
      }
    } else {
      frame.hidden = true;
    }
    version = state.version;
    document.body.dataset.version = String(version);
    status.textContent = "updated " + new Date().toLocaleTimeString();
  }
  const events = new EventSource("/events");
  events.onmessage = async (event) => {
    if (Number(event.data) === version) return;
    const response = await fetch("/state", {cache: "no-store"});
    show(await response.json());
  };
  events.onerror = () => { status.textContent = "reconnecting…"; };
  events.onopen = () => { status.textContent = "live"; };
})();
"""


SHELL_CSP = (
    f"default-src 'none'; script-src {csp_hash(_SCRIPT)}; style-src {csp_hash(_STYLE)}; "
    "connect-src 'self'; frame-src 'self'; img-src data:; base-uri 'none'; form-action 'none'"
)


def shell_page(snapshot: Snapshot, target: str) -> bytes:
    errors = "".join(f"<li>{html.escape(e)}</li>" for e in snapshot.errors)
    entry = snapshot.entry
    frame = (
        f'<iframe id="view" title="Rendered journey map" src="/view/{html.escape(entry)}" '
        f'data-entry="{html.escape(entry)}"></iframe>'
        if entry
        else '<iframe id="view" title="Rendered journey map" hidden></iframe>'
    )
    page = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(target)} · journeymap serve</title>
<style>{_STYLE}</style>
</head>
<body data-version="{snapshot.version}">
<header><strong>journeymap serve</strong><span>{html.escape(target)}</span>
<span id="status" role="status">live</span></header>
<section id="errors" aria-labelledby="errors-title"{"" if errors else " hidden"}>
<h2 id="errors-title">{html.escape(snapshot.heading)}</h2>
<ul id="error-list">{errors}</ul>
</section>
{frame}
<script>{_SCRIPT}</script>
</body>
</html>
"""
    return page.encode("utf-8")
