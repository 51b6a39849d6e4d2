"""The GitHub Actions workflows, Dependabot and pre-commit files are valid and follow policy."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent


def run(tool: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / tool), *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


def steps(workflow: dict[Any, Any]) -> Iterator[dict[str, Any]]:
    for job in workflow["jobs"].values():
        yield from job.get("steps", [])


def run_scripts(workflow: dict[Any, Any]) -> str:
    return "\n".join(step["run"] for step in steps(workflow) if "run" in step)


def test_both_workflows_exist() -> None:
    assert {p.name for p in WORKFLOWS} >= {"check.yml", "publish.yml"}


def test_zizmor_finds_nothing() -> None:
    result = run(
        "zizmor", "--offline", "--format", "json", "--config", ".github/zizmor.yml",
        ".github/", ".pre-commit-config.yaml", ".pre-commit-hooks.yaml",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout) == []


@pytest.mark.parametrize(
    ("schema", "path"),
    [("vendor.github-workflows", p) for p in WORKFLOWS]
    + [("vendor.dependabot", GITHUB / "dependabot.yml")]
    + [("vendor.github-issue-forms", p) for p in sorted((GITHUB / "ISSUE_TEMPLATE").glob("*.yml"))
       if p.name != "config.yml"]
    + [("vendor.github-issue-config", GITHUB / "ISSUE_TEMPLATE" / "config.yml")],
    ids=lambda v: v.name if isinstance(v, Path) else v,
)
def test_matches_github_schema(schema: str, path: Path) -> None:
    result = run("check-jsonschema", "--builtin-schema", schema, str(path))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_policy(path: Path) -> None:
    workflow = load(path)
    triggers = workflow.get("on", workflow.get(True))  # PyYAML reads a bare `on` as True
    assert "pull_request_target" not in triggers
    assert "permissions" in workflow, "set top-level permissions ({} or contents: read)"
    assert "concurrency" in workflow
    for name, job in workflow["jobs"].items():
        assert "timeout-minutes" in job, f"job {name} has no timeout-minutes"
    for step in steps(workflow):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step.get("with", {}).get("persist-credentials") is False
        assert "${{" not in step.get("run", ""), f"expression inside run: {step['run']}"


def test_workflows_use_the_make_targets() -> None:
    check = run_scripts(load(GITHUB / "workflows" / "check.yml"))
    assert "make test" in check
    assert "make site" in check
    assert "roadmap check --format github" in check
    publish = load(GITHUB / "workflows" / "publish.yml")
    assert 'make site SITE_FLAGS="--publish --as-at today"' in run_scripts(publish)
    assert "roadmap check --as-at today --format markdown" in run_scripts(publish)


def test_publishing_has_history_an_address_and_a_weekly_run() -> None:
    publish = load(GITHUB / "workflows" / "publish.yml")
    triggers = publish.get("on", publish.get(True))
    assert triggers["schedule"][0]["cron"].endswith("* * 1")  # weekly
    build = {step.get("name", ""): step for step in steps(publish)}
    checkout = next(s for s in build.values() if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    site = next(s for s in build.values() if "make site" in s.get("run", ""))
    assert site["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}"


def test_contributors_see_the_check_the_preview_and_the_summary_whatever_the_tests_do() -> None:
    """Separate jobs, none waiting for another: a failing tool test in a fork never hides the
    roadmap check's annotations, the site preview or the change summary."""
    jobs = load(GITHUB / "workflows" / "check.yml")["jobs"]
    runs = {name: "\n".join(s.get("run", "") for s in job["steps"]) for name, job in jobs.items()}
    owner = {what: [name for name, script in runs.items() if what in script]
             for what in ("make test", "roadmap check --format github", "make site", "roadmap diff")}
    assert all(len(names) == 1 for names in owner.values()), owner
    assert len({names[0] for names in owner.values()}) == 4, owner
    for name, job in jobs.items():
        assert "needs" not in job, f"job {name} waits for another job"
    site = jobs[owner["make site"][0]]
    assert any(s.get("uses", "").startswith("actions/upload-artifact@") for s in site["steps"])
    assert "make test" not in runs[owner["make site"][0]]


def test_the_status_form_offers_the_roadmaps_statuses() -> None:
    from generator.model import statuses

    form = load(GITHUB / "ISSUE_TEMPLATE" / "update-a-status.yml")
    dropdown = next(item for item in form["body"] if item.get("id") == "status")
    assert sorted(dropdown["attributes"]["options"]) == sorted(s.title for s in statuses().values())
