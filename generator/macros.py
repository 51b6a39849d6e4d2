"""The mkdocs-macros module: the roadmap model inside hand-written pages in docs/.

Macros return Markdown rendered by the generator's own templates, so text from the
YAML goes through the same escaping as every generated page.

It reads only what mkdocs-macros (under MkDocs and ProperDocs) and Zensical's own
macros extension both offer: `env.project_dir`, `env.conf["extra"]` and the page being
rendered. Zensical ignores MkDocs hooks and calls `define_env` once per page, so the
model is cached here by the state of its sources instead of taken from the hook alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from markupsafe import Markup

from generator.handover import HANDOVER
from generator.render import environment, status_badge
from generator.render.chart import chart


def roadmap_root(env: Any) -> Path:
    return Path(env.project_dir) / (env.conf["extra"] or {}).get("roadmap_root", "roadmap")


def page_path(page: Any) -> str:
    """The docs-relative source path of the page being rendered: Zensical's pages carry it
    as `path`, MkDocs' as `file.src_uri`."""
    path = getattr(page, "path", None)
    return path if isinstance(path, str) else page.file.src_uri


def define_env(env: Any) -> None:
    # MkDocs and ProperDocs: the model the hook has just published; Zensical: made here.
    roadmap = HANDOVER.roadmap(roadmap_root(env))
    env.variables["roadmap"] = roadmap
    env.variables["publisher"] = roadmap.publisher  # read from mkdocs.yml by generator/load.py
    # Facts about the build for the accessibility statement: every page the builder makes
    # (the Markdown in docs/, generated pages included, and the "page not found" page).
    docs = Path(env.project_dir) / (env.conf.get("docs_dir") or "docs")
    env.variables["site_pages"] = sum(1 for _ in docs.rglob("*.md")) + 1

    @env.macro
    def roadmap_block(name: str) -> Markup:
        """A named block from templates/home/, rendered for the page being built."""
        template = environment().get_template(f"blocks/{name}.md.j2")
        return Markup(template.render(page=page_path(env.page), roadmap=roadmap, chart=chart,
                                      status=lambda s: status_badge(s, roadmap.statuses)))
