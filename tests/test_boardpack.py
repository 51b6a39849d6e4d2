"""The board pack's content and the PDF plumbing that needs no browser: what the summary
names, the order a board member reads it in, how it stays short as the roadmap grows, the
generated footer stylesheet, and the offers of a PDF that become links once it is made."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from benchmarks.synth import synthesise
from generator import boardpack, pdf
from generator.history import History
from generator.load import load
from generator.model import resolve
from generator.pipeline import run
from generator.render import _page
from tests.conftest import MINI, edit

MAIN = boardpack.MAIN_PAGE
ISO_DATE = re.compile(r"\b\d{4}-\d{2}(-\d{2})?\b")


def pages(root: Path) -> dict[str, str]:
    result = run(root)
    assert result.ok, [f.text() for f in result.findings]
    return result.pages


def first_part(text: str) -> str:
    """The cover and the summary: everything before the detail."""
    return text.split("## The detail, pillar by pillar")[0]


def visible(text: str) -> str:
    """The words of a page: no front matter, tags or link addresses."""
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    return re.sub(r"\]\([^)]*\)", "]", re.sub(r"<[^>]+>", " ", text))


@pytest.fixture
def busy(mini: Path) -> Path:
    """The mini roadmap with an off-track priority and an overdue action."""
    edit(mini / "pillars" / "workforce.yaml", "status: on-track", "status: off-track")  # flexible working
    edit(mini / "pillars" / "leadership.yaml", "due: 2025-08-15", "due: 2025-05-15")  # first cohort
    return mini


def test_the_summary_names_every_off_track_and_at_risk_priority_with_owner_and_body(busy: Path) -> None:
    summary = first_part(pages(busy)[MAIN])
    attention = summary.split("<caption>Priorities off track or at risk</caption>")[1].split("</table>")[0]
    rows = attention.split("<tr")[2:]  # after the header row
    assert len(rows) == 2
    assert "Flexible working" in rows[0] and "Off track" in rows[0], "off track comes first"
    assert "Joint workforce planning" in rows[1] and "At risk" in rows[1]
    for row in rows:
        assert "organisations/" in row and "governance/" in row  # owner and accountable body, linked
    assert "Leadership training" not in attention  # on track: not an exception


def test_the_board_is_asked_for_its_open_decisions_and_to_answer_escalations_to_it(busy: Path) -> None:
    made = pages(busy)
    asked = made[MAIN].split("## The board is asked to:")[1].split("## Needs attention")[0]
    assert "Escalate joint workforce planning to the board." in asked  # open, asked of the top body
    assert "Close the behaviours priority." not in asked  # done
    assert "30&nbsp;September&nbsp;2025" in asked and "governance/test-board.md" in asked
    assert "Agree one set of planning assumptions." in asked  # the escalation's ask
    assert "The partners cannot agree planning assumptions." in asked
    mine = made[boardpack.pillar_page("workforce")].split("## Decisions and escalations")[1]
    assert "Escalate joint workforce planning" in mine.split("## Needs attention")[0]
    other = made[boardpack.pillar_page("leadership")].split("## Decisions and escalations")[1]
    assert "Nothing: no open decision or escalation concerns this pillar." in other.split("##")[0]


def test_an_exception_shows_its_escalation_recovery_and_trajectory_in_words(busy: Path) -> None:
    summary = first_part(pages(busy)[MAIN])
    attention = summary.split("<caption>Priorities off track or at risk</caption>")[1].split("</table>")[0]
    planning = next(row for row in attention.split("<tr") if "Joint workforce planning" in row)
    assert "Escalated to the [Test People Board]" in planning and "15&nbsp;May&nbsp;2025" in planning
    assert "Recovery: A shared set of assumptions by September 2025." in planning
    flexible = next(row for row in attention.split("<tr") if "Flexible working" in row)
    assert "None recorded" in flexible
    off = summary.split("<caption>Measures off course")[1].split("</table>")[0]
    assert "Test wellbeing score" in off and "a year" in off  # the rates needed and achieved


def test_the_summary_names_overdue_actions_reviews_due_and_totals(busy: Path) -> None:
    summary = first_part(pages(busy)[MAIN])
    overdue = summary.split("<caption>Overdue actions</caption>")[1].split("</table>")[0]
    assert "Run the first cohort" in overdue and "15&nbsp;May&nbsp;2025" in overdue
    assert "Status of the 4 priorities: 1 on track, 1 at risk, 1 off track, 1 complete." in summary


def test_the_pack_reads_asks_first_then_exceptions_then_detail_then_appendix(mini: Path) -> None:
    text = pages(mini)[MAIN]
    headings = re.findall(r"^##+ (.+?)(?: \{[^}]*\})?$", text, re.M)
    order = ["The board is asked to:", "Needs attention", "What has changed",
             "The detail, pillar by pillar", "Appendix"]
    assert [h for h in headings if h in order] == order
    appendix = text.split("## Appendix")[1]
    for part in ("### Governance", "### The learning questions and the last review's answers",
                 "### Every action"):
        assert part in appendix
    for question, answer in (("Is it working?", "Mostly."),
                             ("Do the assumptions still hold?", "One assumption needs checking.")):
        assert appendix.index(question) < appendix.index(answer)
    changed = text.split("## What has changed")[1].split("## The detail")[0]
    assert "Spring 2025 review" in changed and "Complete" in changed and "All actions done." in changed


def test_dates_are_long_and_the_paper_has_no_web_only_wording(busy: Path) -> None:
    made = pages(busy)
    for page in (MAIN, boardpack.pillar_page("workforce")):
        text = visible(made[page])
        offers = re.findall(r"use your browser's Print command", text)
        assert len(offers) == 1, "the one offer to print, which print.css hides"
        assert not ISO_DATE.search(text), f"{page}: an ISO date: {ISO_DATE.search(text)}"
        for web_only in ("when you print", "click", "scroll", "this website"):
            assert web_only not in text.lower(), f"{page}: {web_only!r}"
    assert 'class="lr-pdf"' in made[MAIN]  # the offer's paragraph, hidden on paper


def test_a_pillar_pack_has_every_action_of_its_pillar_and_nothing_of_the_others(busy: Path) -> None:
    made = pages(busy)
    text = made[boardpack.pillar_page("leadership")]
    for action in ("Agree the behaviours", "Run the first cohort", "Run the second cohort"):
        assert action in text
    assert "Publish the flexible working offer" not in text and "Joint workforce planning" not in text
    assert "Run the first cohort" in text.split("## Priorities")[0], "its overdue action, in the summary"


def test_the_main_pack_stays_the_same_size_as_the_roadmap_grows(tmp_path: Path) -> None:
    """Past DETAIL_PILLARS pillars the detail moves to the pillar packs, and every list of
    the summary is capped, so three times the roadmap is not a longer main pack."""
    sizes = {}
    for scale in (13, 40):  # one priority at risk in each copy: more than the summary names
        root = tmp_path / f"x{scale}"
        synthesise(scale, root, source=MINI / "roadmap")
        roadmap = resolve(load(root))
        made = boardpack.tasks(roadmap, _page, History(False))
        [(path, text)] = made[0].make()
        assert path == MAIN
        assert len(made) == 2 + len(roadmap.pillars)  # the pack, its footer, a pack per pillar
        sizes[scale] = text.count("<tr")
        assert "And " in text and " more: " in text  # the capped lists say so
        assert "The roadmap has" in text and "pillars, too many to set out in one paper" in text
    assert sizes[40] == sizes[13]


def test_each_pack_and_its_pdf_are_listed_for_printing(mini: Path) -> None:
    roadmap = run(mini).roadmap
    packs = boardpack.packs(roadmap)
    assert [p.pdf for p in packs] == ["roadmap/board-pack.pdf", "roadmap/board-pack/leadership.pdf",
                                      "roadmap/board-pack/workforce.pdf"]
    assert packs[0].page == "roadmap/board-pack/index.html"
    assert {"index.html", "roadmap/governance/index.html"} <= set(packs[0].linked_from)
    assert [p.pdf for p in boardpack.packs(roadmap, ["workforce"])] == ["roadmap/board-pack/workforce.pdf"]


@pytest.mark.parametrize("title", ['A "quoted" title', "Back\\slash } { ; </style> <script>",
                                   "Café · ünïcode"])
def test_the_running_footer_is_a_safe_css_string(mini: Path, title: str) -> None:
    edit(mini / "programme.yaml", "title: Mini test roadmap", f"title: {json.dumps(title)}")
    css = boardpack.paper_css(run(mini).roadmap)
    literal = re.search(r'content: "((?:[^"\\]|\\.)*)";', css)
    assert literal, css
    assert not re.search(r'[<>{}"&\n]', literal[1]), "markup and quotes are escaped"
    decoded = re.sub(r"\\([0-9a-f]+) ", lambda g: chr(int(g[1], 16)), literal[1])
    assert decoded == f"{title} · as at 30 June 2025"


SPAN = ('<span class="lr-pdf-offer" data-pdf="roadmap/board-pack.pdf" data-label="Board pack">'
        '<a href="roadmap/board-pack/">Board pack</a> (a page to print from your browser)</span>')
MINIFIED = ('<span data-label="Board pack" class=lr-pdf-offer data-pdf=roadmap/board-pack.pdf>'
            '<a href=../board-pack/>Board pack</a> (a page to print from your browser)</span>')


def test_an_offer_becomes_a_link_to_the_pdf_with_its_page_count(tmp_path: Path) -> None:
    pack = boardpack.Pack("roadmap/board-pack/index.html", "roadmap/board-pack.pdf", "t", "s",
                          ("index.html", "roadmap/governance/index.html"))
    (tmp_path / "roadmap" / "governance").mkdir(parents=True)
    (tmp_path / "index.html").write_text(f"<p>{SPAN}: read it.</p>")
    (tmp_path / "roadmap" / "governance" / "index.html").write_text(f"<p>{MINIFIED}</p>")
    pdf.announce(tmp_path, [pack], {"roadmap/board-pack.pdf": 9})
    home = (tmp_path / "index.html").read_text()
    assert re.search(r'<a href="roadmap/board-pack.pdf"[^>]*>Board pack \(PDF, 9 pages\)</a>: read it.', home)
    governance = (tmp_path / "roadmap" / "governance" / "index.html").read_text()
    assert '<a href="../board-pack.pdf"' in governance and "(PDF, 9 pages)" in governance
    pdf.announce(tmp_path, [pack], {"roadmap/board-pack.pdf": 1})  # printed again: the count follows
    assert "Board pack (PDF, 1 page)</a>" in (tmp_path / "index.html").read_text()


def test_an_offer_of_a_pdf_that_was_not_made_stays_an_offer(tmp_path: Path) -> None:
    pack = boardpack.Pack("roadmap/board-pack/index.html", "roadmap/board-pack.pdf", "t", "s",
                          ("index.html",))
    (tmp_path / "index.html").write_text(SPAN)
    pdf.announce(tmp_path, [pack], {})
    assert (tmp_path / "index.html").read_text() == SPAN


def test_without_a_browser_printing_says_so_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("CHROMIUM", str(tmp_path / "no-such-browser"))
    monkeypatch.setenv("PATH", str(tmp_path))
    assert pdf.find_chromium() is None
    paper = pdf.Paper("Org", "en", None, pdf.build_time(run(MINI / "roadmap").roadmap.as_at))
    assert pdf.print_packs(tmp_path, [], paper) == {}
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("pdf: the board pack PDF was not made")
    assert "make site" in err


def test_the_documents_date_comes_from_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert pdf.pdf_date(pdf.build_time(date(2020, 1, 1))) == "D:20231114221320+00'00'"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert pdf.pdf_date(pdf.build_time(date(2020, 1, 2))) == "D:20200102000000+00'00'"


def test_the_pack_is_for_the_meeting_and_body_the_programme_names(mini: Path) -> None:
    edit(mini / "programme.yaml", "as_at:", "board_pack:\n  meeting: Group meeting of 10 July 2025\n"
         "  body: test-group\nas_at:")
    edit(mini / "reviews" / "2025-05-15-review.yaml", "    asked_of: test-board\n    concerns: [workforce",
         "    asked_of: test-group\n    concerns: [workforce")
    text = pages(mini)[MAIN]
    cover = text.split("## The board is asked to:")[0]
    assert "For Group meeting of 10 July 2025, the [Test delivery group](governance/test-group.md)" in cover
    asked = text.split("## The board is asked to:")[1].split("## Needs attention")[0]
    assert "Escalate joint workforce planning to the board." in asked  # asked of the pack's body
    boardpack.MEETING["meeting"] = "Board of 1 August 2025"  # roadmap build --meeting
    try:
        assert "For Board of 1 August 2025, the [Test delivery group]" in pages(mini)[MAIN]
    finally:
        boardpack.MEETING.clear()


def test_the_body_a_pack_is_for_must_exist(mini: Path) -> None:
    edit(mini / "programme.yaml", "as_at:", "board_pack:\n  body: test-bord\nas_at:")
    findings = [f for f in run(mini).findings if f.severity == "error"]
    assert [f.code for f in findings] == ["R001"] and "test-bord" in findings[0].message
    assert findings[0].path.endswith("programme.yaml")
