"""What axe does not check: page structure, the keyboard, search, paper and the PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest

from generator import model as m
from generator.pipeline import run
from tests.browser.conftest import DESKTOP, PHONE, Visit
from tests.conftest import SAMPLE

# True when the focused element (or, for Material's hidden radio inputs, its label) shows a
# focus indicator: an outline or a box shadow.
FOCUS_SHOWN = r"""() => {
  let e = document.activeElement;
  if (!e || e === document.body) return false;
  if (e.matches("input.md-option, input.md-toggle") && e.nextElementSibling) e = e.nextElementSibling;
  const s = getComputedStyle(e);
  const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0;
  return outline || (s.boxShadow && s.boxShadow !== "none");
}"""

ACTIVE = r"""() => {
  const e = document.activeElement;
  return {tag: e.tagName.toLowerCase(), cls: String(e.className || ""), href: e.href || null,
          text: (e.textContent || "").replace(/\s+/g, " ").trim(),
          inMain: !!e.closest("article.md-content__inner")};
}"""


@cache
def roadmap() -> m.Roadmap:
    built = run(SAMPLE / "roadmap").roadmap
    assert built is not None
    return built


@pytest.fixture
def desktop(visit: Callable[..., Visit]) -> Visit:
    return visit("desktop-light", DESKTOP, "light")


def test_first_tab_is_a_visible_skip_link_that_works(desktop: Visit) -> None:
    page = desktop.open("index.html")
    page.keyboard.press("Tab")
    focused = page.evaluate(ACTIVE)
    assert "md-skip" in focused["cls"] and focused["text"] == "Skip to content", focused
    assert page.evaluate(FOCUS_SHOWN), "the skip link has no visible focus indicator"
    box = page.locator("a.md-skip").bounding_box()
    assert box and box["width"] > 1 and box["height"] > 1 and box["y"] >= 0, "the skip link is off screen"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE)["inMain"], "after the skip link, Tab does not land in the content"


def test_every_link_in_the_home_page_content_is_reached_by_tab_with_visible_focus(desktop: Visit) -> None:
    page = desktop.open("index.html")
    wanted = set(page.evaluate("""() => [...document.querySelectorAll('article.md-content__inner a[href]')]
        .filter((a) => a.getClientRects().length).map((a) => a.href)"""))
    assert len(wanted) > 10
    limit = page.evaluate(
        "document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]').length")
    reached: set[str] = set()
    unseen_focus: list[str] = []
    for _ in range(limit + 10):
        page.keyboard.press("Tab")
        focused = page.evaluate(ACTIVE)
        if focused["tag"] == "body":
            break
        if focused["href"]:
            reached.add(focused["href"])
        if not page.evaluate(FOCUS_SHOWN):
            unseen_focus.append(f"<{focused['tag']} class='{focused['cls']}'> {focused['text'][:40]}")
        if wanted <= reached:
            break
    assert wanted <= reached, f"{len(wanted - reached)} link(s) never reached by Tab:\n" + "\n".join(
        sorted(wanted - reached))
    assert not unseen_focus, "focus is not visible on:\n" + "\n".join(unseen_focus)


def test_search_finds_a_priority_by_a_word_in_its_title(desktop: Visit) -> None:
    priority = next(iter(roadmap().priorities.values()))
    word = max(re.findall(r"[A-Za-z]{4,}", priority.title), key=len)
    page = desktop.open("index.html")
    page.click("input.md-search__input")
    page.keyboard.type(word, delay=30)
    hit = page.locator(".md-search-result__item", has_text=priority.title).first
    hit.wait_for(state="visible", timeout=15_000)
    assert not desktop.elsewhere


def test_search_works_on_a_phone(visit: Callable[..., Visit]) -> None:
    phone = visit("phone-light", PHONE, "light")
    priority = list(roadmap().priorities.values())[-1]
    word = max(re.findall(r"[A-Za-z]{4,}", priority.title), key=len)
    page = phone.open("index.html")
    page.click("label.md-header__button[for='__search']")
    page.click("input.md-search__input")
    page.keyboard.type(word, delay=30)
    page.locator(".md-search-result__item", has_text=priority.title).first.wait_for(state="visible",
                                                                                    timeout=15_000)


def test_paper_has_no_site_chrome_and_shows_link_addresses(desktop: Visit) -> None:
    org = next(o for o in roadmap().organisations.values() if o.get("website"))
    page = desktop.open(f"roadmap/organisations/{org.id}/index.html")
    page.emulate_media(media="print")
    try:
        hidden = page.evaluate("""() => ['.md-header', '.md-tabs', '.md-sidebar--primary', '.md-search',
            '.md-footer', '.md-content__button'].map((s) => [s, [...document.querySelectorAll(s)]
            .every((e) => getComputedStyle(e).display === 'none')])""")
        assert all(shown for _, shown in hidden), f"still printed: {[s for s, ok in hidden if not ok]}"
        after = page.evaluate("""() => { const a = document.querySelector('article a[href^="http"]');
            return [a.getAttribute('href'), getComputedStyle(a, '::after').content]; }""")
        assert after[0] in after[1], after
    finally:
        page.emulate_media(media="screen")


def test_board_pack_reads_asks_then_exceptions_then_detail_on_new_sheets(desktop: Visit) -> None:
    plan = roadmap()
    page = desktop.open("roadmap/board-pack/index.html")
    text = page.inner_text("article")
    titles = ["The board is asked to:", "Needs attention", "What has changed",
              "The detail, pillar by pillar"]
    titles += [pillar.title for pillar in plan.pillars.values()] + ["Appendix", "Governance"]
    at = 0
    for title in titles:  # each after the one before (a pillar may be named earlier, too)
        at = text.find(title, at)
        assert at >= 0, f"{title!r} is missing, or out of reading order"
    assert page.locator("article ul ul").count() > 0, "the governance tree has lost its levels"
    page.emulate_media(media="print")
    try:
        breaks = page.evaluate("""() => [...document.querySelectorAll('article h2')]
            .filter((h) => getComputedStyle(h).breakBefore === 'page').map((h) => h.id)""")
        offer = page.evaluate("getComputedStyle(document.querySelector('.lr-pdf')).display")
    finally:
        page.emulate_media(media="screen")
    assert len(breaks) == 2  # the detail, then the appendix
    assert offer == "none", "the offer to print is not printed"


def test_board_pack_pdf_is_made_and_linked(desktop: Visit, built_site: Path) -> None:
    pdf = built_site / "roadmap" / "board-pack.pdf"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", data))
    assert 2 <= pages <= 12, "a short paper, with each pillar's detail in its own pack"
    page = desktop.open("index.html")
    href = page.evaluate("document.querySelector('a.lr-pdf-link[href$=\"board-pack.pdf\"]').href")
    response = page.request.get(href)
    assert response.ok and response.body()[:5] == b"%PDF-"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        squashed = " ".join(text.split())
        missing = [p.title for p in roadmap().pillars.values() if " ".join(p.title.split()) not in squashed]
        assert not missing, f"pillars missing from the PDF text: {missing}"
