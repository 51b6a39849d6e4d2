"""A fork's identity, set in mkdocs.yml `extra.publisher`, reaches every page: the logo in
the header, the favicon, the primary colour and the publisher's name; a colour white text
cannot be read on stops the build with a message that says where and why."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import site_project

PUBLISHER = re.compile(r"  publisher:.*?\n(?!    )", re.S)  # up to the first line not inside it
LOGO = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><rect width="8" height="8"/></svg>\n'


def with_publisher(tmp: Path, block: str) -> Path:
    project = site_project(tmp)
    config = project / "mkdocs.yml"
    text = config.read_text("utf-8")
    assert PUBLISHER.search(text), "mkdocs.yml has no extra.publisher block"
    config.write_text(PUBLISHER.sub(block, text, count=1), "utf-8")
    (project / "docs" / "assets" / "test-logo.svg").write_text(LOGO, "utf-8")
    (project / "docs" / "assets" / "test-icon.svg").write_text(LOGO, "utf-8")
    return project


def build(project: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "generator.cli", "build", "--site", str(project / "site")],
                          cwd=project, env=env, capture_output=True, text=True, check=False)


def test_the_publishers_logo_favicon_colour_and_name_reach_every_page(tmp_path: Path) -> None:
    project = with_publisher(tmp_path, "  publisher:\n    name: Test Publisher\n"
                             "    logo: assets/test-logo.svg\n    favicon: assets/test-icon.svg\n"
                             '    primary_colour: "#330072"\n')
    done = build(project)
    assert done.returncode == 0, done.stdout + done.stderr
    pages = sorted((project / "site").rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        text = page.read_text("utf-8")
        where = page.relative_to(project / "site")
        assert re.search(r'<link(?=[^>]*\brel="?icon\b)[^>]*assets/test-icon\.svg', text), where
        assert re.search(r'md-logo[^>]*>\s*<img[^>]*assets/test-logo\.svg', text), where
        assert "--lr-primary:#330072" in text, where
        assert "Published by Test Publisher" in text, where


def test_a_primary_colour_without_contrast_stops_the_build(tmp_path: Path) -> None:
    project = with_publisher(tmp_path, '  publisher:\n    primary_colour: "#ffeb3b"\n')
    done = build(project)
    assert done.returncode != 0
    output = done.stdout + done.stderr
    assert "extra.publisher.primary_colour: #ffeb3b gives white text 1.22:1 contrast" in output
    assert "Traceback" not in output
