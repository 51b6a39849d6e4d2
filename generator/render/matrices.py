"""What the alignment and accountability matrices show: frameworks in column groups, the
gaps in each framework's coverage, and who does what for each priority."""

from __future__ import annotations

from generator import model as m


def columns(roadmap: m.Roadmap) -> list[m.Framework]:
    """The frameworks after the primary one, each a column of the alignment matrix: those
    whose recommendations correspond to the primary framework's elements first."""
    rest = [f for f in roadmap.frameworks.values() if not f.primary]
    return sorted(rest, key=lambda f: not any(e.corresponds_to for e in f.elements))


def aligned(priority: m.Priority, frameworks: list[m.Framework]) -> list[m.Element]:
    """The elements of these frameworks that a priority aligns to, in framework order."""
    wanted = {id(f) for f in frameworks}
    return [a.element for a in priority.alignments
            if a.element.framework and id(a.element.framework) in wanted]


def gaps(framework: m.Framework) -> list[m.Element]:
    """The framework's elements that no priority aligns to."""
    return [e for e in framework.elements if not e.alignments]




def roles(org: m.Organisation, priority: m.Priority) -> list[str]:
    """What an organisation does for a priority, in words ("Leads", "Contributes", ...)."""
    found = []
    if priority.owner is org:
        found.append("Leads")
    if org in priority.contributors:
        found.append("Contributes")
    if any(o is org for o, _ in priority.commitments):
        found.append("Commits capacity")
    return found


def partners(roadmap: m.Roadmap) -> list[m.Organisation]:
    """The organisations that lead, contribute to or commit capacity to any priority."""
    return [o for o in roadmap.organisations.values() if o.owns or o.contributes or o.commitments]


def abbreviation(org: m.Organisation) -> str:
    """A short column heading: the organisation's short name, or its first word and the
    initials of the rest ("Northshire County Council" -> "Northshire CC")."""
    if org.short_name:
        return org.short_name
    words = org.title.split()
    if len(words) <= 2:
        return org.title
    return words[0] + " " + "".join(w[0] for w in words[1:] if w[0].isupper())
