"""The published site and its data (issue 17, class 6): a site built for publishing has
its address, a valid sitemap, canonical links, a right 404 page, a meta description per
page, a linked feed, a strict Content-Security-Policy, and downloads whose schema, CSV
and calendar hold up. Built once from the mini fixture, as the Pages workflow builds it."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
import xmlschema
from icalendar import Calendar
from jsonschema import Draft202012Validator, FormatChecker

from generator.columns import CSV_COLUMNS, CSV_DESCRIPTIONS
from generator.export import published_schema, to_csv, to_ics, to_json
from generator.pipeline import run
from tests.conftest import MINI, REPO, edit, site_project

SITE_URL = "https://example.org/sub/"
SITEMAP_XSD = REPO / "tests" / "fixtures" / "sitemap-0.9.xsd"
ATOM = "{http://www.w3.org/2005/Atom}"


def build(project: Path, *args: str, site_url: str | None = SITE_URL) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SITE_URL", None)
    env.pop("ROADMAP_AS_AT", None)
    if site_url:
        env["SITE_URL"] = site_url
    return subprocess.run([sys.executable, "-m", "generator.cli", "build", *args], cwd=project, env=env,
                          capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = site_project(tmp_path_factory.mktemp("published"))
    done = build(project, "--publish")
    assert done.returncode == 0, done.stdout + done.stderr
    return project / "site"


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_publishing_needs_site_url(tmp_path: Path) -> None:
    (tmp_path / "project").mkdir()
    project = site_project(tmp_path / "project")
    done = build(project, "--publish", site_url=None)
    assert done.returncode != 0 and "site_url is not set" in done.stderr
    assert not (project / "site").exists()
    assert build(project, site_url=None).returncode == 0  # a preview build needs no address


def test_sitemap_is_valid_and_lists_every_page(site: Path) -> None:
    schema = xmlschema.XMLSchema(SITEMAP_XSD)
    schema.validate(str(site / "sitemap.xml"))
    empty = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>'
    assert not schema.is_valid(empty)  # what a build without site_url wrote
    locs = {e.text for e in ET.parse(site / "sitemap.xml").iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert f"{SITE_URL}roadmap/pillars/leadership/" in locs and len(locs) > 30


def test_canonical_links_and_the_404_page_work_under_a_sub_path(site: Path) -> None:
    home = (site / "index.html").read_text("utf-8")
    assert re.search(rf'<link href="?{re.escape(SITE_URL)}"? rel="?canonical', home)
    missing = (site / "404.html").read_text("utf-8")
    assert "<title>Page not found - " in missing
    paths = re.findall(r'(?:href|src)="?(/[^" >]*)', missing)
    assert paths and all(p.startswith("/sub/") for p in paths), paths


def test_every_page_has_its_own_meta_description(site: Path) -> None:
    found = {}
    for page in pages(site):
        text = page.read_text("utf-8")
        match = re.search(r'<meta content="?([^">]*)"? name=description>', text)
        assert match, page
        found[page.relative_to(site).as_posix()] = match[1]
    assert found["roadmap/pillars/leadership/index.html"] == "Leaders behave well."
    assert len(set(found.values())) >= 0.8 * len(found)  # not one description for every page
    assert all(len(d) <= 161 for d in found.values())


def test_the_feed_links_itself_its_page_and_each_entry(site: Path) -> None:
    feed = ET.parse(site / "roadmap" / "changes.xml").getroot()
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links == {"self": f"{SITE_URL}roadmap/changes.xml", "alternate": f"{SITE_URL}roadmap/changes/"}
    entries = feed.findall(f"{ATOM}entry")
    assert entries and all(e.find(f"{ATOM}link").get("href").startswith(f"{SITE_URL}roadmap/changes/#")
                           for e in entries)
    changes = (site / "roadmap" / "changes" / "index.html").read_text("utf-8")
    for entry in entries:
        anchor = entry.find(f"{ATOM}link").get("href").split("#", 1)[1]
        assert f"id={anchor}" in changes or f'id="{anchor}"' in changes
    for page in (site / "index.html", site / "roadmap" / "pillars" / "leadership" / "index.html"):
        head = page.read_text("utf-8").split("</head>", 1)[0]
        link = re.search(r'<link title="[^"]*" href="?([^" >]+)"? rel=alternate '
                         r'type=application/atom\+xml>', head)
        assert link and (page.parent / link[1]).resolve() == (site / "roadmap" / "changes.xml").resolve()


def test_every_page_carries_a_strict_content_security_policy(site: Path) -> None:
    for page in pages(site):
        text = page.read_text("utf-8")
        head = text.split("</head>", 1)[0]
        policy = re.search(r'<meta http-equiv="?Content-Security-Policy"? content="([^"]+)"', head)
        assert policy, page
        assert "'unsafe-inline'" not in policy[1] and "'unsafe-eval'" not in policy[1]
        assert head.index("Content-Security-Policy") < head.find("<script") or "<script" not in head


def test_calendar_events_link_back_and_describe_themselves(site: Path) -> None:
    calendar = Calendar.from_ical((site / "roadmap" / "downloads" / "roadmap.ics").read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert events and all(str(e.get("DESCRIPTION", "")) for e in events)
    for event in events:
        url = str(event["URL"])
        assert url.startswith(SITE_URL)
        assert (site / url.removeprefix(SITE_URL).split("#")[0] / "index.html").is_file(), url


def test_the_export_validates_against_its_published_schema_with_formats(site: Path) -> None:
    downloads = site / "roadmap" / "downloads"
    schema = json.loads((downloads / "roadmap.schema.json").read_text("utf-8"))
    assert schema == published_schema()
    data = json.loads((downloads / "roadmap.json").read_text("utf-8"))
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    assert list(validator.iter_errors(data)) == []
    tool = Path(sys.executable).with_name("check-jsonschema")  # the venv's, independent of ours
    done = subprocess.run([str(tool), "--schemafile", str(downloads / "roadmap.schema.json"),
                           str(downloads / "roadmap.json")], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(("where", "value"), [
    (("actions", 0, "due"), "31/12/2026"), (("priorities", 0, "status"), "bogus"),
    (("pillars", 0, "last_reviewed"), "2025-02-30"), (("organisations", 0, "kind"), "castle"),
    (("governance", 0, "cadence"), "hourly"), (("measures", 0, "direction"), "sideways"),
    (("reviews", 0, "status_changes", 0, "to"), "done-ish"), (("priorities", 0, "start"), "2025-13-01"),
])
def test_the_published_schema_refuses_bad_values(where: tuple[object, ...], value: str) -> None:
    roadmap = run(MINI / "roadmap").roadmap
    assert roadmap is not None
    data = json.loads(to_json(roadmap))
    node = data
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
    validator = Draft202012Validator(published_schema(), format_checker=FormatChecker())
    assert list(validator.iter_errors(data)), f"{where} = {value!r} validated"


def test_every_csv_column_is_described_on_the_downloads_page(site: Path) -> None:
    page = (site / "roadmap" / "downloads" / "index.html").read_text("utf-8")
    for name, columns in CSV_COLUMNS.items():
        for column in columns:
            assert CSV_DESCRIPTIONS.get(column), f"{name}: {column} has no description"
            assert f"<code>{column}</code>" in page, column


@pytest.mark.parametrize("title", ["x;=HYPERLINK(\"https://evil.example\")", "=1+1", " @SUM(A1)",
                                   "ok; -2+3", "tab\t;+cmd"])
def test_csv_cells_cannot_become_formulas_in_any_locale(mini: Path, title: str) -> None:
    edit(mini / "pillars" / "leadership.yaml", "title: Run the first cohort", f"title: {json.dumps(title)}")
    roadmap = run(mini).roadmap
    assert roadmap is not None, title
    text = to_csv(roadmap)["actions.csv"]
    for delimiter in (",", ";", "\t"):
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            assert not any(cell.lstrip(" ")[:1] in "=+-@" and cell.strip() not in ("-",) and
                           not re.fullmatch(r"-?\d+(\.\d+)?", cell) for cell in row), (delimiter, row)


def test_a_renamed_item_keeps_its_calendar_events(mini: Path) -> None:
    before = to_ics(run(mini).roadmap)
    edit(mini / "pillars" / "leadership.yaml", "{id: first-cohort,",
         "{id: cohort-one, renamed_from: [first-cohort],")
    edit(mini / "pillars" / "leadership.yaml", "id: leadership-training\n",
         "id: training\n    renamed_from: [leadership-training]\n")
    shutil.rmtree(mini / "reviews")  # the review names the old priority id
    after = to_ics(run(mini).roadmap)
    uids = {str(e["UID"]) for e in Calendar.from_ical(after.encode()).walk("VEVENT")}
    old = {str(e["UID"]) for e in Calendar.from_ical(before.encode()).walk("VEVENT")}
    assert {"action-first-cohort@living-roadmap", "priority-leadership-training-start@living-roadmap"} <= uids
    assert {u for u in uids if "review" not in u} <= old


def test_check_and_build_as_at_a_date(mini: Path, tmp_path: Path) -> None:
    def check(*args: str) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k != "ROADMAP_AS_AT"}
        return subprocess.run([sys.executable, "-m", "generator.cli", "check", str(mini), *args], cwd=REPO,
                              env=env, capture_output=True, text=True, check=False)

    now = check().stdout
    later = check("--as-at", "2030-01-01").stdout
    assert "D004" not in now and "D004" in later  # what became overdue
    assert later.count("was due") > now.count("was due")
    assert check("--as-at", "today").returncode in (0, 1)
    bad = check("--as-at", "someday")
    assert bad.returncode == 2 and "--as-at 'someday'" in bad.stderr
    summary = check("--as-at", "2030-01-01", "--format", "markdown").stdout
    assert summary.startswith("- roadmap/") and "D003" in summary and "https://" not in summary
    (tmp_path / "project").mkdir()
    project = site_project(tmp_path / "project")
    assert build(project, "--as-at", "2030-01-01", site_url=None).returncode == 0
    assert "1 January 2030" in (project / "site" / "index.html").read_text("utf-8")


def test_as_at_reaches_the_model_in_one_place(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROADMAP_AS_AT", "2031-05-01")
    roadmap = run(mini).roadmap
    assert roadmap is not None and roadmap.as_at == date(2031, 5, 1)
