"""Rules on dates and reviews: dates are real and in order, actions are done or replanned when
due, pillars are reviewed on time, and the timeline has a span a reader can take in."""

from __future__ import annotations

from collections.abc import Iterator

from generator.check.context import Context, walked
from generator.check.registry import rule
from generator.collect import Entity
from generator.dates import DATE_FORM, FIRST_YEAR, LAST_YEAR, add_months, month_end, parse_date
from generator.findings import Finding
from generator.load import pointer_join

DONE = {"complete", "paused"}
OVERDUE_ELSEWHERE = DONE | {"on-track", "not-started"}
DATE_KEYS = walked({"as_at", "last_reviewed", "due", "date", "start", "end", "published", "history_since"})
MAX_SPAN_YEARS = 30  # from the earliest start to the latest end of the timeline


def _not_real(value: str) -> bool:
    """A text in the form of a date (other texts are the schema's to refuse) that is no date."""
    return DATE_FORM.match(value) is not None and parse_date(value) is None


@rule("D001", "invalid-date", "error",
      "a date or month that does not exist (2024-02-30, 2024-13) or is outside 1900 to 2199", scope="file")
def real_dates(ctx: Context) -> Iterator[Finding]:
    for source in ctx.sources:
        for pointer, _, value in ctx.texts(source, DATE_KEYS, _not_real):
            yield source.finding(pointer, "D001",
                                 f"{value} is not a real date between {FIRST_YEAR} and "
                                 f"{LAST_YEAR}; check the year, month and day")


@rule("D002", "dates-out-of-order", "error",
      "a timeframe or phase that ends before it starts, or a target dated before its baseline", scope="file")
def date_order(ctx: Context) -> Iterator[Finding]:
    # In file order, as every rule run per file (see generator/check/perfile.py).
    for entity in ctx.entities:
        if entity.kind == "priority":
            yield from _timeframe_order(entity)
        elif entity.kind == "phase":
            yield from _phase_order(entity)
        elif entity.kind == "measure":
            yield from _measure_order(entity)


def _timeframe_order(priority: Entity) -> Iterator[Finding]:
    frame = priority.data.get("timeframe")
    if isinstance(frame, dict):
        start, end = parse_date(frame.get("start")), parse_date(frame.get("end"))
        if start and end and start > end:
            yield priority.source.finding(f"{priority.pointer}/timeframe/end",
                                          "D002", f"the timeframe ends ({frame['end']}) "
                                          f"before it starts ({frame['start']})")


def _phase_order(phase: Entity) -> Iterator[Finding]:
    start, end = parse_date(phase.data.get("start")), parse_date(phase.data.get("end"))
    if start and end and start > end:
        yield phase.source.finding(pointer_join(phase.pointer, "end"), "D002",
                                   f"phase '{phase.id}' ends ({phase.data['end']}) before it "
                                   f"starts ({phase.data['start']})")


def _measure_order(measure: Entity) -> Iterator[Finding]:
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
      "an action due before as_at that is at risk or off track (one still on track is H004)",
      scope="file+programme")
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
      "a pillar whose last review is older than the programme's review cadence", scope="file+programme")
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
      "an action due outside its priority's timeframe", scope="file")
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
