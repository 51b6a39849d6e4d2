"""Incremental generation: after any series of edits, a run that reuses the cache writes
exactly what a clean run writes, and remakes only the pages whose inputs changed."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import cache as cache_module
from generator import export
from generator.cache import DISABLE_ENV, FOLDER, PREFIX, Cache, code_version
from generator.pipeline import generate
from generator.render import PART, reuse, workers
from tests.conftest import SAMPLE, edit


def first_pillar(root: Path) -> Path:
    return sorted((root / "pillars").glob("*.yaml"))[0]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))  # the key for cache names
    monkeypatch.delenv(DISABLE_ENV, raising=False)
    cache_module._secret.cache_clear()
    shutil.copytree(SAMPLE / "roadmap", tmp_path / "roadmap")
    return tmp_path


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def incremental_then_clean(project: Path, monkeypatch: pytest.MonkeyPatch,
                           same_process: bool = False) -> tuple[int, int]:
    """Generate with the cache, then without it into another folder, and compare the two.
    Each run is as in a new process, reading the last run from the cache, unless
    `same_process` (as `mkdocs serve` runs it): then the last run's index and pages are at hand."""
    if not same_process:
        monkeypatch.setattr(reuse, "_LAST", reuse._Last())
    result = generate(project / "roadmap", project / "docs")
    assert result.ok, [f.text() for f in result.findings if f.severity == "error"]
    with monkeypatch.context() as clean:
        clean.setenv(DISABLE_ENV, "1")
        shutil.rmtree(project / "clean", ignore_errors=True)
        assert generate(project / "roadmap", project / "clean").ok
    assert tree(project / "docs" / "roadmap") == tree(project / "clean" / "roadmap")
    assert result.reused is not None
    return result.reused


def remove_block(path: Path, start: str) -> None:
    """Delete a list item (from its `- id:` line to the next item at the same indent)."""
    lines = path.read_text("utf-8").splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if line.rstrip() == start)
    indent = start[:len(start) - len(start.lstrip())]
    end = next((i for i in range(first + 1, len(lines))
                if lines[i].startswith(f"{indent}- ")
                or (lines[i].strip() and not lines[i].startswith(indent))),
               len(lines))
    path.write_text("".join(lines[:first] + lines[end:]), "utf-8")


def copy_first_priority(path: Path, suffix: str) -> None:
    """A new priority: the pillar's first one again, with every id in it made new."""
    text = path.read_text("utf-8")
    start = text.index("\n  - id: ", text.index("priorities:")) + 1
    end = text.index("\n  - id: ", start) + 1
    block = re.sub(r"(- id: )([a-z0-9-]+)", rf"\g<1>\g<2>{suffix}", text[start:end])
    block = block.replace("    title: ", "    title: Copy of ", 1)
    path.write_text(text[:start] + block + text[start:], "utf-8")


def yaml_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.yaml"))


def _id(value: str) -> re.Pattern[str]:
    """An id as a whole word: not part of a longer id."""
    return re.compile(rf"(?<![\w-]){re.escape(value)}(?![\w-])")


def remove_measure(root: Path) -> str:
    """Delete a measure that is named only in priorities' `measures:` lists, and those names."""
    ids = [m["id"] for m in yaml.safe_load((root / "measures.yaml").read_text("utf-8"))["measures"]]
    texts = {path: path.read_text("utf-8") for path in yaml_files(root) if path.name != "measures.yaml"}
    for measure in reversed(ids):
        lines = [line for text in texts.values() for line in text.splitlines() if _id(measure).search(line)]
        if lines and all(re.match(r"\s*measures: \[.*,.*\]", line) for line in lines):
            break
    else:
        raise AssertionError("no measure is named only in lists of two or more")
    remove_block(root / "measures.yaml", f"  - id: {measure}")
    for path, text in texts.items():
        path.write_text(re.sub(rf",\s*{re.escape(measure)}(?![\w-])|(?<![\w-]){re.escape(measure)},\s*",
                               "", text), "utf-8")
    return measure


