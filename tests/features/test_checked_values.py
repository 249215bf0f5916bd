"""Values whose type alone takes more than the schema allows: checked all the same.

threatjammer's ``GET /v1/allowlist/private/ip/{address}`` takes ``anyOf`` an ``ipv4`` and an
``ipv6`` string (FastAPI's ``IPvAnyAddress``), which reads as ``str``; its ``POST
/v1/assess/ip`` takes an inline array of at most 500 unique strings, which reads as
``list[str]``. The union's formats and the array's bounds, ``uniqueItems`` and items'
format are checked as the schema says (an array component of ``uniqueItems`` too), and the
implementation still receives a ``str`` and a ``list[str]``.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import GeneratedApi, MakeApi, client

SPEC = """
openapi: 3.0.2
info: {title: Checked, version: "1"}
paths:
  /ip/{address}:
    get:
      operationId: queryIp
      parameters:
        - name: address
          in: path
          required: true
          schema: {anyOf: [{type: string, format: ipv4}, {$ref: "#/components/schemas/Six"}]}
      responses: {"204": {description: ok}}
  /assess:
    post:
      operationId: assess
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: array
              items: {type: string, format: ipv4, maxLength: 15}
              minItems: 1
              maxItems: 3
              uniqueItems: true
      responses: {"204": {description: ok}}
  /agents:
    post:
      operationId: parseAgents
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Agents"}}}
      responses: {"204": {description: ok}}
components:
  schemas:
    Six: {type: string, format: ipv6}
    Agents: {type: array, items: {type: string}, uniqueItems: true}
"""


class Default:
    """Every operation: records what it received."""

    def __init__(self) -> None:
        self.got: list[Any] = []

    async def query_ip(self, address: str) -> None:
        self.got.append(address)

    async def assess(self, body: list[str]) -> None:
        self.got.append(body)

    async def parse_agents(self, body: Any) -> None:
        self.got.append(body.root)


@pytest.fixture(scope="module")
def api(make_api: MakeApi) -> GeneratedApi:
    return make_api(SPEC)


async def test_a_union_of_string_formats_is_checked(api: GeneratedApi) -> None:
    service = Default()
    async with client(api.create_app(default=service)) as c:
        for address in ("192.0.2.1", "::1"):
            assert (await c.get(f"/ip/{address}")).status_code == 204
        for address in ("members", "%C3%B7", "192.0.2.300"):
            res = await c.get(f"/ip/{address}")
            assert res.status_code == 422, address
    assert res.json()["errors"][0]["detail"] == (
        "Input should be an IPv4 address or an IPv6 address (format ipv4 or ipv6)"
    )
    assert service.got == ["192.0.2.1", "::1"]


async def test_an_inline_array_body_is_checked_and_stays_a_list(api: GeneratedApi) -> None:
    service = Default()
    async with client(api.create_app(default=service)) as c:
        assert (await c.post("/assess", json=["192.0.2.1", "192.0.2.2"])).status_code == 204
        for wrong in (
            [],  # minItems
            ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"],  # maxItems
            ["192.0.2.1", "192.0.2.1"],  # uniqueItems
            ["x"],  # the items' format
        ):
            assert (await c.post("/assess", json=wrong)).status_code == 422, wrong
        assert (await c.post("/agents", json=["a", "b"])).status_code == 204
        assert (await c.post("/agents", json=["a", "a"])).status_code == 422
    assert service.got == [["192.0.2.1", "192.0.2.2"], ["a", "b"]]
    assert type(service.got[0]) is list
