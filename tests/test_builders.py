"""The same roadmap built by MkDocs (the default), ProperDocs and Zensical: each build
passes the checks the MkDocs build passes, and publishes the same pages, navigation,
internal links and downloads (generator/builders.py says why each builder runs as it does).

A fixture roadmap, never the shipped one. ProperDocs and Zensical come from the lock
file's optional group (`make builders`); without it these tests are skipped, except in CI
(CI=true), where .ci/run installs it and a missing builder is a failure.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import html5lib
import pytest

from generator.boardpack import MAIN_PDF as BOARD_PACK_PDF
from generator.builders import BUILDERS, DEFAULT
from generator.pdf import find_chromium
from tests.conftest import MINI, edit, site_project
from tests.test_serve import fetch, free_port, wait_for
from tests.test_site import CDN_HOSTS, html_pages, parse, target_file

OTHERS = [name for name in BUILDERS if name != DEFAULT]
BOARD_PACK_HTML = "roadmap/board-pack/index.html"
# What each builder publishes beside the pages, by its own design: its search index (whose
# path is in generator/builders.py), its sitemap and tag index, and Zensical's redirect map.
OWN_FILES = {"sitemap.xml", "sitemap.xml.gz", "tags.json", "redirect.json",
             *(b.search_index for b in BUILDERS.values())}
# Material's tags page links each tag's chip to its own heading; Zensical's does not.
KNOWN_LINK_DIFFERENCES = {"tags/index.html": "tags/index.html#tag:"}


def _require(name: str) -> None:
    if importlib.util.find_spec(BUILDERS[name].module) is not None:
        return
    problem = f"{name} is not installed (make builders installs the optional group)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"the builder comparison cannot run in CI: {problem}", pytrace=False)
    pytest.skip(problem)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini roadmap with one renamed priority, so each build has a redirect page too."""
    root = site_project(tmp_path_factory.mktemp("builders"), MINI / "roadmap")
    renamed = "id: shared-behaviours\n    renamed_from: [leadership-behaviours]"
    edit(root / "roadmap" / "pillars" / "leadership.yaml", "id: leadership-behaviours", renamed)
    for review in (root / "roadmap" / "reviews").glob("*.yaml"):  # references use the new id
        review.write_text(review.read_text("utf-8").replace("leadership-behaviours", "shared-behaviours"))
    return root


@functools.cache
def _build(project: Path, name: str) -> Path:
    site = project / f"site-{name}"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-m", "generator.cli", "build", "--builder", name,
                           "--site", str(site)], cwd=project, env=env, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return site


@pytest.fixture(scope="module")
def built(project: Path) -> Any:
    def get(name: str) -> Path:
        _require(name)
        return _build(project, name)
    return get


def _resolve(site: Path, page: Path, url: str) -> str:
    """A link on `page` as a path in the site (with its fragment), as a browser follows it."""
    parts = urlsplit(urljoin("/" + page.relative_to(site).as_posix(), url))
    path = unquote(parts.path)
    if path.endswith("/") or (site / path.lstrip("/")).is_dir():
        path = path.rstrip("/") + "/index.html"
    return path.lstrip("/") + (f"#{unquote(parts.fragment)}" if parts.fragment else "")


def _internal(url: str) -> bool:
    return not (urlsplit(url).scheme or urlsplit(url).netloc or url.startswith(("mailto:", "#__")))


def _tree(page: Path) -> Any:
    return html5lib.parse(page.read_text("utf-8"), namespaceHTMLElements=False)


def _classes(element: Any) -> set[str]:
    return set((element.get("class") or "").split())


