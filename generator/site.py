"""`roadmap build`: check, generate, then `mkdocs build --strict` into a temporary folder
that replaces the site only when the build succeeded, so a failed build leaves the
previous site intact."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

from generator import builders, pdf
from generator.pipeline import LATEST


def refusal(site: Path) -> str | None:
    """Why a build must not replace `site` (the old one is deleted), or None."""
    if site.is_symlink():
        return "it is a link, and the folder it leads to would be deleted"
    if site.exists() and not site.is_dir():
        return "it is not a folder"
    if site.is_dir() and any(site.iterdir()) and not (site / "index.html").is_file():
        return "it holds files but no built site (no index.html), so it is not a site folder"
    return None


def _mkdocs(args: list[str]) -> int:
    """MkDocs' own command line, run in this process so that its hook can take the pages
    `roadmap build` has just generated (pipeline.hand_over) instead of making them again."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's notice about MkDocs 2
    os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")
    from mkdocs.__main__ import cli

    try:
        cli.main(args=args, prog_name="mkdocs")
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else int(done.code is not None)
    return 0


def _build(builder: str, config: Path, out: Path, with_pdf: bool) -> int:
    """The chosen builder's strict build into `out`: MkDocs in this process (its hook prints
    the board packs), the others as their own programs (generator/builders.py), after which
    the packs are printed here, from the same model."""
    if builder == builders.DEFAULT:
        return _mkdocs(["build", "--strict", "--quiet", "-f", str(config), "-d", str(out)])
    code = builders.build(builder, config, out)
    if code == 0 and with_pdf:
        settings = yaml.safe_load(config.read_text("utf-8")) or {}
        root = config.parent / (settings.get("extra") or {}).get("roadmap_root", "roadmap")
        result = LATEST.get(root.resolve())
        if result is not None and result.roadmap is not None:
            language = (settings.get("theme") or {}).get("language") or "en"
            pdf.publish(out, result.roadmap, settings.get("site_url"), language)
    return code


def mkdocs_build(config: Path, site: Path, with_pdf: bool = True, builder: str = builders.DEFAULT) -> int:
    """Build into a fresh folder beside `site`, then swap it in; returns the builder's exit code.
    `with_pdf`: the board packs are printed into the fresh folder (generator/pdf.py)."""
    site = Path(os.path.abspath(site))  # not resolve(): a link named site is refused, not followed
    if reason := refusal(site):
        print(f"roadmap: error: will not replace {site}: {reason}", file=sys.stderr)
        return 2
    site.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site.name}-", dir=site.parent))
    try:
        pdf.REQUEST.wanted = with_pdf
        code = _build(builder, config, staging, with_pdf)
    except BaseException:  # interrupted (Ctrl-C): leave no half-built folder behind
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        pdf.REQUEST.wanted = False
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
