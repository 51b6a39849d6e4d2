"""`make serve` keeps the garbage collector out of its rebuilds (generator/collector.py) and
compiles the theme's templates once (generator/hooks.py's on_env)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest
from jinja2 import DictLoader, Environment

from generator import hooks
from generator.collector import IdleCollector
from generator.preview import Preview


@pytest.fixture(autouse=True)
def collector_back_on() -> Iterator[None]:
    yield
    gc.enable()


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_a_cycle_made_during_a_build_is_collected_once_the_build_is_over() -> None:
    collector = IdleCollector(delay=0)
    collector.building()
    made = weakref.ref(Cycle())
    assert not gc.isenabled() and made() is not None  # nothing collects while the build runs
    collector.built()
    collector.wait()
    assert gc.isenabled() and made() is None


def test_a_build_that_starts_before_the_pause_keeps_the_collector_off() -> None:
    collector = IdleCollector(delay=60)
    collector.building()
    collector.built()  # would collect in a minute
    collector.building()  # the next save came first
    assert not gc.isenabled() and not collector.pending
    collector.delay = 0
    collector.built()
    collector.wait()
    assert gc.isenabled()


def test_the_preview_pauses_the_collector_for_its_quick_builds_only() -> None:
    preview = Preview()
    preview.collector.delay = 0
    preview.quick_build()  # the first build: a full one, collected as usual
    assert gc.isenabled()
    preview.seen = ()  # as before_pages leaves it
    assert preview.quick_build() and not gc.isenabled()
    preview.after_error()  # the roadmap had errors: nothing more is built until a save
    preview.collector.wait()
    assert gc.isenabled()
    preview.follow = True  # a quick build left pages for the next: that one is not quick
    assert not preview.quick_build() and gc.isenabled()
    preview.collector.built()  # nothing was paused: nothing to do
    assert not preview.collector.pending


def test_the_theme_is_compiled_once_for_every_build(monkeypatch: pytest.MonkeyPatch) -> None:
    """MkDocs makes a new environment for each build; the second finds the compiled template."""
    compiled: list[str] = []
    real = Environment.compile

    def counted(self: Environment, source: str, name: str | None = None, *args: object) -> object:
        compiled.append(str(name))
        return real(self, source, name, *args)

    monkeypatch.setattr(Environment, "compile", counted)
    source = {"collector-test-page.html": f"<p>{{{{ page }}}} {id(compiled)}</p>"}  # unique: no old entry
    pages = []
    for _ in range(2):
        env = hooks.on_env(Environment(loader=DictLoader(source)), config=None, files=None)  # type: ignore[arg-type]
        pages.append(env.get_template("collector-test-page.html").render(page="made"))
    assert pages == [f"<p>made {id(compiled)}</p>"] * 2
    assert compiled == ["collector-test-page.html"]
