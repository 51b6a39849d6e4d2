"""What the board pack says, worked out once from the model: the asks and the exceptions
first, then the detail. The templates (board-pack.md.j2 and pillar-pack.md.j2) only lay it out.

A pack is for the whole roadmap or for one pillar. The main pack stays a few pages at any
size: each list in its summary names at most LIST_CAP items (then says how many more and
where they are), and beyond DETAIL_PILLARS pillars the detail moves to the pillar packs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from markupsafe import Markup

from generator import model as m
from generator.addresses import OUTPUT
from generator.dates import parse_date
from generator.history import Change, History
from generator.render import escape_text, task
from generator.render.workers import Task

MAIN_PAGE = f"{OUTPUT}/board-pack.md"  # docs-relative; the site page is roadmap/board-pack/
MAIN_PDF = f"{OUTPUT}/board-pack.pdf"  # site-relative
LIST_CAP = 12  # items named in each list of the summary
DETAIL_PILLARS = 8  # up to this many pillars, the main pack has each pillar's detail
PILLAR_PDFS = 8  # up to this many pillars, `roadmap build` prints every pillar pack too
ATTENTION = ("off-track", "at-risk")


def pillar_page(pillar_id: str) -> str:
    return f"{OUTPUT}/board-pack/{pillar_id}.md"


def pillar_pdf(pillar_id: str) -> str:
    return f"{OUTPUT}/board-pack/{pillar_id}.pdf"


@dataclass(frozen=True)
class Capped:
    """A list as the summary shows it: the first LIST_CAP items and how many more."""

    shown: list[Any]
    more: int = 0

    @classmethod
    def of(cls, items: list[Any], cap: int = LIST_CAP) -> Capped:
        return cls(items[:cap], max(0, len(items) - cap))

    def __bool__(self) -> bool:
        return bool(self.shown)

    @property
    def total(self) -> int:
        return len(self.shown) + self.more


@dataclass
class Summary:
    """The first pages of a pack: what needs the board's attention, for one scope."""

    pillars: list[m.Pillar]
    priorities: list[m.Priority]
    totals: list[tuple[m.Status, int]]
    attention: Capped  # off-track then at-risk priorities
    overdue: Capped  # open actions past their due date
    off_course: Capped  # measures whose trajectory is away from the target
    reviews_due: Capped  # pillars past their review date
    review: m.Review | None  # the last review
    at_review: Capped  # the status changes it recorded
    since_review: Capped  # status changes in the history since then
    history: bool  # whether the build could read the history
    illustrative: bool  # any content in scope is illustrative
    measures: list[m.Measure] = field(default_factory=list)


def summary(roadmap: m.Roadmap, history: History, pillar: m.Pillar | None = None) -> Summary:
    """The summary of the whole roadmap, or of one pillar."""
    pillars = [pillar] if pillar else list(roadmap.pillars.values())
    priorities = [p for pl in pillars for p in pl.priorities]
    in_scope = {p.id for p in priorities}
    counts: dict[str, int] = {}
    for p in priorities:
        counts[p.status] = counts.get(p.status, 0) + 1
    totals = [(s, counts[s.id]) for s in roadmap.statuses.values() if counts.get(s.id)]
    rank = {status: i for i, status in enumerate(ATTENTION)}
    attention = sorted((p for p in priorities if p.status in rank), key=lambda p: rank[p.status])
    overdue = [a for a in roadmap.overdue() if a.priority and a.priority.id in in_scope]
    measures = list(dict.fromkeys(ms for p in priorities for ms in p.measures))
    off_course = [ms for ms in measures if ms.trend.off]
    reviews_due = [pl for pl in roadmap.reviews_due() if pl in pillars]
    at_review, since_review = _moved(roadmap, history, in_scope)
    actions = [a for p in priorities for a in p.actions]
    illustrative = any(n.illustrative for n in [*pillars, *priorities, *actions, *measures])
    return Summary(pillars, priorities, totals, Capped.of(attention), Capped.of(overdue),
                   Capped.of(off_course), Capped.of(reviews_due),
                   roadmap.reviews[-1] if roadmap.reviews else None, Capped.of(at_review),
                   Capped.of(since_review), history.available, illustrative, measures)


@dataclass(frozen=True)
class Moved:
    """One status change: what, from what to what, and when (if the history says)."""

    item: m.Priority | m.Action
    old: str
    new: str
    when: date | None = None
    reason: str = ""


