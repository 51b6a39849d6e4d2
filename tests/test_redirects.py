"""A renamed item keeps its old address: the old URL redirects to the new page."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import edit, site_project


def test_old_address_redirects_to_the_renamed_page(tmp_path: Path) -> None:
    project = site_project(tmp_path)
    pillar = project / "roadmap" / "pillars" / "leadership.yaml"
    renamed = "id: shared-behaviours\n    renamed_from: [leadership-behaviours]"
    edit(pillar, "id: leadership-behaviours", renamed)
    for review in (project / "roadmap" / "reviews").glob("*.yaml"):  # references use the new id
        review.write_text(review.read_text("utf-8").replace("leadership-behaviours", "shared-behaviours"))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    done = subprocess.run([sys.executable, "-m", "generator.cli", "build", "roadmap", "--docs", "docs",
                           "--config", "mkdocs.yml", "--site", "site"], cwd=project, env=env,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    site = project / "site" / "roadmap" / "priorities"
    assert (site / "shared-behaviours" / "index.html").is_file()
    old = (site / "leadership-behaviours" / "index.html").read_text("utf-8")
    assert "shared-behaviours/" in old and 'http-equiv="refresh"' in old
