"""Load the roadmap's YAML files safely, keeping a line and column for every value.

YAML from a pull request is untrusted. We compose PyYAML's node graph (no Python
objects are ever constructed from tags) and turn it into plain JSON-like data
ourselves, refusing duplicate keys, aliases and unknown tags, and recording where
each value and each key stands so that every finding can point at it.
"""

from __future__ import annotations

import gc
import math
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import astuple, dataclass, field
from fnmatch import fnmatchcase
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from generator.cache import Cache, digest
from generator.findings import Finding
from generator.publisher import Publisher, for_root
from generator.yamlsyntax import cut_by_comments, duplicate_key, explain

try:  # the C composer is several times faster; both give the same nodes
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml missing
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 40
MAX_KEYS = 1_000  # in one mapping: 150,000 unknown keys took seconds to convert and check
_STR = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_STR + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
_COLLECTION_TAGS = {_STR + "seq", _STR + "map"}
_ALLOWED_TAGS = frozenset(_SCALAR_TAGS | _COLLECTION_TAGS)
_TAB_INDENT = re.compile(r"^[ ]*\t", re.MULTILINE)
_HASH_IN_TEXT = re.compile(r"\S #\S")

# Where each kind of file lives, relative to the roadmap root.
KINDS: dict[str, str] = {
    "programme.yaml": "programme",
    "organisations.yaml": "organisations",
    "governance.yaml": "governance",
    "measures.yaml": "measures",
    "glossary.yaml": "glossary",
    "frameworks/*.yaml": "framework",
    "pillars/*.yaml": "pillar",
    "reviews/*.yaml": "review",
}
REQUIRED_FILES = ("programme.yaml", "organisations.yaml", "governance.yaml", "measures.yaml")

Position = tuple[int, int]


@dataclass
class Source:
    """One YAML file: its data, and where every value and key stands in the text."""

    rel: str  # the path shown in findings, relative to the roadmap root's parent
    kind: str
    text: str
    data: Any = None
    values: dict[str, Position] = field(default_factory=dict)
    keys: dict[str, Position] = field(default_factory=dict)
    problems: list[Finding] = field(default_factory=list)  # values refused (see _value_problem)
    digest: str = ""  # of the file's bytes: what a cached page made from it was made from
    # Where the positions come from when they were not made here (generator's cache): only
    # a finding needs them, so a file that gives none never reads them.
    positions: Callable[[], tuple[dict[str, Position], dict[str, Position]]] | None = \
        field(default=None, repr=False, compare=False)
    # Every position asked for, by "k" or "v" and pointer: the check keeps them with its
    # findings (generator/check/perfile.py), so it can locate a finding in a file that did
    # not change without reading the file's positions.
    located: dict[str, Position] = field(default_factory=dict, repr=False, compare=False)

    def where(self, pointer: str, key: bool = False) -> Position:
        """The position of the value (or its key) at a JSON pointer, or of its nearest parent."""
        asked = ("k" if key else "v") + pointer
        found = self.located.get(asked)
        if found is None:
            found = self.located[asked] = self._where(pointer, key)
        return found

    def _where(self, pointer: str, key: bool) -> Position:
        if self.positions is not None:
            self.values, self.keys = self.positions()
            self.positions = None
        if key and pointer in self.keys:
            return self.keys[pointer]
        while pointer not in self.values and pointer:
            pointer = pointer.rsplit("/", 1)[0]
        return self.values.get(pointer, (1, 1))

    def finding(self, pointer: str, code: str, message: str, severity: str = "error",
                key: bool = False) -> Finding:
        line, col = self.where(pointer, key)
        return Finding(self.rel, line, col, code, severity, message)  # type: ignore[arg-type]


@dataclass
class Loaded:
    root: Path
    sources: list[Source]
    findings: list[Finding]
    publisher: Publisher = field(default_factory=Publisher)  # from the project's mkdocs.yml


class _Refused(Exception):
    def __init__(self, code: str, message: str, position: Position) -> None:
        super().__init__(message)
        self.code, self.message, self.position = code, message, position


def pointer_join(pointer: str, part: str | int) -> str:
    text = str(part).replace("~", "~0").replace("/", "~1")
    return f"{pointer}/{text}"


def pointer_of(parts: Iterable[str | int]) -> str:
    """The JSON pointer of the keys and indexes from the top of a file to a value."""
    pointer = ""
    for part in parts:
        pointer = pointer_join(pointer, part)
    return pointer


