"""A ``oneOf`` of open objects with nothing to tell them apart (mailscript.com's triggers).

``criteria`` is ``oneOf [Criteria, CriteriaOperand]``: two objects without ``type`` or required
properties, each with ``minProperties: 1``. An object with a key is valid under both, so the
``oneOf`` admits only objects with a declared property of the wrong type for one member
(``{"and": 5}``). schemathesis drew from each member and kept what exactly one admits: it kept
nothing ("Unsatisfiable"), sent no positive case, and the operation never reached its 201 though
the app accepts every value the schema does. The run's document spells the ``oneOf`` as the same
set of values, each member with the other barred, which schemathesis draws from.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import jsonschema
import pytest
import yaml

from specfirst.contract import ContractOptions, format_summary, run_contract
from specfirst.contract.document import as_the_app_reads
from tests.e2e.conftest import MakeApi, make_api  # noqa: F401  (fixture)

SPEC = """
openapi: 3.0.0
info: {title: Triggers, version: 1.0.0}
paths:
  /triggers:
    post:
      operationId: addTrigger
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/AddTriggerRequest'}
      responses:
        '201':
          description: added
          content:
            application/json:
              schema: {type: object, required: [id], properties: {id: {type: string}}}
        '400':
          description: invalid
          content:
            application/json:
              schema: {type: object, required: [error], properties: {error: {type: string}}}
components:
  schemas:
    AddTriggerRequest:
      required: [name, criteria]
      properties:
        name: {type: string}
        criteria:
          oneOf:
            - $ref: '#/components/schemas/Criteria'
            - $ref: '#/components/schemas/CriteriaOperand'
    Criteria:
      minProperties: 1
      properties:
        domain: {type: string}
        hasAttachments: {type: boolean}
    CriteriaOperand:
      minProperties: 1
      properties:
        and: {type: array, items: {type: string}}
        or: {type: array, items: {type: string}}
"""


def _criteria_validator(document: dict[str, Any]) -> jsonschema.Validator:
    schema = {
        "$ref": "#/components/schemas/AddTriggerRequest",
        "components": document["components"],
    }
    return jsonschema.Draft4Validator(schema)


CRITERIA = [
    {},
    {"domain": "x"},
    {"and": ["x"]},
    {"unknown": 1},
    {"and": 5},
    {"domain": 5},
    {"domain": "x", "and": 5},
    {"domain": 5, "and": 5},
    {"and": None},
]


def test_the_run_spells_the_one_of_as_the_same_values() -> None:
    document = yaml.safe_load(SPEC)
    before = copy.deepcopy(document)
    read = as_the_app_reads(document)
    assert read is not None and document == before
    criteria = read["components"]["schemas"]["AddTriggerRequest"]["properties"]["criteria"]
    criteria_ref = {"$ref": "#/components/schemas/Criteria"}
    operand_ref = {"$ref": "#/components/schemas/CriteriaOperand"}
    assert criteria == {
        "anyOf": [
            {"allOf": [criteria_ref, {"not": operand_ref}]},
            {"allOf": [operand_ref, {"not": criteria_ref}]},
        ]
    }
    # the same verdict on every value, as written and as spelled for the run
    spelled = _criteria_validator(read)
    typed = copy.deepcopy(before)
    for name in ("Criteria", "CriteriaOperand", "AddTriggerRequest"):
        typed["components"]["schemas"][name]["type"] = "object"
    literal = _criteria_validator(typed)
    for value in CRITERIA:
        body: dict[str, Any] = {"name": "n", "criteria": value}
        assert literal.is_valid(body) == spelled.is_valid(body), value


def test_a_one_of_of_members_that_differ_only_in_annotations_is_left_as_written() -> None:
    document = yaml.safe_load(SPEC)
    schemas = document["components"]["schemas"]
    schemas["CriteriaOperand"] = {**schemas["Criteria"], "title": "Same"}
    read = as_the_app_reads(document)
    assert read is not None  # the objects without type are typed
    criteria = read["components"]["schemas"]["AddTriggerRequest"]["properties"]["criteria"]
    assert "oneOf" in criteria


@pytest.mark.parametrize("value", CRITERIA, ids=json.dumps)
def test_the_app_accepts_exactly_what_the_schema_accepts(
    make_api: MakeApi,  # noqa: F811
    value: Any,
) -> None:
    """The app's reading: the objects without ``type`` are objects; otherwise JSON Schema's."""
    api = make_api(SPEC)
    document = yaml.safe_load(SPEC)
    for name in ("Criteria", "CriteriaOperand", "AddTriggerRequest"):
        document["components"]["schemas"][name]["type"] = "object"
    body = {"name": "n", "criteria": value}
    expected = _criteria_validator(document).is_valid(body)
    model = api.package.models.AddTriggerRequest
    try:
        model.model_validate_json(json.dumps(body))
    except ValueError:
        accepted = False
    else:
        accepted = True
    assert accepted == expected


def test_the_run_reaches_the_success_of_an_overlapping_one_of(
    make_api: MakeApi,  # noqa: F811
) -> None:
    api = make_api(SPEC)
    seen: list[Any] = []

    class Triggers:
        async def add_trigger(self, *, body: Any) -> Any:
            seen.append(body.criteria)
            return {"id": "t1"}

    result = run_contract(
        ContractOptions(
            spec=api.spec_path,
            app=api.create_app(default=Triggers()),
            max_examples=10,
            phases=("fuzzing",),
        )
    )
    summary = format_summary(result)
    assert not result.failures and not result.errors and not result.gates, summary
    reached = {label for label, op in result.coverage.operations.items() if op.reached_success()}
    assert reached == {"POST /triggers"}, summary
    assert seen, summary
