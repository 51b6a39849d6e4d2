"""Consistency rules beyond the schema: one small function per rule, each with a stable code.

Rules run even on files the schema refused, so every value they read may have the
wrong type; they skip what they cannot understand (the schema has already said why).
"""

from __future__ import annotations

import calendar
import difflib
import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from generator.check.registry import rule
from generator.collect import Entity
from generator.findings import Finding
from generator.load import RESERVED_NAMES, Source, pointer_join
from generator.sitepages import SEE_KINDS, SITE_PAGES

KIND_WORDS = {"organisation": "organisation", "body": "governance body", "measure": "measure",
              "element": "framework element", "question": "learning question",
              "priority": "priority", "pillar": "pillar", "action": "action",
              "framework": "framework", "review": "review", "term": "glossary term",
              "phase": "phase", "decision": "decision", "item": "priority, action or measure",
              "experience": "vision experience", "place": "place", "engagement": "engagement",
              "insight": "insight"}
KIND_HOMES = {"organisation": "organisations.yaml", "body": "governance.yaml",
              "measure": "measures.yaml", "element": "frameworks/",
              "question": "programme.yaml (learning_questions)", "priority": "pillars/",
              "decision": "a review's decisions (reviews/)", "item": "pillars/ or measures.yaml",
              "experience": "programme.yaml (vision/experiences)", "place": "programme.yaml (places)",
              "engagement": "programme.yaml (engagement)", "insight": "programme.yaml (insights)",
              "phase": "programme.yaml (phases)"}
ITEM_KINDS = ("priority", "action", "measure")  # what a decision can concern
DONE = {"complete", "paused"}
OVERDUE_ELSEWHERE = DONE | {"on-track", "not-started"}
DATE_KEYS = {"as_at", "last_reviewed", "due", "date", "start", "end", "published", "history_since"}
_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
_SAFE_LINK = re.compile(r"^(https?://[^\s]+|mailto:[^\s]+|(?![a-zA-Z][a-zA-Z0-9+.-]*:)[^\s]*)$")


@dataclass
class Context:
    root: Path
    sources: list[Source]
    entities: list[Entity]
    index: dict[tuple[str, str], list[Entity]] = field(default_factory=lambda: defaultdict(list))

    def __post_init__(self) -> None:
        for entity in self.entities:
            self.index[entity.key].append(entity)

    def get(self, kind: str, id_: str) -> Entity | None:
        found = self.index.get((kind, id_))
        return found[0] if found else None

    def of(self, kind: str) -> list[Entity]:
        return [e for e in self.entities if e.kind == kind]

    @property
    def programme(self) -> dict[str, Any]:
        found = self.get("programme", "programme")
        return found.data if found else {}

    @property
    def as_at(self) -> date | None:
        return parse_date(self.programme.get("as_at"))


FIRST_YEAR, LAST_YEAR = 1900, 2199  # the dates a roadmap can mean; every date rule relies on it
MAX_SPAN_YEARS = 30  # from the earliest start to the latest end of the timeline


def parse_date(value: Any) -> date | None:
    """A real date from YYYY-MM-DD (or the first of the month from YYYY-MM) between
    FIRST_YEAR and LAST_YEAR, else None."""
    if not isinstance(value, str) or not (match := _DATE.fullmatch(value)):
        return None
    year, month, day = int(match[1]), int(match[2]), int(match[3] or 1)
    if not FIRST_YEAR <= year <= LAST_YEAR or not 1 <= month <= 12 \
            or not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, day)


def month_end(value: Any) -> date | None:
    start = parse_date(value)
    if start is None:
        return None
    return start.replace(day=calendar.monthrange(start.year, start.month)[1])


