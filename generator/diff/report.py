"""The report of `roadmap diff`: entities matched across the two sides (following
`renamed_from`), each difference placed under its pillar or section, and the Markdown.

    Side, Side ─ changes ─▶ [Change] ─ render ─▶ Markdown
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from generator.collect import Entity
from generator.diff.words import (
    Names,
    code,
    dicts,
    field_changes,
    named,
    show_day,
    show_month,
    strs,
    text,
    title_of,
)
from generator.kinds import KIND_WORDS
from generator.versions import Key, Side

# Sections after the pillars, in order; pillars, priorities and actions go under their pillar.
SECTIONS: dict[str, tuple[int, str]] = {
    "body": (1, "Governance"), "measure": (2, "Measures"), "organisation": (3, "Organisations"),
    "framework": (4, "Frameworks"), "element": (4, "Frameworks"), "review": (5, "Reviews"),
    "decision": (5, "Reviews"),
    "programme": (6, "Programme"), "phase": (6, "Programme"), "question": (6, "Programme"),
    "experience": (6, "Programme"), "place": (6, "Programme"),
    "engagement": (6, "Programme"), "insight": (6, "Programme"),
    "term": (7, "Glossary"),
}
_RANK = {"framework": 0, "element": 1, "programme": 0, "experience": 1, "phase": 2, "place": 3,
         "engagement": 4, "insight": 5, "question": 6, "decision": 1}
MAX_ERRORS = 50


# ---------------------------------------------------------------- matching entities

@dataclass(frozen=True)
class Change:
    section: tuple[int, int, str]  # (section order, pillar position, pillar id)
    order: tuple[str, int, str]
    text: str
    verb: str  # added, removed or changed

    @property
    def key(self) -> tuple[tuple[int, int, str], tuple[str, int, str]]:
        return self.section, self.order


def renames(base: Side, head: Side) -> dict[Key, Key]:
    """old key → new key, for each entity whose new version lists the old id in renamed_from."""
    found: dict[Key, Key] = {}
    for key, entity in head.items.items():
        for old in strs(entity.data.get("renamed_from")):
            if (entity.kind, old) in base.items and (entity.kind, old) not in head.items:
                found[entity.kind, old] = key
    return found


@dataclass(frozen=True)
class Matcher:
    """Where each entity belongs in the report, with renames followed."""

    base: Side
    head: Side
    renamed: dict[Key, Key]

    def current(self, kind: str, id_: str) -> str:
        return self.renamed.get((kind, id_), (kind, id_))[1]

    @cached_property
    def pillars(self) -> dict[str, int]:
        order = [k[1] for k in self.head.items if k[0] == "pillar"]
        order += [self.current("pillar", k[1]) for k in self.base.items if k[0] == "pillar"]
        return {id_: i for i, id_ in enumerate(dict.fromkeys(order))}

    def placed(self, entity: Entity) -> tuple[tuple[int, int, str], tuple[str, int, str]]:
        if entity.kind in SECTIONS:
            return (SECTIONS[entity.kind][0], 0, ""), ("", _RANK.get(entity.kind, 0), entity.id)
        chain = [entity]
        while chain[-1].parent is not None:
            chain.append(chain[-1].parent)
        pillar = self.current("pillar", chain[-1].id)
        section = (0, self.pillars.get(pillar, 0), pillar)
        if entity.kind == "pillar":
            return section, ("", 0, "")
        priority = self.current("priority", chain[-2].id)
        return section, (priority, int(entity.kind == "action"), entity.id if entity.kind == "action" else "")


def _parent_move(old: Entity, new: Entity, match: Matcher, names: Names) -> list[str]:
    if old.parent is None or new.parent is None:
        return []
    if match.current(old.parent.kind, old.parent.id) == new.parent.id:
        return []
    word = KIND_WORDS.get(new.parent.kind, new.parent.kind)
    return [f"moved from {word} {names.name(old.parent.kind, old.parent.id)} to "
            f"{names.name(new.parent.kind, new.parent.id)}"]


def _heading(entity: Entity, names: Names, old_id: str | None = None, verb: str = "") -> str:
    noun = KIND_WORDS.get(entity.kind, entity.kind)
    ids = code(entity.id) + (f", renamed from {code(old_id)}" if old_id else "")
    lead = f"{verb} {noun}" if verb else noun[0].upper() + noun[1:]
    return f"{lead} **{text(title_of(entity))}**" + (f" ({ids})" if entity.kind != "programme" else "")


def _bullet(head: str, phrases: list[str]) -> str:
    if not phrases:
        return f"- {head}"
    if len(phrases) == 1:
        return f"- {head}: {phrases[0]}"
    return "\n".join([f"- {head}:", *(f"    - {p}" for p in phrases)])  # 4 spaces suit every Markdown


def _added_details(entity: Entity, names: Names) -> list[str]:
    data = entity.data
    if entity.kind == "priority":
        frame = data.get("timeframe") if isinstance(data.get("timeframe"), dict) else {}
        owner = names.name("organisation", data.get("owner"))
        return [f"owned by {owner}, {names.status(data.get('status'))}, "
                f"{show_month(frame.get('start'))} to {show_month(frame.get('end'))}"]
    if entity.kind == "action":
        return [f"owned by {names.name('organisation', data.get('owner'))}, due {show_day(data.get('due'))}, "
                f"{names.status(data.get('status'))}"]
    if entity.kind == "body" and data.get("reports_to"):
        return [f"reports to {names.name('body', data.get('reports_to'))}"]
    if entity.kind == "decision":
        follows = data.get("follows_up")
        return [f"asked of {names.name('body', data.get('asked_of'))}, owned by "
                f"{names.name('organisation', data.get('owner'))}, due {show_day(data.get('due'))}, "
                f"{text(data.get('status'))}" + (f"; follows up {names.name('decision', follows)}"
                                                   if follows else "")]
    if entity.kind == "framework":
        count = len(dicts(data.get("elements")))
        return [f"with {count} element{'s' * (count != 1)}"]
    if entity.kind == "review":
        answers, changes = len(dicts(data.get("answers"))), len(dicts(data.get("status_changes")))
        return [f"held by {names.name('body', data.get('body'))} on {show_day(data.get('date'))}; answers "
                f"{answers} learning question{'s' * (answers != 1)} and records {changes} status "
                f"change{'s' * (changes != 1)}"]
    return []


def _inside(path: str, files: set[str]) -> bool:
    return path.split("/", 1)[-1] in {f.split("/", 1)[-1] for f in files}


def _shown(entity: Entity, other: Side) -> bool:
    """False for what the report leaves out: an element of a framework added or removed as a whole
    (the framework's line counts them), and items of a file the other side could not read."""
    whole = entity.kind == "element" and entity.parent is not None and entity.parent.key not in other.items
    return not whole and not _inside(entity.source.rel, other.unreadable)


def _changed(old: Entity, new: Entity, match: Matcher, names: Names) -> Change | None:
    phrases = _parent_move(old, new, match, names) + field_changes(old.data, new.data, names, new.kind)
    old_id = old.id if old.id != new.id else None
    if not phrases and old_id is None:
        return None
    return Change(*match.placed(new), _bullet(_heading(new, names, old_id), phrases), "changed")


def changes(base: Side, head: Side) -> list[Change]:
    """Every added, removed, renamed or changed entity, in report order."""
    names, renamed = Names(base, head), renames(base, head)
    match = Matcher(base, head, renamed)
    pairs = {key: head.items.get(renamed.get(key, key)) for key in base.items}
    found = [_changed(base.items[key], new, match, names) for key, new in pairs.items() if new]
    found += [Change(*match.placed(old), _bullet(_heading(old, names, verb="Removed"), []), "removed")
              for key, old in base.items.items() if pairs[key] is None and _shown(old, head)]
    matched = {renamed.get(key, key) for key in base.items}
    found += [Change(*match.placed(new), _bullet(_heading(new, names, verb="Added"),
                                                 _added_details(new, names)), "added")
              for key, new in head.items.items() if key not in matched and _shown(new, base)]
    return sorted((c for c in found if c is not None), key=lambda c: c.key)


# ---------------------------------------------------------------- the report

def _section_title(section: tuple[int, int, str], names: Names) -> str:
    order, _, pillar = section
    if order == 0:
        return f"Pillar: {names.name('pillar', pillar)} ({code(pillar)})"
    return next(title for rank, title in SECTIONS.values() if rank == order)


def check_lines(base: Side, head: Side) -> list[str]:
    """Whether the change turns the check from passing to failing (or back), with the new errors."""
    before, after = base.errors, head.errors
    new = [after[k] for k in sorted(after, key=lambda k: after[k]) if k not in before]
    if not before and not after:
        return ["The roadmap check passes before and after this change."]
    if not after:
        return [f"**This change makes the roadmap check pass.** It failed before with {len(before)} "
                f"error{'s' * (len(before) != 1)}."]
    lines = ["**This change makes the roadmap check fail.** New errors:" if not before else
             "The roadmap check fails before and after this change." +
             (" New errors:" if new else " It brings no new errors.")]
    if new:
        lines += ["", *(f"- {text(f.text())}" for f in new[:MAX_ERRORS])]
        lines += [f"- … and {len(new) - MAX_ERRORS} more"] if len(new) > MAX_ERRORS else []
    return lines


def _tally(found: list[Change]) -> str:
    counts = {verb: sum(c.verb == verb for c in found) for verb in ("added", "removed", "changed")}
    return ", ".join(f"{n} {verb}" for verb, n in counts.items() if n)


def render(base: Side, head: Side) -> str:
    """The whole report as Markdown."""
    found, names = changes(base, head), Names(base, head)
    lines = ["## Changes to the roadmap", "",
             f"Comparing {named(base.label)} (before) with {named(head.label)} (after)."]
    if not found and base.errors.keys() == head.errors.keys():
        lines += ["", "No changes to the roadmap."]
        lines += ["", *check_lines(base, head)] if head.errors else []
        return "\n".join(lines)
    lines[-1] += f" In all: {_tally(found)}." if found else ""
    lines += ["", *check_lines(base, head)]
    lines += [f"\n{text(path)} cannot be read {when} this change, so what changed in it is not shown."
              for when, side in (("before", base), ("after", head)) for path in sorted(side.unreadable)]
    section: tuple[int, int, str] | None = None
    for change in found:
        if change.section != section:
            section = change.section
            lines += ["", f"### {_section_title(section, names)}", ""]
        lines.append(change.text)
    return "\n".join(lines)
