"""The schema-rule validator is attached only to the models that have such rules."""

from __future__ import annotations

import importlib
from typing import Annotated, Any

import pydantic
import pytest

from tests.e2e.conftest import MakeApi

SPEC = """
openapi: 3.1.0
info: {title: Rules, version: "1"}
paths:
  /pets:
    post:
      operationId: createPet
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Tagged"}}}
      responses:
        "201": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}}
components:
  schemas:
    Pet:
      type: object
      required: [id, name]
      properties:
        id: {type: integer}
        name: {type: string}
    Tagged:
      type: object
      required: [tags]
      properties:
        tags: {type: array, uniqueItems: true, items: {type: string}}
        note: {type: string}
    Noted:
      type: object
      required: [id]
      properties:
        id: {type: integer}
        note: {type: string}
        at: {type: string, format: time}
        children: {type: array, items: {$ref: "#/components/schemas/Noted"}}
    Marked:  # inherits Noted's rules, and has its own
      allOf:
        - {$ref: "#/components/schemas/Noted"}
        - type: object
          properties:
            mark: {type: string, enum: [red, blue]}
"""


def _validators(schema: Any, *, python: bool = False) -> list[Any]:
    """Every function validator anywhere in a core schema (``python``: only those validation
    from Python objects can run, leaving out the JSON branch of ``json-or-python`` schemas)."""
    found: list[Any] = []
    if isinstance(schema, dict):
        if schema.get("type", "").startswith("function-") and "function" in schema:
            found.append(schema["function"]["function"])
        for key, value in schema.items():
            if not (python and key == "json_schema"):
                found += _validators(value, python=python)
    elif isinstance(schema, list):
        for value in schema:
            found += _validators(value, python=python)
    return found


def test_only_models_with_rules_run_the_rule_validator(make_api: MakeApi) -> None:
    api = make_api(SPEC)
    pet, tagged = api.models.Pet, api.models.Tagged
    for model in (pet, tagged):
        model.model_rebuild()
    names = {f.__name__ for f in _validators(tagged.__pydantic_core_schema__)}
    assert "_schema_rules" in names
    assert "_schema_rules" not in {f.__name__ for f in _validators(pet.__pydantic_core_schema__)}
    # and the rules still hold where they exist
    with pytest.raises(pydantic.ValidationError, match="items must be unique"):
        tagged(tags=["a", "a"])
    with pytest.raises(pydantic.ValidationError, match="null is not allowed"):
        tagged.model_validate_json('{"tags": [], "note": null}')
    assert pet(id=1, name="x").name == "x"


def _time_check(api: Any) -> Any:
    """The vendored runtime's check of a ``format: time`` value."""
    formats = importlib.import_module(f"{api.name}._runtime.formats")
    return formats._leaf_check("time", "time")


def test_null_rule_runs_no_validator_when_built_from_python(make_api: MakeApi) -> None:
    """Optional-not-nullable properties alone: the fields' own schemas refuse a JSON null, so
    building from Python objects (a handler's response) runs no Python code for the rule."""
    api = make_api(SPEC)
    m = api.models
    for model in (m.Noted, m.Marked):
        model.model_rebuild()
        # ``at``'s format check (a str must be an RFC 3339 time) is no null rule: it runs
        # from Python objects too, returning at once for a ``datetime.time``
        rules = [
            f
            for f in _validators(model.__pydantic_core_schema__, python=True)
            if f is not _time_check(api)
        ]
        assert rules == [], model
    # from Python, None is the type's "not set" (an inherited property too)
    assert m.Noted(id=1, note=None).model_fields_set == {"id"}
    assert m.Marked(id=1, note=None).model_fields_set == {"id"}
    assert m.Noted.model_validate({"id": 1, "note": None}) == m.Noted(id=1)
    built = m.Noted(id=1)
    built.note = None  # assigned None reads as unset too
    assert built.model_fields_set == {"id"}
    assert "note" not in built.model_dump()


