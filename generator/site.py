"""`roadmap build`: check, generate, then `mkdocs build --strict` into a temporary folder
that replaces the site only when the build succeeded, so a failed build leaves the
previous site intact."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path


def mkdocs_build(config: Path, site: Path) -> int:
    """Build into a fresh folder beside `site`, then swap it in; returns mkdocs' exit code."""
    site = site.resolve()
    site.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site.name}-", dir=site.parent))
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
               "-f", str(config), "-d", str(staging)]
    code = subprocess.run(command, env=env, check=False).returncode
    if code != 0:
        shutil.rmtree(staging, ignore_errors=True)
        return code
    old = site.with_name(f".{site.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if site.exists():
        site.rename(old)
    staging.rename(site)
    shutil.rmtree(old, ignore_errors=True)
    return 0
