"""The datamodel-code-generator adapter's own schema rewrites (``specfirst.models``)."""

from __future__ import annotations

import copy
from typing import Any

from specfirst.models import _open_pattern_properties


def document(schemas: dict[str, Any]) -> dict[str, Any]:
    return {"openapi": "3.1.0", "components": {"schemas": schemas}}


def test_open_pattern_properties_become_additional_properties() -> None:
    doc = document(
        {
            "Open": {"type": "object", "patternProperties": {"^m_": {"type": "number"}}},
            "Typed": {
                "type": "object",
                "patternProperties": {"^m_": {"type": "number"}},
                "additionalProperties": {"type": "string"},
            },
            "Closed": {
                "type": "object",
                "patternProperties": {"^m_": {"type": "number"}},
                "additionalProperties": False,
            },
        }
    )
    before = copy.deepcopy(doc)
    opened, original = _open_pattern_properties(doc)
    got = opened["components"]["schemas"]
    assert got["Open"] == {"type": "object", "additionalProperties": {}}
    assert got["Typed"]["additionalProperties"] == {
        "anyOf": [{"type": "number"}, {"type": "string"}]
    }
    assert got["Closed"] == before["components"]["schemas"]["Closed"]  # only matching keys
    assert doc == before and original == before["components"]["schemas"]  # input untouched


def test_only_schemas_are_rewritten() -> None:
    weird = {
        "type": "object",
        # a property that happens to be called patternProperties, and an example that
        # looks like a schema: data, not keywords
        "properties": {"patternProperties": {"type": "object"}},
        "examples": [{"patternProperties": {"^x": {}}}],
        "items": {"patternProperties": {"^x": {"type": "string"}}},
    }
    opened, _ = _open_pattern_properties(document({"Weird": copy.deepcopy(weird)}))
    got = opened["components"]["schemas"]["Weird"]
    assert got["properties"] == weird["properties"]
    assert got["examples"] == weird["examples"]
    assert got["items"] == {"additionalProperties": {}}