def rename(root: Path, old: str, new: str) -> None:
    """Rename an item everywhere, and say what it was called."""
    for path in yaml_files(root):
        path.write_text(_id(old).sub(new, path.read_text("utf-8")), "utf-8")
    pillar = first_pillar(root)
    edit(pillar, f"  - id: {new}\n", f"  - id: {new}\n    renamed_from: [{old}]\n")


@pytest.mark.parametrize(("same_process", "early"), [(False, False), (True, False), (False, True)],
                         ids=["new-process", "same-process", "downloads-started-early"])
def test_a_series_of_edits_gives_what_a_clean_run_gives(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                        same_process: bool, early: bool) -> None:
    """`early`: the downloads start in a process of their own before the rest is worked out,
    after every edit (at scale they do; the sample roadmap's are too quick to)."""
    root = project / "roadmap"
    started: list[int] = []
    if early:
        monkeypatch.setattr(reuse, "EARLY", -1.0)
        monkeypatch.setenv("ROADMAP_WORKERS", "2")
        start = workers.started

        def counted(jobs: list[Any]) -> Any:
            started.append(len(jobs))
            return start(jobs)

        monkeypatch.setattr(workers, "started", counted)
    pillar = first_pillar(root)
    first = yaml.safe_load(pillar.read_text("utf-8"))["priorities"][0]["id"]
    monkeypatch.setattr(reuse, "_LAST", reuse._Last())
    kept, made = incremental_then_clean(project, monkeypatch, same_process)
    assert kept == 0 and made > 50  # the first run makes everything
    kept, made = incremental_then_clean(project, monkeypatch, same_process)
    assert made == 0 and kept > 50  # nothing changed: nothing is made again

    titled = re.sub(r"(?m)^title: .*$", "title: An edited title", pillar.read_text("utf-8"), count=1)
    pillar.write_text(titled, "utf-8")
    kept, made = incremental_then_clean(project, monkeypatch, same_process)
    assert 0 < made < made + kept  # the pages made from that file and those that name it, not all

    edit(pillar, "status: on-track", "status: at-risk")
    kept, made = incremental_then_clean(project, monkeypatch, same_process)
    assert 0 < made < made + kept

    copy_first_priority(pillar, "-copy")
    incremental_then_clean(project, monkeypatch, same_process)

    measure = remove_measure(root)
    incremental_then_clean(project, monkeypatch, same_process)
    assert not (project / f"docs/roadmap/measures/{measure}.md").exists()

    rename(root, first, "a-renamed-priority")
    incremental_then_clean(project, monkeypatch, same_process)
    assert (project / "docs/roadmap/priorities/a-renamed-priority.md").exists()
    assert not (project / f"docs/roadmap/priorities/{first}.md").exists()
    if early:  # at the first run, and after each edit but not the run with none
        assert started.count(0) == 1 and set(started) == {0, len(export.PARTS)}


