"""The cross-cutting pages: indexes, timeline, alignment, accountability, learning log and more."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from generator import model as m
from generator.render.dictionary import dictionary

VIEWS = [
    ("pillars-index.md.j2", "pillars/index.md"),
    ("priorities-index.md.j2", "priorities/index.md"),
    ("organisations-index.md.j2", "organisations/index.md"),
    ("governance-index.md.j2", "governance/index.md"),
    ("measures-index.md.j2", "measures/index.md"),
    ("frameworks-index.md.j2", "frameworks/index.md"),
    ("timeline.md.j2", "timeline.md"),
    ("alignment.md.j2", "alignment.md"),
    ("accountability.md.j2", "accountability.md"),
    ("phases.md.j2", "phases.md"),
    ("learning-log.md.j2", "learning-log.md"),
    ("status-key.md.j2", "status-key.md"),
    ("data-dictionary.md.j2", "data-dictionary.md"),
    ("glossary.md.j2", "glossary.md"),
]


def quarters(roadmap: m.Roadmap) -> list[tuple[int, int]]:
    """Every (year, quarter) from the earliest priority start to the latest end."""
    starts = [p.start for p in roadmap.priorities.values() if p.start]
    ends = [p.end for p in roadmap.priorities.values() if p.end]
    if not starts:
        return []
    first, last = min(starts), max(ends)
    result, year, q = [], first.year, (first.month - 1) // 3 + 1
    while (year, q) <= (last.year, (last.month - 1) // 3 + 1):
        result.append((year, q))
        year, q = (year + 1, 1) if q == 4 else (year, q + 1)
    return result


def in_quarter(start: date | None, end: date | None, year: int, q: int) -> bool:
    if not start or not end:
        return False
    q_start = date(year, 3 * q - 2, 1)
    q_end = date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1)
    return start < q_end and end >= q_start


def pages(roadmap: m.Roadmap, page: Any) -> Iterator[tuple[str, str]]:
    from generator.render import OUTPUT

    extra = {"quarters": quarters(roadmap), "in_quarter": in_quarter,
             "dictionary": dictionary(), "today": roadmap.as_at}
    for template, path in VIEWS:
        yield page(template, f"{OUTPUT}/{path}", roadmap, **extra)
