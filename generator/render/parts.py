"""Big pages made in parts, each part a task of its own (render/views.py), so an edit remakes
only the parts that read what it changed (the timeline's section of one pillar, say) and the
cache keeps the rest. This joins each page's parts, in the order of their numbers, into the
page: a text made when it is first asked for (generator/texts.py), so a run that kept every
part reads none of them back.
"""

from __future__ import annotations

from functools import partial

from generator.cache import digest
from generator.render import PART, with_banner
from generator.render.reuse import Made
from generator.texts import Text


def joined(made: Made) -> Made:
    """`made` with the parts of each page joined into the page."""
    pages: Made = []
    parts: dict[str, list[tuple[str, Text]]] = {}
    for path, text in made:
        page, cut, _ = path.partition(PART)
        if cut:
            parts.setdefault(page, []).append((path, text))
        else:
            pages.append((path, text))
    for page, found in parts.items():
        found.sort(key=lambda part: part[0])
        known = [text.digest for _, text in found if text.digest is not None]
        # The page's digest names it by its parts' (write's marks only need a name for the text).
        name = digest("parts", *known) if len(known) == len(found) else None
        pages.append((page, Text(None, name, partial(_join, [text for _, text in found], name))))
    return pages


def _join(parts: list[Text], name: str | None) -> tuple[str, str | None]:
    texts = [part.value() for part in parts]
    text = "".join(t[1:] for t in texts)  # each led by its illustrative flag (render._part)
    return (with_banner(text) if any(t[:1] == "!" for t in texts) else text), name
