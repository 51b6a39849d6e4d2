"""`mkdocs serve` picks up a YAML edit without a restart (the hook re-runs the generator),
both as plain `mkdocs serve` and as `make serve` runs it (--dirty: changed pages only)."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from mkdocs.structure.files import File

from generator.builders import BUILDERS, DEFAULT
from generator.pipeline import generate
from tests.conftest import edit, site_project

SEARCH_INDEX = BUILDERS[DEFAULT].search_index
WAIT = 60.0  # seconds to wait for the server; a bound against hangs, not a speed target


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def until(found: Callable[[], bool]) -> bool:
    """Whether `found` comes true within WAIT seconds."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if found():
            return True
        time.sleep(0.3)
    return False


def wait_for(url: str, text: str) -> bool:
    return until(lambda: text in fetch(url))


MAKE_SERVE = ["--dirty", "--no-strict"]  # as the Makefile's serve target runs it
_NAV_LABEL = re.compile(r'class="?md-nav__link[^>]*>\s*<span class="?md-ellipsis"?>\s*(.*?)\s*</span>',
                        re.S)  # attribute quotes may be minified away


@pytest.fixture(params=[[], MAKE_SERVE], ids=["full", "make-serve"])
def served(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[Path, str]]:
    root = site_project(tmp_path)
    assert generate(root / "roadmap", root / "docs").ok  # as `make serve` does first
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", *request.param,
                               "-a", f"127.0.0.1:{port}", "-f", str(root / "mkdocs.yml")],
                              cwd=root, env=env, stdout=subprocess.DEVNULL,
                              stderr=(root / "serve.log").open("w"))  # MkDocs logs to stderr
    try:
        yield root, f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_picks_up_a_yaml_edit(served: tuple[Path, str]) -> None:
    root, base = served
    assert wait_for(f"{base}/", "livereload")  # the preview's script runs: no policy blocks it
    assert "Content-Security-Policy" not in fetch(f"{base}/")
    pillar = root / "roadmap" / "pillars" / "leadership.yaml"
    title = next(line for line in pillar.read_text("utf-8").splitlines() if line.startswith("title:"))
    url = f"{base}/roadmap/pillars/leadership/"
    assert wait_for(url, title.removeprefix("title:").strip().strip('"'))
    edit(pillar, title, "title: Renamed while serving")
    assert wait_for(url, "Renamed while serving")


def test_a_quick_rebuild_keeps_the_navigation_and_search_whole(served: tuple[Path, str]) -> None:
    """Pages --dirty does not rebuild keep their titles in the sidebars of those it does; a
    renamed pillar reaches every sidebar; search lists each page once, with the edit."""
    root, base = served
    priority = f"{base}/roadmap/priorities/leadership-training/"
    assert wait_for(priority, "Run the second cohort")
    edit(root / "roadmap" / "pillars" / "leadership.yaml", "title: Run the second cohort",
         "title: Run the second cohort again")  # a change to three pages; the navigation stays
    assert wait_for(priority, "Run the second cohort again")
    labels = _NAV_LABEL.findall(fetch(priority))
    assert "Shared leadership behaviours" in labels and "Timeline" in labels  # pages not rebuilt
    assert all(labels), "a sidebar entry has lost its title"
    assert wait_for(f"{base}/{SEARCH_INDEX}", "second cohort again")
    locations = [doc["location"] for doc in json.loads(fetch(f"{base}/{SEARCH_INDEX}"))["docs"]]
    assert len(locations) == len(set(locations)), "search lists a page twice"
    assert {"roadmap/pillars/workforce/", "roadmap/timeline/"} <= set(locations)  # pages not rebuilt
    time.sleep(2)  # the file watcher polls twice a second: a build the pages just written set off would show
    log = (root / "serve.log").read_text("utf-8")
    # --dirty: the edited pages, then the hand-written pages that show roadmap data
    assert log.count("Building documentation") == (3 if "preview:" in log else 2)
    edit(root / "roadmap" / "pillars" / "leadership.yaml", "title: Leadership", "title: Leading well")
    assert wait_for(f"{base}/roadmap/pillars/workforce/", "Leading well")  # the sidebar, not the page


