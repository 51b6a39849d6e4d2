"""The board packs as PDF files, printed from the built site by headless Chromium.

`roadmap build` (and so `make site`) asks for them; the MkDocs hook prints them at the end
of the build, into the fresh site folder before it is swapped in. `roadmap pdf [--pillar
ID]` prints them into a site already built. The page's print stylesheet
(docs/assets/print.css and the generated roadmap/paper.css) decides how the paper looks.

The pages are printed as the reader's browser would show them, but safely and the same
every time:
- JavaScript is off: the content comes from pull requests, and the pack needs none.
- The site is served to the browser from its folder under its published address
  (`site_url`), so the PDF's links point at the published pages; nothing leaves the
  machine, and a request for anything else is refused. Without a `site_url` the links
  are taken out: a link to a page with no address would lead nowhere.
- The file is then rewritten (pypdf) so that the same roadmap and SOURCE_DATE_EPOCH give
  the same bytes: dates from SOURCE_DATE_EPOCH, the browser's internal element numbers
  renumbered, and a document id made from the content; with the title, author (the
  publishing organisation) and language set. Chromium tags the PDF and gives it an
  outline from the headings.

Without Chromium (or Playwright) it says so in one line and prints nothing: the pages keep
their offer to print from the browser, so no link leads to a missing file. When a PDF is
made, `announce` turns each offer into a link to it with its page count.
"""

from __future__ import annotations

import hashlib
import html
import mimetypes
import os
import posixpath
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from generator.boardpack import Pack
from generator.write import atomic_write

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions"]
NO_ADDRESS = "https://site-address-not-set.invalid/"  # where the site is served from without site_url
HOW_TO_GET = ("install Chromium (Debian: apt-get install chromium) or set CHROMIUM to a Chrome or "
              "Chromium, then run `make site` again")


def find_chromium() -> str | None:
    """The browser to print with: $CHROMIUM if set, else the first one on PATH."""
    chosen = os.environ.get("CHROMIUM")
    if chosen:
        return chosen if Path(chosen).is_file() or shutil.which(chosen) else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass(frozen=True)
class Paper:
    """What every pack of one build shares."""

    author: str  # the publishing organisation
    language: str  # BCP 47, from the site's theme
    site_url: str | None  # the published address, if the site has one
    when: datetime  # the documents' date


def build_time(fallback: date) -> datetime:
    """SOURCE_DATE_EPOCH, as reproducible builds define it; else the roadmap's as-at date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime(fallback.year, fallback.month, fallback.day, tzinfo=UTC)


def why_not() -> str | None:
    """Why no PDF can be printed on this machine, or None if one can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (make setup installs it)"
    if not find_chromium():
        return "no Chromium found"
    return None


def print_packs(site: Path, packs: list[Pack], paper: Paper, chromium: str | None = None) -> dict[str, int]:
    """Print each pack from the built SITE into its PDF; {pdf path: page count} of those made.
    Prints one line and returns {} when there is no browser to print with."""
    reason = None if chromium else why_not()
    browser_path = chromium or find_chromium()
    if reason or not browser_path:
        print(f"pdf: the board pack PDF was not made ({reason}): {HOW_TO_GET}", file=sys.stderr)
        return {}
    missing = [pack for pack in packs if not (site / pack.page).is_file()]
    for pack in missing:
        print(f"pdf: {pack.pdf} was not made: the site has no {pack.page}", file=sys.stderr)
    packs = [pack for pack in packs if pack not in missing]
    made: dict[str, int] = {}
    if not packs:
        return made
    try:
        for pack, raw in _printed(site, packs, paper, browser_path):
            data, pages = finish(raw, pack, paper)
            _write_bytes(site / pack.pdf, data)
            made[pack.pdf] = pages
    except Exception as problem:  # the browser failed: the site is still complete without it
        print(f"pdf: the board pack PDF was not made: {type(problem).__name__}: "
              f"{str(problem).splitlines()[0] if str(problem) else ''}", file=sys.stderr)
        for pack in packs:
            if pack.pdf not in made:
                (site / pack.pdf).unlink(missing_ok=True)
    return made


