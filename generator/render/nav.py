"""The site's navigation, built from the model so every generated page has its place."""

from __future__ import annotations

from html import escape
from typing import Any

from generator import model as m
from generator.render import OUTPUT, page_of

Nav = list[Any]


def _section(title: str, items: Nav) -> dict[str, Nav]:
    return {escape(title): items}  # themes print nav titles unescaped


def _measures_by_pillar(roadmap: m.Roadmap) -> Nav:
    """Each measure once, under the pillar of the first priority that uses it."""
    groups: dict[str, Nav] = {p.title: [] for p in roadmap.pillars.values()}
    unused: Nav = []
    for measure in roadmap.measures.values():
        first = measure.priorities[0].pillar if measure.priorities else None
        (groups[first.title] if first else unused).append(page_of(measure))
    sections = [_section(title, items) for title, items in groups.items() if items]
    return sections + ([_section("Not yet used by a priority", unused)] if unused else [])


def nav(roadmap: m.Roadmap) -> Nav:
    """MkDocs `nav`: pages by path; their titles come from their (escaped) headings."""
    out = OUTPUT

    def pages(items: Any) -> Nav:
        return [page_of(item) for item in items]

    # Each pillar and each group of measures is a section one level below the tab's own
    # sections, so it is collapsed, and navigation.prune leaves it out of every page but
    # its own: pages stay small however many priorities and measures the roadmap has.
    pillars: Nav = [f"{out}/pillars/index.md",
                    _section("Pillars", [_section(p.title, [page_of(p), *pages(p.priorities)])
                                         for p in roadmap.pillars.values()]),
                    f"{out}/priorities/index.md", f"{out}/timeline.md", f"{out}/phases.md"]
    frameworks: Nav = [f"{out}/alignment.md", f"{out}/frameworks/index.md"]
    frameworks += [_section(f.short_title, [page_of(f), *pages(f.elements)])
                   for f in roadmap.frameworks.values()]
    return [
        {"Home": "index.md"},
        _section("Roadmap", pillars),
        _section("Governance", [f"{out}/governance/index.md", *pages(roadmap.bodies.values()),
                                f"{out}/accountability.md"]),
        _section("Organisations", [f"{out}/organisations/index.md",
                                   *pages(roadmap.organisations.values())]),
        _section("Measures", [f"{out}/measures/index.md",
                              _section("Measures by pillar", _measures_by_pillar(roadmap))]),
        _section("Alignment", frameworks),
        _section("Learning", [f"{out}/learning-log.md", f"{out}/changes.md", f"{out}/status-key.md"]),
        _section("About", ["contribute.md", f"{out}/board-pack.md", f"{out}/downloads/index.md",
                           f"{out}/data-dictionary.md", f"{out}/glossary.md",
                           "tags.md", "accessibility.md"]),
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
