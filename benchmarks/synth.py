"""Synthetic roadmaps N times the size of the shipped one, for the benchmark.

A synthetic roadmap at scale N is the shipped roadmap (`roadmap/`) with every pillar,
measure and review cloned N times under suffixed ids (`-c1` … `-cN`); each clone of a
pillar refers to the same clone of the measures, and each clone of a review changes the
status of the same clone of the priorities. Organisations, governance bodies, frameworks,
the programme and the glossary are shared by every clone (a bigger roadmap has more
work, not more national frameworks), so each synthetic roadmap passes `roadmap check`
with the same warnings as the shipped one, multiplied by N, and no errors.

The shipped roadmap has 13 priorities and 37 actions in 4 pillars; cloned 100 times that
is 1,300 priorities and 3,700 actions. The benchmark's 100x must reach 1,500 priorities
and 6,000 actions, so every clone of a pillar also gets `extra_priorities` more
priorities (copies of its first ones) and every priority `extra_actions` more actions
(copies of its last one). The defaults (1 and 1) make each clone 4 pillars, 17
priorities and 66 actions, the same at every N, so sizes stay exactly proportional.

    python benchmarks/synth.py 10 /tmp/roadmap-10x     # write a project folder
"""

from __future__ import annotations

import argparse
import copy
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

try:
    from yaml import CSafeDumper as _Dumper
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml missing
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "roadmap"
_SCHEMA_PATH = re.compile(r"\$schema=(?:\.\./)+schema/")
SHARED = ("programme.yaml", "organisations.yaml", "governance.yaml", "glossary.yaml", "frameworks")
_HEADER = "# yaml-language-server: $schema={up}schema/{kind}.schema.json\n"


@dataclass(frozen=True)
class Counts:
    """How big a roadmap is, in the units the benchmark reports."""

    pillars: int
    priorities: int
    actions: int
    measures: int
    reviews: int
    files: int
    yaml_bytes: int


def _read(path: Path) -> Any:
    return yaml.load(path.read_text("utf-8"), Loader=_Loader)  # the C *safe* loader


def _dump(data: Any, kind: str, depth: int, note: str) -> str:
    header = _HEADER.format(up="../" * depth, kind=kind)
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return f"{header}# {note}\n\n{body}"


def _suffix(value: str, copy_no: int) -> str:
    return f"{value}-c{copy_no}"


def _extra_action(action: dict[str, Any], n: int) -> dict[str, Any]:
    extra = copy.deepcopy(action)
    extra["id"] = f"{action['id']}-f{n}"
    extra["title"] = f"{action['title']} (follow-up {n})"
    return extra


def _extra_priority(priority: dict[str, Any], n: int) -> dict[str, Any]:
    extra = copy.deepcopy(priority)
    extra["id"] = f"{priority['id']}-x{n}"
    extra["title"] = f"{priority['title']} (extension {n})"
    for action in extra.get("actions", []):
        action["id"] = f"{action['id']}-x{n}"
    return extra