def test_a_change_of_code_or_template_starts_a_new_cache(project: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache is versioned by the generator's code, templates and schemas: one changed
    template makes another version, whose cache starts empty, and the old one is removed."""
    code = tmp_path / "code"
    shutil.copytree(Path(cache_module.__file__).parent / "render" / "templates", code / "templates")
    monkeypatch.setattr(cache_module, "_CODE", (code,))
    code_version.cache_clear()
    before = code_version()
    generate(project / "roadmap", project / "docs")
    old = [p.name for p in (project / FOLDER).glob(f"{PREFIX}*")]
    assert len(old) == 1

    template = next((code / "templates").rglob("*.j2"))
    template.write_text(template.read_text("utf-8") + "\n", "utf-8")
    code_version.cache_clear()
    assert code_version() != before
    result = generate(project / "roadmap", project / "docs")
    assert result.reused is not None and result.reused[0] == 0  # nothing taken from the old cache
    assert [p.name for p in (project / FOLDER).glob(f"{PREFIX}*")] not in ([], old)
    code_version.cache_clear()


def test_an_entry_put_there_by_someone_else_is_never_read(project: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Names in the cache are keyed with this user's secret: a cache copied in from elsewhere
    (or committed) under another user's key is never read."""
    generate(project / "roadmap", project / "docs")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-user"))
    cache_module._secret.cache_clear()
    try:
        result = generate(project / "roadmap", project / "docs")
        assert result.reused is not None and result.reused[0] == 0
    finally:
        cache_module._secret.cache_clear()


def test_without_a_place_for_the_key_nothing_is_cached(project: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = project / "not-a-folder"
    blocked.write_text("", "utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    cache_module._secret.cache_clear()
    try:
        assert Cache.for_root(project / "roadmap").folder is None
        assert generate(project / "roadmap", project / "docs").ok
        assert not (project / FOLDER).exists()
    finally:
        cache_module._secret.cache_clear()


def test_with_the_cache_off_nothing_is_noted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A clean build (ROADMAP_NO_CACHE) does only the work: no reads noted, nothing kept."""
    from generator.render import inputs

    def refused() -> None:
        raise AssertionError("reads were noted with the cache off")

    monkeypatch.setattr(inputs, "noting", refused)
    shutil.copytree(SAMPLE / "roadmap", tmp_path / "roadmap")
    result = generate(tmp_path / "roadmap", tmp_path / "docs")
    assert result.ok and result.reused is None and not (tmp_path / FOLDER).exists()


def test_findings_from_cached_files_stand_where_they_did(project: Path) -> None:
    """A file read back from the cache gives its findings at the same line and column as
    when it was parsed, with its positions kept apart (read only for a finding), and parsed
    again if they have gone from the cache."""
    from generator.check import check
    from generator.load import load

    root = project / "roadmap"
    edit(first_pillar(root), "status: on-track", "status: no-such-status")
    fresh = check(load(root))
    assert any(f.code != "W001" and f.line > 1 for f in fresh)
    cached, orphaned = load(root), load(root)
    assert all(s.positions is not None for s in cached.sources)  # every file came from the cache
    assert check(cached) == fresh
    for kept in (project / FOLDER).rglob("*.json"):
        kept.unlink()  # the positions have gone: the files are parsed again for them
    assert check(orphaned) == fresh


def test_what_is_worked_out_while_making_the_tasks_is_an_input_of_each(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Values worked out once for many pages (the timeline's span, the periods of the
    history) are read while the tasks are made: those reads are noted too, as inputs of
    every task made then."""
    from generator import model as m
    from generator.render import pages

    made = pages.tasks
    noted_then: list[bool] = []

    def watched(*args: object, **kwargs: object) -> object:
        noted_then.append("__getattribute__" in vars(m.Node))
        return made(*args, **kwargs)

    monkeypatch.setattr(pages, "tasks", watched)
    assert generate(project / "roadmap", project / "docs").ok
    assert noted_then == [True]


def test_the_downloads_are_made_from_everything_without_noting_each_read(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The open-data files read every item: instead of noting each read, they stand on the
    whole roadmap, and any change remakes them."""
    from generator import export
    from generator import model as m
    from generator.render import inputs

    parts = dict(export.PARTS)
    said = project / "noted-while-downloads"  # a file: the tasks may run in forked workers

    def watched(name: str, roadmap: m.Roadmap, cache: Cache | None = None) -> dict[str, str]:
        with said.open("a", encoding="utf-8") as out:
            out.write(f"{'__getattribute__' in vars(m.Node)}\n")
        return parts[name](roadmap, cache)

    def noted_while() -> list[str]:
        return said.read_text("utf-8").split()

    monkeypatch.setattr(export, "part", watched)
    generate(project / "roadmap", project / "docs")
    assert noted_while() == ["False"] * len(parts)
    index = Cache.for_root(project / "roadmap").get("pages-index")
    wholes = {name for name, record in index["tasks"].items()
              if [index["names"][i] for i in record["in"]] == [inputs.WHOLE]}
    assert wholes == {f"downloads:{name}" for name in parts}

    edit(first_pillar(project / "roadmap"), "status: on-track", "status: at-risk")
    kept, made = incremental_then_clean(project, monkeypatch)
    assert noted_while() == ["False"] * 3 * len(parts) and 0 < made < kept  # remade, then clean


def test_fingerprints_are_the_same_in_another_process(project: Path) -> None:
    """A fingerprint made from how a value is shown must not depend on the process: set order
    and object addresses change from run to run (and an address may be another object's)."""
    import subprocess
    import sys

    script = ("import sys\nfrom pathlib import Path\nfrom generator.load import load\n"
              "from generator.model import resolve\nfrom generator.render import inputs\n"
              "prints = inputs.Fingerprints(resolve(load(Path(sys.argv[1]))))\n"
              "print(sorted(prints.item_prints().items()), prints.of(inputs.WHOLE))\n")
    runs = {subprocess.run([sys.executable, "-c", script, str(project / "roadmap")], check=True,
                           capture_output=True, text=True).stdout for _ in range(2)}
    assert len(runs) == 1
    assert "object at 0x" not in runs.pop()


def test_a_value_shown_by_its_address_never_matches() -> None:
    from generator.render import inputs

    class Opaque:
        pass

    assert inputs.shown({"b", "a"}) == inputs.shown(frozenset({"a", "b"})) == repr(["'a'", "'b'"])
    opaque = [Opaque()]
    assert inputs.shown(opaque) != repr(opaque) and inputs.shown(opaque).startswith(repr(opaque))


def test_a_page_comes_back_exactly_as_it_was_kept(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages are kept as plain text: read back with no newline translated, and one that is not
    what its digest says (cut short, or changed by hand) is made again, and kept right."""
    incremental_then_clean(project, monkeypatch)
    kept = sorted((project / FOLDER).rglob("*.txt"))
    assert kept
    for page in kept:
        page.write_text(page.read_text("utf-8")[:-1] + "tampered", "utf-8")
    shutil.rmtree(project / "docs" / "roadmap")  # so every kept page is read back to be written
    incremental_then_clean(project, monkeypatch)  # the same as a clean run
    assert not [page for page in kept if page.read_text("utf-8").endswith("tampered")]

    cache = Cache.for_root(project / "roadmap")
    cache.put_text("some page", "one\r\ntwo\rthree\n")
    assert cache.get_text("some page") == "one\r\ntwo\rthree\n"


def test_a_run_after_an_edit_reads_back_no_page_it_kept(project: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A kept page is read back from the cache only when asked for: the files on disk hold
    the pages an edit left alone (`write` knows by its marks), so nothing asks. The kept
    parts of a page made in parts are read back, to be joined with the one the edit remade."""
    incremental_then_clean(project, monkeypatch)
    loads: list[str] = []
    real = reuse._load

    def counted(task: workers.Task, path: str, *args: Any) -> tuple[str, str]:
        loads.append(path)
        return real(task, path, *args)

    monkeypatch.setattr(reuse, "_load", counted)
    retitle_led_pillar(project)
    kept, made = incremental_then_clean(project, monkeypatch)
    assert kept > made > 0 and loads
    assert "roadmap/timeline.md" in {path.partition(PART)[0] for path in loads}
    assert all(PART in path for path in loads)
    loads.clear()
    (project / "docs" / "roadmap" / "status-key.md").write_text("changed by hand\n", "utf-8")
    incremental_then_clean(project, monkeypatch)  # (the page is read back, to be written)
    assert loads == ["roadmap/status-key.md"]


def retitle_led_pillar(project: Path) -> tuple[str, str]:
    """Retitle the fixture's first pillar that a partner leads ("Leaders all"): its id and the lead's."""
    for path in sorted((project / "roadmap" / "pillars").glob("*.yaml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        lead = (data.get("lead") or {}).get("organisation")
        if lead:
            edit(path, f"title: {data['title']}", "title: Leaders all")
            return data["id"], lead
    raise AssertionError("the fixture has no pillar that a partner leads")


def test_a_pillars_edit_remakes_its_own_section_of_the_timeline_only(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The timeline is made in parts: its head, a section for each pillar, the rest. A pillar's
    new title remakes that pillar's section, and the end of the page of the partner that
    leads it (the long list of its actions is the other part); each page is the same as a
    clean build's."""
    incremental_then_clean(project, monkeypatch)
    ran: list[str] = []
    real = reuse._recorded

    def noted(task: workers.Task) -> Any:
        ran.append(task.name)
        return real(task)

    monkeypatch.setattr(reuse, "_recorded", noted)
    monkeypatch.setenv("ROADMAP_WORKERS", "1")  # (so that the tasks run in this process)
    pillar, lead = retitle_led_pillar(project)
    incremental_then_clean(project, monkeypatch)
    parts = [name for name in ran if "timeline.md" in name]
    assert len(parts) == 1 and parts[0].endswith(f"|Pillar:{pillar}")
    assert "## Leaders all" in (project / "docs" / "roadmap" / "timeline.md").read_text("utf-8")
    assert [name.rpartition("|")[2] for name in ran if f"organisations/{lead}.md" in name] == ["rest"]
    partner = project / "docs" / "roadmap" / "organisations" / f"{lead}.md"
    assert "[Leaders all]" in partner.read_text("utf-8")


def test_an_edit_whose_tasks_read_what_they_read_before_updates_the_index_in_place(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After a title edit the remade tasks read the inputs they read last time: the index
    keeps its list of names, with new records and fingerprints, and holds for every task
    what the index made anew from the same records holds."""
    root = project / "roadmap"
    incremental_then_clean(project, monkeypatch)
    names = Cache.for_root(root).get(reuse.INDEX)["names"]
    pillar = first_pillar(root)
    pillar.write_text(re.sub(r"(?m)^title: .*$", "title: An edited title", pillar.read_text("utf-8"),
                             count=1), "utf-8")
    pairs: list[tuple[reuse.Index | None, reuse.Index]] = []
    update = reuse.Index.updated

    def both(last: reuse.Index, *args: Any) -> reuse.Index | None:
        pairs.append((update(last, *args), reuse._remade(last, *args)))
        return pairs[-1][0]

    monkeypatch.setattr(reuse.Index, "updated", both)
    _, made = incremental_then_clean(project, monkeypatch)
    [(updated, anew)] = pairs
    assert made > 0 and updated is not None and updated.names == names
    assert Cache.for_root(root).get(reuse.INDEX) == vars(updated)

    def record(index: reuse.Index, task: str) -> tuple[object, ...]:
        named = index.named(task)
        prints = {name: index.prints[index.names.index(name)] for name in named["in"]}
        return sorted(named["in"]), named["out"], named["took"], prints

    assert updated.tasks.keys() == anew.tasks.keys()
    assert all(record(updated, task) == record(anew, task) for task in anew.tasks)
    assert (updated.shared, updated.state, updated.items) == (anew.shared, anew.state, anew.items)


def test_an_items_data_is_fingerprinted_again_only_when_its_file_changed(project: Path) -> None:
    from generator.load import load
    from generator.model import resolve
    from generator.render import inputs

    root = project / "roadmap"
    first = inputs.Fingerprints(resolve(load(root))).data_prints()
    known = {k: f"{v.partition(':')[0]}:as kept" for k, v in first.items()}  # taken as it is
    pillar = first_pillar(root)
    pillar_key = f"Pillar:{yaml.safe_load(pillar.read_text('utf-8'))['id']}"
    pillar.write_text(re.sub(r"(?m)^title: .*$", "title: An edited title", pillar.read_text("utf-8"),
                             count=1), "utf-8")
    prints = inputs.Fingerprints(resolve(load(root)))
    again = prints.data_prints(known)
    in_file = {k for k, item in prints._items().items() if item.source.endswith(f"pillars/{pillar.name}")}
    assert pillar_key in in_file and len(in_file) > 1 and again.keys() == first.keys()
    assert all(again[k] == known[k] for k in again if k not in in_file)
    changed = {k for k in in_file if again[k].partition(":")[2] != first[k].partition(":")[2]}
    assert changed == {pillar_key}  # made again, and the same for the items whose data is


def test_a_field_read_of_many_items_of_a_kind_is_one_input_for_the_kind(project: Path) -> None:
    from generator.load import load
    from generator.model import resolve
    from generator.render import inputs

    actions = list(resolve(load(project / "roadmap")).actions.values())
    assert len(actions) > inputs.MANY
    with inputs.noting():
        with inputs.recording() as many:
            _ = [a.title for a in actions]
        with inputs.recording() as few:
            _ = [a.title for a in actions[:3]]
    assert many == {"*Action.title"}
    assert few == {f"Action:{a.id}.title" for a in actions[:3]}
    assert inputs.grouped(many | few) == ["*Action.title"]  # the kind's stands for its items'
    others = {"roadmap.as_at", inputs.WHOLE}
    assert inputs.grouped(few | others) == sorted(few | others)


@pytest.mark.parametrize("spoil", ["unsorted", "short", "wrong-type"])
def test_an_index_that_does_not_hold_together_is_an_empty_one(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                              spoil: str) -> None:
    incremental_then_clean(project, monkeypatch)
    cache = Cache.for_root(project / "roadmap")
    index = cache.get(reuse.INDEX)
    if spoil == "unsorted":
        index["names"].reverse()
    elif spoil == "short":
        index["prints"].pop()
    else:
        index["tasks"] = {name: {**record, "in": "not a list"} for name, record in index["tasks"].items()}
    cache.put(reuse.INDEX, index)
    kept, made = incremental_then_clean(project, monkeypatch)
    assert kept == 0 and made > 0


def test_a_quick_run_shows_slow_pages_as_they_were_and_the_next_makes_them(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A preview's quick build: the tasks that took long last time keep their pages for now,
    nothing is recorded, and the next run (not quick) makes what a clean run makes."""
    root = project / "roadmap"
    incremental_then_clean(project, monkeypatch)
    before = tree(project / "docs" / "roadmap")
    index = Cache.for_root(root).get(reuse.INDEX)
    edit(first_pillar(root), "status: on-track", "status: at-risk")
    monkeypatch.setattr(reuse, "QUICK_TASK", -1.0)  # every task is slow
    quick = generate(root, project / "docs", quick=True)
    assert quick.ok and quick.later > 0 and quick.reused is not None and quick.reused[1] == 0
    assert tree(project / "docs" / "roadmap") == before  # every page as it was
    assert Cache.for_root(root).get(reuse.INDEX) == index  # not recorded
    _, made = incremental_then_clean(project, monkeypatch, same_process=True)
    assert made > 0 and tree(project / "docs" / "roadmap") != before


def test_an_edited_title_moves_only_its_own_item(project: Path) -> None:
    """An item's fingerprint is its own fields and data, not the whole file it is in: the
    priorities written inside an edited pillar are as they were."""
    from generator.load import load
    from generator.model import resolve
    from generator.render import inputs

    root = project / "roadmap"

    def item_prints() -> dict[str, str]:
        return inputs.Fingerprints(resolve(load(root))).item_prints()

    before = item_prints()
    pillar = first_pillar(root)
    pillar_id = yaml.safe_load(pillar.read_text("utf-8"))["id"]
    pillar.write_text(re.sub(r"(?m)^title: .*$", "title: An edited title", pillar.read_text("utf-8"),
                             count=1), "utf-8")
    after = item_prints()
    assert before.keys() == after.keys()
    assert [k for k in after if after[k] != before[k]] == [f"Pillar:{pillar_id}"]