def navigation(site: Path, page: Path) -> list[tuple[str, ...]]:
    """The page's sidebar in order: each section by its title, each page by its title and
    where it leads. (A section's own link differs by theme: Material links a closed one to
    its first page, Zensical to its index page; the pages under it are what must agree.)
    A redirect page has none."""
    primary = next((n for n in _tree(page).iter("nav") if "md-nav--primary" in _classes(n)), None)
    if primary is None:
        return []
    entries: list[tuple[str, ...]] = []
    for item in primary.iter("li"):
        if "md-nav__item" not in _classes(item):
            continue
        link = next((a for a in item.iter("a") if "md-nav__link" in _classes(a)), None)
        label = next(item.iter("label"), None) if link is None else link
        title = " ".join("".join(label.itertext()).split()) if label is not None else ""
        if "md-nav__item--nested" in _classes(item):
            entries.append(("section", title))
        elif link is not None and _internal(link.get("href") or ""):
            target = _resolve(site, page, link.get("href") or "").partition("#")[0]
            entries.append(("page", title, target))
    return entries


def content_links(site: Path, page: Path) -> set[str]:
    """Every internal link in the page's main content, resolved."""
    article = next(_tree(page).iter("article"), None)
    if article is None:
        return set()
    links = {_resolve(site, page, a.get("href")) for a in article.iter("a")
             if a.get("href") and _internal(a.get("href"))}
    rel = page.relative_to(site).as_posix()
    skip = KNOWN_LINK_DIFFERENCES.get(rel)
    return {link for link in links if not (skip and link.startswith(skip))}


def published(site: Path) -> set[str]:
    """Every file a reader can open, except the theme's assets and each builder's own files."""
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()
            and not p.relative_to(site).as_posix().startswith("assets/")
            and p.relative_to(site).as_posix() not in OWN_FILES}


@pytest.mark.parametrize("name", OTHERS)
def test_same_pages_and_downloads(built: Any, name: str) -> None:
    reference, other = built(DEFAULT), built(name)
    assert published(other) == published(reference)
    downloads = [p for p in published(reference) if not p.endswith((".html", ".pdf"))]
    assert downloads, "the fixture publishes downloads"
    differ = [p for p in downloads if (reference / p).read_bytes() != (other / p).read_bytes()]
    assert differ == []


def test_properdocs_pages_differ_only_in_the_generator_tag(built: Any) -> None:
    reference, other = built(DEFAULT), built("properdocs")
    generator_tag = re.compile(rb'<meta content="?[^">]*"? name="?generator"?>')
    differ = [p.relative_to(reference).as_posix() for p in html_pages(reference)
              if generator_tag.sub(b"", p.read_bytes())
              != generator_tag.sub(b"", (other / p.relative_to(reference)).read_bytes())]
    assert differ == []
    assert b"ProperDocs" in (other / "index.html").read_bytes()  # the tag was there to drop


@pytest.mark.parametrize("name", OTHERS)
def test_same_navigation_on_every_page(built: Any, name: str) -> None:
    reference, other = built(DEFAULT), built(name)
    differ, reached = [], set()
    for page in html_pages(reference):
        rel = page.relative_to(reference)
        if rel.as_posix() == "404.html":
            continue  # its links are written for any depth of address, and the themes differ there
        expected = navigation(reference, page)
        if not expected and "http-equiv" in page.read_text("utf-8").lower():  # a redirect
            assert navigation(other, other / rel) == [], rel
            continue
        assert ("page", "Home", "index.html") in expected and ("section", "Roadmap") in expected, rel
        reached |= {entry[2] for entry in expected if entry[0] == "page"}
        if navigation(other, other / rel) != expected:
            differ.append(rel.as_posix())
    assert differ == []
    assert len(reached) > len(html_pages(reference)) // 2  # the sidebars together list most pages


@pytest.mark.parametrize("name", OTHERS)
def test_same_internal_links_on_every_page(built: Any, name: str) -> None:
    reference, other = built(DEFAULT), built(name)
    differ = {}
    for page in html_pages(reference):
        rel = page.relative_to(reference)
        ours, theirs = content_links(reference, page), content_links(other, other / rel)
        if name == "zensical":  # acronyms are linked to the glossary by the MkDocs hook, which
            ours, theirs = ({link for link in links if "glossary/index.html#" not in link}
                            for links in (ours, theirs))  # Zensical skips
        if ours != theirs:
            differ[rel.as_posix()] = (sorted(ours - theirs)[:3], sorted(theirs - ours)[:3])
    assert differ == {}


