"""``nullable: true`` beside an ``enum`` that does not list null: null is refused.

OpenAPI 3.0.3 says so ("a true value adds null to the allowed types ... the enum must contain
null for it to be allowed"), and JSON Schema says the same of a 3.1 type list with ``"null"``
and an enum without it. schemathesis keeps such a request schema as written, so it never sends
null there as valid and may send it as invalid data (superset's specs: accepted, 2xx). A handler
may still give ``None`` for it in Python (responses are read leniently).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import GeneratedApi, MakeApi, client, problem

SPEC = """
openapi: {openapi}
info: {{title: Charts, version: "1"}}
paths:
  /charts:
    post:
      operationId: createChart
      requestBody:
        required: true
        content:
          application/json:
            schema: {{$ref: "#/components/schemas/Chart"}}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {{$ref: "#/components/schemas/Chart"}}
components:
  schemas:
    Chart:
      type: object
      required: [kind]
      properties:
        kind: {kind}
        color: {kind}
        listed: {listed}
        free: {free}
"""

SCHEMAS = {
    "3.0.3": dict(
        kind="{type: string, enum: [bar, line], nullable: true}",
        listed="{type: string, enum: [a, null], nullable: true}",
        free="{type: string, nullable: true}",
    ),
    "3.1.0": dict(
        kind="{type: [string, 'null'], enum: [bar, line]}",
        listed="{type: [string, 'null'], enum: [a, null]}",
        free="{type: [string, 'null']}",
    ),
}


@pytest.fixture(params=sorted(SCHEMAS))
def api(request: Any, make_api: MakeApi) -> GeneratedApi:
    return make_api(SPEC.format(openapi=request.param, **SCHEMAS[request.param]))


async def test_null_is_refused_unless_the_enum_lists_it(api: GeneratedApi) -> None:
    class Charts:
        async def create_chart(self, *, body: Any) -> Any:
            return body

    app = api.create_app(default=Charts())
    async with client(app) as c:
        ok = await c.post("/charts", json={"kind": "bar", "listed": None, "free": None})
        required = await c.post("/charts", json={"kind": None})
        optional = await c.post("/charts", json={"kind": "bar", "color": None})
    assert ok.status_code == 201, ok.text
    assert [e["pointer"] for e in problem(required, 422)["errors"]] == ["/body/kind"]
    assert [e["pointer"] for e in problem(optional, 422)["errors"]] == ["/body/color"]


def test_a_handler_may_still_give_none_where_the_type_admits_it(make_api: MakeApi) -> None:
    """Under 3.0 the property is typed ``Kind | None`` (3.1's type list with an enum without
    null is typed ``Kind``: None is no value there)."""
    api = make_api(SPEC.format(openapi="3.0.3", **SCHEMAS["3.0.3"]))
    chart = api.models.Chart(kind=None, color=None)
    assert chart.model_dump(exclude_none=False)["kind"] is None  # required: written as null
    assert "color" not in chart.model_dump()  # optional: left out
