"""`roadmap build`: check, generate, then `mkdocs build --strict` into a temporary folder
that replaces the site only when the build succeeded, so a failed build leaves the
previous site intact."""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import yaml

from generator import builders, pdf
from generator.handover import HANDOVER
from generator.neutral import neutral

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


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
    `roadmap build` has just generated (generator/handover.py) instead of making them again."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's notice about MkDocs 2
    os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")
    from mkdocs import __main__ as main
    from mkdocs.__main__ import cli

    if not getattr(main.State, "warnings_only", False):  # once per process
        made = main.State.__init__

        def warnings_only(self: Any, *args: Any, **kwargs: Any) -> None:
            """MkDocs' messages from warnings up: --quiet would hide the warnings that
            fail a strict build, leaving its "Aborted" without a reason."""
            made(self, *args, **kwargs)
            self.stream.setLevel(logging.WARNING)

        main.State.__init__ = warnings_only  # type: ignore[method-assign]
        main.State.warnings_only = True  # type: ignore[attr-defined]

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
        return _mkdocs(["build", "--strict", "-f", str(config), "-d", str(out)])
    code = builders.build(builder, config, out)
    if code == 0 and with_pdf:
        settings = yaml.safe_load(config.read_text("utf-8")) or {}
        root = config.parent / (settings.get("extra") or {}).get("roadmap_root", "roadmap")
        result = HANDOVER.latest(root)
        if result is not None and result.roadmap is not None:
            language = (settings.get("theme") or {}).get("language") or "en"
            pdf.publish(out, result.roadmap, settings.get("site_url"), language)
    return code


def mkdocs_build(config: Path, site: Path, with_pdf: bool = True, builder: str = builders.DEFAULT) -> int:
    """Build into a fresh folder beside `site`, then swap it in; returns the builder's exit code.
    `with_pdf`: the board packs are printed into the fresh folder (generator/pdf.py).
    One build at a time per site (a lock on the folder that holds it); every folder a build
    makes has a unique name, and any left by a build that was killed is removed by the next."""
    site = Path(os.path.abspath(site))  # not resolve(): a link named site is refused, not followed
    if reason := refusal(site):
        print(f"roadmap: error: will not replace {neutral(site)}: {reason}", file=sys.stderr)
        return 2
    site.parent.mkdir(parents=True, exist_ok=True)
    with build_lock(site):
        remove_stale(site)
        staging = Path(tempfile.mkdtemp(prefix=f".{site.name}-build-", dir=site.parent))
        try:
            pdf.REQUEST.wanted = with_pdf
            code = _build(builder, config, staging, with_pdf)
            if code == 0:
                _swap(staging, site)
        finally:  # failed, interrupted (Ctrl-C) or swapped in: no staging folder is left behind
            pdf.REQUEST.wanted = False
            _remove(staging)
    return code


def _swap(staging: Path, site: Path) -> None:
    """Put the new site in place of the old one: two renames in the same folder. The old
    site's name is unique to this build, so two builds can never clash on it."""
    old = site.with_name(staging.name.replace("-build-", "-old-"))
    if site.exists():
        site.rename(old)
    try:
        staging.rename(site)
    except OSError:
        if old.exists() and not site.exists():
            old.rename(site)  # put the previous site back
        raise
    _remove(old)


@contextmanager
def build_lock(site: Path) -> Iterator[None]:
    """Hold a lock on the folder that holds the site while building, so a second build of it
    waits its turn. The folder itself is locked (flock on its descriptor): no lock file is
    left beside the site, and the lock ends when the process does, however it ends."""
    if fcntl is None:  # pragma: no cover - Windows: no advisory locks, builds are not serialised
        yield
        return
    fd = os.open(site.parent, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"roadmap: waiting for another build of {neutral(site)} to finish", file=sys.stderr)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def remove_stale(site: Path) -> list[Path]:
    """Folders a build of this site made and left (killed, or its old site unremovable):
    with the lock held, no other build is using them."""
    stale = [p for p in site.parent.glob(f".{site.name}-*") if p.is_dir() and not p.is_symlink()]
    for path in stale:
        _remove(path)
    return stale


def _remove(path: Path) -> None:
    """Delete a folder this tool made, even one whose folders were made read-only."""
    def writable(func: Callable[..., Any], name: str, _: Any) -> None:
        with suppress(OSError):
            os.chmod(os.path.dirname(name), 0o700)
            os.chmod(name, 0o700)
            func(name)

    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, onerror=writable)
