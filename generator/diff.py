"""`roadmap diff`: what a change does to the roadmap, in plain words, as Markdown.

Each side (a roadmap folder, or a git revision read into a temporary folder) is loaded
and checked exactly as `roadmap check` does. Entities are matched by kind and id,
following `renamed_from`, and every difference becomes one phrase under its pillar or
section. Text taken from the YAML goes through the site's one escaping function, so the
summary is safe to publish (for example in a pull request's job summary).

    folder or revision ─ roadmap_at ─▶ path ─ read_side ─▶ Side ─ changes ─▶ [Change] ─ render ─▶ Markdown
"""

from __future__ import annotations

import io
import re
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from generator.check import check
from generator.collect import Entity, entities
from generator.dates import parse_date
from generator.findings import Finding
from generator.kinds import ITEM_KINDS, KIND_WORDS
from generator.load import load
from generator.model import statuses
from generator.neutral import neutral
from generator.render import escape_text, long_date

Key = tuple[str, str]

# Sections after the pillars, in order; pillars, priorities and actions go under their pillar.
SECTIONS: dict[str, tuple[int, str]] = {
    "body": (1, "Governance"), "measure": (2, "Measures"), "organisation": (3, "Organisations"),
    "framework": (4, "Frameworks"), "element": (4, "Frameworks"), "review": (5, "Reviews"),
    "decision": (5, "Reviews"),
    "programme": (6, "Programme"), "phase": (6, "Programme"), "question": (6, "Programme"),
    "experience": (6, "Programme"), "place": (6, "Programme"),
    "engagement": (6, "Programme"), "insight": (6, "Programme"),
    "term": (7, "Glossary"),
}
_RANK = {"framework": 0, "element": 1, "programme": 0, "experience": 1, "phase": 2, "place": 3,
         "engagement": 4, "insight": 5, "question": 6, "decision": 1}
_NESTED = {"id", "renamed_from", "priorities", "actions", "elements", "phases", "learning_questions",
           "decisions", "engagement", "insights"}
_LABELS = {"last_reviewed": "last reviewed date", "as_at": "as at date", "accountable": "accountable body",
           "aligns_to": "alignment", "logic_model": "logic model", "short_name": "short name",
           "short_title": "short title", "cadence": "meeting cadence", "date": "date",
           "review_cadence_months": "review cadence in months", "status_changes": "status changes",
           "corresponds_to": "corresponding elements", "recovery": "recovery plan",
           "time_to_change_years": "years to show change",
           "delivers": "vision experiences served", "responds_to": "responds to",
           "long_term_target": "long-term target",
           "illustrative_fields": "illustrative values"}
_UNITS = {"percent": "{}%", "score-out-of-10": "{} out of 10"}
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*(:[a-z0-9]+(-[a-z0-9]+)*)?$")
_UNREADABLE = {"F002", "F004"}  # with every Y (YAML) code: the file could not be read at all
MAX_ERRORS = 50
WORKING_TREE = "the working tree"


class DiffError(Exception):
    """The diff cannot run: an unknown revision or folder, or git is unavailable."""


# ---------------------------------------------------------------- reading each side

@dataclass(frozen=True)
class Side:
    label: str
    findings: list[Finding]
    items: dict[Key, Entity]

    @property
    def errors(self) -> dict[tuple[str, str, str], Finding]:
        """Errors keyed by (path inside the roadmap, code, message): stable across line moves."""
        return {(f.path.split("/", 1)[-1], f.code, f.message): f
                for f in self.findings if f.severity == "error"}

    @property
    def unreadable(self) -> set[str]:
        """Files that could not be read at all, as shown in findings."""
        return {f.path for f in self.findings if f.code.startswith("Y") or f.code in _UNREADABLE}


def read_side(root: Path, label: str) -> Side:
    loaded = load(root)
    items: dict[Key, Entity] = {}
    for entity in entities(loaded.sources):
        items.setdefault(entity.key, entity)
    return Side(label, check(loaded), items)


