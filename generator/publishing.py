"""Where the site is published: its address (`site_url` in `mkdocs.yml`, else the SITE_URL
environment variable, which the Pages workflow sets and the MkDocs hook reads in the same
order), for what the generator makes before MkDocs runs: calendar links and the feed's
absolute addresses. Without it the site still builds for previewing, but
`roadmap build --publish` refuses to (see generator/hooks.py)."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

import yaml

PUBLISH_ENV = "ROADMAP_PUBLISH"  # set by `roadmap build --publish`: site_url is required


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml holds tags PyYAML's safe loader does not know (!ENV, !!python/name)."""


def _tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if suffix != "!ENV":
        return None
    # !ENV NAME, or !ENV [NAME, OTHER, default]: the first variable set, else the default
    values = [node.value] if isinstance(node, yaml.ScalarNode) else [item.value for item in node.value]
    names, default = (values[:-1], values[-1]) if len(values) > 1 else (values, None)
    return next((os.environ[name] for name in names if name in os.environ), default)


_ConfigLoader.add_multi_constructor("!", _tagged)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


@cache
def _config(path: Path) -> dict[str, Any]:
    try:
        data = yaml.load(path.read_text("utf-8"), Loader=_ConfigLoader)  # a SafeLoader
    except (OSError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def site_url(root: Path) -> str | None:
    """The published address of the site whose roadmap folder is `root`, ending in "/", or None."""
    value = _config(root.resolve().parent / "mkdocs.yml").get("site_url") or os.environ.get("SITE_URL")
    if not isinstance(value, str) or not value.startswith(("https://", "http://")):
        return None
    return value if value.endswith("/") else value + "/"
