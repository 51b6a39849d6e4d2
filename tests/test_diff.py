"""`roadmap diff`: a plain-English, Markdown summary of what a change does to the roadmap."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from generator import diff
from generator.cli import main
from tests.conftest import edit

LEADERSHIP = "pillars/leadership.yaml"
WORKFORCE = "pillars/workforce.yaml"


@pytest.fixture
def head(mini: Path, tmp_path: Path) -> Path:
    """A second copy of the mini roadmap, to edit; `mini` is the version before the change."""
    copy = tmp_path / "head" / "roadmap"
    shutil.copytree(mini, copy)
    return copy


def report(base: Path, head: Path) -> str:
    return diff.run(str(base), str(head), folders=True)


def section(text: str, title: str) -> str:
    """The lines under one `### title` heading."""
    assert f"### {title}\n" in text, text
    return text.split(f"### {title}\n", 1)[1].split("\n### ", 1)[0]


def test_no_change(mini: Path, head: Path) -> None:
    text = report(mini, head)
    assert "No changes to the roadmap." in text
    assert "###" not in text


def test_comment_and_layout_changes_are_no_change(mini: Path, head: Path) -> None:
    edit(head / LEADERSHIP, "priorities:\n", "# a new comment\npriorities:\n")
    edit(head / "organisations.yaml", "  - id: test-trust\n", "\n  - id: test-trust\n")
    assert "No changes to the roadmap." in report(mini, head)


def test_status_change(mini: Path, head: Path) -> None:
    edit(head / LEADERSHIP, "status: on-track\n    measures", "status: at-risk\n    measures")
    text = section(report(mini, head), "Pillar: Leadership (`leadership`)")
    assert "- Priority **Leadership training** (`leadership-training`): status on track → at risk" in text


def test_due_date_moved_later_and_earlier(mini: Path, head: Path) -> None:
    edit(head / LEADERSHIP, "due: 2025-08-15", "due: 2025-11-15")
    edit(head / LEADERSHIP, "due: 2025-12-15", "due: 2025-12-01")
    text = report(mini, head)
    assert ("- Action **Run the first cohort** (`first-cohort`): due moved from 15 August 2025 to "
            "15 November 2025, 92 days later") in text
    assert "due moved from 15 December 2025 to 1 December 2025, 14 days earlier" in text


def test_timeframe_end_moved(mini: Path, head: Path) -> None:
    edit(head / LEADERSHIP, "{start: 2025-01, end: 2025-12}", "{start: 2025-01, end: 2026-03}")
    assert "timeframe end moved from December 2025 to March 2026, 3 months later" in report(mini, head)


def test_owner_and_accountable_change(mini: Path, head: Path) -> None:
    edit(head / LEADERSHIP, "owner: test-trust\n    accountable: test-group",
         "owner: test-council\n    accountable: test-board")
    text = report(mini, head)
    assert "    - owner changed from Test NHS Trust to Test Council" in text
    assert "    - accountable body changed from Test delivery group to Test People Board" in text


def test_alignment_added_and_removed(mini: Path, head: Path) -> None:
    edit(head / LEADERSHIP, '      - {to: "ascws:train"}\n', '      - {to: "ascws:transform"}\n')
    text = report(mini, head)
    assert "    - now aligns to ASCWS Transform" in text
    assert "    - no longer aligns to ASCWS Train" in text


def test_measure_added_and_listed(mini: Path, head: Path) -> None:
    edit(head / "measures.yaml", "  - id: test-ratio\n", "  - id: test-turnover\n    title: Test turnover\n"
         "    definition: Leavers as a share of staff.\n    source: Test workforce data.\n"
         "    unit: percent\n    direction: lower\n  - id: test-ratio\n")
    edit(head / WORKFORCE, "measures: [test-ratio]", "measures: [test-ratio, test-turnover]")
    text = report(mini, head)
    assert "- Added measure **Test turnover** (`test-turnover`)" in section(text, "Measures")
    assert ("- Priority **Joint workforce planning** (`workforce-planning`): measures added: "
            "Test turnover") in text


def test_reading_added(mini: Path, head: Path) -> None:
    edit(head / "measures.yaml", "      - {date: 2025-03-31, value: 6.7}\n",
         "      - {date: 2025-03-31, value: 6.7}\n      - {date: 2026-03-31, value: 6.9}\n")
    text = section(report(mini, head), "Measures")
    assert ("- Measure **Test engagement score** (`test-score`): new reading: 6.9 out of 10 "
            "on 31 March 2026") in text


def test_governance_changes(mini: Path, head: Path) -> None:
    panel = ("  - id: test-panel\n    name: Test panel\n    purpose: Advises.\n    cadence: monthly\n"
             "    reports_to: {parent}\n")
    for root, parent in ((mini, "test-board"), (head, "test-group")):
        text = (root / "governance.yaml").read_text("utf-8") + panel.format(parent=parent)
        (root / "governance.yaml").write_text(text, "utf-8")
    edit(head / "governance.yaml", "    cadence: monthly\n    reports_to: test-board",
         "    cadence: quarterly\n    reports_to: test-board")
    edit(head / "governance.yaml", "members: [test-trust, test-council]\n",
         "members: [test-trust, test-icb]\n")
    edit(head / "governance.yaml", "role: Chief People Officer", "role: Chief Executive")
    text = section(report(mini, head), "Governance")
    assert ("- Governance body **Test panel** (`test-panel`): now reports to Test delivery group "
            "(was Test People Board)") in text
    assert "    - meeting cadence changed from monthly to quarterly" in text
    assert "    - members added: Test Integrated Care Board" in text
    assert "    - members removed: Test Council" in text
    assert "chair changed from Chief People Officer, Test Integrated Care Board to Chief Executive" in text


def test_items_added_and_removed(mini: Path, head: Path) -> None:
    edit(head / WORKFORCE, "      - {id: plan-drafted, title: Draft the joint plan, owner: test-council, "
         "due: 2025-07-31, status: at-risk}\n",
         "      - {id: plan-consulted, title: Consult on the plan, owner: test-council, "
         "due: 2025-09-30, status: not-started}\n")
    text = section(report(mini, head), "Pillar: Workforce (`workforce`)")
    assert ("- Added action **Consult on the plan** (`plan-consulted`): owned by Test Council, "
            "due 30 September 2025, not started") in text
    assert "- Removed action **Draft the joint plan** (`plan-drafted`)" in text


def test_pillar_added(mini: Path, head: Path) -> None:
    text = (head / WORKFORCE).read_text("utf-8").replace("id: workforce", "id: wellbeing", 1)
    text = text.replace("title: Workforce", "title: Wellbeing").replace("  - id: workforce-planning",
                                                                     "  - id: wellbeing-planning")
    text = text.replace("  - id: flexible-working", "  - id: wellbeing-offer")
    text = text.replace("{id: plan-drafted", "{id: wb-plan").replace("{id: offer-published", "{id: wb-offer")
    (head / "pillars" / "wellbeing.yaml").write_text(text, "utf-8")
    edit(head / WORKFORCE, "status: on-track\n    actions", "status: paused\n    actions")
    edit(head / LEADERSHIP, "status: complete\n    measures", "status: on-track\n    measures")
    out = report(mini, head)
    pillar = section(out, "Pillar: Wellbeing (`wellbeing`)")
    assert pillar.startswith("\n- Added pillar **Wellbeing** (`wellbeing`)\n")
    assert "- Added priority **Joint workforce planning** (`wellbeing-planning`): owned by Test Council, " \
        "at risk, January 2025 to March 2026" in pillar
    assert out.index("### Pillar: Leadership") < out.index("### Pillar: Wellbeing") \
        < out.index("### Pillar: Workforce")  # pillars in file order, as the site lists them


def test_rename_via_renamed_from(mini: Path, head: Path) -> None:
    edit(head / WORKFORCE, "  - id: flexible-working\n",
         "  - id: flexible-work\n    renamed_from: [flexible-working]\n")
    edit(head / WORKFORCE, "status: on-track\n    actions", "status: complete\n    actions")
    text = report(mini, head)
    assert ("- Priority **Flexible working** (`flexible-work`, renamed from `flexible-working`): "
            "status on track → complete") in text
    assert "Added" not in text and "Removed" not in text


def test_check_turns_from_passing_to_failing_and_back(mini: Path, head: Path) -> None:
    edit(head / LEADERSHIP, "owner: test-trust\n    accountable", "owner: test-trusty\n    accountable")
    failing = report(mini, head)
    assert "**This change makes the roadmap check fail.** New errors:" in failing
    assert "- roadmap/pillars/leadership.yaml:27:12: error R001 unknown organisation 'test-trusty'; " \
        "did you mean 'test-trust'?" in failing
    assert "owner changed from Test NHS Trust to `test-trusty`" in failing
    passing = report(head, mini)
    assert "**This change makes the roadmap check pass.** It failed before with 1 error." in passing
    edit(head / LEADERSHIP, "owner: test-trusty", "owner: test-council")
    assert "The roadmap check passes before and after this change." in report(mini, head)


def test_failing_before_and_after_lists_only_new_errors(mini: Path, head: Path) -> None:
    edit(mini / LEADERSHIP, "owner: test-trust\n    accountable", "owner: nobody\n    accountable")
    edit(head / LEADERSHIP, "owner: test-trust\n    accountable", "owner: nobody\n    accountable")
    edit(head / LEADERSHIP, "priorities:\n", "# moved down a line\npriorities:\n")
    text = report(mini, head)
    assert "The roadmap check fails before and after this change. It brings no new errors." in text
    edit(head / WORKFORCE, "owner: test-council\n    contributors", "owner: no-one\n    contributors")
    text = report(mini, head)
    assert "The roadmap check fails before and after this change. New errors:" in text
    assert "'no-one'" in text and "'nobody'" not in text


def test_unreadable_file_is_not_reported_as_removed(mini: Path, head: Path) -> None:
    edit(head / "governance.yaml", "    cadence: monthly\n", "    cadence: monthly\n    cadence: weekly\n")
    text = report(mini, head)
    assert "roadmap/governance.yaml cannot be read after this change" in text
    assert "Removed governance body" not in text
    assert "error Y002" in text


def test_text_from_the_yaml_is_escaped(mini: Path, head: Path) -> None:
    edit(head / "organisations.yaml", "name: Test Council", 'name: "<script>x</script> **bold** [a](b)"')
    text = report(mini, head)
    assert "<script>" not in text and "**bold**" not in text and "[a](b)" not in text
    assert "&lt;script&gt;" in text


def test_order_is_deterministic(mini: Path, head: Path) -> None:
    edit(head / "organisations.yaml", "name: Test Council", "name: Test City Council")
    edit(head / "measures.yaml", "direction: lower", "direction: higher")
    edit(head / "governance.yaml", "cadence: monthly", "cadence: weekly")
    edit(head / WORKFORCE, "status: on-track\n    actions", "status: paused\n    actions")
    edit(head / LEADERSHIP, "status: complete\n    measures", "status: on-track\n    measures")
    edit(head / "programme.yaml", "as_at: 2025-06-30", "as_at: 2025-07-31")
    text = report(mini, head)
    headings = [line for line in text.splitlines() if line.startswith("### ")]
    assert headings == ["### Pillar: Leadership (`leadership`)", "### Pillar: Workforce (`workforce`)",
                        "### Governance", "### Measures", "### Organisations", "### Programme"]
    assert report(mini, head) == text
    assert "as at date moved from 30 June 2025 to 31 July 2025, 31 days later" in text


def test_unknown_folder_exits_2(mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)  # not a git repository
    assert main(["diff", "no-such-folder"]) == 2
    assert "this is not a git repository, so 'no-such-folder' cannot be a revision" \
        in capsys.readouterr().err
    assert main(["diff", "--folder", "no-such-folder"]) == 2
    assert "the roadmap folder 'no-such-folder' does not exist" in capsys.readouterr().err
    assert main(["diff", "--folder", str(mini), "--root", "missing"]) == 2  # no working tree roadmap there


# ---------------------------------------------------------------- git revisions

def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(mini: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository whose last commit changes one action; the working tree is that commit."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    for name in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{name}_NAME", "Test")
        monkeypatch.setenv(f"GIT_{name}_EMAIL", "test@example.org")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("HOME", str(tmp_path))
    repo = tmp_path / "repo"
    shutil.copytree(mini, repo / "roadmap")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "first")
    edit(repo / "roadmap" / LEADERSHIP, "due: 2025-08-15, status: on-track",
         "due: 2025-09-15, status: at-risk")
    git(repo, "commit", "-q", "-am", "second")
    monkeypatch.chdir(repo)
    return repo


EXPECTED = ("- Action **Run the first cohort** (`first-cohort`):\n"
            "    - due moved from 15 August 2025 to 15 September 2025, 31 days later\n"
            "    - status on track → at risk")


def test_git_revision_against_working_tree(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "HEAD~1"]) == 0
    out = capsys.readouterr().out
    assert "Comparing `HEAD~1` (before) with the working tree (after)." in out
    assert EXPECTED in out
    assert "The roadmap check passes before and after this change." in out


def test_two_git_revisions(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo / "roadmap" / LEADERSHIP, "Run the first cohort", "Run cohort one")  # not committed
    assert main(["diff", "HEAD~1", "HEAD"]) == 0
    out = capsys.readouterr().out
    assert EXPECTED in out and "cohort one" not in out
    assert main(["diff", "HEAD", "HEAD"]) == 0
    assert "No changes to the roadmap." in capsys.readouterr().out


def test_roadmap_folder_named_with_root(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git(repo, "mv", "roadmap", "data")
    git(repo, "commit", "-q", "-m", "move")
    edit(repo / "data" / LEADERSHIP, "status: at-risk}", "status: complete}")
    assert main(["diff", "HEAD", "--root", "data"]) == 0
    assert "status at risk → complete" in capsys.readouterr().out
    assert main(["diff", "HEAD~1", "--root", "data"]) == 2
    assert "the revision 'HEAD~1' has no folder 'data'" in capsys.readouterr().err


def test_unknown_revision_exits_2(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", "no-such-branch"]) == 2
    assert "'no-such-branch' is not a git revision this repository knows" in capsys.readouterr().err
    assert main(["diff", "--", "--output=x"]) == 2  # never passed to git as an option
    assert not (repo / "x").exists()


def test_review_added(mini: Path, head: Path) -> None:
    text = (head / "reviews/2025-05-15-review.yaml").read_text("utf-8")
    text = text.replace("2025-05-15", "2025-11-14").replace("Spring 2025", "Autumn 2025")
    (head / "reviews/2025-11-14-review.yaml").write_text(text, "utf-8")
    assert ("- Added review **Autumn 2025 review** (`2025-11-14-review`): held by Test People Board on "
            "14 November 2025; answers 2 learning questions and records 2 status changes") \
        in section(report(mini, head), "Reviews")


def test_framework_added_as_a_whole(mini: Path, head: Path) -> None:
    (head / "frameworks/extra.yaml").write_text(
        "# yaml-language-server: $schema=../../schema/framework.schema.json\n"
        "id: extra\ntitle: Extra framework\npublisher: Test\npublished: 2024-01-01\n"
        "source: {title: Test}\nelements:\n  - {id: one, title: One}\n  - {id: two, title: Two}\n", "utf-8")
    edit(head / "frameworks/ltwp.yaml", "title: Reform", "title: Reform and transform")
    text = section(report(mini, head), "Frameworks")
    assert text.strip().splitlines() == [
        "- Added framework **Extra framework** (`extra`): with 2 elements",
        "- Framework element **Reform and transform** (`ltwp:reform`): title changed from “Reform” to "
        "“Reform and transform”"]
