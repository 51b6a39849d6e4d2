"""A Python-Markdown extension that lets `<caption markdown="span">` work inside md_in_html tables.

md_in_html only parses Markdown inside elements it knows as block-level; `caption`
is not in Python-Markdown's list, so a caption would be wrapped in a stray <p>.
"""

from __future__ import annotations

from markdown import Markdown
from markdown.extensions import Extension


class CaptionExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        if "caption" not in md.block_level_elements:
            md.block_level_elements.append("caption")


def makeExtension(**kwargs: object) -> CaptionExtension:
    return CaptionExtension(**kwargs)
