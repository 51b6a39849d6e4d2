"""`roadmap new`: add a pillar, priority, action, measure, organisation or governance body.

The new item has every required field. Wherever a person must write something it holds
a placeholder beginning "TODO"; wherever the schema needs a reference or a fixed word it
holds a real value (the first organisation, the top governance body, "not-started")
with a TODO comment beside it, so the roadmap still passes `roadmap check` at once.

Files are edited in ruamel.yaml's round-trip mode, so comments, quoting and layout
survive; the result is written atomically (a temporary file, then os.replace), and an
existing item or file is never replaced.

    request ─ Known (what the roadmap holds) ─ plan (file + item) ─ edit ─ write ─▶ Created
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML, YAMLError
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString
from ruamel.yaml.util import load_yaml_guess_indent

from generator.check.schema import contents
from generator.collect import Entity, entities
from generator.dates import add_months, month_end, parse_date
from generator.kinds import KIND_WORDS, NEW_KINDS
from generator.load import kind_of, load, parse_source, pointer_join
from generator.model import statuses
from generator.write import atomic_write

KINDS = NEW_KINDS
# Where the one-list files keep their items (places and insights are lists in programme.yaml).
HOMES = {"measure": ("measures.yaml", "measures"), "organisation": ("organisations.yaml", "organisations"),
         "body": ("governance.yaml", "bodies"), "place": ("programme.yaml", "places"),
         "insight": ("programme.yaml", "insights")}
_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
EXIT_ERRORS, EXIT_USAGE = 1, 2


def _or(words: list[str]) -> str:
    return ", ".join(words[:-1]) + f" or {words[-1]}" if len(words) > 1 else "".join(words)


def choices(field: str) -> str:
    """The allowed values of a field, read from the schema so they can never drift from it."""
    if field == "status":
        return _or(list(statuses()))
    schema, key = {"cadence": ("governance", "bodies"), "kind": ("organisations", "organisations"),
                   "unit": ("measures", "measures"), "direction": ("measures", "measures")}[field]
    items = contents(f"{schema}.schema.json")["properties"][key]["items"]
    return _or(items["properties"][field]["enum"])


class ScaffoldError(Exception):
    """The item cannot be added; exit_code 1 for a clash with the roadmap, 2 for a bad request."""

    def __init__(self, message: str, exit_code: int = EXIT_ERRORS) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class Request:
    kind: str
    title: str
    id: str | None = None
    pillar: str | None = None
    priority: str | None = None


@dataclass(frozen=True)
class Created:
    kind: str
    id: str
    path: str  # as shown in findings: relative to the roadmap folder's parent
    line: int

    def report(self) -> str:
        return (f"Created {KIND_WORDS[self.kind]} '{self.id}' in {self.path} at line {self.line}.\n"
                "Fill in every value marked TODO (and check the values with a TODO comment), "
                "then run `roadmap check`.")


def slugify(title: str) -> str:
    """An id from a title: lowercase ASCII letters and digits joined by single hyphens."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:64].rstrip("-")


# ---------------------------------------------------------------- what the roadmap holds

@dataclass(frozen=True)
class Known:
    root: Path
    items: list[Entity]

    def of(self, kind: str) -> list[Entity]:
        return [e for e in self.items if e.kind == kind]

    def find(self, kind: str, id_: str) -> Entity | None:
        return next((e for e in self.items if e.key == (kind, id_)), None)

    def first(self, kind: str) -> str:
        found = self.of(kind)
        if not found:
            raise ScaffoldError(f"the roadmap has no {KIND_WORDS[kind]} yet; add one first "
                                f"(`roadmap new {kind}`), or start a new roadmap with `roadmap init`")
        return found[0].id

    def top_body(self) -> str:
        tops = [b.id for b in self.of("body") if not isinstance(b.data.get("reports_to"), str)]
        return tops[0] if tops else self.first("body")

    def primary_element(self) -> str:
        elements = self.of("element")
        primary = [e for e in elements if e.parent and e.parent.data.get("primary") is True]
        if not (primary or elements):
            raise ScaffoldError("the roadmap has no framework elements to align to; add a framework first")
        return (primary or elements)[0].id

    def as_at(self) -> date:
        programme = self.find("programme", "programme")
        return parse_date(programme.data.get("as_at") if programme else None) or date.today()

    def path(self, entity: Entity) -> Path:
        return self.root.parent / entity.source.rel

    def where(self, entity: Entity) -> str:
        line, col = entity.source.where(pointer_join(entity.pointer, "id"))
        return f"{entity.source.rel}:{line}:{col}"


