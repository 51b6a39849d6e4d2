"""The cross-cutting pages: indexes, timeline, alignment, accountability, learning log and more."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from typing import Any

from markdown.extensions.toc import slugify

from generator import model as m
from generator.addresses import OUTPUT
from generator.columns import CSV_COLUMNS, CSV_DESCRIPTIONS
from generator.history import Change, History, describe
from generator.render import FIRST, _part, matrices, task
from generator.render.dictionary import dictionary, export_fields
from generator.render.nav import grouped
from generator.render.timeline import dated_phases, span
from generator.render.workers import Task

VIEWS = [
    ("pillars-index.md.j2", "pillars/index.md"),
    ("priorities-index.md.j2", "priorities/index.md"),
    ("organisations-index.md.j2", "organisations/index.md"),
    ("governance-index.md.j2", "governance/index.md"),
    ("measures-index.md.j2", "measures/index.md"),
    ("frameworks-index.md.j2", "frameworks/index.md"),
    ("alignment.md.j2", "alignment.md"),
    ("accountability.md.j2", "accountability.md"),
    ("phases.md.j2", "phases.md"),
    ("about.md.j2", "about.md"),
    ("places-index.md.j2", "places/index.md"),
    ("what-we-heard.md.j2", "what-we-heard.md"),
    ("learning-log.md.j2", "learning-log.md"),
    ("decisions.md.j2", "decisions.md"),
    ("status-key.md.j2", "status-key.md"),
    ("data-dictionary.md.j2", "data-dictionary.md"),
    ("glossary.md.j2", "glossary.md"),
    ("downloads.md.j2", "downloads/index.md"),
    ("changes.md.j2", "changes.md"),
]

# The one file a view is made from, by the kind of that file (roadmap.sources); every other
# view is made from many files and has no edit link.
SOURCES = {"organisations/index.md": "organisations", "governance/index.md": "governance",
           "measures/index.md": "measures", "phases.md": "programme", "glossary.md": "glossary"}


@dataclass(frozen=True)
class Period:
    """The changes between two reviews (or in one month, when there are no reviews)."""

    title: str
    start: date | None
    end: date | None
    changes: tuple[Change, ...]


def periods(roadmap: m.Roadmap, history: History) -> list[Period]:
    """The history split at each review date (a change on a review's day belongs before
    it), or by calendar month without reviews; newest period first, empty ones left out.
    The first import is not listed item by item: the page says when it was first published."""
    shown = [c for c in history.changes if c.field != "published"]
    cuts = [r.date for r in roadmap.reviews if r.date]
    found = []
    if cuts:
        bounds = list(zip([None, *cuts], [*cuts, None], strict=True))
        titles = [f"Before the {roadmap.reviews[0].title}",
                  *(f"Since the {r.title}" for r in roadmap.reviews if r.date)]
        for title, (start, end) in zip(titles, bounds, strict=True):
            inside = tuple(c for c in shown
                           if (start is None or c.when > start) and (end is None or c.when <= end))
            if inside:
                found.append(Period(title, start, end, inside))
        return found[::-1]
    by_month: dict[tuple[int, int], list[Change]] = {}
    for change in shown:  # the 1st of a month is in that month
        by_month.setdefault((change.when.year, change.when.month), []).append(change)
    for (year, mo), inside in sorted(by_month.items()):
        start = date(year, mo, 1)
        found.append(Period(f"{start:%B %Y}", start, date(year + mo // 12, mo % 12 + 1, 1), tuple(inside)))
    return found[::-1]


def tasks(roadmap: m.Roadmap, page: Any, history: History) -> list[Task]:
    """The view pages and the Atom feed, each to be made later (see render.workers)."""
    extra = {"span": span(roadmap), "dated_phases": dated_phases, "matrices": matrices,
             "others": matrices.columns(roadmap), "partners": matrices.partners(roadmap),
             "dictionary": dictionary(), "export_fields": export_fields(), "csv_columns": CSV_COLUMNS,
             "csv_descriptions": CSV_DESCRIPTIONS,
             "history": history, "periods": periods(roadmap, history),
             "decision_statuses": m.DECISION_STATUSES,
             # the sidebar groups pillars by number ("Pillars 21 to 40") beyond this many
             "pillars_numbered": grouped(len(roadmap.pillars))}
    made = [task(page, template, f"{OUTPUT}/{path}", roadmap, **extra,
                 source=roadmap.sources.get(SOURCES.get(path, ""), ""))
            for template, path in VIEWS]
    feed = Task("atom", lambda: [(f"{OUTPUT}/changes.xml", atom(roadmap, extra["periods"]))])
    return [*made, *timeline(roadmap, extra), feed]


def timeline(roadmap: m.Roadmap, extra: dict[str, Any]) -> list[Task]:
    """The timeline in parts (render/parts.py): its head, each pillar's section, and the rest,
    so a pillar's edit remakes its own section only. A task is named by its part's number and
    what it shows, so a section that moves (a pillar added before it) is made again."""
    template, page = "timeline.md.j2", f"{OUTPUT}/timeline.md"
    pillars = list(roadmap.pillars.values()) if extra["span"] else []  # no dates, no sections
    made = [task(_part, template, page, FIRST, "head", roadmap, **extra, part="head", source="")]
    made += [task(_part, template, page, f"{n:05d}", p, roadmap, **extra, part="pillar", pillar=p, source="")
             for n, p in enumerate(pillars, 1)]
    return [*made, task(_part, template, page, f"{len(pillars) + 1:05d}", "rest", roadmap, **extra,
                        part="rest", source="")]


# Characters XML 1.0 cannot hold. The check refuses them in the data, and the history skips
# versions that hold them; this keeps the feed well-formed whatever an old commit held.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def atom(roadmap: m.Roadmap, found: list[Period]) -> str:
    """An Atom feed (RFC 4287) with one entry per period of the "What's changed" page."""
    titles = {s.id: s.title for s in roadmap.statuses.values()}
    ns = "http://www.w3.org/2005/Atom"
    feed = ET.Element("feed", xmlns=ns)
    ET.SubElement(feed, "title").text = f"{roadmap.programme['title']}: what's changed"
    feed_id = f"urn:{roadmap.publisher.domain}:changes"  # the same domain as the calendar's ids
    ET.SubElement(feed, "id").text = feed_id
    newest = max((c.when for p in found for c in p.changes), default=roadmap.as_at)
    ET.SubElement(feed, "updated").text = f"{newest.isoformat()}T00:00:00Z"
    # Addresses are absolute where the site's address is known, else relative to this feed
    # (roadmap/changes.xml), which feed readers resolve against where they fetched it.
    base = f"{roadmap.site_url}roadmap/" if roadmap.site_url else ""
    ET.SubElement(feed, "link", rel="self", type="application/atom+xml", href=f"{base}changes.xml")
    ET.SubElement(feed, "link", rel="alternate", type="text/html", href=f"{base}changes/")
    for period in found:
        entry = ET.SubElement(feed, "entry")
        ET.SubElement(entry, "title").text = period.title
        ET.SubElement(entry, "link", rel="alternate", type="text/html",
                      href=f"{base}changes/#{slugify(period.title, '-')}")
        ET.SubElement(entry, "id").text = f"{feed_id}:{period.start or 'start'}"
        ET.SubElement(entry, "updated").text = f"{period.changes[-1].when.isoformat()}T00:00:00Z"
        ET.SubElement(entry, "author").append(ET.Element("name"))
        entry.find("author/name").text = roadmap.programme["title"]  # type: ignore[union-attr]
        lines = [f"{c.when}: {c.kind} {c.id}: {describe(c, titles)}" for c in period.changes]
        ET.SubElement(entry, "content", type="text").text = _NOT_XML.sub("\ufffd", "\n".join(lines))
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
