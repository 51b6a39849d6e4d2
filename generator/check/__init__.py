"""`roadmap check`: schema validation, then the consistency rules, all findings at once."""

from __future__ import annotations

from dataclasses import replace

from generator.check import rules
from generator.check.registry import CHECKS, RULES
from generator.check.schema import validate
from generator.collect import entities
from generator.findings import Finding
from generator.load import Loaded

__all__ = ["RULES", "check", "has_errors"]


def check(loaded: Loaded) -> list[Finding]:
    """Every finding for a loaded roadmap, sorted by file and position."""
    findings = list(loaded.findings)
    for source in loaded.sources:
        findings.extend(validate(source))
    context = rules.Context(loaded.root, loaded.sources, list(entities(loaded.sources)))
    for run in CHECKS:
        findings.extend(run(context))
    # A rule's severity is declared once, in the registry.
    return sorted({replace(f, severity=RULES[f.code].severity) for f in findings})


def has_errors(findings: list[Finding], strict: bool = False) -> bool:
    return any(f.severity == "error" or strict for f in findings)
