"""Path keys that differ only in a fragment are one path (windows.net's graphrbac, held out).

AutoRest writes ``/{tenantID}/{nextLink}#Users_ListNext``, ``…#Groups_ListNext`` (GET) and
``…#Objects_GetObjectsByObjectIdsNext`` (POST): the fragment tells operations apart in the
document only, and is never sent. The app serves them at ``/{tenantID}/{nextLink}``, the first
GET answering every GET (the lint's ``unreachable-operation``). schemathesis reads each path
key alone: it probed ``POST`` on a GET key and expected 405, where the app answered the
declared POST. The run notes such a probe, and the operations another one answers for, as it
does for path keys that differ only in their parameters' names.
"""

from __future__ import annotations

from typing import Any

from specfirst.contract import ContractOptions, format_summary, run_contract
from specfirst.contract.paths import _declared_elsewhere, _routes
from tests.contract.test_path_query_strings import _Operation, _Schema
from tests.e2e.conftest import MakeApi, client, make_api  # noqa: F401  (fixture)

_PARAMETERS = """
      parameters:
        - {name: tenant, in: path, required: true, schema: {type: string}}
        - {name: nextLink, in: path, required: true, schema: {type: string}}"""
_ANSWER = """
      responses:
        '200': {description: a page, content: {application/json: {schema: {type: string}}}}"""
SPEC = f"""
openapi: 3.0.3
info: {{title: Pages, version: 1.0.0}}
paths:
  /{{tenant}}/{{nextLink}}#Users_ListNext:
    get:
      operationId: Users_ListNext{_PARAMETERS}{_ANSWER}
  /{{tenant}}/{{nextLink}}#Groups_ListNext:
    get:
      operationId: Groups_ListNext{_PARAMETERS}{_ANSWER}
  /{{tenant}}/{{nextLink}}#Objects_ListNext:
    post:
      operationId: Objects_ListNext{_PARAMETERS}
      requestBody:
        required: true
        content: {{application/json: {{schema: {{type: object, properties: {{n: {{type: integer}}}}}}}}}}{_ANSWER}
"""


class Pages:
    async def users_list_next(self, **_: Any) -> str:
        return "users"

    async def groups_list_next(self, **_: Any) -> str:
        return "groups"

    async def objects_list_next(self, **_: Any) -> str:
        return "objects"


async def test_the_app_serves_them_at_the_path(make_api: MakeApi) -> None:  # noqa: F811
    app = make_api(SPEC).create_app(default=Pages())
    async with client(app) as c:
        got = await c.get("/t/next")
        posted = await c.post("/t/next", json={})
        put = await c.put("/t/next")
    assert got.json() == "users" and posted.json() == "objects"
    assert put.status_code == 405 and put.headers["allow"] == "GET, POST"


def test_the_contract_run_reads_them_as_one_path(make_api: MakeApi) -> None:  # noqa: F811
    vendor = make_api(SPEC)
    app = vendor.create_app(default=Pages())
    result = run_contract(
        ContractOptions(
            spec=vendor.spec_path, app=app, phases=("coverage", "fuzzing"), max_examples=10
        )
    )
    assert not result.failures and not result.errors and not result.gates, format_summary(result)
    users = "GET /{tenant}/{nextLink}#Users_ListNext"
    groups = "GET /{tenant}/{nextLink}#Groups_ListNext"
    assert (
        f"{users}: unsupported_method not counted: POST /{{tenant}}/{{nextLink}}#Users_ListNext "
        "is POST /{tenant}/{nextLink}#Objects_ListNext, which the spec declares (path keys "
        "that differ only in their parameters' names or a fragment are one path)"
    ) in result.notes, result.notes
    assert result.coverage.operations[groups].exemption is not None
    assert result.coverage.operations[users].exemption is None


def test_a_fragment_is_no_part_of_the_path() -> None:
    routes = _routes(
        _Schema(
            _Operation("get", "/{t}/{n}#A"),
            _Operation("post", "/{t}/{n}#B"),
            _Operation("put", "/{t}/{n}/more#C"),
        )
    )
    assert _declared_elsewhere(routes, "/{t}/{n}#A", "POST") == "POST /{t}/{n}#B"
    assert _declared_elsewhere(routes, "/{x}/{y}", "GET") == "GET /{t}/{n}#A"
    assert _declared_elsewhere(routes, "/{t}/{n}#A", "PUT") is None  # another path
