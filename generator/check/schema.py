"""Validate each source against the JSON Schema for its kind, with located messages."""

from __future__ import annotations

import difflib
import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

from generator.findings import Finding
from generator.load import Source, pointer_join

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schema"
_TYPE_NAMES = {"string": "text", "integer": "a whole number", "number": "a number",
               "boolean": "true or false", "array": "a list", "object": "a mapping of keys",
               "null": "empty"}


def schema_files() -> dict[str, Path]:
    return {p.name: p for p in sorted(SCHEMA_DIR.glob("*.schema.json"))}


@cache
def registry() -> Registry:
    resources = [(name, Resource.from_contents(json.loads(path.read_text("utf-8"))))
                 for name, path in schema_files().items()]
    return Registry().with_resources(resources)


@cache
def validator(kind: str) -> Draft202012Validator:
    schema = registry().contents(f"{kind}.schema.json")
    return Draft202012Validator(schema, registry=registry())


def validate(source: Source) -> list[Finding]:
    errors = validator(source.kind).iter_errors(source.data)
    return [finding for error in errors for finding in _findings(source, error)]


def _pointer(parts: Any) -> str:
    pointer = ""
    for part in parts:
        pointer = pointer_join(pointer, part)
    return pointer


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
    pointer = _pointer(error.absolute_path)
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
    extras = [k for k in error.instance if k not in allowed]
    found = []
    for key in extras:
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"allowed keys: {', '.join(allowed)}"
        found.append(source.finding(pointer_join(pointer, key), "S001",
                                    f"unknown key '{key}'; {hint}", key=True))
    return found
