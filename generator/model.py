"""The roadmap as typed objects: references resolved, with the reverse indexes pages need.

`resolve` runs only on a roadmap that passed the check, so every reference resolves
and every value has its schema type; it does no validation of its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from generator.check.schema import contents
from generator.collect import entities
from generator.dates import add_months, month_end, parse_date
from generator.load import Loaded
from generator.publisher import Publisher
from generator.publishing import site_url
from generator.trajectory import Trajectory, project

CHAIN_SHOWN = 5  # bodies named in a priority's line of accountability
TREE_INDENTS = 6  # nested lists deeper than this are hard to read, and Markdown parses them recursively


@dataclass(frozen=True)
class Status:
    id: str
    title: str
    description: str
    icon: str


# Status is shown by word and icon, never colour alone (WCAG 1.4.1).
_ICONS = {"not-started": "○", "on-track": "✓", "at-risk": "!", "off-track": "✕",
          "paused": "‖", "complete": "★"}


def statuses() -> dict[str, Status]:
    """The one status vocabulary, read from the schema where it is defined."""
    options = contents("common.schema.json")["$defs"]["status"]["oneOf"]
    return {o["const"]: Status(o["const"], o["title"], o["description"], _ICONS.get(o["const"], "•"))
            for o in options}


@dataclass(eq=False, repr=False)
class Node:
    """Something with its own page."""

    id: str
    title: str
    data: dict[str, Any]
    source: str  # the YAML file it came from, for edit links
    illustrative: bool = False

    @property
    def illustrative_fields(self) -> frozenset[str]:
        """Fields whose values are illustrative while the rest of the item is sourced."""
        return frozenset(self.data.get("illustrative_fields", []))

    def invented(self, name: str) -> bool:
        """Whether the value of one field is illustrative: the whole item is, or that field is."""
        return self.illustrative or name in self.illustrative_fields

    def __repr__(self) -> str:  # the graph has cycles; a generated repr would never end
        return f"{type(self).__name__}({self.id!r})"

    @property
    def renamed_from(self) -> list[str]:
        return list(self.data.get("renamed_from", []))

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)


@dataclass(eq=False, repr=False)
class Organisation(Node):
    kind: str = ""
    short_name: str = ""
    owns: list[Priority] = field(default_factory=list)
    contributes: list[Priority] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    partner_commitments: list[Commitment] = field(default_factory=list)
    commitments: list[tuple[Priority, dict[str, Any]]] = field(default_factory=list)
    leads: list[Pillar] = field(default_factory=list)
    member_of: list[Body] = field(default_factory=list)
    chairs: list[Body] = field(default_factory=list)


@dataclass(eq=False, repr=False)
class Body(Node):
    chair_role: str = ""
    chair: Organisation | None = None
    members: list[Organisation] = field(default_factory=list)
    cadence: str = ""
    reports_to: Body | None = None
    oversees: list[Body] = field(default_factory=list)
    pillars: list[Pillar] = field(default_factory=list)
    priorities: list[Priority] = field(default_factory=list)
    evaluates: list[Priority] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)  # asked of this body
    escalations: list[Escalation] = field(default_factory=list)  # made to this body

    def below(self) -> list[Body]:
        """Every body that reports to this one, directly or not, nearest first."""
        found: list[Body] = []
        queue, seen = list(self.oversees), {self}
        for body in queue:  # the queue grows as it is read: breadth first
            if body not in seen:
                seen.add(body)
                found.append(body)
                queue.extend(body.oversees)
        return found

    def held(self) -> list[Priority]:
        """Every priority this body holds to account, itself or through the bodies below it."""
        return [p for body in [self, *self.below()] for p in body.priorities]

    def chain_shown(self, limit: int = CHAIN_SHOWN) -> tuple[list[Body], int]:
        """The nearest bodies of the chain, ending with the top one, and how many are left out
        between them: a priority's page names a few, not a chain hundreds of bodies long."""
        chain = self.chain()
        if len(chain) <= limit:
            return chain, 0
        return [*chain[:limit - 1], chain[-1]], len(chain) - limit

    def chain(self) -> list[Body]:
        """This body and every body above it, nearest first."""
        chain, seen, current = [], set(), self
        while current is not None and id(current) not in seen:
            chain.append(current)
            seen.add(id(current))
            current = current.reports_to
        return chain


