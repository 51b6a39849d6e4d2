"""Script injection: hostile text in every text field of the roadmap, built into a real site.

Payloads from the OWASP XSS filter evasion cheat sheet (and Markdown, Jinja and
attribute-list tricks) go into every string the schema accepts as free text, and
addresses that pass the link rule but try to break out of a link go into every link
field. The site is built with MkDocs exactly as `roadmap build` builds it, and every
HTML page is compared with the same page of a build of the clean fixture: no new
script, no event-handler attribute, no javascript:/data: address, no element the
clean build does not have, and every payload shown as the text it is.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import html5lib
import pytest
import yaml

from generator.builders import BUILDERS, DEFAULT
from generator.check import check
from generator.check.schema import validator
from generator.links import safe_link
from generator.load import load, pointer_join
from tests.conftest import MINI, REPO

PAYLOADS = [
    "<script>alert('xss-1')</script>",
    "<img src=x onerror=alert('xss-2')>",
    '"><svg onload=alert(3)>',
    "javascript:alert(4)",
    "[click me](javascript:alert(5))",
    "![x](data:text/html;base64,PHNjcmlwdD5hbGVydCg2KTwvc2NyaXB0Pg==)",
    "{{ 7*191 }} {% if true %}jinja{% endif %}",
    "<!-- hidden --><b>bold</b>",
    "&lt;script&gt;alert(8)&lt;/script&gt;",
    "</textarea><script>alert(9)</script>",
    '<a href="javascript:alert(10)">link</a>',
    "<iframe src=javascript:alert(11)></iframe>",
    "<IMG SRC=JaVaScRiPt:alert('xss-12')>",
    "<body onload=alert(13)>",
    "<div style=\"background:url('javascript:alert(14)')\">",
    "`<script>alert(15)</script>`",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(16)>",
    "<https://evil.example/autolink>",
    "'\"><details open ontoggle=alert(17)>",
    "[ref]: javascript:alert(18)",
    "<svg><script>alert&#40;19&#41;</script>",
    "text {: onclick=\"alert(20)\" }",
    "<div markdown=\"1\">*md in html*</div>",
    "<object data=javascript:alert(21)>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(22)">',
    "<base href=\"javascript:alert(23)//\">",
    "<style>body{display:none}</style>",
    "!!! danger \"admonition\"",
    "1. a list? | a | table |",
    "%3Cscript%3Ealert(24)%3C/script%3E",
    "<scr<script>ipt>alert(25)</scr</script>ipt>",
    "\u202e<script>alert(26)</script>",
    "</title><script>alert(27)</script>",
]
# Addresses the link rule lets through (http(s), mailto, relative) that try to break out
# of the link or its attribute.
LINK_PAYLOADS = [
    'https://example.org/"><script>alert(31)</script>',
    "https://example.org/'onmouseover='alert(32)",
    "https://example.org/a)(javascript:alert(33))",
    "https://example.org/?a=1&b=<script>alert(34)</script>",
    "https://example.org/&#106;avascript:alert(35)",
    "mailto:x@example.org?subject=<script>alert(38)</script>",
]
# Addresses the link rule refuses (L001), with where they would lead.
REFUSED_LINKS = [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
    "java\nscript:alert(1)", "javascript:alert(1)\n", "\x01javascript:alert(1)", "\u200bjavascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox(1)", "file:///etc/passwd", "ftp://example.org",
    "tel:+441234", "//evil.example/x", "/\\evil.example/x", "https://exa mple.org",
    # a browser decodes character references in attributes, even without the semicolon
    "javascript&colon;alert(1)", "javascript&#58;alert(1)", "&#106;avascript:alert(1)",
    "&#x6A;avascript&#x3A;alert(1)", "&#106avascript:alert(1)",
    # a relative link holds only a path, a query and an anchor: nothing from Markdown or HTML
    'status-key.md#"><img/src=x/onerror=alert(36)>', "?q=\"onmouseover=alert(37)//",
    "[x](javascript:alert(39))", "pages/a:b",
]
PROBE = "<script>alert(0)</script>"
LINK_KEYS = ("url", "website")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "xlink:href", "srcset"}
_URL_NOISE = re.compile(r"[\t\n\r]")


# ---------------------------------------------------------------- a project, built for real

def make_project(folder: Path, roadmap: Path) -> Path:
    """A project folder like the repository's: mkdocs.yml, overrides/, the hand-written
    docs/ and the generator (linked, so the hook and macros load), around `roadmap`."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.copytree(REPO / "overrides", folder / "overrides")
    docs = REPO / "docs"
    shutil.copytree(docs, folder / "docs", ignore=lambda d, names: ["roadmap"] if Path(d) == docs else [])
    (folder / "generator").symlink_to(REPO / "generator", target_is_directory=True)
    if roadmap != folder / "roadmap":
        shutil.copytree(roadmap, folder / "roadmap")
    return folder


