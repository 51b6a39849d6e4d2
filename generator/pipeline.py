"""The one pipeline every front door uses:

    load → check → resolve → render pages | render data → write

load (generator/load.py) reads the YAML; check (generator/check/) finds every problem;
resolve (generator/model.py) links the items into one model; the two output stages make
the pages (generator/render/pages.py) and the open-data files (generator/export.py) side
by side from that model; write (generator/write.py) puts them in the docs folder. Nothing
here keeps state between runs: the front doors pass results on through
generator/handover.py.
"""

from __future__ import annotations

import os
from contextlib import nullcontext
from dataclasses import astuple, dataclass, field, replace
from datetime import date
from functools import partial
from pathlib import Path

from generator import export
from generator.addresses import OUTPUT
from generator.cache import Cache, digest
from generator.check import check, has_errors
from generator.check.placeholders import REVIEW_PLACEHOLDER
from generator.check.schema import SCHEMA_DIR
from generator.findings import Finding
from generator.history import History, read_history
from generator.load import AS_AT_ENV, Loaded, gc_paused, load_as_at
from generator.model import Roadmap, resolve
from generator.render import inputs, pages, parts, reuse, workers
from generator.siteconfig import CONFIG, site_config
from generator.texts import Text, Texts
from generator.write import WriteReport, write


@dataclass
class Result:
    findings: list[Finding]
    roadmap: Roadmap | None = None
    pages: Texts = field(default_factory=Texts)  # pages and downloads, by docs-relative path
    report: WriteReport | None = None
    reused: tuple[int, int] | None = None  # tasks of pages taken from the cache, and made again
    later: int = 0  # pages a quick run showed as they were: the next run makes them

    @property
    def ok(self) -> bool:
        return self.roadmap is not None


def run(root: Path, quick: bool = False, cache: Cache | None = None) -> Result:
    """Check the roadmap and, if it has no errors, resolve and render it (nothing is written).
    `quick`: slow pages may be as they were (generator/render/reuse.py), for a preview."""
    cache = Cache.for_root(root) if cache is None else cache
    loaded = load_as_at(root)
    findings = checked(loaded, cache)
    # A review is the record of what a body found: one whose answers are placeholders is
    # never published, though the check only warns while it is being written.
    findings = [replace(f, severity="error") if f.code == REVIEW_PLACEHOLDER else f for f in findings]
    if has_errors(findings):
        return Result(findings)
    with gc_paused():  # the model is thousands of linked objects, all kept: nothing to collect
        roadmap = resolve(loaded)
    history = read_history(root).with_reviews(roadmap.reviews)
    return Result(findings, roadmap, render(roadmap, history, cache, quick), reused=cache.reused,
                  later=cache.later)


def checked(loaded: Loaded, cache: Cache) -> list[Finding]:
    """`check`, or its findings for the very same files last time. The check reads nothing
    but what was loaded, the date it checks as at, and whether schema/ is beside the roadmap.
    When a file changed, the check's own cache runs the rules that read one file on the
    changed files only (generator/check/perfile.py)."""
    name = digest("check", repr(sorted((s.rel, s.digest) for s in loaded.sources)),
                  repr(loaded.findings), os.environ.get(AS_AT_ENV, ""), date.today().isoformat(),
                  str(loaded.root), str((loaded.root.parent / "schema").is_dir()))
    kept = cache.get(name)
    if isinstance(kept, list):
        return [Finding(*f) for f in kept]
    findings = check(loaded, cache)
    cache.put(name, [astuple(f) for f in findings])
    return findings


def render(roadmap: Roadmap, history: History | None = None, cache: Cache | None = None,
           quick: bool = False) -> Texts:
    """Both output stages, merged by docs-relative path: the pages and the open-data files.
    They share one pool of workers (generator/render/workers.py), the downloads first, as
    they are the biggest task, so no worker is left making them alone at the end. With a
    cache, a task whose inputs are as they were is taken from it (generator/render/reuse.py)."""
    history = history or History(False, "No history was read for this build.")
    # Noting starts before the tasks are made: what is worked out once for many pages while
    # making them (the timeline's span, the periods of the history) is an input of each.
    with inputs.noting() if cache else nullcontext(), gc_paused():
        # (a fifth of a large render went on collections that found little)
        made = [workers.Task(f"downloads:{name}", partial(_download_part, name, roadmap, cache), whole=True)
                for name in export.PARTS]  # they read every item: noting each read is waste
        made += pages.tasks(roadmap, history)
        return Texts(dict(sorted(parts.joined(reuse.make(made, roadmap, history, cache, quick)))))


def _download_part(name: str, roadmap: Roadmap, cache: Cache | None) -> list[tuple[str, str]]:
    return list(export.part(name, roadmap, cache).items())


def generate(root: Path, docs: Path, quick: bool = False) -> Result:
    """Run the pipeline and write the pages into docs/roadmap/ (the generator's own folder),
    with the navigation and redirect map that mkdocs.yml inherits (generator/siteconfig.py):
    everything a builder needs, so any builder can run after it."""
    cache = Cache.for_root(root)
    result = run(root, quick, cache)
    if result.ok:
        assert result.roadmap is not None
        prefix = OUTPUT + "/"
        files = Texts({k.removeprefix(prefix): v for k, v in result.pages.files.items()}
                      | {CONFIG: Text(site_config(result.roadmap, cache))})
        out = docs / OUTPUT
        written = f"written-{out.resolve()}"  # what the files there held when last written
        marks = cache.get(written)
        result.report = write(files, out, marks)
        if result.report.marks != marks:
            cache.put(written, result.report.marks)
    return result


Stamp = tuple[tuple[str, int, int], ...]


def stamp(root: Path) -> Stamp:
    """The sources as they are on disk now: every file's path, size and change time."""
    return tuple(_state(p) for folder in (root, SCHEMA_DIR) for p in sorted(folder.rglob("*")))


def _state(path: Path) -> tuple[str, int, int]:
    try:
        status = path.stat()
    except OSError:  # a dangling link: the check reports it
        return str(path), -1, -1
    return str(path), status.st_size, status.st_mtime_ns
