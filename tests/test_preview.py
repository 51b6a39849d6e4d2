"""Which pages a changed title shows on, under `make serve` (generator/preview.py): the
served pages themselves are compared with a full build's in tests/test_serve.py."""

from __future__ import annotations

from typing import Any

from generator.preview import outline, shown_changes

FEATURES = ["navigation.tabs", "navigation.sections", "navigation.indexes", "navigation.prune",
            "navigation.footer"]


class Theme(dict[str, Any]):
    def __init__(self, name: str = "material", features: list[str] = FEATURES) -> None:
        super().__init__(features=features)
        self.name = name


def site(a: str = "A", group: str = "Pillars 1 to 2", home: str = "Home") -> list[Any]:
    """A navigation shaped as generator/render/nav.py makes it when pillars are grouped."""
    return [{home: "index.md"},
            {"Roadmap": ["r/pillars/index.md",
                         {"Pillars": [{group: [{a: ["r/p/a.md", "r/q/a1.md"]}, {"B": ["r/p/b.md"]}]},
                                      {"Pillars 3 to 4": [{"C": ["r/p/c.md"]}, {"D": ["r/p/d.md"]}]}]},
                         "r/timeline.md"]},
            {"About": ["r/about.md", {"Source": "https://example.org/"}]}]


HEADINGS = {"r/p/a.md": "A", "r/q/a1.md": "A1", "r/p/b.md": "B", "r/p/c.md": "C"}


def test_a_renamed_pillar_shows_in_its_group_and_its_footer_neighbours() -> None:
    before = outline(site(), HEADINGS)
    after = outline(site(a="Renamed"), {**HEADINGS, "r/p/a.md": "Renamed"})
    # The section's title shows where its group is open; the page's title in its own section
    # and in the footer of the pages before and after it. Pillars 3 to 4 stay collapsed.
    assert shown_changes(before, after, Theme()) == {"r/pillars/index.md", "r/p/a.md", "r/q/a1.md",
                                                     "r/p/b.md"}


def test_a_renamed_second_level_entry_shows_on_its_whole_tab() -> None:
    """Second-level sections of the open tab are open (navigation.sections), so their entries
    show on every page of the tab."""
    before, after = outline(site(), HEADINGS), outline(site(group="First two"), HEADINGS)
    assert shown_changes(before, after, Theme()) == {"r/pillars/index.md", "r/p/a.md", "r/q/a1.md",
                                                     "r/p/b.md", "r/p/c.md", "r/p/d.md", "r/timeline.md"}
    without_sections = Theme(features=[f for f in FEATURES if f != "navigation.sections"])
    assert shown_changes(before, after, without_sections) == {"r/p/a.md", "r/q/a1.md", "r/p/b.md",
                                                              "r/p/c.md", "r/p/d.md"}  # Pillars' own


def test_what_shows_everywhere_or_moves_pages_means_every_page() -> None:
    before = outline(site(), HEADINGS)
    assert shown_changes(before, outline(site(home="Start"), HEADINGS), Theme()) is None  # a tab
    moved = site()
    moved[1]["Roadmap"].pop()  # the timeline leaves the navigation
    assert shown_changes(before, outline(moved, HEADINGS), Theme()) is None
    renamed = outline(site(a="Renamed"), HEADINGS)
    assert shown_changes(before, renamed, Theme(name="mkdocs")) is None  # another theme's navigation
    assert shown_changes(before, renamed, Theme(features=["navigation.tabs"])) is None  # nothing pruned
    assert shown_changes(before, before, Theme(name="mkdocs")) == set()


def test_a_page_titled_by_its_heading_has_that_title_in_the_outline() -> None:
    entries = outline(site(), HEADINGS)
    assert entries[0] == ("page", "Home", "index.md", ())
    assert entries[2][3][1] == ("link", "Source", "https://example.org/", ())
    assert entries[1][3][2] == ("page", None, "r/timeline.md", ())  # no heading known: MkDocs reads it
