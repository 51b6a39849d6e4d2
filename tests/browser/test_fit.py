"""Every page of a fixture site fits its content column at 1280 and 390 px wide, in the light
and dark palettes: no element inside the column is wider than it, no table or figure
scrolls on a desktop (code blocks may), a table that scrolls on a phone keeps its first column in view, and
chart text is at least 12 CSS px."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.browser.conftest import DESKTOP, PHONE, _QuietHandler, require_browser
from tests.test_html_valid import build_fixture_site

if TYPE_CHECKING:
    from playwright.sync_api import Browser

FIT = r"""(phone) => {
  const col = document.querySelector("article.md-content__inner");
  if (!col) return ["no content column"];
  const box = col.getBoundingClientRect();
  const name = (e) => e.tagName.toLowerCase()
    + (e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\s+/).join(".") : "")
    + ` "${(e.textContent || "").trim().slice(0, 40)}"`;
  const scrolls = (e) => ["auto", "scroll"].includes(getComputedStyle(e).overflowX);
  const out = [];
  for (const e of col.querySelectorAll("*")) {
    if (e.closest(".lr-sr")) continue;
    let up = e.parentElement, inside = false;
    while (up && up !== col) { if (scrolls(up)) { inside = true; break; } up = up.parentElement; }
    if (inside) continue;  // the scroll box around it is checked below
    const r = e.getBoundingClientRect();
    if (!r.width || !r.height) continue;
    if (r.right > box.right + 1 || r.left < box.left - 1) {
      out.push(`${name(e)} is ${Math.round(r.width)} px wide, the column ${Math.round(box.width)} px`);
    }
  }
  for (const e of col.querySelectorAll("*")) {
    if (!scrolls(e) || e.scrollWidth <= e.clientWidth + 1) continue;
    if (!e.querySelector("table, svg") && e.tagName !== "FIGURE") continue;  // code may scroll
    if (!phone) { out.push(`${name(e)} scrolls sideways on a desktop`); continue; }
    const first = e.querySelector("tbody tr > :first-child");
    if (!first || getComputedStyle(first).position !== "sticky") {
      out.push(`${name(e)} scrolls sideways without its first column in view`);
    }
  }
  for (const t of col.querySelectorAll(".lr-chart svg text")) {
    const size = parseFloat(getComputedStyle(t).fontSize) * t.ownerSVGElement.getScreenCTM().a;
    if (size < 12) out.push(`chart text "${t.textContent}" is ${size.toFixed(1)} CSS px`);
  }
  return out;
}"""


@pytest.fixture(scope="module")
def fixture_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    require_browser()
    site = build_fixture_site(tmp_path_factory.mktemp("fit"))
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.name != "404.html")
    yield f"http://127.0.0.1:{server.server_address[1]}/", pages
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_every_page_fits_its_column(browser: Browser, fixture_url: tuple[str, list[str]], width: str,
                                    scheme: str) -> None:
    base, pages = fixture_url
    size = DESKTOP if width == "desktop" else PHONE
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, color_scheme=scheme,
                                  reduced_motion="reduce", service_workers="block")
    try:
        page = context.new_page()
        problems, charts = [], 0
        for path in pages:
            page.goto(base + path, wait_until="load")
            expected = "slate" if scheme == "dark" else "default"
            assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected
            problems += [f"{path}: {p}" for p in page.evaluate(FIT, width == "phone")]
            charts += page.locator(".lr-chart svg").count()
    finally:
        context.close()
    assert charts >= 2, "the fixture site has no charts to measure"
    assert not problems, f"{len(problems)} problem(s) at {size[0]} px, {scheme}:\n" + "\n".join(problems)