@dataclass(eq=False, repr=False)
class Measure(Node):
    unit: str = ""
    direction: str = "higher"
    readings: list[dict[str, Any]] = field(default_factory=list)
    priorities: list[Priority] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)  # that concern it
    trend: Trajectory = field(default_factory=lambda: Trajectory("too-few"))

    @property
    def latest(self) -> dict[str, Any] | None:
        return self.readings[-1] if self.readings else None

    def trajectory(self) -> str:
        """The trend in one word for compact tables: on (met or on course), off or unknown."""
        return {"met": "on", "on-course": "on", "off-course": "off"}.get(self.trend.verdict, "unknown")


@dataclass(eq=False, repr=False)
class Framework(Node):
    short_title: str = ""
    primary: bool = False
    elements: list[Element] = field(default_factory=list)


@dataclass(eq=False, repr=False)
class Element(Node):
    key: str = ""
    framework: Framework | None = None
    corresponds_to: list[Element] = field(default_factory=list)
    mirrored_by: list[Element] = field(default_factory=list)
    alignments: list[Alignment] = field(default_factory=list)

    @property
    def label(self) -> str:
        short = self.framework.short_title if self.framework else ""
        return f"{short} {self.title}".strip()


@dataclass(eq=False)  # shown by its fields: it links only to items, which show as their id
class Alignment:
    priority: Priority
    element: Element
    rationale: str


@dataclass(eq=False, repr=False)
class Place(Node):
    """Where work happens; work that names no place is system-wide."""

    priorities: list[Priority] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    commitments: list[Commitment] = field(default_factory=list)


@dataclass(eq=False)  # shown by its fields: it links only to items, which show as their id
class Commitment:
    """What one partner gives to one priority."""

    priority: Priority
    organisation: Organisation
    data: dict[str, Any]
    places: list[Place] = field(default_factory=list)

    @property
    def illustrative(self) -> bool:
        return self.priority.illustrative or self.data.get("illustrative") is True

    @property
    def role(self) -> str:
        return str(self.data.get("role", ""))

    @property
    def quantities(self) -> list[tuple[float, str]]:
        return [(q["amount"], q["unit"]) for q in self.data.get("quantities", [])]


def totals(commitments: list[Commitment]) -> list[tuple[float, str]]:
    """The amounts committed, summed per unit, in the units' first-seen order."""
    summed: dict[str, float] = {}
    for commitment in commitments:
        for amount, unit in commitment.quantities:
            summed[unit] = summed.get(unit, 0) + amount
    return [(round(amount, 6), unit) for unit, amount in summed.items()]


def roles() -> dict[str, tuple[str, str]]:
    """The commitment role vocabulary (id -> title, description), read from the schema."""
    options = contents("common.schema.json")["$defs"]["commitment-role"]["oneOf"]
    return {o["const"]: (o["title"], o["description"]) for o in options}


@dataclass(eq=False, repr=False)
class Engagement(Node):
    """A round of engagement: who was heard, how, and when."""

    phase: Phase | None = None
    start: date | None = None
    end: date | None = None
    insights: list[Insight] = field(default_factory=list)


@dataclass(eq=False, repr=False)
class Insight(Node):
    """A theme heard, and the priorities that respond to it."""

    heard_in: list[Engagement] = field(default_factory=list)
    responses: list[Priority] = field(default_factory=list)


@dataclass(eq=False, repr=False)
class Phase(Node):
    """A phase of the programme; each output may point at what embodies it today."""

    start: date | None = None
    end: date | None = None
    outputs: list[tuple[str, Any]] = field(default_factory=list)  # (text, Node | site page name | None)


@dataclass(eq=False)  # shown by its fields: it links only to items, which show as their id
class Experience:
    """One experience the vision promises, and the pillars that deliver it."""

    id: str
    text: str
    pillars: list[Pillar] = field(default_factory=list)


@dataclass(eq=False, repr=False)
class Pillar(Node):
    lead_role: str = ""
    lead: Organisation | None = None
    accountable: Body | None = None
    last_reviewed: date | None = None
    next_review: date | None = None
    priorities: list[Priority] = field(default_factory=list)
    delivers: list[Experience] = field(default_factory=list)


