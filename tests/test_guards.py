"""Hostile pull requests and careless operators, round two: one test (at least) for each
example of the issue, grouped by class, and a test of each class's shared mechanism.

Line-level hostile inputs (control characters, surprising numbers, dates, titles, file
names, unexpected files) are in tests/hostile/cases.yaml; this file holds what needs git,
several commands, counting or a process of its own.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from datetime import date
from itertools import count
from pathlib import Path

import markdown
import pytest
import yaml

import generator.check as check_module
import generator.load as loader
from generator import history as hist
from generator import review, site
from generator.check import MAX_PER_RULE, MAX_SHOWN, check, governance, references
from generator.check.context import Context
from generator.check.schema import MAX_FINDINGS
from generator.cli import main
from generator.collect import entities
from generator.history import read_history
from generator.load import load, parse_source
from generator.neutral import neutral
from generator.pipeline import run
from tests.conftest import MINI, REPO, edit, run_check

UNSAFE = ("\x1b", "\r", "\x07", "\x00", "\u202e", "\u2028", "\x85")
LEADERSHIP = "pillars/leadership.yaml"


def git(repo: Path, *args: str, when: str = "2025-01-10T12:00:00") -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.org",
           "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository holding the mini roadmap in one commit; the working directory is its top."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    monkeypatch.setenv("HOME", str(tmp_path))
    top = tmp_path / "repo"
    shutil.copytree(MINI / "roadmap", top / "roadmap")
    git(top, "init", "-q", "-b", "main")
    git(top, "add", ".")
    git(top, "commit", "-qm", "first")
    monkeypatch.chdir(top)
    hist._read.cache_clear()
    return top


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator.cli", *args], cwd=REPO, capture_output=True,
                          text=True, check=False)


# ================================================================ 1. what reviewers rely on

def test_neutral_shows_every_unsafe_character_as_an_escape() -> None:
    text = "a\nb\rc\x1b]52;c;x\x07d\u202eevil\u2066e\x85f\u2028g\ud800h\ti"
    shown = neutral(text)
    assert not any(c in shown for c in (*UNSAFE, "\n", "\t", "\u2066", "\ud800"))
    assert shown == ("a\\x0ab\\x0dc\\x1b]52;c;x\\x07d\\u202eevil\\u2066e\\x85f\\u2028g\\ud800h\\x09i")
    assert neutral("Plain words, café, 日本") == "Plain words, café, 日本"


def test_diff_reads_a_revision_even_when_a_link_of_that_name_exists(
        repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A pull request adds the link origin/main -> ../roadmap: the summary must still compare
    with the real origin/main, not with the pull request's own files."""
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    edit(repo / "roadmap" / LEADERSHIP, "title: Leadership\n", "title: Rewritten pillar\n")
    (repo / "origin").mkdir()
    (repo / "origin" / "main").symlink_to("../roadmap")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "rewrite")
    assert main(["diff", "origin/main"]) == 0
    out = capsys.readouterr().out
    assert "No changes to the roadmap" not in out
    assert "Rewritten pillar" in out
    assert main(["diff", "--folder", "origin/main"]) == 0  # only when asked: the folder it names
    assert "No changes to the roadmap." in capsys.readouterr().out


def test_a_revision_is_never_an_option(repo: Path) -> None:
    from generator.versions import resolve_revision
    assert resolve_revision("--output=x", repo) is None
    assert resolve_revision("HEAD", repo) is not None
    assert not (repo / "x").exists()


@pytest.fixture
def forged(mini: Path) -> Path:
    """A roadmap whose file name and key try to forge workflow commands and terminal output."""
    name = "x\n::error file=README.md::forged\n::add-mask::secret\x1b[2J\r.yaml"
    (mini / "pillars" / name).write_text("id: x\n", "utf-8")
    edit(mini / LEADERSHIP, "title: Leadership\n",
         'title: Leadership\n"\\e]52;c;ZXZpbA==\\a\\r0 errors\\u202e": x\n')
    return mini


@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_check_output_carries_nothing_raw_from_the_roadmap(forged: Path, fmt: str) -> None:
    done = cli("check", str(forged), "--format", fmt)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    out = done.stdout
    assert not any(c in out for c in UNSAFE), [c for c in UNSAFE if c in out]
    lines = out.splitlines()
    if fmt == "github":
        assert all(line.startswith(("::error file=roadmap/", "::warning file=roadmap/")) for line in lines)
        assert not any(line.startswith(("::add-mask::", "::error file=README")) for line in lines)
    elif fmt == "text":
        assert all(line.startswith("roadmap/") for line in lines[:-1])
    else:
        found = json.loads(out)
        assert {f["code"] for f in found} >= {"F005", "Y010"}