def _printed(site: Path, packs: list[Pack], paper: Paper, chromium: str) -> Iterator[tuple[Pack, bytes]]:
    from playwright.sync_api import sync_playwright

    base = (paper.site_url or NO_ADDRESS).rstrip("/") + "/"
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=FLAGS)
        try:
            context = browser.new_context(java_script_enabled=False, service_workers="block",
                                          locale=paper.language)
            context.route("**/*", _server(site, base))
            page = context.new_page()
            for pack in packs:
                page.goto(base + pack.page.removesuffix("index.html"), wait_until="load")
                if not paper.site_url:  # our own script, not the page's: page scripts stay off
                    page.evaluate("() => document.querySelectorAll('a[href]:not([href^=\"#\"])')"
                                  ".forEach((a) => a.removeAttribute('href'))")
                yield pack, page.pdf(prefer_css_page_size=True, print_background=True,
                                     outline=True, tagged=True)
        finally:
            browser.close()


def _write_bytes(path: Path, data: bytes) -> None:
    """Write beside the target, then rename: a reader never sees half a PDF."""
    partial = path.with_name(f".{path.name}.part")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial.write_bytes(data)
    partial.replace(path)


def _server(site: Path, base: str) -> Callable[[Any], None]:
    """Answer the browser's requests from the site folder; refuse everything else."""
    root = site.resolve()
    prefix = urlsplit(base).path

    def serve(route: Any) -> None:
        url = route.request.url
        path = unquote(urlsplit(url).path)
        if not url.startswith(base.rstrip("/")) or not path.startswith(prefix):
            route.abort()
            return
        target = (root / path[len(prefix):]).resolve()
        if target.is_dir():
            target = target / "index.html"
        if not target.is_relative_to(root) or not target.is_file():
            route.fulfill(status=404, body="")
            return
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        route.fulfill(status=200, body=target.read_bytes(), content_type=kind)

    return serve


def pdf_date(when: datetime) -> str:
    return when.strftime("D:%Y%m%d%H%M%S+00'00'")


_ID_PLACEHOLDER = b"\xa5" * 16


def finish(raw: bytes, pack: Pack, paper: Paper) -> tuple[bytes, int]:
    """The browser's PDF made reproducible, with its metadata; and its page count."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject, NameObject, TextStringObject

    reader = PdfReader(BytesIO(raw))
    writer = PdfWriter(clone_from=reader)
    stamp = pdf_date(paper.when)
    writer.add_metadata({"/Title": pack.title, "/Author": paper.author, "/Subject": pack.subject,
                         "/Creator": "Living Roadmap", "/CreationDate": stamp, "/ModDate": stamp})
    root = writer.root_object
    root[NameObject("/Lang")] = TextStringObject(paper.language)
    _renumber_structure(root)
    _drop_local_links(writer)
    writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)  # the old ID tree
    placeholder = ByteStringObject(_ID_PLACEHOLDER)
    writer._ID = ArrayObject([placeholder, placeholder])  # pypdf has no public way to set it
    out = BytesIO()
    writer.write(out)
    data = out.getvalue()
    # The document id is a digest of the document itself (ISO 32000 14.4 allows any method).
    written = _ID_PLACEHOLDER.hex().encode()
    digest = hashlib.md5(data, usedforsecurity=False).hexdigest().encode()
    assert data.count(written) == 2, "the document id placeholder is not where it was put"
    return data.replace(written, digest), len(reader.pages)


def _renumber_structure(root: Any) -> None:
    """Chromium names table cells in the structure tree after its internal DOM node numbers,
    which differ from run to run; name them by their order in the tree instead."""
    from pypdf.generic import ArrayObject, NameObject, TextStringObject

    tree = root.get("/StructTreeRoot")
    if tree is None:
        return
    tree = tree.get_object()
    names: dict[str, str] = {}
    elements: list[Any] = []
    stack = [tree.get("/K")]
    while stack:  # depth first, in document order
        item = stack.pop()
        item = item.get_object() if item is not None and hasattr(item, "get_object") else item
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict) and item.get("/Type", "/StructElem") == "/StructElem" and "/S" in item:
            elements.append(item)
            if "/ID" in item:
                names[str(item["/ID"])] = f"cell{len(names) + 1:06d}"
            stack.append(item.get("/K"))
    if not names:
        return
    for element in elements:
        if "/ID" in element:
            element[NameObject("/ID")] = TextStringObject(names[str(element["/ID"])])
        for attributes in _as_list(element.get("/A")):
            attributes = attributes.get_object()
            if isinstance(attributes, dict) and "/Headers" in attributes:
                attributes[NameObject("/Headers")] = ArrayObject(
                    TextStringObject(names.get(str(h), str(h))) for h in attributes["/Headers"])
    _rename_id_tree(tree.get("/IDTree"), names)


def _rename_id_tree(id_tree: Any, names: dict[str, str]) -> None:
    """Rename the keys of the structure's ID tree, in place (a new object would leave the
    old one in the file): every pair goes into its first leaf, in the new names' order."""
    from pypdf.generic import ArrayObject, NameObject, TextStringObject

    if id_tree is None:
        return
    top = id_tree.get_object()
    leaves, stack = [], [top]
    while stack:
        node = stack.pop(0)
        if "/Names" in node:
            leaves.append(node)
        stack.extend(kid.get_object() for kid in node.get("/Kids", []))
    pairs = [(names.get(str(key), str(key)), value) for leaf in leaves
             for key, value in zip(leaf["/Names"][::2], leaf["/Names"][1::2], strict=True)]
    if not leaves:
        return
    pairs.sort(key=lambda pair: pair[0])
    first = leaves[0]
    first[NameObject("/Names")] = ArrayObject(x for key, value in pairs
                                              for x in (TextStringObject(key), value))
    if first is not top:
        first[NameObject("/Limits")] = ArrayObject([TextStringObject(pairs[0][0]),
                                                    TextStringObject(pairs[-1][0])])
        top[NameObject("/Kids")] = ArrayObject([first.indirect_reference])


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    value = value.get_object() if hasattr(value, "get_object") else value
    return list(value) if isinstance(value, list) else [value]


