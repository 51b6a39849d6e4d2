"""axe-core on every page of the built site, at desktop and phone widths, in the light and
dark palettes: no WCAG 2.2 A or AA violation anywhere, no sideways scrolling of the whole
page on a phone (WCAG 1.4.10), and no request to any host but 127.0.0.1. The same sweep
checks what axe does not: headings in order, tables with captions and headers, link names
that say where they go, statuses in words, and no Markdown escapes shown as text.

The sweep loads each page once per width and checks it in both palettes, switching with
the site's own palette toggle in between, as a reader would. axe is started in both
browser contexts before either result is collected, so on a machine with two cores the
two renderer processes work at the same time.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.browser.conftest import DESKTOP, PHONE, Visit

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
OPTIONS = {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}
WIDTHS = {"desktop": DESKTOP, "phone": PHONE}
SCHEMES = {"default": "light", "slate": "dark"}  # Material's name for each palette -> ours
COMBINATIONS = [f"{width}-{scheme}" for width in WIDTHS for scheme in ("light", "dark")]
START = f"window.__axe = axe.run(document, {json.dumps(OPTIONS)}); true"
SCHEME = "document.body.getAttribute('data-md-color-scheme')"
TOGGLE = "document.querySelector('form[data-md-component=palette] label:not([hidden])').click()"

# Checks of one page's main content; returns a list of problems.
STRUCTURE = r"""() => {
  const main = document.querySelector("article.md-content__inner");
  if (!main) return ["no main content"];
  const out = [];
  let last = 0, firsts = 0;
  for (const h of main.querySelectorAll("h1, h2, h3, h4, h5, h6")) {
    const level = Number(h.tagName[1]);
    const text = h.textContent.replace("¶", "").trim();
    if (level === 1) firsts += 1;
    if (last === 0 && level !== 1) out.push(`the first heading is h${level}: "${text}"`);
    if (last && level > last + 1) out.push(`headings skip from h${last} to h${level} at "${text}"`);
    last = level;
  }
  if (firsts !== 1) out.push(`${firsts} h1 headings`);
  for (const t of main.querySelectorAll("table")) {
    const start = t.textContent.trim().replace(/\s+/g, " ").slice(0, 60);
    if (!t.caption || !t.caption.textContent.trim()) out.push(`a table has no caption: "${start}"`);
    if (!t.querySelector("th")) out.push(`a table has no header cells: "${start}"`);
    for (const th of t.querySelectorAll("th")) {
      if (!th.textContent.trim()) out.push(`an empty header cell: "${start}"`);
    }
  }
  const vague = /^(here|click here|more|read more|link|this|this page|details|¶|#|page)$/i;
  for (const a of main.querySelectorAll("a[href]")) {
    const name = (a.getAttribute("aria-label") || a.textContent || a.getAttribute("title") || "")
      .replace(/\s+/g, " ").trim();
    if (vague.test(name) || !/[\p{L}\p{N}]{2}/u.test(name)) {
      out.push(`a link named "${name}" → ${a.getAttribute("href")}`);
    }
  }
  for (const s of main.querySelectorAll(".lr-status")) {
    if (!/\p{L}{2}/u.test(s.textContent)) out.push(`a status without a word: "${s.textContent}"`);
  }
  const copy = main.cloneNode(true);
  copy.querySelectorAll("code, pre, script, style").forEach((n) => n.remove());
  const escaped = copy.textContent.match(/.{0,30}\\[\\`*_{}\[\]()#+!|~^.\-].{0,30}/g);
  if (escaped) out.push(...escaped.map((s) => `Markdown escape shown as text: "${s.trim()}"`));
  return out;
}"""


@dataclass
class Outcome:
    problems: list[str] = field(default_factory=list)
    overflowing: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)


def axe_version(script: str) -> str:
    first = script.lstrip().splitlines()[0]  # "/*! axe v4.12.1"
    return first.split("axe", 1)[-1].strip(" v")


def describe(page: str, violation: dict[str, Any]) -> list[str]:
    lines = []
    for node in violation["nodes"]:
        summary = " ".join(node.get("failureSummary", "").split())
        lines.append(f"{page}: {violation['id']} ({violation.get('impact')}): {violation['help']}\n"
                     f"    at {' > '.join(map(str, node['target']))}\n    {summary[:300]}")
    return lines


@pytest.fixture(scope="session")
def axe_script() -> str:
    from axe_playwright_python.base import AXE_SCRIPT

    return AXE_SCRIPT


@dataclass
class Sweep:
    outcomes: dict[str, Outcome]
    structure: list[str]
    visits: dict[str, Visit]


@pytest.fixture(scope="package")  # as long as the browser it uses
def sweep(visit: Callable[..., Visit], site_pages: list[str], axe_script: str) -> Sweep:
    visits = {width: visit(f"sweep-{width}", size, "light") for width, size in WIDTHS.items()}
    outcomes = {name: Outcome() for name in COMBINATIONS}
    structure: list[str] = []

    def start(width: str) -> str:
        """Start axe on the page as it is; returns the palette it is checked in."""
        page = visits[width].page
        page.evaluate(START)
        return SCHEMES.get(page.evaluate(SCHEME), f"unknown palette {page.evaluate(SCHEME)!r}")

    def collect(path: str, width: str, scheme: str) -> None:
        page = visits[width].page
        outcome = outcomes.setdefault(f"{width}-{scheme}", Outcome())
        outcome.pages.append(path)
        for violation in page.evaluate("window.__axe")["violations"]:
            outcome.problems += describe(path, violation)
        if width == "phone" and page.evaluate("document.scrollingElement.scrollWidth > innerWidth + 1"):
            outcome.overflowing.append(path)

    for path in site_pages:
        first: dict[str, str] = {}
        for width, browser in visits.items():
            browser.open(path).evaluate(axe_script)
            first[width] = start(width)
        for width in visits:
            collect(path, width, first[width])
        structure += [f"{path}: {p}" for p in visits["desktop"].page.evaluate(STRUCTURE)]
        second: dict[str, str] = {}
        for width, browser in visits.items():
            other = "slate" if first[width] == "light" else "default"
            browser.page.evaluate(TOGGLE)
            browser.page.wait_for_function(f"{SCHEME} === {other!r}")
            second[width] = start(width)
        for width in visits:
            collect(path, width, second[width])
    return Sweep(outcomes, structure, visits)


@pytest.mark.parametrize("combination", COMBINATIONS)
def test_every_page_passes_axe(sweep: Sweep, axe_script: str, site_pages: list[str],
                               combination: str) -> None:
    outcome = sweep.outcomes[combination]
    width, scheme = combination.split("-")
    size = WIDTHS[width]
    print(f"axe {axe_version(axe_script)}: {len(outcome.pages)} pages at {size[0]}x{size[1]}, {scheme}")
    assert sorted(outcome.pages) == site_pages, "not every page was checked in this palette"
    assert not outcome.problems, f"{len(outcome.problems)} accessibility problem(s):\n" + "\n".join(
        outcome.problems)
    assert not outcome.overflowing, "the page scrolls sideways on a phone (WCAG 1.4.10):\n" + "\n".join(
        outcome.overflowing)
    elsewhere = sweep.visits[width].elsewhere
    assert not elsewhere, "requests left 127.0.0.1:\n" + "\n".join(sorted(set(elsewhere)))
    assert not [n for n in sweep.outcomes if n not in COMBINATIONS], "a page was in an unknown palette"


def test_every_page_is_well_structured(sweep: Sweep) -> None:
    """Headings in order from one h1, tables with captions and headers, meaningful link
    names, statuses in words, and no Markdown escapes shown as text."""
    assert not sweep.structure, "\n".join(sweep.structure)


@pytest.mark.parametrize(("system", "expected"), [("dark", "slate"), ("light", "default")])
def test_a_first_visit_follows_the_system_palette(visit: Callable[..., Visit], system: str,
                                                  expected: str) -> None:
    browser = visit(f"first-visit-{system}", DESKTOP, system)
    assert browser.open("index.html").evaluate(SCHEME) == expected
