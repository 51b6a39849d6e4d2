"""The check reruns only what a changed file can affect: the rules that read one file run per
file and are kept per file (generator/check/perfile.py), and after any series of edits the
check with its cache finds exactly what a check from nothing finds."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks import adversarial
from benchmarks.synth import _dump, _read, synthesise
from generator import cache as cache_module
from generator import load as load_module
from generator.cache import DISABLE_ENV, Cache
from generator.check import check, perfile
from generator.check.context import Context
from generator.check.registry import CHECKS, SCOPES
from generator.check.schema import SCHEMA_DIR
from generator.collect import entities
from generator.findings import Finding
from generator.load import AS_AT_ENV, Loaded, load_as_at
from generator.pipeline import checked
from tests.conftest import MINI, SAMPLE, edit
from tests.test_hostile import CASES, Case, apply

PER_FILE = [rule for rule in CHECKS if SCOPES[rule] != "roadmap"]


@pytest.fixture
def cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The generator's cache on (tests/conftest.py turns it off), with its own key."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.delenv(DISABLE_ENV, raising=False)
    cache_module._secret.cache_clear()
    return tmp_path


@pytest.fixture
def sample(cached: Path) -> Path:
    shutil.copytree(SAMPLE / "roadmap", cached / "roadmap")
    return cached / "roadmap"


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files whose per-file rules ran with the cache on, once per group of rules ("file",
    "file+programme"); the checks from nothing that the cached one is compared with are not counted."""
    ran: list[str] = []
    real = perfile.run_rules

    def counted(rules, context: Context, bound: int):  # type: ignore[no-untyped-def]
        if not os.environ.get(DISABLE_ENV):
            ran.append(context.sources[0].rel)
        return real(rules, context, bound)

    monkeypatch.setattr(perfile, "run_rules", counted)
    return ran


