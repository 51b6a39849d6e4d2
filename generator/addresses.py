"""Where everything the generator makes lives: each item's page and each download file.

The page renderer (generator/render/) links to pages and downloads, and the data exports
(generator/export.py) write the downloads and give each item's page address: both read
the addresses here, so neither imports the other.
"""

from __future__ import annotations

from typing import Any

from generator import model as m

OUTPUT = "roadmap"  # the folder under docs/ that the generator owns
DOWNLOADS = f"{OUTPUT}/downloads"  # the open-data files, beside their page (downloads/index.md)

# The open-data files, by name inside DOWNLOADS: the CSV tables are generator/columns.py's.
JSON_FILE = "roadmap.json"
JSON_SCHEMA_FILE = "roadmap.schema.json"
CALENDAR_FILE = "roadmap.ics"

_FOLDERS = {m.Pillar: "pillars", m.Priority: "priorities", m.Organisation: "organisations",
            m.Body: "governance", m.Measure: "measures", m.Place: "places"}


def page_of(node: Any) -> str:
    """The docs-relative path of a node's page; the URL follows from it."""
    if type(node) in _FOLDERS:
        return f"{OUTPUT}/{_FOLDERS[type(node)]}/{node.id}.md"
    match node:
        case m.Framework():
            return f"{OUTPUT}/frameworks/{node.id}/index.md"
        case m.Element():
            return f"{OUTPUT}/frameworks/{node.framework.id}/{node.id}.md"
        case m.Action():
            return f"{page_of(node.priority)}#action-{node.id}"
        case m.Review():
            return f"{OUTPUT}/learning-log.md#review-{node.id}"
        case m.Insight():
            return f"{OUTPUT}/what-we-heard.md#insight-{node.id}"
        case m.Engagement():
            return f"{OUTPUT}/what-we-heard.md#engagement-{node.id}"
        case m.Phase():
            return f"{OUTPUT}/phases.md#phase-{node.id}"
        case m.Decision():
            return f"{OUTPUT}/decisions.md#decision-{node.id}"
    raise TypeError(f"no page for {type(node).__name__}")


def url_of(node: Any) -> str:
    """The site-relative URL of a node's page (directory URLs, as MkDocs builds them)."""
    path, _, anchor = page_of(node).partition("#")
    folder = path.removesuffix("index.md") if path.endswith("index.md") else path.removesuffix(".md") + "/"
    return folder + (f"#{anchor}" if anchor else "")


def download(name: str) -> str:
    """The docs-relative path of a download file."""
    return f"{DOWNLOADS}/{name}"
