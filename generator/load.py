"""Load the roadmap's YAML files safely, keeping a line and column for every value.

YAML from a pull request is untrusted. We compose PyYAML's node graph (no Python
objects are ever constructed from tags) and turn it into plain JSON-like data
ourselves, refusing duplicate keys, aliases and unknown tags, and recording where
each value and each key stands so that every finding can point at it.
"""

from __future__ import annotations

import gc
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.findings import Finding
from generator.publisher import Publisher, for_root
from generator.yamlsyntax import cut_by_comments, duplicate_key, explain

try:  # the C composer is several times faster; both give the same nodes
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml missing
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 40
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

    def where(self, pointer: str, key: bool = False) -> Position:
        """The position of the value (or its key) at a JSON pointer, or of its nearest parent."""
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


def kind_of(rel: str) -> str | None:
    for pattern, kind in KINDS.items():
        if Path(rel).match(pattern) and rel.count("/") == pattern.count("/"):
            return kind
    return None


def load(root: Path) -> Loaded:
    """Read every YAML file under `root`; never raises for anything a file contains."""
    root = root.resolve()
    findings: list[Finding] = []
    sources: list[Source] = []
    shown = root.parent
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
            findings.append(Finding(rel, 1, 1, "F001", "warning",
                                    "this file is not part of the roadmap layout and is ignored; "
                                    f"roadmap files are {', '.join(KINDS)}"))
            continue
        with gc_paused():
            source, problems = read_source(path, rel, kind)
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
    return Loaded(root, sources, findings, for_root(root))


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


def read_source(path: Path, rel: str, kind: str) -> tuple[Source | None, list[Finding]]:
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
    return parse_source(raw, rel, kind)


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
    return source, _cut_text(rel, node, text)


def _cut_text(rel: str, node: yaml.Node, text: str) -> list[Finding]:
    if not _HASH_IN_TEXT.search(text):  # the usual case: no '#' straight after a space and a word
        return []
    return [Finding(rel, line, col, "Y010", "warning", message)
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
    return _scalar(node)


def _convert_mapping(node: yaml.MappingNode, pointer: str, source: Source, seen: set[int],
                     depth: int) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag not in _SCALAR_TAGS:
            raise _Refused("Y004", "keys must be plain words", _position(key_node))
        key = str(_scalar(key_node))
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


def _scalar(node: yaml.ScalarNode) -> Any:
    # Dates stay text: a date that does not exist (2024-02-30) is a located finding
    # from the check, not a crash here.
    build = _BUILD.get(node.tag)
    return node.value if build is None else build(node)