def _known(root: Path) -> Known:
    return Known(root.resolve(), list(entities(load(root).sources)))


def _new_id(request: Request, known: Known) -> str:
    title = " ".join(request.title.split())
    if not title or len(title) > 160:
        raise ScaffoldError("give a --title of 1 to 160 characters", EXIT_USAGE)
    new_id = request.id if request.id is not None else slugify(title)
    if not new_id:
        raise ScaffoldError(f"cannot make an id from the title '{title}'; give one with --id", EXIT_USAGE)
    if not _ID.match(new_id) or len(new_id) > 64:
        raise ScaffoldError(f"'{new_id}' cannot be an id: use lowercase letters, digits and single "
                            "hyphens, at most 64 characters (give one with --id)", EXIT_USAGE)
    _refuse_taken(request.kind, new_id, known)
    return new_id


def _a(word: str) -> str:
    return f"{'an' if word[0] in 'aeiou' else 'a'} {word}"


def _refuse_taken(kind: str, new_id: str, known: Known) -> None:
    word = KIND_WORDS[kind]
    existing = known.find(kind, new_id)
    if existing is not None:
        raise ScaffoldError(f"{known.where(existing)}: there is already {_a(word)} with the id "
                            f"'{new_id}'; nothing was changed. Choose another --id")
    for entity in known.of(kind):
        if new_id in (entity.data.get("renamed_from") or []):
            raise ScaffoldError(f"{known.where(entity)}: '{new_id}' is an old id of the {word} "
                                f"'{entity.id}' (renamed_from), so it cannot be used again; "
                                "nothing was changed. Choose another --id")


def _parent(kind: str, wanted: str | None, option: str, known: Known) -> Entity:
    if not wanted:
        raise ScaffoldError(f"say which {KIND_WORDS[kind]} it belongs to with {option} ID", EXIT_USAGE)
    found = known.find(kind, wanted)
    if found is None:
        ids = ", ".join(e.id for e in known.of(kind)) or "none"
        raise ScaffoldError(f"there is no {KIND_WORDS[kind]} '{wanted}'; the {KIND_WORDS[kind]} ids "
                            f"are: {ids}", EXIT_USAGE)
    return found


# ---------------------------------------------------------------- the new items

def _todo(what: str) -> str:
    return f"TODO - {what}"


def _map(*pairs: tuple[str, Any], flow: bool = False) -> CommentedMap:
    item = CommentedMap(pairs)
    if flow:
        item.fa.set_flow_style()
    return item


_RESOLVER = yaml.resolver.Resolver()


def read_back_as_text(value: str) -> bool:
    """Whether the check's YAML 1.1 loader reads `value`, written plain, as this same text:
    `no`, `Off`, `On`, `012`, `1:20` or `null` would come back as a boolean, number or nothing."""
    return _RESOLVER.resolve(yaml.ScalarNode, value, (True, False)) == "tag:yaml.org,2002:str"


def _quoted(node: Any) -> Any:
    """Every text value of a new item that a plain scalar would not keep as text, quoted;
    so `roadmap new --title no` writes title: "no", not the boolean false."""
    if isinstance(node, CommentedMap):
        for key, value in node.items():
            node[key] = _quoted(value)
    elif isinstance(node, CommentedSeq):
        for i, value in enumerate(node):
            node[i] = _quoted(value)
    elif type(node) is str and not read_back_as_text(node):
        return DoubleQuotedScalarString(node)
    return node


def _plain(value: Any) -> str:
    """A value as written: a quoted one with its quotes."""
    return f'"{value}"' if isinstance(value, DoubleQuotedScalarString) else str(value)