@contextmanager
def roadmap_at(spec: str | None, root_name: str, folder: bool = False) -> Iterator[Path]:
    """The roadmap folder for a git revision, a folder (only when `folder` is asked for
    explicitly: a pull request can add a folder or link named `origin/main`), or (None) the
    working tree."""
    if spec is None:
        yield _folder(Path(root_name), root_name)
    elif folder:
        yield _folder(Path(spec), root_name)
    else:
        with tempfile.TemporaryDirectory(prefix="roadmap-diff-") as tmp:
            yield _checkout(spec, root_name, Path(tmp))


def _folder(folder: Path, root_name: str) -> Path:
    if not folder.is_dir():
        raise DiffError(f"the roadmap folder '{folder}' does not exist; run this in the repository "
                        "or name the folder with --root")
    inner = folder / root_name
    if not (folder / "programme.yaml").is_file() and inner.is_dir():
        return inner  # a repository checkout was given: use its roadmap folder
    return folder


def _git(args: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except OSError as err:
        raise DiffError(f"git could not be run ({err.strerror}); install git or compare two folders") \
            from err


def _checkout(rev: str, root_name: str, into: Path) -> Path:
    top = _toplevel(rev)
    rel = _relative(Path(root_name), top)
    sha = _commit(rev, top)
    if _git(["cat-file", "-e", f"{sha}:{rel}"], top).returncode != 0:
        raise DiffError(f"the revision '{rev}' has no folder '{rel}'; name the roadmap folder with --root")
    paths = [rel]
    schema = Path(rel).parent.joinpath("schema").as_posix()
    if _git(["cat-file", "-e", f"{sha}:{schema}"], top).returncode == 0:
        paths.append(schema)  # so the schema-comment rule sees the same layout as the working tree
    archive = _git(["archive", "--format=tar", sha, "--", *paths], top)
    if archive.returncode != 0:
        raise DiffError(f"git could not read '{rel}' at '{rev}': {archive.stderr.decode(errors='replace')}")
    _extract(archive.stdout, into)
    return into / rel


def _toplevel(rev: str) -> Path:
    found = _git(["rev-parse", "--show-toplevel"])
    if found.returncode != 0:
        raise DiffError(f"this is not a git repository, so '{rev}' cannot be a revision; to compare "
                        "folders, add --folder")
    return Path(found.stdout.decode().strip()).resolve()


def _relative(root: Path, top: Path) -> str:
    try:
        return root.resolve().relative_to(top).as_posix()
    except ValueError as err:
        raise DiffError(f"the roadmap folder '{root}' is not inside the repository at {top}") from err


def resolve_revision(rev: str, top: Path) -> str | None:
    """The commit id a revision names, or None. The one place a revision is resolved:
    --end-of-options keeps a revision that starts with "-" from being read as an option."""
    found = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], top)
    return found.stdout.decode().strip() if found.returncode == 0 else None


def _commit(rev: str, top: Path) -> str:
    sha = resolve_revision(rev, top)
    if sha is None:
        raise DiffError(f"'{rev}' is not a git revision this repository knows (for example "
                        "origin/main, HEAD~1 or a commit id); to compare folders, add --folder")
    return sha


def _extract(archive: bytes, into: Path) -> None:
    """Regular files only (no links), and never outside `into`."""
    base = into.resolve()
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        for member in tar.getmembers():
            target = (base / member.name).resolve()
            content = tar.extractfile(member) if member.isfile() else None
            if content is None or not target.is_relative_to(base):
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content.read())


# ---------------------------------------------------------------- words

_BREAKS = re.compile(r"[\n\t]+")
_BARE_LINK = re.compile(r"(?i)\b(https?|ftp|mailto|www)(://|:|\.)")


