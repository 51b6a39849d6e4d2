"""`roadmap new priority` offers the optional references a priority can make to the
programme's places (`places`) and insights (`responds_to`), as it offers a pillar's
`delivers`: filled with the first the roadmap holds, with a TODO note, quoted where YAML
1.1 would misread them. Fixtures only (mini, ideas), never the shipped roadmap."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.collect import entities
from generator.load import load
from tests.conftest import REPO, run_check

IDEAS = REPO / "tests" / "fixtures" / "ideas" / "roadmap"


@pytest.fixture
def ideas(tmp_path: Path) -> Path:
    shutil.copytree(IDEAS, tmp_path / "roadmap")
    return tmp_path / "roadmap"


def new(root: Path, kind: str, *args: str) -> None:
    assert main(["new", kind, *args, "--root", str(root)]) == 0


def added(root: Path, kind: str, id_: str) -> dict:
    assert [f.text() for f in run_check(root) if f.severity == "error"] == []
    return next(e.data for e in entities(load(root).sources) if e.key == (kind, id_))


def test_a_new_priority_offers_places_and_responds_to(ideas: Path) -> None:
    new(ideas, "priority", "--pillar", "workforce", "--title", "Retain nurses")
    assert added(ideas, "priority", "retain-nurses")["places"] == ["north"]
    assert added(ideas, "priority", "retain-nurses")["responds_to"] == ["plans-apart"]
    lines = (ideas / "pillars" / "workforce.yaml").read_text("utf-8").splitlines()
    assert "    places: [north]  # TODO: where the work happens (ids from programme.yaml); leave it out " \
        "if system-wide" in lines
    assert "    responds_to: [plans-apart]  # TODO: what was heard that it responds to (ids of insights " \
        "in programme.yaml)" in lines
    keys = [line.split(":")[0].strip() for line in lines[lines.index("  - id: retain-nurses"):]]
    assert keys.index("timeframe") < keys.index("places") < keys.index("status") < keys.index("responds_to")


def test_a_new_pillar_s_first_priority_offers_them_too(ideas: Path) -> None:
    new(ideas, "pillar", "--title", "Digital skills")
    first = added(ideas, "priority", "digital-skills-first-priority")
    assert (first["places"], first["responds_to"]) == (["north"], ["plans-apart"])


def test_none_offered_where_the_roadmap_has_none(mini: Path) -> None:
    new(mini, "priority", "--pillar", "workforce", "--title", "Retain nurses")
    item = added(mini, "priority", "retain-nurses")
    assert "places" not in item and "responds_to" not in item  # system-wide, responding to nothing


def test_ids_yaml_1_1_would_misread_are_quoted(mini: Path) -> None:
    """A place named No and an insight named Off get the ids `no` and `off`, which a plain
    scalar would turn into booleans: every new value that needs it is quoted."""
    new(mini, "place", "--title", "No")
    new(mini, "insight", "--title", "Off")
    new(mini, "priority", "--pillar", "workforce", "--title", "012")
    assert added(mini, "place", "no")["name"] == "No"
    assert added(mini, "insight", "off")["title"] == "Off"
    item = added(mini, "priority", "012")
    assert (item["title"], item["places"], item["responds_to"]) == ("012", ["no"], ["off"])
    text = (mini / "pillars" / "workforce.yaml").read_text("utf-8")
    assert '    places: ["no"]  # TODO: where' in text and '    responds_to: ["off"]  # TODO: what' in text
