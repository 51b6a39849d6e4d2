"""The site's navigation, built from the model so every generated page has its place."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from generator import model as m
from generator.addresses import OUTPUT, page_of

Nav = list[Any]

# The most entries one section of the navigation lists. Material renders every entry of the
# open tab on every page of it (navigation.prune drops only the contents of closed
# sections), so a list that grows with the roadmap would make every page grow with it: at
# 400 pillars the sidebar alone was over 200 KB a page. A longer list is split into
# consecutive numbered groups ("Pillars 1 to 20"). Two dozen entries is about as many as a
# reader can scan, and one more than the longest list of the shipped roadmap (a framework's
# page and its 22 elements), whose navigation must stay as it is.
MAX_CHILDREN = 24

Numbered = Sequence[tuple[int, Any]]  # (the entry's place in its list, counted from 1; nav entry)


def _section(title: str, items: Nav) -> dict[str, Nav]:
    return {escape(title): items}  # themes print nav titles unescaped


def _numbered(entries: Sequence[Any]) -> list[tuple[int, Any]]:
    return list(enumerate(entries, start=1))


def _branching(count: int, depth: int) -> int:
    """The least b >= 2 with b ** depth >= count: groups of b entries, `depth` levels deep."""
    b = max(2, round(count ** (1 / depth)))
    while b ** depth < count:
        b += 1
    while b > 2 and (b - 1) ** depth >= count:
        b -= 1
    return b


def _split(items: Sequence[Any], parts: int) -> list[Sequence[Any]]:
    """`items` in `parts` consecutive runs whose lengths differ by at most one, longest first."""
    size, extra = divmod(len(items), parts)
    runs, start = [], 0
    for i in range(parts):
        end = start + size + (1 if i < extra else 0)
        runs.append(items[start:end])
        start = end
    return runs


def grouped(count: int, limit: int = MAX_CHILDREN) -> bool:
    """Whether a list of `count` entries is split into numbered groups."""
    return count > limit


def _chunked(noun: str, entries: Numbered, limit: int | None = None) -> Nav:
    """The entries as they are when there are at most `limit` (MAX_CHILDREN by default);
    otherwise in consecutive sections titled by the plural `noun` and the numbers they span
    ("Pillars 21 to 40"), nested as deep as needed so no section lists more than `limit`.
    Every level groups about the depth-th root of the count, so the sidebar of a page shows
    about depth x root entries of the list (40 of 400 pillars), not all of them."""
    limit = MAX_CHILDREN if limit is None else limit
    if limit < 2:
        raise ValueError("a section must be allowed at least two entries")
    if not grouped(len(entries), limit):
        return [entry for _, entry in entries]
    depth = 2
    while limit ** depth < len(entries):
        depth += 1
    size = _branching(len(entries), depth)
    level = [(number, number, entry) for number, entry in entries]  # (first, last, entry)
    while len(level) > limit:
        groups = []
        for run in _split(level, -(-len(level) // size)):
            first, last = run[0][0], run[-1][1]
            if len(run) == 1:  # a group of one would only add a click
                groups.append(run[0])
                continue
            groups.append((first, last, _section(f"{noun} {first} to {last}",
                                                  [entry for _, _, entry in run])))
        level = groups
    return [entry for _, _, entry in level]


def _measures_by_pillar(roadmap: m.Roadmap) -> Nav:
    """Each measure once, under the pillar of the first priority that uses it. Groups keep
    their pillar's number, so "Pillars 1 to 20" holds the measures of pillars 1 to 20."""
    groups: dict[str, Nav] = {p.id: [] for p in roadmap.pillars.values()}
    unused: Nav = []
    for measure in roadmap.measures.values():
        first = measure.priorities[0].pillar if measure.priorities else None
        (groups[first.id] if first else unused).append(page_of(measure))
    sections = [(number, _section(p.title, _chunked("Measures", _numbered(groups[p.id]))))
                for number, p in enumerate(roadmap.pillars.values(), start=1) if groups[p.id]]
    tail = [_section("Not yet used by a priority", _chunked("Measures", _numbered(unused)))] if unused else []
    return _chunked("Pillars", sections, MAX_CHILDREN - len(tail)) + tail


