"""`roadmap diff`: what a change does to the roadmap, in plain words, as Markdown.

Each side (a roadmap folder, or a git revision) is read and checked exactly as
`roadmap check` does (`generator.versions`); entities are matched by kind and id,
following `renamed_from`, and every difference becomes one phrase under its pillar or
section (`report`, in the words of `words`). Text taken from the YAML goes through the
site's one escaping function, so the summary is safe to publish (for example in a pull
request's job summary).

    folder or revision ─ roadmap_at ─▶ path ─ read_side ─▶ Side ─ changes ─▶ [Change] ─ render ─▶ Markdown
"""

from __future__ import annotations

from contextlib import ExitStack

from generator.diff.report import render
from generator.versions import WORKING_TREE, read_side, roadmap_at
from generator.versions import DiffError as DiffError  # what the CLI catches


def run(base: str, head: str | None = None, root_name: str = "roadmap", folders: bool = False) -> str:
    """Compare two versions of the roadmap; HEAD defaults to the working tree's roadmap folder.
    BASE and HEAD are git revisions, or folders when `folders` is set."""
    with ExitStack() as stack:
        before = stack.enter_context(roadmap_at(base, root_name, folders))
        after = stack.enter_context(roadmap_at(head, root_name, folders))
        return render(read_side(before, base), read_side(after, head or WORKING_TREE))
