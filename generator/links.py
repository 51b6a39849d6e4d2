"""Which links a roadmap may hold: the check refuses the others (L001), and the renderer
never prints one it has not asked about here."""

from __future__ import annotations

import re

_SAFE_LINK = re.compile(r"^(https?://[^\s]+|mailto:[^\s]+|(?![a-zA-Z][a-zA-Z0-9+.-]*:)[^\s]*)$")
# A relative link is a path to a page of the site, with perhaps a query and an anchor:
# letters, digits and the characters of a URL's path, nothing from Markdown or HTML.
_RELATIVE = re.compile(r"[A-Za-z0-9._~!$*+,;=@%/?#-]*")


def safe_link(value: str) -> bool:
    """https:, http:, mailto: or relative. A relative link holds only what a path to a page
    needs: no "&" (a browser reads "&#106;avascript:" in an attribute as "javascript:"), no
    "\\" (it reads "/\\host" as "//host"), no ":" or Markdown or HTML syntax (which the
    builders cannot resolve as a page, so a strict build would stop on it)."""
    if not _SAFE_LINK.fullmatch(value) or value.startswith("//") or "\\" in value \
            or not value.isprintable():  # control and invisible characters
        return False
    return value.startswith(("https://", "http://", "mailto:")) or _RELATIVE.fullmatch(value) is not None