def nav(roadmap: m.Roadmap) -> Nav:
    """MkDocs `nav`: pages by path; their titles come from their (escaped) headings."""
    out = OUTPUT

    def pages(noun: str, items: Any, fixed: int) -> Nav:
        """The items' pages, grouped if too many to list beside the section's `fixed` entries."""
        return _chunked(noun, _numbered([page_of(item) for item in items]), MAX_CHILDREN - fixed)

    # Each pillar and each group of measures is a section one level below the tab's own
    # sections, so it is collapsed, and navigation.prune leaves it out of every page but
    # its own; a long list of them is grouped (see MAX_CHILDREN), so pages stay small
    # however many pillars, priorities and measures the roadmap has.
    pillar_sections = _numbered([_section(p.title, [page_of(p), *pages("Priorities", p.priorities, 1)])
                                 for p in roadmap.pillars.values()])
    pillars: Nav = [f"{out}/pillars/index.md",
                    _section("Pillars", _chunked("Pillars", pillar_sections)),
                    f"{out}/priorities/index.md", f"{out}/what-we-heard.md", f"{out}/timeline.md",
                    f"{out}/phases.md",
                    # A section with only its index page gets a landmark labelled by an
                    # element the theme never makes: without places, the index is a page.
                    _section("Places", [f"{out}/places/index.md",
                                        *pages("Places", roadmap.places.values(), 1)])
                    if roadmap.places else f"{out}/places/index.md"]
    frameworks: Nav = [f"{out}/alignment.md", f"{out}/frameworks/index.md"]
    frameworks += _chunked("Frameworks", _numbered([
        _section(f.short_title, [page_of(f), *pages("Elements", f.elements, 1)])
        for f in roadmap.frameworks.values()]), MAX_CHILDREN - len(frameworks))
    return [
        {"Home": "index.md"},
        _section("Roadmap", pillars),
        _section("Governance", [f"{out}/governance/index.md",
                                *pages("Governance bodies", roadmap.bodies.values(), 2),
                                f"{out}/accountability.md"]),
        _section("Organisations", [f"{out}/organisations/index.md",
                                   *pages("Organisations", roadmap.organisations.values(), 1)]),
        _section("Measures", [f"{out}/measures/index.md",
                              _section("Measures by pillar", _measures_by_pillar(roadmap))]),
        _section("Alignment", frameworks),
        _section("Learning", [f"{out}/learning-log.md", f"{out}/decisions.md", f"{out}/changes.md",
                              f"{out}/status-key.md"]),
        # Downloads is a section of its own, with the data dictionary that describes the
        # data: as an index.md straight inside "About", the theme would make it About's index
        # page and leave it out of the list (navigation.indexes); and a section with only its
        # index page gets a navigation landmark labelled by an element the theme never makes.
        _section("About", [f"{out}/about.md", "contribute.md", f"{out}/board-pack.md",
                           _section("Downloads", [f"{out}/downloads/index.md", f"{out}/data-dictionary.md"]),
                           f"{out}/glossary.md", "tags.md", "accessibility.md"]),
    ]


def redirects(roadmap: m.Roadmap) -> dict[str, str]:
    """Old page -> new page for every id listed in a `renamed_from`, so old links keep working."""
    nodes = [*roadmap.pillars.values(), *roadmap.priorities.values(), *roadmap.organisations.values(),
             *roadmap.bodies.values(), *roadmap.measures.values()]
    moves = {}
    for node in nodes:
        page = page_of(node)
        for old in node.renamed_from:
            moves[page.replace(f"/{node.id}.md", f"/{old}.md")] = page
    return dict(sorted(moves.items()))
