"""The case study's ideas as data: context, vision and pillars, phases, places, engagement,
commitments, horizons, the learning questions over time and field-level illustrative marking.

Every test uses the `ideas` fixture (tests/fixtures/ideas: the mini roadmap with these ideas
filled in), never the shipped roadmap."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from generator import diff
from generator.pipeline import run
from generator.render import environment, status_badge
from generator.render.chart import chart
from tests.conftest import REPO, edit, line_of, run_check

IDEAS = REPO / "tests" / "fixtures" / "ideas" / "roadmap"


@pytest.fixture
def ideas(tmp_path: Path) -> Path:
    """A copy of the ideas fixture that a test may edit freely."""
    shutil.copytree(IDEAS, tmp_path / "roadmap")
    return tmp_path / "roadmap"


def built(root: Path) -> tuple:
    result = run(root)
    assert result.ok, [f.text() for f in result.findings]
    return result.roadmap, result.pages


def block(roadmap, name: str, page: str = "index.md") -> str:
    """A Home block as the macros module renders it."""
    return environment().get_template(f"blocks/{name}.md.j2").render(
        page=page, roadmap=roadmap, chart=chart, status=lambda s: status_badge(s, roadmap.statuses))


def codes(root: Path, code: str) -> list[tuple[str, int]]:
    return [(f.path, f.line) for f in run_check(root) if f.code == code]


# ---------------------------------------------------------------- 1. why this roadmap

def test_home_says_why_and_links_to_the_about_page(ideas: Path) -> None:
    edit(ideas / "programme.yaml", "  - This fixture exists to test the generator.\n",
         "  - First reason.\n  - Second reason.\n  - Third reason, only on the about page.\n")
    roadmap, pages = built(ideas)
    why = block(roadmap, "why")
    assert "First reason." in why and "Second reason." in why
    assert "Third reason" not in why
    assert "](roadmap/about.md)" in why
    about = pages["roadmap/about.md"]
    for text in ("First reason.", "Second reason.", "Third reason, only on the about page."):
        assert text in about
    assert "## Sources" in about and "Mini source" in about


def test_board_pack_cites_the_context_in_one_line(ideas: Path) -> None:
    _, pages = built(ideas)
    line = next(x for x in pages["roadmap/board-pack.md"].splitlines() if x.startswith("Why this roadmap:"))
    assert "This fixture exists to test the generator." in line and "about.md" in line


def test_no_context_means_no_why_section(ideas: Path) -> None:
    edit(ideas / "programme.yaml", "context:\n  - This fixture exists to test the generator.\n", "")
    roadmap, pages = built(ideas)
    assert block(roadmap, "why").strip() == ""
    assert "has not been written down yet" in pages["roadmap/about.md"]


# ---------------------------------------------------------------- 2. vision and pillars

def test_pillars_name_the_experiences_they_deliver(ideas: Path) -> None:
    roadmap, pages = built(ideas)
    assert [p.id for p in roadmap.experiences["good-leadership"].pillars] == ["leadership"]
    assert roadmap.experiences["safe-care"].pillars == []
    vision = block(roadmap, "vision")
    served = vision.split("- Good leadership", 1)[1].split("\n- ", 1)[0]
    assert "    - Served by: [Leadership](roadmap/pillars/leadership.md)" in served
    assert "Served by" not in vision.split("- Safe care", 1)[1].split("- Good leadership", 1)[0]
    row = 'Serves the vision</th><td markdown="span">{}</td>'
    assert row.format("Good leadership") in pages["roadmap/pillars/leadership.md"]
    assert row.format("Not stated") in pages["roadmap/pillars/workforce.md"]


def test_delivers_must_name_a_known_experience(ideas: Path) -> None:
    edit(ideas / "pillars/leadership.yaml", "delivers: [good-leadership]", "delivers: [good-leadershp]")
    findings = [f for f in run_check(ideas) if f.code == "R001"]
    assert len(findings) == 1
    assert "unknown vision experience 'good-leadershp'; did you mean 'good-leadership'?" \
        in findings[0].message


# ---------------------------------------------------------------- 3. dated phases

def test_phases_show_dates_marking_only_the_illustrative_one(ideas: Path) -> None:
    _, pages = built(ideas)
    phases = pages["roadmap/phases.md"]
    assert "From January 2023 to September 2023 <small class=\"lr-illustrative\">(illustrative)</small>." \
        in phases
    assert "January 2023 <small" not in phases  # the start is sourced, so it is not marked
    timeline = pages["roadmap/timeline.md"]
    marked = '<small class="lr-illustrative">(illustrative)</small>'
    assert '[Discover](phases.md#phase-discover)</th><td markdown="span"><span class="lr-gantt__when">' \
        f'January 2023 to September 2023 {marked}</span>' in timeline
    assert ('[Deliver](phases.md#phase-deliver)</th><td markdown="span"><span class="lr-gantt__when">'
            "Start not recorded to end not recorded</span></td>") in timeline


def test_phase_outputs_link_to_what_embodies_them(ideas: Path) -> None:
    _, pages = built(ideas)
    phases = pages["roadmap/phases.md"]
    assert "- A board to oversee the work. See [Test People Board](governance/test-board.md)" in phases
    assert "- A way to learn at every review. See [Learning log](learning-log.md)." in phases
    assert "- Some shared understanding.\n" in phases


def test_phase_dates_in_the_diff(ideas: Path, tmp_path: Path) -> None:
    head = tmp_path / "head"
    shutil.copytree(ideas, head)
    edit(head / "programme.yaml", "end: 2023-09", "end: 2023-11")
    edit(head / "pillars/leadership.yaml", "delivers: [good-leadership]", "delivers: [safe-care]")
    text = diff.run(str(ideas), str(head), folders=True)
    assert "end changed from September 2023 to November 2023" in text
    assert "vision experiences served added: Safe care" in text
    assert "vision experiences served removed: Good leadership" in text


# ---------------------------------------------------------------- 4. places

def test_a_page_per_place_with_its_work_and_commitments(ideas: Path) -> None:
    roadmap, pages = built(ideas)
    north, south = pages["roadmap/places/north.md"], pages["roadmap/places/south.md"]
    mine = north.split("## System-wide work", 1)[0]
    assert "[Joint workforce planning](../priorities/workforce-planning.md)" in mine
    # the action names no place, so it happens where its priority does
    assert "[Draft the joint plan](../priorities/workforce-planning.md#action-plan-drafted)" in mine
    assert "A planning lead." in mine and "Analyst time." not in mine  # the ICB commits in the south only
    assert "[Run the second cohort]" in south and "Analyst time." in south
    assert "No priority names this place yet." in south
    system = north.split("## System-wide work", 1)[1]
    assert "[Flexible working]" in system and "[Joint workforce planning]" not in system
    assert [p.id for p in roadmap.priorities["flexible-working"].places] == []
    assert 'Where</th><td markdown="span">System-wide</td>' in pages["roadmap/priorities/flexible-working.md"]
    assert "[Northtown](../places/north.md)" in pages["roadmap/priorities/workforce-planning.md"]
    assert "[Northtown](north.md)</th><td markdown=\"span\">1</td>" in pages["roadmap/places/index.md"]


def test_places_in_the_exports_and_the_check(ideas: Path) -> None:
    from generator.export import as_data, to_csv
    roadmap, _ = built(ideas)
    data = as_data(roadmap)
    assert [p["id"] for p in data["places"]] == ["north", "south"]
    planning = next(p for p in data["priorities"] if p["id"] == "workforce-planning")
    assert planning["places"] == ["north"]
    assert [c["places"] for c in planning["commitments"]] == [["north"], ["south"], ["north"]]
    actions = list(csv.DictReader(io.StringIO(to_csv(roadmap)["actions.csv"])))
    assert next(x for x in actions if x["id"] == "plan-drafted")["places"] == "north"
    assert next(x for x in actions if x["id"] == "offer-published")["places"] == "system-wide"
    edit(ideas / "pillars/workforce.yaml", "places: [north]", "places: [nroth]")
    assert codes(ideas, "R001") == [("roadmap/pillars/workforce.yaml", 21)]


# ---------------------------------------------------------------- 5. engagement and insights

def test_what_we_heard_traces_insights_to_priorities(ideas: Path) -> None:
    roadmap, pages = built(ideas)
    heard = pages["roadmap/what-we-heard.md"]
    assert "### Listening events { #engagement-listening-events }" in heard
    assert '<th scope="row">People</th><td markdown="span">Over 40</td>' in heard
    assert "Individual, system" in heard and "Mini engagement report" in heard
    marked = '<small class="lr-illustrative">(illustrative)</small>'
    assert f"February 2023 {marked}, during the [Discover]" in heard
    said = heard.split("{ #insight-plans-apart }", 1)[1].split("### ", 1)[0]
    assert "**You said:** Partners plan their workforce separately." in said
    assert "[Joint workforce planning](priorities/workforce-planning.md)" in said
    unheard = heard.split("{ #insight-unheard }", 1)[1]
    assert "Illustrative content" in unheard and "no priority responds to this yet" in unheard
    assert [p.id for p in roadmap.insights["plans-apart"].responses] == ["workforce-planning"]
    assert "[Plans are made apart](../what-we-heard.md#insight-plans-apart)" \
        in pages["roadmap/priorities/workforce-planning.md"]


def test_engagement_references_are_checked(ideas: Path) -> None:
    edit(ideas / "pillars/workforce.yaml", "responds_to: [plans-apart]", "responds_to: [plans-aprt]")
    edit(ideas / "programme.yaml", "heard_in: [listening-events]", "heard_in: [listening-event]")
    edit(ideas / "programme.yaml", "phase: discover", "phase: discovery")
    found = [f for f in run_check(ideas) if f.code == "R001"]
    assert sorted(f.message.split(";")[0] for f in found) == [
        "unknown engagement 'listening-event'", "unknown insight 'plans-aprt'", "unknown phase 'discovery'"]


def test_engagement_people_must_be_positive(ideas: Path) -> None:
    edit(ideas / "programme.yaml", "people: 40", "people: 0")
    assert codes(ideas, "S005") or codes(ideas, "S003")


def test_engagement_and_insights_are_exported(ideas: Path) -> None:
    from generator.export import as_data
    roadmap, _ = built(ideas)
    data = as_data(roadmap)
    assert data["engagement"][0]["people"] == 40 and data["engagement"][0]["people_at_least"] is True
    assert data["engagement"][0]["illustrative_fields"] == ["start"]
    assert data["insights"][0]["responses"] == ["workforce-planning"]
    planning = next(p for p in data["priorities"] if p["id"] == "workforce-planning")
    assert planning["responds_to"] == ["plans-apart"]


# ---------------------------------------------------------------- 6. capacity you can count

def test_partner_totals_on_organisation_and_accountability_pages(ideas: Path) -> None:
    _, pages = built(ideas)
    council = pages["roadmap/organisations/test-council.md"]
    assert "**In total:** 10 hours a month; £5,000 a year; 0.5 FTE, across 2 commitments." in council
    assert 'Lead (Delivery lead)</td><td markdown="span">10 hours a month; £5,000 a year: A planning lead.' \
        in council
    accountability = pages["roadmap/accountability.md"].split("## What each partner gives", 1)[1]
    council_row = next(x for x in accountability.splitlines() if "[Test Council]" in x)
    cells = council_row.split("</th>", 1)[1].split("</td>")
    assert [c.rsplit(">", 1)[-1] for c in cells[1:10]] == ["1", "", "", "", "1", "", "", "", ""]
    assert "10 hours a month; £5,000 a year; 0.5 FTE" in council_row
    assert "2\\.5 hours a month" in next(x for x in accountability.splitlines() if "[Test ICB]" in x)


def test_commitment_roles_come_from_one_vocabulary(ideas: Path) -> None:
    edit(ideas / "pillars/workforce.yaml", "role: measure", "role: Data partner")
    path = ideas / "pillars/workforce.yaml"
    assert codes(ideas, "S003") == [("roadmap/pillars/workforce.yaml", line_of(path, "role: Data partner"))]


def test_handover_is_shown_and_exported(ideas: Path) -> None:
    from generator.export import as_data, to_csv
    roadmap, pages = built(ideas)
    maintained = 'Outputs maintained by</th><td markdown="span">[Test NHS Trust]'
    assert maintained in pages["roadmap/priorities/leadership-behaviours.md"]
    data = as_data(roadmap)
    behaviours = next(p for p in data["priorities"] if p["id"] == "leadership-behaviours")
    assert behaviours["handover"]["organisation"] == "test-trust"
    council = next(o for o in data["organisations"] if o["id"] == "test-council")
    assert council["commitment_totals"] == [{"amount": 10, "unit": "hours-a-month"},
                                            {"amount": 5000, "unit": "gbp-a-year"},
                                            {"amount": 0.5, "unit": "fte"}]
    rows = list(csv.reader(io.StringIO(to_csv(roadmap)["commitments.csv"])))
    assert rows[0] == ["organisation", "priority", "role", "amount", "unit", "places", "capacity"]
    assert ["test-icb", "workforce-planning", "measure", "2.5", "hours-a-month", "south",
            "Analyst time."] in rows


def test_a_complete_action_is_covered_by_its_priority_handover(ideas: Path) -> None:
    assert codes(ideas, "C001") == []
    edit(ideas / "pillars/leadership.yaml", "    handover: {organisation: test-trust, role: Head of OD, "
         "maintains: The behaviours in appraisal.}\n", "")
    assert len(codes(ideas, "C001")) == 2  # the priority and its complete action


def test_ideas_fixture_is_clean(ideas: Path) -> None:
    assert run_check(ideas) == []


# ---------------------------------------------------------------- 7. time to change

def test_horizons_and_long_term_targets_beyond_the_plan(ideas: Path) -> None:
    _, pages = built(ideas)
    training = pages["roadmap/priorities/leadership-training.md"]
    assert "Long-term outcomes (expected within 6 years, by 2031)" in training
    assert "Short-term outcomes (expected within 1 year, by 2026)" in training
    beyond = pages["roadmap/timeline.md"].split("## Beyond the plan period", 1)[1].split("## Actions", 1)[0]
    assert "The plan runs to March 2026" in beyond
    assert '31 August 2031</td><td markdown="span">[Test appointment ratio](measures/test-ratio.md)</td>' \
        '<td markdown="span">1\\.0 \\(long-term target\\) <small' in beyond
    assert '<td markdown="span">2031</td><td markdown="span">[Leadership training]' in beyond
    # the short-term outcomes, due in 2026, are inside the plan period (to March 2026)
    assert "Long term: Better culture" in beyond and "Short term" not in beyond
    ratio = pages["roadmap/measures/test-ratio.md"]
    assert 'Long-term target</th><td markdown="span">1\\.0 by 31 August 2031' in ratio


def test_horizons_must_be_positive(ideas: Path) -> None:
    edit(ideas / "pillars/leadership.yaml", "horizon_years: {short: 1,", "horizon_years: {short: 0,")
    found = [f for f in run_check(ideas) if f.code == "O001"]
    assert [f.message for f in found] == ["the short-term horizon of 0 years must be more than 0"]


# ---------------------------------------------------------------- 8. the questions over time

def test_learning_questions_over_time(ideas: Path) -> None:
    edit(ideas / "reviews/2025-06-20-review.yaml", "    gist: Better; planning now monthly.\n", "")
    edit(ideas / "reviews/2025-06-20-review.yaml", "  - {question: assumptions, answer: They hold.}\n", "")
    _, pages = built(ideas)
    log = pages["roadmap/learning-log.md"]
    table = log.split("## The questions over time", 1)[1].split("</table>", 1)[0]
    assert 'Spring 2025 review (May 2025)</th><th scope="col" markdown="span">Early summer 2025 review' \
        in table
    working = next(x for x in table.splitlines() if "Is it working?" in x)
    assert "[Mostly.](#review-2025-05-15-review-working)" in working
    # no gist: the first sentence, cut at a word
    assert "[Better than in May, because the second cohort of leaders has started and the planning group " \
        "now meets every month with…](#review-2025-06-20-review-working)" in working
    assumptions = next(x for x in table.splitlines() if "Do the assumptions still hold?" in x)
    assert assumptions.endswith('<td markdown="span">Not answered</td></tr>')
    assert "### Is it working? { #review-2025-06-20-review-working }" in log


def test_a_gist_replaces_the_first_sentence(ideas: Path) -> None:
    _, pages = built(ideas)
    log = pages["roadmap/learning-log.md"]
    assert "[Better; planning now monthly.](#review-2025-06-20-review-working)" in log


# ---------------------------------------------------------------- 9. illustrative at field level

MARK = '<small class="lr-illustrative">(illustrative)</small>'


def test_only_the_marked_fields_are_labelled(ideas: Path) -> None:
    _, pages = built(ideas)
    ratio = pages["roadmap/measures/test-ratio.md"]
    assert "Illustrative content" not in ratio  # the definition is real: no whole-page note
    assert "1.0 is equal.\n" in ratio  # and no label after it
    assert "Test workforce data.</td>" in ratio
    for row in ("Baseline", "Target", "Long-term target"):
        line = next(x for x in ratio.splitlines() if f'<th scope="row">{row}</th>' in x)
        assert line.endswith(f"{MARK}</td></tr>"), line
    assert f"{MARK} These readings are examples" in ratio
    score = pages["roadmap/measures/test-score.md"]  # wholly illustrative: one note, no field labels
    assert "Illustrative content" in score and MARK not in score


def test_the_label_is_explained_once_on_home_and_in_the_board_pack(ideas: Path) -> None:
    roadmap, pages = built(ideas)
    key = block(roadmap, "illustrative-key")
    assert key.count("*(illustrative)*") == 1 and "not a fact taken from a published source" in key
    assert pages["roadmap/board-pack.md"].count("A value or item labelled *(illustrative)*") == 1


def test_unknown_cadence_and_publication_date(ideas: Path) -> None:
    edit(ideas / "governance.yaml", "cadence: quarterly", "cadence: unknown")
    edit(ideas / "frameworks/ascws.yaml", "published: 2024-07-01", "published: 2024-07")
    edit(ideas / "frameworks/ltwp.yaml", "published: 2023-06-30\n", "")
    _, pages = built(ideas)
    board = pages["roadmap/governance/test-board.md"]
    assert 'Meets</th><td markdown="span">At intervals not yet recorded \\(the sources do not say\\)' in board
    assert 'Published</th><td markdown="span">July 2024</td>' in pages["roadmap/frameworks/ascws/index.md"]
    assert 'Published</th><td markdown="span">Not recorded</td>' in pages["roadmap/frameworks/ltwp/index.md"]


def test_marked_fields_in_the_export_and_the_diff(ideas: Path, tmp_path: Path) -> None:
    from generator.export import as_data
    roadmap, _ = built(ideas)
    ratio = next(s for s in as_data(roadmap)["measures"] if s["id"] == "test-ratio")
    assert ratio["illustrative"] is False
    assert ratio["illustrative_fields"] == ["baseline", "long_term_target", "readings", "target"]
    head = tmp_path / "head"
    shutil.copytree(ideas, head)
    edit(head / "measures.yaml", "illustrative_fields: [baseline, target, long_term_target, readings]",
         "illustrative_fields: [target, long_term_target, readings]")
    assert "illustrative values removed: baseline" in diff.run(str(ideas), str(head), folders=True)


def test_marked_values_are_labelled_wherever_they_appear(ideas: Path) -> None:
    _, pages = built(ideas)
    # the index: baseline, latest reading, target, trajectory; the pack: latest, target, trajectory
    for page, marks in (("roadmap/measures/index.md", 4), ("roadmap/board-pack.md", 3)):
        row = next(x for x in pages[page].splitlines() if "[Test appointment ratio]" in x and "<td" in x)
        assert row.count(MARK) == marks, (page, row)
