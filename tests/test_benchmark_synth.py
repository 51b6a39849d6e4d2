"""The benchmark's synthetic roadmaps are real roadmaps: they pass `roadmap check` with no
errors and render. Speed is measured by benchmarks/run.py, never asserted here."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import adversarial
from benchmarks.synth import Counts, count
from benchmarks.synth import project as _project
from benchmarks.synth import synthesise as _synthesise
from generator.check import check, has_errors
from generator.load import load
from generator.pipeline import generate, run
from tests.conftest import MINI, SAMPLE

# The benchmark runs on the shipped roadmap; its tests clone a fixture, so that they pass
# whatever roadmap/ holds.
SHIPPED = SAMPLE / "roadmap"
SHIPPED_COUNTS = count(SHIPPED)


def project(dest: Path, scale: int = 1) -> Path:
    return _project(dest, scale=scale, source=SHIPPED)


def synthesise(scale: int, dest: Path) -> Counts:
    return _synthesise(scale, dest, SHIPPED)


@pytest.mark.parametrize("scale", [1, 3])
def test_synthetic_roadmap_passes_check_and_renders(tmp_path: Path, scale: int) -> None:
    root = project(tmp_path / "project", scale=scale) / "roadmap"
    findings = check(load(root))
    assert not has_errors(findings), [f.text() for f in findings if f.severity == "error"]
    result = run(root)
    assert result.ok and result.roadmap is not None
    roadmap = result.roadmap
    assert len(roadmap.pillars) == scale * SHIPPED_COUNTS.pillars
    for pillar in roadmap.pillars:
        assert f"roadmap/pillars/{pillar}.md" in result.pages
    for priority in roadmap.priorities:
        assert f"roadmap/priorities/{priority}.md" in result.pages


def test_warnings_scale_with_the_roadmap(tmp_path: Path) -> None:
    """Cloning keeps the shipped roadmap's mix: each clone repeats its warnings, nothing new."""
    shipped = {(f.code, f.severity) for f in check(load(SHIPPED))}
    findings = check(load(project(tmp_path / "p", scale=2) / "roadmap"))
    assert {(f.code, f.severity) for f in findings} == shipped


def test_sizes_are_proportional(tmp_path: Path) -> None:
    one = synthesise(1, tmp_path / "one")
    four = synthesise(4, tmp_path / "four")
    assert (four.pillars, four.priorities, four.actions, four.measures, four.reviews) == (
        4 * one.pillars, 4 * one.priorities, 4 * one.actions, 4 * one.measures, 4 * one.reviews)
    # Denser than the shipped roadmap, so that 100x reaches 1,500 priorities and 6,000 actions.
    assert one.pillars == SHIPPED_COUNTS.pillars and one.measures == SHIPPED_COUNTS.measures
    assert 100 * one.priorities >= 1500 and 100 * one.actions >= 6000


def test_every_file_starts_with_its_schema_comment(tmp_path: Path) -> None:
    synthesise(2, tmp_path / "roadmap")
    for path in (tmp_path / "roadmap").rglob("*.yaml"):
        assert path.read_text("utf-8").startswith("# yaml-language-server: $schema="), path


def test_the_project_generates_its_pages(tmp_path: Path) -> None:
    folder = project(tmp_path / "project", scale=1)
    result = generate(folder / "roadmap", folder / "docs")
    assert result.ok and result.report is not None
    assert (folder / "docs" / "roadmap" / "pillars" / "index.md").is_file()
    assert (folder / "docs" / "index.md").is_file()  # the hand-written pages came along
    assert (folder / "generator").resolve() == (Path(__file__).parents[1] / "generator").resolve()


@pytest.mark.parametrize("case", sorted(adversarial.CASES))
def test_adversarial_roadmaps_give_their_finding(tmp_path: Path, case: str) -> None:
    """The benchmark's adversarial row (timed there, never here) checks what it means to."""
    root = adversarial.make(case, tmp_path, MINI / "roadmap")
    findings = check(load(root))
    expected = adversarial.EXPECTED[case]
    if expected is None:
        assert not has_errors(findings), [f.text() for f in findings if f.severity == "error"]
    else:
        assert expected in {f.code for f in findings}
    assert len(findings) <= 4 * 101  # capped, however many problems the file holds
