"""Acronyms marked up where they appear: the first use of each glossary acronym on a page
becomes `<abbr title="expansion">`, linked to its glossary entry, so a reader who does
not know "SfC" can find out where they meet it.

It works on a page's finished HTML, so it covers hand-written and generated pages alike,
and it only touches text a reader sees in running prose: never inside a link, a heading,
code, a drawing, a form control, screen-reader-only text or another `<abbr>`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# An acronym: capitals, perhaps with lower-case letters or "&" between ("SfC", "AfC", "LTWP").
ACRONYM = re.compile(r"^[A-Z][A-Za-z&-]*[A-Z]$")
_TAG = re.compile(r"(<[^>]*>)")
_NAME = re.compile(r"^</?([a-zA-Z][a-zA-Z0-9-]*)")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}
_SKIP = {"a", "abbr", "button", "code", "h1", "h2", "h3", "h4", "h5", "h6", "kbd", "label",
         "option", "pre", "samp", "script", "select", "style", "svg", "textarea", "title"}
_HIDDEN = re.compile(r'class="?[^">]*\blr-sr\b|aria-hidden="?true')


@dataclass(frozen=True)
class Term:
    text: str
    expansion: str
    anchor: str


def terms(glossary: Iterable[Mapping[str, Any]]) -> list[Term]:
    """The glossary's acronyms: terms that look like one and have an expansion."""
    found = [Term(str(t["term"]), str(t["expansion"]), str(t["id"])) for t in glossary
             if ACRONYM.match(str(t.get("term", ""))) and t.get("expansion")]
    return sorted(found, key=lambda t: (-len(t.text), t.text))


def pattern(found: list[Term]) -> re.Pattern[str] | None:
    if not found:
        return None
    words = "|".join(re.escape(t.text) for t in found)
    return re.compile(rf"(?<![\w&])({words})(?![\w&])")


def mark(page: str, found: list[Term], glossary_url: str) -> str:
    """The page's HTML with the first use of each acronym marked up and linked."""
    regex = pattern(found)
    if regex is None:
        return page
    by_text = {t.text: t for t in found}
    done: set[str] = set()
    stack: list[tuple[str, bool]] = []  # open elements, and whether text inside is left alone

    def replace(match: re.Match[str]) -> str:
        word = match[1]
        if word in done:
            return word
        done.add(word)
        term = by_text[word]
        return (f'<a class="lr-abbr" href="{html.escape(glossary_url)}#{html.escape(term.anchor)}">'
                f'<abbr title="{html.escape(term.expansion)}">{word}</abbr></a>')

    out = []
    for part in _TAG.split(page):
        if part.startswith("<"):
            out.append(part)
            name = _NAME.match(part)
            if not name or part.startswith(("<!", "<?")):
                continue
            tag = name[1].lower()
            if part.startswith("</"):
                while stack:
                    if stack.pop()[0] == tag:
                        break
            elif tag not in _VOID and not part.endswith("/>"):
                skip = tag in _SKIP or bool(_HIDDEN.search(part)) or (stack and stack[-1][1])
                stack.append((tag, bool(skip)))
        elif part and not (stack and stack[-1][1]):
            out.append(regex.sub(replace, part))
        else:
            out.append(part)
    return "".join(out)
