"""`roadmap init`: the smallest roadmap that passes the check, from which a fork starts."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.check import check
from generator.cli import main
from generator.load import load
from generator.starter import FRAMEWORKS


def init(root: Path, *args: str) -> int:
    return main(["init", str(root), "--date", "2026-12-01", *args])


def test_init_writes_a_roadmap_that_passes_the_check(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "roadmap"
    assert init(root, "--title", "North Shore roadmap", "--organisation", "North Shore Partnership") == 0
    assert "roadmap new" in capsys.readouterr().out
    findings = check(load(root))
    assert [f.text() for f in findings if f.severity == "error"] == []
    programme = yaml.safe_load((root / "programme.yaml").read_text("utf-8"))
    assert programme["title"] == "North Shore roadmap"
    assert programme["organisation"] == "north-shore-partnership"
    assert programme["as_at"] == "2026-12-01" or str(programme["as_at"]) == "2026-12-01"
    assert str(programme["settings"]["history_since"]) == "2026-12-01"
    kinds = {s.kind for s in load(root).sources}
    assert kinds >= {"programme", "organisations", "governance", "measures", "pillar", "framework"}


def test_the_national_frameworks_come_with_their_sources(tmp_path: Path) -> None:
    root = tmp_path / "roadmap"
    assert init(root) == 0
    shipped = sorted(p.name for p in FRAMEWORKS.glob("*.yaml"))
    assert sorted(p.name for p in (root / "frameworks").glob("*.yaml")) == shipped
    for name in shipped:
        data = yaml.safe_load((root / "frameworks" / name).read_text("utf-8"))
        assert data["source"]["url"].startswith("https://"), name
        assert data["elements"], name


def test_placeholders_are_warnings_until_replaced(tmp_path: Path) -> None:
    root = tmp_path / "roadmap"
    assert init(root) == 0
    findings = check(load(root))
    placeholders = [f for f in findings if f.code == "P005"]
    assert placeholders and all(f.severity == "warning" for f in placeholders)
    assert {f.path for f in placeholders} >= {"roadmap/programme.yaml", "roadmap/pillars/first-pillar.yaml"}
    assert main(["check", "--strict", str(root)]) == 1


def test_init_never_overwrites_a_roadmap(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "roadmap"
    (root / "pillars").mkdir(parents=True)
    (root / "pillars" / "mine.yaml").write_text("id: mine\n", "utf-8")
    assert init(root) == 1
    assert "already holds a roadmap" in capsys.readouterr().err
    assert sorted(p.name for p in root.rglob("*")) == ["mine.yaml", "pillars"]


def test_new_without_a_roadmap_points_at_init(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "roadmap").mkdir()
    assert main(["new", "organisation", "--title", "First", "--root", str(tmp_path / "roadmap")]) == 2
    assert "roadmap init" in capsys.readouterr().err