def _note(item: CommentedMap, column: int, notes: dict[str, str]) -> CommentedMap:
    """A TODO comment after each named value; `column` is where the item's keys start."""
    _quoted(item)
    for key, text in notes.items():
        value = item[key]
        shown = value.isoformat() if isinstance(value, date) else \
            f"[{', '.join(map(_plain, value))}]" if isinstance(value, list) else _plain(value)
        width = column + len(key) + 2 + len(shown)
        item.yaml_add_eol_comment(f"# TODO: {text}", key, column=width + 2)
    return item


def _months(known: Known) -> tuple[str, str]:
    start = known.as_at().replace(day=1)
    return f"{start:%Y-%m}", f"{add_months(start, 11):%Y-%m}"


def new_priority(new_id: str, title: str, known: Known, pillar: dict[str, Any] | None,
                 column: int) -> CommentedMap:
    start, end = _months(known)
    item = _map(("id", new_id), ("title", title),
                ("summary", _todo("what the priority is for, in one or two sentences.")),
                ("owner", known.first("organisation")))
    if not (pillar or {}).get("accountable"):
        item["accountable"] = known.first("body")
    item["aligns_to"] = CommentedSeq([_map(("to", DoubleQuotedScalarString(known.primary_element())),
                                           ("rationale", _todo("why this priority serves that element.")))])
    item["timeframe"] = _map(("start", start), ("end", end), flow=True)
    notes = {"owner": "the organisation that leads it (an id from organisations.yaml)",
             "status": choices("status")}
    if _offer(item, "places", known.of("place")):
        notes["places"] = "where the work happens (ids from programme.yaml); leave it out if system-wide"
    item["status"] = "not-started"
    if _offer(item, "responds_to", known.of("insight")):
        notes["responds_to"] = "what was heard that it responds to (ids of insights in programme.yaml)"
    if "accountable" in item:
        notes["accountable"] = "the body that holds it to account (an id from governance.yaml)"
    return _note(item, column, notes)


def _offer(item: CommentedMap, key: str, found: list[Entity]) -> bool:
    """An optional list of references, filled with the first the roadmap holds, if any."""
    if found:
        item[key] = CommentedSeq([found[0].id])
        item[key].fa.set_flow_style()
    return bool(found)


def new_action(new_id: str, title: str, known: Known, priority: Entity, column: int) -> CommentedMap:
    owner = priority.data.get("owner")
    frame = priority.data.get("timeframe")
    due = month_end(frame.get("end")) if isinstance(frame, dict) else None
    item = _map(("id", new_id), ("title", title),
                ("owner", owner if known.find("organisation", owner) else known.first("organisation")),
                ("due", due or known.as_at()), ("status", "not-started"))
    return _note(item, column, {"owner": "the organisation that delivers it",
                                "due": "the date it is due (YYYY-MM-DD)", "status": choices("status")})


def new_measure(new_id: str, title: str, known: Known, column: int) -> CommentedMap:
    item = _map(("id", new_id), ("title", title),
                ("definition", _todo("exactly what is measured, as the source defines it.")),
                ("source", _todo("where the numbers come from.")), ("unit", "count"), ("direction", "higher"))
    return _note(item, column, {"unit": choices("unit"),
                                "direction": f"{choices('direction')}, whichever is better"})


def new_organisation(new_id: str, title: str, known: Known, column: int) -> CommentedMap:
    return _note(_map(("id", new_id), ("name", title), ("kind", "other")), column,
                 {"kind": choices("kind")})


def new_body(new_id: str, title: str, known: Known, column: int) -> CommentedMap:
    item = _map(("id", new_id), ("name", title), ("purpose", _todo("what the body is for.")),
                ("cadence", "as-needed"), ("reports_to", known.top_body()))
    return _note(item, column, {"cadence": choices("cadence"),
                                "reports_to": "the body this one reports to (an id from governance.yaml)"})


