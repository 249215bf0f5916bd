"""``specfirst.lint.schemas``: a required name that ``additionalProperties: false`` forbids;
one-of-overlap (mailscript.com's trigger ``criteria``)."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from specfirst.diagnostics import Level
from specfirst.lint import lint
from specfirst.lint.profiles import PROFILES
from specfirst.loader import load_spec
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


MESSAGE = (
    "warning one-of-overlap: oneOf members 'Criteria' and 'Operand' are objects with no "
    "required property that take any other key, so an object valid under one is mostly valid "
    "under both, which oneOf refuses; did you mean anyOf? (or tell them apart: required "
    "properties, additionalProperties: false)"
)


def _with_one_of(*members: dict[str, Any]) -> dict[str, Any]:
    doc = clean_document()
    schemas = doc["components"]["schemas"]
    schemas["Thing"]["properties"]["criteria"] = {
        "oneOf": [
            {"$ref": "#/components/schemas/Criteria"},
            {"$ref": "#/components/schemas/Operand"},
        ]
    }
    schemas["Criteria"], schemas["Operand"] = members
    return doc


CRITERIA: dict[str, Any] = {"minProperties": 1, "properties": {"domain": {"type": "string"}}}
OPERAND: dict[str, Any] = {"type": "object", "properties": {"and": {"type": "array", "items": {}}}}


def test_open_objects_nothing_tells_apart_are_warned(run_lint: LintFn) -> None:
    assert run_lint(_with_one_of(CRITERIA, OPERAND)) == [MESSAGE]


def test_members_told_apart_are_not(run_lint: LintFn) -> None:
    required = {**OPERAND, "required": ["and"]}
    closed = {**OPERAND, "additionalProperties": False}
    string: dict[str, Any] = {"type": "string"}
    for other in (required, closed, string):
        assert run_lint(_with_one_of(CRITERIA, other)) == [], other
    doc = _with_one_of(CRITERIA, OPERAND)
    criteria = doc["components"]["schemas"]["Thing"]["properties"]["criteria"]
    criteria["discriminator"] = {"propertyName": "kind"}
    assert run_lint(doc) == []


def test_a_one_of_is_found_wherever_a_schema_is(run_lint: LintFn) -> None:
    """The walk that finds the other rules' schemas finds the oneOfs: under a parameter's
    ``schema``, a media type's ``itemSchema`` (a sequential media type's items), and a
    schema's ``unevaluatedProperties``, beside the components'."""
    overlap: dict[str, Any] = {
        "oneOf": [
            {"$ref": "#/components/schemas/Criteria"},
            {"$ref": "#/components/schemas/Operand"},
        ]
    }
    doc = clean_document()
    doc["components"]["schemas"].update(Criteria=CRITERIA, Operand=OPERAND)
    doc["components"]["schemas"]["Thing"]["unevaluatedProperties"] = dict(overlap)
    op(doc)["parameters"] = [
        {"name": "q", "in": "query", "schema": {"type": "array", "items": dict(overlap)}}
    ]
    op(doc, "/things/{thingId}")["requestBody"] = {
        "content": {"application/jsonl": {"itemSchema": dict(overlap)}}
    }
    found = [line for line in run_lint(doc) if "one-of-overlap" in line]
    assert found == [MESSAGE] * 3


def test_the_warning_is_located_at_the_one_of(tmp_path: Path) -> None:
    path = tmp_path / "api.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            openapi: 3.0.0
            info: {title: Triggers, version: '1'}
            paths: {}
            components:
              schemas:
                Trigger:
                  properties:
                    criteria:
                      oneOf:
                        - {properties: {domain: {type: string}}}
                        - {properties: {and: {type: array}}}
            """
        ),
        encoding="utf-8",
    )
    found = [d for d in lint(load_spec(path)) if d.rule == "one-of-overlap"]
    assert [str(d.location) for d in found] == [f"{path}:9:11"]
    assert "members #0 and #1" in found[0].message


def test_keywords_the_type_makes_meaningless_are_located(tmp_path: Path) -> None:
    """wealthreader.com's ``accounts``: ``type: array`` with ``items`` and ``properties``; the
    properties constrain nothing (no array is an object) and the generated model leaves them
    out, silently but for this warning at the first of them. A type that admits the shape (a
    list with ``object``), or no type at all, is no finding."""
    path = tmp_path / "api.yaml"
    path.write_text(
        """\
openapi: 3.1.0
info: {title: T, version: "1"}
paths: {}
components:
  schemas:
    Accounts:
      type: array
      items: {type: string}
      required: [id]
      properties:
        id: {type: string}
    Count:
      type: [integer, "null"]
      minItems: 1
      items: {type: string}
    Either:
      type: [object, array]
      properties: {a: {type: string}}
      items: {type: string}
    Loose:
      properties: {a: {type: string}}
      items: {type: string}
""",
        encoding="utf-8",
    )
    found = [
        (d.level, d.location.line if d.location else 0, d.message)
        for d in lint(load_spec(path))
        if d.rule == "keyword-type-mismatch"
    ]
    assert found == [
        (
            Level.WARNING,
            9,
            "required, properties beside type: array apply to objects only, which this type "
            "excludes: they constrain nothing, and the generated model leaves them out; remove "
            "them, or add object to type",
        ),
        (
            Level.WARNING,
            14,
            'minItems, items beside type: ["integer", "null"] apply to arrays only, which this '
            "type excludes: they constrain nothing, and the generated model leaves them out; "
            "remove them, or add array to type",
        ),
    ]


