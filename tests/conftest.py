"""Shared fixtures: a copy of the small fixture roadmap that a test may edit freely."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.cache import DISABLE_ENV
from generator.check import check
from generator.findings import Finding
from generator.load import load

REPO = Path(__file__).resolve().parents[1]
MINI = REPO / "tests" / "fixtures" / "mini"
# A full-size roadmap for the tests that need one: a frozen copy, so that an organisation
# that replaces roadmap/ with its own keeps every test of the tool passing.
SAMPLE = REPO / "tests" / "fixtures" / "sample"


@pytest.fixture(autouse=True)
def no_generator_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts from nothing, as a clean build does: the generator's cache
    (generator/cache.py) is off unless a test turns it on (tests/test_incremental.py)."""
    monkeypatch.setenv(DISABLE_ENV, "1")


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A copy of the mini roadmap in tmp_path/roadmap. With no schema/ folder beside it,
    rule E001 only checks that each file's schema comment names the right schema."""
    shutil.copytree(MINI / "roadmap", tmp_path / "roadmap")
    return tmp_path / "roadmap"


def run_check(root: Path) -> list[Finding]:
    return check(load(root))


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace text in a fixture file; fails loudly if the text is not there."""
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), "utf-8")


def line_of(path: Path, needle: str) -> int:
    """The 1-based line on which `needle` first appears."""
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


@pytest.fixture
def checked() -> Callable[[Path], list[Finding]]:
    return run_check


def site_project(tmp: Path, roadmap: Path = MINI / "roadmap") -> Path:
    """A throwaway project: the repo's site configuration with a copy of a roadmap."""
    tmp.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "overrides"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, tmp / name)
    shutil.copytree(REPO / "docs", tmp / "docs", ignore=shutil.ignore_patterns("roadmap"))
    shutil.copytree(roadmap, tmp / "roadmap")
    (tmp / "generator").symlink_to(REPO / "generator")
    return tmp


def _title(root: Path) -> object:
    import yaml

    try:
        return (yaml.safe_load((root / "programme.yaml").read_text("utf-8")) or {}).get("title")
    except (OSError, yaml.YAMLError, AttributeError):
        return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Content tests other than tests/test_content.py check items of the roadmap this
    repository ships (frozen in tests/fixtures/sample). In a fork whose roadmap/ is another
    one they are skipped, with the reason: delete them, or rewrite them for your roadmap."""
    if _title(REPO / "roadmap") == _title(SAMPLE / "roadmap"):
        return
    skip = pytest.mark.skip(reason="checks items of the roadmap this repository shipped; roadmap/ "
                            "is another roadmap here (delete this file or rewrite it for yours)")
    for item in items:
        name = item.path.name
        if "content" in name and name != "test_content.py":
            item.add_marker(skip)