@pytest.mark.parametrize("name", list(BUILDERS))
def test_no_broken_link_or_anchor(built: Any, name: str) -> None:
    site = built(name)
    parsed = {page: parse(page) for page in html_pages(site)}
    broken = []
    for page, links in parsed.items():
        for _tag, url in links.links:
            parts = urlsplit(url)
            if not _internal(url):
                continue
            target = target_file(site, page, url) if parts.path else page
            if not target.exists():
                broken.append(f"{page.relative_to(site)} → {url}")
            elif parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{page.relative_to(site)} → {url} (no such anchor)")
    assert not broken, "\n".join(broken[:30])


@pytest.mark.parametrize("name", list(BUILDERS))
def test_nothing_from_third_party_hosts(built: Any, name: str) -> None:
    site = built(name)
    offenders = [f"{page.relative_to(site)}: <{tag}> {url}" for page in html_pages(site)
                 for tag, url in parse(page).links if tag != "a" and urlsplit(url).netloc]
    for page in html_pages(site):
        html = page.read_text("utf-8")
        offenders += [f"{page.relative_to(site)}: {host}" for host in CDN_HOSTS if host in html]
    assert not offenders, "\n".join(offenders[:30])


@pytest.mark.parametrize("name", BUILDERS)
def test_a_failed_build_reports_and_keeps_the_old_site(tmp_path: Path, name: str) -> None:
    """Every builder builds strictly: a hand-written page's broken link stops the build,
    with its own located message and no traceback, and the previous site stays in place.
    (MkDocs and ProperDocs once ran with --quiet, which dropped the warning before --strict
    could count it, so such a site was published.)"""
    if name != DEFAULT:
        _require(name)
    root = site_project(tmp_path)
    (root / "site").mkdir()
    (root / "site" / "index.html").write_text("the previous site", "utf-8")
    with (root / "docs" / "accessibility.md").open("a", encoding="utf-8") as page:
        page.write("\nSee [the missing page](no-such-page.md).\n")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-m", "generator.cli", "build", "--builder", name],
                          cwd=root, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "no-such-page.md" in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert (root / "site" / "index.html").read_text("utf-8") == "the previous site"
    assert not list(root.glob(".zensical-*")) and not list(root.glob(".site-*"))


@pytest.mark.parametrize("name", OTHERS)
def test_markup_in_a_title_stays_text(tmp_path: Path, name: str) -> None:
    """The title guard of overrides/main.html and the escaping of every generated page hold
    under the other builders too (tests/test_xss.py holds MkDocs to account)."""
    _require(name)
    root = site_project(tmp_path)
    payload = "Leadership </title><script>alert(1)</script><img src=x onerror=alert(2)>"
    edit(root / "roadmap" / "pillars" / "leadership.yaml", "title: Leadership\n", f"title: '{payload}'\n")
    site = _build(root, name)
    assert any("alert(1)" in p.read_text("utf-8") for p in html_pages(site))  # shown, as text
    made = [f"{p.relative_to(site)}: <{e.tag}>" for p in html_pages(site) for e in _tree(p).iter()
            if isinstance(e.tag, str) and ((e.tag == "script" and "alert" in (e.text or ""))
                                           or e.get("onerror") is not None)]
    assert made == []  # as a browser parses the pages: no element came from the data


@pytest.mark.parametrize("name", list(BUILDERS))
def test_a_renamed_page_redirects(built: Any, name: str) -> None:
    old = built(name) / "roadmap" / "priorities" / "leadership-behaviours" / "index.html"
    html = old.read_text("utf-8")
    assert "http-equiv" in html.lower() and "shared-behaviours/" in html


