"""Where the site is published: its address (`site_url` in `mkdocs.yml`, else the SITE_URL
environment variable, which the Pages workflow sets and the MkDocs hook reads in the same
order), for what the generator makes before MkDocs runs: calendar links and the feed's
absolute addresses. Without it the site still builds for previewing, but
`roadmap build --publish` refuses to (see generator/hooks.py)."""

from __future__ import annotations

import os
from pathlib import Path

from generator import mkdocsfile

PUBLISH_ENV = "ROADMAP_PUBLISH"  # set by `roadmap build --publish`: site_url is required


def site_url(root: Path) -> str | None:
    """The published address of the site whose roadmap folder is `root`, ending in "/", or None."""
    value = mkdocsfile.read(root).get("site_url") or os.environ.get("SITE_URL")
    if not isinstance(value, str) or not value.startswith(("https://", "http://")):
        return None
    return value if value.endswith("/") else value + "/"