def _drop_local_links(writer: Any) -> None:
    """A link the reader could not follow (a file on the builder's machine, or the stand-in
    address used when the site has none) loses its action; the text stays."""
    for page in writer.pages:
        for annotation in _as_list(page.get("/Annots")):
            annotation = annotation.get_object()
            action = annotation.get("/A")
            uri = str(action.get_object().get("/URI", "")) if action is not None else ""
            if (uri and not uri.startswith(("https://", "http://", "mailto:"))) or uri.startswith(NO_ADDRESS):
                del annotation["/A"]


# The offers of a PDF in the built pages (the `offer` macro of _pack.md.j2), replaced by a link
# to the PDF once it is made (and a link made before, when the PDF is made again). Markdown
# and minify-html may reorder the attributes and drop their quotes; an offer holds no span.
_OFFER = re.compile(r"<(?P<tag>span|a)\b(?P<attrs>[^>]*\blr-pdf-(?:offer|link)\b[^>]*)>.*?</(?P=tag)>", re.S)
_ATTR = re.compile(r"""([\w-]+)=("[^"]*"|'[^']*'|[^\s"'>]+)""")


def _attributes(text: str) -> dict[str, str]:
    return {name: html.unescape(value.strip("\"'")) for name, value in _ATTR.findall(text)}


def announce(site: Path, packs: list[Pack], made: dict[str, int]) -> None:
    """Turn each page's offer of a PDF that was made into "Label (PDF, N pages)"."""
    pages = sorted({page for pack in packs if pack.pdf in made for page in pack.linked_from})
    for page in pages:
        path = site / page
        if not path.is_file():
            continue
        text = path.read_text("utf-8")

        def link(found: re.Match[str], page: str = page) -> str:
            attrs = _attributes(found["attrs"])
            count = made.get(attrs.get("data-pdf", ""))
            if count is None:
                return found[0]
            target = html.escape(attrs["data-pdf"])
            href = html.escape(posixpath.relpath(attrs["data-pdf"], posixpath.dirname(page)))
            label = html.escape(attrs.get("data-label", "Board pack"))
            noun = "page" if count == 1 else "pages"
            return (f'<a href="{href}" class="lr-pdf-link" data-pdf="{target}" data-label="{label}">'
                    f'{label} (PDF, {count} {noun})</a>')

        updated = _OFFER.sub(link, text)
        if updated != text:
            atomic_write(path, updated, durable=False)


@dataclass
class Request:
    """Whether this build should print the packs: `roadmap build` asks, a plain `mkdocs
    build` or `mkdocs serve` does not (the pages then offer the browser's print)."""

    wanted: bool = False


REQUEST = Request()


def publish(site: Path, roadmap: Any, site_url: str | None, language: str,
            pillar_ids: list[str] | None = None, chromium: str | None = None) -> dict[str, int]:
    """Print the packs of ROADMAP from the built SITE and link the pages to them."""
    from generator.boardpack import packs, publisher

    chosen = packs(roadmap, pillar_ids)
    paper = Paper(publisher(roadmap), language or "en", site_url or None, build_time(roadmap.as_at))
    made = print_packs(site, chosen, paper, chromium)
    announce(site, chosen, made)
    return made
