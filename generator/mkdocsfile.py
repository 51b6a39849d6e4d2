"""mkdocs.yml, read in one place: the MkDocs configuration of the project a roadmap folder
belongs to, as plain data for what the generator makes before MkDocs runs (who publishes,
generator/publisher.py; where, generator/publishing.py).

MkDocs' own tags (!ENV, !relative, !!python/name:…) read as None: none is a fact the generator
takes from the file. A file that is missing, not UTF-8, not YAML or not a mapping reads as
empty, so the generator falls back to its defaults; MkDocs says what is wrong when it builds.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

CONFIG = "mkdocs.yml"
_EMPTY: Mapping[str, Any] = MappingProxyType({})


class _Loader(yaml.SafeLoader):
    """A safe loader that reads every tag it does not know as None."""


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)


def config_path(root: Path) -> Path:
    """mkdocs.yml beside the roadmap folder `root`."""
    return root.resolve().parent / CONFIG


def read(root: Path) -> Mapping[str, Any]:
    """The project's mkdocs.yml as a mapping, or an empty one when it cannot be read. The file
    is read on every call (it may change under `roadmap serve`) and parsed once per content, so
    callers share what they get: they read it, never change it."""
    try:
        text = config_path(root).read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return _EMPTY
    return _parsed(text)


@lru_cache(maxsize=8)
def _parsed(text: str) -> Mapping[str, Any]:
    try:
        data = yaml.load(text, Loader=_Loader)  # a SafeLoader
    except yaml.YAMLError:
        return _EMPTY
    return MappingProxyType(data) if isinstance(data, dict) else _EMPTY
