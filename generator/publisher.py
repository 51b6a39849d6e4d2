"""Who publishes the site: the one place a fork edits to make the site its own.

That place is `mkdocs.yml`: its standard keys (`site_name`, `site_description`,
`site_url`, `copyright`, `repo_url`, `repo_name`, `edit_uri`) and an `extra.publisher`
block. Everything else (hand-written pages, theme templates, edit and feedback links, the
calendar's event ids) reads these facts through `Publisher`, never from the file itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from generator import mkdocsfile

_BRANCH = re.compile(r"^[A-Za-z0-9._/-]{1,100}$")


@dataclass(frozen=True)
class Publisher:
    site_name: str = ""
    site_url: str = ""
    repo_url: str = ""
    name: str = ""  # the publishing organisation, in the accessibility statement
    email: str = ""  # the contact for the accessibility statement and feedback
    branch: str = "main"  # the branch edit links open
    calendar_domain: str = ""  # the right-hand side of each calendar event's id
    response_days: int | None = None  # working days to answer a request, if promised
    compliance: str = ""  # "fully compliant" or "partially compliant", once audited
    statement_prepared: str = ""  # when the accessibility statement was prepared, in words
    statement_reviewed: str = ""  # when it was last reviewed, in words

    @property
    def github(self) -> bool:
        return urlsplit(self.repo_url).netloc == "github.com"

    @property
    def domain(self) -> str:
        """The calendar id domain: set, or the site's host, or the repository's path."""
        if self.calendar_domain:
            return self.calendar_domain
        host = urlsplit(self.site_url).netloc
        if host:
            return host
        path = urlsplit(self.repo_url).path.strip("/").replace("/", ".")
        return path or "living-roadmap"

    def edit_url(self, path: str) -> str:
        """The repository's editor for a file (a path from the repository's top), or ""."""
        return f"{self.repo_url.rstrip('/')}/edit/{self.branch}/{path}" if self.repo_url else ""

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "github": self.github, "domain": self.domain}


def from_config(config: Mapping[str, Any]) -> Publisher:
    """The publisher from an MkDocs configuration (a loaded mkdocs.yml, or MkDocs' config)."""
    extra = config.get("extra") or {}
    block = extra.get("publisher") or {} if isinstance(extra, Mapping) else {}
    if not isinstance(block, Mapping):
        block = {}

    def text(value: Any) -> str:
        return str(value).strip() if value is not None else ""

    branch = text(block.get("branch")) or "main"
    days = block.get("response_days")
    return Publisher(
        site_name=text(config.get("site_name")), site_url=text(config.get("site_url")),
        repo_url=text(config.get("repo_url")).rstrip("/"), name=text(block.get("name")),
        email=text(block.get("email")), branch=branch if _BRANCH.match(branch) else "main",
        calendar_domain=text(block.get("calendar_domain")),
        response_days=days if isinstance(days, int) and not isinstance(days, bool) else None,
        compliance=text(block.get("compliance")),
        statement_prepared=text(block.get("statement_prepared")),
        statement_reviewed=text(block.get("statement_reviewed")))


def for_root(root: Path) -> Publisher:
    """The publisher of the project a roadmap folder belongs to (its mkdocs.yml), or defaults."""
    return from_config(mkdocsfile.read(root))
