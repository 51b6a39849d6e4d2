"""Checks of the shipped roadmap's content (roadmap/) for the case study's ideas: each is
sourced where the reference material gives it and marked illustrative where it does not.
A fork that replaces roadmap/ replaces or deletes this file."""

from __future__ import annotations

from functools import cache

import pytest

from generator.check import check
from generator.load import load
from generator.model import Roadmap
from generator.pipeline import run
from tests.conftest import REPO

ROOT = REPO / "roadmap"


@cache
def shipped() -> tuple[Roadmap, dict[str, str]]:
    result = run(ROOT)
    assert result.roadmap is not None and result.ok
    return result.roadmap, result.pages


def test_check_has_no_errors() -> None:
    assert [f.text() for f in check(load(ROOT)) if f.severity == "error"] == []


def test_context_and_vision_experiences_are_served() -> None:
    roadmap, pages = shipped()
    context = " ".join(roadmap.programme["context"])
    for fact in ("one of three national pilots", "The King's Fund", "ICS People Board", "April 2022",
                 "take time to enact and emerge"):
        assert fact in context
    assert all(e.pillars for e in roadmap.experiences.values())  # every experience has a pillar
    assert "ardengemcsu.nhs.uk" in pages["roadmap/about.md"]


def test_phases_are_dated_and_only_april_2022_is_sourced() -> None:
    roadmap, _ = shipped()
    first, *rest = roadmap.phases
    assert first.start and f"{first.start:%Y-%m}" == "2022-04" and "start" not in first.illustrative_fields
    assert all({"start", "end"} <= ph.illustrative_fields for ph in rest)
    assert all(target is not None for ph in roadmap.phases for _, target in ph.outputs[1:])


def test_places_are_the_three_of_the_reference_sheet() -> None:
    roadmap, pages = shipped()
    assert [p.title for p in roadmap.places.values()] == ["Leicester", "Leicestershire", "Rutland"]
    assert all(f"roadmap/places/{p}.md" in pages for p in roadmap.places)


def test_engagement_is_sourced_and_insights_are_illustrative() -> None:
    roadmap, _ = shipped()
    (engagement,) = roadmap.engagement.values()
    assert engagement.get("people") == 130 and engagement.get("people_at_least") is True
    assert engagement.get("perspectives") == ["individual", "place", "system"]
    assert not engagement.illustrative and engagement.phase and engagement.phase.id == "diagnostics"
    assert all(i.illustrative and i.responses for i in roadmap.insights.values())
    assert all(p.responds_to for p in roadmap.priorities.values())


def test_partners_have_roles_quantities_and_handovers() -> None:
    roadmap, pages = shipped()
    roles = {c.role for p in roadmap.priorities.values() for c in p.partner_commitments}
    assert {"lead", "implement", "measure"} <= roles
    assert all(c.quantities for p in roadmap.priorities.values() for c in p.partner_commitments)
    assert "## What each partner gives" in pages["roadmap/accountability.md"]
    findings = check(load(ROOT))
    assert [f for f in findings if f.code == "C001"] == []


def test_culture_takes_time_beyond_the_plan() -> None:
    roadmap, pages = shipped()
    assert all("horizon_years" in p.get("logic_model", {}).get("outcomes", {})
               for p in roadmap.priorities.values() if p.get("logic_model"))
    targets, outcomes = roadmap.beyond_plan()
    assert any(key == "long_term_target" for _, key, _, _ in targets) and outcomes
    assert "## Beyond the plan period" in pages["roadmap/timeline.md"]


@pytest.mark.parametrize("measure", ["wdes-8", "wres-2", "nss-engagement"])
def test_national_definitions_are_not_called_illustrative(measure: str) -> None:
    roadmap, pages = shipped()
    node = roadmap.measures[measure]
    assert not node.illustrative and {"baseline", "target", "readings"} <= node.illustrative_fields
    page = pages[f"roadmap/measures/{measure}.md"]
    assert "Illustrative content" not in page and "These readings are examples" in page


def test_unknown_facts_are_not_presented_as_fact() -> None:
    roadmap, pages = shipped()
    board = roadmap.bodies["llr-people-culture-board"]
    assert board.cadence == "unknown" and "members" in board.illustrative_fields
    assert "every two months" not in pages["roadmap/governance/llr-people-culture-board.md"]
    promise = roadmap.frameworks["pp"]
    assert promise.get("published") is None
    assert 'Published</th><td markdown="span">Not recorded</td>' in pages["roadmap/frameworks/pp/index.md"]
    assert roadmap.frameworks["adass-lga-sfc"].get("published") == "2020"


def test_learning_questions_over_time_table() -> None:
    roadmap, pages = shipped()
    table = pages["roadmap/learning-log.md"].split("## The questions over time", 1)[1].split("</table>", 1)[0]
    assert table.count("<tr markdown=\"1\"><th scope=\"row\"") == len(roadmap.programme["learning_questions"])
    assert "Not answered" not in table