@pytest.mark.parametrize("model", ["Noted", "Marked"])
def test_null_rule_refuses_json_null_at_the_member(make_api: MakeApi, model: str) -> None:
    cls = getattr(make_api(SPEC).models, model)
    with pytest.raises(pydantic.ValidationError) as caught:
        cls.model_validate_json('{"id": 1, "children": [{"id": 2, "note": null}], "at": null}')
    errors = caught.value.errors(include_url=False)
    assert [(e["loc"], e["msg"]) for e in errors] == [
        (("at",), "at: null is not allowed"),
        (("children", 0, "note"), "note: null is not allowed"),
    ]
    # values JSON carries as strings are still read from the JSON text, strictly
    read = cls.model_validate_json(
        '{"id": 1, "at": "10:00:00Z", "children": [{"id": 2, "note": "n", "at": "11:00:00-01:00"}]'
        + (', "mark": "red"}' if model == "Marked" else "}")
    )
    assert read.children[0].note == "n" and str(read.at) == "10:00:00+00:00"
    # a time is RFC 3339's, with its offset (format: time)
    with pytest.raises(pydantic.ValidationError, match=r"\(format time\)"):
        cls.model_validate_json('{"id": 1, "children": [{"id": 2, "at": "11:00:00"}]}')
    if model == "Marked":  # its own property, declared in an inline allOf member
        with pytest.raises(pydantic.ValidationError, match="mark: null is not allowed"):
            cls.model_validate_json('{"id": 1, "mark": null}')
        assert cls(id=1, mark=None).model_fields_set == {"id"}
    with pytest.raises(pydantic.ValidationError, match="Input should be a valid string"):
        cls.model_validate_json('{"id": 1, "note": 5}')  # other errors keep their wording


def test_null_rule_without_fields_to_rewrite_is_a_model_validator(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A schema whose fields cannot be found still refuses a JSON null (the fallback)."""
    from specfirst.runtime import base

    monkeypatch.setattr(base, "_model_fields", lambda schema, cls: None)

    class Odd(base.BaseModel):
        id: int
        note: str | None = None

    base.constrain(Odd, not_null=("note",))
    Odd.model_rebuild(force=True)
    assert "_not_null_rule" in {f.__name__ for f in _validators(Odd.__pydantic_core_schema__)}
    assert Odd(id=1, note=None).model_fields_set == {"id"}
    with pytest.raises(pydantic.ValidationError, match="note: null is not allowed"):
        Odd.model_validate_json('{"id": 1, "note": null}')
    assert Odd.model_validate_json('{"id": 1, "note": "n"}').note == "n"


VEHICLES = """
openapi: 3.0.3
info: {title: Vehicles, version: "1"}
paths:
  /vehicles:
    post:
      operationId: addVehicle
      requestBody:
        required: true
        content:
          application/json:
            schema:
              oneOf:
                - {$ref: "#/components/schemas/ElectricVehicle"}
                - {$ref: "#/components/schemas/PedaledVehicle"}
              discriminator:
                propertyName: powerSource
                mapping:
                  electricity: "#/components/schemas/ElectricVehicle"
                  human-energy: "#/components/schemas/PedaledVehicle"
      responses:
        "204": {description: ok}
components:
  schemas:
    BaseVehicle:
      type: object
      properties:
        powerSource: {type: string}
        topSpeed: {type: integer}
      discriminator:
        propertyName: powerSource
        mapping:
          electricity: "#/components/schemas/ElectricVehicle"
          human-energy: "#/components/schemas/PedaledVehicle"
    ElectricVehicle:
      allOf:
        - {$ref: "#/components/schemas/BaseVehicle"}
        - {type: object, required: [powerSource], properties: {chargeSpeed: {type: integer}}}
    PedaledVehicle:
      allOf:
        - {$ref: "#/components/schemas/BaseVehicle"}
        - {type: object, required: [powerSource], properties: {gears: {type: integer}}}
"""


def test_a_discriminator_a_member_narrows_to_a_literal_is_left_to_pydantic(
    make_api: MakeApi,
) -> None:
    # The base's optional `powerSource` is under the null rule; each member requires it, so
    # the member narrows it to a required Literal, which pydantic must find unwrapped to pick
    # the member (readme's discriminators.json: "Model 'ElectricVehicle' needs field
    # 'powerSource' to be of type `Literal`"). (Were it optional in a member, the union would
    # be a plain one: a body without it is valid.) The member's own optional properties still
    # refuse a JSON null.
    api = make_api(VEHICLES)
    members = api.models.ElectricVehicle | api.models.PedaledVehicle
    union = pydantic.TypeAdapter(Annotated[members, pydantic.Field(discriminator="powerSource")])
    electric = union.validate_json('{"powerSource": "electricity", "chargeSpeed": 3}')
    assert type(electric).__name__ == "ElectricVehicle"
    adapter = pydantic.TypeAdapter(api.models.ElectricVehicle)
    with pytest.raises(pydantic.ValidationError, match="chargeSpeed: null is not allowed"):
        adapter.validate_json('{"powerSource": "electricity", "chargeSpeed": null}')
    with pytest.raises(pydantic.ValidationError, match="topSpeed: null is not allowed"):
        adapter.validate_json('{"powerSource": "electricity", "topSpeed": null}')
