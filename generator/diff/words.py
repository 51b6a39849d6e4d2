"""The words of `roadmap diff`: roadmap text made safe for a job summary, display names
for ids, and one phrase for each way a field can change.

    old value, new value ─ SAID[field] ─▶ ["status on track → at risk", ...]
"""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from generator.collect import Entity
from generator.dates import parse_date
from generator.kinds import ITEM_KINDS
from generator.model import statuses
from generator.neutral import neutral
from generator.render import escape_text, long_date, quantity
from generator.versions import WORKING_TREE, Side

_NESTED = {"id", "renamed_from", "priorities", "actions", "elements", "phases", "learning_questions",
           "decisions", "engagement", "insights"}
_LABELS = {"last_reviewed": "last reviewed date", "as_at": "as at date", "accountable": "accountable body",
           "aligns_to": "alignment", "logic_model": "logic model", "short_name": "short name",
           "short_title": "short title", "cadence": "meeting cadence", "date": "date",
           "review_cadence_months": "review cadence in months", "status_changes": "status changes",
           "corresponds_to": "corresponding elements", "recovery": "recovery plan",
           "time_to_change_years": "years to show change",
           "delivers": "vision experiences served", "responds_to": "responds to",
           "long_term_target": "long-term target",
           "illustrative_fields": "illustrative values"}
_UNITS = {"percent": "{}%", "score-out-of-10": "{} out of 10"}
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*(:[a-z0-9]+(-[a-z0-9]+)*)?$")


# ---------------------------------------------------------------- words

_BREAKS = re.compile(r"[\n\t]+")
_BARE_LINK = re.compile(r"(?i)\b(https?|ftp|mailto|www)(://|:|\.)")


def text(value: Any) -> str:
    """Text from the roadmap, safe in the job summary: one line, no markup, no control or
    bidirectional characters (shown as escapes), and no address GitHub would turn into a
    link (`https://x` is shown as `https[:]//x`, `www.x` as `www[.]x`)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)  # a number is never markup, and "1.5" must not be escaped as a list item
    one_line = neutral(_BREAKS.sub(" ", str(value)))  # ordinary breaks are spaces; others escapes
    defanged = _BARE_LINK.sub(lambda m: f"{m[1]}[{m[2][0]}]{m[2][1:]}", one_line)
    return str(escape_text(defanged))


def code(value: Any) -> str:
    return f"`{value}`" if isinstance(value, str) and _SLUG.fullmatch(value) else text(value)


def named(label: str) -> str:
    """A revision or folder as the user typed it, in a code span when that is safe."""
    if label == WORKING_TREE:
        return label
    return f"`{label}`" if neutral(label) == label and "`" not in label else text(label)


def show_day(value: Any) -> str:
    parsed = parse_date(value)
    return long_date(parsed) if parsed else text(value)


def show_month(value: Any) -> str:
    parsed = parse_date(value)
    return f"{parsed:%B %Y}" if parsed else text(value)


def strs(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _later(amount: int, unit: str) -> str:
    plural = unit if abs(amount) == 1 else unit + "s"
    return f"{abs(amount)} {plural} {'later' if amount > 0 else 'earlier'}"


def title_of(entity: Entity) -> Any:
    data = entity.data
    return (data.get("title") or data.get("name") or data.get("term") or data.get("question")
            or data.get("text") or entity.id)


@dataclass(frozen=True)
class Names:
    """Display names for ids, preferring the version after the change."""

    base: Side
    head: Side
    titles: dict[str, str] = field(default_factory=lambda: {k: s.title.lower()
                                                            for k, s in statuses().items()})
    unit: Any = None  # the unit of the measure being described, for its readings

    def entity(self, kind: str, id_: str) -> Entity | None:
        return self.head.items.get((kind, id_)) or self.base.items.get((kind, id_))

    def name(self, kind: str, id_: Any) -> str:
        entity = self.entity(kind, id_) if isinstance(id_, str) else None
        if entity is None:
            return code(id_)
        if kind == "element" and entity.parent is not None:
            short = entity.parent.data.get("short_title") or entity.parent.data.get("title")
            return text(f"{short} {title_of(entity)}")
        return text(title_of(entity))

    def item(self, id_: Any) -> str:
        """A priority, action or measure (what a decision concerns), by name."""
        kind = next((k for k in ITEM_KINDS if isinstance(id_, str) and self.entity(k, id_)), "priority")
        return self.name(kind, id_)

    def status(self, value: Any) -> str:
        return self.titles.get(value, text(value)) if isinstance(value, str) else text(value)

    def value(self, value: Any) -> str:
        shown = text(value)
        return _UNITS.get(self.unit, "{}").format(shown) if isinstance(self.unit, str) else shown


# ---------------------------------------------------------------- phrases for one field

Said = Callable[[str, Any, Any, Names], list[str]]


def _label(key: str) -> str:
    return _LABELS.get(key, key.replace("_", " "))


def said_status(key: str, old: Any, new: Any, names: Names) -> list[str]:
    return [f"status {names.status(old)} → {names.status(new)}"]


def said_date(key: str, old: Any, new: Any, names: Names) -> list[str]:
    label, before, after = _label(key), parse_date(old), parse_date(new)
    if before and after:
        return [f"{label} moved from {show_day(old)} to {show_day(new)}, "
                f"{_later((after - before).days, 'day')}"]
    return _set_or_removed(label, old, new, show_day)


def _set_or_removed(label: str, old: Any, new: Any, show: Callable[[Any], str]) -> list[str]:
    if old is None:
        return [f"{label} set to {show(new)}"]
    if new is None:
        return [f"{label} {show(old)} removed"]
    return [f"{label} changed from {show(old)} to {show(new)}"]


def said_timeframe(key: str, old: Any, new: Any, names: Names) -> list[str]:
    old, new = (v if isinstance(v, dict) else {} for v in (old, new))
    phrases = []
    for end in ("start", "end"):
        before, after = parse_date(old.get(end)), parse_date(new.get(end))
        if old.get(end) == new.get(end):
            continue
        if before and after:
            months = (after.year - before.year) * 12 + after.month - before.month
            phrases.append(f"timeframe {end} moved from {show_month(old.get(end))} to "
                           f"{show_month(new.get(end))}, {_later(months, 'month')}")
        else:
            phrases.extend(_set_or_removed(f"timeframe {end}", old.get(end), new.get(end), show_month))
    return phrases


def said_month(key: str, old: Any, new: Any, names: Names) -> list[str]:
    """A phase's start or end month."""
    return _set_or_removed(_label(key), old, new, show_month)


