"""The overview pages and the words on every page, from the mini fixture roadmap: the
coverage gap list, one date style, lists as lists, proper case, the illustrative banner,
the timeline's drawing and the acronym markup."""

from __future__ import annotations

import re
from pathlib import Path

from generator.identity import contrast, identity
from generator.pipeline import run
from generator.render import acronyms, kind_name
from generator.render.timeline import Span
from tests.conftest import edit

LEADERSHIP = "pillars/leadership.yaml"


def pages(root: Path) -> dict[str, str]:
    result = run(root)
    assert result.ok, [f.text() for f in result.findings]
    return result.pages


def section(text: str, heading: str) -> str:
    """The Markdown under a heading, up to the next heading of the same or a higher level."""
    level = heading.split(" ")[0]
    start = text.index(heading + "\n")
    rest = text[start + len(heading) + 1:]
    ends = [m.start() for m in re.finditer(rf"^#{{1,{len(level)}}} ", rest, re.M)]
    return rest[:ends[0]] if ends else rest


def test_the_gap_list_names_each_framework_element_no_priority_addresses(mini: Path) -> None:
    edit(mini / LEADERSHIP, '      - {to: "ascws:train"}\n', "")
    alignment = pages(mini)["roadmap/alignment.md"]
    gaps = section(alignment, "## Coverage gaps")
    ascws = section(gaps, "### Workforce Strategy for Adult Social Care in England")
    assert "No priority addresses 1 of the 3 recommendations of the ASCWS:" in ascws
    assert re.findall(r"^- \[(.*?)\]", ascws, re.M) == ["ASCWS Train"]
    ltwp = section(gaps, "### NHS Long Term Workforce Plan")
    assert "Every one of its 3 elements is addressed by at least one priority." in ltwp


def test_the_gap_list_says_so_when_every_recommendation_is_addressed(mini: Path) -> None:
    gaps = section(pages(mini)["roadmap/alignment.md"], "## Coverage gaps")
    assert gaps.count("is addressed by at least one priority.") == 2
    assert "No priority addresses" not in gaps


def test_readers_see_long_dates_never_iso_dates(mini: Path) -> None:
    made = pages(mini)
    iso = re.compile(r"\b\d{4}-\d{2}(?:-\d{2})?\b")
    for path, text in made.items():
        if "/downloads/" in path or not path.endswith(".md"):
            continue
        prose = re.sub(r"\]\([^)]*\)|\{ #[^}]*\}|^source: .*$|(?:href|id)=\"[^\"]*\"", "", text, flags=re.M)
        assert not iso.findall(prose), f"{path}: {iso.findall(prose)}"
    measure = made["roadmap/measures/test-score.md"]
    assert "6\\.5 (31 March 2024)" in measure and "by 31 March 2026" in measure
    assert "31 March 2025" in made["roadmap/timeline.md"]


def test_list_fields_are_lists_never_joined_with_punctuation(mini: Path) -> None:
    edit(mini / LEADERSHIP, "inputs: [Trainers]", "inputs: [Trainers and their time., Rooms.]")
    page = pages(mini)["roadmap/priorities/leadership-training.md"]
    row = next(line for line in page.splitlines() if ">Inputs</th>" in line)
    assert re.findall(r"<li markdown=\"span\">(.*?)</li>", row) == ["Trainers and their time.", "Rooms."]
    assert ".;" not in page and "; " not in row


def test_organisation_kinds_are_in_their_proper_case(mini: Path) -> None:
    index = pages(mini)["roadmap/organisations/index.md"]
    assert "NHS trust" in index and "Nhs trust" not in index
    assert kind_name("nhs-trust") == "NHS trust"
    assert kind_name("integrated-care-board") == "Integrated care board"


def test_the_illustrative_label_is_a_banner_once_per_page_not_after_each_link(mini: Path) -> None:
    made = pages(mini)
    after_link = re.compile(r"\]\([^)]*\)\s*<small>\(illustrative\)")
    labelled = [p for p, text in made.items() if after_link.search(text)]
    assert labelled and all("board-pack" in p for p in labelled), labelled  # paper labels each item
    timeline = made["roadmap/timeline.md"]
    assert timeline.count('!!! note "Examples on this page"') == 1
    assert timeline.index('!!! note "Examples on this page"') < timeline.index("## Leadership")
    own = made["roadmap/priorities/leadership-training.md"]  # its own note, not a second banner
    assert own.count('!!! note "Illustrative content"') == 1 and "Examples on this page" not in own


def test_the_timeline_draws_bars_milestones_and_the_as_at_line_without_empty_cells(mini: Path) -> None:
    timeline = pages(mini)["roadmap/timeline.md"]
    rows = [line for line in timeline.splitlines() if line.startswith('<tr markdown="1"><th scope="row"')]
    assert len(rows) == 4
    training = next(r for r in rows if "leadership-training.md" in r)
    # Leadership training runs January to December 2025; the span is 2024 to 2026 (1,096 days).
    assert 'lr-gantt__bar lr-gantt__bar--on-track" style="left:33.39%;width:33.22%"' in training
    assert training.count("lr-gantt__ms ") == 2 and "lr-status--on-track" in training
    assert "Actions due: Run the first cohort, 15 August 2025, On track" in training
    assert training.count('class="lr-gantt__now" style="left:49.82%"') == 1
    assert "<td></td>" not in timeline


