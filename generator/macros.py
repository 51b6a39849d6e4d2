"""The mkdocs-macros module: the roadmap model inside hand-written pages in docs/.

Macros return Markdown rendered by the generator's own templates, so text from the
YAML goes through the same escaping as every generated page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from markupsafe import Markup

from generator.load import load
from generator.model import Roadmap, resolve
from generator.render import environment, status_badge
from generator.render.chart import chart


def _roadmap(env: Any) -> Roadmap:
    root = Path(env.conf.config_file_path).parent / env.conf.extra.get("roadmap_root", "roadmap")
    return resolve(load(root))  # the hook has already checked it in on_config


def define_env(env: Any) -> None:
    roadmap = _roadmap(env)
    env.variables["roadmap"] = roadmap

    @env.macro
    def roadmap_block(name: str) -> Markup:
        """A named block from templates/home/, rendered for the page being built."""
        page = env.page.file.src_uri
        template = environment().get_template(f"blocks/{name}.md.j2")
        return Markup(template.render(page=page, roadmap=roadmap, chart=chart,
                                      status=lambda s: status_badge(s, roadmap.statuses)))