def _text(value: Any) -> str:
    """Text from the roadmap, safe in the job summary: one line, no markup, no control or
    bidirectional characters (shown as escapes), and no address GitHub would turn into a
    link (`https://x` is shown as `https[:]//x`, `www.x` as `www[.]x`)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)  # a number is never markup, and "1.5" must not be escaped as a list item
    one_line = neutral(_BREAKS.sub(" ", str(value)))  # ordinary breaks are spaces; others escapes
    defanged = _BARE_LINK.sub(lambda m: f"{m[1]}[{m[2][0]}]{m[2][1:]}", one_line)
    return str(escape_text(defanged))


def _code(value: Any) -> str:
    return f"`{value}`" if isinstance(value, str) and _SLUG.fullmatch(value) else _text(value)


def _named(label: str) -> str:
    """A revision or folder as the user typed it, in a code span when that is safe."""
    if label == WORKING_TREE:
        return label
    return f"`{label}`" if neutral(label) == label and "`" not in label else _text(label)


def _day(value: Any) -> str:
    day = parse_date(value)
    return long_date(day) if day else _text(value)


def _month(value: Any) -> str:
    day = parse_date(value)
    return f"{day:%B %Y}" if day else _text(value)


def _strs(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _later(amount: int, unit: str) -> str:
    plural = unit if abs(amount) == 1 else unit + "s"
    return f"{abs(amount)} {plural} {'later' if amount > 0 else 'earlier'}"


def _title_of(entity: Entity) -> Any:
    data = entity.data
    return (data.get("title") or data.get("name") or data.get("term") or data.get("question")
            or data.get("text") or entity.id)


@dataclass(frozen=True)
class Names:
    """Display names for ids, preferring the version after the change."""

    base: Side
    head: Side
    titles: dict[str, str] = field(default_factory=lambda: {k: s.title.lower()
                                                            for k, s in statuses().items()})
    unit: Any = None  # the unit of the measure being described, for its readings

    def entity(self, kind: str, id_: str) -> Entity | None:
        return self.head.items.get((kind, id_)) or self.base.items.get((kind, id_))

    def name(self, kind: str, id_: Any) -> str:
        entity = self.entity(kind, id_) if isinstance(id_, str) else None
        if entity is None:
            return _code(id_)
        if kind == "element" and entity.parent is not None:
            short = entity.parent.data.get("short_title") or entity.parent.data.get("title")
            return _text(f"{short} {_title_of(entity)}")
        return _text(_title_of(entity))

    def item(self, id_: Any) -> str:
        """A priority, action or measure (what a decision concerns), by name."""
        kind = next((k for k in ITEM_KINDS if isinstance(id_, str) and self.entity(k, id_)), "priority")
        return self.name(kind, id_)

    def status(self, value: Any) -> str:
        return self.titles.get(value, _text(value)) if isinstance(value, str) else _text(value)

    def value(self, value: Any) -> str:
        shown = _text(value)
        return _UNITS.get(self.unit, "{}").format(shown) if isinstance(self.unit, str) else shown


# ---------------------------------------------------------------- phrases for one field

Said = Callable[[str, Any, Any, Names], list[str]]


def _label(key: str) -> str:
    return _LABELS.get(key, key.replace("_", " "))


def said_status(key: str, old: Any, new: Any, names: Names) -> list[str]:
    return [f"status {names.status(old)} → {names.status(new)}"]


def said_date(key: str, old: Any, new: Any, names: Names) -> list[str]:
    label, before, after = _label(key), parse_date(old), parse_date(new)
    if before and after:
        return [f"{label} moved from {_day(old)} to {_day(new)}, {_later((after - before).days, 'day')}"]
    return _set_or_removed(label, old, new, _day)


def _set_or_removed(label: str, old: Any, new: Any, show: Callable[[Any], str]) -> list[str]:
    if old is None:
        return [f"{label} set to {show(new)}"]
    if new is None:
        return [f"{label} {show(old)} removed"]
    return [f"{label} changed from {show(old)} to {show(new)}"]


def said_timeframe(key: str, old: Any, new: Any, names: Names) -> list[str]:
    old, new = (v if isinstance(v, dict) else {} for v in (old, new))
    phrases = []
    for end in ("start", "end"):
        before, after = parse_date(old.get(end)), parse_date(new.get(end))
        if old.get(end) == new.get(end):
            continue
        if before and after:
            months = (after.year - before.year) * 12 + after.month - before.month
            phrases.append(f"timeframe {end} moved from {_month(old.get(end))} to "
                           f"{_month(new.get(end))}, {_later(months, 'month')}")
        else:
            phrases.extend(_set_or_removed(f"timeframe {end}", old.get(end), new.get(end), _month))
    return phrases


def said_month(key: str, old: Any, new: Any, names: Names) -> list[str]:
    """A phase's start or end month."""
    return _set_or_removed(_label(key), old, new, _month)


