"""The safe YAML loader: where values and keys stand, and every way a file is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.findings import Finding
from generator.load import MAX_BYTES, MAX_DEPTH, Source, kind_of, load, parse_source

REL = "roadmap/programme.yaml"


def parse(text: str | bytes) -> tuple[Source | None, list[Finding]]:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    return parse_source(raw, REL, "programme")


def refused(text: str | bytes, code: str) -> Finding:
    """The one finding a refused file gives, after checking its code."""
    source, findings = parse(text)
    assert source is None
    assert [f.code for f in findings] == [code], findings
    assert findings[0].path == REL
    return findings[0]


def pos(text: str, needle: str, nth: int = 1) -> tuple[int, int]:
    """The 1-based line and column of the nth occurrence of needle in text."""
    index = -1
    for _ in range(nth):
        index = text.index(needle, index + 1)
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


DOC = """\
# a comment
title: Mini
vision:
  statement: Good
  experiences:
    - One
    - {a: 1, b: two}
when: 2024-02-30
ratio: 1.5
flag: true
empty:
a/b: slash
"""


def test_values_become_plain_data() -> None:
    source, findings = parse(DOC)
    assert findings == []
    assert source is not None
    assert source.data == {
        "title": "Mini",
        "vision": {"statement": "Good", "experiences": ["One", {"a": 1, "b": "two"}]},
        "when": "2024-02-30",  # dates stay text, so an impossible one is a finding later
        "ratio": 1.5,
        "flag": True,
        "empty": None,
        "a/b": "slash",
    }


@pytest.mark.parametrize(
    ("pointer", "needle", "nth"),
    [
        ("", "title", 1),
        ("/title", "Mini", 1),
        ("/vision", "statement", 1),
        ("/vision/statement", "Good", 1),
        ("/vision/experiences", "- One", 1),
        ("/vision/experiences/0", "One", 1),
        ("/vision/experiences/1", "{a: 1", 1),
        ("/vision/experiences/1/b", "two", 1),
        ("/when", "2024-02-30", 1),
        ("/a~1b", "slash", 1),
    ],
)
def test_values_are_located(pointer: str, needle: str, nth: int) -> None:
    source, _ = parse(DOC)
    assert source is not None
    assert source.values[pointer] == pos(DOC, needle, nth)


@pytest.mark.parametrize(
    ("pointer", "needle"),
    [("/title", "title:"), ("/vision/experiences", "experiences:"), ("/vision/experiences/1/b", "b: two"),
     ("/a~1b", "a/b:")],
)
def test_keys_are_located(pointer: str, needle: str) -> None:
    source, _ = parse(DOC)
    assert source is not None
    assert source.keys[pointer] == pos(DOC, needle)
    assert source.where(pointer, key=True) == pos(DOC, needle)


def test_where_falls_back_to_the_nearest_parent() -> None:
    source, _ = parse(DOC)
    assert source is not None
    assert source.where("/vision/missing/deeper") == source.values["/vision"]
    assert source.where("/missing", key=True) == source.values[""]


def test_duplicate_key() -> None:
    text = "title: One\nsummary: x\ntitle: Two\n"
    finding = refused(text, "Y002")
    assert (finding.line, finding.col) == pos(text, "title", 2)
    assert "first on line 1" in finding.message


def test_alias_is_refused_where_it_is_used() -> None:
    text = "title: &name Mini\nsummary: *name\n"
    finding = refused(text, "Y003")
    assert (finding.line, finding.col) == pos(text, "*name")


def test_alias_bomb_is_refused_at_once() -> None:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in "bcdefghij":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [{', '.join([f'*{previous}'] * 9)}]")
    text = "\n".join(lines) + "\n"
    finding = refused(text, "Y003")
    assert (finding.line, finding.col) == pos(text, "*a")


def test_recursive_alias() -> None:
    text = "a: &loop [1, *loop]\n"
    finding = refused(text, "Y003")
    assert (finding.line, finding.col) == pos(text, "*loop")


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("title: !!python/object/apply:os.system [echo hi]\n", "!!python"),
        ("title: !!python/name:os.system ''\n", "!!python"),
        ("title: !custom Mini\n", "!custom"),
        ("title: !!binary aGVsbG8=\n", "!!binary"),
        ("title: !!set {a, b}\n", "!!set"),
        ("title: Mini\n? [a, b]\n: complex key\n", "[a, b]"),
    ],
)
def test_tags_and_complex_keys_are_refused(text: str, needle: str) -> None:
    finding = refused(text, "Y004")
    assert (finding.line, finding.col) == pos(text, needle)


@pytest.mark.parametrize(
    "raw",
    [
        "title: Mini\n".encode("utf-16"),
        b"\xff\xfe" + "title: Mini\n".encode("utf-16-le"),
        b"\xfe\xff" + "title: Mini\n".encode("utf-16-be"),
        "title: Mini\n".encode("utf-16-le"),  # no byte order mark: NUL bytes give it away
        b"title: Mini\n\x00\x01\x02binary",
    ],
)
def test_utf16_and_binary_are_refused(raw: bytes) -> None:
    finding = refused(raw, "Y005")
    assert (finding.line, finding.col) == (1, 1)


def test_non_utf8_is_located() -> None:
    text = "title: Mini\nsummary: café\n"
    finding = refused(text.replace("é", "\xe9").encode("latin-1"), "Y005")
    assert (finding.line, finding.col) == pos(text, "é")
    assert "UTF-8" in finding.message


def test_byte_order_mark_is_accepted() -> None:
    source, findings = parse("\ufefftitle: Mini\n".encode())
    assert findings == []
    assert source is not None
    assert source.data == {"title": "Mini"}
    assert source.text.startswith("title")


def test_tab_indentation_is_located() -> None:
    text = "vision:\n\tstatement: x\n  \texperiences: []\n"
    source, findings = parse(text)
    assert source is None
    assert [(f.code, f.line, f.col) for f in findings] == [
        ("Y007", *pos(text, "\tstatement")),
        ("Y007", *pos(text, "\texperiences")),
    ]


@pytest.mark.parametrize("text", ["", "\n\n", "   \n", "# only a comment\n# and another\n"])
def test_empty_file(text: str) -> None:
    assert refused(text, "Y009").line == 1


def test_nesting_up_to_the_limit_is_accepted() -> None:
    # The file's mapping is at depth 0, so the innermost list here is at depth MAX_DEPTH.
    source, findings = parse("title: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n")
    assert findings == []
    assert source is not None
    one_more = "title: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n"
    assert refused(one_more, "Y008").col == len("title: ") + MAX_DEPTH + 1


def test_deep_nesting_is_refused() -> None:
    text = "title: Mini\nsummary: " + "[" * (MAX_DEPTH + 5) + "x" + "]" * (MAX_DEPTH + 5) + "\n"
    finding = refused(text, "Y008")
    assert finding.line == pos(text, "summary")[0]


def test_deep_block_nesting_is_refused() -> None:
    text = "".join(f"{'  ' * level}k{level}:\n" for level in range(MAX_DEPTH + 5)) + "\n"
    finding = refused(text, "Y008")
    # k0's value is at depth 1, so the mapping that starts with k41 is the first one too deep.
    assert (finding.line, finding.col) == pos(text, f"k{MAX_DEPTH + 1}:")


def test_absurd_nesting_is_refused_not_a_crash() -> None:
    assert refused("[" * 100_000 + "]" * 100_000, "Y008").line == 1


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("title: Mini\nsummary: Mini: a roadmap\n", ": a roadmap"),  # a colon inside a plain value
        ("title: Mini\nsummary: 'unclosed\n", None),
        ("title: [a, b\nsummary: x\n", None),
        ("title: Mini\n---\nsummary: two documents\n", "---"),
        ("title: Mini\nsummary: bell\x07\n", "\x07"),  # a control character
    ],
)
def test_syntax_errors_are_located(text: str, needle: str | None) -> None:
    finding = refused(text, "Y001")
    # the common mistakes have their own words (tests/test_yaml_messages.py)
    assert finding.message.startswith("the YAML cannot be read") or "quote" in finding.message
    if needle is None:  # the parser gives up on a later line than the start of the problem
        assert finding.line > 1
    else:
        assert (finding.line, finding.col) == pos(text, needle)


@pytest.mark.parametrize(
    "raw",
    [b"", b"\x00", b"\xff\xfe\x00", b"\xc3", b"[", b"{a: [}", b"*x", b"&a", b"!", b"? ? ?", b"- - -\n\t-",
     b"key: \"\\x\"", b"%YAML 9.9\n---\na: 1", b"a: 1\n...\n---\n", b"\xef\xbb\xbf", b"\r\r\r", b"\\"],
)
def test_parse_never_raises(raw: bytes) -> None:
    source, findings = parse(raw)
    assert (source is None) == bool(findings)


def test_load_never_raises_on_odd_files(mini: Path) -> None:
    (mini / "pillars" / "loop.yaml").symlink_to("loop.yaml")
    (mini / "pillars" / "gone.yaml").symlink_to("no-such-file.yaml")
    (mini / "pillars" / "folder.yaml").mkdir()
    (mini / "pillars" / "to-folder.yaml").symlink_to("folder.yaml")
    (mini / "glossary.yaml").write_bytes(b"\xff\xfe\x00\x00")
    loaded = load(mini)
    found = {(f.path, f.code) for f in loaded.findings}
    assert found == {
        ("roadmap/pillars/loop.yaml", "F004"),
        ("roadmap/pillars/gone.yaml", "F004"),
        ("roadmap/pillars/to-folder.yaml", "F004"),
        ("roadmap/pillars/folder.yaml", "F001"),  # a folder nobody reads is a finding too
        ("roadmap/glossary.yaml", "Y005"),
    }


def test_size_limit(mini: Path) -> None:
    glossary = mini / "glossary.yaml"
    glossary.write_bytes(b"#" * MAX_BYTES)  # at the limit: read, and found empty
    assert [f.code for f in load(mini).findings] == ["Y009"]
    glossary.write_bytes(b"#" * (MAX_BYTES + 1))
    assert [(f.code, f.path, f.line) for f in load(mini).findings] == [("Y006", "roadmap/glossary.yaml", 1)]


def test_paths_are_relative_to_the_roadmap_parent(mini: Path) -> None:
    loaded = load(mini)
    assert loaded.findings == []
    assert {s.rel for s in loaded.sources} >= {"roadmap/programme.yaml", "roadmap/pillars/leadership.yaml"}
    assert {s.kind for s in loaded.sources} == {
        "programme", "organisations", "governance", "measures", "glossary", "framework", "pillar", "review",
    }


@pytest.mark.parametrize(("rel", "kind"), [
    ("programme.yaml", "programme"), ("pillars/a.yaml", "pillar"), ("pillars/.a.yaml", "pillar"),
    ("reviews/2026-q1.yaml", "review"), ("frameworks/ltwp.yaml", "framework"),
    ("pillars/a/b.yaml", None), ("x/pillars/a.yaml", None), ("Pillars/a.yaml", None),
    ("pillars/a.yml", None), ("a/programme.yaml", None), ("pillars.yaml", None)])
def test_a_files_kind_is_found_by_its_place_in_the_roadmap_folder(rel: str, kind: str | None) -> None:
    assert kind_of(rel) == kind
