"""A finding is one located problem: `path:line:col: severity CODE message`."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from typing import Literal

from generator.neutral import neutral

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    col: int
    code: str
    severity: Severity
    message: str

    def shown(self) -> Finding:
        """This finding with its path and message neutralised (see generator.neutral)."""
        return Finding(neutral(self.path), self.line, self.col, neutral(self.code), self.severity,
                       neutral(self.message))

    def text(self) -> str:
        f = self.shown()
        return f"{f.path}:{f.line}:{f.col}: {f.severity} {f.code} {f.message}"

    def github(self) -> str:
        f = self.shown()
        level = "error" if f.severity == "error" else "warning"
        props = f"file={_escape_prop(f.path)},line={f.line},col={f.col},title={f.code}"
        return f"::{level} {props}::{_escape_data(f.message)}"


def _escape_data(value: str) -> str:
    # GitHub workflow commands: https://github.com/actions/toolkit (command.ts escapeData)
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_prop(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~<>&:\"'-])")


def _markdown(text: str) -> str:
    """Text (already neutralised) as Markdown that shows it literally: every character Markdown
    or HTML could read is backslash-escaped, and ":" too, so no address becomes a link."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def summary(findings: list[Finding]) -> str:
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def render(findings: list[Finding], fmt: str) -> str:
    """The findings in one of the output formats `roadmap check` offers."""
    ordered = sorted(findings)
    if fmt == "json":
        return json.dumps([asdict(f.shown()) for f in ordered], indent=2, ensure_ascii=False)
    if fmt == "github":
        return "\n".join(f.github() for f in ordered)
    if fmt == "markdown":  # for a job summary: one bullet each, nothing in it becomes markup
        return "\n".join([*(f"- {_markdown(f.text())}" for f in ordered), "", summary(ordered)])
    return "\n".join([*(f.text() for f in ordered), summary(ordered)])
