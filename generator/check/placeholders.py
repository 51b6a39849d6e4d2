"""Placeholders are findings: text left as `TODO`, `TBC` or `[… to fill in …]` is a warning
(an error under `--strict`), so a scaffold's placeholders are never published by mistake.
A review whose answers or summary are placeholders has its own code, which the build
refuses outright (generator/pipeline.py): a review is the record of what a body decided."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from generator.check.context import Context
from generator.check.registry import rule
from generator.findings import Finding
from generator.load import pointer_join

PLACEHOLDER = re.compile(r"\b(?:TODO|TBC)\b|\[[^\]]{0,200}\bto fill in\b[^\]]{0,200}\]", re.IGNORECASE)
_UPPER = re.compile(r"\b(?:TODO|TBC)\b")  # "todo" in ordinary words is not a placeholder
REVIEW_PLACEHOLDER = "P006"
_ANSWER = re.compile(r"/answers/\d+/answer")
_WORDS = re.compile(r"todo|tbc|fill", re.IGNORECASE)


def is_placeholder(text: str) -> bool:
    found = PLACEHOLDER.search(text)
    return bool(found) and (found[0].startswith("[") or bool(_UPPER.search(text)))


def _texts(data: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    """(pointer, text) for every placeholder text; pointers are built only for those."""
    if isinstance(data, dict):
        items: Any = data.items()
    elif isinstance(data, list):
        items = enumerate(data)
    else:
        return
    for key, value in items:
        if isinstance(value, str):
            if is_placeholder(value):
                yield pointer_join(pointer, key), value
        elif isinstance(value, dict | list):
            yield from _texts(value, pointer_join(pointer, key))


def _with_placeholders(ctx: Context) -> Iterator[Any]:
    """The files whose text could hold a placeholder: one whose text has none of its words
    (a folded line may split "to fill in") and no escape (YAML's "\\u0054ODO" is TODO) has
    none in its values either."""
    for source in ctx.sources:
        if "\\" in source.text or may_hold_words(source.text):
            yield source


def may_hold_words(text: str) -> bool:
    """Whether `_WORDS` is found in text. The regular expression, ignoring case, tries every
    position (half a second for a large roadmap); the lower-case text is searched far faster.
    The only other letters that match one of its letters ignoring case are U+0130 and U+0131
    (dotted and dotless i), which lower() does not turn into i: a text with them is searched as before."""
    if "\u0130" in text or "\u0131" in text:
        return _WORDS.search(text) is not None
    folded = text.lower()
    return "todo" in folded or "tbc" in folded or "fill" in folded


def _in_review_answer(kind: str, pointer: str) -> bool:
    return kind == "review" and (pointer == "/summary" or _ANSWER.fullmatch(pointer) is not None)


def _quote(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "…"


@rule("P005", "placeholder", "warning",
      "text left as a placeholder (TODO, TBC, [… to fill in …]); an error under --strict", scope="file")
def placeholders(ctx: Context) -> Iterator[Finding]:
    for source in _with_placeholders(ctx):
        for pointer, text in _texts(source.data):
            if _in_review_answer(source.kind, pointer):
                continue
            yield source.finding(pointer, "P005", f"'{_quote(text)}' is a placeholder; replace it "
                                 "with the real text before publishing")


@rule(REVIEW_PLACEHOLDER, "review-placeholder", "warning",
      "a review whose summary or answer is still a placeholder; the site is not built until it is written",
      scope="file")
def review_placeholders(ctx: Context) -> Iterator[Finding]:
    for source in _with_placeholders(ctx):
        if source.kind == "review":
            for pointer, text in _texts(source.data):
                if _in_review_answer(source.kind, pointer):
                    yield source.finding(pointer, REVIEW_PLACEHOLDER,
                                         f"the review's answer '{_quote(text)}' is still a placeholder; "
                                         "write what the review found: the site is not built until you do")
