"""Synthesized answers reach the leaves of nesting written through ``allOf`` wrappers.

shipengine writes nearly every property as ``allOf: [{$ref: …}]`` (a description beside a
reference). The synthesizer counted each wrapper as a level, gave up at half the nesting it
meant to reach, and answered ``null`` for a required string (``carriers[0].packages[0]
.package_code``): the model refused it and ``GET /v1/carriers`` answered 500.
"""

from __future__ import annotations

from typing import Any

from specfirst.examples.synthesize import Schemas, synthesize


def _level(n: int) -> dict[str, Any]:
    child = {"allOf": [{"$ref": f"#/components/schemas/L{n + 1}"}], "description": "wrapped"}
    return {"type": "object", "required": ["next"], "properties": {"next": child}}


def test_a_required_leaf_under_wrapped_nesting_is_a_value() -> None:
    schemas: dict[str, Any] = {f"L{n}": _level(n) for n in range(4)}
    schemas["L4"] = {
        "type": "object",
        "required": ["items"],
        "properties": {
            "items": {
                "type": "array",
                "items": {"allOf": [{"$ref": "#/components/schemas/Leaf"}]},
            }
        },
    }
    schemas["Leaf"] = {
        "type": "object",
        "required": ["code"],
        "properties": {"code": {"allOf": [{"$ref": "#/components/schemas/Code"}]}},
    }
    schemas["Code"] = {"type": "string", "minLength": 1}
    document = {"openapi": "3.0.3", "components": {"schemas": schemas}}
    value = synthesize({"$ref": "#/components/schemas/L0"}, Schemas(document))
    for _ in range(4):
        value = value["next"]
    assert value["items"][0]["code"] == "string", value
