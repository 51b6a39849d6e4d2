"""The navigation lists every generated page exactly once, in the model's order, and keeps
every section short however big the roadmap grows: a long list is grouped into numbered
sections, and the shipped roadmap, whose lists are all short, is left as it is."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import pytest

from benchmarks.synth import synthesise as _synthesise
from generator.addresses import OUTPUT, page_of
from generator.load import load
from generator.model import Roadmap, resolve
from generator.render import nav as nav_module
from generator.render.nav import MAX_CHILDREN, _chunked, nav
from generator.render.pages import pages
from tests.conftest import MINI, SAMPLE

# The sample roadmap (a fixture) and roadmaps made from it: never the shipped roadmap/.
SHIPPED = SAMPLE / "roadmap"


def synthesise(scale: int, dest: Path) -> object:
    return _synthesise(scale, dest, SHIPPED)

GROUP = re.compile(r"^[A-Z][a-z]+(?: [a-z]+)? \d+ to \d+$")  # "Pillars 21 to 40"


def roadmap_at(root: Path) -> Roadmap:
    return resolve(load(root))


@pytest.fixture(scope="module")
def shipped() -> Roadmap:
    return roadmap_at(SHIPPED)


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Roadmap:
    """Ten times the shipped roadmap: 40 pillars, about 30 groups of measures."""
    root = tmp_path_factory.mktemp("nav") / "roadmap"
    synthesise(10, root)
    return roadmap_at(root)


def sections(items: list[Any]) -> list[tuple[str, list[Any]]]:
    """Every section of a nav, outermost first, as (title, children)."""
    found = []
    for item in items:
        if isinstance(item, dict):
            for title, children in item.items():
                if isinstance(children, list):
                    found.append((title, children))
                    found.extend(sections(children))
    return found


def flat(items: list[Any]) -> list[str]:
    """Every page of a nav, in the order a reader meets them."""
    pages: list[str] = []
    for item in items:
        if isinstance(item, str):
            pages.append(item)
        else:
            for value in item.values():
                pages.extend(flat(value) if isinstance(value, list) else [value])
    return pages


def section(items: list[Any], *path: str) -> list[Any]:
    """The children of the section at `path` (titles, outermost first)."""
    for title in path:
        items = next(item[title] for item in items if isinstance(item, dict) and title in item)
    return items


def flat_nav(roadmap: Roadmap, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The navigation as it would be with no limit: every list in one section."""
    with monkeypatch.context() as patch:
        patch.setattr(nav_module, "MAX_CHILDREN", 10**9)
        return nav(roadmap)


def entity_pages(roadmap: Roadmap) -> list[str]:
    nodes = [*roadmap.pillars.values(), *roadmap.priorities.values(), *roadmap.organisations.values(),
             *roadmap.bodies.values(), *roadmap.measures.values(), *roadmap.frameworks.values(),
             *roadmap.elements.values()]
    return [page_of(node) for node in nodes]


# The shipped roadmap: nothing is grouped.

