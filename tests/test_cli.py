"""`roadmap check` and `roadmap rules` as a contributor and CI see them: output, formats, exit status."""

from __future__ import annotations

import gc
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from generator import boardpack, cli, pipeline
from generator.check import RULES
from generator.cli import main
from generator.findings import Finding
from generator.handover import Handover
from tests.conftest import SAMPLE, edit, line_of, site_project

Output = tuple[int, str, str]
Breaker = Callable[[Path], tuple[Path, int, int, str]]  # breaks a roadmap: the file, line, col and words


def run(capsys: pytest.CaptureFixture[str], *args: str) -> Output:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def position(path: Path, needle: str, value: str = "") -> tuple[int, int]:
    """The line of needle, and the column where value (or the needle) starts on it."""
    line = line_of(path, needle)
    return line, path.read_text("utf-8").splitlines()[line - 1].index(value or needle) + 1


def replace_line(path: Path, pattern: str, new: str) -> str:
    """Replace the first match of a regular expression; return the new text as a needle."""
    text, count = re.subn(pattern, new, path.read_text("utf-8"), count=1, flags=re.MULTILINE)
    assert count == 1, f"{pattern!r} not in {path}"
    path.write_text(text, "utf-8")
    return new


# ---------------------------------------------------------------- the shipped roadmap, broken by hand

@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    shutil.copytree(SAMPLE / "roadmap", tmp_path / "roadmap")
    return tmp_path / "roadmap"


def test_shipped_roadmap_passes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", str(SAMPLE / "roadmap"))
    assert code == 0
    assert re.search(r"^0 errors, \d+ warnings?$", out, re.MULTILINE)


def unknown_owner(root: Path) -> tuple[Path, int, int, str]:
    path = sorted((root / "pillars").glob("*.yaml"))[0]
    needle = replace_line(path, r"owner: [a-z0-9-]+", "owner: no-such-organisation")
    return path, *position(path, needle, "no-such-organisation"), \
        "error R001 unknown organisation 'no-such-organisation'"


def governance_cycle(root: Path) -> tuple[Path, int, int, str]:
    # The first body under the top one reports to a body that reports to it.
    path = root / "governance.yaml"
    bodies = yaml.safe_load(path.read_text("utf-8"))["bodies"]
    top = next(b["id"] for b in bodies if not b.get("reports_to"))
    middle = next(b["id"] for b in bodies if b.get("reports_to") == top)
    below = next(b["id"] for b in bodies if b.get("reports_to") == middle)
    edit(path, f"reports_to: {top}", f"reports_to: {below}")
    return path, *position(path, f"reports_to: {below}", below), \
        f"error G001 reports_to goes round in a circle ({middle} → {below} → {middle})"


def impossible_date(root: Path) -> tuple[Path, int, int, str]:
    path = root / "programme.yaml"
    needle = replace_line(path, r"^as_at: .*$", "as_at: 2024-02-30")
    return path, *position(path, needle, "2024-02-30"), "error D001 2024-02-30 is not a real date"


def tab_indent(root: Path) -> tuple[Path, int, int, str]:
    path = root / "organisations.yaml"
    replace_line(path, r"^    (?=\S)", "\t")
    return path, *position(path, "\t"), "error Y007 a tab is used for indentation"


@pytest.mark.parametrize("breaks", [unknown_owner, governance_cycle, impossible_date, tab_indent],
                         ids=lambda f: f.__name__)
def test_hand_broken_roadmap(shipped: Path, capsys: pytest.CaptureFixture[str], breaks: Breaker) -> None:
    path, line, col, words = breaks(shipped)
    code, out, _ = run(capsys, "check", str(shipped))
    assert code == 1
    rel = path.relative_to(shipped.parent).as_posix()
    assert any(text.startswith(f"{rel}:{line}:{col}: {words}") for text in out.splitlines()), out


# ---------------------------------------------------------------- exit status

def test_clean_roadmap_exits_0(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "check", str(mini)) == (0, "0 errors, 0 warnings\n", "")


def overdue(mini: Path) -> None:
    edit(mini / "pillars" / "workforce.yaml", "due: 2025-07-31", "due: 2025-02-15")