@pytest.mark.parametrize("name", list(BUILDERS))
def test_search_index_and_board_pack_pdf_where_expected(built: Any, name: str) -> None:
    """The paths these depend on come from generator/builders.py and generator/boardpack.py."""
    site = built(name)
    index = (site / BUILDERS[name].search_index).read_text("utf-8")
    assert "Shared leadership behaviours" in index
    page = site / BOARD_PACK_HTML
    pdf_links = {_resolve(site, page, url) for _tag, url in parse(page).links if url.endswith(".pdf")}
    if find_chromium():  # the packs are printed after any builder, and linked from the built page
        assert BOARD_PACK_PDF in pdf_links
        assert all((site / link).read_bytes().startswith(b"%PDF-") for link in pdf_links)
    else:  # without a browser the page offers the browser's print, and links to no PDF
        assert pdf_links == set()


@pytest.mark.parametrize("name", OTHERS)
def test_pages_are_minified_like_the_default(built: Any, name: str) -> None:
    """Zensical ignores the MkDocs minify plugin; its own minifier is set for its runs."""
    reference, other = built(DEFAULT), built(name)
    size = {site: sum(p.stat().st_size for p in html_pages(site)) for site in (reference, other)}
    assert size[other] < 1.2 * size[reference]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def axe_browser() -> Iterator[Any]:
    from tests.browser.conftest import CHROMIUM, FLAGS, require_browser

    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


SAMPLE = ["index.html", "roadmap/pillars/leadership/index.html",
          "roadmap/priorities/shared-behaviours/index.html",
          "roadmap/timeline/index.html", BOARD_PACK_HTML, "tags/index.html"]


@pytest.mark.parametrize("name", OTHERS)
def test_axe_finds_nothing_on_a_sample(built: Any, axe_browser: Any, name: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    from tests.browser.test_axe import OPTIONS

    site = built(name)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = axe_browser.new_context(viewport={"width": 1280, "height": 800}, reduced_motion="reduce")
    elsewhere: list[str] = []
    context.route(lambda url: not url.startswith("http://127.0.0.1"),
                  lambda route: (elsewhere.append(route.request.url), route.abort()))
    try:
        page = context.new_page()
        found = {}
        for path in SAMPLE:
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/{path}", wait_until="load")
            violations = Axe().run(page, options=OPTIONS).response["violations"]
            if violations:
                found[path] = [v["id"] for v in violations]
        assert found == {}
        assert elsewhere == []
    finally:
        context.close()
        server.shutdown()
        server.server_close()


def _sigint_ignored() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # as a background job of a script starts


@pytest.mark.parametrize(("name", "ignored"), [
    *(pytest.param(name, False, id=name) for name in BUILDERS),
    pytest.param(DEFAULT, True, id=f"{DEFAULT}-started-with-sigint-ignored")])
def test_serve_shows_a_yaml_edit(tmp_path: Path, name: str, ignored: bool) -> None:
    """`roadmap serve --builder NAME` (what `make serve BUILDER=NAME` runs) follows an edit:
    MkDocs and ProperDocs through the hook, Zensical through `roadmap`'s own watcher. Ctrl-C
    stops it and its builder's server, even if it started with SIGINT ignored."""
    _require(name)
    root = site_project(tmp_path)
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen([sys.executable, "-m", "generator.cli", "serve", "--builder", name,
                               "--dev-addr", f"127.0.0.1:{port}"], cwd=root, env=env,
                              stdout=subprocess.DEVNULL, stderr=(root / "serve.log").open("w"),
                              preexec_fn=_sigint_ignored if ignored else None)
    try:
        url = f"http://127.0.0.1:{port}/roadmap/pillars/leadership/"
        assert wait_for(url, "Shared leadership behaviours"), (root / "serve.log").read_text("utf-8")
        edit(root / "roadmap" / "pillars" / "leadership.yaml", "title: Shared leadership behaviours",
             "title: Behaviours renamed while serving")
        assert wait_for(url, "Behaviours renamed while serving"), (root / "serve.log").read_text("utf-8")
    finally:
        server.send_signal(signal.SIGINT)  # as Ctrl-C: it stops its builder's server too
        assert server.wait(timeout=20) == 0
    assert fetch(url) == "", "the builder's server is still serving"
    assert not list(root.glob(".zensical-*")), "the run's overlay and output were not removed"
