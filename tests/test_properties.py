"""Property tests: whatever a roadmap file holds, load and check never raise.

Hypothesis writes arbitrary YAML-shaped values, the fixture's own data with a random part
replaced, arbitrary bytes, and the fixture's bytes with random damage into each kind of
roadmap file of the mini fixture. Only findings come back; when there are no errors the
roadmap must also resolve and render.
"""

from __future__ import annotations

import copy
import os
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cache import DISABLE_ENV
from generator.check import RULES, check, has_errors
from generator.findings import Finding, render
from generator.load import Loaded, Source, load, parse_source
from generator.model import resolve
from generator.render.pages import pages
from tests.conftest import MINI


def _fixture() -> Loaded:
    """The fixture as parsed now: a cache a run left beside it would hold no positions, and
    the keys below are read from them (this runs as the module loads, before conftest's
    fixtures turn the cache off)."""
    before = os.environ.get(DISABLE_ENV)
    os.environ[DISABLE_ENV] = "1"
    try:
        return load(MINI / "roadmap")
    finally:
        if before is None:
            del os.environ[DISABLE_ENV]
        else:
            os.environ[DISABLE_ENV] = before


FIXTURE = _fixture()
FILES = {source.rel: source for source in FIXTURE.sources}  # one of each kind, and more
KEYS = sorted({key for source in FIXTURE.sources for pointer in source.keys
               for key in [pointer.rsplit("/", 1)[-1]]})
# 100 examples keep the suite quick; ROADMAP_PROPERTY_EXAMPLES=5000 searches harder.
EXAMPLES = int(os.environ.get("ROADMAP_PROPERTY_EXAMPLES", "100"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

scalars = (st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
           | st.sampled_from(["2025-02-30", "2025-13", "test-icb", "ltwp:retain", "on-track",
                              "javascript:alert(1)", "", "../..", "con"]))
keys = st.sampled_from(KEYS) | st.text(max_size=8)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(keys, inner, max_size=6), max_leaves=25)


def check_with(rel: str, raw: bytes) -> list[Finding]:
    """Check the fixture with one file's bytes replaced, as `load` would read them."""
    fixture = FILES[rel]
    source, problems = parse_source(raw, rel, fixture.kind)
    sources = [s if s.rel != rel else source for s in FIXTURE.sources]
    loaded = Loaded(FIXTURE.root, [s for s in sources if s is not None], problems)
    findings = check(loaded)
    for finding in findings:
        assert isinstance(finding, Finding)
        assert finding.code in RULES and finding.line >= 1 and finding.col >= 1
    for fmt in ("text", "json", "github"):
        render(findings, fmt)
    if not has_errors(findings):
        pages(resolve(loaded))
    return findings


def dumped(rel: str, value: Any) -> bytes:
    header = FILES[rel].text.split("\n", 1)[0]
    return f"{header}\n{yaml.safe_dump(value, allow_unicode=True)}".encode()


def paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path to every value inside data."""
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += paths(value, (*prefix, i))
    return found


def replaced(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    data = copy.deepcopy(data)
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = value
    return data


@SETTINGS
@given(rel=st.sampled_from(sorted(FILES)), value=values)
def test_any_yaml_value_in_any_file_gives_only_findings(rel: str, value: Any) -> None:
    check_with(rel, dumped(rel, value))


@SETTINGS
@given(rel=st.sampled_from(sorted(FILES)), data=st.data(), value=values)
def test_the_fixture_with_any_part_replaced_gives_only_findings(rel: str, data: st.DataObject,
                                                                value: Any) -> None:
    original = FILES[rel].data
    path = data.draw(st.sampled_from(paths(original)))
    check_with(rel, dumped(rel, replaced(original, path, value)))


@SETTINGS
@given(rel=st.sampled_from(sorted(FILES)), raw=st.binary(max_size=2000))
def test_any_bytes_in_any_file_give_only_findings(rel: str, raw: bytes) -> None:
    check_with(rel, raw)


@SETTINGS
@given(rel=st.sampled_from(sorted(FILES)), data=st.data())
def test_damaged_bytes_give_only_findings(rel: str, data: st.DataObject) -> None:
    """The fixture's own bytes with a few bytes inserted, deleted or overwritten."""
    raw = bytearray(FILES[rel].text.encode())
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(raw)))
        junk = data.draw(st.binary(min_size=1, max_size=3)
                         | st.sampled_from([b"\t", b":", b"- ", b"&a ", b"*a", b"!!python/none ",
                                            b"{", b"]", b'"', b"\n  ", b"\xff", b"\x00"]))
        match data.draw(st.sampled_from(["insert", "delete", "overwrite"])):
            case "insert":
                raw[at:at] = junk
            case "delete":
                del raw[at:at + len(junk)]
            case "overwrite":
                raw[at:at + len(junk)] = junk
    check_with(rel, bytes(raw))


def test_the_fixture_itself_passes() -> None:
    assert not has_errors(check(FIXTURE))
    assert all(isinstance(s, Source) for s in FIXTURE.sources)