def said_places(key: str, old: Any, new: Any, names: Names) -> list[str]:
    """Where a priority, action or commitment happens. The programme's own list of places
    is made of places, each reported as an item of its own."""
    if dicts(old) or dicts(new):
        return []
    return said_refs("place")(key, old or [], new or [], names)


def said_handover(key: str, old: Any, new: Any, names: Names) -> list[str]:
    def show(value: Any) -> str:
        org = value.get("organisation") if isinstance(value, dict) else None
        return names.name("organisation", org) if org else text(value)
    if isinstance(old, dict) and isinstance(new, dict) and old.get("organisation") == new.get("organisation"):
        return ["handover reworded"]
    return _set_or_removed("outputs maintained by", old, new, show)


def _amounts(commitment: dict[str, Any]) -> dict[str, float]:
    """A commitment's amounts summed per unit (as the partner totals count them)."""
    summed: dict[str, float] = {}
    for q in dicts(commitment.get("quantities")):
        amount, unit = q.get("amount"), q.get("unit")
        if isinstance(amount, int | float) and not isinstance(amount, bool) and isinstance(unit, str):
            summed[unit] = round(summed.get(unit, 0) + amount, 6)
    return summed


def _quantity(amount: float, unit: str) -> str:
    return quantity(amount, text(unit))  # numbers and a unit's words: nothing else to escape