def said_places(key: str, old: Any, new: Any, names: Names) -> list[str]:
    """Where a priority, action or commitment happens. The programme's own list of places
    is made of places, each reported as an item of its own."""
    if _dicts(old) or _dicts(new):
        return []
    return said_refs("place")(key, old or [], new or [], names)


def said_handover(key: str, old: Any, new: Any, names: Names) -> list[str]:
    def show(value: Any) -> str:
        org = value.get("organisation") if isinstance(value, dict) else None
        return names.name("organisation", org) if org else _text(value)
    if isinstance(old, dict) and isinstance(new, dict) and old.get("organisation") == new.get("organisation"):
        return ["handover reworded"]
    return _set_or_removed("outputs maintained by", old, new, show)


def said_ref(kind: str) -> Said:
    def said(key: str, old: Any, new: Any, names: Names) -> list[str]:
        if key == "reports_to":
            return [f"now reports to {names.name(kind, new)}" + (f" (was {names.name(kind, old)})" if old
                                                                 else "")
                    if new else f"no longer reports to {names.name(kind, old)}"]
        return _set_or_removed(_label(key), old, new, lambda v: names.name(kind, v))
    return said


def said_refs(kind: str) -> Said:
    def said(key: str, old: Any, new: Any, names: Names) -> list[str]:
        before, after = _strs(old), _strs(new)
        added = [names.name(kind, v) for v in after if v not in before]
        removed = [names.name(kind, v) for v in before if v not in after]
        return ([f"{_label(key)} added: {', '.join(added)}"] if added else []) + \
            ([f"{_label(key)} removed: {', '.join(removed)}"] if removed else []) or \
            [f"{_label(key)} reordered"]
    return said


def said_alignment(key: str, old: Any, new: Any, names: Names) -> list[str]:
    before = {a.get("to"): a for a in _dicts(old)}
    after = {a.get("to"): a for a in _dicts(new)}
    phrases = [f"now aligns to {names.name('element', to)}" for to in after if to not in before]
    phrases += [f"no longer aligns to {names.name('element', to)}" for to in before if to not in after]
    phrases += [f"rationale for aligning to {names.name('element', to)} reworded"
                for to in after if to in before and after[to] != before[to]]
    return phrases or ["alignment reordered"]


def said_role(key: str, old: Any, new: Any, names: Names) -> list[str]:
    def show(value: Any) -> str:
        if not isinstance(value, dict):
            return _text(value)
        org = value.get("organisation")
        return _text(value.get("role")) + (f", {names.name('organisation', org)}" if org else "")
    return _set_or_removed(_label(key), old, new, show)


def said_reading(key: str, old: Any, new: Any, names: Names) -> list[str]:
    def show(reading: Any) -> str:
        if not isinstance(reading, dict):
            return _text(reading)
        return f"{names.value(reading.get('value'))} by {_day(reading.get('date'))}"
    return _set_or_removed(_label(key), old, new, show)