def new_pillar(new_id: str, title: str, known: Known) -> CommentedMap:
    lead = _map(("role", _todo("the role that leads the pillar, for example Chief People Officer.")),
                ("organisation", known.first("organisation")))
    item = _map(("id", new_id), ("title", title),
                ("summary", _todo("one sentence a board member can read aloud.")), ("lead", lead),
                ("accountable", known.first("body")))
    _offer(item, "delivers", known.of("experience"))  # which part of the vision the pillar serves
    item["last_reviewed"] = known.as_at()
    priority_id = _free_id(f"{new_id}-first-priority"[:57].rstrip("-"), "priority", known)
    first = new_priority(priority_id, _todo("the title of the pillar's first priority."), known, item, 4)
    item["priorities"] = CommentedSeq([first])
    item.yaml_set_comment_before_after_key("priorities", before="\n")
    _note(lead, 2, {"organisation": "the organisation the lead works for"})
    notes = {"accountable": "the body that holds the pillar to account"}
    if "delivers" in item:
        notes["delivers"] = "the vision experiences it serves (ids from programme.yaml)"
    return _note(item, 0, notes)


def _free_id(base: str, kind: str, known: Known) -> str:
    candidates = [base, *(f"{base}-{n}" for n in range(2, 100))]
    return next(c for c in candidates if known.find(kind, c) is None)


# ---------------------------------------------------------------- editing files

def _yaml(text: str = "") -> YAML:
    yaml = YAML()  # round-trip: comments, quoting and layout are kept
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long line
    try:
        _, sequence, offset = load_yaml_guess_indent(text) if text else (None, 4, 2)
    except YAMLError:
        sequence, offset = None, None
    sequence, offset = sequence or 4, offset if offset is not None else 2
    yaml.indent(mapping=max(sequence - offset, 2), sequence=sequence, offset=offset)
    return yaml


def _read(path: Path, rel: str) -> tuple[YAML, Any, str]:
    try:
        text = path.read_text("utf-8").removeprefix("\ufeff")
        yaml = _yaml(text)
        return yaml, yaml.load(text), text
    except (OSError, UnicodeDecodeError, YAMLError) as err:
        raise ScaffoldError(f"{rel}: cannot read the file ({err}); run `roadmap check` and fix it "
                            "first. Nothing was changed") from err


