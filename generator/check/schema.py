"""Validate each source against the JSON Schema for its kind, with located messages."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from generator.findings import Finding
from generator.load import Source, pointer_join, pointer_of

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError
    from referencing import Registry

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schema"
MAX_FINDINGS = 100  # per file
_TYPE_NAMES = {"string": "text", "integer": "a whole number", "number": "a number",
               "boolean": "true or false", "array": "a list", "object": "a mapping of keys",
               "null": "empty"}


def schema_files() -> dict[str, Path]:
    return {p.name: p for p in sorted(SCHEMA_DIR.glob("*.schema.json"))}


@cache
def contents(name: str) -> Any:
    """One schema file, parsed (shared: never changed by its readers)."""
    return json.loads(schema_files()[name].read_text("utf-8"))


@cache
def registry() -> Registry:
    """Every schema, for jsonschema's references between them. jsonschema and referencing
    are imported here, when a file is invalid, not on every run: they take a tenth of a
    second, and almost every file is valid (fast_valid answers for it)."""
    from referencing import Registry, Resource

    return Registry().with_resources([(name, Resource.from_contents(contents(name)))
                                      for name in schema_files()])


@cache
def _ecma_pattern(pattern: str) -> re.Pattern[str]:
    # JSON Schema patterns are ECMA-262 regexes, where a final "$" matches only at the very
    # end; Python's also matches before a final newline, so "slug\n" would pass as an id.
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
    from jsonschema.exceptions import ValidationError

    if validator.is_type(instance, "string") and not _ecma_pattern(pattern).search(instance):
        yield ValidationError(f"does not match {pattern!r}")


def _canonical(value: Any) -> Any:
    """A hashable stand-in that is equal exactly when two JSON values are equal."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return type(value).__name__, value
    if isinstance(value, int | float):
        return "number", value
    if isinstance(value, list):
        return "array", tuple(_canonical(item) for item in value)
    if isinstance(value, dict):
        return "object", frozenset((key, _canonical(item)) for key, item in value.items())
    return "other", repr(value)


def _unique_items(validator: Any, unique: bool, instance: Any, schema: Any) -> Iterator[ValidationError]:
    # jsonschema compares unsortable items pairwise: a list of 100,000 mappings took hours.
    from jsonschema.exceptions import ValidationError

    if not unique or not validator.is_type(instance, "array"):
        return
    seen: set[Any] = set()
    for item in instance:
        key = _canonical(item)
        if key in seen:
            yield ValidationError("has non-unique elements")
            return
        seen.add(key)


@cache
def validator(kind: str) -> Draft202012Validator:
    from jsonschema import Draft202012Validator, validators

    checks = validators.extend(Draft202012Validator, {"pattern": _pattern, "uniqueItems": _unique_items})
    return checks(contents(f"{kind}.schema.json"), registry=registry())


@cache
def fast_validator(kind: str) -> jsonschema_rs.Validator:
    """The same schema compiled by jsonschema-rs, which answers "is it valid?" about a hundred
    times faster; almost every file is valid, and only an invalid one needs jsonschema's
    detailed errors, which our messages are worded from."""
    base = "file:///schema/"
    resources = [(base + name, json.loads(path.read_text("utf-8"))) for name, path in schema_files().items()]
    return jsonschema_rs.validator_for({"$ref": f"{base}{kind}.schema.json"},
                                       registry=jsonschema_rs.Registry(resources))


def fast_valid(kind: str, data: Any) -> bool:
    try:
        return fast_validator(kind).is_valid(data)
    except (ValueError, TypeError, OverflowError):  # a value jsonschema-rs cannot convert
        return False