def _moved(roadmap: m.Roadmap, history: History, in_scope: set[str]) -> tuple[list[Moved], list[Moved]]:
    """The status changes the last review recorded, and those the history shows since it
    (newest first; none when the site is built without its git history)."""
    last = roadmap.reviews[-1] if roadmap.reviews else None
    at_review = [Moved(p, c["from"], c["to"], last.date, c.get("reason", ""))
                 for p, c in (last.status_changes if last else []) if p.id in in_scope]
    since = last.date if last and last.date else None
    found = [_from_change(roadmap, c) for c in history.changes
             if c.field == "status" and (since is None or c.when > since)]
    return at_review, [x for x in found[::-1] if x and _priority_of(x.item).id in in_scope]


def _from_change(roadmap: m.Roadmap, change: Change) -> Moved | None:
    table: dict[str, Any] = {"priority": roadmap.priorities, "action": roadmap.actions}
    item = table.get(change.kind, {}).get(change.id)
    if item is None or change.old not in roadmap.statuses or change.new not in roadmap.statuses:
        return None
    return Moved(item, change.old, change.new, change.when)


def _priority_of(item: m.Priority | m.Action) -> m.Priority:
    return item if isinstance(item, m.Priority) else item.priority  # type: ignore[return-value]


def _long(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


MEETING: dict[str, str] = {}  # `roadmap build --meeting` sets "meeting" for one build


def meeting(roadmap: m.Roadmap) -> tuple[str, m.Body | None]:
    """The meeting the pack is for, in words, and the body it is made for (programme.yaml's
    `board_pack`; `roadmap build --meeting` overrides the words)."""
    settings = roadmap.programme.get("board_pack") or {}
    return (MEETING.get("meeting") or settings.get("meeting", ""),
            roadmap.bodies.get(settings.get("body", "")))


def _for_board(roadmap: m.Roadmap) -> set[m.Body]:
    """The bodies whose asks the main pack puts first: the top of the governance and the
    body the pack is made for."""
    body = meeting(roadmap)[1]
    return {*roadmap.top_bodies, *([body] if body else [])}


def publisher(roadmap: m.Roadmap) -> str:
    """The organisation that publishes the roadmap: the programme's own organisation."""
    org = roadmap.organisations.get(roadmap.programme.get("organisation", ""))
    return org.title if org else str(roadmap.programme.get("title", ""))


@dataclass(frozen=True)
class Pack:
    """One printable pack: its page in the site, its PDF, and the PDF's metadata."""

    page: str  # site-relative HTML file the pack is printed from
    pdf: str  # site-relative PDF file
    title: str
    subject: str
    linked_from: tuple[str, ...]  # site-relative HTML files that offer the PDF


def _html(docs_page: str) -> str:
    """The built HTML file of a docs-relative Markdown page (use_directory_urls)."""
    stem = docs_page.removesuffix(".md")
    return "index.html" if stem == "index" else f"{stem.removesuffix('/index')}/index.html"


def packs(roadmap: m.Roadmap, pillar_ids: list[str] | None = None) -> list[Pack]:
    """The packs `roadmap build` prints: the main pack, and each pillar's pack while there
    are few pillars (or the pillars asked for)."""
    title = str(roadmap.programme["title"])
    found = []
    if pillar_ids is None:
        found.append(Pack(_html(MAIN_PAGE), MAIN_PDF, f"Board pack: {title}",
                          f"The board pack as at {_long(roadmap.as_at)}",
                          ("index.html", _html(MAIN_PAGE), f"{OUTPUT}/governance/index.html")))
        pillar_ids = list(roadmap.pillars) if len(roadmap.pillars) <= PILLAR_PDFS else []
    for pid in pillar_ids:
        pillar = roadmap.pillars[pid]
        found.append(Pack(_html(pillar_page(pid)), pillar_pdf(pid), f"Pillar pack: {pillar.title}",
                          f"{title}: the pack for one pillar as at {_long(roadmap.as_at)}",
                          (_html(pillar_page(pid)), f"{OUTPUT}/pillars/{pid}/index.html")))
    return found


ALL_ACTIONS = 80  # up to this many actions, the main pack's appendix lists every one


def day(value: Any) -> Markup:
    """A long date ("31 August 2026") from a date or a YYYY-MM-DD text, or a month ("August
    2026") from YYYY-MM; with no-break spaces, so a date is never split across lines."""
    if isinstance(value, str) and (parsed := parse_date(value)):
        value = f"{parsed:%B %Y}" if len(value) == 7 else _long(parsed)
    elif isinstance(value, date):
        value = _long(value)
    return Markup(str(escape_text(value)).replace(" ", "&nbsp;"))


def asks(roadmap: m.Roadmap, pillar: m.Pillar | None = None) -> Capped:
    """Open decisions for the pack's readers: those asked of a body at the top of the
    governance or of the body the pack is made for; for a pillar pack, those about its
    priorities asked of its accountable body or one above it, and those about nothing in
    particular asked of its accountable body."""
    decisions = roadmap.open_decisions()
    if pillar is None:
        board = _for_board(roadmap)
        return Capped.of([d for d in decisions if d.asked_of in board])
    chain = set(pillar.accountable.chain()) if pillar.accountable else set()
    mine = set(pillar.priorities)
    return Capped.of([d for d in decisions if d.asked_of in chain and (
        mine.intersection(_concerned(d)) or (not d.concerns and d.asked_of is pillar.accountable))])


def escalations(roadmap: m.Roadmap, pillar: m.Pillar | None = None) -> Capped:
    """Escalations of work not yet complete, newest first: those made to a body at the top
    of the governance or to the body the pack is made for; for a pillar pack, every
    escalation of its priorities and actions."""
    live = [e for e in roadmap.escalations if e.item.status != "complete"]
    if pillar is None:
        board = _for_board(roadmap)
        return Capped.of([e for e in live if e.to in board])
    return Capped.of([e for e in live if _priority_of(e.item).pillar is pillar])


def _concerned(decision: m.Decision) -> list[m.Priority]:
    found = []
    for item in decision.concerns:
        if isinstance(item, m.Priority):
            found.append(item)
        elif isinstance(item, m.Action) and item.priority:
            found.append(item.priority)
        else:
            found.extend(getattr(item, "priorities", []))
    return found


PAPER_CSS = f"{OUTPUT}/paper.css"  # docs-relative; listed in mkdocs.yml's extra_css


def css_string(text: str) -> str:
    """A CSS string literal for any text: quotes, backslashes, control characters, the
    characters of markup and anything beyond ASCII are written as escapes, so no text can
    end the string or the rule."""
    return '"' + "".join(f"\\{ord(c):x} " if c in '"\\<>&{}' or not 0x20 <= ord(c) < 0x7F else c
                         for c in text) + '"'


def paper_css(roadmap: m.Roadmap) -> str:
    """The running footer of every printed page: the roadmap's title and its as-at date.
    (The page number is in docs/assets/print.css.)"""
    footer = f"{roadmap.programme['title']} \u00b7 as at {_long(roadmap.as_at)}"
    return ("/* Made by the roadmap generator from programme.yaml: the footer of printed pages. */\n"
            f"@media print {{\n  @page {{ @bottom-left {{ content: {css_string(footer)}; }} }}\n}}\n")


def tasks(roadmap: m.Roadmap, page: Any, history: History) -> list[Task]:
    """The main pack and one pack per pillar, each to be made later (see render.workers).
    Each works out what it shows when it is made, so a pillar's pack reads only what it
    shows (render/inputs.py) and is not made again for an edit in another pillar."""

    made = [task(_main_pack, page, roadmap, history),
            Task("paper-css", lambda: [(PAPER_CSS, paper_css(roadmap))])]
    made += [task(_pillar_pack, page, roadmap, history, pillar)
             for pillar in roadmap.pillars.values()]
    return made


def _shared(roadmap: m.Roadmap) -> dict[str, Any]:
    return {"publisher": publisher(roadmap), "main_page": MAIN_PAGE, "main_pdf": MAIN_PDF,
            "overdue_ids": {a.id for a in roadmap.overdue()}, "day": day}


def _main_pack(page: Any, roadmap: m.Roadmap, history: History) -> tuple[str, str]:
    whole = summary(roadmap, history)
    detail = len(roadmap.pillars) <= DETAIL_PILLARS
    main = {"s": whole, "asks": asks(roadmap), "meeting": meeting(roadmap),
            "escalations": escalations(roadmap), "detail": detail,
            "all_actions": len(roadmap.actions) <= ALL_ACTIONS,
            "pillar_measures": {pl.id: list(dict.fromkeys(ms for p in pl.priorities for ms in p.measures))
                                for pl in whole.pillars} if detail else {},
            "attention_pillars": Capped.of([pl for pl in whole.pillars
                                            if any(p.status in ATTENTION for p in pl.priorities)])}
    return page("board-pack.md.j2", MAIN_PAGE, roadmap, **_shared(roadmap), **main)


def _pillar_pack(page: Any, roadmap: m.Roadmap, history: History, pillar: m.Pillar) -> tuple[str, str]:
    return page("pillar-pack.md.j2", pillar_page(pillar.id), roadmap, **_shared(roadmap), pillar=pillar,
                pillar_pdf=pillar_pdf(pillar.id), asks=asks(roadmap, pillar),
                escalations=escalations(roadmap, pillar),
                s=summary(roadmap, history, pillar))
