"""Invalid inputs for every operation of the served OpenAPI document: for each JSON body and query,
a few requests that break every property in one way each (wrong type, out of range, not one of the
choices, too long or too short, not finite, unknown field, missing required), built from the schema
itself so an operation added later is covered without touching the test."""

from collections.abc import Iterator
from typing import Any

METHODS = ("get", "post", "put", "patch", "delete")


def resolve(doc: dict, schema: dict) -> dict:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        schema = doc["components"]["schemas"][name]
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return resolve(doc, schema["allOf"][0])
    return schema


def _type(schema: dict) -> str:
    kind = schema.get("type", "string")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "string")
    return kind


def wrong_type(schema: dict) -> Any:
    """A value of another JSON type than the property takes."""
    return {"string": 12345, "integer": "abc", "number": "abc", "boolean": "maybe", "array": "abc"}.get(
        _type(schema), "abc"
    )


def out_of_bounds(doc: dict, schema: dict) -> Any:
    """A value of the right type that breaks the property's own limit (or a null where none is allowed)."""
    schema = resolve(doc, schema)
    kind = _type(schema)
    if "enum" in schema:
        return "ZZZ-not-a-choice" if kind == "string" else 987654
    if kind in ("integer", "number"):
        if "minimum" in schema:
            return schema["minimum"] - 1
        if "maximum" in schema:
            return schema["maximum"] + 1
        return 1.5 if kind == "integer" else "1e999"
    if kind == "string":
        if schema.get("format") in ("date", "date-time"):
            return "2026-13-45"
        if "maxLength" in schema:
            return "x" * (schema["maxLength"] + 1)
        if schema.get("minLength", 0) > 0:
            return ""
        return None
    if kind == "array":
        items = schema.get("items", {})
        if "minItems" in schema and schema["minItems"] > 0:
            return []
        return [out_of_bounds(doc, items) if items else None]
    if kind == "object" and schema.get("properties"):
        return {name: out_of_bounds(doc, prop) for name, prop in schema["properties"].items()}
    return None


def bodies(doc: dict, schema: dict) -> Iterator[Any]:
    schema = resolve(doc, schema)
    props = {name: resolve(doc, prop) for name, prop in schema.get("properties", {}).items()}
    yield {}  # missing every required field
    yield {"not_a_field_of_this_schema": 1}
    yield "not an object"
    if props:
        yield {name: wrong_type(prop) for name, prop in props.items()}
        yield {name: out_of_bounds(doc, prop) for name, prop in props.items()}
        numbers = {n: p for n, p in props.items() if _type(p) in ("number", "integer")}
        if numbers:
            yield {name: 1e12 for name in numbers}
            yield {name: "NaN" for name in numbers}
            yield {name: -1 for name in numbers}
        strings = {n: p for n, p in props.items() if _type(p) == "string"}
        if strings:
            yield {name: "x" * 5000 for name in strings}


def queries(doc: dict, parameters: list[dict]) -> Iterator[dict[str, Any]]:
    query = [p for p in parameters if p.get("in") == "query"]
    if not query:
        return
    yield {p["name"]: wrong_type(resolve(doc, p.get("schema", {}))) for p in query}
    bounded = {p["name"]: out_of_bounds(doc, p.get("schema", {})) for p in query}
    yield {name: value for name, value in bounded.items() if value is not None and value != ""}


def concrete_path(template: str) -> str:
    """Every path parameter is a row id or key; 1 is enough, as input is checked before any row is read."""
    return "/".join("1" if part.startswith("{") else part for part in template.split("/"))


def invalid_requests(doc: dict) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(method, path, keyword arguments for the test client) for every invalid input of every operation."""
    for path, item in doc["paths"].items():
        url = concrete_path(path)
        for method, operation in item.items():
            if method not in METHODS:
                continue
            for query in queries(doc, operation.get("parameters", []) + item.get("parameters", [])):
                yield method, url, {"query_string": query}
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                for body in bodies(doc, content["application/json"]["schema"]):
                    yield method, url, {"json": body}