def _dump(yaml: YAML, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _comments_kept(before: str, after: str) -> bool:
    """Every comment line of the old text is still there, in the same order."""
    remaining = iter(after.splitlines())
    return all(any(line == kept for kept in remaining) for line in before.splitlines()
               if line.lstrip().startswith("#"))


def _append(seq: CommentedSeq, item: CommentedMap, text: str) -> None:
    if seq.fa.flow_style():
        seq.fa.set_block_style()
    if len(seq) >= 2 and _blank_before(seq, len(seq) - 1, text):
        item.yaml_set_start_comment("\n")  # the file separates items with a blank line
    seq.append(item)


def _blank_before(seq: CommentedSeq, index: int, text: str) -> bool:
    try:
        line = seq.lc.item(index)[0]
    except (AttributeError, KeyError, TypeError):
        return False
    lines = text.splitlines()
    return 0 < line < len(lines) + 1 and not lines[line - 1].strip()


def _list(container: CommentedMap, key: str, after: tuple[str, ...] = ()) -> CommentedSeq:
    """The list at key, made (after the last of `after` present) when it is missing."""
    if not isinstance(container.get(key), list):
        place = max((i + 1 for i, k in enumerate(container) if k in after), default=len(container))
        container.insert(place, key, CommentedSeq())
    return container[key]


def _edit(path: Path, rel: str, change: Callable[[Any, str], None]) -> None:
    yaml, data, text = _read(path, rel)
    if not isinstance(data, CommentedMap):
        raise ScaffoldError(f"{rel}: the file does not hold a mapping; fix it first. Nothing was changed")
    change(data, text)
    result = _dump(yaml, data)
    if not _comments_kept(text, result):
        raise ScaffoldError(f"{rel}: the item cannot be added without disturbing the file's comments; "
                            "add it by hand. Nothing was changed")
    atomic_write(path, result)


# ---------------------------------------------------------------- each kind

def _rel(known: Known, path: Path) -> str:
    return path.relative_to(known.root.parent).as_posix()


def _add_pillar(new_id: str, title: str, known: Known) -> Path:
    path = known.root / "pillars" / f"{new_id}.yaml"
    if path.exists():
        raise ScaffoldError(f"{_rel(known, path)}:1:1: the file already exists; nothing was changed. "
                            "Choose another --id")
    schema = os.path.relpath(known.root.parent / "schema" / "pillar.schema.json", path.parent)
    item = new_pillar(new_id, title, known)
    item.yaml_set_start_comment(f"yaml-language-server: $schema={Path(schema).as_posix()}\n"
                                f"Pillar: {title}. Fill in every value marked TODO.\n\n")
    path.parent.mkdir(exist_ok=True)
    atomic_write(path, _dump(_yaml(), item))
    return path


def _add_priority(new_id: str, request: Request, known: Known) -> Path:
    pillar = _parent("pillar", request.pillar, "--pillar", known)
    path = known.path(pillar)

    def change(data: CommentedMap, text: str) -> None:
        item = new_priority(new_id, request.title, known, data, 4)
        _append(_list(data, "priorities"), item, text)
    _edit(path, pillar.source.rel, change)
    return path


def _add_action(new_id: str, request: Request, known: Known) -> Path:
    priority = _parent("priority", request.priority, "--priority", known)
    path = known.path(priority)

    def change(data: CommentedMap, text: str) -> None:
        target = next((p for p in data.get("priorities") or [] if isinstance(p, dict)
                       and p.get("id") == priority.id), None)
        if not isinstance(target, CommentedMap):
            raise ScaffoldError(f"{priority.source.rel}: cannot find the priority '{priority.id}' in "
                                "the file; run `roadmap check` and fix it first. Nothing was changed")
        actions = _list(target, "actions", after=("status", "measures"))
        _append(actions, new_action(new_id, request.title, known, priority, 8), text)
    _edit(path, priority.source.rel, change)
    return path


def new_place(new_id: str, title: str, known: Known, column: int) -> CommentedMap:
    item = _map(("id", new_id), ("name", title), ("description", _todo("what the place is, in a sentence.")))
    return _note(item, column, {})  # quoted: `roadmap new place --title No` names a place "No"


def new_insight(new_id: str, title: str, known: Known, column: int) -> CommentedMap:
    item = _map(("id", new_id), ("title", title), ("summary", _todo("what people said, in plain words.")))
    heard = _offer(item, "heard_in", known.of("engagement"))  # priorities then name it in responds_to
    notes = {"heard_in": "the engagement it came from (ids from engagement)"} if heard else {}
    return _note(item, column, notes)


_MAKERS: dict[str, Callable[[str, str, Known, int], CommentedMap]] = {
    "measure": new_measure, "organisation": new_organisation, "body": new_body, "place": new_place,
    "insight": new_insight}


def _add_listed(new_id: str, request: Request, known: Known) -> Path:
    name, key = HOMES[request.kind]
    path = known.root / name
    if not path.is_file():
        raise ScaffoldError(f"{_rel(known, path)} does not exist; the roadmap needs one. "
                            "To start a roadmap from nothing, run `roadmap init`", EXIT_USAGE)

    def change(data: CommentedMap, text: str) -> None:
        _append(_list(data, key), _MAKERS[request.kind](new_id, request.title, known, 4), text)
    _edit(path, _rel(known, path), change)
    return path


def _located(known: Known, path: Path, kind: str, new_id: str) -> Created:
    rel = _rel(known, path)
    source, _ = parse_source(path.read_bytes(), rel, kind_of(path.relative_to(known.root).as_posix()) or "")
    found = next((e for e in entities([source]) if e.key == (kind, new_id)), None) if source else None
    line = found.source.where(pointer_join(found.pointer, "id"))[0] if found else 1
    return Created(kind, new_id, rel, line)


def scaffold(root: Path, request: Request) -> Created:
    """Add one new item to the roadmap in `root`; raises ScaffoldError and changes nothing on a clash."""
    if request.kind not in KINDS:
        raise ScaffoldError(f"cannot add a '{request.kind}'; choose one of {', '.join(KINDS)}", EXIT_USAGE)
    known = _known(root)
    new_id = _new_id(request, known)
    title = " ".join(request.title.split())
    request = Request(request.kind, title, new_id, request.pillar, request.priority)
    if request.kind == "pillar":
        path = _add_pillar(new_id, title, known)
    elif request.kind == "priority":
        path = _add_priority(new_id, request, known)
    elif request.kind == "action":
        path = _add_action(new_id, request, known)
    else:
        path = _add_listed(new_id, request, known)
    return _located(known, path, request.kind, new_id)

