"""Hostile and broken roadmaps: `roadmap check` reports each one as a located finding.

The corpus lives in tests/hostile/cases.yaml: each case is a mutation of the mini
fixture. For every case `roadmap check` runs in a subprocess, so a crash shows as a
traceback; it must exit 1 with the expected code at the expected line, or 0 for
`expect: ok`. Hangs are caught, not timed: the subprocess may use 2 seconds of CPU
(RLIMIT_CPU, so a busy machine cannot make it flaky) and is stopped after 60 seconds of
waiting (a read that blocks uses no CPU).
A second test sweeps every value of every fixture file, replacing it with a value of
the wrong type, and expects a finding on that value's line.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.check import MAX_MESSAGE, RULES, check
from generator.load import load
from tests.conftest import MINI, REPO

resource = pytest.importorskip("resource")  # POSIX: CPU limits, symbolic links, named pipes

CASES_FILE = Path(__file__).parent / "hostile" / "cases.yaml"
CPU_SECONDS = 2  # a check that needs more CPU than this is treated as a hang
WAIT_SECONDS = 60  # a check blocked this long (on a pipe, say) is treated as a hang

Recipe = Callable[..., bytes]


# ---------------------------------------------------------------- recipes: bytes made at test time

def _header(original: str) -> str:
    return original.split("\n", 1)[0] + "\n"


def huge(original: str) -> bytes:
    """A 20 MB file (never committed): the loader refuses it before reading it."""
    return (_header(original) + "title: " + "x" * 20_000_000 + "\n").encode()


def random_binary(original: str) -> bytes:
    return random.Random(6).randbytes(4096) + b"\x00"


def png(original: str) -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


def latin1(original: str) -> bytes:
    return original.replace("short_name: Test ICB", "short_name: Test ICB Café").encode("latin-1")


def utf16(original: str) -> bytes:
    return original.encode("utf-16")  # with a byte-order mark


def utf16be(original: str) -> bytes:
    return original.encode("utf-16-be")  # no byte-order mark


def surrogate(original: str) -> bytes:
    """A UTF-16 surrogate encoded as if it were UTF-8 (CESU-8), which UTF-8 forbids."""
    return original.encode().replace(b"term: ICS", b"term: IC\xed\xa0\x80S")


def bom(original: str) -> bytes:
    return b"\xef\xbb\xbf" + original.encode()


def deep_flow(original: str, depth: int) -> bytes:
    return (original + "deep: " + "[" * depth + "]" * depth + "\n").encode()


def deep_block(original: str, depth: int) -> bytes:
    return (original + "".join(f"{'  ' * i}k{i}:\n" for i in range(depth)) + "  " * depth + "end\n").encode()


def long_value(original: str, key: str, size: int) -> bytes:
    lines = original.split("\n")
    number = next(i for i, line in enumerate(lines) if line.startswith(key))
    lines[number] = key + "Ab" * (size // 2)
    return "\n".join(lines).encode()


def long_key(original: str, size: int) -> bytes:
    return (original + "k" * size + ": value\n").encode()


def alias_bomb(original: str) -> bytes:
    """'Billion laughs': nine levels of nine aliases would expand to 10⁹ strings."""
    lines = [_header(original).rstrip(), f"a: &a [{', '.join(['lol'] * 9)}]"]
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    return ("\n".join(lines) + "\n").encode()


def many_members(original: str, count: int) -> bytes:
    """A list of identical mappings where the schema wants unique ids (once quadratic)."""
    members = "members: [" + ", ".join(["{}"] * count) + "]"
    return original.replace("members: [test-icb, test-trust, test-council]", members).encode()


def many_entries(original: str, count: int) -> bytes:
    return (_header(original) + "\norganisations:\n" + "  - {}\n" * count).encode()


def many_keys(original: str, count: int) -> bytes:
    return (_header(original) + "\n" + "".join(f"k{n}: 1\n" for n in range(count))).encode()


def leadership_copy(original: str) -> bytes:
    """The mini fixture's leadership pillar, for a file of another name."""
    return (MINI / "roadmap" / "pillars" / "leadership.yaml").read_bytes()


RECIPES: dict[str, Recipe] = {f.__name__: f for f in (
    huge, random_binary, png, latin1, utf16, utf16be, surrogate, bom, deep_flow, deep_block,
    long_value, long_key, alias_bomb, many_members, many_entries, leadership_copy, many_keys)}


# ---------------------------------------------------------------- the corpus

@dataclass(frozen=True)
class Case:
    name: str
    edits: list[dict[str, Any]]
    expect: dict[str, Any] | None  # None: the roadmap must pass

    @property
    def path(self) -> str:
        """The path findings use for the expected file."""
        assert self.expect is not None
        return "roadmap/" + self.expect.get("file", self.edits[0]["file"])


def cases() -> list[Case]:
    raw = yaml.safe_load(CASES_FILE.read_text("utf-8"))
    return [Case(c["name"], c["edits"], None if c["expect"] == "ok" else c["expect"]) for c in raw]


CASES = cases()


