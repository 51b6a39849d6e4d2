"""The JSON Schemas themselves: valid 2020-12, every field described, every $ref resolvable."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from jsonschema import Draft202012Validator

from generator.check.schema import registry, schema_files
from generator.load import KINDS

if TYPE_CHECKING:
    from referencing._core import Resolver

SCHEMAS = schema_files()
# Keywords whose value is a mapping of names to subschemas, and those whose value is one or a list.
NAMED = ("properties", "$defs", "patternProperties")
SUBSCHEMAS = ("items", "additionalProperties", "not", "if", "then", "else", "contains", "prefixItems",
              "allOf", "anyOf", "oneOf")


def subschemas(schema: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema object inside schema, with a JSON pointer to it."""
    if not isinstance(schema, dict):
        return
    yield where, schema
    for keyword in NAMED:
        for name, sub in schema.get(keyword, {}).items():
            yield from subschemas(sub, f"{where}/{keyword}/{name}")
    for keyword in SUBSCHEMAS:
        value = schema.get(keyword)
        if isinstance(value, list):
            for i, sub in enumerate(value):
                yield from subschemas(sub, f"{where}/{keyword}/{i}")
        else:
            yield from subschemas(value, f"{where}/{keyword}")


def properties(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for where, sub in subschemas(schema, "#"):
        for name, prop in sub.get("properties", {}).items():
            yield f"{where}/properties/{name}", prop


def described(schema: dict[str, Any], resolver: Resolver) -> dict[str, Any]:
    """A schema's title and description, its own or else those of the schema it refers to.

    A property such as `"id": {"$ref": "common.schema.json#/$defs/id"}` takes both from the
    shared definition, as the data dictionary does."""
    found = {k: schema[k] for k in ("title", "description") if k in schema}
    if "$ref" in schema and len(found) < 2:
        target = resolver.lookup(schema["$ref"])
        return described(target.contents, target.resolver) | found
    return found


def load(name: str) -> dict[str, Any]:
    return json.loads(SCHEMAS[name].read_text("utf-8"))


def test_every_kind_of_file_has_a_schema() -> None:
    assert {f"{kind}.schema.json" for kind in KINDS.values()} <= set(SCHEMAS)
    assert "common.schema.json" in SCHEMAS


@pytest.mark.parametrize("name", SCHEMAS)
def test_schema_is_valid_2020_12(name: str) -> None:
    schema = load(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("name", SCHEMAS)
def test_every_property_has_a_title_and_description(name: str) -> None:
    resolver = registry().resolver(base_uri=name)
    schema = load(name)
    assert schema.get("title") and schema.get("description"), f"{name} itself"
    missing = [where for where, prop in properties(schema)
               if not all(described(prop, resolver).get(k) for k in ("title", "description"))]
    assert missing == [], f"{name}: add a title and description to {missing}"


@pytest.mark.parametrize("name", SCHEMAS)
def test_every_definition_has_its_own_title_and_description(name: str) -> None:
    definitions = load(name).get("$defs", {})
    missing = [key for key, sub in definitions.items() if not (sub.get("title") and sub.get("description"))]
    assert missing == [], f"{name}: add a title and description to {missing}"


@pytest.mark.parametrize("name", SCHEMAS)
def test_every_ref_resolves(name: str) -> None:
    resolver = registry().resolver(base_uri=name)
    refs = [sub["$ref"] for _, sub in subschemas(load(name), "#") if "$ref" in sub]
    for ref in refs:
        assert isinstance(resolver.lookup(ref).contents, dict), ref


def test_the_walk_sees_nested_properties() -> None:
    pointers = [where for where, _ in properties(load("common.schema.json"))]
    assert "#/$defs/logic-model/properties/outcomes/properties/short" in pointers
    assert "#/$defs/source/properties/url" in pointers


def test_schema_folder_is_where_the_checker_looks() -> None:
    assert {p.parent for p in SCHEMAS.values()} == {Path(__file__).resolve().parents[1] / "schema"}