def build(project: Path) -> subprocess.CompletedProcess[str]:
    """`roadmap build` in the project folder, as a contributor would run it."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "generator.cli", "build", "roadmap", "--docs", "docs",
               "--config", "mkdocs.yml", "--site", "site"]
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, check=False)


def built(project: Path) -> Path:
    done = build(project)
    assert done.returncode == 0, done.stdout + done.stderr
    return project / "site"


# ---------------------------------------------------------------- payloads into every text field

def leaves(data: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from leaves(value, pointer_join(pointer, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from leaves(value, pointer_join(pointer, i))
    else:
        yield pointer, data


def _parts(pointer: str) -> list[str]:
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]


def _pointer(path: Iterable[str | int]) -> str:
    pointer = ""
    for part in path:
        pointer = pointer_join(pointer, part)
    return pointer


def set_at(data: Any, pointer: str, value: Any) -> None:
    *parents, last = _parts(pointer)
    for part in parents:
        data = data[int(part)] if isinstance(data, list) else data[part]
    if isinstance(data, list):
        data[int(last)] = value
    else:
        data[last] = value


@dataclass
class Injection:
    """Which payload went where, so the test can say which field leaked."""

    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (file, pointer, payload)
    links: list[tuple[str, str, str]] = field(default_factory=list)


def free_text(kind: str, data: Any) -> list[str]:
    """The pointers of every free-text field: put a probe in every string, then take it
    back out of every field whose schema refuses it (ids, references, dates, choices)."""
    original = dict(leaves(data))
    probe = copy.deepcopy(data)
    placed = [p for p, v in original.items() if isinstance(v, str) and _parts(p)[-1] not in LINK_KEYS]
    for pointer in placed:
        set_at(probe, pointer, PROBE)
    while refused := {_pointer(error.absolute_path) for error in validator(kind).iter_errors(probe)}:
        back = [p for p in placed if any(p == r or p.startswith(r + "/") for r in refused)]
        assert back, f"the schema refuses something other than a payload: {sorted(refused)}"
        for pointer in back:
            set_at(probe, pointer, original[pointer])
            placed.remove(pointer)
    return placed


def inject(root: Path, hostile: bool = True) -> Injection:
    """Rewrite every roadmap file under root with payloads in every free-text field and
    link payloads in added link fields; returns where each payload went. Not hostile:
    the same link fields, with plain values, so both builds have the same structure."""
    injection = Injection()
    payloads = iter(PAYLOADS * 1000 if hostile else ["A source"] * 1000)
    links = iter(LINK_PAYLOADS * 10 if hostile else ["https://example.org/"] * 100)
    for source in load(root).sources:
        data = source.data
        rel = source.rel.removeprefix("roadmap/")
        for pointer in free_text(source.kind, data) if hostile else []:
            payload = next(payloads)
            set_at(data, pointer, payload)
            injection.fields.append((rel, pointer, payload))
        if source.kind == "organisations":
            for i, org in enumerate(data["organisations"]):
                org["website"] = next(links)
                injection.links.append((rel, f"/organisations/{i}/website", org["website"]))
        if source.kind == "framework":
            data["source"]["url"] = next(links)
            injection.links.append((rel, "/source/url", data["source"]["url"]))
        if source.kind == "pillar":
            data["sources"] = [{"title": next(payloads), "url": next(links)} for _ in range(3)]
            injection.links += [(rel, f"/sources/{i}/url", s["url"]) for i, s in enumerate(data["sources"])]
        header = source.text.split("\n", 1)[0]
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000)
        (root / rel).write_text(f"{header}\n{text}", "utf-8")
    return injection


# ---------------------------------------------------------------- reading the built HTML

@dataclass
class Page:
    """What a page holds that script could hide in, read as a browser reads it: html5lib
    follows the WHATWG parsing rules (the text inside <title> is never markup, for one),
    and decodes character references in attributes as a browser does."""

    tags: Counter[str] = field(default_factory=Counter)
    scripts: list[str] = field(default_factory=list)
    handlers: set[tuple[str, str, str]] = field(default_factory=set)
    urls: set[tuple[str, str, str]] = field(default_factory=set)
    text: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, html: str) -> Page:
        page = cls()
        for element in html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False).iter():
            if not isinstance(element.tag, str):  # a comment
                page.text.append(element.tail or "")
                continue
            tag = _local(element.tag)
            page.tags[tag] += 1
            for name, value in element.attrib.items():
                name = _local(name)
                if name.startswith("on"):
                    page.handlers.add((tag, name, value))
                if name in URL_ATTRIBUTES and value and unsafe_url(value):
                    page.urls.add((tag, name, value))
            if tag == "script":
                page.scripts.append(element.get("src") or element.text or "")
            else:
                page.text.append(element.text or "")
            page.text.append(element.tail or "")
        return page

    @property
    def plain(self) -> str:
        return " ".join(" ".join(self.text).split())


def _local(name: str) -> str:
    """A name without its namespace ({http://www.w3.org/2000/svg}svg is svg)."""
    return name.rpartition("}")[2]


def unsafe_url(value: str) -> bool:
    """Whether a browser would run or inline this address (it strips leading controls and
    spaces, and tabs and newlines anywhere, before reading the scheme)."""
    url = _URL_NOISE.sub("", value).lstrip("".join(map(chr, range(33)))).lower()
    return url.startswith(("javascript:", "data:", "vbscript:"))


def read_site(site: Path) -> dict[str, Page]:
    pages = {}
    for path in sorted(site.rglob("*.html")):
        pages[path.relative_to(site).as_posix()] = Page.parse(path.read_text("utf-8"))
    return pages


# ---------------------------------------------------------------- the builds

@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Page]:
    project = make_project(tmp_path_factory.mktemp("clean"), MINI / "roadmap")
    inject(project / "roadmap", hostile=False)
    return read_site(built(project))


@dataclass
class Hostile:
    project: Path
    injection: Injection
    pages: dict[str, Page]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    project = make_project(tmp_path_factory.mktemp("hostile"), MINI / "roadmap")
    injection = inject(project / "roadmap")
    errors = [f.text() for f in check(load(project / "roadmap")) if f.severity == "error"]
    assert not errors, "the payloads must pass the check:\n" + "\n".join(errors)
    return Hostile(project, injection, read_site(built(project)))


def test_payloads_reach_every_kind_of_file_and_every_payload_is_used(hostile: Hostile) -> None:
    fields = hostile.injection.fields
    assert len(fields) >= 60
    files = {file for file, _, _ in fields}
    assert files == {p.relative_to(MINI / "roadmap").as_posix() for p in (MINI / "roadmap").rglob("*.yaml")}
    assert {payload for _, _, payload in fields} == set(PAYLOADS)
    assert {payload for _, _, payload in hostile.injection.links} == set(LINK_PAYLOADS)


def test_no_script_other_than_the_themes(clean: dict[str, Page], hostile: Hostile) -> None:
    assert hostile.pages.keys() == clean.keys()
    changed = [page for page in clean if sorted(hostile.pages[page].scripts) != sorted(clean[page].scripts)]
    assert not changed


def test_no_event_handler_attributes(clean: dict[str, Page], hostile: Hostile) -> None:
    leaks = {page: sorted(p.handlers - clean[page].handlers) for page, p in hostile.pages.items()}
    assert not {page: found for page, found in leaks.items() if found}


def test_no_javascript_or_data_addresses(clean: dict[str, Page], hostile: Hostile) -> None:
    leaks = {page: sorted(p.urls - clean[page].urls) for page, p in hostile.pages.items()}
    assert not {page: found for page, found in leaks.items() if found}


def test_no_element_the_clean_build_does_not_have(clean: dict[str, Page], hostile: Hostile) -> None:
    """Data adds no markup: no page has more of any element than the same page built
    from the clean fixture (an <img>, <svg>, <iframe> or <style> would show here)."""
    extra = {page: {tag: n for tag, n in (p.tags - clean[page].tags).items()}
             for page, p in hostile.pages.items()}
    assert not {page: tags for page, tags in extra.items() if tags}


def test_every_payload_is_shown_as_written(hostile: Hostile) -> None:
    text = "\n".join(page.plain for page in hostile.pages.values())
    missing = [p for p in PAYLOADS if " ".join(p.split()) not in text]
    assert not missing


def test_template_syntax_in_data_is_not_evaluated(clean: dict[str, Page], hostile: Hostile) -> None:
    count = sum(page.plain.count("1337") for page in hostile.pages.values())  # 7*191
    assert count == sum(page.plain.count("1337") for page in clean.values())


def test_search_index_holds_no_markup_from_data(hostile: Hostile) -> None:
    """Material renders search results from the index: its text must be escaped too."""
    index = json.loads((hostile.project / "site" / BUILDERS[DEFAULT].search_index).read_text("utf-8"))
    leaks = []
    for doc in index["docs"]:
        for name in ("title", "text"):
            page = Page.parse(doc.get(name, ""))
            if page.tags.keys() & {"script", "img", "svg", "iframe", "style", "object", "base", "meta"} \
                    or page.handlers or page.urls:
                leaks.append(f"{doc['location']} {name}: {doc[name][:120]}")
    assert not leaks, "\n".join(leaks)


# ---------------------------------------------------------------- the link rule

@pytest.mark.parametrize("url", ["https://example.org/a?b=c&d=e", "http://example.org",
                                 "mailto:team@example.org", "../contribute.md",
                                 "roadmap/status-key.md#on-track", "#top"])
def test_safe_links_are_accepted(url: str) -> None:
    assert safe_link(url)


@pytest.mark.parametrize("url", REFUSED_LINKS)
def test_other_schemes_are_an_l001_error_at_their_line(url: str, mini: Path) -> None:
    path = mini / "frameworks" / "ltwp.yaml"
    text = path.read_text("utf-8")
    old = "url: https://www.england.nhs.uk/long-read/nhs-long-term-workforce-plan-2/"
    path.write_text(text.replace(old, f"url: {json.dumps(url)}"), "utf-8")
    found = [(f.path, f.line, f.col) for f in check(load(mini)) if f.code == "L001"]
    assert found == [("roadmap/frameworks/ltwp.yaml", 12, 8)]
