"""``specfirst.lint.schemas``: a required name that ``additionalProperties: false`` forbids."""

from __future__ import annotations

from specfirst.diagnostics import Level
from specfirst.lint.profiles import PROFILES
from tests.lint.conftest import LintFn, clean_document, op


def test_a_required_name_no_property_declares_beside_no_other_names(run_lint: LintFn) -> None:
    """e-conomic's ``Employee``: ``canApprove`` and ``canInvoice`` required, declared nowhere,
    ``additionalProperties: false``; so is a request body's inline schema. A name a pattern
    may allow, or one other names are allowed beside, is no finding."""
    doc = clean_document()
    thing = doc["components"]["schemas"]["Thing"]
    thing["additionalProperties"] = False
    thing["required"] = ["id", "name", "canApprove", "canInvoice"]
    op(doc, "/things/{thingId}")["requestBody"] = {
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["note"],
                    "example": {"required": ["not", "a", "schema"]},
                }
            }
        }
    }
    doc["components"]["schemas"]["ThingList"]["required"] = ["items", "next"]  # open: allowed
    doc["components"]["schemas"]["Problem"].update(
        additionalProperties=False, required=["x-a"], patternProperties={"^x-": {}}
    )
    assert run_lint(doc, {"example-valid": None, "media-type-response": None}) == [
        "error required-undeclared: required 'note' is not in properties, and "
        "additionalProperties: false forbids any other name, so no object is valid; the "
        "generated model takes it as declared with any value: declare it under properties",
        "error required-undeclared: required 'canApprove', 'canInvoice' are not in properties, "
        "and additionalProperties: false forbids any other name, so no object is valid; the "
        "generated model takes them as declared with any value: declare them under properties",
    ]
    assert PROFILES["imported"]["required-undeclared"] is Level.WARNING
