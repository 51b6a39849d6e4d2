"""`roadmap check`: schema validation, then the consistency rules, all findings at once."""

from __future__ import annotations

import re
from dataclasses import replace

from generator.check import placeholders, rules  # noqa: F401 - importing registers the rules
from generator.check.registry import CHECKS, RULES
from generator.check.schema import validate
from generator.collect import entities
from generator.findings import Finding
from generator.load import Loaded

__all__ = ["RULES", "check", "has_errors"]

MAX_MESSAGE = 600
_LONG_RUN = re.compile(r"\S{101,}")


def check(loaded: Loaded) -> list[Finding]:
    """Every finding for a loaded roadmap, sorted by file and position."""
    findings = list(loaded.findings)
    for source in loaded.sources:
        findings.extend(validate(source))
    context = rules.Context(loaded.root, loaded.sources, list(entities(loaded.sources)))
    for run in CHECKS:
        findings.extend(run(context))
    # A rule's severity is declared once, in the registry.
    return sorted({replace(f, severity=RULES[f.code].severity, message=clip(f.message))
                   for f in findings})


def clip(message: str) -> str:
    """Shorten what a hostile value put into a message (a megabyte id is quoted as 80 characters)."""
    message = _LONG_RUN.sub(lambda run: run[0][:80] + "…", message)
    if len(message) > MAX_MESSAGE:
        message = message[:MAX_MESSAGE - 120] + " … " + message[-100:]
    return message


def has_errors(findings: list[Finding], strict: bool = False) -> bool:
    return any(f.severity == "error" or strict for f in findings)
