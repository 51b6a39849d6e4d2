"""Build the sample roadmap (a fixture) into a real site and inspect the HTML MkDocs produced."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from generator.pipeline import run
from tests.conftest import REPO, SAMPLE, site_project

# Hosts that themes load assets from. Material's bundle names unpkg.com (mermaid, fetched
# only for mermaid diagrams, which we never emit) and api.github.com (repository facts,
# fetched only for an element our overrides/partials/source.html no longer marks); the
# browser tests prove no request leaves the machine at run time.
CDN_HOSTS = ("fonts.googleapis.com", "fonts.gstatic.com", "cdn.jsdelivr.net", "cdnjs.cloudflare.com",
             "unpkg.com", "api.github.com")


def build(site: Path) -> None:
    """The sample roadmap built with the repository's site configuration, in a throwaway project."""
    project = site_project(site.parent / f"{site.name}-project", SAMPLE / "roadmap")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-m", "generator.cli", "build", "--site", str(site)],
                          cwd=project, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("built") / "site"
    build(path)
    return path


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (tag, url)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        for name in ("href", "src"):
            if values.get(name):
                self.links.append((tag, values[name] or ""))


def parse(page: Path) -> Links:
    parser = Links()
    parser.feed(page.read_text("utf-8"))
    return parser


def html_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def target_file(site: Path, page: Path, url: str) -> Path:
    base = "/" + page.relative_to(site).as_posix()
    path = unquote(urlsplit(urljoin(base, url)).path)
    target = site / path.lstrip("/")
    return target / "index.html" if path.endswith("/") or target.is_dir() else target


def test_every_entity_has_a_page(site: Path) -> None:
    roadmap = run(SAMPLE / "roadmap").roadmap
    assert roadmap is not None
    expected = [f"pillars/{i}" for i in roadmap.pillars] + [f"priorities/{i}" for i in roadmap.priorities]
    expected += [f"organisations/{i}" for i in roadmap.organisations]
    expected += [f"governance/{i}" for i in roadmap.bodies] + [f"measures/{i}" for i in roadmap.measures]
    expected += [f"frameworks/{e.framework.id}/{e.id}" for e in roadmap.elements.values()]
    expected += [f"frameworks/{f}" for f in roadmap.frameworks]
    missing = [p for p in expected if not (site / "roadmap" / p / "index.html").is_file()]
    assert not missing


def test_internal_links_and_anchors_resolve(site: Path) -> None:
    broken = broken_links(site)
    assert not broken, "\n".join(broken[:30])


def broken_links(site: Path) -> list[str]:
    """Every link between the site's own pages (and anchors) that leads nowhere."""
    parsed = {page: parse(page) for page in html_pages(site)}
    broken = []
    for page, links in parsed.items():
        for _tag, url in links.links:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or url.startswith(("mailto:", "#__")):
                continue
            target = target_file(site, page, url) if parts.path else page
            if not target.exists():
                broken.append(f"{page.relative_to(site)} → {url}")
            elif parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else parse(target).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{page.relative_to(site)} → {url} (no such anchor)")
    return broken


def test_nothing_is_loaded_from_third_party_hosts(site: Path) -> None:
    offenders = []
    for page, links in ((p, parse(p)) for p in html_pages(site)):
        for tag, url in links.links:
            if tag != "a" and urlsplit(url).netloc:
                offenders.append(f"{page.relative_to(site)}: <{tag}> {url}")
    for css in site.rglob("*.css"):
        offenders += [f"{css.name}: {u}" for u in re.findall(r"url\(\s*['\"]?(https?:|//)[^)]*",
                                                              css.read_text("utf-8"))]
    for page in html_pages(site):
        html = page.read_text("utf-8")
        offenders += [f"{page.name}: {h}" for h in CDN_HOSTS if h in html]
        if 'data-md-component="source"' in html:
            offenders.append(f"{page.relative_to(site)}: repository facts would be fetched")
    assert not offenders, "\n".join(offenders)


def test_two_builds_are_identical(site: Path, tmp_path: Path) -> None:
    again = tmp_path / "site"
    build(again)
    # Pages, data files and the board-pack PDFs (when a browser printed them) alike.
    first, second = ({p.relative_to(d): p.read_bytes() for p in d.rglob("*") if p.is_file()}
                     for d in (site, again))
    assert first.keys() == second.keys()
    assert [p for p in first if first[p] != second[p]] == []


def test_edit_links_point_at_yaml_sources(site: Path) -> None:
    page = (site / "roadmap" / "pillars").glob("*/index.html")
    html = next(page).read_text("utf-8")
    assert re.search(r'href="[^"]+/edit/main/roadmap/pillars/[a-z0-9-]+\.yaml"', html)