@dataclass(eq=False, repr=False)
class Priority(Node):
    pillar: Pillar | None = None
    owner: Organisation | None = None
    contributors: list[Organisation] = field(default_factory=list)
    accountable: Body | None = None
    alignments: list[Alignment] = field(default_factory=list)
    start: date | None = None
    end: date | None = None
    status: str = ""
    measures: list[Measure] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    commitments: list[tuple[Organisation, dict[str, Any]]] = field(default_factory=list)
    evaluator: Body | None = None
    reviews: list[tuple[Review, dict[str, Any]]] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)  # empty: system-wide
    partner_commitments: list[Commitment] = field(default_factory=list)
    responds_to: list[Insight] = field(default_factory=list)

    @property
    def handover(self) -> dict[str, Any] | None:
        """Who maintains the outputs once complete: its own handover, else its pillar's."""
        return self.get("handover") or (self.pillar.get("handover") if self.pillar else None)
    escalation: Escalation | None = None
    decisions: list[Decision] = field(default_factory=list)  # that concern it or its actions

    def open_decisions(self) -> list[Decision]:
        return [d for d in self.decisions if d.status == "open"]


@dataclass(eq=False, repr=False)
class Action(Node):
    priority: Priority | None = None
    owner: Organisation | None = None
    due: date | None = None
    status: str = ""
    places: list[Place] = field(default_factory=list)  # empty: system-wide
    escalation: Escalation | None = None


@dataclass(eq=False)  # shown by its fields: it links only to items, which show as their id
class Escalation:
    """A priority or action raised with a body up its governance chain."""

    item: Priority | Action
    to: Body
    on: date | None
    why: str
    asks: str
    illustrative: bool


DECISION_STATUSES = {"open": "Open", "done": "Done", "dropped": "Dropped"}


@dataclass(eq=False, repr=False)
class Decision(Node):
    review: Review | None = None
    text: str = ""
    owner: Organisation | None = None
    asked_of: Body | None = None
    concerns: list[Node] = field(default_factory=list)
    due: date | None = None
    status: str = "open"
    outcome: str = ""
    follows_up: Decision | None = None
    followed_by: list[Decision] = field(default_factory=list)
    carried_by: list[Review] = field(default_factory=list)

    @property
    def status_title(self) -> str:
        return DECISION_STATUSES[self.status]

    def order(self) -> tuple[int, date, str]:
        """Open first, then soonest due."""
        return (self.status != "open", self.due or date.max, self.id)


@dataclass(eq=False, repr=False)
class Review(Node):
    date: date | None = None
    body: Body | None = None
    answers: list[tuple[str, str]] = field(default_factory=list)  # (question, answer)
    gists: dict[str, str] = field(default_factory=dict)  # question -> the answer in a few words
    status_changes: list[tuple[Priority, dict[str, Any]]] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    carried_forward: list[Decision] = field(default_factory=list)