def test_a_span_places_days_as_percentages_of_whole_years() -> None:
    from datetime import date

    span = Span(date(2024, 1, 1), date(2026, 1, 1))
    assert span.years == [2024, 2025]
    assert span.at(date(2025, 1, 1)) == 50.07  # 2024 is a leap year: 366 of 731 days
    assert span.at(date(2030, 1, 1)) == 100.0
    assert str(span.bar(date(2024, 1, 1), date(2024, 1, 1))) == "left:0.0%;width:0.50%"


GLOSSARY = [{"id": "ltwp", "term": "LTWP", "expansion": "Long Term Workforce Plan"},
            {"id": "sfc", "term": "SfC", "expansion": "Skills for Care"},
            {"id": "sc-wres", "term": "SC-WRES", "expansion": "Social Care WRES"},
            {"id": "wres", "term": "WRES", "expansion": "Workforce Race Equality Standard"},
            {"id": "place", "term": "Place", "definition": "Not an acronym."}]


def test_acronyms_are_marked_once_per_page_and_linked_to_the_glossary() -> None:
    found = acronyms.terms(GLOSSARY)
    assert [t.text for t in found] == ["SC-WRES", "LTWP", "WRES", "SfC"]
    page = ("<h1>The LTWP</h1><p>The LTWP and the <a href='x'>SfC</a> plan.</p>"
            "<p>ADASS/LGA/SfC, the LTWP again, SC-WRES and WRES.</p>"
            "<p><code>LTWP</code><span class=\"lr-sr\">WRES</span></p>")
    marked = acronyms.mark(page, found, "../glossary/")
    ltwp = ('<a class="lr-abbr" href="../glossary/#ltwp">'
            '<abbr title="Long Term Workforce Plan">LTWP</abbr></a>')
    assert marked.count(ltwp) == 1
    assert marked.startswith("<h1>The LTWP</h1><p>The " + ltwp)
    assert "<a href='x'>SfC</a>" in marked  # never inside a link
    assert ('ADASS/LGA/<a class="lr-abbr" href="../glossary/#sfc">'
            '<abbr title="Skills for Care">SfC</abbr></a>') in marked
    assert '#sc-wres"><abbr title="Social Care WRES">SC-WRES</abbr>' in marked
    assert '#wres"><abbr title="Workforce Race Equality Standard">WRES</abbr></a>.' in marked
    assert marked.endswith("<p><code>LTWP</code><span class=\"lr-sr\">WRES</span></p>")


def test_an_expansion_cannot_become_markup() -> None:
    found = acronyms.terms([{"id": "x", "term": "XY", "expansion": '"><script>alert(1)</script>'}])
    marked = acronyms.mark("<p>XY</p>", found, "g/")
    assert "<script>" not in marked and "&lt;script&gt;" in marked


def test_identity_comes_from_extra_publisher_and_is_checked() -> None:
    found, problems = identity({"publisher": {"name": "Test ICS", "logo": "assets/l.svg",
                                              "favicon": "assets/f.svg", "primary_colour": "#003087"}})
    assert problems == []
    assert (found.name, found.logo, found.favicon, found.primary_colour) == (
        "Test ICS", "assets/l.svg", "assets/f.svg", "#003087")
    default, problems = identity({})
    assert problems == [] and default.primary_colour == "#005eb8" and contrast("#005eb8", "#ffffff") >= 4.5
    _, problems = identity({"publisher": {"primary_colour": "#ffeb3b", "logo": "../secret.svg",
                                          "favicon": "https://example.org/f.ico"}})
    assert len(problems) == 3
    assert "1.22:1 contrast" in problems[0]
    assert "extra.publisher.logo" in problems[1] and "extra.publisher.favicon" in problems[2]
    _, problems = identity({"publisher": {"primary_colour": "blue"}})
    assert problems == ["extra.publisher.primary_colour: 'blue' must be a colour like #005eb8"]


def test_dated_phases_are_drawn_above_the_priorities(mini: Path) -> None:
    edit(mini / "programme.yaml", "    corresponds_to: Discover (CLP phase 1)\n",
         "    corresponds_to: Discover (CLP phase 1)\n    start: 2023-01\n    end: 2023-09\n")
    edit(mini / "programme.yaml", "    corresponds_to: Deliver (CLP phase 3)\n",
         "    corresponds_to: Deliver (CLP phase 3)\n    start: 2024-07\n    end: 2026-12\n")
    timeline = pages(mini)["roadmap/timeline.md"]
    phases = section(timeline, "## The programme's phases")
    assert re.findall(r'<th scope="row" markdown="span">\[(\w+)\]', phases) == ["Discover", "Deliver"]
    assert "January 2023 to September 2023" in phases and "July 2024 to December 2026" in phases
    assert phases.count("lr-gantt__bar--phase") == 2
    assert timeline.index("## The programme's phases") < timeline.index("## Leadership")
