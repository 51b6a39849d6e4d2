"""Rules about the roadmap's words: every acronym in a title is in the glossary, so the site
can expand it where a reader meets it (see generator/render/acronyms.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.check.context import Context
from generator.check.registry import rule
from generator.findings import Finding
from generator.kinds import KIND_WORDS
from generator.load import pointer_join

_ACRONYM = re.compile(r"(?<![\w&])[A-Z][A-Za-z&]*[A-Z](?![\w&])")
TITLE_KEYS = ("title", "name", "short_title", "short_name")


def defined_terms(ctx: Context) -> list[str]:
    terms = [str(t.data.get("term", "")) for t in ctx.of("term")]
    return sorted((t for t in terms if t), key=len, reverse=True)


@rule("W001", "acronym-not-in-glossary", "warning",
      "an acronym in a title that the glossary does not define")
def acronyms_defined(ctx: Context) -> Iterator[Finding]:
    terms = defined_terms(ctx)
    known = re.compile("|".join(rf"(?<![\w&]){re.escape(t)}(?![\w&])" for t in terms)) if terms else None
    single = set(terms)
    for entity in ctx.entities:
        if entity.kind == "term":
            continue
        for key in TITLE_KEYS:
            value = entity.data.get(key)
            if not isinstance(value, str):
                continue
            # Most titles hold no acronym, or only defined ones: taking the glossary's terms
            # out (whole words only) can only leave fewer, so those need no more work.
            if single.issuperset(_ACRONYM.findall(value)):
                continue
            rest = known.sub(" ", value) if known else value
            for word in dict.fromkeys(_ACRONYM.findall(rest)):
                yield entity.source.finding(
                    pointer_join(entity.pointer, key), "W001",
                    f"'{word}' in the {key.replace('_', ' ')} of {KIND_WORDS.get(entity.kind, entity.kind)} "
                    f"'{entity.id}' is not in the glossary; add it to glossary.yaml with its expansion, "
                    "so the site can spell it out")