@dataclass(eq=False, repr=False)
class Roadmap:
    programme: dict[str, Any]
    as_at: date
    statuses: dict[str, Status]
    organisations: dict[str, Organisation]
    bodies: dict[str, Body]
    measures: dict[str, Measure]
    frameworks: dict[str, Framework]
    elements: dict[str, Element]
    pillars: dict[str, Pillar]
    priorities: dict[str, Priority]
    actions: dict[str, Action]
    reviews: list[Review]  # oldest first
    glossary: list[dict[str, Any]]
    sources: dict[str, str]  # pillar or file kind -> YAML path, for edit links
    decisions: list[Decision] = field(default_factory=list)  # open first, soonest due
    escalations: list[Escalation] = field(default_factory=list)  # newest first
    experiences: dict[str, Experience] = field(default_factory=dict)
    places: dict[str, Place] = field(default_factory=dict)
    engagement: dict[str, Engagement] = field(default_factory=dict)
    insights: dict[str, Insight] = field(default_factory=dict)
    phases: list[Phase] = field(default_factory=list)
    site_url: str | None = None  # where the site is published (generator.publishing), if known
    publisher: Publisher = field(default_factory=Publisher)  # who publishes (mkdocs.yml)
    file_digests: dict[str, str] = field(default_factory=dict)  # YAML path -> digest of its bytes

    @property
    def primary(self) -> Framework | None:
        return next((f for f in self.frameworks.values() if f.primary), None)

    @property
    def top_bodies(self) -> list[Body]:
        return [b for b in self.bodies.values() if b.reports_to is None]

    def governance_tree(self) -> list[tuple[int, Body, Body | None]]:
        """(depth, body, the body it reports to if not shown by the indent) for every body under
        its parent, depth first. Made without recursion, so a chain of hundreds of bodies (a
        valid tree) renders; indents stop at TREE_INDENTS, and a body deeper than that names
        the body it reports to instead."""
        rows: list[tuple[int, Body, Body | None]] = []
        stack = [(0, b) for b in reversed(self.top_bodies)]
        while stack:
            depth, body = stack.pop()
            deep = depth > TREE_INDENTS
            rows.append((min(depth, TREE_INDENTS), body, body.reports_to if deep else None))
            stack.extend((depth + 1, child) for child in reversed(body.oversees))
        return rows

    def due_next(self, days: int | None = None) -> list[Action]:
        """Open actions due from as_at up to the programme's due-soon window, soonest first."""
        window = days or self.programme.get("settings", {}).get("due_soon_days", 90)
        ahead = [a for a in self.actions.values() if a.status not in ("complete", "paused")
                 and a.due and 0 <= (a.due - self.as_at).days <= window]
        return sorted(ahead, key=lambda a: (a.due, a.id))

    def overdue(self) -> list[Action]:
        """Open actions due before as_at, oldest first. Computed once: templates ask for it
        on every action row, and the model does not change after `resolve`."""
        return self._overdue

    @cached_property
    def _overdue(self) -> list[Action]:
        late = [a for a in self.actions.values() if a.status not in ("complete", "paused")
                and a.due and a.due < self.as_at]
        return sorted(late, key=lambda a: (a.due, a.id))

    @property
    def plan_end(self) -> date | None:
        """The end of the plan period: the last month any priority runs to."""
        return max((p.end for p in self.priorities.values() if p.end), default=None)

    def beyond_plan(self) -> tuple[list[tuple[Measure, str, date, Any]],
                                   list[tuple[Priority, str, int, list[str]]]]:
        """Long-term targets dated after the plan period, and logic-model outcomes expected after
        it (the priority's start year plus the outcome's horizon): culture takes years to change."""
        end = self.plan_end
        if end is None:
            return [], []
        targets = []
        for measure in self.measures.values():
            for key in ("target", "long_term_target"):
                reading = measure.get(key)
                day = parse_date(reading["date"]) if reading else None
                if day and day > end:
                    targets.append((measure, key, day, reading["value"]))
        outcomes = []
        for priority in self.priorities.values():
            found = (priority.get("logic_model") or {}).get("outcomes", {})
            for term, years in found.get("horizon_years", {}).items():
                year = priority.start.year + math.ceil(years) if priority.start else 0
                if year > end.year and found.get(term):
                    outcomes.append((priority, term, year, found[term]))
        return sorted(targets, key=lambda t: (t[2], t[0].id)), sorted(outcomes, key=lambda o: (o[2], o[0].id))

    def reviews_due(self) -> list[Pillar]:
        return [p for p in self.pillars.values() if p.next_review and p.next_review < self.as_at]

    def open_decisions(self) -> list[Decision]:
        return [d for d in self.decisions if d.status == "open"]

    def needs_attention(self) -> list[Priority]:
        """Off-track then at-risk priorities, in roadmap order within each."""
        ranked = {"off-track": 0, "at-risk": 1}
        found = [p for p in self.priorities.values() if p.status in ranked]
        return sorted(found, key=lambda p: ranked[p.status])

    def off_course(self) -> list[Measure]:
        return [s for s in self.measures.values() if s.trend.off]

    def status_totals(self) -> list[tuple[Status, int]]:
        """How many priorities have each status, in the vocabulary's order; zeros left out."""
        counts: dict[str, int] = {}
        for priority in self.priorities.values():
            counts[priority.status] = counts.get(priority.status, 0) + 1
        return [(s, counts[s.id]) for s in self.statuses.values() if counts.get(s.id)]


