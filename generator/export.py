"""Open data: the resolved roadmap as JSON, CSV and iCalendar, with stable shapes.

Every export is a pure function of the model, so the same roadmap gives byte-identical
files; timestamps come from the roadmap's `as_at` date, never the clock.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, lru_cache
from operator import itemgetter
from typing import Any

from generator import model as m
from generator.addresses import CALENDAR_FILE, JSON_FILE, JSON_SCHEMA_FILE, download, url_of
from generator.cache import Cache
from generator.check.schema import SCHEMA_DIR, contents
from generator.columns import CSV_COLUMNS
from generator.memo import Memo

SYSTEM_WIDE = "system-wide"  # the places cell of work that names no place


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _ids(nodes: Iterable[Any]) -> list[str]:
    return [n.id for n in nodes]


def _quantities(pairs: Iterable[tuple[float, str]]) -> list[dict[str, Any]]:
    return [{"amount": amount, "unit": unit} for amount, unit in pairs]
def _escalation(item: m.Priority | m.Action) -> dict[str, Any] | None:
    e = item.escalation
    return {"to": e.to.id, "date": _iso(e.on), "why": e.why, "asks": e.asks,
            "illustrative": e.illustrative} if e else None


def _trajectory(s: m.Measure) -> dict[str, Any]:
    t = s.trend
    return {"verdict": t.verdict, "words": t.words(), "achieved_per_year": _round(t.achieved),
            "needed_per_year": _round(t.needed), "projected": _round(t.projected), "early": t.early}


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _decision(d: m.Decision) -> dict[str, Any]:
    return {"id": d.id, "text": d.text, "url": url_of(d), "review": d.review.id, "owner": d.owner.id,
            "asked_of": d.asked_of.id, "concerns": _ids(d.concerns), "due": _iso(d.due),
            "status": d.status, "outcome": d.outcome or None,
            "follows_up": d.follows_up.id if d.follows_up else None,
            "carried_forward_by": _ids(d.carried_by), "illustrative": d.illustrative}


def _priority(p: m.Priority) -> dict[str, Any]:
    return {
        "id": p.id, "title": p.title, "url": url_of(p), "pillar": p.pillar.id if p.pillar else None,
        "summary": p.get("summary"), "approach": p.get("approach"), "status": p.status,
        "owner": p.owner.id if p.owner else None, "contributors": _ids(p.contributors),
        "accountable": p.accountable.id if p.accountable else None,
        "start": _iso(p.start), "end": _iso(p.end),
        "aligns_to": [{"element": a.element.key, "rationale": a.rationale or None} for a in p.alignments],
        "measures": _ids(p.measures), "actions": _ids(p.actions), "places": _ids(p.places),
        "responds_to": _ids(p.responds_to),
        "commitments": [{"organisation": c.organisation.id, "role": c.role,
                         "description": c.data.get("description"), "capacity": c.data.get("capacity"),
                         "quantities": _quantities(c.quantities), "places": _ids(c.places)}
                        for c in p.partner_commitments],
        "handover": p.handover,
        "logic_model": p.get("logic_model"), "evaluation": p.get("evaluation"),
        "escalation": _escalation(p), "recovery": p.get("recovery"),
        "illustrative": p.illustrative,
    }


def as_data(roadmap: m.Roadmap) -> dict[str, Any]:
    """The whole resolved roadmap as plain data; validated by schema/export.schema.json."""
    programme = roadmap.programme
    return {
        "title": programme["title"], "as_at": roadmap.as_at.isoformat(),
        "vision": programme["vision"], "phases": programme["phases"],
        "learning_questions": programme["learning_questions"],
        "statuses": [{"id": s.id, "title": s.title, "description": s.description}
                     for s in roadmap.statuses.values()],
        "organisations": [{"id": o.id, "name": o.title, "kind": o.kind, "url": url_of(o),
                           "website": o.get("website"),
                           "commitment_totals": _quantities(m.totals(o.partner_commitments))}
                          for o in roadmap.organisations.values()],
        "governance": [{"id": b.id, "name": b.title, "url": url_of(b), "purpose": b.get("purpose"),
                        "cadence": b.cadence, "reports_to": b.reports_to.id if b.reports_to else None,
                        "members": _ids(b.members), "illustrative_fields": sorted(b.illustrative_fields)}
                       for b in roadmap.bodies.values()],
        "frameworks": [{"id": f.id, "title": f.title, "url": url_of(f), "primary": f.primary,
                        "published": f.get("published"),
                        "elements": [{"id": e.key, "title": e.title, "url": url_of(e),
                                      "corresponds_to": [c.key for c in e.corresponds_to]}
                                     for e in f.elements]} for f in roadmap.frameworks.values()],
        "pillars": [{"id": p.id, "title": p.title, "url": url_of(p), "summary": p.get("summary"),
                     "accountable": p.accountable.id if p.accountable else None,
                     "delivers": _ids(p.delivers),
                     "last_reviewed": _iso(p.last_reviewed), "next_review": _iso(p.next_review),
                     "priorities": _ids(p.priorities), "illustrative": p.illustrative}
                    for p in roadmap.pillars.values()],
        "priorities": [_priority(p) for p in roadmap.priorities.values()],
        "actions": [{"id": a.id, "title": a.title, "url": url_of(a), "priority": a.priority.id,
                     "owner": a.owner.id, "due": _iso(a.due), "status": a.status, "places": _ids(a.places),
                     "escalation": _escalation(a), "recovery": a.get("recovery"),
                     "handover": a.get("handover"), "illustrative": a.illustrative}
                    for a in roadmap.actions.values()],
        "places": [{"id": p.id, "name": p.title, "url": url_of(p), "description": p.get("description"),
                    "priorities": _ids(p.priorities), "actions": _ids(p.actions)}
                   for p in roadmap.places.values()],
        "engagement": [{"id": g.id, "title": g.title, "url": url_of(g), "method": g.get("method"),
                        "people": g.get("people"), "people_at_least": bool(g.get("people_at_least")),
                        "perspectives": g.get("perspectives", []), "phase": g.phase.id if g.phase else None,
                        "start": _iso(g.start), "end": _iso(g.end), "illustrative": g.illustrative,
                        "illustrative_fields": sorted(g.illustrative_fields)}
                       for g in roadmap.engagement.values()],
        "insights": [{"id": i.id, "title": i.title, "url": url_of(i), "summary": i.get("summary"),
                      "heard_in": _ids(i.heard_in), "responses": _ids(i.responses),
                      "illustrative": i.illustrative} for i in roadmap.insights.values()],
        "measures": [{"id": s.id, "title": s.title, "url": url_of(s), "definition": s.get("definition"),
                      "source": s.get("source"), "unit": s.unit, "direction": s.direction,
                      "baseline": s.get("baseline"), "target": s.get("target"),
                      "long_term_target": s.get("long_term_target"), "readings": s.readings,
                      "kind": s.get("kind"), "time_to_change_years": s.get("time_to_change_years"),
                      "trajectory": _trajectory(s),
                      "illustrative": s.illustrative, "illustrative_fields": sorted(s.illustrative_fields)}
                     for s in roadmap.measures.values()],
        "reviews": [{"id": r.id, "title": r.title, "date": _iso(r.date), "url": url_of(r),
                     "body": r.body.id if r.body else None,
                     "answers": [{"question": q, "answer": a} for q, a in r.answers],
                     "status_changes": [{"priority": p.id, "from": c["from"], "to": c["to"]}
                                        for p, c in r.status_changes],
                     "decisions": _ids(r.decisions), "carried_forward": _ids(r.carried_forward)}
                    for r in roadmap.reviews],
        "decisions": [_decision(d) for d in roadmap.decisions],
    }


_encode = json.JSONEncoder(ensure_ascii=False).encode  # without indent=, json's C encoder


def to_json(roadmap: m.Roadmap) -> str:
    """One top-level field a line, and one item of each list a line: still readable and
    line-diffable, but written by json's C encoder (indent= falls back to the pure-Python
    one, about three times slower on a large roadmap)."""
    fields = []
    for key, value in as_data(roadmap).items():
        if isinstance(value, list) and value:
            items = ",\n".join(f"    {_encode(item)}" for item in value)
            fields.append(f"  {_encode(key)}: [\n{items}\n  ]")
        else:
            fields.append(f"  {_encode(key)}: {_encode(value)}")
    return "{\n" + ",\n".join(fields) + "\n}\n"


_FORMULA = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


_AFTER_SEPARATOR = re.compile("([;\t] *)([=+@\\-\uff1d\uff0b\uff0d\uff20])")
_QUOTED = r"\1'\2"


def _cell(value: Any) -> Any:
    """A CSV cell; text that a spreadsheet would run as a formula is prefixed with ', at the
    start of the cell and after each ";" or tab, where a spreadsheet set to split on those
    would start a new cell. Every text cell is quoted too (_csv)."""
    if value is None:
        return ""
    if isinstance(value, str):
        if ";" in value or "\t" in value:  # a cell of a spreadsheet that splits on ; or tab
            value = _AFTER_SEPARATOR.sub(_QUOTED, value)  # (a substitution is costly: few cells have one)
        if value.lstrip(" ")[:1] in _FORMULA:
            return "'" + value
    return value


def _csv(header: list[str], rows: Iterable[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)  # RFC 4180
    writer.writerow(header)
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return buffer.getvalue()


def to_csv(roadmap: m.Roadmap) -> dict[str, str]:
    """One CSV file per table, UTF-8, RFC 4180, with a stable column order."""
    priorities = [[p.id, p.title, p.pillar.id, p.owner.id, " ".join(_ids(p.contributors)),
                   p.accountable.id if p.accountable else "", _iso(p.start), _iso(p.end), p.status,
                   " ".join(a.element.key for a in p.alignments), " ".join(_ids(p.measures)), url_of(p),
                   " ".join(_ids(p.places)) or SYSTEM_WIDE] for p in roadmap.priorities.values()]
    actions = [[a.id, a.title, a.priority.id, a.owner.id, _iso(a.due), a.status, url_of(a),
                " ".join(_ids(a.places)) or SYSTEM_WIDE] for a in roadmap.actions.values()]
    readings = []
    for s in roadmap.measures.values():
        points = [("baseline", s.get("baseline")), *(("reading", r) for r in s.readings),
                  ("target", s.get("target")), ("long-term-target", s.get("long_term_target"))]
        readings += [[s.id, s.title, s.unit, s.direction, r["date"], r["value"], kind, r.get("note")]
                     for kind, r in points if r]
    alignment = [[a.priority.id, a.element.key, a.element.framework.id, a.rationale]
                 for p in roadmap.priorities.values() for a in p.alignments]
    commitments = [[c.organisation.id, c.priority.id, c.role, amount, unit,
                    " ".join(_ids(c.places)) or SYSTEM_WIDE, c.data.get("capacity")]
                   for p in roadmap.priorities.values() for c in p.partner_commitments
                   for amount, unit in (c.quantities or [(None, None)])]
    decisions = [[d.id, d.text, d.review.id, d.owner.id, d.asked_of.id, " ".join(_ids(d.concerns)),
                  _iso(d.due), d.status, d.outcome, d.follows_up.id if d.follows_up else "", url_of(d)]
                 for d in roadmap.decisions]
    tables = [priorities, actions, readings, alignment, commitments, decisions]
    pairs = zip(CSV_COLUMNS.items(), tables, strict=True)
    return {name: _csv(header, rows) for (name, header), rows in pairs}


def _uid(node: Any) -> str:
    """The id a calendar event is known by: the item's first id (the first in renamed_from), so
    a subscriber's calendar moves the event after a rename instead of duplicating it."""
    return (node.renamed_from or [node.id])[0]


