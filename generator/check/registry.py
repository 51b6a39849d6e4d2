"""Every finding `roadmap check` can give: a stable code, a severity and a one-line description."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from generator.findings import Finding, Severity

# What a rule reads, so the check can run it on as little as possible (generator/check/perfile.py):
# - "roadmap": the whole roadmap (references, governance, coverage, …), run on every check;
# - "file": one file alone, run per file and remembered by the file's bytes;
# - "file+programme": one file and the programme's data (as_at, settings, cadence), run per
#   file and remembered by the file's bytes and the programme's data.
# A rule given one file sees nothing of any other (and no programme unless it says it reads
# it), so a rule registered with too narrow a scope gives other findings per file than on the
# whole roadmap; tests/test_check_cache.py compares the two for every such rule.
Scope = Literal["roadmap", "file", "file+programme"]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    description: str


RULES: dict[str, Rule] = {}
CHECKS: list[Callable[..., Iterable[Finding]]] = []
SCOPES: dict[Callable[..., Iterable[Finding]], Scope] = {}  # a rule not here reads the roadmap


def declare(code: str, name: str, severity: Severity, description: str) -> Rule:
    RULES[code] = Rule(code, name, severity, description)
    return RULES[code]


def rule(code: str, name: str, severity: Severity, description: str, scope: Scope = "roadmap"):
    """Register a consistency rule: a function from the check context to findings, reading
    what its scope says (see Scope)."""
    declare(code, name, severity, description)

    def register(func: Callable[..., Iterable[Finding]]) -> Callable[..., Iterable[Finding]]:
        CHECKS.append(func)
        SCOPES[func] = scope
        return func

    return register


# Findings raised while loading files and validating them against the schemas.
for _code, _name, _severity, _text in [
    ("F001", "unknown-file", "error", "a file or folder that is not part of the roadmap layout "
     "(it could hide a change, as a .gitattributes can)"),
    ("F002", "outside-link", "error", "a file that links to a place outside the roadmap folder"),
    ("F003", "missing-file", "error", "a file the roadmap needs is missing"),
    ("F004", "unreadable-file", "error", "a file that cannot be read"),
    ("F005", "file-name", "error", "a file name that breaks the id rules (it could not be checked "
     "out on every system)"),
    ("F006", "follow-on-left-out", "warning",
     "cross-file findings left out while a file cannot be read (said once, on that file)"),
    ("Y001", "yaml-syntax", "error", "the YAML cannot be parsed"),
    ("Y002", "duplicate-key", "error", "the same key twice in one mapping"),
    ("Y003", "alias", "error", "an alias (*name); values must be written out"),
    ("Y004", "tag", "error", "a YAML tag (!!python/…, !custom) or a key that is not plain"),
    ("Y005", "encoding", "error", "the file is not UTF-8 text"),
    ("Y006", "too-large", "error", "the file is larger than the size limit"),
    ("Y007", "tab-indent", "error", "a tab used for indentation"),
    ("Y008", "too-deep", "error", "values nested too deeply"),
    ("Y009", "empty-file", "error", "the file is empty"),
    ("Y010", "control-character", "error", "a control character or lone surrogate in a text or key"),
    ("Y011", "number-form", "error", "a number YAML reads unexpectedly (1:20, 012, 0b11, 0x1f) "
     "or one that is not finite or too large"),
    ("Y012", "too-many-keys", "error", "a mapping with more keys than any roadmap needs (over 1,000)"),
    ("Y013", "text-cut-by-comment", "warning", "text cut short by an unquoted ' #' (read as a comment)"),
    ("S001", "unknown-key", "error", "a key the schema does not know (often a misspelling)"),
    ("S002", "wrong-type", "error", "a value of the wrong type (text, number, list, …)"),
    ("S003", "invalid-value", "error", "a value outside the allowed choices or form"),
    ("S004", "missing-field", "error", "a required field is missing"),
    ("S005", "schema", "error", "any other schema constraint (list length, repeats, limits)"),
]:
    declare(_code, _name, _severity, _text)  # type: ignore[arg-type]
