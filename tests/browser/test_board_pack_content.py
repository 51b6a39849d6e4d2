"""The shipped roadmap's board pack, read back from its PDF as a board member would: the
asks and the exceptions on the first two pages, and paper without layout faults. (A test
of shipped content: another organisation's roadmap may fail it and delete it.)"""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader

from generator import boardpack
from generator.pipeline import run
from tests.conftest import REPO
from tests.test_pdf import layout_faults


def words(text: str) -> str:
    return " ".join(text.split())


def test_the_asks_and_every_exception_are_on_the_first_two_pages(built_site: Path) -> None:
    plan = run(REPO / "roadmap").roadmap
    assert plan is not None
    reader = PdfReader(built_site / "roadmap" / "board-pack.pdf")
    first_two = words(" ".join(page.extract_text() for page in reader.pages[:2]))
    expected = [d.text for d in boardpack.asks(plan).shown]
    expected += [e.asks for e in boardpack.escalations(plan).shown]
    expected += [p.title for p in plan.priorities.values() if p.status in ("off-track", "at-risk")]
    expected += [a.title for a in plan.overdue()]
    assert expected, "the shipped roadmap has asks and exceptions to show"
    missing = [text for text in expected if words(text) not in first_two]
    assert not missing, f"not on pages 1 and 2: {missing}"
    assert len(reader.pages) <= 12


def test_every_pack_has_long_dates_paper_wording_and_no_layout_fault(built_site: Path) -> None:
    for pdf_file in sorted(built_site.rglob("*.pdf")):
        reader = PdfReader(pdf_file)
        text = words(" ".join(page.extract_text() for page in reader.pages))
        assert not re.search(r"\b\d{4}-\d{2}\b", text), f"{pdf_file.name}: an ISO date"
        assert "browser" not in text and "print this page" not in text.lower(), pdf_file.name
        assert layout_faults(reader) == [], pdf_file.name