def test_a_broken_edit_fails_its_build_and_the_fix_shows(served: tuple[Path, str]) -> None:
    """A build that fails (the roadmap has errors) ends as a build should: the next edit is
    built and shown (under make serve, the failed quick build hands the collector back)."""
    root, base = served
    url = f"{base}/roadmap/pillars/leadership/"
    assert wait_for(url, "livereload")
    pillar = root / "roadmap" / "pillars" / "leadership.yaml"
    title = next(line for line in pillar.read_text("utf-8").splitlines() if line.startswith("title:"))
    edit(pillar, title, 'title: "Never closed')
    log = root / "serve.log"
    assert until(lambda: "the roadmap has errors" in log.read_text("utf-8"))
    edit(pillar, 'title: "Never closed', "title: Mended while serving")
    assert wait_for(url, "Mended while serving")


_PER_SERVER = re.compile(r"livereload\(\d+, \d+\)|127\.0\.0\.1(:|%3A)\d+")  # build time, request, port


def _serve(root: Path, options: list[str], log: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", *options, "-a", f"127.0.0.1:{port}",
                               "-f", str(root / "mkdocs.yml")], cwd=root,
                              env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, stdout=subprocess.DEVNULL,
                              stderr=(root / log).open("w"))
    return server, f"http://127.0.0.1:{port}/"


def _pages(root: Path, base: str) -> dict[str, str]:
    """Every page of the site as served, less what differs by server and build."""
    docs = root / "docs"
    urls = [File(str(path.relative_to(docs)), str(docs), "", use_directory_urls=True).url
            for path in sorted(docs.rglob("*.md"))]
    return {url: _PER_SERVER.sub("", fetch(base + url)) for url in urls}


@pytest.mark.parametrize("quick_bytes", [None, "1"], ids=["small-pages-first", "every-page-big"])
def test_after_a_renamed_pillar_the_quick_builds_show_what_a_full_build_shows(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quick_bytes: str | None) -> None:
    """--dirty remakes the edited pages, then only those whose navigation shows the new title;
    then every page is as a full build makes it. Generated pages too big to show at once
    (here: all of them) follow in the second build."""
    if quick_bytes:  # every changed page is too big, and every task too slow, for the quick build
        monkeypatch.setenv("ROADMAP_PREVIEW_QUICK_BYTES", quick_bytes)
        monkeypatch.setenv("ROADMAP_PREVIEW_QUICK_SECONDS", "-1")
    root = site_project(tmp_path)
    assert generate(root / "roadmap", root / "docs").ok
    server, base = _serve(root, MAKE_SERVE, "dirty.log")
    try:
        assert wait_for(f"{base}roadmap/pillars/workforce/", "Leadership")
        edit(root / "roadmap" / "pillars" / "leadership.yaml", "title: Leadership", "title: Leading well")
        assert wait_for(f"{base}roadmap/pillars/workforce/", "Leading well")  # the sidebar, not the page
        log = root / "dirty.log"
        deadline = time.monotonic() + WAIT
        while log.read_text("utf-8").count("Reloading browsers") < 2 and time.monotonic() < deadline:
            time.sleep(0.3)
        time.sleep(2)  # a third build, if one followed, would show by now
        text = log.read_text("utf-8")
        assert text.count("Reloading browsers") == 2, text  # the edited pages, then those showing the title
        assert "then every page" not in text and "whose navigation or data changed" in text
        quick_build = re.findall(r"preview: rebuilding (\d+) changed page", text)[0]  # 1st: every page
        assert (quick_build == "0") == bool(quick_bytes)  # the edited pages wait for the second build
        quick = _pages(root, base)
    finally:
        server.terminate()
        server.wait(timeout=10)
    server, base = _serve(root, [], "full.log")
    try:
        assert wait_for(f"{base}roadmap/pillars/workforce/", "Leading well")
        full = _pages(root, base)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert quick.keys() == full.keys() and len(full) > 20
    assert all("Leading well" in page for url, page in full.items() if url.startswith("roadmap/pillars/"))
    assert [url for url in full if quick[url] != full[url]] == []
