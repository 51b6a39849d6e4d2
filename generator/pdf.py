"""The board pack as a PDF: print the built board-pack page with headless Chromium.

`roadmap build` (and so `make site`) runs this on the freshly built site before it is
swapped in; `python -m generator.pdf [SITE]` runs it on its own. It reads
SITE/roadmap/board-pack/index.html and writes SITE/roadmap/board-pack.pdf, the file the
board-pack page links to. The page's print stylesheet (docs/assets/print.css)
decides how the paper looks. Without Chromium it prints why and does nothing, so the site
still builds on a machine that has no browser.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from generator.sitepaths import BOARD_PACK_HTML, BOARD_PACK_PDF

PAGE = Path(BOARD_PACK_HTML)
PDF = Path(BOARD_PACK_PDF)
CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--no-pdf-header-footer",
         "--generate-pdf-document-outline", "--run-all-compositor-stages-before-draw")


def find_chromium() -> str | None:
    """The browser to print with: $CHROMIUM if set, else the first one on PATH."""
    chosen = os.environ.get("CHROMIUM")
    if chosen:
        return chosen if Path(chosen).is_file() or shutil.which(chosen) else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def board_pack_pdf(site: Path, chromium: str | None = None, timeout: float = 120) -> Path | None:
    """Print the board pack to SITE/roadmap/board-pack.pdf; None (with a message) if it cannot."""
    page = site / PAGE
    if not page.is_file():
        print(f"pdf: skipped: {page} does not exist; build the site first", file=sys.stderr)
        return None
    browser = chromium or find_chromium()
    if not browser:
        print("pdf: skipped: no Chromium found (install chromium, or set CHROMIUM to its path); "
              "the board pack page links to a PDF that was not made", file=sys.stderr)
        return None
    target = site / PDF
    partial = target.with_suffix(".pdf.part")
    with tempfile.TemporaryDirectory(prefix="roadmap-pdf-") as profile:
        command = [browser, *FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={partial}",
                   page.resolve().as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
        except (OSError, subprocess.TimeoutExpired) as problem:
            print(f"pdf: failed: {problem}", file=sys.stderr)
            partial.unlink(missing_ok=True)
            return None
    if done.returncode != 0 or not partial.is_file() or partial.stat().st_size == 0:
        print(f"pdf: failed: {browser} exited with {done.returncode}\n{done.stderr[-2000:]}", file=sys.stderr)
        partial.unlink(missing_ok=True)
        return None
    partial.replace(target)
    return target


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    site = Path(args[0] if args else "site")
    made = board_pack_pdf(site)
    if made:
        print(f"made {made} ({made.stat().st_size // 1024} KB)")
    # A missing browser is not an error: the site is complete without the PDF.
    return 0 if made or not find_chromium() else 1


if __name__ == "__main__":
    sys.exit(main())
