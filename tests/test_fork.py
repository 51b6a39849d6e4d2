"""A fork that replaces roadmap/ entirely: a copy of the project whose roadmap is made by
`roadmap init` and `roadmap new`, published by someone else. Its content test passes,
`make site` builds it, and nothing of the shipped roadmap's publisher is left in the site.
The built site is then read for the things a fork relies on: edit links that open real
files on the configured branch, and "Suggest a change" links to the issue forms."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import yaml

from tests.conftest import REPO
from tests.test_content import publisher_names

# The fork's organisation, spelt in parts: the fork's own content test checks that no file
# outside roadmap/ and mkdocs.yml names it, and this file is one of the fork's files.
ORG = " ".join(["Harbourside", "Health and Care", "Partnership"])
REPO_URL = "https://github.com/harbourside/roadmap"
BRANCH = "trunk"
EMAIL = "roadmap@harbourside.example"
PUBLISHER = {
    "site_name": "Harbourside Workforce Roadmap",
    "site_description": "The workforce roadmap of the health and care partners by the harbour.",
    "repo_url": REPO_URL,
    "repo_name": "roadmap",
    "copyright": "Published by the health and care partners by the harbour.",
}
PUBLISHER_EXTRA = {"name": ORG, "email": EMAIL, "branch": BRANCH,
                   "calendar_domain": "roadmap.harbourside.example"}
FORMS = REPO / ".github" / "ISSUE_TEMPLATE"


def sh(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, check=False,
                          env={**os.environ, **(env or {})})


def copy_project(dest: Path) -> None:
    """Every tracked file of the project, as it is on disk, except the roadmap."""
    listed = sh(REPO, "git", "ls-files", "-z")
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    for rel in listed.stdout.split("\0"):
        source = REPO / rel
        if rel and not rel.startswith("roadmap/") and source.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / rel)


def fill_in(root: Path) -> None:
    """What the fork's people write: every placeholder replaced with their own words."""
    for path in root.rglob("*.yaml"):
        text = path.read_text("utf-8")
        text = re.sub(r'"TODO[^"\n]*"', '"Agreed by the partnership board."', text)
        text = re.sub(r"(?m)(: )TODO - [^\n]*$", r"\1Agreed by the partnership board.", text)
        path.write_text(text, "utf-8")


def set_publisher(config: Path) -> None:
    """The one place for who publishes: mkdocs.yml's standard keys and extra.publisher."""
    text = config.read_text("utf-8")
    for key, value in PUBLISHER.items():
        text = re.sub(rf"(?m)^{key}: .*$", f"{key}: {value}", text)
    for key, value in PUBLISHER_EXTRA.items():
        text = re.sub(rf"(?m)^(    {key}:) .*$", rf'\1 "{value}"', text, count=1)
    config.write_text(text, "utf-8")


@pytest.fixture(scope="module")
def fork(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("fork") / "harbourside"
    copy_project(project)
    roadmap = project / "roadmap"
    run = [sys.executable, "-m", "generator.cli"]
    made = sh(project, *run, "init", "roadmap", "--title", "Harbourside workforce roadmap",
              "--organisation", ORG, "--date", "2026-12-01")
    assert made.returncode == 0, made.stderr
    for kind, *extra in (("organisation",), ("body",), ("measure",), ("pillar",),
                         ("priority", "--pillar", "first-pillar"),
                         ("action", "--priority", "first-priority")):
        done = sh(project, *run, "new", kind, *extra, "--title", f"Harbourside {kind}")
        assert done.returncode == 0, done.stderr
    fill_in(roadmap)
    set_publisher(project / "mkdocs.yml")
    for args in (("init", "-q", "-b", BRANCH), ("add", "-A"), ("commit", "-qm", "Our own roadmap")):
        assert sh(project, "git", *args, env={"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.org",
                                               "GIT_COMMITTER_NAME": "T",
                                               "GIT_COMMITTER_EMAIL": "t@example.org"}).returncode == 0
    return project


@pytest.fixture(scope="module")
def site(fork: Path) -> Path:
    """`make site` in the fork, with this machine's environment (no new .venv)."""
    bin_dir = Path(sys.executable).parent
    done = sh(fork, "make", "site", f"BIN={bin_dir}", "STAMP=",
              env={"SOURCE_DATE_EPOCH": "1700000000", "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"})
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return fork / "site"


def test_the_forks_roadmap_passes_the_check_with_no_placeholders_left(fork: Path) -> None:
    done = sh(fork, sys.executable, "-m", "generator.cli", "check", "--strict")
    assert done.returncode == 0, done.stdout


def test_the_content_tests_pass_on_the_forks_roadmap(fork: Path) -> None:
    """tests/test_content.py checks the fork's roadmap; the other content tests check items
    of the shipped roadmap, and skip themselves in a fork."""
    files = sorted(p.relative_to(fork).as_posix() for p in (fork / "tests").rglob("test_*content*.py"))
    done = sh(fork, sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", *files)
    assert done.returncode == 0, done.stdout[-4000:]
    assert "4 passed" in done.stdout, done.stdout[-2000:]
    assert len(files) == 1 or "skipped" in done.stdout, done.stdout[-2000:]


def texts(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): p.read_text("utf-8") for p in sorted(site.rglob("*"))
            if p.suffix in (".html", ".xml", ".json", ".ics", ".csv")}


def test_nothing_of_the_shipped_publisher_is_left_in_the_site(site: Path) -> None:
    names = publisher_names()  # the organisations of the roadmap this repository ships
    assert names
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + r")\b")
    found = [f"{rel}: {m[0]}" for rel, text in texts(site).items() for m in pattern.finditer(text)]
    assert found == [], "\n".join(found[:30])
    home = (site / "index.html").read_text("utf-8")
    assert PUBLISHER["site_name"] in home and ORG in home
    calendar = (site / "roadmap" / "downloads" / "roadmap.ics").read_text("utf-8")
    assert "@roadmap.harbourside.example" in calendar


class Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links.append({k: v or "" for k, v in attrs})


def anchors(page: Path) -> list[dict[str, str]]:
    parser = Anchors()
    parser.feed(page.read_text("utf-8"))
    return parser.links


def pages(site: Path) -> list[Path]:
    """Every page a reader can open (redirect stubs left out)."""
    return [p for p in sorted(site.rglob("*.html")) if "http-equiv=refresh" not in
            p.read_text("utf-8").replace('"', "")]


def test_every_edit_link_opens_a_real_source_file_on_the_configured_branch(site: Path, fork: Path) -> None:
    tracked = set(sh(fork, "git", "ls-files").stdout.splitlines())
    prefix = f"{REPO_URL}/edit/{BRANCH}/"
    edits: dict[str, str] = {}
    for page in pages(site):
        found = [a["href"] for a in anchors(page) if a.get("rel") == "edit"]
        assert len(found) <= 1, page
        if found:
            edits[page.relative_to(site).as_posix()] = found[0]
    wrong = {p: href for p, href in edits.items()
             if not href.startswith(prefix) or href.removeprefix(prefix) not in tracked}
    assert wrong == {}
    # The pages made from one file open it; the pages made from many have no edit link.
    pillar = prefix + "roadmap/pillars/first-pillar.yaml"
    assert edits["roadmap/pillars/first-pillar/index.html"] == pillar
    assert edits["roadmap/priorities/first-priority/index.html"] == pillar
    assert edits["roadmap/governance/index.html"] == prefix + "roadmap/governance.yaml"
    assert edits["accessibility/index.html"] == prefix + "docs/accessibility.md"
    for view in ("timeline", "alignment", "learning-log", "board-pack", "changes", "data-dictionary"):
        assert f"roadmap/{view}/index.html" not in edits, view
    assert "roadmap/pillars/index.html" not in edits


def form_fields(name: str) -> set[str]:
    form = yaml.safe_load((FORMS / name).read_text("utf-8"))
    return {item["id"] for item in form["body"] if "id" in item}


def test_every_page_links_to_the_issue_forms_with_the_page_and_item(site: Path) -> None:
    forms = {p.name for p in FORMS.glob("*.yml")} - {"config.yml"}
    assert forms == {"correct-an-item.yml", "update-a-status.yml", "propose-a-priority.yml",
                     "accessibility-problem.yml"}
    for page in pages(site):
        if page.name == "404.html":
            continue
        links = [a["href"] for a in anchors(page)]
        new = [urlsplit(h) for h in links if h.startswith(f"{REPO_URL}/issues/new?")]
        used = {parse_qs(u.query)["template"][0] for u in new}
        assert used == forms, page
        for url in new:
            query = parse_qs(url.query)
            template = query.pop("template")[0]
            assert set(query) <= form_fields(template), (page, template, set(query))
            assert query["page"][0].endswith("/" + page.parent.relative_to(site).as_posix() + "/"
                                             if page.parent != site else "/"), (page, query["page"])
        mail = [h for h in links if h.startswith(f"mailto:{EMAIL}?")]
        assert len(mail) == 1, page
        assert "Page:" in unquote(mail[0])
    priority = site / "roadmap" / "priorities" / "first-priority" / "index.html"
    correct = next(h for h in (a["href"] for a in anchors(priority)) if "correct-an-item" in h)
    item = "Agreed by the partnership board. (priority first-priority)"
    assert parse_qs(urlsplit(correct).query)["item"] == [item]


def test_the_accessibility_statement_takes_its_facts_from_the_configuration_and_the_build(site: Path) -> None:
    html = (site / "accessibility" / "index.html").read_text("utf-8")
    assert "fill in" not in html.lower()
    assert ORG in html and f"mailto:{EMAIL}" in html
    count = re.search(r"(\d+) pages in this build", html)
    assert count and int(count[1]) == len(pages(site))
