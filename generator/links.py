"""Which links a roadmap may hold: the check refuses the others (L001), and the renderer
never prints one it has not asked about here."""

from __future__ import annotations

import re

_SAFE_LINK = re.compile(r"^(https?://[^\s]+|mailto:[^\s]+|(?![a-zA-Z][a-zA-Z0-9+.-]*:)[^\s]*)$")


def safe_link(value: str) -> bool:
    """https:, http:, mailto: or relative. A relative link may not hold "&" (a browser reads
    "&#106;avascript:" in an attribute as "javascript:") or "\\" (it reads "/\\host" as "//host")."""
    if not _SAFE_LINK.fullmatch(value) or value.startswith("//") or "\\" in value \
            or not value.isprintable():  # control and invisible characters
        return False
    return value.startswith(("https://", "http://", "mailto:")) or "&" not in value