def apply(edit: dict[str, Any], root: Path) -> None:
    """Carry out one edit of a case on the roadmap copy at root."""
    path = root / edit["file"]
    outside = root.parent / "outside"
    original = path.read_text("utf-8") if path.is_file() else ""
    path.parent.mkdir(parents=True, exist_ok=True)
    if "replace" in edit:
        old, new = edit["replace"]
        assert old in original, f"{old!r} not in {edit['file']}"
        path.write_text(original.replace(old, new, 1), "utf-8")
    elif "write" in edit:
        header = (root / "pillars" / "leadership.yaml").read_text("utf-8").split("\n", 1)[0]
        if original:
            header = _header(original).rstrip("\n")
        path.write_text(edit["write"].replace("{header}", header), "utf-8")
    elif "append" in edit:
        path.write_text(original + edit["append"], "utf-8")
    elif "recipe" in edit:
        args = {k: v for k, v in edit.items() if k not in ("file", "recipe")}
        path.write_bytes(RECIPES[edit["recipe"]](original, **args))
    elif edit.get("delete"):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    elif "symlink" in edit:
        path.symlink_to(edit["symlink"].replace("{outside}", str(outside)))
    elif edit.get("fifo"):
        os.mkfifo(path)
    else:
        raise AssertionError(f"unknown edit {edit}")


@pytest.fixture
def roadmap(tmp_path: Path) -> Path:
    """A copy of the mini roadmap, with a folder outside it for links to point at."""
    shutil.copytree(MINI / "roadmap", tmp_path / "roadmap")
    shutil.copytree(MINI / "roadmap" / "pillars", tmp_path / "outside")
    return tmp_path / "roadmap"


def _limit_cpu() -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS + 1))


def roadmap_check(root: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "generator.cli", "check", str(root), "--format", "json"]
    try:
        done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False,
                              timeout=WAIT_SECONDS, preexec_fn=_limit_cpu)
    except subprocess.TimeoutExpired:
        pytest.fail(f"roadmap check was still waiting after {WAIT_SECONDS} s (blocked on a read?)")
    if done.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        pytest.fail(f"roadmap check used more than {CPU_SECONDS} s of CPU (a hang?)")
    return done


@pytest.fixture(scope="session", autouse=True)
def warm_imports() -> None:
    """Run the check once without the guard, so a cold start (compiling .pyc files)
    is not mistaken for a hang by the first case."""
    command = [sys.executable, "-m", "generator.cli", "check", str(MINI / "roadmap")]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_corpus_is_large_and_names_are_unique() -> None:
    names = [case.name for case in CASES]
    assert len(names) >= 50
    assert len(set(names)) == len(names)
    assert {edit.get("recipe") for case in CASES for edit in case.edits} - {None} == set(RECIPES)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_input_is_a_located_finding(case: Case, roadmap: Path) -> None:
    for edit in case.edits:
        apply(edit, roadmap)
    done = roadmap_check(roadmap)
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stderr == ""
    findings = json.loads(done.stdout)
    shown = "\n".join(f"{f['path']}:{f['line']}: {f['code']} {f['message'][:160]}" for f in findings)
    for finding in findings:
        assert finding["code"] in RULES
        assert finding["line"] >= 1 and finding["col"] >= 1
        assert len(finding["message"]) <= MAX_MESSAGE, finding["message"][:MAX_MESSAGE]
    if case.expect is None:
        assert done.returncode == 0, shown
        return
    assert done.returncode == 1, shown
    wanted = (case.path, case.expect["line"], case.expect["code"])
    assert wanted in {(f["path"], f["line"], f["code"]) for f in findings}, shown


# ---------------------------------------------------------------- wrong types everywhere

def _nodes(node: yaml.Node) -> Iterator[yaml.Node]:
    yield node
    if isinstance(node, yaml.MappingNode):
        for _key, value in node.value:
            yield from _nodes(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _nodes(item)


def wrong_value(node: yaml.Node) -> str:
    """Flow YAML of a type no schema field accepts where this node stands."""
    if isinstance(node, yaml.ScalarNode):
        return "{wrong: [type]}" if node.tag.endswith(":str") else "[wrong, type]"
    return "42" if isinstance(node, yaml.MappingNode) else '"wrong type"'


def mutations() -> Iterator[tuple[str, int, int, int, str]]:
    """(file, line, start, end, replacement) for every value below the top of every file."""
    for path in sorted((MINI / "roadmap").rglob("*.yaml")):
        text = path.read_text("utf-8")
        for node in list(_nodes(yaml.compose(text)))[1:]:
            start, end = node.start_mark.index, node.end_mark.index
            rel = path.relative_to(MINI / "roadmap").as_posix()
            yield rel, node.start_mark.line + 1, start, end, wrong_value(node)


MUTATIONS = list(mutations())


@pytest.mark.parametrize("rel", sorted({m[0] for m in MUTATIONS}))
def test_a_wrong_type_anywhere_is_found_on_its_line(rel: str, mini: Path) -> None:
    """Each value of the file in turn becomes a value of another type: the check never
    raises and reports an error on that value's line."""
    path = mini / rel
    original = path.read_text("utf-8")
    missed = []
    for _, line, start, end, wrong in (m for m in MUTATIONS if m[0] == rel):
        path.write_text(original[:start] + wrong + original[end:], "utf-8")
        findings = check(load(mini))
        if not any(f.path == f"roadmap/{rel}" and f.line == line and f.severity == "error"
                   for f in findings):
            missed.append(f"line {line}: {original[start:end][:40]!r} → {wrong}")
    assert not missed, "\n".join(missed)


def test_the_sweep_covers_every_value() -> None:
    assert len(MUTATIONS) > 300
    assert {m[0] for m in MUTATIONS} == {p.relative_to(MINI / "roadmap").as_posix()
                                         for p in (MINI / "roadmap").rglob("*.yaml")}
    assert all(re.fullmatch(r"[\w\-/.]+\.yaml", m[0]) for m in MUTATIONS)
