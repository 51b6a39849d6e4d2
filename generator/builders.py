"""The programs that can build the site from `mkdocs.yml`: MkDocs with Material (the
default), ProperDocs (the drop-in MkDocs fork) and Zensical (the successor by Material's
authors). Everything one of them needs to know about the others is here.

MkDocs runs in `roadmap build`'s own process (see generator/site.py). ProperDocs and
Zensical run as their own programs: ProperDocs makes every `mkdocs` import its own, and
Zensical builds in its own runtime. Zensical reads `mkdocs.yml`, but runs no MkDocs hook
(`roadmap generate` has written the pages and the configuration they need first), takes
its output folder only from the configuration and only inside the project, and has its own
names for two settings; a small overlay file, made for the one run, says those.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.watch import Watcher


@dataclass(frozen=True)
class Builder:
    name: str
    module: str  # run as `python -m <module>`
    search_index: str  # where its built site keeps the search index
    runs_hooks: bool  # whether it runs generator/hooks.py (and so regenerates by itself)


BUILDERS = {b.name: b for b in (
    Builder("mkdocs", "mkdocs", "search/search_index.json", runs_hooks=True),
    Builder("properdocs", "properdocs", "search/search_index.json", runs_hooks=True),
    Builder("zensical", "zensical", "search.json", runs_hooks=False),
)}
DEFAULT = "mkdocs"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")  # Zensical colours its report whatever NO_COLOR says
OPTIONAL = "requirements-builders.lock"  # the lock file's optional group: ProperDocs and Zensical

# Settings only Zensical reads, under its own names: MkDocs would refuse an unknown plugin.
ZENSICAL_ONLY = "plugins:\n  minify:\n    minify_html: true\n"


def missing(name: str) -> str | None:
    """Why the builder cannot run here, or None."""
    if name not in BUILDERS:
        return f"unknown builder '{name}' (choose from {', '.join(BUILDERS)})"
    if importlib.util.find_spec(BUILDERS[name].module) is None:
        return (f"{name} is not installed; install the optional builders with `make builders` "
                f"(pip install --require-hashes -r {OPTIONAL})")
    return None


def _env() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true",
            "NO_COLOR": "1"}  # plain text for logs and CI


@contextlib.contextmanager
def zensical_config(config: Path, site_dir: Path) -> Iterator[Path]:
    """A configuration for one Zensical run, beside `config` (so every relative path in it
    means the same), that inherits it and adds what only Zensical reads."""
    fd, name = tempfile.mkstemp(prefix=".zensical-", suffix=".yml", dir=config.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(f"# Made by `roadmap` for one Zensical run; removed after it.\n"
                     f"INHERIT: {config.name}\nsite_dir: {site_dir.name}\n{ZENSICAL_ONLY}")
    try:
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)


def build(name: str, config: Path, out: Path) -> int:
    """Build with ProperDocs or Zensical into `out` (an empty folder); their exit code."""
    config = config.resolve()
    if name == "properdocs":
        # Not --quiet: it drops warnings before --strict can count them.
        command = [sys.executable, "-m", "properdocs", "build", "--strict", "-f", str(config), "-d", str(out)]
        return subprocess.run(command, cwd=config.parent, env=_env(), check=False).returncode
    # Zensical writes only inside the project: build there, then move the site to `out`.
    inside = Path(tempfile.mkdtemp(prefix=".zensical-site-", dir=config.parent))
    try:
        with zensical_config(config, inside) as overlay:
            done = subprocess.run([sys.executable, "-m", "zensical", "build", "--strict", "-f", str(overlay)],
                                  cwd=config.parent, env=_env(), capture_output=True, text=True,
                                  check=False)
        if done.returncode != 0 or not (inside / "index.html").is_file():
            # Its report of the problems, without the Python traceback it ends with.
            report = (done.stdout + done.stderr).partition("Traceback (most recent call last)")[0]
            report = _ANSI.sub("", report)
            print(report.rstrip() + "\nroadmap: error: zensical did not build the site", file=sys.stderr)
            return done.returncode or 1
        out.rmdir()
        shutil.move(inside, out)
        return 0
    finally:
        shutil.rmtree(inside, ignore_errors=True)


def serve(name: str, config: Path, address: str, root: Path, docs: Path) -> int:
    """Run the builder's live preview until it stops. MkDocs and ProperDocs regenerate the
    pages themselves (the hook); for Zensical, which watches only the files it builds from,
    the pages are regenerated here whenever the roadmap changes."""
    config = config.resolve()
    if BUILDERS[name].runs_hooks:
        command = [sys.executable, "-m", BUILDERS[name].module, "serve", "--dirty", "--no-strict",
                   "--dev-addr", address, "-f", str(config)]
        return _run(command, config.parent)
    inside = Path(tempfile.mkdtemp(prefix=".zensical-serve-", dir=config.parent))
    try:
        with zensical_config(config, inside) as overlay, Watcher(root, docs):
            return _run([sys.executable, "-m", "zensical", "serve", "-a", address, "-f", str(overlay)],
                        config.parent)
    finally:
        shutil.rmtree(inside, ignore_errors=True)


def _interrupted(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _run(command: list[str], cwd: Path) -> int:
    """Run a preview server until it stops, or until we are stopped (Ctrl-C or a plain
    kill): then stop it too, so that nothing is left serving and the overlay is removed.
    Ctrl-C stops it even where it started with SIGINT ignored (a background job of a
    script inherits that), as it does for Python's own handler."""
    previous = {sig: signal.signal(sig, _interrupted) for sig in (signal.SIGTERM, signal.SIGINT)}
    process = subprocess.Popen(command, cwd=cwd, env=_env())
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        process.wait(timeout=10)
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