Event_ = tuple[str, str, date, str, str]  # uid, summary, day, description, page
Span = tuple[str, str, date, date, str, str]  # uid, summary, first day, last day, description, page


def _dates(roadmap: m.Roadmap, domain: str) -> list[Span]:
    """(uid, summary, first day, last day, description, page) for each calendar event, in
    uid order: one day for a date, every day of a phase for a phase."""
    days = [(uid, summary, day, day, description, page)
            for uid, summary, day, description, page in _days(roadmap, domain)]
    return sorted(days + _phases(roadmap, domain), key=itemgetter(0))


def _phases(roadmap: m.Roadmap, domain: str) -> list[Span]:
    """Each dated phase as one all-day event from its first day to its last (a month's date
    covers the whole month), saying which of its dates are illustrative."""
    spans = []
    for number, phase in enumerate(roadmap.phases, 1):
        if phase.start is None:
            continue
        last = phase.end or phase.start
        when = f"from {phase.start:%B %Y} to {last:%B %Y}" if phase.end else f"from {phase.start:%B %Y}"
        invented = [name for name in ("start", "end") if phase.invented(name) and getattr(phase, name)]
        note = (" Its dates are illustrative: the sources do not give them." if len(invented) == 2 else
                f" Its {invented[0]} date is illustrative: the sources do not give it." if invented else "")
        spans.append((f"phase-{_uid(phase)}@{domain}", f"Phase {number}: {phase.title}", phase.start, last,
                      f"Phase {number} of the programme, {when}.{note}", url_of(phase)))
    return spans