def test_build_output_is_neutralised_too(forged: Path, tmp_path: Path) -> None:
    done = cli("build", str(forged), "--docs", str(tmp_path / "docs"), "--site", str(tmp_path / "site"))
    assert done.returncode == 1
    assert not any(c in done.stdout + done.stderr for c in UNSAFE)


def test_the_job_summary_shows_no_links_bidi_or_control_characters(mini: Path, tmp_path: Path) -> None:
    head = tmp_path / "head"
    shutil.copytree(mini, head)
    edit(head / LEADERSHIP, "title: Leadership\n",
         'title: "Pay \\u202eevil\\u202c now at https://evil.example/x or www.evil.example"\n')
    (head / "pillars" / "bad\nname.yaml").write_text("id: [\n", "utf-8")
    done = cli("diff", "--folder", str(mini), str(head))
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Pay" in out and "evil" in out
    assert not any(c in out for c in UNSAFE)
    assert "https://" not in out and "www.evil" not in out
    assert "https\\[:\\]//evil.example" in out and "www\\[.\\]evil.example" in out
    assert "bad\\\\x0aname.yaml" in out or "bad\\x0aname.yaml" in out


def test_review_scaffold_comments_cannot_gain_live_data(mini: Path) -> None:
    edit(mini / "programme.yaml", "question: Is it working?",
         'question: "Is it working?\\nsummary: pre-filled\\u2028decisions: [forged]"')
    edit(mini / LEADERSHIP, "title: Leadership\n", 'title: "Lead\\nanswers: []"\n')
    roadmap = run(mini).roadmap
    assert roadmap is not None
    text = review.scaffold(roadmap, mini, date(2025, 9, 1))
    data = yaml.safe_load(text)
    assert data["summary"].startswith("TODO") and data["decisions"] == []
    assert set(data) == {"id", "date", "title", "body", "summary", "answers", "carried_forward", "decisions",
                         "status_changes"}
    assert all(line.lstrip().startswith("#") or ": " in line or line.lstrip().startswith("- ")
               or line.endswith(":") for line in text.splitlines())


@pytest.mark.parametrize("title", ["no", "Off", "On", "yes", "012", "1:20", "null", "~", "0b11", ".nan"])
def test_roadmap_new_quotes_what_yaml_would_misread(mini: Path, title: str) -> None:
    assert main(["new", "pillar", "--title", title, "--id", "odd-title", "--root", str(mini)]) == 0
    assert main(["new", "organisation", "--title", title, "--id", "no", "--root", str(mini)]) == 0
    assert [f for f in run_check(mini) if f.severity == "error"] == []
    assert yaml.safe_load((mini / "pillars" / "odd-title.yaml").read_text("utf-8"))["title"] == title


# ================================================================ 2. values