def said_readings(key: str, old: Any, new: Any, names: Names) -> list[str]:
    before = {r.get("date"): r for r in _dicts(old)}
    after = {r.get("date"): r for r in _dicts(new)}
    phrases = [f"new reading: {names.value(r.get('value'))} on {_day(d)}" for d, r in after.items()
               if d not in before]
    phrases += [f"reading of {_day(d)} removed" for d in before if d not in after]
    phrases += [f"reading of {_day(d)} changed from {names.value(before[d].get('value'))} to "
                f"{names.value(r.get('value'))}" for d, r in after.items()
                if d in before and r.get("value") != before[d].get("value")]
    return phrases or ["reading notes changed"]


def said_word(key: str, old: Any, new: Any, names: Names) -> list[str]:
    """A value from a fixed list of words (cadence, unit, direction, kind of organisation)."""
    return _set_or_removed(_label(key), old, new, lambda v: _text(str(v).replace("-", " ")))


def said_words(key: str, old: Any, new: Any, names: Names) -> list[str]:
    """A list of plain words, such as the names of the fields marked illustrative."""
    before, after = _strs(old), _strs(new)
    added = [_text(v.replace("_", " ")) for v in after if v not in before]
    removed = [_text(v.replace("_", " ")) for v in before if v not in after]
    return ([f"{_label(key)} added: {', '.join(added)}"] if added else []) + \
        ([f"{_label(key)} removed: {', '.join(removed)}"] if removed else []) or [f"{_label(key)} reordered"]


def said_flag(key: str, old: Any, new: Any, names: Names) -> list[str]:
    return [f"now marked {_label(key)}" if new is True else f"no longer marked {_label(key)}"]


def said_other(key: str, old: Any, new: Any, names: Names) -> list[str]:
    label = _label(key)
    short = all(isinstance(v, str | int | float) and len(str(v)) <= 80 for v in (old, new))
    if short and not isinstance(old, bool):
        return [f"{label} changed from “{_text(old)}” to “{_text(new)}”"]
    if old is None or new is None:
        return [f"{label} {'added' if old is None else 'removed'}"]
    return [f"{label} {'reworded' if isinstance(old, str) and isinstance(new, str) else 'changed'}"]


def said_escalation(key: str, old: Any, new: Any, names: Names) -> list[str]:
    def show(value: Any) -> str:
        value = value if isinstance(value, dict) else {}
        return f"to {names.name('body', value.get('to'))} on {_day(value.get('date'))}"
    if not isinstance(old, dict):
        asks = new.get("asks") if isinstance(new, dict) else None
        return [f"escalated {show(new)}" + (f", asking: “{_text(asks)}”" if asks else "")]
    if not isinstance(new, dict):
        return [f"escalation {show(old)} withdrawn"]
    if old.get("to") != new.get("to"):
        return [f"escalated instead {show(new)} (was {show(old)})"]
    if old.get("date") != new.get("date"):
        return [f"escalation to {names.name('body', new.get('to'))} moved from {_day(old.get('date'))} "
                f"to {_day(new.get('date'))}"]
    return [f"escalation {show(new)} reworded"]


def said_concerns(key: str, old: Any, new: Any, names: Names) -> list[str]:
    before, after = _strs(old), _strs(new)
    added = [names.item(v) for v in after if v not in before]
    removed = [names.item(v) for v in before if v not in after]
    return ([f"now concerns {', '.join(added)}"] if added else []) + \
        ([f"no longer concerns {', '.join(removed)}"] if removed else []) or ["concerns reordered"]


def said_decision_status(key: str, old: Any, new: Any, names: Names) -> list[str]:
    if old == "open" and new in ("done", "dropped"):
        return [f"closed: {_text(new)}"]
    if new == "open":
        return [f"reopened (was {_text(old)})"]
    return [f"status {_text(old)} → {_text(new)}"]


def said_outcome(key: str, old: Any, new: Any, names: Names) -> list[str]:
    if new is None:
        return ["outcome removed"]
    return [f"outcome {'recorded' if old is None else 'now'}: “{_text(new)}”"]


