"""`roadmap review new`: scaffold the next review entry, ready to fill in.

The new file answers each learning question with a placeholder, and lists as comments
the changes recorded since the previous review, so the body holding the review starts
from what actually moved. Every decision still open is carried forward by id, and every
open escalation is listed, so the review must close or carry each one (rule H008).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from generator.history import describe, read_history
from generator.model import Roadmap
from generator.neutral import neutral
from generator.write import atomic_write


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def _comment(text: str) -> str:
    """A YAML comment that stays one comment: a line break in a title (or a character YAML
    or an editor takes for one) would otherwise start a line of live data in the new file."""
    return f"# {neutral(text.replace(chr(10), ' '))}"


def scaffold(roadmap: Roadmap, root: Path, day: date) -> str:
    """The YAML text of a new review held on `day`."""
    previous = roadmap.reviews[-1] if roadmap.reviews else None
    body = previous.body.id if previous and previous.body else roadmap.top_bodies[0].id
    since = previous.date if previous else None
    titles = {s.id: s.title for s in roadmap.statuses.values()}
    history = read_history(root)
    changes = [c for c in history.changes if since is None or c.when > since]
    lines = [
        "# yaml-language-server: $schema=../../schema/review.schema.json",
        f"# Review held on {day.isoformat()}. Replace every TODO, then open a pull request.",
        f"# Changes recorded since the previous review ({since or 'the start'}):",
        *(_comment(f"  {c.when} {c.kind} {c.id}: {describe(c, titles)}") for c in changes),
        *([_comment(f"  ({history.note or 'none recorded'})")] if not changes else []),
        f"id: {day.isoformat()}-review",
        f"date: {day.isoformat()}",
        f"title: {_quote(f'Review of {day:%B %Y}')}",
        f"body: {body}",
        'summary: "TODO: what the review concluded, in a sentence or two."',
        "answers:",
    ]
    for question in roadmap.programme["learning_questions"]:
        lines += ["  " + _comment(question["question"]), f"  - question: {question['id']}",
                  '    answer: "TODO: what the review found."']
    lines += _carried(roadmap)
    lines += [
        "# Each decision: id, text, owner (organisation), asked_of (body), concerns (ids), due, status",
        "# (open, done or dropped, with an outcome once closed) and, if it continues one, follows_up.",
        "decisions: []",
        "status_changes: []",
    ]
    return "\n".join(lines) + "\n"


def _carried(roadmap: Roadmap) -> list[str]:
    """The open decisions, carried forward by id, and the open escalations, as comments."""
    open_ = roadmap.open_decisions()
    lines = [
        "# Decisions still open. Close each one where it was taken (status done or dropped, with an",
        "# outcome) and remove its id here, or keep it here to carry it forward.",
        "carried_forward:" + ("" if open_ else " []"),
    ]
    for decision in open_:
        due = decision.due.isoformat() if decision.due else "no date"
        lines += ["  " + _comment(decision.text),
                  f"  #   asked of {decision.asked_of.id}, owner {decision.owner.id}, due {due}, "
                  f"from {decision.review.id}",
                  f"  - {decision.id}"]
    if roadmap.escalations:
        lines += ["# Escalations still open: record each body's answer as a decision (concerns: [the",
                  "# item]), and remove the escalation from the item once it is resolved."]
    for escalation in roadmap.escalations:
        on = escalation.on.isoformat() if escalation.on else "no date"
        lines += [_comment(f"  {escalation.item.id}: escalated to {escalation.to.id} on {on}. "
                           f"Asked: {escalation.asks}")]
    return lines


def create(roadmap: Roadmap, root: Path, day: date) -> Path:
    """Write the scaffold as reviews/<date>-review.yaml; never overwrites an existing file."""
    path = root / "reviews" / f"{day.isoformat()}-review.yaml"
    if path.exists():
        raise FileExistsError(f"{path} already exists; edit it, or choose another date with --date")
    atomic_write(path, scaffold(roadmap, root, day))
    return path