@pytest.mark.parametrize("text", ['"\\0"', '"\\x01"', '"\\e"', '"\\x9b"', '"\\ud800"', '"a\\rb"'])
def test_control_characters_are_refused_whichever_loader_reads_them(text: str,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    raw = f"# c\ntitle: {text}\n{text}: key\n".encode()
    for reader in (loader._Loader, yaml.SafeLoader):  # libyaml, and PyYAML's own reader
        monkeypatch.setattr(loader, "_Loader", reader)
        source, problems = parse_source(raw, "roadmap/programme.yaml", "programme")
        codes = {p.code for p in problems}
        if reader is yaml.SafeLoader or text != '"\\ud800"':
            assert codes == {"Y010"} and len(problems) == 2, problems
        else:  # libyaml refuses a surrogate escape itself
            assert source is None and problems[0].code == "Y001"


def test_a_line_break_and_a_tab_are_allowed() -> None:
    raw = b'# c\nsummary: "two\\nlines\\tand a tab"\n'
    source, problems = parse_source(raw, "roadmap/p.yaml", "programme")
    assert problems == [] and source is not None and source.data["summary"] == "two\nlines\tand a tab"


@pytest.mark.parametrize("value", ["1:20", "012", "0b11", "0x1f", "-012", "+0b1", "1:20.5", ".nan", ".inf",
                                   "-.inf", "1" * 401, "1.0e+400", "2.0e+15", "-3000000000000000"])
def test_numbers_must_be_plain_finite_and_in_range(value: str) -> None:
    _, problems = parse_source(f"# c\nvalue: {value}\n".encode(), "roadmap/m.yaml", "measures")
    assert [p.code for p in problems] == ["Y011"]


@pytest.mark.parametrize("value", ["0", "12", "-3", "6.5", "0.25", "1_000", "1e3", '"012"', "'1:20'"])
def test_ordinary_numbers_and_quoted_text_pass(value: str) -> None:
    _, problems = parse_source(f"# c\nvalue: {value}\n".encode(), "roadmap/m.yaml", "measures")
    assert problems == []


def _chain(mini: Path, depth: int) -> None:
    bodies = ["  - {id: test-board, name: Test People Board, purpose: Top., cadence: quarterly}",
              "  - {id: test-group, name: Test delivery group, purpose: Delivers., cadence: monthly, "
              "reports_to: test-board}"]
    parent = "test-group"
    for n in range(depth):
        bodies.append(f"  - {{id: b{n}, name: Body {n}, purpose: Level {n}., cadence: monthly, "
                      f"reports_to: {parent}}}")
        parent = f"b{n}"
    header = (mini / "governance.yaml").read_text("utf-8").split("\n", 1)[0]
    (mini / "governance.yaml").write_text("\n".join([header, "bodies:", *bodies]) + "\n", "utf-8")


def test_a_deep_governance_chain_renders(mini: Path) -> None:
    _chain(mini, 250)
    edit(mini / LEADERSHIP, "accountable: test-group", "accountable: b249")
    result = run(mini)
    assert result.ok, [f.text() for f in result.findings]
    page = result.pages["roadmap/governance/index.md"]
    assert "Body 249" in page and "reports to [Body 248]" in page
    markdown.markdown(page, extensions=["md_in_html", "attr_list"])  # no RecursionError
    priority = result.pages["roadmap/priorities/leadership-training.md"]
    line = next(row for row in priority.splitlines() if "Accountable body" in row)
    assert line.count("](../governance/") == 5 and "through 247 more bodies" in line
    markdown.markdown(result.pages["roadmap/board-pack.md"], extensions=["md_in_html", "attr_list"])


# ================================================================ 3. near-linear work

def _counting(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[int]:
    calls = [0]
    real = getattr(module, name)

    def counted(*args: object, **kwargs: object) -> object:
        calls[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_g001_walks_each_body_once(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    steps = []
    for depth in (500, 1000, 2000):
        _chain(mini, depth)
        sources = load(mini).sources
        context = Context(mini, sources, list(entities(sources)))
        calls = _counting(monkeypatch, governance, "_parent")
        assert list(governance.governance_cycles(context)) == []
        monkeypatch.undo()
        steps.append(calls[0])
    assert steps[2] <= 2.2 * steps[1] <= 4.9 * steps[0]  # linear, not n² or n³
    assert steps[2] <= 2 * 2002


def test_g001_still_finds_a_cycle_once(mini: Path) -> None:
    edit(mini / "governance.yaml", "cadence: quarterly", "cadence: quarterly\n    reports_to: test-group")
    found = [f for f in run_check(mini) if f.code == "G001"]
    assert len(found) == 1
    assert any(loop in found[0].message for loop in ("test-board → test-group → test-board",
                                                     "test-group → test-board → test-group"))


def test_r001_suggests_for_the_first_few_only(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    members = ", ".join(f"nobody-{n}" for n in range(3000))
    edit(mini / "governance.yaml", "members: [test-trust, test-council]", f"members: [{members}]")
    calls = _counting(monkeypatch, difflib, "get_close_matches")
    found = [f for f in run_check(mini) if f.code == "R001"]
    assert calls[0] <= references.MAX_SUGGESTIONS
    assert len(found) == MAX_SHOWN + 1 and any("and 900 more R001" in f.message for f in found)


def test_unknown_keys_are_capped_per_file(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = (mini / "glossary.yaml").read_text("utf-8")
    extra = "".join(f"k{n}: 1\n" for n in range(loader.MAX_KEYS - 1))
    (mini / "glossary.yaml").write_text(original + extra, "utf-8")
    calls = _counting(monkeypatch, difflib, "get_close_matches")
    found = [f for f in run_check(mini) if f.path == "roadmap/glossary.yaml"]
    assert sum(f.code == "S001" for f in found) == MAX_FINDINGS and len(found) <= MAX_FINDINGS + 2
    assert calls[0] <= MAX_FINDINGS + 1
    # 180,000 keys in one mapping are refused before they are converted or checked
    (mini / "glossary.yaml").write_text(original + "".join(f"k{n}: 1\n" for n in range(180_000)), "utf-8")
    assert [f.code for f in run_check(mini) if f.path == "roadmap/glossary.yaml"] == ["Y012"]


def test_every_rule_stops_at_its_bound(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def endless(ctx: Context):  # a rule gone wrong: its work must still end
        source = ctx.sources[0]
        for n in count():
            yield source.finding("", "R001", f"finding {n}")

    monkeypatch.setattr(check_module, "CHECKS", [endless])
    found = check(load(mini))
    assert len(found) == MAX_SHOWN + 1
    assert any(f"and {MAX_PER_RULE - MAX_SHOWN} more R001" in f.message for f in found)


def test_history_is_cached_by_blob_and_bounded_per_build(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = repo / "roadmap"
    for n in range(3):
        edit(root / LEADERSHIP, f"summary: Leaders behave well.{'!' * n}\n",
             f"summary: Leaders behave well.{'!' * (n + 1)}\n")
        git(repo, "commit", "-qam", f"edit {n}", when=f"2025-0{n + 2}-10T12:00:00")
    first = read_history(root)
    files = len(list((MINI / "roadmap").rglob("*.yaml")))
    assert first.available and first.parsed == files + 3
    hist._read.cache_clear()
    assert read_history(root).parsed == 0  # every version came from the cache on disk
    assert (repo / hist.CACHE_FOLDER).is_dir()
    edit(root / LEADERSHIP, "title: Leadership\n", "title: Leaders\n")
    git(repo, "commit", "-qam", "title", when="2025-06-10T12:00:00")
    assert read_history(root).parsed == 1  # only the new version
    # A history too large for one build is read over several, each doing bounded work.
    shutil.rmtree(repo / hist.CACHE_FOLDER)
    hist._read.cache_clear()
    monkeypatch.setattr(hist, "MAX_NEW_BYTES", 5_000)
    builds = []
    for _ in range(20):
        hist._read.cache_clear()
        builds.append(read_history(root))
        if builds[-1].available:
            break
    assert len(builds) > 1 and not builds[0].available and "next build" in builds[0].note
    assert builds[-1].available and builds[-1].changes == read_history(root).changes


def test_renamed_from_is_limited(mini: Path) -> None:
    olds = ", ".join(f"old-{n}" for n in range(11))
    edit(mini / LEADERSHIP, "id: leadership\n", f"id: leadership\nrenamed_from: [{olds}]\n")
    assert any(f.code == "S005" and "at most 10" in f.message for f in run_check(mini))


# ================================================================ 4. history

def test_publish_fetches_the_history() -> None:
    workflow = yaml.safe_load((REPO / ".github/workflows/publish.yml").read_text("utf-8"))
    checkout = next(s for s in workflow["jobs"]["build"]["steps"] if "checkout" in s.get("uses", ""))
    assert checkout["with"]["fetch-depth"] == 0


def test_a_commit_dated_year_10000_does_not_break_the_build(repo: Path) -> None:
    edit(repo / "roadmap" / LEADERSHIP, "title: Leadership\n", "title: Leaders\n")
    git(repo, "commit", "-qam", "future", when="@253402300800 +0000")  # 10000-01-01
    edit(repo / "roadmap" / LEADERSHIP, "title: Leaders\n", "title: Leading\n")
    git(repo, "commit", "-qam", "later", when="2025-03-01T12:00:00")
    history = read_history(repo / "roadmap")
    titles = [c for c in history.changes if c.field == "title"]
    assert history.available and [(c.old, c.new) for c in titles] == [("Leaders", "Leading")]
    assert run(repo / "roadmap").ok


def test_a_non_ascii_path_keeps_its_history(repo: Path) -> None:
    git(repo, "mv", "roadmap", "données")
    git(repo, "commit", "-qm", "move")
    edit(repo / "données" / LEADERSHIP, "title: Leadership\n", "title: Leaders\n")
    git(repo, "commit", "-qam", "title", when="2025-03-01T12:00:00")
    history = read_history(repo / "données")
    assert [c.new for c in history.changes if c.field == "title"] == ["Leaders"]


def test_a_change_on_the_first_of_a_month_is_shown_without_reviews(repo: Path) -> None:
    git(repo, "rm", "-rq", "roadmap/reviews")
    git(repo, "commit", "-qm", "no reviews", when="2025-01-20T12:00:00")
    edit(repo / "roadmap" / LEADERSHIP, "title: Leadership\n", "title: Leaders\n")
    git(repo, "commit", "-qam", "title", when="2025-03-01T09:00:00")
    result = run(repo / "roadmap")
    page, feed = result.pages["roadmap/changes.md"], result.pages["roadmap/changes.xml"]
    assert "## March 2025" in page and "title changed from Leadership to Leaders" in page
    assert "title changed from Leadership to Leaders" in feed


def test_first_import_is_first_published_and_reviews_add_status_changes(repo: Path) -> None:
    edit(repo / "roadmap" / LEADERSHIP, "title: Leadership\n", "title: Leaders\n")
    git(repo, "commit", "-qam", "title", when="2025-07-01T12:00:00")
    result = run(repo / "roadmap")
    page = result.pages["roadmap/changes.md"]
    assert "first published on 10 January 2025" in page
    assert ">added<" not in page and "| added" not in page and "added</td>" not in page
    assert "status changed from On track to At risk \\(recorded by the Spring 2025 review\\)" in page
    assert "At risk (recorded by the Spring 2025 review)" in result.pages["roadmap/changes.xml"]
    pillar = result.pages["roadmap/pillars/leadership.md"]
    assert "first published" in pillar


# ================================================================ 5. operator faults

@pytest.fixture
def fake_mkdocs(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """MkDocs replaced by a writer of one page, so the swap can be tested quickly."""
    built: list[Path] = []

    def build(args: list[str]) -> int:
        out = Path(args[args.index("-d") + 1])
        (out / "index.html").write_text("<p>built</p>", "utf-8")
        built.append(out)
        return 0

    monkeypatch.setattr(site, "_mkdocs", build)
    return built


def _leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith(".site-") and p.is_dir())


def test_a_killed_build_leaves_nothing_behind_after_the_next(tmp_path: Path, fake_mkdocs: list[Path]) -> None:
    code = ("import os, signal, sys; from pathlib import Path; import generator.site as s\n"
            "def die(args):\n"
            "    Path(args[args.index('-d') + 1], 'half.html').write_text('x')\n"
            "    os.kill(os.getpid(), signal.SIGKILL)\n"
            "s._mkdocs = die\n"
            f"s.mkdocs_build(Path('mkdocs.yml'), Path({str(tmp_path / 'site')!r}))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, check=False)
    assert done.returncode == -signal.SIGKILL
    assert len(_leftovers(tmp_path)) == 1
    (tmp_path / ".site-old").mkdir()  # the fixed name an older version left
    assert site.mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "site") == 0
    assert _leftovers(tmp_path) == [] and (tmp_path / "site" / "index.html").is_file()


def test_two_builds_finishing_together_do_not_clash(tmp_path: Path, fake_mkdocs: list[Path],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    real = site._swap
    inside = threading.Semaphore(1)
    overlaps = []

    def slow_swap(staging: Path, target: Path) -> None:
        if not inside.acquire(blocking=False):
            overlaps.append(staging)
        threading.Event().wait(0.2)
        real(staging, target)
        inside.release()

    monkeypatch.setattr(site, "_swap", slow_swap)
    codes: list[int] = []

    def one_build() -> None:
        codes.append(site.mkdocs_build(tmp_path / "m.yml", tmp_path / "site"))

    threads = [threading.Thread(target=one_build) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert codes == [0, 0, 0] and overlaps == []  # the lock let one build at a time swap
    assert len({p.name for p in fake_mkdocs}) == 3  # each staging folder had its own name
    assert _leftovers(tmp_path) == []


def test_an_undeletable_old_site_does_not_break_later_builds(tmp_path: Path, fake_mkdocs: list[Path],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    assert site.mkdocs_build(tmp_path / "m.yml", tmp_path / "site") == 0
    real = site._remove
    monkeypatch.setattr(site, "_remove", lambda p: None if "-old-" in p.name else real(p))
    assert site.mkdocs_build(tmp_path / "m.yml", tmp_path / "site") == 0  # the old site stays behind
    assert len(_leftovers(tmp_path)) == 1
    monkeypatch.setattr(site, "_remove", real)
    assert site.mkdocs_build(tmp_path / "m.yml", tmp_path / "site") == 0
    assert _leftovers(tmp_path) == []


def test_os_errors_are_one_line_with_exit_2(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", "utf-8")
    for args in (["export", str(MINI / "roadmap"), "--format", "csv", "--out", str(blocker / "out")],
                 ["build", str(MINI / "roadmap"), "--docs", str(blocker), "--site", str(tmp_path / "s")]):
        done = cli(*args)
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1
        assert done.stderr.startswith("roadmap: error: ")


def test_output_into_a_closed_pipe_ends_quietly() -> None:
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run([sys.executable, "-m", "generator.cli", "rules"], cwd=REPO, stdout=write,
                              stderr=subprocess.PIPE, text=True, check=False)
    finally:
        os.close(write)
    assert done.stderr == "" and done.returncode == 141
