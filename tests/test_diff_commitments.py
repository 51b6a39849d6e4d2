"""`roadmap diff` words what changed in a priority's commitments: who joined or left, each
partner's role and amounts, by name (the `ideas` fixture, never the shipped roadmap)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import diff
from tests.conftest import REPO, edit

IDEAS = REPO / "tests" / "fixtures" / "ideas" / "roadmap"
ICB = ("{organisation: test-icb, role: measure, capacity: Analyst time., places: [south],\n"
       "         quantities: [{amount: 2.5, unit: hours-a-month}]}")
MAINTAIN = "{organisation: test-council, role: maintain, quantities: [{amount: 0.5, unit: fte}]}"
LEAD_AMOUNTS = "quantities: [{amount: 10, unit: hours-a-month}, {amount: 5000, unit: gbp-a-year}]}"
PRIORITY = "- Priority **Joint workforce planning** (`workforce-planning`)"


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    """The ideas roadmap before, and a copy to change after."""
    base, head = tmp_path / "base", tmp_path / "head"
    shutil.copytree(IDEAS, base)
    shutil.copytree(IDEAS, head)
    return base, head


def changed(pair: tuple[Path, Path], old: str, new: str) -> str:
    base, head = pair
    edit(head / "pillars" / "workforce.yaml", old, new)
    return diff.run(str(base), str(head), folders=True)


def test_a_role_change_is_worded(pair: tuple[Path, Path]) -> None:
    text = changed(pair, ICB, ICB.replace("role: measure", "role: lead"))
    assert f"{PRIORITY}: Test Integrated Care Board's role changed from measure to lead" in text
    assert "commitments changed" not in text


def test_an_amount_change_says_the_new_amount_and_the_old(pair: tuple[Path, Path]) -> None:
    text = changed(pair, ICB, ICB.replace("amount: 2.5", "amount: 4"))
    assert f"{PRIORITY}: Test Integrated Care Board now commits 4 hours a month (was 2.5 hours a month)" \
        in text


def test_units_added_and_removed(pair: tuple[Path, Path]) -> None:
    more = ICB.replace("unit: hours-a-month}", "unit: hours-a-month}, {amount: 1, unit: fte}")
    text = changed(pair, ICB, more.replace("capacity: Analyst time.", "capacity: Analyst and lead time."))
    assert "    - Test Integrated Care Board now commits 1 FTE\n" in text
    assert ("    - Test Integrated Care Board's capacity changed from “Analyst time.” to "
            "“Analyst and lead time.”") in text
    base, head = pair
    fewer = LEAD_AMOUNTS.replace(", {amount: 5000, unit: gbp-a-year}", "")
    edit(head / "pillars" / "workforce.yaml", LEAD_AMOUNTS, fewer)
    text = diff.run(str(base), str(head), folders=True)
    # Test Council commits twice to this priority (lead and maintain): each is named by its role.
    assert "    - Test Council (as lead) no longer commits £5,000 a year\n" in text


def test_partners_joining_and_leaving(pair: tuple[Path, Path]) -> None:
    text = changed(pair, MAINTAIN,
                   "{organisation: test-trust, role: host, quantities: [{amount: 3, unit: people}]}")
    assert "    - Test NHS Trust now commits as host: 3 people\n" in text
    assert "    - Test Council no longer commits as maintain" in text


def test_a_partner_with_two_commitments_is_matched_by_role(pair: tuple[Path, Path]) -> None:
    text = changed(pair, MAINTAIN, MAINTAIN.replace("0.5", "0.75"))
    assert f"{PRIORITY}: Test Council (as maintain) now commits 0.75 FTE (was 0.5 FTE)" in text
    base, head = pair
    edit(head / "pillars" / "workforce.yaml", "role: maintain, quantities: [{amount: 0.75",
         "role: implement, quantities: [{amount: 1")
    text = diff.run(str(base), str(head), folders=True)
    assert "    - Test Council's role changed from maintain to implement\n" \
        "    - Test Council (as implement) now commits 1 FTE (was 0.5 FTE)" in text
    assert "lead" not in text.split(PRIORITY)[1]  # its other commitment, as lead, is untouched


def test_reordered_commitments_say_so(pair: tuple[Path, Path]) -> None:
    base, head = pair
    path = head / "pillars" / "workforce.yaml"
    source = path.read_text("utf-8")
    icb = source.index("      - {organisation: test-icb")
    end = source.index("      - {organisation: test-council, role: maintain")
    moved = source[end:].replace(MAINTAIN + "\n", MAINTAIN + "\n" + source[icb:end], 1)
    path.write_text(source[:icb] + moved, "utf-8")
    assert f"{PRIORITY}: commitments reordered" in diff.run(str(base), str(head), folders=True)


def test_a_unit_the_check_refuses_is_still_shown_safely(pair: tuple[Path, Path]) -> None:
    text = changed(pair, ICB, ICB.replace("unit: hours-a-month", "unit: '<b>[x](y)'"))
    assert "now commits 2.5 &lt;b&gt;\\[x\\]\\(y\\)" in text and "<b>" not in text
