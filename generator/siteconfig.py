"""The part of the site's configuration that comes from the roadmap: the navigation and
the redirect map of renamed pages.

`roadmap generate` writes it beside the pages, as docs/roadmap/.config.yml, and
`mkdocs.yml` inherits it (`INHERIT:`), so every builder reads the same navigation and
redirects from a file, whether or not it runs the MkDocs hook (Zensical does not). The
name starts with a dot, so no builder publishes it as a page or a static file.
"""

from __future__ import annotations

import yaml

from generator import model as m
from generator.cache import Cache, digest
from generator.render.nav import nav, redirects

CONFIG = ".config.yml"  # inside the generator's folder, docs/roadmap/
# libyaml's dumper writes the same text as PyYAML's own, seven times faster (a navigation
# of thousands of pages is written after every edit); PyYAML's when it was built without it.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
HEADER = ("# Made by `roadmap generate` from the roadmap; do not edit (it is remade on every build).\n"
          "# mkdocs.yml inherits it: the navigation and the redirect map of renamed pages.\n")


def site_config(roadmap: m.Roadmap, cache: Cache | None = None) -> str:
    """The navigation and redirect map as YAML. `plugins` is a mapping, as in mkdocs.yml,
    so the builders merge it into the plugins mkdocs.yml lists instead of replacing them.
    With a cache, the YAML made last time from the same values is taken (writing thousands
    of pages' navigation as YAML takes a noticeable part of a quick rebuild)."""
    data = {"nav": nav(roadmap), "plugins": {"redirects": {"redirect_maps": redirects(roadmap)}}}
    name = digest("site config", repr(data))
    text = cache.get(name) if cache else None
    if not isinstance(text, str):
        text = HEADER + yaml.dump(data, Dumper=_DUMPER, sort_keys=False, allow_unicode=True,
                                  width=1000, default_flow_style=False)
        if cache:
            cache.put(name, text)
    return text