def kind_of(rel: str) -> str | None:
    """The kind of file at `rel` (relative to the roadmap folder, with "/"), or None. The
    pattern's `*` may not stand for a "/": the path has as many parts as the pattern."""
    for pattern, kind in KINDS.items():
        if rel.count("/") == pattern.count("/") and fnmatchcase(rel, pattern):
            return kind
    return None


def load(root: Path) -> Loaded:
    """Read every YAML file under `root`; never raises for anything a file contains."""
    root = root.resolve()
    findings: list[Finding] = []
    sources: list[Source] = []
    shown = root.parent
    cache = Cache.for_root(root)
    with gc_paused():  # parsing makes no cycles we keep: see gc_paused
        for path in _yaml_files(root):
            rel_root = path.relative_to(root).as_posix()
            rel = path.relative_to(shown).as_posix()
            try:
                outside = path.is_symlink() and not _inside(path.resolve(), root)
            except (OSError, RuntimeError):  # a link that leads back to itself
                findings.append(Finding(rel, 1, 1, "F004", "error",
                                        "cannot read the file: it is a link that goes round in a loop"))
                continue
            if outside:
                findings.append(Finding(rel, 1, 1, "F002", "error",
                                        "this file is a link to a place outside the roadmap folder; "
                                        "replace it with a real file"))
                continue
            kind = kind_of(rel_root)
            if kind is None:
                continue  # reported by _unexpected
            if problem := file_name_problem(rel_root):
                findings.append(Finding(rel, 1, 1, "F005", "error", problem))
            source, problems = read_source(path, rel, kind, cache)
            findings.extend(problems)
            if source is not None:
                sources.append(source)
    for name in REQUIRED_FILES:
        if not (root / name).is_file():
            rel = (root / name).relative_to(shown).as_posix()
            findings.append(Finding(rel, 1, 1, "F003", "error",
                                    f"the roadmap needs a {name}; create it (see the data dictionary)"))
    if not any(_yaml_files(root / "pillars")):
        findings.append(Finding((root / "pillars").relative_to(shown).as_posix(), 1, 1, "F003",
                                "error", "the roadmap needs at least one pillar; add a file to pillars/"))
    findings.extend(_linked_folders(root, shown))
    findings.extend(_unexpected(root, shown))
    return Loaded(root, sources, findings, for_root(root))


FOLDERS = frozenset(pattern.split("/")[0] for pattern in KINDS if "/" in pattern)
_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
# Names Windows reserves for devices, whatever the case or extension.
RESERVED_NAMES = frozenset(["con", "prn", "aux", "nul",
                            *(f"{device}{n}" for device in ("com", "lpt") for n in range(10))])


def file_name_problem(rel_root: str) -> str | None:
    """Why a file's name breaks the id rules (files named by id: pillars, frameworks, reviews).
    A name like a>b.yaml, a:b.yaml or con.yaml cannot be checked out on Windows."""
    if "/" not in rel_root:
        return None
    stem = rel_root.rsplit("/", 1)[1].rsplit(".", 1)[0]
    if not _ID.fullmatch(stem) or len(stem) > 64:
        return (f"the file name {stem!r} is not an id: use lowercase letters, digits and single "
                "hyphens (at most 64), usually the id of the item the file holds")
    if stem in RESERVED_NAMES:
        return f"{stem!r} is a device name on Windows, so the file could not be saved there; rename it"
    return None


def _unexpected(root: Path, shown: Path) -> Iterator[Finding]:
    """Everything under the roadmap folder that is not part of its layout, whatever its name:
    a roadmap/.gitattributes could hide YAML changes from a pull request's diff view, and a
    file nobody reads is a change nobody checks."""
    for path in sorted(root.rglob("*")):
        rel_root = path.relative_to(root).as_posix()
        if rel_root in FOLDERS and path.is_dir():
            continue
        if path.is_dir() and not path.is_symlink():
            if not any(path.iterdir()):
                yield Finding(path.relative_to(shown).as_posix(), 1, 1, "F001", "error",
                              "this empty folder is not part of the roadmap layout; delete it")
            continue
        if kind_of(rel_root) is None and not (path.is_dir() and _outside(path, root)):  # F002
            yield Finding(path.relative_to(shown).as_posix(), 1, 1, "F001", "error",
                          "this file is not part of the roadmap layout, so it is never checked; "
                          f"delete it or move it out of the roadmap folder (roadmap files are "
                          f"{', '.join(KINDS)})")


