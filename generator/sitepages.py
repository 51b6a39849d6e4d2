"""The site's fixed pages, by the names the data may use to point at them (a phase's
output `see: page:governance`). The check and the renderer read this one list."""

from __future__ import annotations

# name -> (docs-relative path, title)
SITE_PAGES: dict[str, tuple[str, str]] = {
    "home": ("index.md", "Home"),
    "about": ("roadmap/about.md", "About the programme"),
    "pillars": ("roadmap/pillars/index.md", "Pillars"),
    "priorities": ("roadmap/priorities/index.md", "Priorities"),
    "timeline": ("roadmap/timeline.md", "Timeline"),
    "phases": ("roadmap/phases.md", "The programme's phases"),
    "places": ("roadmap/places/index.md", "Places"),
    "what-we-heard": ("roadmap/what-we-heard.md", "What we heard, what we are doing"),
    "governance": ("roadmap/governance/index.md", "Governance structure"),
    "accountability": ("roadmap/accountability.md", "Accountability by organisation"),
    "organisations": ("roadmap/organisations/index.md", "Organisations"),
    "measures": ("roadmap/measures/index.md", "Measures"),
    "alignment": ("roadmap/alignment.md", "Alignment matrix"),
    "frameworks": ("roadmap/frameworks/index.md", "Frameworks"),
    "learning-log": ("roadmap/learning-log.md", "Learning log"),
    "board-pack": ("roadmap/board-pack.md", "Board pack"),
}

# The kinds of item an output may point at, besides pages: "kind:id".
SEE_KINDS = ("pillar", "priority", "body", "organisation", "measure", "framework", "place")