# A decision's own words for fields whose meaning differs from a priority's.
DECISION_SAID: dict[str, Said] = {"status": said_decision_status, "outcome": said_outcome}

SAID: dict[str, Said] = {
    "status": said_status, "timeframe": said_timeframe, "aligns_to": said_alignment,
    **dict.fromkeys(("due", "last_reviewed", "as_at", "date", "published"), said_date),
    **dict.fromkeys(("owner", "organisation"), said_ref("organisation")),
    **dict.fromkeys(("accountable", "reports_to", "body"), said_ref("body")),
    **dict.fromkeys(("contributors", "members"), said_refs("organisation")),
    "measures": said_refs("measure"), "corresponds_to": said_refs("element"),
    "delivers": said_refs("experience"), "places": said_places,
    "responds_to": said_refs("insight"), "handover": said_handover,
    "illustrative_fields": said_words,
    "lead": said_role, "chair": said_role, "baseline": said_reading, "target": said_reading,
    "long_term_target": said_reading,
    "readings": said_readings, "illustrative": said_flag,
    **dict.fromkeys(("start", "end"), said_month),
    "escalation": said_escalation, "concerns": said_concerns, "asked_of": said_ref("body"),
    "follows_up": said_ref("decision"), "carried_forward": said_refs("decision"),
    **dict.fromkeys(("cadence", "unit", "direction", "kind", "confidence"), said_word),
}


def field_changes(old: dict[str, Any], new: dict[str, Any], names: Names, kind: str = "") -> list[str]:
    """One phrase per difference between two versions of an entity, in the newer file's key order."""
    keys = [*new, *(k for k in old if k not in new)]
    names = replace(names, unit=new.get("unit", old.get("unit")))
    own = DECISION_SAID if kind == "decision" else {}
    return [phrase for key in keys if key not in _NESTED and old.get(key) != new.get(key)
            for phrase in (own.get(key) or SAID.get(key, said_other))(key, old.get(key), new.get(key), names)]


# ---------------------------------------------------------------- matching entities

@dataclass(frozen=True)
class Change:
    section: tuple[int, int, str]  # (section order, pillar position, pillar id)
    order: tuple[str, int, str]
    text: str
    verb: str  # added, removed or changed

    @property
    def key(self) -> tuple[tuple[int, int, str], tuple[str, int, str]]:
        return self.section, self.order


def renames(base: Side, head: Side) -> dict[Key, Key]:
    """old key → new key, for each entity whose new version lists the old id in renamed_from."""
    found: dict[Key, Key] = {}
    for key, entity in head.items.items():
        for old in _strs(entity.data.get("renamed_from")):
            if (entity.kind, old) in base.items and (entity.kind, old) not in head.items:
                found[entity.kind, old] = key
    return found


@dataclass(frozen=True)
class Matcher:
    """Where each entity belongs in the report, with renames followed."""

    base: Side
    head: Side
    renamed: dict[Key, Key]

    def current(self, kind: str, id_: str) -> str:
        return self.renamed.get((kind, id_), (kind, id_))[1]

    @cached_property
    def pillars(self) -> dict[str, int]:
        order = [k[1] for k in self.head.items if k[0] == "pillar"]
        order += [self.current("pillar", k[1]) for k in self.base.items if k[0] == "pillar"]
        return {id_: i for i, id_ in enumerate(dict.fromkeys(order))}

    def placed(self, entity: Entity) -> tuple[tuple[int, int, str], tuple[str, int, str]]:
        if entity.kind in SECTIONS:
            return (SECTIONS[entity.kind][0], 0, ""), ("", _RANK.get(entity.kind, 0), entity.id)
        chain = [entity]
        while chain[-1].parent is not None:
            chain.append(chain[-1].parent)
        pillar = self.current("pillar", chain[-1].id)
        section = (0, self.pillars.get(pillar, 0), pillar)
        if entity.kind == "pillar":
            return section, ("", 0, "")
        priority = self.current("priority", chain[-2].id)
        return section, (priority, int(entity.kind == "action"), entity.id if entity.kind == "action" else "")


