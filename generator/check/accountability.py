"""Rules that hold the work to account: escalations go up the tree, status agrees with its
evidence, and decisions are followed up until they are closed.

Like every rule, these read raw entities that may have the wrong types, and skip what they
cannot understand. Each stays near-linear in the roadmap: the governance tree is walked once
(see `Tree`), and reviews are grouped by date once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from generator.check.context import Context
from generator.check.registry import rule
from generator.collect import Entity
from generator.dates import add_months, parse_date
from generator.findings import Finding
from generator.load import pointer_join

STALE_MONTHS = 12  # default for programme settings' stale_reading_months


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


@dataclass
class Tree:
    """The governance tree in depth-first order, so "is A above B?" costs one comparison.

    A body is above another when its interval [enter, leave] holds the other's. Bodies in a loop
    (G001) or under a reports_to that names no body (R001) have no place: their chain is unknown.
    """

    parent: dict[str, str | None] = field(default_factory=dict)
    enter: dict[str, int] = field(default_factory=dict)
    leave: dict[str, int] = field(default_factory=dict)

    def above(self, upper: str, lower: str) -> bool:
        """True when `upper` is `lower` or a body it reports to, directly or not."""
        return upper in self.enter and lower in self.enter and \
            self.enter[upper] <= self.enter[lower] and self.leave[lower] <= self.leave[upper]

    def chain(self, body: str, limit: int = 6) -> list[str]:
        """The body and those above it, nearest first, at most `limit` of them (for messages)."""
        found: list[str] = []
        current: str | None = body
        while current is not None and len(found) < limit:
            found.append(current)
            current = self.parent.get(current)
        return found


def _tree(ctx: Context) -> Tree:
    tree = Tree()
    children: dict[str, list[str]] = {}
    roots = []
    for body in ctx.of("body"):
        parent = _text(body.data.get("reports_to"))
        if parent is None:
            roots.append(body.id)
        elif ctx.get("body", parent) is not None:
            children.setdefault(parent, []).append(body.id)
        tree.parent.setdefault(body.id, parent)
    clock = 0
    for root in dict.fromkeys(roots):
        stack: list[tuple[str, bool]] = [(root, False)]
        while stack:
            body, done = stack.pop()
            clock += 1
            if done:
                tree.leave[body] = clock
            elif body not in tree.enter:
                tree.enter[body] = clock
                stack.append((body, True))
                stack.extend((child, False) for child in children.get(body, []))
    return tree


def _accountable(priority: Entity) -> str | None:
    own = _text(priority.data.get("accountable"))
    pillar = priority.parent.data if priority.parent else {}
    return own or _text(pillar.get("accountable"))


@rule("H001", "escalation-sideways", "error",
      "an escalation to a body outside the item's accountability chain")
def escalation_up_the_tree(ctx: Context) -> Iterator[Finding]:
    tree = _tree(ctx)
    for item in [*ctx.of("priority"), *ctx.of("action")]:
        target = _text(_mapping(item.data.get("escalation")).get("to"))
        priority = item if item.kind == "priority" else item.parent
        body = _accountable(priority) if priority else None
        if not target or not body or body not in tree.enter or ctx.get("body", target) is None:
            continue  # no escalation, an unknown body (R001) or a chain in a loop (G001)
        if not tree.above(target, body):
            allowed = ", ".join(tree.chain(body))
            yield item.source.finding(
                pointer_join(pointer_join(item.pointer, "escalation"), "to"), "H001",
                f"{item.kind} '{item.id}' is escalated to '{target}', which is not above it; an "
                f"escalation goes up the governance tree: escalate to one of {allowed}")


@rule("H002", "off-track-unaddressed", "warning",
      "an off-track priority with neither an escalation nor a recovery note", scope="file")
def off_track_addressed(ctx: Context) -> Iterator[Finding]:
    for priority in ctx.of("priority"):
        data = priority.data
        if data.get("status") == "off-track" and not data.get("escalation") and not data.get("recovery"):
            yield priority.source.finding(
                pointer_join(priority.pointer, "status"), "H002",
                f"priority '{priority.id}' is off track with no plan: add a 'recovery' line saying "
                "how and by when it gets back on track, or an 'escalation' to the body above")


def _readings(measure: Entity) -> list[tuple[date, float]]:
    found = []
    for reading in measure.data.get("readings") or []:
        reading = _mapping(reading)
        day, value = parse_date(reading.get("date")), reading.get("value")
        if day and isinstance(value, int | float) and not isinstance(value, bool):
            found.append((day, float(value)))
    return found


def _moved_away(measure: Entity, as_at: date) -> bool:
    """The latest reading moved away from the target and has not reached it."""
    taken = [r for r in _readings(measure) if r[0] <= as_at]
    target = _mapping(measure.data.get("target")).get("value")
    higher = measure.data.get("direction") != "lower"
    if len(taken) < 2 or not isinstance(target, int | float):
        return False
    (_, before), (_, latest) = taken[-2], taken[-1]
    worse = latest < before if higher else latest > before
    met = latest >= target if higher else latest <= target
    return worse and not met


@rule("H003", "status-against-evidence", "warning",
      "an on-track or complete priority whose measure's latest reading moved away from its target")
def status_agrees_with_measures(ctx: Context) -> Iterator[Finding]:
    as_at = ctx.as_at
    if not as_at:
        return
    away = {m.id for m in ctx.of("measure") if _moved_away(m, as_at)}
    for priority in ctx.of("priority"):
        status = priority.data.get("status")
        if status not in ("on-track", "complete"):
            continue
        for measure in priority.data.get("measures") or []:
            if isinstance(measure, str) and measure in away:
                yield priority.source.finding(
                    pointer_join(priority.pointer, "status"), "H003",
                    f"priority '{priority.id}' is {status}, but the latest reading of measure "
                    f"'{measure}' moved away from its target; change the status to at-risk "
                    "and add a 'recovery' line, or explain the reading in its note")


@rule("H004", "overdue-still-on-track", "warning",
      "an action past its due date whose status still says on-track or not-started", scope="file+programme")
def overdue_status(ctx: Context) -> Iterator[Finding]:
    as_at = ctx.as_at
    for action in ctx.of("action") if as_at else []:
        due, status = parse_date(action.data.get("due")), action.data.get("status")
        if due and due < as_at and status in ("on-track", "not-started"):
            yield action.source.finding(
                pointer_join(action.pointer, "status"), "H004",
                f"action '{action.id}' was due {due.isoformat()} but still says {status}; mark it "
                "at-risk, off-track or complete, or give it a new due date")


@rule("H005", "complete-with-open-actions", "error",
      "a complete priority with actions that are not complete", scope="file")
def complete_means_complete(ctx: Context) -> Iterator[Finding]:
    for priority in ctx.of("priority"):
        if priority.data.get("status") != "complete":
            continue
        open_ = [_mapping(a).get("id") for a in priority.data.get("actions") or []
                 if _mapping(a).get("status") != "complete"]
        if open_:
            names = ", ".join(f"'{a}'" for a in open_ if isinstance(a, str))
            yield priority.source.finding(
                pointer_join(priority.pointer, "status"), "H005",
                f"priority '{priority.id}' is complete but its actions {names} are not; complete "
                "them, or give the priority another status")


@rule("H006", "stale-reading", "warning",
      "a measure whose latest reading is older than the programme's stale_reading_months (default 12)",
      scope="file+programme")
def stale_readings(ctx: Context) -> Iterator[Finding]:
    as_at = ctx.as_at
    settings = _mapping(ctx.programme.get("settings"))
    months = settings.get("stale_reading_months", STALE_MONTHS)
    if not as_at or not isinstance(months, int) or isinstance(months, bool):
        return
    for measure in ctx.of("measure"):
        taken = [day for day, _ in _readings(measure) if day <= as_at]
        if taken and add_months(taken[-1], months) < as_at:
            index = len(taken) - 1
            yield measure.source.finding(
                f"{measure.pointer}/readings/{index}/date", "H006",
                f"the latest reading of measure '{measure.id}' is from {taken[-1].isoformat()}, more "
                f"than {months} months before {as_at.isoformat()}; add the newer reading, or say in a "
                "note why there is none")


@rule("H007", "decision-overdue", "warning", "an open decision past its due date", scope="file+programme")
def overdue_decisions(ctx: Context) -> Iterator[Finding]:
    as_at = ctx.as_at
    for decision in ctx.of("decision") if as_at else []:
        due = parse_date(decision.data.get("due"))
        if decision.data.get("status") == "open" and due and due < as_at:
            yield decision.source.finding(
                pointer_join(decision.pointer, "due"), "H007",
                f"decision '{decision.id}' was due {due.isoformat()} and is still open; close it "
                "(status done or dropped, with an outcome) or give it a new due date")


@rule("H008", "decision-not-carried", "warning",
      "an open decision that the next review neither closes nor carries forward")
def decisions_carried(ctx: Context) -> Iterator[Finding]:
    # Reviews held on the same day form one round: any of them may carry a decision forward.
    rounds: dict[date, list[Entity]] = {}
    for review in ctx.of("review"):
        if day := parse_date(review.data.get("date")):
            rounds.setdefault(day, []).append(review)
    days = sorted(rounds)
    following = {days[i]: days[i + 1] for i in range(len(days) - 1)}
    carried = {day: {c for r in found for c in r.data.get("carried_forward") or [] if isinstance(c, str)}
               for day, found in rounds.items()}
    followed_up = {_text(d.data.get("follows_up")) for d in ctx.of("decision")}
    for decision in ctx.of("decision"):
        held = parse_date(decision.parent.data.get("date")) if decision.parent else None
        after = following.get(held) if held else None
        if decision.data.get("status") != "open" or after is None:
            continue
        if decision.id not in carried[after] and decision.id not in followed_up:
            where = ", ".join(r.source.rel for r in rounds[after])
            yield decision.source.finding(
                pointer_join(decision.pointer, "status"), "H008",
                f"decision '{decision.id}' is still open but the next review does not carry it "
                f"forward; add it to carried_forward in {where}, or close it here (status done or "
                "dropped, with an outcome)")
