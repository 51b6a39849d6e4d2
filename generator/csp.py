"""A strict Content-Security-Policy for every built page, as a <meta> tag.

Only the site's own files may run or be loaded: scripts from the site itself, plus the
few inline scripts the theme writes into each page, each allowed by its SHA-256 hash
(computed from the page as built, so the policy allows exactly what is there). Nothing
may be loaded from another host, no plugin, no <base> or form to elsewhere. A meta tag
cannot set frame-ancestors or report-uri; a host that can send headers should add them.
"""

from __future__ import annotations

import base64
import hashlib
import re

_INLINE_SCRIPT = re.compile(r"<script(?:\s[^>]*)?>(.*?)</script>", re.DOTALL | re.IGNORECASE)
_HEAD = re.compile(r"<head(?:\s[^>]*)?>", re.IGNORECASE)


def _hash(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"


def policy(html: str) -> str:
    """The policy for one page: its inline scripts (those without src) by hash."""
    hashes = sorted({_hash(m[1]) for m in _INLINE_SCRIPT.finditer(html)
                     if "src=" not in m[0].split(">", 1)[0]})
    return "; ".join([
        "default-src 'self'",
        " ".join(["script-src 'self'", *hashes]),
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ])


def with_policy(html: str) -> str:
    """The page with its policy as the first thing in <head>, before any script runs."""
    head = _HEAD.search(html)
    if head is None:
        return html
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(html)}">'
    return html[:head.end()] + meta + html[head.end():]
