"""`roadmap generate`: the pages and the configuration every builder needs, written before
any builder runs; `--watch` for builders without the MkDocs hook; the builder setting."""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from generator import builders, macros
from generator.addresses import OUTPUT
from generator.cli import main
from generator.pipeline import run
from generator.render.nav import nav, redirects
from generator.siteconfig import CONFIG, HEADER, site_config
from generator.watch import Watcher
from generator.write import read_manifest
from tests.conftest import REPO, edit


def test_generate_writes_the_pages_and_the_configuration_mkdocs_yml_inherits(
        mini: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    docs = tmp_path / "docs"
    assert main(["generate", str(mini), "--docs", str(docs)]) == 0
    result = run(mini)
    assert result.roadmap is not None
    out = docs / OUTPUT
    for path, text in result.pages.items():
        assert (docs / path).read_bytes() == text.encode("utf-8")
    config = yaml.safe_load((out / CONFIG).read_text("utf-8"))
    assert config["nav"] == nav(result.roadmap)
    assert config["plugins"] == {"redirects": {"redirect_maps": redirects(result.roadmap)}}
    assert CONFIG in read_manifest(out)  # the writer's rules: never a file it did not make
    inherited = yaml.safe_load((REPO / "mkdocs.yml").read_text("utf-8"))["INHERIT"]
    assert inherited == f"docs/{OUTPUT}/{CONFIG}"


def test_the_configuration_is_the_text_pyyamls_own_dumper_writes(mini: Path) -> None:
    """libyaml's dumper is used when PyYAML has it: its text must be the pure-Python one's,
    so that a machine without libyaml builds the same bytes."""
    pillar = mini / "pillars" / "leadership.yaml"
    text = pillar.read_text("utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    edit(pillar, title, "title: 'Café: \"quoted\", #1 — a long, plain title: yes/no & 100%'")
    result = run(mini)
    assert result.roadmap is not None
    data = {"nav": nav(result.roadmap),
            "plugins": {"redirects": {"redirect_maps": redirects(result.roadmap)}}}
    pure = yaml.dump(data, Dumper=yaml.SafeDumper, sort_keys=False, allow_unicode=True, width=1000,
                     default_flow_style=False)
    assert site_config(result.roadmap) == HEADER + pure
    assert "Café" in pure


def test_the_redirect_map_is_in_the_generated_configuration(mini: Path, tmp_path: Path) -> None:
    pillar = mini / "pillars" / "leadership.yaml"
    renamed = "id: shared-behaviours\n    renamed_from: [leadership-behaviours]"
    edit(pillar, "id: leadership-behaviours", renamed)
    for review in (mini / "reviews").glob("*.yaml"):
        review.write_text(review.read_text("utf-8").replace("leadership-behaviours", "shared-behaviours"))
    assert main(["generate", str(mini), "--docs", str(tmp_path / "docs")]) == 0
    config = yaml.safe_load((tmp_path / "docs" / OUTPUT / CONFIG).read_text("utf-8"))
    assert config["plugins"]["redirects"]["redirect_maps"] == {
        f"{OUTPUT}/priorities/leadership-behaviours.md": f"{OUTPUT}/priorities/shared-behaviours.md"}


def test_generate_writes_nothing_when_the_roadmap_has_errors(
        mini: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(mini / "pillars" / "leadership.yaml", "owner: test-icb", "owner: nobody-at-all")
    assert main(["generate", str(mini), "--docs", str(tmp_path / "docs")]) == 1
    assert "leadership.yaml:" in capsys.readouterr().err
    assert not (tmp_path / "docs").exists()


def test_watch_generates_again_after_an_edit(mini: Path, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    assert main(["generate", str(mini), "--docs", str(docs)]) == 0
    page = docs / OUTPUT / "pillars" / "leadership.md"
    with Watcher(mini, docs, poll=0.05):
        edit(mini / "pillars" / "leadership.yaml", "title: Leadership", "title: Leading while watched")
        deadline = time.monotonic() + 30  # a bound against a hang, not a speed target
        while "Leading while watched" not in page.read_text("utf-8") and time.monotonic() < deadline:
            time.sleep(0.05)
    assert "Leading while watched" in page.read_text("utf-8")


def test_an_unknown_builder_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["build", "--builder", "jekyll"])
    assert stop.value.code == 2
    assert "invalid choice: 'jekyll'" in capsys.readouterr().err


def test_a_builder_not_installed_says_how_to_install_it(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(builders.importlib.util, "find_spec", lambda name: None)
    assert main(["build", "--builder", "zensical"]) == 2
    assert "make builders" in capsys.readouterr().err


def test_macros_read_only_what_every_builder_offers(mini: Path) -> None:
    """mkdocs-macros' env (MkDocs' config object, a page with `file`) and Zensical's
    (a plain dict, a page with `path`) give the same root and the same page path."""
    project = mini.parent
    mkdocs_env = SimpleNamespace(project_dir=str(project), conf={"extra": {"roadmap_root": "roadmap"}},
                                 page=SimpleNamespace(file=SimpleNamespace(src_uri="index.md")))
    zensical_env = SimpleNamespace(project_dir=str(project), conf={"extra": {}},
                                   page=SimpleNamespace(path="index.md", url=""))
    assert macros.roadmap_root(mkdocs_env) == macros.roadmap_root(zensical_env) == mini
    assert macros.page_path(mkdocs_env.page) == macros.page_path(zensical_env.page) == "index.md"