def test_warnings_alone_exit_0(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    overdue(mini)
    code, out, _ = run(capsys, "check", str(mini))
    assert code == 0
    assert " warning D003 " in out
    assert out.endswith("0 errors, 1 warning\n")


def test_strict_makes_warnings_fail(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    overdue(mini)
    assert run(capsys, "check", "--strict", str(mini))[0] == 1
    edit(mini / "pillars" / "workforce.yaml", "due: 2025-02-15", "due: 2025-07-31")
    assert run(capsys, "check", "--strict", str(mini))[0] == 0


def test_errors_exit_1(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = mini / "organisations.yaml"
    edit(path, "kind: nhs-trust", "kind: hospital")
    code, out, _ = run(capsys, "check", str(mini))
    line, col = position(path, "kind: hospital", "hospital")
    assert code == 1
    assert f"roadmap/organisations.yaml:{line}:{col}: error S003 'kind' is 'hospital'; use one of:" in out
    assert out.endswith("1 error, 0 warnings\n")


def test_missing_folder_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere"
    code, out, err = run(capsys, "check", str(missing))
    assert code == 2
    assert out == ""
    assert err == f"roadmap: error: the roadmap folder '{missing}' does not exist or is not a folder\n"


def test_a_file_instead_of_a_folder_exits_2(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "check", str(mini / "programme.yaml"))[0] == 2


def test_unknown_format_is_a_usage_error(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["check", "--format", "xml", str(mini)])
    assert stop.value.code == 2
    assert "invalid choice: 'xml'" in capsys.readouterr().err


# ---------------------------------------------------------------- formats

def break_two_files(mini: Path) -> None:
    edit(mini / "organisations.yaml", "kind: nhs-trust", "kind: hospital")
    overdue(mini)


def test_json_format(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    break_two_files(mini)
    code, out, _ = run(capsys, "check", "--format", "json", str(mini))
    findings = json.loads(out)
    assert code == 1
    assert [f["code"] for f in findings] == ["S003", "D003"]  # organisations.yaml sorts before pillars/
    for item in findings:
        assert set(item) == {"path", "line", "col", "code", "severity", "message"}
        assert isinstance(item["line"], int)
        assert isinstance(item["col"], int)
    assert findings[0]["path"] == "roadmap/organisations.yaml"
    assert findings[0]["line"] == line_of(mini / "organisations.yaml", "hospital")
    assert findings[1]["severity"] == "warning"


def test_json_format_when_clean(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "check", "--format", "json", str(mini)) == (0, "[]\n", "")


def test_github_format(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    break_two_files(mini)
    code, out, _ = run(capsys, "check", "--format", "github", str(mini))
    org_line, org_col = position(mini / "organisations.yaml", "kind: hospital", "hospital")
    due_line, due_col = position(mini / "pillars" / "workforce.yaml", "due: 2025-02-15", "2025-02-15")
    assert code == 1
    assert out.splitlines() == [
        f"::error file=roadmap/organisations.yaml,line={org_line},col={org_col},title=S003::"
        "'kind' is 'hospital'; use one of: integrated-care-board, partnership, nhs-trust, local-authority, "
        "primary-care, voluntary-sector, education, national-body, strategic-partner, other",
        f"::warning file=roadmap/pillars/workforce.yaml,line={due_line},col={due_col},title=D003::"
        "action 'plan-drafted' was due 2025-02-15 and is at-risk; update its status or date",
    ]


def test_github_escaping() -> None:
    finding = Finding("roadmap/a,b:c%.yaml", 3, 5, "S001", "error", "100% sure\r\nnext line: a, b")
    assert finding.github() == (
        "::error file=roadmap/a%2Cb%3Ac%25.yaml,line=3,col=5,title=S001::100%25 sure\\x0d\\x0anext line: a, b"
    )  # line breaks are neutralised (shown as escapes) before GitHub's own escaping


def test_github_escaping_through_the_command(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A second copy of a pillar, in a file whose name has a comma: its ids repeat the first's.
    copy = mini / "pillars" / "z,copy.yaml"
    shutil.copy(mini / "pillars" / "workforce.yaml", copy)
    edit(copy, "status: at-risk", "status: 100%")
    _, out, _ = run(capsys, "check", "--format", "github", str(mini))
    line, col = position(copy, "status: 100%", "100%")
    assert (f"::error file=roadmap/pillars/z%2Ccopy.yaml,line={line},col={col},title=S003::"
            "'status' is '100%25'; use one of:") in out
    id_line, id_col = position(copy, "id: workforce", "workforce")
    first = line_of(mini / "pillars" / "workforce.yaml", "id: workforce")
    assert (f"::error file=roadmap/pillars/z%2Ccopy.yaml,line={id_line},col={id_col},title=R002::"
            f"the pillar id 'workforce' is already used at roadmap/pillars/workforce.yaml:{first}; ") in out


def test_text_output_is_sorted_by_file_then_line(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(mini / "programme.yaml", "review_cadence_months: 6", "review_cadence_months: six")
    edit(mini / "governance.yaml", "reports_to: test-board", "reports_to: test-bored")
    edit(mini / "organisations.yaml", "short_name: Test ICB", "shortname: Test ICB")
    edit(mini / "organisations.yaml", "kind: local-authority", "kind: council")
    _, out, _ = run(capsys, "check", str(mini))
    lines = out.splitlines()[:-1]
    keys = [(text.split(":")[0], int(text.split(":")[1])) for text in lines]
    assert [text.split()[2] for text in lines] == ["R001", "S001", "S003", "S002"]
    assert keys == sorted(keys)


# ---------------------------------------------------------------- rules

def test_rules_lists_every_code_once(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules")
    listed = Counter(line.split()[0] for line in out.splitlines())
    assert code == 0
    assert listed == Counter(set(RULES))
    for line in out.splitlines():
        rule = RULES[line.split()[0]]
        assert line.split()[1] == rule.severity
        assert rule.name in line
        assert line.endswith(rule.description)


def test_build_runs_the_pipeline_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`roadmap build` generates, then MkDocs' hook takes those pages instead of making them again."""
    project = site_project(tmp_path)
    monkeypatch.chdir(project)
    runs: list[Path] = []
    real_run = pipeline.run
    monkeypatch.setattr(pipeline, "run", lambda root, *args: runs.append(root) or real_run(root, *args))
    assert main(["build", "--no-pdf"]) == 0  # no browser needed here
    assert len(runs) == 1
    assert (project / "site" / "roadmap" / "pillars" / "leadership" / "index.html").is_file()


def test_pages_handed_over_are_refused_once_a_source_changes(mini: Path, tmp_path: Path) -> None:
    handover = Handover()
    result = pipeline.generate(mini, tmp_path)
    handover.offer(mini, tmp_path, result)
    assert handover.take(mini, tmp_path) is result
    assert handover.take(mini, tmp_path) is None  # taken once only
    assert handover.latest(mini) is result  # what the build publishes stays for the PDFs
    handover.offer(mini, tmp_path, result)
    edit(mini / "pillars" / "leadership.yaml", "title:", "title:")  # same text, newer file
    os.utime(mini / "pillars" / "leadership.yaml", ns=(1, 1))
    assert handover.take(mini, tmp_path) is None


def test_build_meeting_option_names_the_meeting_on_the_pack(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    project = site_project(tmp_path)
    monkeypatch.chdir(project)
    assert main(["build", "--no-pdf", "--meeting", "Test People Board, 10 July 2025"]) == 0
    pack = (project / "site" / "roadmap" / "board-pack" / "index.html").read_text("utf-8")
    assert "For Test People Board, 10 July 2025." in pack
    assert not boardpack.MEETING  # for that build only


def test_the_command_exits_with_mains_code_and_the_collector_passes_the_run_by(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "main", lambda: 3)
    try:
        with pytest.raises(SystemExit) as stop:
            cli.console()
        assert stop.value.code == 3 and gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_the_command_reports_and_exits_as_main_says(mini: Path) -> None:
    """As a program, its output is all there (nothing is lost by how it exits)."""
    done = subprocess.run([sys.executable, "-m", "generator.cli", "check", str(mini), "--format", "json"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert isinstance(json.loads(done.stdout), list)
