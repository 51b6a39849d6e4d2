"""Browser tests: the built site in real Chromium, served from 127.0.0.1.

One session builds the site once (with its board-pack PDF), serves it with a threaded
http.server on a random port, and launches Debian's Chromium through Playwright (never a
browser Playwright downloads). Browser contexts are named and shared between tests; each
aborts and records any request to another host.

Without Chromium or Playwright the tests are skipped with the reason, except in CI
(CI=true), where a missing browser is a failure: the accessibility checks must run there.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import os
import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.conftest import REPO, SAMPLE, site_project

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
DESKTOP = (1280, 800)
PHONE = (390, 844)
# Every request to a host other than 127.0.0.1 is aborted and recorded.
ELSEWHERE = re.compile(r"^(?!(?:https?|wss?)://127\.0\.0\.1[:/]|data:|blob:|about:)")


def _missing() -> str | None:
    if importlib.util.find_spec("playwright") is None:
        return "Playwright is not installed (pip install playwright; do not run `playwright install`)"
    if not Path(CHROMIUM).is_file():
        return (f"Chromium is not at {CHROMIUM} (apt-get install chromium, or set CHROMIUM "
                "to the browser's path)")
    return None


def require_browser() -> None:
    """Skip when there is no browser to test with; fail instead in CI, where there must be."""
    problem = _missing()
    if problem is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"the browser tests cannot run in CI: {problem}", pytrace=False)
    pytest.skip(f"browser tests skipped: {problem}")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample roadmap (a fixture) built into a temporary folder with the repository's site
    configuration, with its board-pack PDF."""
    require_browser()
    folder = tmp_path_factory.mktemp("browser")
    project, site = site_project(folder / "project", SAMPLE / "roadmap"), folder / "site"
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "NO_MKDOCS_2_WARNING": "1",
           "PYTHONPATH": str(REPO), "CHROMIUM": CHROMIUM}
    done = subprocess.run([sys.executable, "-m", "generator.cli", "build", "--site", str(site)],
                          cwd=project, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (site / "roadmap" / "board-pack.pdf").is_file(), f"the board-pack PDF was not made: {done.stderr}"
    return site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def base_url(built_site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def site_pages(built_site: Path) -> list[str]:
    """Every HTML page of the built site, as a path relative to the site's root."""
    return sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html"))


@pytest.fixture(scope="package")  # closed before other tests start a browser of their own
def playwright_driver() -> Iterator[Playwright]:
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="package")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    launched = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
    yield launched
    launched.close()


@dataclass
class Visit:
    """A browser context with one page that tests reuse."""

    name: str
    context: BrowserContext
    page: Page
    base_url: str
    elsewhere: list[str] = field(default_factory=list)

    def open(self, path: str) -> Page:
        self.page.goto(self.base_url + path, wait_until="load")
        return self.page


@pytest.fixture(scope="package")
def visit(browser: Browser, base_url: str) -> Iterator[Callable[[str, tuple[int, int], str], Visit]]:
    """visit(name, (width, height), "light" | "dark"): the context of that name, made on
    first use with that viewport and system palette, and shared by every test after."""
    made: dict[str, Visit] = {}

    def get(name: str, size: tuple[int, int], scheme: str) -> Visit:
        key = name
        if key not in made:
            context = browser.new_context(viewport={"width": size[0], "height": size[1]},
                                          color_scheme="dark" if scheme == "dark" else "light",
                                          reduced_motion="reduce", service_workers="block")
            context.set_default_timeout(20_000)
            found = Visit(name, context, context.new_page(), base_url)

            def refuse(route: Any) -> None:
                found.elsewhere.append(route.request.url)
                route.abort()

            context.route(ELSEWHERE, refuse)
            made[key] = found
        return made[key]

    yield get
    for found in made.values():
        found.context.close()
