"""The board-pack PDF of a fixture roadmap, built by `roadmap build` with Debian's Chromium
and read back with pypdf: reproducible bytes, metadata, tags and outline, page numbers and
footer, links to the published site (never to a file), JavaScript off; and the build
without a browser, which still succeeds and leaves no broken link.

Without Chromium or Playwright the printing tests are skipped, except in CI (CI=true),
where they must run."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import date
from io import BytesIO
from itertools import pairwise
from pathlib import Path

import pytest
from pypdf import PdfReader

from generator import pdf
from generator.boardpack import Pack
from tests.conftest import edit, site_project
from tests.test_site import broken_links

SITE_URL = "https://roadmap.example.org/mini/"
EPOCH = "1700000000"


def require_printer() -> None:
    reason = pdf.why_not()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"the PDF tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(f"PDF tests skipped: {reason}")


def project(tmp: Path, site_url: str | None = SITE_URL) -> Path:
    """The mini roadmap with an off-track priority and an overdue action, in a project whose
    site has an address and a script that must never run while printing."""
    root = site_project(tmp)
    pillars = root / "roadmap" / "pillars"
    edit(pillars / "workforce.yaml", "status: on-track", "status: off-track")  # flexible working
    edit(pillars / "leadership.yaml", "due: 2025-08-15", "due: 2025-05-15")  # first cohort, overdue
    config = root / "mkdocs.yml"
    edit(config, "  - assets/roadmap.js\n", "  - assets/roadmap.js\n  - assets/script-ran.js\n")
    if site_url:
        config.write_text(f"site_url: {site_url}\n" + config.read_text("utf-8"), "utf-8")
    (root / "docs" / "assets" / "script-ran.js").write_text(
        "document.querySelectorAll('h1').forEach((h) => { h.textContent = 'SCRIPT RAN'; });\n")
    return root


def build(root: Path, site: str = "site", **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1", **env}
    return subprocess.run([sys.executable, "-m", "generator.cli", "build", "--site", site],
                          cwd=root, env=environment, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_printer()
    root = project(tmp_path_factory.mktemp("pdf"))
    done = build(root)
    assert done.returncode == 0, done.stderr
    assert "pdf:" not in done.stderr, done.stderr
    return root / "site"


def read(site: Path, name: str = "roadmap/board-pack.pdf") -> PdfReader:
    return PdfReader(site / name)


def uris(reader: PdfReader) -> list[str]:
    found = []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action.get_object():
                found.append(str(action.get_object()["/URI"]))
    return found


BLOCKS = {"/H1", "/H2", "/H3", "/H4", "/H5", "/H6", "/P", "/L", "/Table", "/Caption", "/TR"}


def layout_faults(reader: PdfReader) -> list[str]:
    """Headings left at the foot of a page, and table headers parted from their first row,
    read from the PDF's structure tree: each block's page is that of its first content."""
    pages = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages, 1)}
    blocks: list[tuple[str, int, str]] = []  # (tag, page, parent tag), in reading order

    def first_page(node: object) -> int | None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            return next((p for p in map(first_page, node) if p is not None), None)
        if not isinstance(node, dict):
            return None
        if node.get("/Pg") is not None:
            return pages.get(node.raw_get("/Pg").idnum)
        return first_page(node.get("/K"))

    def walk(node: object, parent: str) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for child in node:
                walk(child, parent)
        elif isinstance(node, dict) and "/S" in node:
            tag = str(node["/S"])
            page = first_page(node)
            if tag in BLOCKS and page is not None:
                blocks.append((tag, page, parent))
            walk(node.get("/K"), tag)

    walk(reader.trailer["/Root"]["/StructTreeRoot"].get("/K"), "")
    faults = []
    for (tag, page, parent), (_, next_page, next_parent) in pairwise(blocks):
        if tag.startswith("/H") and next_page != page:
            faults.append(f"a {tag} heading ends page {page}")
        if parent == "/THead" and next_parent == "/TBody" and next_page != page:
            faults.append(f"a table header ends page {page}")
    return faults


def test_the_first_page_names_the_asks_and_every_off_track_priority(built: Path) -> None:
    first = " ".join(read(built).pages[0].extract_text().split())
    assert "The board is asked to:" in first
    assert "Escalate joint workforce planning to the board." in first  # the open decision
    assert "Agree one set of planning assumptions." in first  # the escalation's ask
    for priority in ("Flexible working", "Joint workforce planning"):
        assert priority in first
    assert "Run the first cohort" in first  # the overdue action
    assert first.index("The board is asked to:") < first.index("Needs attention")


def test_two_builds_give_byte_identical_pdfs(built: Path, tmp_path: Path) -> None:
    root = built.parent
    done = build(root, str(tmp_path / "again"))
    assert done.returncode == 0, done.stderr
    made = sorted(p.relative_to(built) for p in built.rglob("*.pdf"))
    assert len(made) == 3  # the main pack and both pillar packs
    for name in made:
        assert (built / name).read_bytes() == (tmp_path / "again" / name).read_bytes(), name
    first = read(built)
    assert first.trailer["/ID"][0] == first.trailer["/ID"][1]
    digest = first.trailer["/ID"][0].original_bytes  # read as text or bytes, as it happens to decode
    assert len(digest) == 16 and digest != b"\xa5" * 16  # a digest, not the placeholder


def test_page_count_page_numbers_and_the_running_footer(built: Path) -> None:
    reader = read(built)
    total = len(reader.pages)
    assert total >= 2
    for number, page in enumerate(reader.pages, 1):
        text = " ".join(page.extract_text().split())
        assert f"Page {number} of {total}" in text
        assert "Mini test roadmap · as at 30 June 2025" in text
    for page in ("index.html", "roadmap/governance/index.html", "roadmap/board-pack/index.html"):
        assert f"Board pack (PDF, {total} pages)</a>" in (built / page).read_text("utf-8"), page


def test_no_heading_or_table_header_ends_a_page(built: Path) -> None:
    for pdf_file in sorted(built.rglob("*.pdf")):
        assert layout_faults(PdfReader(pdf_file)) == [], pdf_file.name


def test_the_layout_check_finds_a_heading_at_the_foot_of_a_page(tmp_path: Path) -> None:
    """The check above on a page made to fail it: a heading with room for itself only."""
    require_printer()
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="en"><title>t</title><style>@page { size: A4; margin: 0 }'
        "body { margin: 0 } h2 { margin: 0; font-size: 20px; line-height: 30px }</style>"
        '<div style="height: 282mm"></div><h2>Alone</h2><p>Its text.</p>', "utf-8")
    pack = Pack("index.html", "out.pdf", "t", "s", ())
    paper = pdf.Paper("Org", "en", None, pdf.build_time(date(2025, 1, 1)))
    [(_, raw)] = list(pdf._printed(tmp_path, [pack], paper, pdf.find_chromium() or ""))
    assert layout_faults(PdfReader(BytesIO(raw))) == ["a /H2 heading ends page 1"]


def test_metadata_tags_outline_and_paper(built: Path) -> None:
    reader = read(built)
    info = reader.metadata
    assert info.title == "Board pack: Mini test roadmap"
    assert info.author == "Test Integrated Care Board"
    assert info["/CreationDate"] == info["/ModDate"] == "D:20231114221320+00'00'"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root
    titles = []

    def walk(items: list) -> None:
        for item in items:
            walk(item) if isinstance(item, list) else titles.append(item.title)

    walk(reader.outline)
    for heading in ("Board pack: Mini test roadmap", "The board is asked to:", "Needs attention",
                    "The detail, pillar by pillar", "Appendix"):
        assert heading in titles, titles
    width, height = (float(x) for x in reader.pages[0].mediabox[2:])
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)  # A4


def test_links_point_at_the_published_site_and_never_at_a_file(built: Path) -> None:
    links = uris(read(built))
    assert links, "the pack links to the pages it names"
    assert not [u for u in links if u.startswith("file:")]
    assert f"{SITE_URL}roadmap/priorities/flexible-working/" in links
    assert all(u.startswith((SITE_URL, "https://", "http://", "mailto:")) for u in links)
    raw = (built / "roadmap/board-pack.pdf").read_bytes()
    assert str(built.parent).encode() not in raw and b"/tmp" not in raw


def test_the_pages_are_printed_with_javascript_off(built: Path) -> None:
    assert "script-ran.js" in (built / "roadmap/board-pack/index.html").read_text("utf-8")
    text = "".join(page.extract_text() for page in read(built).pages)
    assert "SCRIPT RAN" not in text and "Board pack: Mini test roadmap" in text


def test_without_a_site_address_the_pdf_has_no_links_to_pages(built: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(built, site)
    config = built.parent / "mkdocs.yml"
    other = built.parent / "no-address.yml"
    other.write_text(config.read_text("utf-8").replace(f"site_url: {SITE_URL}\n", ""), "utf-8")
    done = subprocess.run([sys.executable, "-m", "generator.cli", "pdf", "--config", str(other),
                           "--site", str(site)], cwd=built.parent, capture_output=True, text=True,
                          env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH}, check=False)
    assert done.returncode == 0, done.stderr
    links = uris(read(site))
    assert not [u for u in links if not u.startswith(("https://", "http://", "mailto:"))]
    assert not [u for u in links if "invalid" in u or u.startswith(SITE_URL)]


def test_one_pillar_pack_on_demand(built: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(built, site)
    (site / "roadmap/board-pack/workforce.pdf").unlink()
    done = subprocess.run([sys.executable, "-m", "generator.cli", "pdf", "--pillar", "workforce",
                           "--site", str(site)], cwd=built.parent, capture_output=True, text=True,
                          env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH}, check=False)
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(r"made .*workforce\.pdf \(\d+ pages?\)\n", done.stdout)
    text = " ".join(read(site, "roadmap/board-pack/workforce.pdf").pages[0].extract_text().split())
    assert "Pillar pack: Workforce" in text and "Flexible working" in text
    assert "Run the first cohort" not in text  # another pillar's action


def test_without_chromium_the_build_succeeds_and_no_link_is_broken(tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    root = project(tmp_path / "p", site_url=None)  # with an address, 404.html links to it
    tools = tmp_path / "bin"  # a PATH with git (for the history) and no browser
    tools.mkdir()
    if shutil.which("git"):
        (tools / "git").symlink_to(shutil.which("git"))
    env = {k: v for k, v in os.environ.items() if k != "CHROMIUM"}
    done = subprocess.run([sys.executable, "-m", "generator.cli", "build"], cwd=root,
                          env={**env, "PATH": str(tools), "SOURCE_DATE_EPOCH": EPOCH},
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    said = [line for line in done.stderr.splitlines() if line.startswith("pdf:")]
    assert len(said) == 1 and "not made" in said[0] and "make site" in said[0], done.stderr
    site = root / "site"
    assert not list(site.rglob("*.pdf"))
    assert broken_links(site) == []
    home = (site / "index.html").read_text("utf-8")
    offer = r'<a href="?roadmap/board-pack/"?>Board pack</a> \(a page to print from your browser\)'
    assert re.search(offer, home)
    pack = (site / "roadmap/board-pack/index.html").read_text("utf-8")
    assert "use your browser's Print command" in pack and ".pdf" not in re.sub(r"data-pdf=\S+", "", pack)
