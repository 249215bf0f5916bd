"""``format: int32`` and ``int64`` bound integers, in requests and responses.

A JSON number has no size, and neither has a Python ``int``: without the format's range,
``9223372036854775808`` passed as an ``int64``. An explicit ``minimum``/``maximum`` narrower
than the range stays as written.
"""

from __future__ import annotations

from typing import Any

import pytest

from specfirst.schema_types import constraints, format_bounded
from tests.e2e.conftest import GeneratedApi, MakeApi, client, problem

pytestmark = pytest.mark.filterwarnings("error")

INT32 = (-(2**31), 2**31 - 1)
INT64 = (-(2**63), 2**63 - 1)

SPEC = """
openapi: 3.0.3
info: {title: Counters, version: '1'}
paths:
  /counters/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer, format: int64}}
    get:
      operationId: getCounter
      parameters:
        - {name: step, in: query, schema: {type: integer, format: int32}}
        - {name: X-Page, in: header, schema: {type: integer, format: int32, minimum: 1}}
      responses:
        '200':
          description: The counter
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Counter'}
    put:
      operationId: putCounter
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Counter'}
      responses:
        '200':
          description: The counter as stored
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Counter'}
components:
  schemas:
    Counter:
      type: object
      required: [value]
      properties:
        value: {type: integer, format: int64}
        small: {type: integer, format: int32}
        percent: {type: integer, format: int32, minimum: 0, maximum: 100}
        wide: {type: integer, format: int32, minimum: -1.0e+30, exclusiveMaximum: true, maximum: 1.0e+30}
        history:
          type: array
          items: {type: integer, format: int64}
"""


@pytest.fixture(scope="module")
def api(make_api: MakeApi) -> GeneratedApi:
    return make_api(SPEC)


def app(api: GeneratedApi) -> Any:
    m = api.models

    class Counters:
        async def get_counter(self, *, id: int, step: int | None, x_page: int | None) -> Any:
            if id == 7:  # a handler's value out of its format's range
                return {"value": 2**63}
            return m.Counter(value=id, small=step)

        async def put_counter(self, *, id: int, body: Any) -> Any:
            return body

    return api.create_app(default=Counters())


@pytest.mark.parametrize(
    ("field", "bad", "good"),
    [
        ("value", INT64[1] + 1, INT64[1]),
        ("value", INT64[0] - 1, INT64[0]),
        ("small", INT32[1] + 1, INT32[1]),
        ("small", INT32[0] - 1, INT32[0]),
        ("wide", INT32[1] + 1, INT32[1]),  # wider explicit bounds give way to the format's
        ("percent", 101, 100),  # narrower explicit bounds are kept
        ("history", [1, INT64[1] + 1], [1, INT64[1]]),
    ],
)
async def test_request_bodies_are_bounded_by_the_format(
    api: GeneratedApi, field: str, bad: Any, good: Any
) -> None:
    async with client(app(api)) as c:
        rejected = await c.put("/counters/1", json={"value": 1, field: bad})
        accepted = await c.put("/counters/1", json={"value": 1, field: good})
    pointers = [e["pointer"] for e in problem(rejected, 422)["errors"]]
    assert pointers and all(p.startswith(f"/body/{field}") for p in pointers), pointers
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()[field] == good


@pytest.mark.parametrize(
    ("path", "params", "headers", "pointer"),
    [
        (f"/counters/{INT64[1] + 1}", {}, {}, "/path/id"),
        (f"/counters/{INT64[0] - 1}", {}, {}, "/path/id"),
        ("/counters/1", {"step": str(INT32[1] + 1)}, {}, "/query/step"),
        ("/counters/1", {}, {"X-Page": "0"}, "/header/X-Page"),  # minimum: 1 is kept
        ("/counters/1", {}, {"X-Page": str(INT32[1] + 1)}, "/header/X-Page"),
    ],
)
async def test_parameters_are_bounded_by_the_format(
    api: GeneratedApi, path: str, params: dict[str, str], headers: dict[str, str], pointer: str
) -> None:
    async with client(app(api)) as c:
        rejected = await c.get(path, params=params, headers=headers)
    assert [e["pointer"] for e in problem(rejected, 422)["errors"]] == [pointer]


async def test_the_range_itself_is_accepted(api: GeneratedApi) -> None:
    async with client(app(api)) as c:
        top = await c.get(f"/counters/{INT64[1]}", params={"step": str(INT32[0])})
        bottom = await c.get(f"/counters/{INT64[0]}", headers={"X-Page": str(INT32[1])})
    assert top.status_code == 200, top.text
    assert top.json() == {"value": INT64[1], "small": INT32[0]}
    assert bottom.status_code == 200, bottom.text
    assert bottom.json() == {"value": INT64[0]}


async def test_a_response_out_of_the_range_is_a_server_error(api: GeneratedApi) -> None:
    async with client(app(api)) as c:
        response = await c.get("/counters/7")
    problem(response, 500)


def test_format_bounds_keep_narrower_explicit_ones() -> None:
    assert format_bounded({"type": "integer", "format": "int64"}) == {
        "type": "integer",
        "format": "int64",
        "minimum": INT64[0],
        "maximum": INT64[1],
    }
    narrow = {"type": "integer", "format": "int32", "minimum": 0, "maximum": 10}
    assert format_bounded(narrow) is narrow
    # 3.1's numeric exclusive bounds count, and a wider 3.0 exclusive one gives way entirely
    assert format_bounded(
        {
            "type": "integer",
            "format": "int32",
            "exclusiveMinimum": 0,
            "maximum": 1e40,
            "exclusiveMaximum": True,
        }
    ) == {"type": "integer", "format": "int32", "exclusiveMinimum": 0, "maximum": INT32[1]}
    assert format_bounded({"type": "number", "format": "int64"}) == {
        "type": "number",
        "format": "int64",
    }
    # both bounds of a 3.1 schema are enforced, not only the exclusive one
    both = {"type": ["integer", "null"], "format": "int32", "exclusiveMinimum": -5, "minimum": 0}
    assert [(c.name, c.value) for c in constraints(both, openapi_31=True)] == [
        ("gt", "-5"),
        ("ge", "0"),
        ("le", repr(INT32[1])),
    ]