def _pairs(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> Iterator[tuple[Any, Any]]:
    """(old, new) commitments of one priority, matched by organisation and role, then by
    organisation alone (a changed role); None on the side that has no match."""
    unmatched = dict(enumerate(before))
    match: dict[int, int] = {}  # index after -> index before
    for same in (("organisation", "role"), ("organisation",)):
        waiting: dict[str, deque[int]] = {}
        for i, old in unmatched.items():
            waiting.setdefault(repr([old.get(k) for k in same]), deque()).append(i)
        for j, new in enumerate(after):
            queue = waiting.get(repr([new.get(k) for k in same])) if j not in match else None
            if queue:
                match[j] = queue.popleft()
                del unmatched[match[j]]
    yield from ((before[match[j]] if j in match else None, new) for j, new in enumerate(after))
    yield from ((old, None) for old in unmatched.values())


def said_commitments(key: str, old: Any, new: Any, names: Names) -> list[str]:
    """What each partner gives to a priority: who joined or left, and each one's role,
    amounts and other details, by name."""
    before, after = dicts(old), dicts(new)
    counts = [Counter(repr(c.get("organisation")) for c in side) for side in (before, after)]
    phrases: list[str] = []
    for was, now in _pairs(before, after):
        one = now or was
        name = names.name("organisation", one.get("organisation"))
        role = text(one.get("role"))
        if was is None or now is None:
            amounts = "; ".join(_quantity(a, u) for u, a in _amounts(one).items())
            phrases.append(f"{name} no longer commits as {role}" if now is None else
                           f"{name} now commits as {role}" + (f": {amounts}" if amounts else ""))
            continue
        if was.get("role") != now.get("role"):
            phrases.append(f"{name}'s role changed from {text(was.get('role'))} to {role}")
        several = any(side[repr(one.get("organisation"))] > 1 for side in counts)
        phrases += _commitment_changes(was, now, f"{name} (as {role})" if several else name, names)
    return phrases or [f"{_label(key)} reordered"]


def _commitment_changes(was: dict[str, Any], now: dict[str, Any], who: str, names: Names) -> list[str]:
    """A partner's amounts and other details, each unit's amount with what it was."""
    old, new = _amounts(was), _amounts(now)
    phrases = []
    for unit, amount in new.items():
        if unit not in old:
            phrases.append(f"{who} now commits {_quantity(amount, unit)}")
        elif old[unit] != amount:
            phrases.append(f"{who} now commits {_quantity(amount, unit)} (was {_quantity(old[unit], unit)})")
    phrases += [f"{who} no longer commits {_quantity(amount, unit)}" for unit, amount in old.items()
                if unit not in new]
    if old == new and was.get("quantities") != now.get("quantities"):
        phrases.append(f"{who}'s quantities rearranged, with the same totals")
    rest = ("organisation", "role", "quantities")
    others = [{k: v for k, v in side.items() if k not in rest} for side in (was, now)]
    return phrases + [f"{who}'s {phrase}" for phrase in field_changes(*others, names)]


def said_ref(kind: str) -> Said:
    def said(key: str, old: Any, new: Any, names: Names) -> list[str]:
        if key == "reports_to":
            return [f"now reports to {names.name(kind, new)}" + (f" (was {names.name(kind, old)})" if old
                                                                 else "")
                    if new else f"no longer reports to {names.name(kind, old)}"]
        return _set_or_removed(_label(key), old, new, lambda v: names.name(kind, v))
    return said


def said_refs(kind: str) -> Said:
    def said(key: str, old: Any, new: Any, names: Names) -> list[str]:
        before, after = strs(old), strs(new)
        added = [names.name(kind, v) for v in after if v not in before]
        removed = [names.name(kind, v) for v in before if v not in after]
        return ([f"{_label(key)} added: {', '.join(added)}"] if added else []) + \
            ([f"{_label(key)} removed: {', '.join(removed)}"] if removed else []) or \
            [f"{_label(key)} reordered"]
    return said


def said_alignment(key: str, old: Any, new: Any, names: Names) -> list[str]:
    before = {a.get("to"): a for a in dicts(old)}
    after = {a.get("to"): a for a in dicts(new)}
    phrases = [f"now aligns to {names.name('element', to)}" for to in after if to not in before]
    phrases += [f"no longer aligns to {names.name('element', to)}" for to in before if to not in after]
    phrases += [f"rationale for aligning to {names.name('element', to)} reworded"
                for to in after if to in before and after[to] != before[to]]
    return phrases or ["alignment reordered"]


def said_role(key: str, old: Any, new: Any, names: Names) -> list[str]:
    def show(value: Any) -> str:
        if not isinstance(value, dict):
            return text(value)
        org = value.get("organisation")
        return text(value.get("role")) + (f", {names.name('organisation', org)}" if org else "")
    return _set_or_removed(_label(key), old, new, show)


def said_reading(key: str, old: Any, new: Any, names: Names) -> list[str]:
    def show(reading: Any) -> str:
        if not isinstance(reading, dict):
            return text(reading)
        return f"{names.value(reading.get('value'))} by {show_day(reading.get('date'))}"
    return _set_or_removed(_label(key), old, new, show)


def said_readings(key: str, old: Any, new: Any, names: Names) -> list[str]:
    before = {r.get("date"): r for r in dicts(old)}
    after = {r.get("date"): r for r in dicts(new)}
    phrases = [f"new reading: {names.value(r.get('value'))} on {show_day(d)}" for d, r in after.items()
               if d not in before]
    phrases += [f"reading of {show_day(d)} removed" for d in before if d not in after]
    phrases += [f"reading of {show_day(d)} changed from {names.value(before[d].get('value'))} to "
                f"{names.value(r.get('value'))}" for d, r in after.items()
                if d in before and r.get("value") != before[d].get("value")]
    return phrases or ["reading notes changed"]


def said_word(key: str, old: Any, new: Any, names: Names) -> list[str]:
    """A value from a fixed list of words (cadence, unit, direction, kind of organisation)."""
    return _set_or_removed(_label(key), old, new, lambda v: text(str(v).replace("-", " ")))


def said_words(key: str, old: Any, new: Any, names: Names) -> list[str]:
    """A list of plain words, such as the names of the fields marked illustrative."""
    before, after = strs(old), strs(new)
    added = [text(v.replace("_", " ")) for v in after if v not in before]
    removed = [text(v.replace("_", " ")) for v in before if v not in after]
    return ([f"{_label(key)} added: {', '.join(added)}"] if added else []) + \
        ([f"{_label(key)} removed: {', '.join(removed)}"] if removed else []) or [f"{_label(key)} reordered"]


def said_flag(key: str, old: Any, new: Any, names: Names) -> list[str]:
    return [f"now marked {_label(key)}" if new is True else f"no longer marked {_label(key)}"]


def said_other(key: str, old: Any, new: Any, names: Names) -> list[str]:
    label = _label(key)
    short = all(isinstance(v, str | int | float) and len(str(v)) <= 80 for v in (old, new))
    if short and not isinstance(old, bool):
        return [f"{label} changed from “{text(old)}” to “{text(new)}”"]
    if old is None or new is None:
        return [f"{label} {'added' if old is None else 'removed'}"]
    return [f"{label} {'reworded' if isinstance(old, str) and isinstance(new, str) else 'changed'}"]


def said_escalation(key: str, old: Any, new: Any, names: Names) -> list[str]:
    def show(value: Any) -> str:
        value = value if isinstance(value, dict) else {}
        return f"to {names.name('body', value.get('to'))} on {show_day(value.get('date'))}"
    if not isinstance(old, dict):
        asks = new.get("asks") if isinstance(new, dict) else None
        return [f"escalated {show(new)}" + (f", asking: “{text(asks)}”" if asks else "")]
    if not isinstance(new, dict):
        return [f"escalation {show(old)} withdrawn"]
    if old.get("to") != new.get("to"):
        return [f"escalated instead {show(new)} (was {show(old)})"]
    if old.get("date") != new.get("date"):
        return [f"escalation to {names.name('body', new.get('to'))} moved from {show_day(old.get('date'))} "
                f"to {show_day(new.get('date'))}"]
    return [f"escalation {show(new)} reworded"]


def said_concerns(key: str, old: Any, new: Any, names: Names) -> list[str]:
    before, after = strs(old), strs(new)
    added = [names.item(v) for v in after if v not in before]
    removed = [names.item(v) for v in before if v not in after]
    return ([f"now concerns {', '.join(added)}"] if added else []) + \
        ([f"no longer concerns {', '.join(removed)}"] if removed else []) or ["concerns reordered"]


def said_decision_status(key: str, old: Any, new: Any, names: Names) -> list[str]:
    if old == "open" and new in ("done", "dropped"):
        return [f"closed: {text(new)}"]
    if new == "open":
        return [f"reopened (was {text(old)})"]
    return [f"status {text(old)} → {text(new)}"]


def said_outcome(key: str, old: Any, new: Any, names: Names) -> list[str]:
    if new is None:
        return ["outcome removed"]
    return [f"outcome {'recorded' if old is None else 'now'}: “{text(new)}”"]


# A decision's own words for fields whose meaning differs from a priority's.
DECISION_SAID: dict[str, Said] = {"status": said_decision_status, "outcome": said_outcome}

SAID: dict[str, Said] = {
    "status": said_status, "timeframe": said_timeframe, "aligns_to": said_alignment,
    **dict.fromkeys(("due", "last_reviewed", "as_at", "date", "published"), said_date),
    **dict.fromkeys(("owner", "organisation"), said_ref("organisation")),
    **dict.fromkeys(("accountable", "reports_to", "body"), said_ref("body")),
    **dict.fromkeys(("contributors", "members"), said_refs("organisation")),
    "measures": said_refs("measure"), "corresponds_to": said_refs("element"),
    "delivers": said_refs("experience"), "places": said_places,
    "responds_to": said_refs("insight"), "handover": said_handover, "commitments": said_commitments,
    "illustrative_fields": said_words,
    "lead": said_role, "chair": said_role, "baseline": said_reading, "target": said_reading,
    "long_term_target": said_reading,
    "readings": said_readings, "illustrative": said_flag,
    **dict.fromkeys(("start", "end"), said_month),
    "escalation": said_escalation, "concerns": said_concerns, "asked_of": said_ref("body"),
    "follows_up": said_ref("decision"), "carried_forward": said_refs("decision"),
    **dict.fromkeys(("cadence", "unit", "direction", "kind", "confidence"), said_word),
}


def field_changes(old: dict[str, Any], new: dict[str, Any], names: Names, kind: str = "") -> list[str]:
    """One phrase per difference between two versions of an entity, in the newer file's key order."""
    keys = [*new, *(k for k in old if k not in new)]
    names = replace(names, unit=new.get("unit", old.get("unit")))
    own = DECISION_SAID if kind == "decision" else {}
    return [phrase for key in keys if key not in _NESTED and old.get(key) != new.get(key)
            for phrase in (own.get(key) or SAID.get(key, said_other))(key, old.get(key), new.get(key), names)]