def _outside(path: Path, root: Path) -> bool:
    try:
        return not _inside(path.resolve(), root)
    except (OSError, RuntimeError):
        return False


@contextmanager
def gc_paused() -> Iterator[None]:
    """Parsing a file makes a node for every value, and every few hundred new objects start
    a garbage collection that may walk everything loaded so far: on a large roadmap that was
    over a quarter of the load. Parsing makes no cycles we keep (a refused alias may leave
    one), so the collector waits until the file is read."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _yaml_files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if path.suffix in (".yaml", ".yml") and (path.is_file() or path.is_symlink()):
            yield path


def _linked_folders(root: Path, shown: Path) -> Iterator[Finding]:
    """Folders that link outside the roadmap (their files are never read, but say so)."""
    for path in sorted(root.rglob("*")):
        try:
            outside = path.is_symlink() and path.is_dir() and not _inside(path.resolve(), root)
        except (OSError, RuntimeError):
            continue  # a loop is not a folder; nothing is read through it
        if outside:
            yield Finding(path.relative_to(shown).as_posix(), 1, 1, "F002", "error",
                          "this folder is a link to a place outside the roadmap folder; its files "
                          "are not read. Replace it with a real folder")


def read_source(path: Path, rel: str, kind: str,
                cache: Cache | None = None) -> tuple[Source | None, list[Finding]]:
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):  # a pipe or device would block or never end
            return None, [Finding(rel, 1, 1, "F004", "error",
                                  "cannot read the file: it is not a regular file")]
        size = status.st_size
        if size > MAX_BYTES:
            return None, [Finding(rel, 1, 1, "Y006", "error",
                                  f"file is {size:,} bytes; the limit is {MAX_BYTES:,}. "
                                  "Split it into smaller files")]
        raw = path.read_bytes()
    except OSError as err:
        return None, [Finding(rel, 1, 1, "F004", "error", f"cannot read the file: {err.strerror}")]
    return parse_cached(raw, rel, kind, cache)


def parse_cached(raw: bytes, rel: str, kind: str, cache: Cache | None) -> tuple[Source | None, list[Finding]]:
    """`parse_source`, or what it gave for these very bytes last time (the cache holds files
    that parsed; one that did not is read again, so its findings are always made afresh)."""
    name = digest("source", raw, rel, kind)
    kept = cache.get(name) if cache else None
    if isinstance(kept, dict):
        source = Source(rel, kind, _decode(raw)[0], kept["data"],
                        problems=[Finding(*f) for f in kept["problems"]], digest=name,
                        positions=partial(_positions, raw, rel, kind, cache, name))
        return source, [Finding(*f) for f in kept["findings"]]
    source, findings = parse_source(raw, rel, kind)
    if source is not None:
        source.digest = name
    if cache and source is not None:
        cache.put(name, {"data": source.data, "problems": [astuple(f) for f in source.problems],
                         "findings": [astuple(f) for f in findings]})
        cache.put(f"{name}/positions", [source.values, source.keys])
    return source, findings


def _positions(raw: bytes, rel: str, kind: str, cache: Cache, name: str) -> tuple[dict[str, Position],
                                                                                 dict[str, Position]]:
    """A cached file's positions, from the cache or, if they have gone, from parsing it again."""
    kept = cache.get(f"{name}/positions")
    if isinstance(kept, list) and len(kept) == 2 and all(isinstance(k, dict) for k in kept):
        return kept[0], kept[1]
    source = parse_source(raw, rel, kind)[0]
    return (source.values, source.keys) if source else ({}, {})


def parse_source(raw: bytes, rel: str, kind: str) -> tuple[Source | None, list[Finding]]:
    """Decode and parse one file's bytes into a Source, or say why it cannot be read."""
    text, problem, (line, col) = _decode(raw)
    if problem:
        return None, [Finding(rel, line, col, "Y005", "error", problem)]
    tabs = [_tab_finding(rel, text, m.end()) for m in _TAB_INDENT.finditer(text)]
    if tabs:
        return None, tabs
    source = Source(rel, kind, text)
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as err:
        return None, [_syntax_finding(rel, err, text)]
    except yaml.reader.ReaderError as err:  # a character YAML does not allow
        line, col = _text_position(text, text.find(chr(err.character)))
        return None, [Finding(rel, line, col, "Y001", "error",
                              f"the YAML cannot be read: {err.reason} (#x{err.character:04x}); "
                              "delete the character")]
    except (yaml.YAMLError, RecursionError) as err:
        return None, [Finding(rel, 1, 1, "Y001", "error", f"the YAML cannot be read: {err}")]
    if node is None:
        return None, [Finding(rel, 1, 1, "Y009", "error",
                              "the file is empty; add its content or delete the file")]
    try:
        source.data = _convert(node, "", source, set(), 0)
    except _Refused as refused:
        line, col = _alias_position(text) if refused.code == "Y003" else refused.position
        return None, [Finding(rel, line, col, refused.code, "error", refused.message)]
    return source, source.problems + _cut_text(rel, node, text)


