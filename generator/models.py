"""The thin adapter around datamodel-code-generator: schemas in, a models module out."""

from __future__ import annotations

import ast
import json
import warnings
from typing import Any

from generator.diagnostics import Diagnostic, Level

# Options are chosen once, here, so that output is deterministic and independent of the
# user's own datamodel-code-generator configuration. Formatting is left to ruff (one pass
# over the whole package), which is far faster than the built-in formatters on big specs.
_OPTIONS: dict[str, Any] = {
    "input_file_type": "openapi",
    "output_model_type": "pydantic_v2.BaseModel",
    "target_python_version": "3.11",
    "openapi_scopes": ["schemas"],
    "formatters": [],
    "disable_timestamp": True,
    "use_annotated": True,
    "field_constraints": True,
    "use_standard_collections": True,
    "use_union_operator": True,
    "use_double_quotes": True,
    "use_schema_description": True,
    "use_field_description": True,
    "set_default_enum_member": True,
    "capitalise_enum_members": False,
    "base_class": "generator.runtime.base.BaseModel",
}


def generate_models(
    document: dict[str, Any], header: str
) -> tuple[str, frozenset[str], list[Diagnostic]]:
    """Run datamodel-code-generator on a schemas-only OpenAPI document.

    Returns the module source, the names of the classes it defines, and diagnostics.
    """
    from datamodel_code_generator import generate

    schemas = (document.get("components") or {}).get("schemas") or {}
    if not schemas:
        return f"{header}\nfrom __future__ import annotations\n", frozenset(), []
    diagnostics: list[Diagnostic] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            source = generate(json.dumps(document), custom_file_header=header, **_OPTIONS)
        except Exception as exc:  # the library raises many types; report, don't crash
            message = " ".join(str(exc).split())[:500] or type(exc).__name__
            diagnostics.append(
                Diagnostic(Level.ERROR, "models", f"datamodel-code-generator failed: {message}")
            )
            return f"{header}\nfrom __future__ import annotations\n", frozenset(), diagnostics
    for warning in caught:
        text = " ".join(str(warning.message).split())[:300]
        diagnostics.append(Diagnostic(Level.INFO, "models", text))
    if not isinstance(source, str):
        raise TypeError("datamodel-code-generator returned several modules; expected one")
    return source, defined_classes(source), diagnostics


def options_fingerprint() -> str:
    """datamodel-code-generator's version and our options: part of the models cache key."""
    from importlib.metadata import version

    return json.dumps({"version": version("datamodel-code-generator"), "options": _OPTIONS}, sort_keys=True)


def defined_classes(source: str) -> frozenset[str]:
    """Top-level class names defined by a module's source."""
    tree = ast.parse(source)
    return frozenset(node.name for node in tree.body if isinstance(node, ast.ClassDef))
