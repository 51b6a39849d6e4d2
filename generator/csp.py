"""A strict Content-Security-Policy for every built page, as a <meta> tag.

Only the site's own files may run or be loaded: scripts from the site itself, plus the
few inline scripts the theme writes into each page (and the style element that sets the
publisher's colour), each allowed by its SHA-256 hash
(computed from the page as built, so the policy allows exactly what is there). Nothing
may be loaded from another host, no plugin, no <base> or form to elsewhere. A meta tag
cannot set frame-ancestors or report-uri; a host that can send headers should add them.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html import unescape

_INLINE_SCRIPT = re.compile(r"<script(?:\s[^>]*)?>(.*?)</script>", re.DOTALL | re.IGNORECASE)
_INLINE_STYLE = re.compile(r"<style(?:\s[^>]*)?>(.*?)</style>", re.DOTALL | re.IGNORECASE)
# style="…", style='…' or an unquoted style=… (the minifier drops quotes it does not need)
_STYLE_ATTR = re.compile(r"""\sstyle=(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE)
_HEAD = re.compile(r"<head(?:\s[^>]*)?>", re.IGNORECASE)
_CHARSET = re.compile(r"\s*<meta\s+charset=[^>]*>", re.IGNORECASE)


def _hash(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"


def policy(html: str) -> str:
    """The policy for one page: its inline scripts (those without src) and style elements
    (the publisher's colour) by hash."""
    hashes = sorted({_hash(m[1]) for m in _INLINE_SCRIPT.finditer(html)
                     if "src=" not in m[0].split(">", 1)[0]})
    styles = sorted({_hash(m[1]) for m in _INLINE_STYLE.finditer(html)})
    # Style attributes (the timeline's bar positions) by hash too: CSP 3's 'unsafe-hashes'
    # allows exactly these values and nothing else.
    attrs = sorted({_hash(unescape(next(g for g in m.groups() if g is not None)))
                    for m in _STYLE_ATTR.finditer(html)})
    return "; ".join([
        "default-src 'self'",
        " ".join(["script-src 'self'", *hashes]),
        " ".join(["style-src 'self'", *styles]),
        *([" ".join(["style-src-attr 'unsafe-hashes'", *attrs])] if attrs else []),
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ])


def with_policy(html: str) -> str:
    """The page with its policy first in <head> (after its charset), before any script runs."""
    head = _HEAD.search(html)
    if head is None:
        return html
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(html)}">'
    at = head.end()
    charset = _CHARSET.match(html, at)  # the charset must stay within the first 1024 bytes
    if charset:
        at = charset.end()
    return html[:at] + meta + html[at:]