def _days(roadmap: m.Roadmap, domain: str) -> list[Event_]:
    """(uid, summary, day, description, page) for each event of one day."""
    rows: list[Event_] = [
        (f"action-{_uid(a)}@{domain}", f"Due: {a.title}", a.due,
         f"Action for {a.priority.title}, owned by {a.owner.title}. Status: {a.status}.", url_of(a))
        for a in roadmap.actions.values() if a.due]
    rows += [(f"priority-{_uid(p)}-{edge}@{domain}", f"{'Starts' if edge == 'start' else 'Ends'}: {p.title}",
              day, f"Priority of the {p.pillar.title} pillar, owned by {p.owner.title}. Status: {p.status}.",
              url_of(p))
             for p in roadmap.priorities.values() for edge, day in (("start", p.start), ("end", p.end))
             if day]
    rows += [(f"review-{r.id}@{domain}", f"Review: {r.title}", r.date,
              f"Review held by {r.body.title}." if r.body else "A review of the roadmap.", url_of(r))
             for r in roadmap.reviews if r.date]
    rows += [(f"pillar-{_uid(p)}-next-review@{domain}", f"Review due: {p.title}", p.next_review,
              f"The {p.title} pillar is due for review.", url_of(p))
             for p in roadmap.pillars.values() if p.next_review]
    rows += [(f"decision-{d.id}@{domain}", f"Decision due: {d.text}", d.due,
              f"Asked of {d.asked_of.title}; owner {d.owner.title}. Status: {d.status}.", url_of(d))
             for d in roadmap.decisions if d.due]
    return rows


