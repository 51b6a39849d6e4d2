"""What the front doors of one process hand to each other, in one object: `HANDOVER`.

MkDocs loads the hook (generator/hooks.py) and the mkdocs-macros module
(generator/macros.py) as separate modules, and `roadmap build` runs MkDocs in its own
process after generating; whatever one of them passes to another goes through here.

Producers:
- `roadmap build` (generator/cli.py) generates, then `offer`s the result, so the hook need
  not make every page again: a build runs the pipeline once.
- The MkDocs hook's on_config (generator/hooks.py) `take`s the offered result if no source
  changed since, or else generates; either way it `publish`es what this build publishes.
- The hook's on_startup `start`s a session: whether MkDocs is serving (its live-reload
  script needs the pages without a content security policy), and for
  `mkdocs serve --dirty` the quick-preview state kept across rebuilds (generator/preview.py).

Consumers:
- The hook's later events: `latest` (the glossary's acronyms, the preview's page titles, the
  board packs' PDFs), `serving` and `preview`.
- generator/macros.py: `roadmap`, the model of the latest published result; under Zensical,
  which runs no hooks, its own run of the pipeline, kept while the sources' stamp stays.
- generator/site.py: `latest`, to print the board packs after a builder other than MkDocs.

Results are kept by the roadmap's folder, so two roadmaps built in one process never mix.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from generator import pipeline
from generator.model import Roadmap
from generator.pipeline import Result, Stamp, stamp

if TYPE_CHECKING:  # the preview needs MkDocs, which Zensical's macros never load
    from generator.preview import Preview


class Handover:
    """The build state shared by the CLI, the MkDocs hook and the macros module."""

    def __init__(self) -> None:
        self._latest: dict[Path, Result] = {}
        self._offered: dict[tuple[Path, Path], tuple[Stamp, Result]] = {}
        self._made_here: dict[Path, tuple[Stamp, Result]] = {}  # by the macros, without a hook
        self.serving = False
        self.preview: Preview | None = None

    def offer(self, root: Path, docs: Path, result: Result) -> None:
        """`roadmap build`: the result it has just generated into `docs`, for the hook to take."""
        self._offered[root.resolve(), docs.resolve()] = (stamp(root), result)
        self.publish(root, result)

    def take(self, root: Path, docs: Path) -> Result | None:
        """The hook: the result offered for these folders, once, and only if no source changed."""
        offered = self._offered.pop((root.resolve(), docs.resolve()), None)
        return offered[1] if offered and offered[0] == stamp(root) else None

    def publish(self, root: Path, result: Result) -> None:
        """The result the current build publishes; one with errors publishes nothing."""
        if result.ok:
            self._latest[root.resolve()] = result

    def latest(self, root: Path) -> Result | None:
        """The last result published for this roadmap in this process, if any."""
        return self._latest.get(root.resolve())

    def roadmap(self, root: Path) -> Roadmap:
        """The model for the macros: the published one, or (with no hook) a run of the
        pipeline, made again only when the sources change. ValueError if it has errors."""
        result = self.latest(root)
        if result is None:
            key, now = root.resolve(), stamp(root)
            made = self._made_here.get(key)
            result = made[1] if made and made[0] == now else pipeline.run(root)
            self._made_here[key] = (now, result)
        if result.roadmap is None:
            raise ValueError("the roadmap has errors; run `roadmap check` to see them")
        return result.roadmap

    def start(self, serving: bool, preview: Preview | None) -> None:
        """The hook, as MkDocs starts: a new build or serving session."""
        self.serving = serving
        self.preview = preview


HANDOVER = Handover()  # the one instance: MkDocs' hook and the macros module import it separately