def _cut_text(rel: str, node: yaml.Node, text: str) -> list[Finding]:
    if not _HASH_IN_TEXT.search(text):  # the usual case: no '#' straight after a space and a word
        return []
    return [Finding(rel, line, col, "Y013", "warning", message)
            for line, col, message in cut_by_comments(node, text.splitlines())]


def _decode(raw: bytes) -> tuple[str, str | None, Position]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "", "the file is UTF-16; save it as UTF-8", (1, 1)
    if b"\x00" in raw:
        return "", "the file contains binary data (NUL bytes); roadmap files are UTF-8 text", (1, 1)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        good = raw[:err.start].decode("utf-8")
        message = f"the file is not valid UTF-8 (byte {err.start}); save it as UTF-8"
        return "", message, _text_position(good, len(good))
    return text.removeprefix("\ufeff"), None, (1, 1)


def _text_position(text: str, index: int) -> Position:
    """The 1-based line and column of a character index in text."""
    if index < 0:
        return 1, 1
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


def _alias_position(text: str) -> Position:
    """Where the first alias (*name) stands: composed nodes keep only their anchor's place."""
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            return event.start_mark.line + 1, event.start_mark.column + 1
    return 1, 1  # pragma: no cover - a refused alias always has an alias event


def _tab_finding(rel: str, text: str, end: int) -> Finding:
    line = text.count("\n", 0, end) + 1
    col = end - (text.rfind("\n", 0, end) + 1)
    return Finding(rel, line, col, "Y007", "error",
                   "a tab is used for indentation; YAML needs spaces. Replace the tab with spaces")


def _syntax_finding(rel: str, err: yaml.MarkedYAMLError, text: str = "") -> Finding:
    plain = explain(text, err)
    if plain:
        return Finding(rel, plain[0], plain[1], "Y001", "error", plain[2])
    mark = err.problem_mark or err.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    what = " ".join(filter(None, [err.context, err.problem])) or "syntax error"
    if "maximum nesting depth" in what:  # libyaml's own cap (1,000 levels), below ours
        return Finding(rel, line, col, "Y008", "error",
                       f"values are nested more than {MAX_DEPTH} levels deep")
    return Finding(rel, line, col, "Y001", "error",
                   f"the YAML cannot be read: {what}. Check the indentation and quoting here")


def _position(node: yaml.Node) -> Position:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _convert(node: yaml.Node, pointer: str, source: Source, seen: set[int], depth: int) -> Any:
    if id(node) in seen:
        raise _Refused("Y003", "aliases (*name) are not allowed; write the value out in full",
                       _position(node))
    if depth > MAX_DEPTH:
        raise _Refused("Y008", f"values are nested more than {MAX_DEPTH} levels deep",
                       _position(node))
    seen.add(id(node))
    source.values[pointer] = _position(node)
    if node.tag not in _ALLOWED_TAGS:
        raise _Refused("Y004", f"the tag {node.tag!r} is not allowed; remove it",
                       _position(node))
    if isinstance(node, yaml.MappingNode):
        return _convert_mapping(node, pointer, source, seen, depth)
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, f"{pointer}/{i}", source, seen, depth + 1)
                for i, item in enumerate(node.value)]
    return _checked_scalar(node, source)


def _convert_mapping(node: yaml.MappingNode, pointer: str, source: Source, seen: set[int],
                     depth: int) -> dict[str, Any]:
    if len(node.value) > MAX_KEYS:  # no roadmap mapping has more than a few dozen keys
        raise _Refused("Y012", f"a mapping has {len(node.value):,} keys; the limit is {MAX_KEYS:,}. "
                       "Check the indentation: list items start with '- '", _position(node))
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _SCALAR_TAGS:
            raise _Refused("Y004", "keys must be plain words", _position(key_node))
        key = str(_checked_scalar(key_node, source))
        child = pointer_join(pointer, key)
        if key in result:
            first = source.keys[child][0]
            raise _Refused("Y002", duplicate_key(key, first, str(node.value[0][0].value)),
                           _position(key_node))
        source.keys[child] = _position(key_node)
        result[key] = _convert(value_node, child, source, seen, depth + 1)
    return result


