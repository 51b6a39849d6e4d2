"""The hand-over object: what `roadmap build`, the MkDocs hook and the macros pass each other."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator import handover as handover_module
from generator import hooks, pipeline
from generator.handover import HANDOVER, Handover
from generator.preview import Preview
from tests.conftest import edit


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The roots the pipeline runs on, counted."""
    made: list[Path] = []
    real = pipeline.run
    monkeypatch.setattr(pipeline, "run", lambda root: made.append(root) or real(root))
    return made


def test_without_a_hook_the_macros_run_the_pipeline_once_until_a_source_changes(
        mini: Path, runs: list[Path]) -> None:
    """Zensical runs no hooks and asks for the model once per page."""
    handover = Handover()
    first = handover.roadmap(mini)
    assert handover.roadmap(mini) is first and len(runs) == 1
    leadership = mini / "pillars" / "leadership.yaml"
    edit(leadership, "title:", "title:")  # same text, another change time
    os.utime(leadership, ns=(1, 1))
    assert handover.roadmap(mini) is not first and len(runs) == 2


def test_the_macros_read_the_model_the_hook_published(mini: Path, runs: list[Path]) -> None:
    handover = Handover()
    result = pipeline.run(mini)
    handover.publish(mini, result)
    assert handover.roadmap(mini) is result.roadmap and handover.latest(mini) is result
    assert len(runs) == 1  # the hook's run only


def test_a_result_with_errors_is_never_published(mini: Path) -> None:
    handover = Handover()
    edit(mini / "pillars" / "leadership.yaml", "title:", "titel:")
    broken = pipeline.run(mini)
    assert not broken.ok
    handover.publish(mini, broken)
    assert handover.latest(mini) is None
    with pytest.raises(ValueError, match="roadmap check"):
        handover.roadmap(mini)


def test_results_of_two_roadmaps_are_kept_apart(mini: Path, tmp_path: Path) -> None:
    handover = Handover()
    result = pipeline.run(mini)
    handover.publish(mini, result)
    assert handover.latest(tmp_path) is None
    assert handover.take(mini, tmp_path) is None  # nothing was offered


def test_the_hook_starts_a_session_on_the_one_shared_object() -> None:
    """MkDocs loads the hook and the macros separately: both reach the same HANDOVER."""
    from generator import macros

    assert hooks.HANDOVER is macros.HANDOVER is HANDOVER is handover_module.HANDOVER
    try:
        hooks.on_startup(command="serve", dirty=True)
        assert HANDOVER.serving and isinstance(HANDOVER.preview, Preview)
        hooks.on_startup(command="build", dirty=False)
        assert not HANDOVER.serving and HANDOVER.preview is None
    finally:
        HANDOVER.start(serving=False, preview=None)
