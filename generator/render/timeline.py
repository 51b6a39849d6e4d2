"""Where things fall on the timeline: one span of whole years for the whole roadmap, and
each date, bar and milestone as a percentage of it, so the drawing is plain HTML and CSS
that fits any width (no element per empty quarter)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from markupsafe import Markup

from generator import model as m


@dataclass(frozen=True)
class Span:
    start: date  # 1 January of the first year
    end: date  # 1 January after the last year

    @property
    def years(self) -> list[int]:
        return list(range(self.start.year, self.end.year))

    def at(self, day: date) -> float:
        """Where a day falls, as a percentage of the span's width."""
        whole = (self.end - self.start).days
        return round(100 * (min(max(day, self.start), self.end) - self.start).days / whole, 2)

    def left(self, day: date) -> Markup:
        """An inline style placing a mark at a day (numbers only: nothing to escape)."""
        return Markup(f"left:{self.at(day)}%")

    def bar(self, start: date, end: date) -> Markup:
        """An inline style placing a bar from start to end."""
        left = self.at(start)
        return Markup(f"left:{left}%;width:{max(self.at(end) - left, 0.5):.2f}%")


def dated_phases(roadmap: m.Roadmap) -> list[tuple[m.Phase, date | None, date | None]]:
    """The programme's phases, in order, when any of them has a date (else none): a phase
    with a start and an end gets a bar, one without says so."""
    if not any(phase.start for phase in roadmap.phases):
        return []
    return [(phase, phase.start, phase.end) for phase in roadmap.phases]


def span(roadmap: m.Roadmap) -> Span | None:
    """Whole years from the earliest date the timeline shows to the latest."""
    days = [d for p in roadmap.priorities.values() for d in (p.start, p.end) if d]
    if not days:
        return None
    days += [a.due for a in roadmap.actions.values() if a.due]
    days += [d for _, start, end in dated_phases(roadmap) for d in (start, end) if d]
    days.append(roadmap.as_at)
    return Span(date(min(days).year, 1, 1), date(max(days).year + 1, 1, 1))
