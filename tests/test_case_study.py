"""The case study's ideas as data: context, vision and pillars, phases, places, engagement,
commitments, horizons, the learning questions over time and field-level illustrative marking.

Every test uses the mini fixture roadmap (tests/fixtures/), never the shipped one."""

from __future__ import annotations

from pathlib import Path

from generator.pipeline import run
from generator.render import environment, status_badge
from generator.render.chart import chart
from tests.conftest import edit, run_check


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

def test_home_says_why_and_links_to_the_about_page(mini: Path) -> None:
    edit(mini / "programme.yaml", "  - This fixture exists to test the generator.\n",
         "  - First reason.\n  - Second reason.\n  - Third reason, only on the about page.\n")
    roadmap, pages = built(mini)
    why = block(roadmap, "why")
    assert "First reason." in why and "Second reason." in why
    assert "Third reason" not in why
    assert "](roadmap/about.md)" in why
    about = pages["roadmap/about.md"]
    for text in ("First reason.", "Second reason.", "Third reason, only on the about page."):
        assert text in about
    assert "## Sources" in about and "Mini source" in about


def test_board_pack_cites_the_context_in_one_line(mini: Path) -> None:
    _, pages = built(mini)
    line = next(x for x in pages["roadmap/board-pack.md"].splitlines() if x.startswith("Why this roadmap:"))
    assert "This fixture exists to test the generator." in line and "about.md" in line


def test_no_context_means_no_why_section(mini: Path) -> None:
    edit(mini / "programme.yaml", "context:\n  - This fixture exists to test the generator.\n", "")
    roadmap, pages = built(mini)
    assert block(roadmap, "why").strip() == ""
    assert "has not been written down yet" in pages["roadmap/about.md"]
