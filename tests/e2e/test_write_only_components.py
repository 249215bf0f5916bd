"""readOnly/writeOnly on a component, reached through ``$ref`` (shipengine).

shipengine's ``pickup`` declares ``pickup_window: {$ref: pickup_window}``, a component marked
``writeOnly: true``, and ``pickup_response_body`` (allOf [``pickup``]) requires it. Only a flag
written on the property itself was followed: the response model required ``pickup_window``,
and the example stub's answer (which leaves write-only data out) was refused, a 500 for
``GET /v1/pickups/{pickup_id}``. A flag on the component a property refers to counts as one on
the property, through 3.0's ``allOf: [{$ref: …}]`` wrapper and 3.1's ``$ref`` beside other
keywords too: the property is no part of a response (writeOnly) or a request (readOnly).
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from specfirst.examples.synthesize import Schemas, synthesize
from tests.e2e.conftest import GeneratedApi, MakeApi, client

COMPONENTS = """
components:
  schemas:
    Window:
      type: object
      writeOnly: true
      required: [start]
      properties: {start: {type: string}}
    Status:
      type: string
      enum: [ok, late]
      readOnly: true
    Pickup:
      type: object
      additionalProperties: false
      properties:
        id: {type: string}
        window: {$ref: '#/components/schemas/Window'}
        status: {allOf: [{$ref: '#/components/schemas/Status'}], description: the status}
    PickupBody:
      type: object
      additionalProperties: false
      allOf: [{$ref: '#/components/schemas/Pickup'}]
      required: [id, window, status]
"""

PATHS = """
info: {title: Pickups, version: 1.0.0}
paths:
  /pickups:
    post:
      operationId: schedulePickup
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/PickupBody'}}}
      responses:
        '200':
          description: scheduled
          content: {application/json: {schema: {$ref: '#/components/schemas/PickupBody'}}}
        '422': {description: invalid}
"""

SPEC_30 = "openapi: 3.0.3" + PATHS + COMPONENTS
# 3.1: a ``$ref`` beside other keywords, no ``allOf`` wrapper needed
SPEC_31 = (
    "openapi: 3.1.0"
    + PATHS
    + COMPONENTS.replace(
        "{allOf: [{$ref: '#/components/schemas/Status'}], description: the status}",
        "{$ref: '#/components/schemas/Status', description: the status}",
    )
)


@pytest.fixture(scope="module", params=[SPEC_30, SPEC_31], ids=["3.0", "3.1"])
def spec(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def api(make_api: MakeApi, spec: str) -> GeneratedApi:
    return make_api(spec)


def test_a_components_flag_leaves_the_property_out_of_that_role(api: GeneratedApi) -> None:
    m = api.models
    assert "window" not in m.PickupBodyResponse.model_fields
    assert m.PickupBodyResponse.model_fields["status"].is_required()
    assert "status" not in m.PickupBodyRequest.model_fields
    assert m.PickupBodyRequest.model_fields["window"].is_required()


async def test_the_app_reads_and_answers_without_the_other_roles_property(
    api: GeneratedApi,
) -> None:
    m = api.models

    class Pickups:
        async def schedule_pickup(self, *, body: Any) -> Any:
            return m.PickupBodyResponse(id=body.id, status="ok")

    async with client(api.create_app(default=Pickups())) as c:
        made = await c.post("/pickups", json={"id": "p1", "window": {"start": "9"}})
        unwindowed = await c.post("/pickups", json={"id": "p1"})
    assert made.status_code == 200, made.text
    assert made.json() == {"id": "p1", "status": "ok"}
    assert unwindowed.status_code == 422, unwindowed.text


def test_an_example_stubs_synthesized_answer_is_one_the_response_model_takes(
    api: GeneratedApi, spec: str
) -> None:
    schemas = Schemas(yaml.safe_load(spec))
    ref = {"$ref": "#/components/schemas/PickupBody"}
    answer = synthesize(ref, schemas)
    assert sorted(answer) == ["id", "status"], answer
    api.models.PickupBodyResponse.model_validate(answer)
    assert sorted(synthesize(ref, schemas, response=False)) == ["id", "window"]
