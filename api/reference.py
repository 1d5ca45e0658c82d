"""The API's reference page, rendered on the server from the OpenAPI document itself (no CDN, no script): each
operation with its parameters and the fields of what it answers, so the page cannot disagree with the schema."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Row:
    name: str
    type: str
    description: str = ""
    required: bool = False


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    description: str
    anchor: str
    parameters: list[Row] = field(default_factory=list)
    fields: list[Row] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)


def _type(schema: dict, components: dict) -> str:
    """A short readable type: "string", "integer (1 to 100)", "one of: a, b", "list of Theme"."""
    if "anyOf" in schema:
        kinds = [_type(option, components) for option in schema["anyOf"] if option.get("type") != "null"]
        nullable = any(option.get("type") == "null" for option in schema["anyOf"])
        return " or ".join(kinds) + (" or null" if nullable else "")
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "enum" in schema:
        return "one of: " + ", ".join(str(value) for value in schema["enum"])
    kind = schema.get("type", "object")
    if kind == "array":
        return f"list of {_type(schema.get('items', {}), components)}"
    if schema.get("format") in ("date", "date-time"):
        return f"{kind} ({schema['format']})"
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None or high is not None:
        return f"{kind} ({low if low is not None else '…'} to {high if high is not None else '…'})"
    return kind


def _item_fields(response: dict, components: dict) -> list[Row]:
    """The fields of an answer: of each item for a page of results, of the object itself otherwise."""
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    schema = components.get(schema.get("$ref", "").rsplit("/", 1)[-1], schema)
    results = schema.get("properties", {}).get("results")
    if results and "$ref" in results.get("items", {}):
        schema = components[results["items"]["$ref"].rsplit("/", 1)[-1]]
    required = set(schema.get("required", []))
    return [
        Row(name, _type(prop, components), prop.get("description", ""), name in required)
        for name, prop in schema.get("properties", {}).items()
    ]


def operations(document: dict) -> list[Operation]:
    components = document.get("components", {}).get("schemas", {})
    found = []
    for path, methods in document["paths"].items():
        for method, spec in methods.items():
            found.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    summary=spec.get("summary", ""),
                    description=spec.get("description", ""),
                    anchor=spec["operationId"],
                    parameters=[
                        Row(
                            p["name"],
                            _type(p.get("schema", {}), components),
                            p.get("description", p.get("schema", {}).get("description", "")),
                            p.get("required", False),
                        )
                        for p in spec.get("parameters", [])
                    ],
                    fields=_item_fields(spec["responses"].get("200", {}), components),
                    statuses=sorted(spec["responses"]),
                )
            )
    return found
