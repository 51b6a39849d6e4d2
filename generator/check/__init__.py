"""`roadmap check`: schema validation, then the consistency rules, all findings at once."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace
from itertools import islice

# isort: off
# Importing a rule module registers its rules; they run in this order.
from generator.check import references, governance, alignment, schedule, evidence  # noqa: F401
from generator.check import readiness, text, accountability, placeholders, wording  # noqa: F401
# isort: on
from generator.cache import Cache
from generator.check.context import Context
from generator.check.perfile import ByFile
from generator.check.registry import CHECKS, RULES
from generator.collect import entities
from generator.findings import Finding
from generator.load import Loaded, gc_paused

__all__ = ["RULES", "accountability", "check", "has_errors"]

MAX_MESSAGE = 600
MAX_PER_RULE = 1_000  # a rule's work stops after this many findings (rules are lazy)
MAX_SHOWN = 100  # findings of one code shown per file
_LONG_RUN = re.compile(r"\S{101,}")


def check(loaded: Loaded, cache: Cache | None = None) -> list[Finding]:
    """Every finding for a loaded roadmap, sorted by file and position. With a cache, the
    rules that read one file at a time run only on files that changed (see perfile.py)."""
    with gc_paused():  # it keeps no cycles; a collection would walk the whole loaded roadmap
        findings = _found(loaded, cache)
    # A rule's severity is declared once, in the registry.
    return capped(sorted({replace(f, severity=RULES[f.code].severity, message=clip(f.message))
                          for f in findings}))


def _found(loaded: Loaded, cache: Cache | None) -> list[Finding]:
    findings = list(loaded.findings)
    context = Context(loaded.root, loaded.sources, list(entities(loaded.sources)))
    by_file = ByFile(context, cache, CHECKS, MAX_PER_RULE)
    findings.extend(by_file.schema())
    for run in CHECKS:  # one bound on every rule's work: a hostile file cannot make it unbounded
        findings.extend(islice(by_file.found(run) if run in by_file else run(context), MAX_PER_RULE))
    by_file.keep()
    return without_follow_on(findings, loaded.findings)


def capped(findings: list[Finding]) -> list[Finding]:
    """At most MAX_SHOWN findings of each code in each file, then one that says how many more."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    shown: list[Finding] = []
    for finding in findings:
        counts[finding.path, finding.code] += 1
        if counts[finding.path, finding.code] <= MAX_SHOWN:
            shown.append(finding)
    for (path, code), count in sorted(counts.items()):
        if count > MAX_SHOWN:
            shown.append(Finding(path, 1, 1, code, RULES[code].severity,
                                 f"and {count - MAX_SHOWN} more {code} findings in this file, not "
                                 "shown; fix the ones above and check again"))
    return sorted(shown)


# Rules that look across files: when a file cannot be read, what it holds seems to be
# missing, and these would blame files that did not change.
FOLLOW_ON = frozenset({"R001", "A002", "A003", "A004", "A005", "G001", "G002", "P001"})


def without_follow_on(findings: list[Finding], loading: list[Finding]) -> list[Finding]:
    """Leave out cross-file findings in other files while a file cannot be read, with one
    note on the unreadable file saying how many and why."""
    unreadable = sorted({f.path for f in loading if f.severity == "error"})
    if not unreadable:
        return findings
    kept = [f for f in findings if f.code not in FOLLOW_ON or f.path in unreadable]
    left_out = len(findings) - len(kept)
    if left_out:
        kept.append(Finding(unreadable[0], 1, 1, "F006", "warning",
                            f"{left_out} finding{'s' * (left_out != 1)} about references in other files "
                            f"{'were' if left_out != 1 else 'was'} left out, because "
                            f"{'this file cannot' if len(unreadable) == 1 else 'these files cannot'} be "
                            "read; fix it first, and the check looks at them again"))
    return kept


def clip(message: str) -> str:
    """Shorten what a hostile value put into a message (a megabyte id is quoted as 80 characters)."""
    if max(map(len, message.split()), default=0) > 100:  # split() parts are \S runs
        message = _LONG_RUN.sub(lambda run: run[0][:80] + "…", message)
    if len(message) > MAX_MESSAGE:
        message = message[:MAX_MESSAGE - 120] + " … " + message[-100:]
    return message


def has_errors(findings: list[Finding], strict: bool = False) -> bool:
    return any(f.severity == "error" or strict for f in findings)