def _parent_move(old: Entity, new: Entity, match: Matcher, names: Names) -> list[str]:
    if old.parent is None or new.parent is None:
        return []
    if match.current(old.parent.kind, old.parent.id) == new.parent.id:
        return []
    word = KIND_WORDS.get(new.parent.kind, new.parent.kind)
    return [f"moved from {word} {names.name(old.parent.kind, old.parent.id)} to "
            f"{names.name(new.parent.kind, new.parent.id)}"]


def _heading(entity: Entity, names: Names, old_id: str | None = None, verb: str = "") -> str:
    noun = KIND_WORDS.get(entity.kind, entity.kind)
    ids = _code(entity.id) + (f", renamed from {_code(old_id)}" if old_id else "")
    lead = f"{verb} {noun}" if verb else noun[0].upper() + noun[1:]
    return f"{lead} **{_text(_title_of(entity))}**" + (f" ({ids})" if entity.kind != "programme" else "")


def _bullet(head: str, phrases: list[str]) -> str:
    if not phrases:
        return f"- {head}"
    if len(phrases) == 1:
        return f"- {head}: {phrases[0]}"
    return "\n".join([f"- {head}:", *(f"    - {p}" for p in phrases)])  # 4 spaces suit every Markdown


def _added_details(entity: Entity, names: Names) -> list[str]:
    data = entity.data
    if entity.kind == "priority":
        frame = data.get("timeframe") if isinstance(data.get("timeframe"), dict) else {}
        owner = names.name("organisation", data.get("owner"))
        return [f"owned by {owner}, {names.status(data.get('status'))}, "
                f"{_month(frame.get('start'))} to {_month(frame.get('end'))}"]
    if entity.kind == "action":
        return [f"owned by {names.name('organisation', data.get('owner'))}, due {_day(data.get('due'))}, "
                f"{names.status(data.get('status'))}"]
    if entity.kind == "body" and data.get("reports_to"):
        return [f"reports to {names.name('body', data.get('reports_to'))}"]
    if entity.kind == "decision":
        follows = data.get("follows_up")
        return [f"asked of {names.name('body', data.get('asked_of'))}, owned by "
                f"{names.name('organisation', data.get('owner'))}, due {_day(data.get('due'))}, "
                f"{_text(data.get('status'))}" + (f"; follows up {names.name('decision', follows)}"
                                                   if follows else "")]
    if entity.kind == "framework":
        count = len(_dicts(data.get("elements")))
        return [f"with {count} element{'s' * (count != 1)}"]
    if entity.kind == "review":
        answers, changes = len(_dicts(data.get("answers"))), len(_dicts(data.get("status_changes")))
        return [f"held by {names.name('body', data.get('body'))} on {_day(data.get('date'))}; answers "
                f"{answers} learning question{'s' * (answers != 1)} and records {changes} status "
                f"change{'s' * (changes != 1)}"]
    return []


def _inside(path: str, files: set[str]) -> bool:
    return path.split("/", 1)[-1] in {f.split("/", 1)[-1] for f in files}


def _shown(entity: Entity, other: Side) -> bool:
    """False for what the report leaves out: an element of a framework added or removed as a whole
    (the framework's line counts them), and items of a file the other side could not read."""
    whole = entity.kind == "element" and entity.parent is not None and entity.parent.key not in other.items
    return not whole and not _inside(entity.source.rel, other.unreadable)


def _changed(old: Entity, new: Entity, match: Matcher, names: Names) -> Change | None:
    phrases = _parent_move(old, new, match, names) + field_changes(old.data, new.data, names, new.kind)
    old_id = old.id if old.id != new.id else None
    if not phrases and old_id is None:
        return None
    return Change(*match.placed(new), _bullet(_heading(new, names, old_id), phrases), "changed")