def _densify(pillar: dict[str, Any], extra_priorities: int, extra_actions: int) -> dict[str, Any]:
    """The pillar with more priorities per pillar and more actions per priority."""
    pillar = copy.deepcopy(pillar)
    originals = pillar["priorities"]
    extras = [_extra_priority(originals[i % len(originals)], i // len(originals) + 1)
              for i in range(extra_priorities)]
    pillar["priorities"] = originals + extras
    for priority in pillar["priorities"]:
        actions = priority.get("actions") or []
        if actions:
            priority["actions"] = actions + [_extra_action(actions[-1], n + 1) for n in range(extra_actions)]
    return pillar


def _clone_pillar(pillar: dict[str, Any], copy_no: int) -> dict[str, Any]:
    clone = copy.deepcopy(pillar)
    clone["id"] = _suffix(pillar["id"], copy_no)
    clone["title"] = f"{pillar['title']} (copy {copy_no})"
    for priority in clone["priorities"]:
        priority["id"] = _suffix(priority["id"], copy_no)
        if "measures" in priority:
            priority["measures"] = [_suffix(m, copy_no) for m in priority["measures"]]
        for action in priority.get("actions", []):
            action["id"] = _suffix(action["id"], copy_no)
    return clone


def _clone_measure(measure: dict[str, Any], copy_no: int) -> dict[str, Any]:
    clone = copy.deepcopy(measure)
    clone["id"] = _suffix(measure["id"], copy_no)
    clone["title"] = f"{measure['title']} (copy {copy_no})"
    return clone


def _clone_review(review: dict[str, Any], copy_no: int) -> dict[str, Any]:
    clone = copy.deepcopy(review)
    clone["id"] = _suffix(review["id"], copy_no)
    clone["title"] = f"{review['title']} (copy {copy_no})"
    for change in clone.get("status_changes", []):
        change["priority"] = _suffix(change["priority"], copy_no)
    for decision in clone.get("decisions", []):
        for key in ("id", "follows_up"):
            if key in decision:
                decision[key] = _suffix(decision[key], copy_no)
        decision["concerns"] = [_suffix(i, copy_no) for i in decision.get("concerns", [])]
    if "carried_forward" in clone:
        clone["carried_forward"] = [_suffix(i, copy_no) for i in clone["carried_forward"]]
    return clone


def synthesise(scale: int, dest: Path, source: Path = SHIPPED, extra_priorities: int = 1,
               extra_actions: int = 1) -> Counts:
    """Write a roadmap `scale` times the size of `source` into `dest` (a roadmap folder)."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    dest.mkdir(parents=True, exist_ok=True)
    for name in SHARED:
        src = source / name
        if src.is_dir():
            shutil.copytree(src, dest / name, dirs_exist_ok=True)
        elif src.is_file():
            shutil.copy2(src, dest / name)
    for path in dest.rglob("*.yaml"):  # a source elsewhere (a test fixture) points further up
        text = path.read_text("utf-8")
        up = "../" * len(path.relative_to(dest).parts)
        path.write_text(_SCHEMA_PATH.sub(f"$schema={up}schema/", text, count=1), "utf-8")

    note = f"Synthetic: the shipped roadmap cloned {scale} times, for the benchmark. Do not edit."
    pillars = [_densify(_read(p), extra_priorities, extra_actions)
               for p in sorted((source / "pillars").glob("*.yaml"))]
    (dest / "pillars").mkdir(exist_ok=True)
    for copy_no in range(1, scale + 1):
        for pillar in pillars:
            clone = _clone_pillar(pillar, copy_no)
            (dest / "pillars" / f"{clone['id']}.yaml").write_text(_dump(clone, "pillar", 2, note), "utf-8")

    measures = _read(source / "measures.yaml")
    measures["measures"] = [_clone_measure(m, copy_no) for copy_no in range(1, scale + 1)
                            for m in measures["measures"]]
    (dest / "measures.yaml").write_text(_dump(measures, "measures", 1, note), "utf-8")

    reviews = [_read(p) for p in sorted((source / "reviews").glob("*.yaml"))]
    (dest / "reviews").mkdir(exist_ok=True)
    for copy_no in range(1, scale + 1):
        for review in reviews:
            clone = _clone_review(review, copy_no)
            (dest / "reviews" / f"{clone['id']}.yaml").write_text(_dump(clone, "review", 2, note), "utf-8")
    return count(dest)


def count(root: Path) -> Counts:
    """Pillars, priorities, actions, measures and reviews in a roadmap folder."""
    pillars = [_read(p) for p in sorted((root / "pillars").glob("*.yaml"))]
    priorities = [q for p in pillars for q in p.get("priorities", [])]
    files = sorted(root.rglob("*.yaml"))
    return Counts(
        pillars=len(pillars), priorities=len(priorities),
        actions=sum(len(q.get("actions") or []) for q in priorities),
        measures=len(_read(root / "measures.yaml").get("measures", [])),
        reviews=len(list((root / "reviews").glob("*.yaml"))),
        files=len(files), yaml_bytes=sum(f.stat().st_size for f in files))


def project(dest: Path, roadmap: Path | None = None, scale: int = 1, source: Path = SHIPPED,
            **density: int) -> Path:
    """A throwaway MkDocs project in `dest`: the repository's site configuration, its
    hand-written pages and a roadmap (a copy of `roadmap`, or `source` made `scale` times as big).
    `generator` and `schema` are links to the repository's, so hooks, macros and rule
    E001's schema comments resolve as they do in the repository."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(REPO / "overrides", dest / "overrides")
    shutil.copytree(REPO / "docs", dest / "docs", ignore=shutil.ignore_patterns("roadmap"))
    for name in ("generator", "schema"):
        (dest / name).symlink_to(REPO / name, target_is_directory=True)
    if roadmap is not None:
        shutil.copytree(roadmap, dest / "roadmap")
    else:
        synthesise(scale, dest / "roadmap", source, **density)
    return dest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scale", type=int, help="how many times the shipped roadmap")
    parser.add_argument("dest", type=Path, help="an empty folder for the MkDocs project")
    args = parser.parse_args(argv)
    root = project(args.dest, scale=args.scale)
    print(count(root / "roadmap"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
