"""mkdocs.yml is read in one place (generator/mkdocsfile.py): who publishes and where the site
is published both come from it, a broken file gives the defaults, and an edit is seen."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator import mkdocsfile
from generator.publisher import Publisher, for_root
from generator.publishing import site_url

CONFIG = """site_name: A Roadmap
site_url: https://roadmap.example.org/sub
repo_url: https://github.com/example/roadmap/
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
extra:
  analytics: !ENV [ANALYTICS, none]
  publisher:
    name: Example ICS
    branch: trunk
"""


def project(tmp_path: Path, text: str | bytes | None = CONFIG) -> Path:
    (tmp_path / "roadmap").mkdir()
    if text is not None:
        config = tmp_path / "mkdocs.yml"
        config.write_bytes(text.encode() if isinstance(text, str) else text)
    return tmp_path / "roadmap"


def test_who_and_where_come_from_one_parse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SITE_URL", raising=False)
    root = project(tmp_path)
    parses = []
    real = yaml.load
    monkeypatch.setattr(yaml, "load", lambda *a, **k: parses.append(1) or real(*a, **k))
    mkdocsfile._parsed.cache_clear()
    publisher = for_root(root)
    assert site_url(root) == "https://roadmap.example.org/sub/"
    assert (publisher.site_name, publisher.repo_url, publisher.name, publisher.branch) == \
        ("A Roadmap", "https://github.com/example/roadmap", "Example ICS", "trunk")
    assert len(parses) == 1  # both read the same parsed file
    assert mkdocsfile.read(root)["extra"]["analytics"] is None  # MkDocs' tags are no fact of ours


@pytest.mark.parametrize("text", [None, "site_url: [\n", "- a list\n", "", b"site_name: \xff\xfe\n"],
                         ids=["missing", "not-yaml", "not-a-mapping", "empty", "not-utf8"])
def test_a_broken_file_gives_the_defaults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          text: str | bytes | None) -> None:
    monkeypatch.delenv("SITE_URL", raising=False)
    root = project(tmp_path, text)
    assert for_root(root) == Publisher()
    assert site_url(root) is None
    monkeypatch.setenv("SITE_URL", "https://pages.example.org/r")  # what the Pages workflow sets
    assert site_url(root) == "https://pages.example.org/r/"


def test_an_edit_is_seen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SITE_URL", raising=False)
    root = project(tmp_path)
    assert site_url(root) == "https://roadmap.example.org/sub/"
    (tmp_path / "mkdocs.yml").write_text(CONFIG.replace("/sub", "/other"), "utf-8")
    assert site_url(root) == "https://roadmap.example.org/other/"
    assert for_root(root).site_url == "https://roadmap.example.org/other"
