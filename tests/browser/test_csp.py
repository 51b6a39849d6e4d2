"""The Content-Security-Policy every page carries is strict and the site's own scripts
satisfy it: Chromium reports no violation on the pages that run the most script (home
with search, a priority, the timeline, the changes page and the 404 page)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser

LISTEN = ("window.__violations = [];"
          "document.addEventListener('securitypolicyviolation', e => window.__violations.push("
          "e.violatedDirective + ' ' + e.blockedURI));")
PAGES = ["", "roadmap/timeline/", "roadmap/changes/", "roadmap/board-pack/", "404.html"]


@pytest.fixture(scope="module")
def page(browser: Browser):
    context = browser.new_context(service_workers="block")
    found = context.new_page()
    found.add_init_script(LISTEN)
    yield found
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_the_site_runs_under_its_policy_without_violations(page, base_url: str, path: str) -> None:
    page.goto(base_url + path, wait_until="load")
    policy = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert policy and "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "default-src 'self'" in policy and "object-src 'none'" in policy
    if path == "":  # search runs a worker and fetches its index
        page.keyboard.press("/")
        page.keyboard.type("leader")
        page.wait_for_selector(".md-search-result__item", timeout=20_000)
    page.wait_for_timeout(300)
    assert page.evaluate("window.__violations") == []


def test_the_policy_is_enforced(page, base_url: str) -> None:
    """The listener works, and an injected inline script is refused."""
    page.goto(base_url, wait_until="load")
    page.evaluate("() => { const s = document.createElement('script');"
                  "s.textContent = 'window.__ran = true'; document.head.append(s); }")
    page.wait_for_timeout(200)
    assert page.evaluate("window.__ran === undefined")
    assert any(v.startswith("script-src") for v in page.evaluate("window.__violations"))