GIST_CHARACTERS = 120


def gist(answer: str) -> str:
    """An answer's first sentence, cut at a word if it is long."""
    first = answer.split(". ", 1)[0].strip()
    first = first if first.endswith((".", "?", "!")) else first + "."
    if len(first) <= GIST_CHARACTERS:
        return first
    return first[:GIST_CHARACTERS].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def _title(data: dict[str, Any]) -> str:
    return str(data.get("title") or data.get("name") or data.get("id"))


def resolve(loaded: Loaded) -> Roadmap:
    """Build the model from a loaded roadmap that has passed `roadmap check`."""
    found = list(entities(loaded.sources))
    by_kind: dict[str, list[Any]] = {}
    for entity in found:
        by_kind.setdefault(entity.kind, []).append(entity)
    programme = by_kind["programme"][0].data
    as_at = parse_date(programme["as_at"]) or date.min
    cadence = int(programme["review_cadence_months"])

    def node(cls: type, entity: Any, **extra: Any) -> Any:
        parent_illustrative = bool(entity.parent and entity.parent.data.get("illustrative"))
        return cls(id=entity.id, title=_title(entity.data), data=entity.data, source=entity.source.rel,
                   illustrative=bool(entity.data.get("illustrative")) or parent_illustrative, **extra)

    orgs = {e.id: node(Organisation, e, kind=e.data["kind"], short_name=e.data.get("short_name", ""))
            for e in by_kind.get("organisation", [])}
    bodies = {e.id: node(Body, e, cadence=e.data["cadence"]) for e in by_kind.get("body", [])}
    for body in bodies.values():
        chair = body.get("chair") or {}
        body.chair_role = chair.get("role", "")
        body.chair = orgs.get(chair.get("organisation", ""))
        if body.chair:
            body.chair.chairs.append(body)
        body.members = [orgs[m] for m in body.get("members", [])]
        for member in body.members:
            member.member_of.append(body)
        body.reports_to = bodies.get(body.get("reports_to", ""))
        if body.reports_to:
            body.reports_to.oversees.append(body)

    measures = {e.id: node(Measure, e, unit=e.data["unit"], direction=e.data["direction"],
                           readings=list(e.data.get("readings", [])))
                for e in by_kind.get("measure", [])}
    for measure in measures.values():
        measure.trend = project(measure.readings, measure.get("target"), measure.direction, as_at,
                                baseline=measure.get("baseline"), kind=measure.get("kind"),
                                time_to_change_years=measure.get("time_to_change_years"),
                                unit=measure.unit)
    frameworks = {e.id: node(Framework, e, short_title=e.data.get("short_title", e.data["title"]),
                             primary=bool(e.data.get("primary"))) for e in by_kind.get("framework", [])}
    elements: dict[str, Element] = {}
    for e in by_kind.get("element", []):
        element = node(Element, e, key=e.id, framework=frameworks[e.parent.id])
        element.id = e.data["id"]
        elements[e.id] = element
        element.framework.elements.append(element)
    for element in elements.values():
        element.corresponds_to = [elements[k] for k in element.get("corresponds_to", [])]
        for target in element.corresponds_to:
            target.mirrored_by.append(element)

    experiences = {e.id: Experience(e.id, e.data["text"]) for e in by_kind.get("experience", [])}
    pillars: dict[str, Pillar] = {}
    for e in by_kind.get("pillar", []):
        lead = e.data["lead"]
        last = parse_date(e.data["last_reviewed"])
        pillar = node(Pillar, e, lead_role=lead["role"], lead=orgs.get(lead.get("organisation", "")),
                      accountable=bodies.get(e.data.get("accountable", "")), last_reviewed=last,
                      next_review=add_months(last, cadence) if last else None)
        pillars[pillar.id] = pillar
        if pillar.lead:
            pillar.lead.leads.append(pillar)
        if pillar.accountable:
            pillar.accountable.pillars.append(pillar)
        pillar.delivers = [experiences[x] for x in e.data.get("delivers", [])]
        for experience in pillar.delivers:
            experience.pillars.append(pillar)

    places = {e.id: node(Place, e) for e in by_kind.get("place", [])}
    phases = [node(Phase, e, start=parse_date(e.data.get("start")), end=month_end(e.data.get("end")))
              for e in by_kind.get("phase", [])]
    engagement, insights = _heard(by_kind, node, {ph.id: ph for ph in phases})
    priorities: dict[str, Priority] = {}
    actions: dict[str, Action] = {}
    for e in by_kind.get("priority", []):
        priority = _priority(node(Priority, e), pillars[e.parent.id], orgs, bodies, measures, elements)
        priorities[priority.id] = priority
        _place(priority, places)
        priority.responds_to = [insights[x] for x in e.data.get("responds_to", [])]
        for insight in priority.responds_to:
            insight.responses.append(priority)
    for e in by_kind.get("action", []):
        parent = priorities[e.parent.id]
        action = node(Action, e, priority=parent, owner=orgs[e.data["owner"]],
                      due=parse_date(e.data["due"]), status=e.data["status"])
        action.illustrative = action.illustrative or parent.illustrative
        actions[action.id] = action
        parent.actions.append(action)
        action.owner.actions.append(action)
        action.places = [places[x] for x in e.data.get("places", [])] or parent.places
        for place in action.places:
            place.actions.append(action)

    reviews = sorted((_review(node(Review, e), bodies, priorities) for e in by_kind.get("review", [])),
                     key=lambda r: (r.date or date.min, r.id))
    reviews_by_id = {r.id: r for r in reviews}
    items: dict[str, Node] = {**measures, **actions, **priorities}  # a priority wins a shared id
    decisions = {e.id: _decision(node(Decision, e), reviews_by_id[e.parent.id], orgs, bodies, items)
                 for e in by_kind.get("decision", [])}
    _link_decisions(decisions, reviews)
    for holder in [*bodies.values(), *priorities.values(), *measures.values()]:
        holder.decisions.sort(key=Decision.order)
    escalations = [_escalation(item, bodies) for item in [*priorities.values(), *actions.values()]
                   if item.get("escalation")]
    escalations.sort(key=lambda x: (x.on or date.min, x.item.id), reverse=True)
    glossary = [e.data for e in by_kind.get("term", [])]
    sources = {e.id: e.source.rel for e in found if e.kind in ("pillar", "framework", "review")}
    sources.update({s.kind: s.rel for s in loaded.sources if s.kind not in ("pillar", "framework", "review")})
    targets = {"pillar": pillars, "priority": priorities, "body": bodies, "organisation": orgs,
               "measure": measures, "framework": frameworks, "place": places}
    for phase in phases:
        for output in phase.get("outputs", []):
            kind, _, id_ = output.get("see", "").partition(":")
            phase.outputs.append((output["text"], id_ if kind == "page" else targets.get(kind, {}).get(id_)))
    return Roadmap(programme, as_at, statuses(), orgs, bodies, measures, frameworks, elements, pillars,
                   priorities, actions, reviews, glossary, sources,
                   sorted(decisions.values(), key=Decision.order), escalations,
                   experiences=experiences, phases=phases, places=places, engagement=engagement,
                   insights=insights, site_url=site_url(loaded.root), publisher=loaded.publisher,
                   file_digests={s.rel: s.digest for s in loaded.sources})