@pytest.mark.parametrize("root", [SHIPPED, MINI / "roadmap"], ids=["shipped", "mini"])
def test_a_roadmap_with_short_lists_is_not_grouped(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    roadmap = roadmap_at(root)
    tree = nav(roadmap)
    assert tree == flat_nav(roadmap, monkeypatch)
    assert not [title for title, _ in sections(tree) if GROUP.match(title)]
    assert max(len(children) for _, children in sections(tree)) <= MAX_CHILDREN


def test_the_shipped_navigation_lists_each_pillar_and_its_priorities(shipped: Roadmap) -> None:
    tree = nav(shipped)
    assert section(tree, "Roadmap", "Pillars") == [
        {p.title: [page_of(p), *(page_of(q) for q in p.priorities)]} for p in shipped.pillars.values()]
    by_pillar = section(tree, "Measures", "Measures by pillar")
    assert [next(iter(group)) for group in by_pillar] == [
        p.title for p in shipped.pillars.values()
        if any(m.priorities and m.priorities[0].pillar is p for m in shipped.measures.values())]
    assert section(tree, "Organisations") == [f"{OUTPUT}/organisations/index.md",
                                              *(page_of(o) for o in shipped.organisations.values())]
    for framework in shipped.frameworks.values():  # one has 22 elements: under the limit with its page
        assert section(tree, "Alignment", framework.short_title) == [
            page_of(framework), *(page_of(e) for e in framework.elements)]


def test_the_limit_is_above_the_longest_shipped_list(shipped: Roadmap) -> None:
    longest = max(len(children) for _, children in sections(nav(shipped)))
    assert longest < MAX_CHILDREN  # so the shipped navigation stays as it is


# A large roadmap: long lists are grouped.

def test_a_large_roadmap_is_grouped_and_no_section_is_too_long(large: Roadmap) -> None:
    tree = nav(large)
    for title, children in sections(tree):
        assert len(children) <= MAX_CHILDREN, (title, len(children))
    pillars = section(tree, "Roadmap", "Pillars")
    assert len(pillars) < len(large.pillars)
    assert all(GROUP.match(next(iter(group))) for group in pillars)
    assert len(section(tree, "Measures", "Measures by pillar")) < len(large.pillars)


def test_grouping_keeps_every_page_once_and_in_order(large: Roadmap, monkeypatch: pytest.MonkeyPatch) -> None:
    pages = flat(nav(large))
    assert pages == flat(flat_nav(large, monkeypatch))
    assert len(pages) == len(set(pages))
    assert set(entity_pages(large)) <= set(pages)


@pytest.mark.parametrize("limit", [4, 5, 7])
def test_every_list_is_grouped_under_a_small_limit(large: Roadmap, monkeypatch: pytest.MonkeyPatch,
                                                   limit: int) -> None:
    """With a tiny limit every list is too long (priorities, measures, organisations, bodies,
    elements), and pillars need groups of groups; still nothing is lost, moved or repeated."""
    unlimited = flat(flat_nav(large, monkeypatch))
    monkeypatch.setattr(nav_module, "MAX_CHILDREN", limit)
    tree = nav(large)
    for title, children in sections(tree):
        if title not in {"Roadmap", "About"}:  # two tabs list more fixed pages than that
            assert len(children) <= limit, (title, len(children))
    assert flat(tree) == unlimited
    assert section(tree, "Organisations")[1:] != [page_of(o) for o in large.organisations.values()]
    pillars = section(tree, "Roadmap", "Pillars")
    # groups of pillars, and groups of those groups when one level of groups is too many
    ((outer, children),) = pillars[0].items()
    ((inner, _),) = children[0].items()
    assert GROUP.match(outer)
    assert bool(GROUP.match(inner)) == (limit**2 < len(large.pillars)), (outer, inner)


def test_the_navigation_is_deterministic(large: Roadmap, tmp_path: Path) -> None:
    synthesise(10, tmp_path / "again")
    assert nav(roadmap_at(tmp_path / "again")) == nav(large)


def test_group_titles_are_escaped(large: Roadmap) -> None:
    first = next(iter(large.pillars.values()))
    title = first.title
    first.title = "<b>Fish & chips</b>"
    try:
        titles = [title for title, _ in sections(nav(large))]
    finally:
        first.title = title
    assert "&lt;b&gt;Fish &amp; chips&lt;/b&gt;" in titles
    assert not [title for title in titles if "<" in title]


# The grouping itself.

def leaves(items: list[Any]) -> list[Any]:
    return flat(items)


def depth(items: list[Any]) -> int:
    """1 for a list of pages, 2 for a list of sections of pages, and so on."""
    return 1 + max((depth(child) for item in items if isinstance(item, dict)
                    for child in item.values()), default=0)


def shown(items: list[Any], target: str) -> int:
    """How many entries of the list a page's sidebar shows: every entry of each section on the
    way to the page (closed sections show only their title)."""
    count = len(items)
    for item in items:
        if isinstance(item, dict):
            (children,) = item.values()
            if target in flat(children):
                count += shown(children, target)
    return count


@pytest.mark.parametrize("count", [0, 1, 2, 23, 24, 25, 26, 40, 100, 399, 400, 401, 576, 577, 2000, 20000])
def test_chunked_groups_any_count(count: int) -> None:
    entries = [f"p{n}.md" for n in range(1, count + 1)]
    tree = _chunked("Pillars", list(enumerate(entries, start=1)))
    assert leaves(tree) == entries
    if count <= MAX_CHILDREN:
        assert tree == entries
        return
    assert len(tree) <= MAX_CHILDREN
    for title, children in sections(tree):
        assert 2 <= len(children) <= MAX_CHILDREN
        numbers = re.fullmatch(r"Pillars (\d+) to (\d+)", title)
        assert numbers, title
        first, last = map(int, numbers.groups())
        assert flat(children) == entries[first - 1:last]
    levels = next(d for d in range(2, 10) if MAX_CHILDREN**d >= count)
    assert depth(tree) == levels  # levels - 1 of groups above the entries
    # about levels x the levels-th root, not the whole list, on every page
    worst = max(shown(tree, page) for page in entries[:: max(1, count // 50)])
    assert worst <= levels * math.ceil(count ** (1 / levels)) + levels


def test_chunked_numbers_are_the_entries_own() -> None:
    """Groups are titled by the numbers the caller gave (a pillar's place among all pillars),
    even where some numbers are missing (pillars with no measures)."""
    entries = [(n, f"m{n}.md") for n in range(1, 61) if n % 3]
    tree = _chunked("Pillars", entries)
    titles = [next(iter(group)) for group in tree]
    assert titles[0].startswith("Pillars 1 to ") and titles[-1].endswith(" to 59")
    assert leaves(tree) == [page for _, page in entries]


def test_chunked_respects_a_smaller_limit() -> None:
    entries = list(enumerate([f"p{n}.md" for n in range(30)], start=1))
    assert len(_chunked("Pillars", entries, 29)) <= 29
    assert _chunked("Pillars", entries, 30) == [page for _, page in entries]
    with pytest.raises(ValueError):
        _chunked("Pillars", entries, 1)


def test_the_pillars_page_numbers_pillars_as_the_sidebar_groups_them(large: Roadmap,
                                                                     shipped: Roadmap) -> None:
    """"Pillars 21 to 40" in the sidebar must mean something on the page that lists them."""
    index = pages(large)[f"{OUTPUT}/pillars/index.md"]
    groups = [next(iter(group)) for group in section(nav(large), "Roadmap", "Pillars")]
    for title in groups:
        first = re.fullmatch(r"Pillars (\d+) to \d+", title)
        assert first, title
        pillar = list(large.pillars.values())[int(first[1]) - 1]
        assert re.search(rf"^## {first[1]}\. \[.*\]\({pillar.id}\.md\)", index, re.M), title
    assert not re.search(r"^## \d+\. ", pages(shipped)[f"{OUTPUT}/pillars/index.md"], re.M)