def changes(base: Side, head: Side) -> list[Change]:
    """Every added, removed, renamed or changed entity, in report order."""
    names, renamed = Names(base, head), renames(base, head)
    match = Matcher(base, head, renamed)
    pairs = {key: head.items.get(renamed.get(key, key)) for key in base.items}
    found = [_changed(base.items[key], new, match, names) for key, new in pairs.items() if new]
    found += [Change(*match.placed(old), _bullet(_heading(old, names, verb="Removed"), []), "removed")
              for key, old in base.items.items() if pairs[key] is None and _shown(old, head)]
    matched = {renamed.get(key, key) for key in base.items}
    found += [Change(*match.placed(new), _bullet(_heading(new, names, verb="Added"),
                                                 _added_details(new, names)), "added")
              for key, new in head.items.items() if key not in matched and _shown(new, base)]
    return sorted((c for c in found if c is not None), key=lambda c: c.key)


# ---------------------------------------------------------------- the report

def _section_title(section: tuple[int, int, str], names: Names) -> str:
    order, _, pillar = section
    if order == 0:
        return f"Pillar: {names.name('pillar', pillar)} ({_code(pillar)})"
    return next(title for rank, title in SECTIONS.values() if rank == order)


def check_lines(base: Side, head: Side) -> list[str]:
    """Whether the change turns the check from passing to failing (or back), with the new errors."""
    before, after = base.errors, head.errors
    new = [after[k] for k in sorted(after, key=lambda k: after[k]) if k not in before]
    if not before and not after:
        return ["The roadmap check passes before and after this change."]
    if not after:
        return [f"**This change makes the roadmap check pass.** It failed before with {len(before)} "
                f"error{'s' * (len(before) != 1)}."]
    lines = ["**This change makes the roadmap check fail.** New errors:" if not before else
             "The roadmap check fails before and after this change." +
             (" New errors:" if new else " It brings no new errors.")]
    if new:
        lines += ["", *(f"- {_text(f.text())}" for f in new[:MAX_ERRORS])]
        lines += [f"- … and {len(new) - MAX_ERRORS} more"] if len(new) > MAX_ERRORS else []
    return lines


def _tally(found: list[Change]) -> str:
    counts = {verb: sum(c.verb == verb for c in found) for verb in ("added", "removed", "changed")}
    return ", ".join(f"{n} {verb}" for verb, n in counts.items() if n)


def render(base: Side, head: Side) -> str:
    """The whole report as Markdown."""
    found, names = changes(base, head), Names(base, head)
    lines = ["## Changes to the roadmap", "",
             f"Comparing {_named(base.label)} (before) with {_named(head.label)} (after)."]
    if not found and base.errors.keys() == head.errors.keys():
        lines += ["", "No changes to the roadmap."]
        lines += ["", *check_lines(base, head)] if head.errors else []
        return "\n".join(lines)
    lines[-1] += f" In all: {_tally(found)}." if found else ""
    lines += ["", *check_lines(base, head)]
    lines += [f"\n{_text(path)} cannot be read {when} this change, so what changed in it is not shown."
              for when, side in (("before", base), ("after", head)) for path in sorted(side.unreadable)]
    section: tuple[int, int, str] | None = None
    for change in found:
        if change.section != section:
            section = change.section
            lines += ["", f"### {_section_title(section, names)}", ""]
        lines.append(change.text)
    return "\n".join(lines)


def run(base: str, head: str | None = None, root_name: str = "roadmap", folders: bool = False) -> str:
    """Compare two versions of the roadmap; HEAD defaults to the working tree's roadmap folder.
    BASE and HEAD are git revisions, or folders when `folders` is set."""
    with ExitStack() as stack:
        before = stack.enter_context(roadmap_at(base, root_name, folders))
        after = stack.enter_context(roadmap_at(head, root_name, folders))
        return render(read_side(before, base), read_side(after, head or WORKING_TREE))

