"""Where things are in the generated pages and the built site: the one place the templates,
the navigation, the PDF step, the builders and the tests take these paths from.

The board pack's source is a folder's index page, so its source folder and its address
are the same folder (roadmap/board-pack/): a relative link written in raw HTML, such as
the one to its PDF, then means the same thing to builders that resolve it against the
page's address (MkDocs, ProperDocs) and to those that resolve it against its source
file (Zensical).
"""

from __future__ import annotations

import posixpath

from generator.render import OUTPUT

BOARD_PACK = f"{OUTPUT}/board-pack/index.md"  # docs-relative source
BOARD_PACK_HTML = f"{OUTPUT}/board-pack/index.html"  # site-relative, as built
BOARD_PACK_PDF = f"{OUTPUT}/board-pack.pdf"  # site-relative, made after the build


def board_pack_pdf_link() -> str:
    """The PDF's address relative to the board pack's folder (source and address alike)."""
    return posixpath.relpath(BOARD_PACK_PDF, posixpath.dirname(BOARD_PACK))
