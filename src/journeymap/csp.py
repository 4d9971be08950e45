"""Content-Security-Policy hashes, for the inline style and script of our pages.

A page that carries its style and script inline allows exactly those texts by their SHA-256
(`'sha256-...'` source expressions, CSP Level 2) instead of `'unsafe-inline'`.
"""

from __future__ import annotations

import base64
import hashlib


def csp_hash(text: str) -> str:
    """The CSP source expression that allows exactly this inline `text`."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"