def validate(source: Source) -> list[Finding]:
    """The schema findings for one file: at most MAX_FINDINGS, since errors are found lazily
    and a hostile file can hold hundreds of thousands."""
    if fast_valid(source.kind, source.data):  # valid: jsonschema would find nothing
        return []
    findings: list[Finding] = []
    for error in validator(source.kind).iter_errors(source.data):
        findings.extend(_findings(source, error))
        if len(findings) > MAX_FINDINGS:  # one error can hold many (a mapping of unknown keys)
            findings = findings[:MAX_FINDINGS]
            findings.append(Finding(source.rel, 1, 1, "S005", "error",
                                    f"this file has more than {MAX_FINDINGS} schema problems; only "
                                    "the first are shown. Fix them and check again"))
            break
    return findings


def _label(error: ValidationError) -> str:
    path = list(error.absolute_path)
    name = next((str(p) for p in reversed(path) if isinstance(p, str)), "the file")
    return f"'{name}'" if path else name


def _type_name(value: Any) -> str:
    for name, kind in (("null", type(None)), ("boolean", bool), ("integer", int),
                       ("number", float), ("string", str), ("array", list), ("object", dict)):
        if isinstance(value, kind):
            return _TYPE_NAMES[name]
    return type(value).__name__


def _findings(source: Source, error: ValidationError) -> list[Finding]:
    pointer = pointer_of(error.absolute_path)
    kind = error.validator
    if kind == "additionalProperties":
        return _unknown_keys(source, error, pointer)
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "a field"
        what = error.schema.get("properties", {}).get(missing, {}).get("description", "")
        hint = f" ({what})" if what else ""
        return [source.finding(pointer, "S004", f"this {_entity_word(error)} needs '{missing}'"
                               f"{hint}; add it")]
    if kind == "type":
        expected = error.validator_value
        names = [expected] if isinstance(expected, str) else expected
        wanted = " or ".join(_TYPE_NAMES.get(n, n) for n in names)
        return [source.finding(pointer, "S002", f"{_label(error)} should be {wanted}, "
                               f"not {_type_name(error.instance)}")]
    if kind in ("enum", "oneOf", "const"):
        return [source.finding(pointer, "S003", f"{_label(error)} is {error.instance!r}; "
                               f"use one of: {', '.join(_choices(error))}")]
    if kind == "pattern":
        return [source.finding(pointer, "S003", f"{_label(error)} is {error.instance!r}, which "
                               f"is not in the right form: {_describe(error)}")]
    return [source.finding(pointer, "S005", f"{_label(error)}: {_plain(error)}")]


def _entity_word(error: ValidationError) -> str:
    return str(error.schema.get("title", "entry")).lower()


def _choices(error: ValidationError) -> list[str]:
    if error.validator == "enum":
        return [str(v) for v in error.validator_value]
    if error.validator == "const":
        return [str(error.validator_value)]
    return [str(option.get("const")) for option in error.validator_value if "const" in option]


def _describe(error: ValidationError) -> str:
    description = error.schema.get("description", "")
    return description or f"it must match {error.validator_value}"


def _plain(error: ValidationError) -> str:
    value = error.validator_value
    match error.validator:
        case "minItems":
            return f"needs at least {value} item{'s' * (value != 1)}"
        case "maxItems":
            return f"may have at most {value} items"
        case "minLength":
            return "must not be empty"
        case "maxLength":
            return f"is too long: at most {value} characters"
        case "uniqueItems":
            return "lists the same item twice; remove the repeat"
        case "minimum" | "maximum":
            return f"is {error.instance}; it must be {error.validator} {value}"
    return error.message


def _unknown_keys(source: Source, error: ValidationError, pointer: str) -> list[Finding]:
    allowed = sorted(error.schema.get("properties", {}))
    known = set(allowed)
    extras = [k for k in error.instance if k not in known]
    found = []
    for key in extras[:MAX_FINDINGS + 1]:  # 180,000 unknown keys: "did you mean" for the first only
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"allowed keys: {', '.join(allowed)}"
        found.append(source.finding(pointer_join(pointer, key), "S001",
                                    f"unknown key '{key}'; {hint}", key=True))
    return found
