"""The one pipeline every front door uses: load → check → resolve → render → write."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.check import check, has_errors
from generator.findings import Finding
from generator.history import read_history
from generator.load import load
from generator.model import Roadmap, resolve
from generator.render import OUTPUT, pages
from generator.write import WriteReport, write


@dataclass
class Result:
    findings: list[Finding]
    roadmap: Roadmap | None = None
    pages: dict[str, str] = field(default_factory=dict)
    report: WriteReport | None = None

    @property
    def ok(self) -> bool:
        return self.roadmap is not None


def run(root: Path) -> Result:
    """Check the roadmap and, if it has no errors, resolve and render it (nothing is written)."""
    loaded = load(root)
    findings = check(loaded)
    if has_errors(findings):
        return Result(findings)
    roadmap = resolve(loaded)
    return Result(findings, roadmap, pages(roadmap, read_history(root)))


# The last successful generation, by roadmap root: the MkDocs hook generates first, and
# the macros module reads the model from here instead of loading the roadmap again.
LATEST: dict[Path, Result] = {}


def generate(root: Path, docs: Path) -> Result:
    """Run the pipeline and write the pages into docs/roadmap/ (the generator's own folder)."""
    result = run(root)
    if result.ok:
        prefix = OUTPUT + "/"
        result.report = write({k.removeprefix(prefix): v for k, v in result.pages.items()},
                              docs / OUTPUT)
        LATEST[root.resolve()] = result
    return result
