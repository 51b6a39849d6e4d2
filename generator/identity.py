"""Who publishes the site, as a reader sees it: the logo, favicon, primary colour and the
publishing organisation's name, read from one place, `extra.publisher` in mkdocs.yml.

A fork sets these four keys and nothing else to carry its own identity. Paths are relative
to the docs folder; the colour is the header's background, behind white text, so it must
give white text at least 4.5:1 contrast (WCAG 1.4.3).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
DEFAULT_COLOUR = "#005eb8"  # NHS blue: 5.6:1 behind white text


@dataclass(frozen=True)
class Identity:
    name: str
    logo: str
    favicon: str
    primary_colour: str


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two "#rrggbb" colours."""
    high, low = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _path(value: Any, key: str, problems: list[str]) -> str:
    if value in (None, ""):
        return ""
    path = PurePosixPath(str(value))
    if not isinstance(value, str) or path.is_absolute() or ".." in path.parts or ":" in value:
        problems.append(f"extra.publisher.{key}: {value!r} must be a path inside the docs folder, "
                        "such as assets/logo.svg (nothing from another host)")
        return ""
    return value


def identity(extra: Mapping[str, Any]) -> tuple[Identity, list[str]]:
    """The identity in `extra.publisher`, and every problem with it (empty when all is well)."""
    publisher = extra.get("publisher") or {}
    problems: list[str] = []
    if not isinstance(publisher, Mapping):
        return Identity("", "", "", DEFAULT_COLOUR), ["extra.publisher must be a mapping of keys"]
    colour = str(publisher.get("primary_colour") or DEFAULT_COLOUR)
    if not _HEX.match(colour):
        problems.append(f"extra.publisher.primary_colour: {colour!r} must be a colour like #005eb8")
        colour = DEFAULT_COLOUR
    elif contrast(colour, "#ffffff") < 4.5:
        problems.append(f"extra.publisher.primary_colour: {colour} gives white text "
                        f"{contrast(colour, '#ffffff'):.2f}:1 contrast; choose a darker colour "
                        "(at least 4.5:1)")
        colour = DEFAULT_COLOUR
    found = Identity(name=str(publisher.get("name") or ""),
                     logo=_path(publisher.get("logo"), "logo", problems),
                     favicon=_path(publisher.get("favicon"), "favicon", problems),
                     primary_colour=colour.lower())
    return found, problems
