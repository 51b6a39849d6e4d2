"""Rules on what must be finished before the roadmap is published or work is closed: a
handover for complete work, every learning question answered by each review, and
illustrative content replaced when the programme says it may not be published."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import Any

from generator.check.context import Context, at, values_at
from generator.check.registry import rule
from generator.findings import Finding
from generator.kinds import KIND_WORDS
from generator.load import Source, pointer_join


@rule("C001", "no-handover", "warning",
      "a complete priority or action that names no one to maintain its outputs (handover), "
      "and neither does its priority or pillar", scope="file")
def handovers(ctx: Context) -> Iterator[Finding]:
    for entity in ctx.entities:  # in file order, as every rule run per file
        if entity.kind not in ("priority", "action") or entity.data.get("status") != "complete":
            continue
        chain = [entity]  # the item, then its priority and pillar, whose handover it inherits
        while chain[-1].parent is not None:
            chain.append(chain[-1].parent)
        if any("handover" in e.data for e in chain):
            continue
        yield entity.source.finding(pointer_join(entity.pointer, "status"), "C001",
                                    f"{KIND_WORDS[entity.kind]} '{entity.id}' is complete but names no "
                                    "one to maintain its outputs; add a handover (organisation and "
                                    "what it maintains)")


@rule("P001", "review-unanswered", "warning", "a review that does not answer every learning question")
def review_answers(ctx: Context) -> Iterator[Finding]:
    questions = [q.id for q in ctx.of("question")]
    for review in ctx.of("review"):
        answered = {v for v in values_at(review.data, "answers/*/question") if isinstance(v, str)}
        missing = [q for q in questions if q not in answered]
        if missing:
            yield review.source.finding("/answers", "P001",
                                        f"review '{review.id}' does not answer: "
                                        f"{', '.join(missing)}")


@rule("P002", "illustrative-content", "warning",
      "illustrative content while programme settings say illustrative_allowed: false", scope="file+programme")
def illustrative(ctx: Context) -> Iterator[Finding]:
    settings = ctx.programme.get("settings")
    if not isinstance(settings, dict) or settings.get("illustrative_allowed") is not False:
        return
    for entity in ctx.entities:
        inherited = entity.parent is not None and entity.parent.data.get("illustrative") is True
        if entity.data.get("illustrative") is True and not inherited:
            yield entity.source.finding(pointer_join(entity.pointer, "illustrative"), "P002",
                                        f"{KIND_WORDS.get(entity.kind, entity.kind)} "
                                        f"'{entity.id}' is illustrative; replace it with real "
                                        "content before publishing")
        elif isinstance(entity.data.get("illustrative_fields"), list) and not inherited:
            names = ", ".join(str(n) for n in entity.data["illustrative_fields"])
            yield entity.source.finding(pointer_join(entity.pointer, "illustrative_fields"), "P002",
                                        f"{KIND_WORDS.get(entity.kind, entity.kind)} '{entity.id}' "
                                        f"has illustrative values ({names}); replace them with real "
                                        "values before publishing")


def _marked_fields(ctx: Context) -> Iterator[tuple[Source, str, dict[str, Any]]]:
    """Every mapping with illustrative_fields: the entities, and commitments inside priorities."""
    for entity in ctx.entities:
        yield entity.source, entity.pointer, entity.data
        for pointer, commitment in at(entity.data, "commitments/*", entity.pointer):
            if isinstance(commitment, dict):
                yield entity.source, pointer, commitment


@rule("P003", "illustrative-field-missing", "error",
      "illustrative_fields names a field the item does not have", scope="file")
def illustrative_fields(ctx: Context) -> Iterator[Finding]:
    for source, pointer, data in _marked_fields(ctx):
        for at_pointer, name in at(data, "illustrative_fields/*", pointer):
            if isinstance(name, str) and (name not in data or name in ("id", "illustrative_fields")):
                known = sorted(k for k in data if k not in ("id", "illustrative_fields"))
                close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
                hint = f"did you mean '{close[0]}'?" if close else \
                    f"name one of the item's fields: {', '.join(known)}"
                yield source.finding(at_pointer, "P003", f"'{name}' is marked illustrative but the "
                                     f"item has no such field; {hint}")