def to_ics(roadmap: m.Roadmap, domain: str | None = None, cache: Cache | None = None) -> str:
    """An iCalendar feed of due dates, milestones, reviews and phases; UIDs come from ids, so a
    subscriber's calendar updates an event when its date moves instead of duplicating it.

    The feed is the calendar's own lines, each event's lines, then its END line: exactly what
    Calendar.to_ical() writes for the calendar with the events in it, made one event at a
    time so that, with the generator's cache, an event whose values are as they were is
    taken as it was written last time (generator/memo.py)."""
    memo = Memo(cache, CALENDAR_MEMO)
    head = memo.text(_head, "calendar", roadmap.programme["title"])
    site = roadmap.site_url  # an event links back to its page only where the site's address is known
    dates = _dates(roadmap, domain or roadmap.publisher.domain)
    events = [memo.text(_event, uid, summary, first, last, description, site + page if site else None,
                        roadmap.as_at) for uid, summary, first, last, description, page in dates]
    memo.save()
    return "".join((head, *events, _END_CALENDAR))


def _head(what: str, title: str) -> str:
    """The calendar's own lines, as Calendar.to_ical() writes them before its first event.
    (`what` only keeps its place in the memo apart from the events'.)"""
    calendar = _ical().Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", "-//Living Roadmap//roadmap calendar//EN")
    calendar.add("x-wr-calname", title)
    return calendar.to_ical(sorted=False).decode("utf-8").removesuffix(_END_CALENDAR)


@cache
def _ical() -> Any:
    """icalendar, imported when a calendar is first made: importing it takes a tenth of a
    second (a quarter in a worker at scale), which a run whose calendar lines all come from
    the memo need not spend."""
    import icalendar
    import icalendar.parser

    return icalendar


_END_CALENDAR = "END:VCALENDAR\r\n"
CALENDAR_MEMO = "calendar-events"  # the memo of each event's text (generator/memo.py)


def _event(uid: str, summary: str, first: date, last: date, description: str, url: str | None,
           as_at: date) -> str:
    """One VEVENT, as Event.to_ical() writes it with these properties, in this order (the
    library's canonical one, which its sorted output keeps): each property is made into a
    content line by icalendar, from the value type Event.add would infer (vText; vDDDTypes,
    VALUE=DATE for a day). A day's lines are the same in every event on it, so each is made
    once."""
    text = _ical().vText
    return "".join(("BEGIN:VEVENT\r\n", _line("SUMMARY", text(summary)), _day_line("DTSTART", first),
                    _day_line("DTEND", last + timedelta(days=1)),  # all-day events end the day after
                    _stamp_line(as_at), _line("UID", text(uid)), _line("DESCRIPTION", text(description)),
                    _line("URL", _ical().vUri(url)) if url else "", "END:VEVENT\r\n"))


def _line(name: str, value: Any) -> str:
    """One property's content line, as Component.to_ical writes it (Component.content_line)."""
    return _folded(_ical().parser.Contentline.from_parts(name, value.params, value, sorted=False)) + "\r\n"


@lru_cache(maxsize=4096)
def _day_line(name: str, day: date) -> str:
    return _line(name, _ical().vDDDTypes(day))