def _priority(priority: Priority, pillar: Pillar, orgs: dict[str, Organisation],
              bodies: dict[str, Body], measures: dict[str, Measure],
              elements: dict[str, Element]) -> Priority:
    data = priority.data
    priority.pillar = pillar
    priority.illustrative = priority.illustrative or pillar.illustrative
    pillar.priorities.append(priority)
    priority.owner = orgs[data["owner"]]
    priority.owner.owns.append(priority)
    priority.contributors = [orgs[o] for o in data.get("contributors", [])]
    for org in priority.contributors:
        org.contributes.append(priority)
    priority.accountable = bodies.get(data.get("accountable", "")) or pillar.accountable
    if priority.accountable:
        priority.accountable.priorities.append(priority)
    for item in data["aligns_to"]:
        alignment = Alignment(priority, elements[item["to"]], item.get("rationale", ""))
        priority.alignments.append(alignment)
        alignment.element.alignments.append(alignment)
    priority.start = parse_date(data["timeframe"]["start"])
    priority.end = month_end(data["timeframe"]["end"])
    priority.status = data["status"]
    priority.measures = [measures[m] for m in data.get("measures", [])]
    for measure in priority.measures:
        measure.priorities.append(priority)
    for commitment in data.get("commitments", []):
        org = orgs[commitment["organisation"]]
        priority.commitments.append((org, commitment))
        org.commitments.append((priority, commitment))
    evaluation = data.get("evaluation") or {}
    priority.evaluator = bodies.get(evaluation.get("body", ""))
    if priority.evaluator:
        priority.evaluator.evaluates.append(priority)
    return priority


