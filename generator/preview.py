"""Quick previews: `mkdocs serve --dirty` rebuilds only the pages whose Markdown changed,
and the generator rewrites only the pages a YAML edit changed, so an edit shows in about
a second instead of after a full rebuild.

MkDocs' dirty mode alone would get three things wrong, which this module puts right:
- pages it does not re-read lose their titles, so sidebars would list blank entries:
  they get the title of their generated page's heading instead;
- Material's search would index only the pages rebuilt: it starts from the last
  build's index, less those pages;
- a change to the navigation (a title, a new or removed page) changes the sidebar of
  every page: the quick build shows the edited pages, and a full rebuild follows at once.
"""

from __future__ import annotations

import logging
import os
import re
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.utils import meta

from generator.addresses import OUTPUT
from generator.pipeline import Result
from generator.write import MANIFEST

log = logging.getLogger("mkdocs.hooks.roadmap")
_ESCAPED = re.compile(r"\\(.)")  # escape_text's backslashes; its HTML entities stay (nav titles print raw)


class Preview:
    """The state of one `mkdocs serve --dirty` session, kept across its rebuilds."""

    def __init__(self) -> None:
        self.nav_seen: str | None = None
        self.full_next = True  # the first build is a full one anyway
        self.search_index: Any = None  # the last build's, whole

    def before_pages(self, config: MkDocsConfig, files: Files, result: Result) -> None:
        """Choose the pages to rebuild (MkDocs rebuilds a page whose built file is gone or old)."""
        headings = {path: heading(text) for path, text in result.pages.items()}
        nav_now = repr((config.nav, sorted(headings.items())))
        full = self.full_next
        self.full_next = nav_now != self.nav_seen and self.nav_seen is not None and not full
        self.nav_seen = nav_now
        rebuilt = set()
        for file in files.documentation_pages():
            if full or (not file.src_uri.startswith(f"{OUTPUT}/") and _uses_macros(file)):
                _forget_built(file)
            if file.is_modified():
                rebuilt.add(file.url.removeprefix("./"))  # as search locations write it
            elif file.page is not None and file.src_uri in headings:
                file.page.title = headings[file.src_uri]
        self._carry_search_index(config, rebuilt, full)
        log.info("preview: rebuilding %s", "every page" if full else f"{len(rebuilt)} changed page(s)"
                 + (", then every page for the new navigation" if self.full_next else ""))

    def _carry_search_index(self, config: MkDocsConfig, rebuilt: set[str], full: bool) -> None:
        """Material's search indexes the pages built now: it starts from the last build's
        entries, less those of the pages being rebuilt. (Its own dirty-mode merge keeps one
        rebuilt page's old entries out, and drops everything when that page is the home page.)"""
        search = config.plugins.get("material/search")
        if search is None:
            return
        search.search_index_prev = None
        if self.search_index is not None and not full:
            search.search_index.entries = [e for e in self.search_index.entries
                                           if e["location"].partition("#")[0] not in rebuilt]

    def after_build(self, config: MkDocsConfig) -> None:
        """Keep the whole search index; after a quick build that changed the navigation, start
        the full one: touching the generator's own manifest in the watched docs folder makes
        `mkdocs serve` rebuild."""
        search = config.plugins.get("material/search")
        self.search_index = getattr(search, "search_index", None)
        if self.full_next:
            manifest = os.path.join(config.docs_dir, OUTPUT, MANIFEST)
            if os.path.isfile(manifest):
                os.utime(manifest)


def heading(text: str) -> str:
    """A generated page's title as its first heading says it, without Markdown escapes."""
    for line in text.splitlines():
        if line.startswith("# "):
            return _ESCAPED.sub(r"\1", line[2:].strip())
    return ""


def _uses_macros(file: Any) -> bool:
    """Hand-written pages that show roadmap data must follow every edit."""
    return bool(meta.get_data(file.content_string)[1].get("render_macros"))


def _forget_built(file: Any) -> None:
    if os.path.isfile(file.abs_dest_path):
        os.remove(file.abs_dest_path)  # in mkdocs serve's own temporary site folder