@lru_cache(maxsize=16)
def _stamp_line(as_at: date) -> str:
    return _line("DTSTAMP", _ical().vDDDTypes(datetime.combine(as_at, time(0, 0), tzinfo=UTC)))


FOLD = 75  # icalendar folds a content line where its bytes would reach this many


def _folded(line: Any) -> str:
    """line.to_ical() as text: folded into lines of FOLD bytes at most. icalendar folds
    character by character, the costliest part of a large feed, so the lines where its
    rule is plain slicing are cut here: a line shorter than FOLD bytes is left as it is,
    and an ASCII one is cut every FOLD - 1 characters, unless a cut would come just after
    a backslash or caret (icalendar then moves that character to the next line, so as not
    to split an escape): those, and lines with other characters, icalendar folds."""
    if len(line) < FOLD and len(line.encode()) < FOLD:
        return line
    width = FOLD - 1
    if line.isascii() and not any(line[cut - 1] in "\\^" for cut in range(width, len(line), width)):
        return "\r\n ".join(line[start:start + width] for start in range(0, len(line), width))
    return line.to_ical().decode()


_DATE_FIELDS = frozenset({"as_at", "due", "start", "end", "date", "last_reviewed", "next_review",
                          "published"})


def _choices(schema: str, *path: str) -> list[str]:
    node = contents(f"{schema}.schema.json")
    for key in path:
        node = node[key]
    return list(node["enum"])


@cache
def published_schema() -> dict[str, Any]:
    """schema/export.schema.json with the values it allows: every date a date (format and
    pattern), and every status, kind, cadence, unit and direction one of its words, taken
    from the input schemas so that the two can never disagree."""
    schema = json.loads((SCHEMA_DIR / "export.schema.json").read_text("utf-8"))
    statuses = list(m.statuses())
    enums = {"priorities/status": statuses, "actions/status": statuses, "reviews/from": statuses,
             "reviews/to": statuses,
             "organisations/kind": _choices("organisations", "properties", "organisations", "items",
                                            "properties", "kind"),
             "governance/cadence": _choices("governance", "properties", "bodies", "items", "properties",
                                            "cadence"),
             "measures/unit": _choices("measures", "properties", "measures", "items", "properties", "unit"),
             "measures/direction": _choices("measures", "properties", "measures", "items", "properties",
                                            "direction")}
    _enrich(schema, "", enums)
    return schema


def _enrich(node: Any, top: str, enums: dict[str, list[str]]) -> None:
    if isinstance(node, list):
        for item in node:
            _enrich(item, top, enums)
        return
    if not isinstance(node, dict):
        return
    for name, field in (node.get("properties") or {}).items():
        types = field.get("type") if isinstance(field, dict) else None
        types = [types] if isinstance(types, str) else types or []
        nullable = [None] if "null" in types else []
        if "string" in types and name in _DATE_FIELDS:
            field.update(format="date", pattern="^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
        choices = enums.get(f"{top}/{name}")
        if "string" in types and choices and "enum" not in field:
            field["enum"] = [*choices, *nullable]
        _enrich(field, top or name, enums)
    for key in ("items", "$defs", "anyOf", "oneOf", "allOf"):
        if key in node:
            _enrich(node[key] if key != "$defs" else list(node[key].values()), top, enums)


def _json_files(roadmap: m.Roadmap) -> dict[str, str]:
    schema = json.dumps(published_schema(), indent=2, ensure_ascii=False) + "\n"
    return {JSON_FILE: to_json(roadmap), JSON_SCHEMA_FILE: schema}


# The download files in parts, each made on its own (beside the pages, perhaps in another
# process). Each is given the generator's cache, if there is one, for what it keeps item by
# item: the calendar its events (generator/memo.py).
PARTS: dict[str, Callable[[m.Roadmap, Cache | None], dict[str, str]]] = {
    "json": lambda roadmap, cache: _json_files(roadmap),
    "calendar": lambda roadmap, cache: {CALENDAR_FILE: to_ics(roadmap, cache=cache)},
    "csv": lambda roadmap, cache: to_csv(roadmap),
}


def part(name: str, roadmap: m.Roadmap, cache: Cache | None = None) -> dict[str, str]:
    """One part of the downloads, keyed by docs-relative path."""
    return {download(file): text for file, text in sorted(PARTS[name](roadmap, cache).items())}


def downloads(roadmap: m.Roadmap) -> dict[str, str]:
    """Every download file, keyed by its docs-relative path."""
    return dict(sorted(item for name in PARTS for item in part(name, roadmap).items()))
