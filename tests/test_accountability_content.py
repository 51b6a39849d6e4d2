"""The shipped roadmap holds its work to account: checks of its content, not of the tool
(another organisation's roadmap will not have these items)."""

from __future__ import annotations

from generator.check import check
from generator.load import load
from generator.pipeline import run
from generator.render import environment, status_badge
from tests.conftest import REPO

ESCALATION = "Escalated to [LLR People and Culture Board]"


def test_shipped_reviews_decide_as_data_and_check_has_no_errors() -> None:
    assert [f.text() for f in check(load(REPO / "roadmap")) if f.severity == "error"] == []
    roadmap = run(REPO / "roadmap").roadmap
    assert roadmap is not None
    assert all(r.decisions for r in roadmap.reviews)
    fast_track = next(d for d in roadmap.decisions if d.id == "escalate-adjustments-fast-track")
    assert fast_track.asked_of.id == "llr-people-culture-board" and fast_track.status == "open"


def test_the_adjustments_escalation_is_on_home_the_board_page_and_the_priority_page() -> None:
    result = run(REPO / "roadmap")
    roadmap = result.roadmap
    assert roadmap is not None
    home = environment().get_template("blocks/needs-attention.md.j2").render(
        page="index.md", roadmap=roadmap, status=lambda s: status_badge(s, roadmap.statuses))
    assert ESCALATION in home.split("### Overdue actions")[0]
    assert "[Reasonable adjustments that work for Disabled staff]" in home
    board = result.pages["roadmap/governance/llr-people-culture-board.md"]
    assert "## Escalations to it\n\n- [Reasonable adjustments that work for Disabled staff]" in board
    asked = board.split("## Decisions asked of it")[1]
    assert "Escalate the reasonable adjustments fast-track process" in asked
    holds = board.split("## Holds to account")[1].split("## Decisions asked of it")[0]
    assert "Priority: [Reasonable adjustments that work for Disabled staff]" in holds
    assert "Nothing directly." in holds  # ... but everything through the bodies below it
    assert ESCALATION in result.pages["roadmap/priorities/reasonable-adjustments.md"]


def test_wres_6_is_not_shown_as_on_course() -> None:
    result = run(REPO / "roadmap")
    assert result.roadmap is not None
    assert result.roadmap.measures["wres-6"].trend.verdict == "off-course"
    page = result.pages["roadmap/measures/wres-6.md"]
    assert "Off course. Needs" in page and "On course" not in page
