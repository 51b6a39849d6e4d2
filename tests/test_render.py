"""Golden-file tests of the generated Markdown for the mini fixture roadmap.

Run with UPDATE_GOLDEN=1 to rewrite the golden files after an intended change,
then read the diff before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.pipeline import run
from generator.render import link, workers
from tests.conftest import MINI, edit

GOLDEN = Path(__file__).parent / "golden" / "mini"


def rendered(root: Path) -> dict[str, str]:
    result = run(root)
    assert result.ok, [f.text() for f in result.findings]
    return result.pages


def test_pages_match_golden_files(mini: Path) -> None:
    pages = rendered(mini)  # a copy outside git: the history sections show their note
    if os.environ.get("UPDATE_GOLDEN"):
        for path, text in pages.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_bytes(text.encode("utf-8"))
    expected = {p.relative_to(GOLDEN).as_posix(): p.read_bytes().decode("utf-8")
                for p in sorted(GOLDEN.rglob("*")) if p.is_file()}
    assert sorted(pages) == sorted(expected)
    for path, text in pages.items():
        assert text == expected[path], f"{path} differs from its golden file"


def test_every_entity_has_a_page() -> None:
    result = run(MINI / "roadmap")
    roadmap, pages = result.roadmap, result.pages
    assert roadmap is not None
    for pillar in roadmap.pillars:
        assert f"roadmap/pillars/{pillar}.md" in pages
    for kind, items in [("priorities", roadmap.priorities), ("organisations", roadmap.organisations),
                        ("governance", roadmap.bodies), ("measures", roadmap.measures)]:
        for id_ in items:
            assert f"roadmap/{kind}/{id_}.md" in pages
    for element in roadmap.elements.values():
        assert f"roadmap/frameworks/{element.framework.id}/{element.id}.md" in pages


def test_rendering_is_deterministic() -> None:
    assert rendered(MINI / "roadmap") == rendered(MINI / "roadmap")


def test_pages_made_by_worker_processes_match_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """A large roadmap renders in forked workers; the pages must be the same, byte for byte."""
    monkeypatch.setenv("ROADMAP_WORKERS", "1")
    alone = rendered(MINI / "roadmap")
    started: list[int] = []
    real_pool = workers.multiprocessing.get_context("fork").Pool

    def counting_pool(processes: int) -> object:
        started.append(processes)
        return real_pool(processes)

    monkeypatch.setattr(workers, "MIN_TASKS_PER_WORKER", 1)  # the mini roadmap is small
    monkeypatch.setenv("ROADMAP_WORKERS", "3")
    monkeypatch.setattr(workers.multiprocessing.context.ForkContext, "Pool",
                        lambda self, processes: counting_pool(processes))
    assert rendered(MINI / "roadmap") == alone
    assert started == [3]


@pytest.mark.parametrize("count", ["2", "1"], ids=["forked", "workers-off"])
def test_jobs_started_early_give_their_results_in_order(monkeypatch: pytest.MonkeyPatch, count: str) -> None:
    """`workers.started`: the jobs run in a process of their own while this one goes on (or,
    with workers off, here when their results are asked for)."""
    monkeypatch.setenv("ROADMAP_WORKERS", count)
    ran: list[int] = []
    jobs = [lambda n=n: (ran.append(n), n * n, os.getpid())[1:] for n in range(5)]
    with workers.started(jobs) as results:
        assert ran == []  # nothing has run here yet
        got = results()
    assert [square for square, _ in got] == [0, 1, 4, 9, 16]
    here = {pid == os.getpid() for _, pid in got}
    assert here == ({False} if count == "2" else {True})
    assert ran == ([] if count == "2" else [0, 1, 2, 3, 4])


def test_changing_owner_moves_priority_between_organisation_pages(mini: Path) -> None:
    before = rendered(mini)
    roadmap = run(mini).roadmap
    assert roadmap is not None
    priority = next(iter(roadmap.priorities.values()))
    old = priority.owner
    new = next(o for o in roadmap.organisations.values() if o is not old)
    pillar_file = mini.parent / priority.source
    edit(pillar_file, f"owner: {old.id}", f"owner: {new.id}")
    after = rendered(mini)
    link = f"({priority.id}.md)".replace(priority.id, f"../priorities/{priority.id}")
    old_page, new_page = f"roadmap/organisations/{old.id}.md", f"roadmap/organisations/{new.id}.md"
    leads = "## Priorities it leads"
    assert link in before[old_page].split(leads)[1].split("##")[0]
    assert link not in after[old_page].split(leads)[1].split("##")[0]
    assert link in after[new_page].split(leads)[1].split("##")[0]


@pytest.mark.parametrize(("text", "escaped"), [
    ("<script>alert(1)</script>", "&lt;script&gt;alert\\(1\\)&lt;/script&gt;"),
    ("[x](javascript:alert(1))", "\\[x\\]\\(javascript:alert\\(1\\)\\)"),
    ("**bold** _it_ `code` # heading", "\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\# heading"),
    ("1. not a list", "1\\. not a list"),
    ("- nor this", "\\- nor this"),
])
def test_text_is_escaped(mini: Path, text: str, escaped: str) -> None:
    pillar_file = next((mini / "pillars").glob("*.yaml"))
    data_line = next(line for line in pillar_file.read_text("utf-8").splitlines()
                     if line.startswith("summary:"))
    edit(pillar_file, data_line, f"summary: {text!r}".replace("'", '"'))
    pages = rendered(mini)
    page = next(v for k, v in pages.items() if k.startswith("roadmap/pillars/") and "index" not in k
                and k.endswith(pillar_file.stem + ".md"))
    assert f"\n{escaped}\n" in page
    assert "<script>" not in page and "](javascript:" not in page


@pytest.mark.parametrize(("page", "expected"), [
    ("index.md", "roadmap/pillars/leadership.md"),
    ("roadmap/priorities/leadership-training.md", "../pillars/leadership.md"),
    ("roadmap/pillars/leadership.md", "leadership.md"),
    ("roadmap/frameworks/ltwp/index.md", "../../pillars/leadership.md"),
])
def test_links_are_relative_to_the_page_they_are_on(page: str, expected: str) -> None:
    roadmap = run(MINI / "roadmap").roadmap
    assert roadmap is not None
    pillar = roadmap.pillars["leadership"]
    assert link({"page": page}, pillar).startswith(f"[{pillar.title}]({expected})")


def test_each_item_page_names_its_item_in_plain_text_for_the_feedback_links(mini: Path) -> None:
    edit(mini / "pillars" / "workforce.yaml", "title: Workforce", 'title: "Pay & <conditions>"')
    result = run(mini)
    assert result.ok
    page = result.pages["roadmap/pillars/workforce.md"]
    assert '\nitem: "Pay & <conditions> (pillar workforce)"\n' in page  # only ever URL-encoded
    assert '\nsource: "roadmap/pillars/workforce.yaml"\n' in page
    assert result.pages["roadmap/timeline.md"].startswith('---\nsource: ""\n---\n')