def _heard(by_kind: dict[str, list[Any]], node: Any,
           phases: dict[str, Phase]) -> tuple[dict[str, Engagement], dict[str, Insight]]:
    """Who was heard, and what they said."""
    engagement = {e.id: node(Engagement, e, phase=phases.get(e.data.get("phase", "")),
                             start=parse_date(e.data.get("start")), end=month_end(e.data.get("end")))
                  for e in by_kind.get("engagement", [])}
    insights = {e.id: node(Insight, e) for e in by_kind.get("insight", [])}
    for insight in insights.values():
        insight.heard_in = [engagement[x] for x in insight.get("heard_in", [])]
        for round_ in insight.heard_in:
            round_.insights.append(insight)
    return engagement, insights


def _place(priority: Priority, places: dict[str, Place]) -> None:
    """Where a priority and each of its commitments happen; without `places`, system-wide."""
    priority.places = [places[x] for x in priority.get("places", [])]
    for place in priority.places:
        place.priorities.append(priority)
    for org, data in priority.commitments:
        commitment = Commitment(priority, org, data,
                                [places[x] for x in data.get("places", [])] or priority.places)
        priority.partner_commitments.append(commitment)
        org.partner_commitments.append(commitment)
        for place in commitment.places:
            place.commitments.append(commitment)


def _review(review: Review, bodies: dict[str, Body], priorities: dict[str, Priority]) -> Review:
    review.date = parse_date(review.data["date"])
    review.body = bodies[review.data["body"]]
    review.body.reviews.append(review)
    review.answers = [(a["question"], a["answer"]) for a in review.get("answers", [])]
    review.gists = {a["question"]: a.get("gist") or gist(a["answer"]) for a in review.get("answers", [])}
    for change in review.get("status_changes", []):
        priority = priorities[change["priority"]]
        review.status_changes.append((priority, change))
        priority.reviews.append((review, change))
    return review


def _decision(decision: Decision, review: Review, orgs: dict[str, Organisation],
              bodies: dict[str, Body], items: dict[str, Node]) -> Decision:
    data = decision.data
    decision.title = data["text"]
    decision.text = data["text"]
    decision.review = review
    decision.illustrative = decision.illustrative or review.illustrative
    review.decisions.append(decision)
    decision.owner = orgs[data["owner"]]
    decision.asked_of = bodies[data["asked_of"]]
    decision.asked_of.decisions.append(decision)
    decision.due = parse_date(data["due"])
    decision.status = data["status"]
    decision.outcome = data.get("outcome", "")
    decision.concerns = [items[i] for i in data.get("concerns", [])]
    # A priority shows the decisions about it and its actions; a measure, those about it.
    touched = {id(n): n for n in (getattr(i, "priority", None) or i for i in decision.concerns)}
    for holder in touched.values():
        holder.decisions.append(decision)
    return decision


def _link_decisions(decisions: dict[str, Decision], reviews: list[Review]) -> None:
    for decision in decisions.values():
        decision.follows_up = decisions.get(decision.get("follows_up", ""))
        if decision.follows_up:
            decision.follows_up.followed_by.append(decision)
    for review in reviews:
        review.carried_forward = [decisions[i] for i in review.get("carried_forward", [])]
        for decision in review.carried_forward:
            decision.carried_by.append(review)


def _escalation(item: Priority | Action, bodies: dict[str, Body]) -> Escalation:
    data = item.get("escalation")
    escalation = Escalation(item, bodies[data["to"]], parse_date(data["date"]), data["why"], data["asks"],
                            bool(data.get("illustrative")) or item.illustrative)
    item.escalation = escalation
    escalation.to.escalations.append(escalation)
    return escalation
