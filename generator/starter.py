"""`roadmap init [DIR]`: start a roadmap from nothing.

Writes the smallest roadmap that passes `roadmap check`: the programme, one organisation,
one governance body, one pillar with one priority, an empty list of measures and the
national frameworks (copies of the ones shipped with the tool, with their sources). Every
value a person must write holds a placeholder ("TODO: …"), which the check reports as a
warning until it is replaced; `roadmap new` then adds everything else.

Nothing is overwritten: a folder that already holds YAML is refused.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

from generator.scaffold import slugify
from generator.write import atomic_write

FRAMEWORKS = Path(__file__).parent / "starter" / "frameworks"
GLOSSARY = Path(__file__).parent / "starter" / "glossary.yaml"  # the frameworks' acronyms (W001)
PRIMARY = "ltwp"


class InitError(Exception):
    """The folder cannot be started (exit status 1)."""


@dataclass(frozen=True)
class Start:
    title: str = "TODO: the roadmap's title"
    organisation: str = "TODO: the organisation that leads the roadmap"
    day: date = date(2000, 1, 1)


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def _schema(name: str, depth: int) -> str:
    return f"# yaml-language-server: $schema={'../' * depth}schema/{name}.schema.json"


def _primary_elements() -> list[str]:
    data = yaml.safe_load((FRAMEWORKS / f"{PRIMARY}.yaml").read_text("utf-8"))
    return [e["id"] for e in data["elements"]]


def files(start: Start) -> dict[str, str]:
    """The starter roadmap's own files, by path inside the roadmap folder."""
    org = slugify(start.organisation) or "lead-organisation"
    if org.startswith("todo-"):
        org = "lead-organisation"
    day, month = start.day.isoformat(), start.day.isoformat()[:7]
    aligns = "\n".join(f'      - {{to: "{PRIMARY}:{e}", rationale: "TODO: why this priority serves it."}}'
                       for e in _primary_elements())
    return {
        "programme.yaml": f"""{_schema("programme", 1)}
# The programme: its title, vision, phases, learning questions and the date the roadmap speaks for.

title: {_q(start.title)}
organisation: {org}
summary: "TODO: one or two sentences on what the roadmap is for and who it is for."
vision:
  statement: "TODO: the vision, as agreed."
  experiences:
    - {{id: first-experience, text: "TODO: what staff and local people should experience."}}
phases:
  - id: first-phase
    title: "TODO: the first phase"
    summary: "TODO: what the phase sets out to do."
learning_questions:
  - id: working
    question: Is the work having the impact we sought?
as_at: {day}
review_cadence_months: 6
settings:
  due_soon_days: 90
  illustrative_allowed: false
  history_since: {day}  # changes to roadmap/ before this date (or commit) are not shown
""",
        "organisations.yaml": f"""{_schema("organisations", 1)}
# Every organisation that owns, contributes to or governs the work. Add more with `roadmap new organisation`.

organisations:
  - id: {org}
    name: {_q(start.organisation)}
    kind: integrated-care-board  # TODO: check the kind
""",
        "governance.yaml": f"""{_schema("governance", 1)}
# The governance bodies that hold the work to account. Add more with `roadmap new body`.

bodies:
  - id: programme-board
    name: "TODO: the board that oversees the roadmap"
    purpose: "TODO: what the board holds to account."
    members: [{org}]
    cadence: quarterly
""",
        "measures.yaml": f"""{_schema("measures", 1)}
# How progress is measured. Add one with `roadmap new measure`.

measures: []
""",
        "pillars/first-pillar.yaml": f"""{_schema("pillar", 2)}
# A pillar: a strategic theme with its priorities. Rename the file and the id together, or add
# pillars with `roadmap new pillar` and delete this one.

id: first-pillar
title: "TODO: the pillar's title"
summary: "TODO: one sentence a board member can read aloud."
lead: {{organisation: {org}, role: "TODO: the lead's role"}}
accountable: programme-board
last_reviewed: {day}
priorities:
  - id: first-priority
    title: "TODO: the priority's title"
    summary: "TODO: what the priority will change."
    owner: {org}
    aligns_to:
{aligns}
    timeframe: {{start: {month}, end: {month}}}  # TODO: when the work starts and ends (YYYY-MM)
    status: not-started
""",
    }


def init(root: Path, start: Start) -> list[Path]:
    """Write the starter roadmap into `root`; returns the files written, in order."""
    if root.exists() and not root.is_dir():
        raise InitError(f"{root} is a file, not a folder")
    if root.is_dir() and any(p.suffix in (".yaml", ".yml") for p in root.rglob("*")):
        raise InitError(f"{root} already holds a roadmap; nothing was changed. Start in an empty "
                        "folder, or move the old roadmap away first")
    written = []
    for rel, text in files(start).items():
        atomic_write(root / rel, text)
        written.append(root / rel)
    (root / "frameworks").mkdir(parents=True, exist_ok=True)
    for framework in sorted(FRAMEWORKS.glob("*.yaml")):
        shutil.copyfile(framework, root / "frameworks" / framework.name)
        written.append(root / "frameworks" / framework.name)
    shutil.copyfile(GLOSSARY, root / "glossary.yaml")
    written.append(root / "glossary.yaml")
    return written