def test_an_enum_member_of_no_declared_type(run_lint: LintFn) -> None:
    """gov.bc.ca's ``jobTypes: {type: integer, enum: [[1], [2]]}``: no member is an integer,
    so no value is valid; an array member beside integers is one no value equals. A scalar of
    another type (a parameter's text) is no finding here."""
    doc = clean_document()
    props = doc["components"]["schemas"]["Thing"]["properties"]
    props["jobTypes"] = {"type": "integer", "enum": [[1], [2]]}
    props["region"] = {"type": "integer", "enum": [1, {"id": 2}]}
    props["code"] = {"type": "string", "enum": [1, "a"]}
    props["pair"] = {"type": ["array", "null"], "enum": [[1, 2], None]}
    assert run_lint(doc, {"example-valid": None}) == [
        "error enum-type: enum member [1] is no integer, so no value equals it (a value must be "
        "of the type and in the enum); no member is, so no value is valid: fix the type or the "
        "member (an array of integer: type array, items)",
        "error enum-type: enum member [2] is no integer, so no value equals it (a value must be "
        "of the type and in the enum); no member is, so no value is valid: fix the type or the "
        "member (an array of integer: type array, items)",
        'error enum-type: enum member {"id": 2} is no integer, so no value equals it (a value '
        "must be of the type and in the enum): fix the type or the member (an array of "
        "integer: type array, items)",
    ]
    assert PROFILES["imported"]["enum-type"] is Level.WARNING


HOLDER_MESSAGE = (
    "warning one-of-holder-closed: additionalProperties: false forbids the names only its oneOf "
    "alternatives declare ('carrier_id', 'carrier_ids'), so read literally no object holding "
    "one is valid; the generated model reads each alternative as merged with this schema and "
    "closed over their names together: say so by moving additionalProperties: false into each "
    "alternative, or declare the names under properties"
)


def test_a_closed_holder_whose_alternatives_declare_other_names_is_warned(
    run_lint: LintFn,
) -> None:
    """shipengine's ``estimate_rates_request_body``: closed, allOf [options], oneOf [by
    carrier id, by carrier ids], open objects. Read literally no body is valid; the finding is
    this one, not one-of-overlap (the closed holder tells the alternatives apart as the models
    read it). An open holder, or a closed one declaring its alternatives' names, is none."""
    doc = _with_one_of(
        {"type": "object", "properties": {"carrier_id": {"type": "string"}}},
        {"type": "object", "properties": {"carrier_ids": {"type": "array", "items": {}}}},
    )
    criteria = doc["components"]["schemas"]["Thing"]["properties"]["criteria"]
    criteria.update(
        type="object",
        additionalProperties=False,
        allOf=[{"properties": {"weight": {"type": "integer"}}}],
        required=["weight"],
    )
    assert run_lint(doc) == [HOLDER_MESSAGE]
    criteria["properties"] = {"carrier_id": {}, "carrier_ids": {}}
    assert run_lint(doc) == [MESSAGE]  # its alternatives overlap again
    del criteria["properties"], criteria["additionalProperties"]
    assert run_lint(doc) == [MESSAGE]  # an open holder: overlapping alternatives


def _discriminated(discriminator: dict[str, Any], episode_type: dict[str, Any]) -> dict[str, Any]:
    """spotify's ``PlaylistTrackObject.track``: oneOf [Track, Episode] on ``type``, used from
    ``Thing`` (so every component stays used)."""
    doc = clean_document()
    schemas = doc["components"]["schemas"]
    schemas["Thing"]["properties"]["track"] = {
        "oneOf": [
            {"$ref": "#/components/schemas/Track"},
            {"$ref": "#/components/schemas/Episode"},
        ],
        "discriminator": discriminator,
    }
    schemas["Track"] = {"type": "object", "properties": {"type": {"enum": ["track"]}}}
    schemas["Episode"] = {"type": "object", "properties": {"type": episode_type}}
    return doc


def test_a_discriminator_value_its_member_refuses_is_warned(run_lint: LintFn) -> None:
    """With no mapping, each member is selected by its schema's name, which its own enum
    refuses; a mapping key the member refuses is one too. A member whose property takes any
    string, or whose enum holds the value that selects it, is no finding."""
    implicit = _discriminated({"propertyName": "type"}, {"type": "string"})
    assert run_lint(implicit) == [
        "warning discriminator-value: discriminator on 'type' selects members by values their "
        "own 'type' refuses: 'Track' by 'Track' (its schema's name: no mapping names it; it "
        "allows only 'track'); no instance has the value that selects it (the generated models "
        "take what the members allow): map those values, mapping: "
        "{track: '#/components/schemas/Track'}"
    ]
    mapping = {"track": "#/components/schemas/Track", "ep": "#/components/schemas/Episode"}
    mapped = _discriminated({"propertyName": "type", "mapping": mapping}, {"const": "episode"})
    assert run_lint(mapped) == [
        "warning discriminator-value: discriminator on 'type' selects members by values their "
        "own 'type' refuses: 'Episode' by 'ep' (mapped; it allows only 'episode'); no instance "
        "has the value that selects it (the generated models take what the members allow): map "
        "those values, mapping: {episode: '#/components/schemas/Episode'}"
    ]
    mapping["episode"] = mapping.pop("ep")
    assert run_lint(mapped) == []
    named = _discriminated({"propertyName": "type"}, {"enum": ["Episode", "episode"]})
    named["components"]["schemas"]["Track"]["properties"]["type"] = {"enum": ["Track"]}
    assert run_lint(named) == []
