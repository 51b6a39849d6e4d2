"""Quick previews: `mkdocs serve --dirty` rebuilds only the pages whose Markdown changed,
and the generator rewrites only the pages a YAML edit changed, so an edit shows in about
a second instead of after a full rebuild.

MkDocs' dirty mode alone would get these things wrong, which this module puts right:
- pages it does not re-read lose their titles, so sidebars would list "None": they get
  the title MkDocs would read, their front matter's or their first heading's;
- Material's search would index only the pages rebuilt: it starts from the last
  build's index, less those pages; its tags plugin would list only their tags: it is
  given every page's;
- hand-written pages that show roadmap data (macros) or the tag listing would keep what
  they showed: they are made again when what they show changed, in the second build below;
- a change to the navigation changes the sidebars of other pages: the quick build shows
  the edited pages (less the slow ones, which take seconds each at scale: the generator
  leaves them as they were, and MkDocs converts no big page), and a second build follows
  at once with those and the pages whose sidebar, tabs or footer show a changed title
  (worked out from the navigation tree as Material prints it with navigation.prune: see
  `shown_changes`), or every page when pages were added, removed or moved, or the theme
  prints the navigation some other way.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator, Sequence
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.utils import meta

from generator.addresses import OUTPUT
from generator.cache import digest
from generator.collector import IdleCollector
from generator.pipeline import Result
from generator.write import MANIFEST

log = logging.getLogger("mkdocs.hooks.roadmap")
# A changed generated page longer than this (characters of Markdown) follows in the second build.
QUICK_BYTES = int(os.environ.get("ROADMAP_PREVIEW_QUICK_BYTES", "100000"))
_ESCAPED = re.compile(r"\\(.)")  # escape_text's backslashes; its HTML entities stay (nav titles print raw)


class Preview:
    """The state of one `mkdocs serve --dirty` session, kept across its rebuilds."""

    def __init__(self) -> None:
        self.seen: Outline | None = None  # the navigation the last build printed
        self.next: set[str] | None = None  # pages the next build remakes too; None: every page
        # (the first build is a full one anyway)
        self.search_index: Any = None  # the last build's, whole
        self.made: dict[str, str] = {}  # hand-written page -> what its last build was made from
        self.read: dict[str, Read] = {}  # page text -> its Markdown and front matter, as last read
        self.quick = False  # this build shows the edit's quick pages; the slow ones follow
        self.follow = False  # a second build is due for the pages a quick one left as they were
        self.collector = IdleCollector()  # collects between builds, not during them

    def quick_build(self) -> bool:
        """Whether this build may leave slow pages as they were, for a second build to make:
        not the first (it makes everything), nor that second build. Called as each build
        starts: a quick build runs without the garbage collector, which `after_build` (or a
        failed build's `after_error`) sets to collect once it is over (generator/collector.py)."""
        self.quick = self.seen is not None and not self.follow
        self.follow = False
        if self.quick:
            self.collector.building()
        return self.quick

    def before_pages(self, config: MkDocsConfig, files: Files, result: Result) -> None:
        """Choose the pages to rebuild (MkDocs rebuilds a page whose built file is gone or old)."""
        pages = files.documentation_pages()
        texts = {file.src_uri: result.pages.get(file.src_uri) or file.content_string for file in pages}
        known, self.read = self.read, {}
        for text in texts.values():  # most pages are as they were: their front matter is parsed once
            self.read[text] = known.get(text) or meta.get_data(text)
        read = {path: self.read[text] for path, text in texts.items()}
        titles = {path: title_of(*parts) for path, parts in read.items()}
        now = outline(config.nav or [], titles)
        remake = self.next
        full = remake is None
        self.next = set() if full or self.seen is None else shown_changes(self.seen, now, config.theme)
        self.seen = now
        tagged = _carry_tags(config, pages, read, titles)
        roadmap = result.roadmap
        state = (repr(sorted(roadmap.file_digests.items())), repr(roadmap.as_at), repr(config.extra),
                 str(len(pages))) if roadmap is not None else (repr(id(result)),)
        rebuilt = set()
        for file in pages:
            made_from = _made_from(file, state, tagged)
            forget = full or file.src_uri in remake  # type: ignore[operator]
            if not forget and self.next is not None:
                self._defer(file, texts[file.src_uri], made_from, self.next)
            if forget:
                _forget_built(file)
            if file.is_modified():
                rebuilt.add(file.url.removeprefix("./"))  # as search locations write it
                if made_from is not None:
                    self.made[file.src_uri] = made_from
            elif file.page is not None and file.page.title is None and titles[file.src_uri]:
                file.page.title = titles[file.src_uri]  # unless the navigation names one
        self._carry_search_index(config, rebuilt, full)
        self.follow = bool(result.later) or self.next != set()
        then = ("" if self.next == set() else ", then every page for the new navigation" if self.next is None
                else f", then {len(self.next)} page(s) whose navigation or data changed")
        this = "every page" if full else f"{len(rebuilt)} changed page(s)"
        log.info("preview: rebuilding %s%s", this, then)

    def _defer(self, file: Any, text: str, made_from: str | None, later: set[str]) -> None:
        """Leave a page to the second build (`later`) rather than convert it now."""
        if (self.quick and file.src_uri.startswith(f"{OUTPUT}/") and len(text) > QUICK_BYTES
                and file.is_modified()):
            # A big generated page (the timeline, a partner's page at scale) takes seconds
            # to convert: the edited item's own page shows first, and it follows.
            file.is_modified = lambda: False
            later.add(file.src_uri)
        if made_from is not None and made_from != self.made.get(file.src_uri):
            # A hand-written page showing roadmap data or tags, and those changed: it is
            # slow to make at scale, so it follows in the next build, with the sidebars.
            later.add(file.src_uri)

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
        """Keep the whole search index; after a quick build that changed the navigation or
        left slow pages as they were, start the one that remakes them: touching the
        generator's own manifest in the watched docs folder makes `mkdocs serve` rebuild."""
        search = config.plugins.get("material/search")
        self.search_index = getattr(search, "search_index", None)
        if self.follow:
            manifest = os.path.join(config.docs_dir, OUTPUT, MANIFEST)
            if os.path.isfile(manifest):
                os.utime(manifest)
        self.collector.built()

    def after_error(self) -> None:
        """A build failed (the roadmap has errors): the collector runs while the author fixes it."""
        self.collector.built()


Outline = tuple[tuple[str, Any, str, "Outline"], ...]  # (kind, title, address, entries) per nav entry


def outline(items: Sequence[Any], titles: dict[str, str]) -> Outline:
    """The navigation (as mkdocs.yml's `nav` gives it) as the theme prints it: each entry's
    kind, title, address and entries; a page the navigation names no title for is titled
    by its heading, as MkDocs titles it."""
    out = []
    for item in items:
        title, value = next(iter(item.items())) if isinstance(item, dict) else (None, item)
        if isinstance(value, list):
            out.append(("section", title, "", outline(value, titles)))
        elif str(value).endswith(".md"):
            out.append(("page", titles.get(value) if title is None else title, value, ()))
        else:
            out.append(("link", title, value, ()))
    return tuple(out)


class _Everywhere(Exception):
    """The change shows on every page, or changes which pages there are."""


def shown_changes(old: Outline, new: Outline, theme: Any) -> set[str] | None:
    """The pages whose navigation shows an entry whose title changed from `old` to `new`, or
    None when that could be every page: pages were added, removed or moved, a top-level
    entry changed, or the theme is not Material with navigation.tabs and navigation.prune.

    Material with navigation.prune prints, on a page, the top level (as tabs and sidebar),
    and the entries of every section the page is in; with navigation.sections also those of
    each second-level section of the page's tab. A section elsewhere is one collapsed link
    (its own title, its first page's address). The footer names the previous and next page.
    So a changed entry shows on the pages of its section, or of its tab when its section is
    at the second level or the first, and on its neighbours in the footer."""
    features = theme.get("features") or []
    if theme.name != "material" or not {"navigation.tabs", "navigation.prune"} <= set(features):
        return None if old != new else set()
    expanded = 3 if "navigation.sections" in features else 2  # the deepest entries shown on a whole tab
    order = [address for kind, _, address, _ in _entries(new) if kind == "page"]
    place = {address: n for n, address in enumerate(order)}
    shown: set[str] = set()

    def compare(before: Outline, after: Outline, ancestors: tuple[Any, ...]) -> None:
        if len(before) != len(after):
            raise _Everywhere
        for (kind, title, address, entries), entry in zip(before, after, strict=True):
            if (kind, address) != entry[::2]:
                raise _Everywhere
            if title != entry[1]:
                if not ancestors:
                    raise _Everywhere
                scope = ancestors[0] if len(ancestors) < expanded else ancestors[-1]
                shown.update(a for k, _, a, _ in _entries(scope[3]) if k == "page")
                if kind == "page":
                    n = place[address]
                    shown.update(order[max(n - 1, 0):n + 2])
            compare(entries, entry[3], (*ancestors, entry))

    try:
        compare(old, new, ())
    except _Everywhere:
        return None
    return shown


def _entries(items: Outline) -> Iterator[tuple[str, Any, str, Outline]]:
    for entry in items:
        yield entry
        yield from _entries(entry[3])


Read = tuple[str, dict[str, Any]]  # a page's Markdown and front matter


def title_of(markdown: str, data: dict[str, Any]) -> str:
    """A page's title as MkDocs reads it: its front matter's `title`, else its first heading."""
    return str(data["title"]) if data.get("title") else heading(markdown)


def heading(text: str) -> str:
    """A generated page's title as its first heading says it, without Markdown escapes."""
    for line in text.splitlines():
        if line.startswith("# "):
            return _ESCAPED.sub(r"\1", line[2:].strip())
    return ""


def _made_from(file: Any, state: tuple[str, ...], tagged: str) -> str | None:
    """What a hand-written page that shows roadmap data (through macros) or lists the pages
    of each tag is made from, so it is made again when that changes; None for other pages."""
    if file.src_uri.startswith(f"{OUTPUT}/"):
        return None
    text = file.content_string
    if meta.get_data(text)[1].get("render_macros"):
        return digest(text, *state)
    return digest(text, tagged) if _TAG_LISTING in text else None


_TAG_LISTING = "<!-- material/tags"


def _carry_tags(config: MkDocsConfig, pages: Sequence[Any], read: dict[str, Read],
                titles: dict[str, str]) -> str:
    """Material's tags plugin links a page's tags to the listing, and the listing to every
    page of each tag, from the pages it reads in this build: it is given every page's tags
    now, in the order a full build reads them (a page re-read later replaces its own).
    Returns every page's title and tags, which the listing shows."""
    tags = config.plugins.get("material/tags")
    if tags is None or not tags.config.enabled:
        return ""
    shown = []
    for file in pages:
        if file.page is not None and tags.filter(file):
            markdown, data = read[file.src_uri]
            file.page.meta = dict(data)  # MkDocs would read it; plugins may add to it
            if tags.mappings.add(file.page, markdown) is not None:
                shown.append((file.src_uri, titles[file.src_uri], repr(file.page.meta.get("tags"))))
    return repr(shown)


def _forget_built(file: Any) -> None:
    if os.path.isfile(file.abs_dest_path):
        os.remove(file.abs_dest_path)  # in mkdocs serve's own temporary site folder