def fresh(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[Finding]:
    """A check from nothing, as the first ever run makes it."""
    with monkeypatch.context() as clean:
        clean.setenv(DISABLE_ENV, "1")
        return check(load_as_at(root))


def whole(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[Finding]:
    """The check with every rule run on the whole roadmap, as before rules had scopes."""
    with monkeypatch.context() as clean:
        clean.setenv(DISABLE_ENV, "1")
        clean.setattr(perfile, "SCOPES", {})
        return check(load_as_at(root))


def incremental(root: Path) -> list[Finding]:
    return check(load_as_at(root), Cache.for_root(root))


def same_as_fresh(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[Finding]:
    found = incremental(root)
    assert found == fresh(root, monkeypatch) == whole(root, monkeypatch)
    return found


def files(root: Path) -> int:
    return len(list(root.rglob("*.yaml")))


# ---------------------------------------------------------------- the same findings after edits

def test_after_a_series_of_edits_the_cached_check_finds_what_a_fresh_one_finds(
        sample: Path, runs: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    pillar = sorted((sample / "pillars").glob("*.yaml"))[0]
    review = sorted((sample / "reviews").glob("*.yaml"))[-1]
    first = same_as_fresh(sample, monkeypatch)
    assert {f.code for f in first} >= {"D003", "H006", "W001"}  # per-file and cross-file findings
    assert len(runs) == 2 * files(sample)  # each file's two groups of rules, once

    runs.clear()  # nothing changed: nothing runs again
    assert same_as_fresh(sample, monkeypatch) == first and runs == []

    edit(pillar, "\ntitle: ", "\ntitle: Edited ")  # a title
    same_as_fresh(sample, monkeypatch)
    assert runs == ["roadmap/" + pillar.relative_to(sample).as_posix()] * 2

    runs.clear()  # a broken reference: a cross-file finding in the edited file
    owner = re.search(r"\n    owner: (\S+)", pillar.read_text("utf-8"))
    assert owner
    edit(pillar, owner[0], "\n    owner: no-such-organisation")
    assert "R001" in {f.code for f in same_as_fresh(sample, monkeypatch)}
    assert len(runs) == 2

    runs.clear()  # a YAML syntax error, then fixed: other files' findings come back
    text = pillar.read_text("utf-8")
    pillar.write_text(text.replace("\ntitle: ", "\ntitle: [", 1), "utf-8")
    broken = same_as_fresh(sample, monkeypatch)
    assert {"Y001", "F006"} <= {f.code for f in broken}
    pillar.write_text(text, "utf-8")
    assert "R001" in {f.code for f in same_as_fresh(sample, monkeypatch)}
    assert len(runs) == 2  # the file again: it was not kept while it could not be read

    runs.clear()  # a removed file
    review.unlink()
    same_as_fresh(sample, monkeypatch)
    assert runs == []

    runs.clear()  # a new file: a copy of a pillar with new ids
    copy = pillar.with_name("copied-pillar.yaml")
    copy.write_text(re.sub(r"(\bid: )([a-z0-9-]+)", r"\1\2-copy", text), "utf-8")
    same_as_fresh(sample, monkeypatch)
    assert runs == ["roadmap/pillars/copied-pillar.yaml"] * 2

    runs.clear()  # a changed as_at: the rules that read the programme run again everywhere
    programme = (sample / "programme.yaml").read_text("utf-8")
    as_at = re.search(r"\nas_at: (\S+)", programme)
    assert as_at
    edit(sample / "programme.yaml", as_at[0], "\nas_at: 2031-03-31")
    later = same_as_fresh(sample, monkeypatch)
    assert later != first
    assert len(runs) == files(sample) + 1  # every file's programme rules, and the programme's own

    runs.clear()  # the date the check runs as at, from `--as-at`
    monkeypatch.setenv(AS_AT_ENV, "2024-01-31")
    assert same_as_fresh(sample, monkeypatch) != later
    assert len(runs) == files(sample) + 1


def test_a_schema_folder_beside_the_roadmap_is_read_again(
        sample: Path, runs: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """E001 checks each file's first line exactly when schema/ is beside the roadmap."""
    assert "E001" not in {f.code for f in same_as_fresh(sample, monkeypatch)}
    shutil.copytree(SCHEMA_DIR, sample.parent / "schema")
    runs.clear()
    assert "E001" in {f.code for f in same_as_fresh(sample, monkeypatch)}
    assert len(runs) == 2 * files(sample)


def test_what_the_cache_holds_that_is_not_as_written_is_made_again(
        sample: Path, runs: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    first = incremental(sample)
    loaded = load_as_at(sample)
    context = Context(loaded.root, loaded.sources, list(entities(loaded.sources)))
    by_file = perfile.ByFile(context, None, CHECKS, bound=10)
    cache = Cache.for_root(sample)
    kept = cache.get(by_file.name)
    assert isinstance(kept, dict) and len(kept) == files(sample)  # one entry a file
    for n, key in enumerate(sorted(kept)):  # each entry spoilt in another way
        kept[key] = [None, "text", {"a": 1}, [[1, 2]], [[], [], "", [], {"v": [1]}]][n % 5]
    cache.put(by_file.name, kept)
    runs.clear()
    assert same_as_fresh(sample, monkeypatch) == first
    assert len(runs) == 2 * files(sample)
    cache.put(by_file.name, ["not", "a", "mapping"])
    runs.clear()
    assert same_as_fresh(sample, monkeypatch) == first
    assert len(runs) == 2 * files(sample)


def test_through_the_pipeline_the_cached_check_is_the_fresh_one(
        sample: Path, runs: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    loaded = load_as_at(sample)
    first = checked(loaded, Cache.for_root(sample))
    assert first == fresh(sample, monkeypatch)
    pillar = sorted((sample / "pillars").glob("*.yaml"))[1]
    edit(pillar, "\ntitle: ", "\ntitle: Edited ")
    runs.clear()
    assert checked(load_as_at(sample), Cache.for_root(sample)) == fresh(sample, monkeypatch)
    assert len(runs) == 2


def test_findings_in_files_that_did_not_change_are_located_without_their_positions(
        sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    real = load_module._positions

    def counted(raw: bytes, rel: str, *args):  # type: ignore[no-untyped-def]
        asked.append(rel)
        return real(raw, rel, *args)

    monkeypatch.setattr(load_module, "_positions", counted)
    first = incremental(sample)  # parsed now: positions in hand
    located = {f.path for f in first if (f.line, f.col) != (1, 1)}
    assert len(located) >= 3 and asked == []
    pillar = sorted((sample / "pillars").glob("*.yaml"))[2]
    edit(pillar, "\ntitle: ", "\ntitle: Edited ")
    assert incremental(sample) == first  # every file but the edited one read from the cache
    assert asked == []  # the findings kept their lines and columns
    # The findings of a rule across files (H003, W001) are located from the positions kept too.
    assert {"H003", "W001"} <= {f.code for f in first if f.path in located}


# ---------------------------------------------------------------- per file is the whole roadmap

def per_file_and_whole(loaded: Loaded) -> Iterator[tuple[str, list[Finding], list[Finding]]]:
    """Each per-file rule's findings run per file (as the check runs it) and on the whole."""
    context = Context(loaded.root, loaded.sources, list(entities(loaded.sources)))
    by_file = perfile.ByFile(context, None, CHECKS, bound=10**9)
    for rule in PER_FILE:
        yield rule.__name__, list(by_file.found(rule)), list(rule(context))


def wrong_everywhere(root: Path) -> Path:
    """The sample twice over, with every pillar and review broken so that each per-file
    rule finds something in several files."""
    synthesise(2, root, source=SAMPLE / "roadmap")
    note = "Broken on purpose, for tests/test_check_cache.py."
    programme = _read(root / "programme.yaml")
    programme["settings"]["illustrative_allowed"] = False  # P002 (the pillars are illustrative)
    (root / "programme.yaml").write_text(_dump(programme, "programme", 1, note), "utf-8")
    measures = _read(root / "measures.yaml")
    measures["measures"][0]["readings"].reverse()  # M001
    (root / "measures.yaml").write_text(_dump(measures, "measures", 1, note), "utf-8")
    for path in sorted((root / "pillars").glob("*.yaml")):
        pillar = _read(path)
        pillar.pop("accountable", None)
        pillar.pop("handover", None)
        pillar.update(title=f"TODO {pillar['title']}", last_reviewed="2026-02-30")  # P005, D001
        pillar["links"] = [{"url": "javascript:alert(1)"}]  # L001
        first, second = pillar["priorities"][:2]
        first.update(status="complete", illustrative_fields=["no-such-field"])  # H005, P003
        first.pop("handover", None)  # C001
        first["actions"][0].update(id="nul", due="2099-12-31")  # R004, D005
        first["actions"][1].update(title="\u200b ")  # T001
        second.update(status="off-track", timeframe={"start": "2027-01", "end": "2025-01"})  # H002, D002
        second.pop("recovery", None)
        second.pop("escalation", None)
        for priority in pillar["priorities"]:
            priority.pop("accountable", None)  # A001
            priority["logic_model"] = {"outcomes": {"horizon_years": {"short": 3, "medium": 1}}}  # O001
            priority["commitments"] = [{"quantities": [{"amount": 0}]}]  # Q001
        path.write_text(_dump(pillar, "pillar", 2, note), "utf-8")
    for path in sorted((root / "reviews").glob("*.yaml")):
        review = _read(path)
        review["summary"] = "TBC"  # P006
        path.write_text(_dump(review, "review", 2, note).replace("# yaml", "# not yaml", 1), "utf-8")  # E001
    return root


def fixtures(tmp: Path) -> Iterator[Path]:
    yield wrong_everywhere(tmp / "wrong")
    yield SAMPLE / "roadmap"
    yield MINI / "roadmap"
    synthesise(3, tmp / "synth", source=SAMPLE / "roadmap")
    yield tmp / "synth"
    for case in adversarial.CASES:
        yield adversarial.make(case, tmp / case, source=SAMPLE / "roadmap")


def test_every_per_file_rule_gives_per_file_what_it_gives_on_the_whole_roadmap(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files_with_findings: dict[str, set[str]] = {rule.__name__: set() for rule in PER_FILE}
    for root in fixtures(tmp_path):
        for as_at in ("", "2031-03-31"):  # later, more of the dated rules fire
            monkeypatch.setenv(AS_AT_ENV, as_at)
            for name, by_file, on_whole in per_file_and_whole(load_as_at(root)):
                assert by_file == on_whole, (root.name, as_at, name)
                files_with_findings[name].update(f"{root}/{f.path}" for f in by_file)
    # Not vacuous: every per-file rule finds something, most of them in many files.
    assert {name for name, found in files_with_findings.items() if not found} == set()
    assert sum(len(found) >= 4 for found in files_with_findings.values()) >= len(PER_FILE) - 3


@pytest.fixture
def hostile(cached: Path) -> Path:
    """A copy of the mini roadmap whose check is in the cache, with a folder outside it."""
    shutil.copytree(MINI / "roadmap", cached / "roadmap")
    shutil.copytree(MINI / "roadmap" / "pillars", cached / "outside")
    incremental(cached / "roadmap")
    return cached / "roadmap"


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_hostile_roadmap_gives_the_same_findings_per_file_and_cached(
        case: Case, hostile: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for change in case.edits:
        apply(change, hostile)
    for name, by_file, on_whole in per_file_and_whole(load_as_at(hostile)):
        assert by_file == on_whole, name
    same_as_fresh(hostile, monkeypatch)


# ---------------------------------------------------------------- one bound per rule

def test_the_bound_on_a_rule_is_over_the_whole_roadmap(cached: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a bound smaller than a rule's findings across files, the check per file keeps
    the same first findings as the rule on the whole roadmap."""
    import generator.check as check_module

    root = cached / "roadmap"
    synthesise(4, root, source=SAMPLE / "roadmap")
    monkeypatch.setenv(AS_AT_ENV, "2031-03-31")
    spread = {name: {f.path for f in by_file} for name, by_file, _ in per_file_and_whole(load_as_at(root))}
    assert max(len(paths) for paths in spread.values()) >= 4  # a rule with findings in many files
    monkeypatch.setattr(check_module, "MAX_PER_RULE", 3)
    assert incremental(root) == fresh(root, monkeypatch) == whole(root, monkeypatch)
    edit(sorted((root / "pillars").glob("*.yaml"))[0], "\ntitle: ", "\ntitle: Edited ")
    assert incremental(root) == fresh(root, monkeypatch) == whole(root, monkeypatch)


def test_roadmap_check_keeps_what_it_found(sample: Path, runs: list[str], monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    """`roadmap check` uses the cache too: run again after an edit, it checks the edited file."""
    from generator.cli import main

    main(["check", "--format", "json", str(sample)])
    first = capsys.readouterr().out
    assert len(runs) == 2 * files(sample)
    runs.clear()
    edit(sorted((sample / "pillars").glob("*.yaml"))[0], "\ntitle: ", "\ntitle: Edited ")
    main(["check", "--format", "json", str(sample)])
    assert capsys.readouterr().out == first  # a title changes no finding
    assert len(runs) == 2
    monkeypatch.setenv(DISABLE_ENV, "1")
    main(["check", "--format", "json", str(sample)])
    assert capsys.readouterr().out == first


# ---------------------------------------------------------------- the placeholder filter

def test_the_placeholder_filter_finds_what_its_pattern_finds() -> None:
    """The lower-case search stands in for `_WORDS` ignoring case: the only characters other
    than ASCII letters that match one of its letters are dotted and dotless i, searched as before."""
    import re
    import sys

    from generator.check.placeholders import _WORDS, may_hold_words

    letters = re.compile("[todbcfil]", re.IGNORECASE)
    odd = {chr(c) for c in range(128, sys.maxunicode + 1)
           if not 0xD800 <= c <= 0xDFFF and letters.fullmatch(chr(c))}
    assert odd == {"\u0130", "\u0131"}
    words = ["todo", "tbc", "fill"]
    texts = ["", "nothing here", "a TODO", "Tbc", "fIlL", "to fi\nll", *(w.upper() for w in words),
             *(w.replace("i", ch) for w in words for ch in odd), "f\u0130ll in", "f\u0131ll", "toDo"]
    for text in texts:
        assert may_hold_words(text) == (_WORDS.search(text) is not None), text
