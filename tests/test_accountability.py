"""Holding the work to account with the mini fixture: decisions, escalations, the pages that
name them, and the rules that follow decisions from one review to the next."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from datetime import date
from pathlib import Path

from icalendar import Calendar

from generator import diff
from generator.export import to_csv, to_ics, to_json
from generator.pipeline import Result as RunResult
from generator.pipeline import run
from generator.render import environment, status_badge
from generator.review import create
from tests.conftest import MINI, edit, line_of, run_check

REVIEW = "reviews/2025-05-15-review.yaml"


def result(root: Path = MINI / "roadmap") -> RunResult:
    done = run(root)
    assert done.roadmap is not None, [f.text() for f in done.findings]
    return done


def section(page: str, heading: str) -> str:
    """The text of a page from a heading to the next heading of the same or a higher level."""
    level = heading.split(" ")[0]
    start = page.index(heading + "\n")
    rest = page[start + len(heading):]
    stop = re.search(rf"^#{{1,{len(level)}}} ", rest, re.M)
    return rest[:stop.start()] if stop else rest


def home(root: Path = MINI / "roadmap") -> str:
    roadmap = result(root).roadmap
    template = environment().get_template("blocks/needs-attention.md.j2")
    return template.render(page="index.md", roadmap=roadmap,
                           status=lambda s: status_badge(s, roadmap.statuses))


def test_model_links_decisions_and_escalations() -> None:
    roadmap = result().roadmap
    board, group = roadmap.bodies["test-board"], roadmap.bodies["test-group"]
    planning = roadmap.priorities["workforce-planning"]
    assert [d.id for d in roadmap.decisions] == ["escalate-planning", "close-behaviours"]  # open first
    assert [d.id for d in board.decisions] == ["escalate-planning"]
    assert [d.id for d in planning.open_decisions()] == ["escalate-planning"]
    assert planning.escalation is not None and planning.escalation.to is board
    assert [e.item for e in board.escalations] == [planning]
    assert board.below() == [group]
    assert roadmap.decisions[0].concerns == [planning, roadmap.actions["plan-drafted"]]


def test_home_names_what_needs_attention() -> None:
    page = home()
    totals = page.split("\n")[0]
    assert re.fullmatch(r"All 4 priorities by status: 2 .*On track</span>; "
                        r"1 .*At risk</span>; 1 .*Complete</span>\.", totals)
    flagged = section(page, "### Priorities off track or at risk")
    assert "[Joint workforce planning](roadmap/priorities/workforce-planning.md)" in flagged
    assert "[Test Council](roadmap/organisations/test-council.md)" in flagged  # owner
    assert "[Test delivery group](roadmap/governance/test-group.md)" in flagged  # accountable body
    assert "Escalated to [Test People Board](roadmap/governance/test-board.md)" in flagged
    assert "**Recovery:** A shared set of assumptions by September 2025." in flagged
    assert "Flexible working" not in flagged
    decisions = section(page, "### Open decisions")
    assert "Escalate joint workforce planning to the board." in decisions
    assert "30 September 2025" in decisions and "Close the behaviours" not in decisions
    off = section(page, "### Measures off course")
    assert "[Test wellbeing score](roadmap/measures/test-wellbeing.md)" in off
    assert "Needs \\+9.01 percentage points a year; has not moved." in off
    assert "Test engagement score" not in off  # two readings: not enough to say
    assert "### Overdue actions" not in page and "### Pillars overdue for review" not in page


def test_home_lists_overdue_actions_and_reviews(mini: Path) -> None:
    edit(mini / "programme.yaml", "as_at: 2025-06-30", "as_at: 2025-12-31")
    page = home(mini)
    overdue = section(page, "### Overdue actions")
    assert "[Draft the joint plan](roadmap/priorities/workforce-planning.md#action-plan-drafted)" in overdue
    assert "31 July 2025" in overdue
    assert "(overdue)" in section(page, "### Open decisions")
    assert "[Workforce](roadmap/pillars/workforce.md)" in section(page, "### Pillars overdue for review")


def test_body_page_holds_to_account_directly_and_through_bodies_below() -> None:
    page = result().pages["roadmap/governance/test-board.md"]
    holds = section(page, "## Holds to account")
    direct, through = holds.split("Through the Test delivery group, which reports to it")
    assert "Pillar: [Leadership]" in direct and "Priority: [Shared leadership behaviours]" in direct
    assert "Priority: [Joint workforce planning]" in through and "Leadership training" in through
    assert "Escalate joint workforce planning" in section(page, "## Decisions asked of it")
    assert "[Joint workforce planning]" in section(page, "## Escalations to it")
    assert ("**In brief:** it holds 4 priorities to account, itself or through the bodies that report "
            "to it, of which 1 is off track or at risk: [Joint workforce planning]") in page
    group = result().pages["roadmap/governance/test-group.md"]
    assert "Nothing has been escalated to it." in group
    assert "Close the behaviours priority." in section(group, "## Decisions asked of it")


def test_priority_page_shows_escalation_decisions_and_trajectories() -> None:
    pages = result().pages
    page = pages["roadmap/priorities/workforce-planning.md"]
    assert "Escalated to [Test People Board](../governance/test-board.md)" in page
    assert "1 open decision concerns this priority" in section(page, "## Decisions")
    assert "Not enough readings." in section(page, "## Measures")
    flexible = pages["roadmap/priorities/flexible-working.md"]
    assert "Off course. Needs \\+9.01 percentage points a year; has not moved." in flexible
    assert "least-squares straight line through the last 3 readings" in flexible


def test_decision_log_is_grouped_for_reading_without_javascript() -> None:
    page = result().pages["roadmap/decisions.md"]
    assert "[Open (1)](#status-open) · [Done (1)](#status-done)" in page
    assert "[Test People Board (1)](#asked-of-test-board)" in page
    assert page.index("## Open { #status-open }") < page.index("## Done { #status-done }")
    assert page.count('id="decision-escalate-planning"') == 1
    assert "**Outcome:** Marked complete at this review." in section(page, "## Done { #status-done }")
    board = section(page, "### Test People Board { #asked-of-test-board }")
    assert "escalate-planning" in board and "close-behaviours" not in board


def second_review(mini: Path, extra: str = "") -> None:
    text = (mini / REVIEW).read_text("utf-8").split("decisions:")[0]
    text = text.replace("2025-05-15-review", "2025-06-20-review")
    text = text.replace("date: 2025-05-15", "date: 2025-06-20")
    (mini / "reviews" / "2025-06-20-review.yaml").write_text(text + extra, "utf-8")


def test_a_decision_carried_forward_or_followed_up_is_not_flagged(mini: Path) -> None:
    second_review(mini, "carried_forward: [escalate-planning]\n")
    assert [f.code for f in run_check(mini)] == []
    page = result(mini).pages["roadmap/decisions.md"]
    assert "<br>Carried forward by the [Spring 2025 review](learning-log.md#review-2025-06-20-review)" in page
    (mini / "reviews" / "2025-06-20-review.yaml").unlink()
    second_review(mini, "decisions:\n  - {id: planning-again, text: Agree the plan., owner: test-council,"
                        " asked_of: test-board, due: 2025-09-30, status: open,"
                        " follows_up: escalate-planning}\n")
    assert [f.code for f in run_check(mini)] == []


def test_a_closed_decision_needs_an_outcome(mini: Path) -> None:
    edit(mini / REVIEW, "    outcome: Marked complete at this review.\n", "")
    where = line_of(mini / REVIEW, "id: close-behaviours")
    assert [(f.code, f.line) for f in run_check(mini)] == [("S004", where)]


def test_decision_references_resolve(mini: Path) -> None:
    edit(mini / REVIEW, "concerns: [workforce-planning, plan-drafted]", "concerns: [workforce-planing]")
    edit(mini / REVIEW, "asked_of: test-board", "asked_of: the-board")
    messages = [f.message for f in run_check(mini) if f.code == "R001"]
    assert "unknown priority, action or measure 'workforce-planing'; did you mean 'workforce-planning'?" \
        in messages
    assert any("unknown governance body 'the-board'" in m for m in messages)


def test_exports_carry_decisions_escalations_and_trajectories() -> None:
    roadmap = result().roadmap
    data = json.loads(to_json(roadmap))
    assert [d["id"] for d in data["decisions"]] == ["escalate-planning", "close-behaviours"]
    first = data["decisions"][0]
    assert (first["asked_of"], first["owner"], first["due"], first["status"]) == \
        ("test-board", "test-council", "2025-09-30", "open")
    assert first["url"] == "roadmap/decisions/#decision-escalate-planning"
    planning = next(p for p in data["priorities"] if p["id"] == "workforce-planning")
    assert planning["escalation"]["to"] == "test-board" and planning["recovery"].startswith("A shared")
    wellbeing = next(s for s in data["measures"] if s["id"] == "test-wellbeing")
    assert (wellbeing["kind"], wellbeing["trajectory"]["verdict"]) == ("lagging", "off-course")
    review = data["reviews"][0]
    assert review["decisions"] == ["close-behaviours", "escalate-planning"]
    rows = list(csv.DictReader(io.StringIO(to_csv(roadmap)["decisions.csv"], newline="")))
    assert (rows[0]["id"], rows[0]["asked_of"], rows[0]["status"], rows[0]["concerns"]) == \
        ("escalate-planning", "test-board", "open", "workforce-planning plan-drafted")
    events = {str(e["uid"]): e for e in Calendar.from_ical(to_ics(roadmap)).walk("VEVENT")}
    due = events["decision-escalate-planning@living-roadmap"]
    assert due.decoded("dtstart") == date(2025, 9, 30)
    assert str(due["summary"]) == "Decision due: Escalate joint workforce planning to the board."


def test_data_dictionary_documents_the_new_fields() -> None:
    page = result().pages["roadmap/data-dictionary.md"]
    for field in [r"decisions\[\].asked\_of", r"decisions\[\].follows\_up", r"carried\_forward",
                  r"priorities\[\].escalation.asks", r"priorities\[\].recovery", r"measures\[\].kind",
                  r"measures\[\].time\_to\_change\_years", r"settings.stale\_reading\_months"]:
        assert f"<code>{field}</code>" in page, field
    downloads = result().pages["roadmap/downloads/index.md"]  # the export's fields
    for field in [r"decisions\[\].asked\_of", r"measures\[\].trajectory.verdict", r"actions\[\].escalation"]:
        assert f"<code>{field}</code>" in downloads, field


def test_new_review_carries_forward_open_decisions_and_lists_escalations(mini: Path) -> None:
    roadmap = result(mini).roadmap
    path = create(roadmap, mini, date(2025, 11, 20))
    text = path.read_text("utf-8")
    assert "carried_forward:\n  # Escalate joint workforce planning to the board.\n" in text
    assert "  - escalate-planning\n" in text and "close-behaviours" not in text
    assert "#   workforce-planning: escalated to test-board on 2025-05-15. Asked: Agree one set" in text
    # The open decision is carried: no H008. The new review's answers are still placeholders,
    # which the check warns about (P006) and the build refuses until they are written.
    assert [f.code for f in run_check(mini) if f.code != "P006"] == []
    dropped = text.replace("  - escalate-planning\n", "")
    path.write_text(dropped.replace("carried_forward:", "carried_forward: []"), "utf-8")
    assert [f.code for f in run_check(mini) if f.code != "P006"] == ["H008"]


def copy_of(mini: Path, tmp_path: Path) -> Path:
    head = tmp_path / "head" / "roadmap"
    shutil.copytree(mini, head)
    return head


def test_diff_describes_decisions_in_plain_words(mini: Path, tmp_path: Path) -> None:
    head = copy_of(mini, tmp_path)
    edit(head / REVIEW, "    due: 2025-09-30\n    status: open\n",
         "    due: 2025-09-30\n    status: done\n    outcome: The board agreed the assumptions.\n")
    edit(head / REVIEW, "[leadership-behaviours]", "[leadership-behaviours, test-score]")
    edit(head / REVIEW, "decisions:\n", "decisions:\n  - {id: new-one, text: Publish the plan., "
         "owner: test-icb, asked_of: test-group, due: 2025-12-31, status: open, "
         "follows_up: escalate-planning}\n")
    reviews = diff.run(str(mini), str(head), folders=True).split("### Reviews\n", 1)[1]
    assert ("- Decision **Escalate joint workforce planning to the board.** (`escalate-planning`):\n"
            "    - closed: done\n    - outcome recorded: “The board agreed the assumptions.”") in reviews
    assert ("- Decision **Close the behaviours priority.** (`close-behaviours`): now concerns "
            "Test engagement score") in reviews
    assert ("- Added decision **Publish the plan.** (`new-one`): asked of Test delivery group, owned by "
            "Test Integrated Care Board, due 31 December 2025, open; follows up Escalate joint workforce "
            "planning to the board.") in reviews


def test_diff_describes_escalations(mini: Path, tmp_path: Path) -> None:
    head = copy_of(mini, tmp_path)
    edit(head / "pillars/workforce.yaml", "      date: 2025-05-15\n", "      date: 2025-06-01\n")
    edit(head / "pillars/leadership.yaml", "    accountable: test-group\n",
         "    accountable: test-group\n    escalation: {to: test-board, date: 2025-06-10, why: Late., "
         "asks: More trainers.}\n")
    text = diff.run(str(mini), str(head), folders=True)
    assert ("- Priority **Joint workforce planning** (`workforce-planning`): escalation to Test People Board "
            "moved from 15 May 2025 to 1 June 2025") in text
    assert ("- Priority **Leadership training** (`leadership-training`): escalated to Test People Board on "
            "10 June 2025, asking: “More trainers.”") in text


def test_escalation_goes_up_the_tree_not_sideways(mini: Path) -> None:
    with (mini / "governance.yaml").open("a", encoding="utf-8") as file:
        file.write("  - {id: test-sibling, name: Sibling group, purpose: Another group.,"
                   " members: [test-trust], cadence: monthly, reports_to: test-board}\n")
    leadership = mini / "pillars/leadership.yaml"
    edit(leadership, "    accountable: test-group\n", "    accountable: test-group\n"
         "    escalation: {to: test-board, date: 2025-06-10, why: X., asks: Y.}\n")
    assert [f.code for f in run_check(mini)] == []  # two levels up: the group's board
    edit(leadership, "to: test-board, date: 2025-06-10", "to: test-sibling, date: 2025-06-10")
    found = [(f.code, f.line, f.message) for f in run_check(mini)]
    assert found == [("H001", line_of(leadership, "to: test-sibling"),
                      "priority 'leadership-training' is escalated to 'test-sibling', which is not above it; "
                      "an escalation goes up the governance tree: escalate to one of test-group, test-board")]


def test_a_decision_about_a_measure_is_on_the_measure_page_only(mini: Path) -> None:
    edit(mini / REVIEW, "[leadership-behaviours]", "[test-score]")
    done = result(mini)
    assert [d.id for d in done.roadmap.measures["test-score"].decisions] == ["close-behaviours"]
    assert done.roadmap.priorities["leadership-training"].decisions == []  # it uses the measure
    page = done.pages["roadmap/measures/test-score.md"]
    assert "[Close the behaviours priority.](../decisions.md#decision-close-behaviours)" in \
        section(page, "## Decisions about this measure")
