"""Checks of the roadmap this repository publishes (roadmap/), not of the tool.

An organisation that forks the repository replaces roadmap/ and keeps this file: it then
checks the fork's roadmap. Only KNOWN_WARNINGS is theirs to edit. Every test of the tool
uses fixtures (tests/fixtures/), so replacing roadmap/ never breaks them.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.check import check
from generator.findings import Finding
from generator.load import load
from tests.conftest import REPO, site_project

ROOT = REPO / "roadmap"
# Warnings the published roadmap may carry: they say the work needs attention (an overdue
# action, a pillar past its review date), not that the data is wrong. Anything else fails,
# as `roadmap check --strict` would. A fork lists its own.
KNOWN_WARNINGS = {"D003", "D004", "D005", "H003", "H006", "P002"}
# Files that may name the publisher: the roadmap itself and the one place for who publishes.
PUBLISHER_PLACES = ("roadmap/", "mkdocs.yml")


def findings() -> list[Finding]:
    return check(load(ROOT))


def test_the_roadmap_has_no_errors() -> None:
    assert [f.text() for f in findings() if f.severity == "error"] == []


def test_the_roadmap_passes_the_strict_check_except_its_known_warnings() -> None:
    unexpected = [f.text() for f in findings() if f.code not in KNOWN_WARNINGS]
    assert unexpected == [], "fix these, or list their code in KNOWN_WARNINGS:\n" + "\n".join(unexpected)


def test_the_site_builds(tmp_path: Path) -> None:
    """`make site`, in a copy of the project so the repository's own folders are untouched."""
    project = site_project(tmp_path / "project", ROOT)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "NO_MKDOCS_2_WARNING": "1",
           "PYTHONPATH": str(REPO)}
    site = tmp_path / "site"
    done = subprocess.run([sys.executable, "-m", "generator.cli", "build", "--site", str(site)],
                          cwd=project, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (site / "index.html").is_file() and (site / "accessibility" / "index.html").is_file()


def publisher_names() -> set[str]:
    """The names of the roadmap's own organisations (national bodies are everyone's)."""
    roadmap = load(ROOT)
    names: set[str] = set()
    for source in roadmap.sources:
        if source.kind == "organisations" and isinstance(source.data, dict):
            for org in source.data.get("organisations") or []:
                if isinstance(org, dict) and org.get("kind") != "national-body":
                    names |= {str(org[k]) for k in ("name", "short_name") if len(str(org.get(k, ""))) > 2}
                    # the initials of the area a short name starts with ("NSH" of "NSH ICB")
                    first = str(org.get("short_name", "")).split(" ")[0]
                    if " " in str(org.get("short_name", "")) and first.isupper() and len(first) > 2:
                        names.add(first)
    return names


def tracked_files() -> list[str]:
    done = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip("not a git checkout")
    return done.stdout.splitlines()


def test_only_the_roadmap_and_mkdocs_yml_name_the_publisher() -> None:
    """A fork changes roadmap/ and mkdocs.yml, and nothing else says who published the original.
    Test fixtures (frozen copies of roadmaps) and content tests are not counted."""
    names = publisher_names()
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + r")\b")
    found = []
    for rel in tracked_files():
        if rel.startswith((*PUBLISHER_PLACES, "tests/fixtures/", "tests/golden/")) or (
                "content" in Path(rel).name and rel.startswith("tests/")):
            continue  # frozen copies of roadmaps, and the tests of the shipped roadmap's content
        path = REPO / rel
        if path.suffix not in (".md", ".py", ".yml", ".yaml", ".j2", ".html", ".json", ".css", ".js",
                               ".toml", ".txt") and path.name != "Makefile":
            continue
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        found += [f"{rel}: {m[0]}" for m in pattern.finditer(text)]
    assert found == [], "\n".join(found[:40])
