"""The data dictionary: every field of every kind of file, from the schemas' titles and descriptions."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from generator.check.schema import contents
from generator.load import KINDS


@dataclass(frozen=True)
class Field:
    path: str
    title: str
    description: str
    kind: str
    required: bool


@dataclass(frozen=True)
class Section:
    kind: str
    files: str
    title: str
    description: str
    fields: tuple[Field, ...]


def _resolve(schema: dict[str, Any], base: str) -> tuple[dict[str, Any], str]:
    """Follow $ref, keeping the referring schema's own title and description."""
    merged = dict(schema)
    while "$ref" in merged:
        ref = merged.pop("$ref")
        target = ref if not ref.startswith("#") else base + ref
        doc, _, fragment = target.partition("#")
        base = doc or base
        resolved = contents(base)
        for part in fragment.strip("/").split("/") if fragment else []:
            resolved = resolved[part]
        merged = {**resolved, **{k: v for k, v in merged.items() if k in ("title", "description")}}
    return merged, base


def _kind(schema: dict[str, Any]) -> str:
    if "oneOf" in schema:
        return "one of: " + ", ".join(str(o.get("const")) for o in schema["oneOf"])
    if "enum" in schema:
        return "one of: " + ", ".join(map(str, schema["enum"]))
    kind = schema.get("type", "")
    if isinstance(kind, list):
        return " or ".join(_kind({**schema, "type": k}) for k in kind if k != "null") + " (may be null)"
    if kind == "array":
        return "list"
    if kind == "object":
        return "mapping"
    if schema.get("pattern", "").startswith("^[0-9]{4}-[0-9]{2}-"):
        return "date (YYYY-MM-DD)"
    if schema.get("pattern", "").startswith("^[0-9]{4}-[0-9]{2}$"):
        return "month (YYYY-MM)"
    return {"string": "text", "integer": "whole number", "number": "number",
            "boolean": "true or false"}.get(kind, kind or "value")


def _fields(schema: dict[str, Any], base: str, prefix: str, seen: frozenset[str]) -> list[Field]:
    schema, base = _resolve(schema, base)
    if schema.get("type") == "array" and "items" in schema:
        return _fields(schema["items"], base, prefix + "[]", seen)
    fields: list[Field] = []
    required = set(schema.get("required", []))
    for name, sub in schema.get("properties", {}).items():
        resolved, _ = _resolve(sub, base)
        path = f"{prefix}.{name}" if prefix else name
        fields.append(Field(path, resolved.get("title", name), resolved.get("description", ""),
                            _kind(resolved), name in required))
        marker = str(sub.get("$ref", "")) or path
        if marker not in seen:
            fields.extend(_fields(sub, base, path, seen | {marker}))
    return fields


@cache
def dictionary() -> tuple[Section, ...]:
    sections = []
    for pattern, kind in KINDS.items():
        name = f"{kind}.schema.json"
        schema = contents(name)
        sections.append(Section(kind, pattern, schema["title"], schema["description"],
                                tuple(_fields(schema, name, "", frozenset()))))
    return tuple(sections)


@cache
def export_fields() -> tuple[Field, ...]:
    """The fields of roadmap.json, for the downloads page."""
    return tuple(_fields(contents("export.schema.json"), "export.schema.json", "", frozenset()))