_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_BUILD = {
    _STR + "int": _CONSTRUCTOR.construct_yaml_int,
    _STR + "float": _CONSTRUCTOR.construct_yaml_float,
    _STR + "bool": _CONSTRUCTOR.construct_yaml_bool,
    _STR + "null": _CONSTRUCTOR.construct_yaml_null,
}


# One rule for every text value and key, whichever YAML loader composed it: no C0 or C1
# control characters but tab and line feed (a "\0", "\x01" or "\e" escape would make the
# feed invalid XML and reach HTML and iCalendar raw) and no lone surrogates.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
# One rule for YAML 1.1's surprising numbers: a plain 1:20 is read as 80 (base 60), 012 as
# 10 (octal), 0b11 as 3 and 0x1f as 31. Such forms are refused; quote them to keep text.
_SURPRISING_NUMBER = re.compile(r"^[-+]?(0[0-9_]+|0[bBoOxX].*|[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?)$")
MAX_NUMBER = 1e15  # far beyond any count, money or percentage a roadmap holds
MAX_PROBLEMS = 100  # refused values reported per file


def _value_problem(node: yaml.ScalarNode, value: Any) -> tuple[str, str] | None:
    """Why a scalar's value is refused (code, message), or None."""
    if isinstance(value, str):
        if bad := _CONTROL.search(value):
            return "Y010", (f"the text holds the control character U+{ord(bad[0]):04X}, which "
                            "cannot be shown or published; delete it (a line break is allowed)")
        return None
    if node.tag in (_STR + "int", _STR + "float"):
        if _SURPRISING_NUMBER.match(node.value):
            return "Y011", (f"{node.value} is a number written in a form YAML reads unexpectedly "
                            "(base 60, octal, binary or hexadecimal); write it as a plain decimal "
                            "number, or in quotes if it is text")
        if not math.isfinite(value) or abs(value) > MAX_NUMBER:
            return "Y011", (f"the number {node.value[:40]} is not finite or is too large (the "
                            f"limit is {MAX_NUMBER:,.0f}); write a finite decimal number")
    return None


_PLAIN_INT = re.compile(r"-?[1-9][0-9]{0,14}|0")  # up to 15 digits: within MAX_NUMBER


def _checked_scalar(node: yaml.ScalarNode, source: Source) -> Any:
    text = node.value
    if node.tag == _STR + "str" and _CONTROL.search(text) is None:
        return text  # the common cases first: most values are text, and many whole numbers
    if node.tag == _STR + "int" and _PLAIN_INT.fullmatch(text):
        return int(text)
    if node.tag == _STR + "int" and len(text) > 40:  # never build a 100,000-digit integer
        value: Any = math.inf
    else:
        value = _scalar(node)
    problem = _value_problem(node, value)
    if problem is None:
        return value
    if len(source.problems) < MAX_PROBLEMS:
        (line, col), (code, message) = _position(node), problem
        source.problems.append(Finding(source.rel, line, col, code, "error", message))
    return node.value if isinstance(value, int | float) else value  # kept as text: the check fails


def _scalar(node: yaml.ScalarNode) -> Any:
    # Dates stay text: a date that does not exist (2024-02-30) is a located finding
    # from the check, not a crash here.
    build = _BUILD.get(node.tag)
    return node.value if build is None else build(node)


AS_AT_ENV = "ROADMAP_AS_AT"  # set by --as-at: the date time-based rules and pages use


def load_as_at(root: Path) -> Loaded:
    """`load`, with the programme's as_at replaced by the date in ROADMAP_AS_AT if it is set
    (`roadmap check --as-at today` or a date): the scheduled build checks and publishes the
    roadmap as at the day it runs, so what has become overdue shows without anyone editing
    as_at. One place, so the check, the pages and the MkDocs hook all use the same date."""
    loaded = load(root)
    day = os.environ.get(AS_AT_ENV)
    if day:
        for source in loaded.sources:
            if source.kind == "programme" and isinstance(source.data, dict):
                source.data["as_at"] = day
    return loaded