def add_months(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def at(data: Any, path: str, pointer: str) -> Iterator[tuple[str, Any]]:
    """Values at a path like `aligns_to/*/to` inside data, with their JSON pointers."""
    head, _, rest = path.partition("/")
    if head == "*":
        children = enumerate(data) if isinstance(data, list) else iter(())
    elif isinstance(data, dict) and head in data:
        children = iter([(head, data[head])])
    else:
        children = iter(())
    for name, value in children:
        child = pointer_join(pointer, name)
        if rest:
            yield from at(value, rest, child)
        else:
            yield child, value


# ---------------------------------------------------------------- references and ids

REFERENCES: dict[str, list[tuple[str, str]]] = {
    "programme": [("organisation", "organisation"), ("board_pack/body", "body")],
    "pillar": [("lead/organisation", "organisation"), ("accountable", "body"),
               ("delivers/*", "experience"), ("handover/organisation", "organisation")],
    "priority": [("owner", "organisation"), ("contributors/*", "organisation"),
                 ("accountable", "body"), ("aligns_to/*/to", "element"),
                 ("measures/*", "measure"), ("commitments/*/organisation", "organisation"),
                 ("evaluation/body", "body"), ("escalation/to", "body"), ("places/*", "place"),
                 ("commitments/*/places/*", "place"), ("responds_to/*", "insight"),
                 ("handover/organisation", "organisation")],
    "engagement": [("phase", "phase")],
    "insight": [("heard_in/*", "engagement")],
    "action": [("owner", "organisation"), ("escalation/to", "body"), ("places/*", "place"),
               ("handover/organisation", "organisation")],
    "body": [("chair/organisation", "organisation"), ("members/*", "organisation"),
             ("reports_to", "body")],
    "element": [("corresponds_to/*", "element")],
    "review": [("body", "body"), ("answers/*/question", "question"),
               ("status_changes/*/priority", "priority"), ("carried_forward/*", "decision")],
    "decision": [("owner", "organisation"), ("asked_of", "body"), ("follows_up", "decision"),
                 ("concerns/*", "item")],
}


def references(entity: Entity) -> Iterator[tuple[str, str, str]]:
    """(pointer, target kind, target id) for every reference an entity makes."""
    for path, target in REFERENCES.get(entity.kind, []):
        for pointer, value in at(entity.data, path, entity.pointer):
            if isinstance(value, str):
                yield pointer, target, value


MAX_SUGGESTIONS = 20  # "did you mean" compares with every id: done for the first few only


@rule("R001", "unknown-reference", "error",
      "a reference to an organisation, body, measure, element, question, priority or other item that "
      "does not exist")
def unknown_references(ctx: Context) -> Iterator[Finding]:
    known: dict[str, list[str]] = {}  # ids of each kind, listed once
    suggested = 0
    for entity in ctx.entities:
        for pointer, kind, value in references(entity):
            kinds = ITEM_KINDS if kind == "item" else (kind,)
            if all(ctx.get(k, value) is None for k in kinds):
                if kind not in known:
                    known[kind] = sorted({e.id for k in kinds for e in ctx.of(k)})
                suggested += 1
                close = difflib.get_close_matches(value, known[kind], n=1, cutoff=0.6) \
                    if suggested <= MAX_SUGGESTIONS else []
                hint = f"did you mean '{close[0]}'?" if close else \
                    f"add it to {KIND_HOMES.get(kind, 'the roadmap')} or correct the id"
                yield entity.source.finding(pointer, "R001",
                                            f"unknown {KIND_WORDS[kind]} '{value}'; {hint}")


@rule("R005", "unknown-see", "error",
      "a `see:` that names a page the site does not have, or an item that does not exist")
def unknown_see(ctx: Context) -> Iterator[Finding]:
    for entity in ctx.of("phase"):
        for pointer, value in at(entity.data, "outputs/*/see", entity.pointer):
            if not isinstance(value, str) or ":" not in value:
                continue
            kind, _, id_ = value.partition(":")
            if kind == "page" and id_ not in SITE_PAGES:
                known = sorted(SITE_PAGES)
                close = difflib.get_close_matches(id_, known, n=1, cutoff=0.6)
                hint = f"did you mean 'page:{close[0]}'?" if close else f"use one of: {', '.join(known)}"
                yield entity.source.finding(pointer, "R005", f"the site has no page '{id_}'; {hint}")
            elif kind in SEE_KINDS and ctx.get(kind, id_) is None:
                yield entity.source.finding(pointer, "R005",
                                            f"unknown {KIND_WORDS.get(kind, kind)} '{id_}'; "
                                            "correct the id after the colon")


@rule("R002", "duplicate-id", "error", "two items of the same kind share an id")
def duplicate_ids(ctx: Context) -> Iterator[Finding]:
    for (kind, id_), found in ctx.index.items():
        first = found[0]
        for other in found[1:]:
            line, _ = first.source.where(pointer_join(first.pointer, "id"))
            yield other.source.finding(
                pointer_join(other.pointer, "id"), "R002",
                f"the {KIND_WORDS.get(kind, kind)} id '{id_}' is already used at "
                f"{first.source.rel}:{line}; ids must be unique, so choose another")


@rule("R003", "renamed-id-reused", "error",
      "an id listed in an item's renamed_from is used again by another item")
def renamed_reused(ctx: Context) -> Iterator[Finding]:
    for entity in ctx.entities:
        for pointer, old in at(entity.data, "renamed_from/*", entity.pointer):
            if isinstance(old, str) and ctx.get(entity.kind, old) is not None:
                yield entity.source.finding(
                    pointer, "R003", f"'{old}' was renamed to '{entity.id}', so its old address "
                    "redirects here; the id cannot be used again by another item")


# RESERVED_NAMES: names Windows reserves for devices, whatever the case or extension: a page
# written as con.md or a site folder named nul/ cannot be created or cloned there.

@rule("R004", "reserved-id", "error",
      "an id that Windows reserves for a device (con, prn, aux, nul, com1, lpt1, …)")
def reserved_ids(ctx: Context) -> Iterator[Finding]:
    for entity in ctx.entities:
        own = entity.id.rsplit(":", 1)[-1]  # an element's id is framework:element
        if entity.kind != "programme" and own in RESERVED_NAMES:
            yield entity.source.finding(pointer_join(entity.pointer, "id"), "R004",
                                        f"'{own}' is a device name on Windows, so its page could "
                                        "not be saved there; choose another id")


# ---------------------------------------------------------------- governance

def _parent(ctx: Context, body: Entity) -> Entity | None:
    target = body.data.get("reports_to")
    return ctx.get("body", target) if isinstance(target, str) else None


@rule("G001", "governance-cycle", "error", "bodies whose reports_to chain loops back on itself")
def governance_cycles(ctx: Context) -> Iterator[Finding]:
    # Each body is walked once: a walk stops at a body an earlier walk finished, so a chain
    # of n bodies costs n steps, not n² (or n³ with the loop test on a list).
    finished: set[str] = set()
    for body in ctx.of("body"):
        chain: dict[str, Entity] = {}  # this walk, in order
        current: Entity | None = body
        while current is not None and current.id not in finished and current.id not in chain:
            chain[current.id] = current
            current = _parent(ctx, current)
        finished.update(chain)
        if current is None or current.id not in chain:
            continue
        ids = list(chain)
        loop = ids[ids.index(current.id):]
        first = chain[loop[0]]
        yield first.source.finding(pointer_join(first.pointer, "reports_to"), "G001",
                                   f"reports_to goes round in a circle ({' → '.join([*loop, loop[0]])}); "
                                   "one body in the loop must report to a body outside it")


@rule("G002", "governance-roots", "error",
      "the bodies do not form one tree: more than one body has no reports_to")
def governance_roots(ctx: Context) -> Iterator[Finding]:
    roots = [b for b in ctx.of("body") if not isinstance(b.data.get("reports_to"), str)]
    for extra in roots[1:]:
        yield extra.source.finding(extra.pointer, "G002",
                                   f"'{extra.id}' reports to no one, and neither does "
                                   f"'{roots[0].id}'; give one of them a reports_to so the "
                                   "bodies form a single tree")


# ---------------------------------------------------------------- alignment and accountability

def primary_frameworks(ctx: Context) -> list[Entity]:
    return [f for f in ctx.of("framework") if f.data.get("primary") is True]


def _primary_id(ctx: Context) -> str | None:
    primaries = primary_frameworks(ctx)
    return primaries[0].id if primaries else None


@rule("A001", "no-accountable-body", "error",
      "a priority with no accountable body, and none on its pillar")
def accountable(ctx: Context) -> Iterator[Finding]:
    for priority in ctx.of("priority"):
        pillar = priority.parent.data if priority.parent else {}
        if "accountable" not in priority.data and "accountable" not in pillar:
            yield priority.source.finding(priority.pointer, "A001",
                                          f"priority '{priority.id}' has no accountable body; "
                                          "add 'accountable' to it or to its pillar")


@rule("A002", "no-primary-alignment", "error",
      "a priority that aligns to no element of the primary framework (the LTWP)")
def primary_alignment(ctx: Context) -> Iterator[Finding]:
    primary = _primary_id(ctx)
    if primary is None:
        return
    for priority in ctx.of("priority"):
        targets = [v for _, v in at(priority.data, "aligns_to/*/to", "")]
        if not any(isinstance(t, str) and t.startswith(primary + ":") for t in targets):
            yield priority.source.finding(pointer_join(priority.pointer, "aligns_to"), "A002",
                                          f"priority '{priority.id}' does not align to any "
                                          f"'{primary}:' element; add one to aligns_to")


@rule("A003", "element-uncovered", "error",
      "an element of the primary framework that no priority aligns to")
def coverage(ctx: Context) -> Iterator[Finding]:
    primary = _primary_id(ctx)
    covered = {v for p in ctx.of("priority") for _, v in at(p.data, "aligns_to/*/to", "")
               if isinstance(v, str)}
    for element in ctx.of("element"):
        if element.parent and element.parent.id == primary and element.id not in covered:
            yield element.source.finding(element.pointer, "A003",
                                         f"no priority aligns to '{element.id}'; the roadmap "
                                         "should cover every element of the primary framework")


@rule("A004", "primary-framework", "error", "not exactly one framework is marked primary: true")
def one_primary(ctx: Context) -> Iterator[Finding]:
    primaries = primary_frameworks(ctx)
    frameworks = ctx.of("framework")
    if not primaries and frameworks:
        yield frameworks[0].source.finding("", "A004", "no framework has primary: true; mark the "
                                           "framework every priority must align to")
    for extra in primaries[1:]:
        yield extra.source.finding(pointer_join("", "primary"), "A004",
                                   f"'{primaries[0].id}' is already the primary framework; "
                                   "only one may be")


@rule("A005", "corresponds-not-primary", "error",
      "corresponds_to names an element outside the primary framework")
def corresponds_primary(ctx: Context) -> Iterator[Finding]:
    primary = _primary_id(ctx)
    if primary is None:
        return
    for element in ctx.of("element"):
        for pointer, value in at(element.data, "corresponds_to/*", element.pointer):
            if isinstance(value, str) and not value.startswith(primary + ":"):
                yield element.source.finding(pointer, "A005",
                                             f"corresponds_to should name a '{primary}:' element, "
                                             f"not '{value}'")


# ---------------------------------------------------------------- dates

def _date_values(data: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    # Pointers are built only for dates and for containers: a big roadmap has a million leaves.
    if isinstance(data, dict):
        for key, value in data.items():
            if key in DATE_KEYS and isinstance(value, str) and _DATE.match(value):
                yield pointer_join(pointer, key), value
            elif isinstance(value, dict | list):
                yield from _date_values(value, pointer_join(pointer, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            if isinstance(value, dict | list):
                yield from _date_values(value, pointer_join(pointer, i))


@rule("D001", "invalid-date", "error",
      "a date or month that does not exist (2024-02-30, 2024-13) or is outside 1900 to 2199")
def real_dates(ctx: Context) -> Iterator[Finding]:
    for source in ctx.sources:
        for pointer, value in _date_values(source.data):
            if parse_date(value) is None:
                yield source.finding(pointer, "D001",
                                     f"{value} is not a real date between {FIRST_YEAR} and "
                                     f"{LAST_YEAR}; check the year, month and day")


@rule("D002", "dates-out-of-order", "error",
      "a timeframe or phase that ends before it starts, or a target dated before its baseline")
def date_order(ctx: Context) -> Iterator[Finding]:
    for priority in ctx.of("priority"):
        frame = priority.data.get("timeframe")
        if isinstance(frame, dict):
            start, end = parse_date(frame.get("start")), parse_date(frame.get("end"))
            if start and end and start > end:
                yield priority.source.finding(f"{priority.pointer}/timeframe/end",
                                              "D002", f"the timeframe ends ({frame['end']}) "
                                              f"before it starts ({frame['start']})")
    for phase in ctx.of("phase"):
        start, end = parse_date(phase.data.get("start")), parse_date(phase.data.get("end"))
        if start and end and start > end:
            yield phase.source.finding(pointer_join(phase.pointer, "end"), "D002",
                                       f"phase '{phase.id}' ends ({phase.data['end']}) before it "
                                       f"starts ({phase.data['start']})")
    for measure in ctx.of("measure"):
        base, target = measure.data.get("baseline"), measure.data.get("target")
        if isinstance(base, dict) and isinstance(target, dict):
            first, last = parse_date(base.get("date")), parse_date(target.get("date"))
            if first and last and last < first:
                yield measure.source.finding(f"{measure.pointer}/target/date", "D002",
                                             "the target is dated before the baseline")
        later = measure.data.get("long_term_target")
        if isinstance(target, dict) and isinstance(later, dict):
            first, last = parse_date(target.get("date")), parse_date(later.get("date"))
            if first and last and last <= first:
                yield measure.source.finding(f"{measure.pointer}/long_term_target/date", "D002",
                                             "the long-term target is dated on or before the target")


@rule("D003", "action-overdue", "warning",
      "an action due before as_at that is at risk or off track (one still on track is H004)")
def overdue_actions(ctx: Context) -> Iterator[Finding]:
    as_at = ctx.as_at
    for action in ctx.of("action") if as_at else []:
        due = parse_date(action.data.get("due"))
        status = action.data.get("status")
        # An overdue action that still says on-track or not-started is H004's finding.
        if due and due < as_at and not (isinstance(status, str) and status in OVERDUE_ELSEWHERE):
            yield action.source.finding(pointer_join(action.pointer, "due"), "D003",
                                        f"action '{action.id}' was due {due.isoformat()} and is "
                                        f"{action.data.get('status')}; update its status or date")


@rule("D004", "review-overdue", "warning",
      "a pillar whose last review is older than the programme's review cadence")
def overdue_reviews(ctx: Context) -> Iterator[Finding]:
    as_at, months = ctx.as_at, ctx.programme.get("review_cadence_months")
    if not as_at or not isinstance(months, int) or isinstance(months, bool):
        return
    for pillar in ctx.of("pillar"):
        last = parse_date(pillar.data.get("last_reviewed"))
        if last and add_months(last, months) < as_at:
            yield pillar.source.finding("/last_reviewed", "D004",
                                        f"pillar '{pillar.id}' was last reviewed {last} and was due "
                                        f"for review by {add_months(last, months)}")


@rule("D005", "action-outside-timeframe", "warning",
      "an action due outside its priority's timeframe")
def actions_in_timeframe(ctx: Context) -> Iterator[Finding]:
    for action in ctx.of("action"):
        frame = action.parent.data.get("timeframe") if action.parent else None
        due = parse_date(action.data.get("due"))
        if not isinstance(frame, dict) or due is None:
            continue
        start, end = parse_date(frame.get("start")), month_end(frame.get("end"))
        if start and end and not start <= due <= end:
            yield action.source.finding(pointer_join(action.pointer, "due"), "D005",
                                        f"action '{action.id}' is due {due} but its priority runs "
                                        f"{frame['start']} to {frame['end']}")


@rule("D006", "timeline-too-long", "error",
      f"priorities' timeframes that together span more than {MAX_SPAN_YEARS} years")
def timeline_span(ctx: Context) -> Iterator[Finding]:
    starts, ends = [], []
    for priority in ctx.of("priority"):
        frame = priority.data.get("timeframe")
        if isinstance(frame, dict):
            if start := parse_date(frame.get("start")):
                starts.append((start, priority))
            if end := parse_date(frame.get("end")):
                ends.append((end, priority))
    if not starts or not ends:
        return
    (first, _), (last, latest) = min(starts, key=lambda s: s[0]), max(ends, key=lambda e: e[0])
    if last.year - first.year >= MAX_SPAN_YEARS:
        yield latest.source.finding(f"{latest.pointer}/timeframe/end", "D006",
                                    f"the timeline would run from {first:%Y-%m} to {last:%Y-%m}, "
                                    f"more than {MAX_SPAN_YEARS} years; check the years, or split "
                                    "the roadmap")


# ---------------------------------------------------------------- measures and reviews

@rule("M001", "readings-out-of-order", "error", "measure readings not in date order, oldest first")
def readings_order(ctx: Context) -> Iterator[Finding]:
    for measure in ctx.of("measure"):
        previous: date | None = None
        for pointer, reading in at(measure.data, "readings/*", measure.pointer):
            day = parse_date(reading.get("date")) if isinstance(reading, dict) else None
            if day and previous and day <= previous:
                yield measure.source.finding(pointer_join(pointer, "date"), "M001",
                                             f"reading dated {day} comes after one dated "
                                             f"{previous}; list readings oldest first, one per date")
            previous = day or previous


@rule("O001", "horizons-out-of-order", "error",
      "logic-model horizons that are not positive or not in order (short, then medium, then long)")
def ordered_horizons(ctx: Context) -> Iterator[Finding]:
    for priority in ctx.of("priority"):
        for pointer, horizons in at(priority.data, "logic_model/outcomes/horizon_years", priority.pointer):
            if not isinstance(horizons, dict):
                continue
            previous: tuple[str, float] | None = None
            for term in ("short", "medium", "long"):
                years = horizons.get(term)
                if not isinstance(years, int | float) or isinstance(years, bool):
                    continue
                if years <= 0 or (previous and years <= previous[1]):
                    why = "must be more than 0" if years <= 0 else \
                        f"must be longer than the {previous[0]} term ({previous[1]} years)"  # type: ignore[index]
                    yield priority.source.finding(pointer_join(pointer, term), "O001",
                                                  f"the {term}-term horizon of {years} years {why}")
                previous = (term, years)


@rule("Q001", "quantity-not-positive", "error", "a commitment's quantity that is 0 or less")
def positive_quantities(ctx: Context) -> Iterator[Finding]:
    for priority in ctx.of("priority"):
        for pointer, amount in at(priority.data, "commitments/*/quantities/*/amount", priority.pointer):
            if isinstance(amount, int | float) and not isinstance(amount, bool) and amount <= 0:
                yield priority.source.finding(pointer, "Q001",
                                              f"a commitment of {amount} counts nothing; give an amount "
                                              "more than 0, or leave the quantity out")


@rule("C001", "no-handover", "warning",
      "a complete priority or action that names no one to maintain its outputs (handover), "
      "and neither does its priority or pillar")
def handovers(ctx: Context) -> Iterator[Finding]:
    for entity in [*ctx.of("priority"), *ctx.of("action")]:
        if entity.data.get("status") != "complete":
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
        answered = {v for _, v in at(review.data, "answers/*/question", "") if isinstance(v, str)}
        missing = [q for q in questions if q not in answered]
        if missing:
            yield review.source.finding("/answers", "P001",
                                        f"review '{review.id}' does not answer: "
                                        f"{', '.join(missing)}")


@rule("P002", "illustrative-content", "warning",
      "illustrative content while programme settings say illustrative_allowed: false")
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
      "illustrative_fields names a field the item does not have")
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


# ---------------------------------------------------------------- titles

TITLE_KEYS = frozenset({"title", "name", "short_title", "short_name", "term", "question"})
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"})
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")  # fillers that look like nothing


def visible(text: str) -> bool:
    """Whether text shows anything: not only spaces, marks and invisible characters."""
    return any(unicodedata.category(c) not in _INVISIBLE_CATEGORIES and c not in _BLANK_LETTERS
               for c in text)


def _titles(data: Any, pointer: str = "") -> Iterator[tuple[str, str, str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key in TITLE_KEYS and isinstance(value, str):
                yield pointer_join(pointer, key), key, value
            elif isinstance(value, dict | list):
                yield from _titles(value, pointer_join(pointer, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            if isinstance(value, dict | list):
                yield from _titles(value, pointer_join(pointer, i))


@rule("T001", "blank-title", "error",
      "a title or name that is empty after trimming, or holds only invisible characters")
def blank_titles(ctx: Context) -> Iterator[Finding]:
    for source in ctx.sources:
        for pointer, key, value in _titles(source.data):
            if not visible(value):
                yield source.finding(pointer, "T001",
                                     f"'{key}' shows nothing (it is empty, spaces or invisible "
                                     "characters), so its heading and links would have no name; "
                                     "write it out")


# ---------------------------------------------------------------- links and editor support

def _link_values(data: Any, pointer: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("url", "website") and isinstance(value, str):
                yield pointer_join(pointer, key), value
            elif isinstance(value, dict | list):
                yield from _link_values(value, pointer_join(pointer, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            if isinstance(value, dict | list):
                yield from _link_values(value, pointer_join(pointer, i))


def safe_link(value: str) -> bool:
    """https:, http:, mailto: or relative. A relative link may not hold "&" (a browser reads
    "&#106;avascript:" in an attribute as "javascript:") or "\\" (it reads "/\\host" as "//host")."""
    if not _SAFE_LINK.fullmatch(value) or value.startswith("//") or "\\" in value \
            or not value.isprintable():  # control and invisible characters
        return False
    return value.startswith(("https://", "http://", "mailto:")) or "&" not in value


@rule("L001", "unsafe-link", "error", "a link that is not https:, http:, mailto: or relative")
def links(ctx: Context) -> Iterator[Finding]:
    for source in ctx.sources:
        for pointer, value in _link_values(source.data):
            if not safe_link(value):
                yield source.finding(pointer, "L001",
                                     f"the link {value[:80]!r} is not allowed; use an https:// "
                                     "address, a mailto: address or a relative link")


def schema_line(ctx: Context, source: Source) -> str:
    """The first line each file should have, so editors validate it against its schema."""
    name = f"{source.kind}.schema.json"
    schema_dir = ctx.root.parent / "schema"
    file_dir = (ctx.root.parent / source.rel).parent
    return f"# yaml-language-server: $schema={os.path.relpath(schema_dir / name, file_dir)}"


@rule("E001", "schema-comment", "error",
      "the first line is not the yaml-language-server comment naming the file's schema")
def schema_comment(ctx: Context) -> Iterator[Finding]:
    for source in ctx.sources:
        expected = schema_line(ctx, source)
        first = source.text.split("\n", 1)[0].rstrip("\r")
        right = first == expected if (ctx.root.parent / "schema").is_dir() else \
            first.startswith("# yaml-language-server: $schema=") and \
            first.endswith(f"/{source.kind}.schema.json")
        if not right:
            yield Finding(source.rel, 1, 1, "E001", "error",
                          f"the first line should be '{expected}' so editors can check the file "
                          "as you type")
