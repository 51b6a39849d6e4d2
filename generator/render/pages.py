"""The pages stage: every generated page of the resolved roadmap, as tasks the pipeline runs
(generator/pipeline.py runs them beside the open-data files of generator/export.py)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from generator import boardpack
from generator import model as m
from generator.addresses import page_of
from generator.history import History
from generator.load import gc_paused
from generator.render import _page, parts, reuse, sections, task, views, workers
from generator.texts import Text


def tasks(roadmap: m.Roadmap, history: History | None = None) -> list[workers.Task]:
    """Each page to make, in an order that keeps workers busy: the few big pages first, so
    no worker is left making one alone at the end."""
    history = history or History(False, "No history was read for this build.")
    made = reuse.sharing(views.tasks, roadmap, _page, history)
    made += reuse.sharing(boardpack.tasks, roadmap, _page, history)
    made += [task(_page, template, page_of(node), roadmap, history=history, **{kind: node})
             for kind, template, items in _entity_pages(roadmap) for node in items]
    # A partner's page at scale lists thousands of actions, and names the pillars it leads
    # at the end: in two parts, a pillar's new title remakes the end only.
    made += [t for org in roadmap.organisations.values()
             for t in sections("organisation.md.j2", page_of(org), roadmap, ("head", "rest"),
                               history=history, org=org)]
    return made


def pages(roadmap: m.Roadmap, history: History | None = None) -> dict[str, str]:
    """Every generated page (no downloads), keyed by its docs-relative path, in a stable order."""
    with gc_paused():  # a fifth of a large render went on collections that found little
        made = [(path, Text(text)) for pages in workers.run([t.make for t in tasks(roadmap, history)])
                for path, text in pages]
        return {path: text.value() for path, text in sorted(parts.joined(made))}


def _entity_pages(roadmap: m.Roadmap) -> Iterable[tuple[str, str, Iterable[Any]]]:
    yield "pillar", "pillar.md.j2", roadmap.pillars.values()
    yield "priority", "priority.md.j2", roadmap.priorities.values()
    yield "body", "body.md.j2", roadmap.bodies.values()
    yield "measure", "measure.md.j2", roadmap.measures.values()
    yield "place", "place.md.j2", roadmap.places.values()
    yield "framework", "framework.md.j2", roadmap.frameworks.values()
    yield "element", "element.md.j2", roadmap.elements.values()
