"""Path keys that differ only in their parameters' names are one path (signl4.com).

signl4 declares ``DELETE /teams/{teamId}/schedules/{dutyId}`` and ``GET
/teams/{teamId}/schedules/{scheduleId}``: OpenAPI calls such templated paths identical, and
to HTTP they are one URL. The app serves them as one resource: each method reaches its
operation, another method is a 405 whose ``Allow`` lists both. schemathesis reads each path
key alone in ``allow_header_conformance`` (``Allow`` should be ``GET`` for the one, ``DELETE``
for the other): the run notes that failure, it does not fail it. (Its ``unsupported_method``
already takes sibling templates into account; specfirst excuses them too.)
"""

from __future__ import annotations

from specfirst.contract import ContractOptions, format_summary, run_contract
from specfirst.contract.paths import _declared_elsewhere, _one_resource, _routes
from tests.contract.test_path_query_strings import _Operation, _Schema
from tests.e2e.conftest import MakeApi, client, make_api  # noqa: F401  (fixture)

SPEC = """
openapi: 3.0.3
info: {title: Duties, version: 1.0.0}
paths:
  /teams/{teamId}/schedules/{dutyId}:
    delete:
      operationId: deleteDuty
      parameters:
        - {name: teamId, in: path, required: true, schema: {type: string}}
        - {name: dutyId, in: path, required: true, schema: {type: string}}
      responses:
        '204': {description: gone}
  /teams/{teamId}/schedules/{scheduleId}:
    get:
      operationId: getSchedule
      parameters:
        - {name: teamId, in: path, required: true, schema: {type: string}}
        - {name: scheduleId, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: a schedule
          content: {application/json: {schema: {type: string}}}
"""


class Duties:
    async def delete_duty(self, *, team_id: str, duty_id: str) -> None:
        return None

    async def get_schedule(self, *, team_id: str, schedule_id: str) -> str:
        return f"{team_id}/{schedule_id}"


async def test_the_app_serves_them_as_one_resource(make_api: MakeApi) -> None:  # noqa: F811
    app = make_api(SPEC).create_app(default=Duties())
    async with client(app) as c:
        got = await c.get("/teams/t/schedules/s")
        deleted = await c.delete("/teams/t/schedules/s")
        options = await c.options("/teams/t/schedules/s")
        put = await c.put("/teams/t/schedules/s")
    assert got.json() == "t/s" and deleted.status_code == 204
    assert options.status_code == 405 and options.headers["allow"] == "DELETE, GET"
    assert put.status_code == 405 and put.headers["allow"] == "DELETE, GET"


def test_the_contract_run_notes_what_the_spec_makes_ambiguous(make_api: MakeApi) -> None:  # noqa: F811
    vendor = make_api(SPEC)
    app = vendor.create_app(default=Duties())
    result = run_contract(
        ContractOptions(spec=vendor.spec_path, app=app, phases=("coverage",), max_examples=5)
    )
    assert not result.failures and not result.errors, format_summary(result)
    assert (
        "GET /teams/{teamId}/schedules/{scheduleId}: allow_header_conformance not counted: "
        "Allow: DELETE, GET lists the methods of /teams/{teamId}/schedules/{scheduleId} and of "
        "/teams/{teamId}/schedules/{dutyId}, path keys that differ only in their parameters' "
        "names (one path to OpenAPI and to HTTP, so one resource)"
    ) in result.notes, result.notes


def test_only_the_methods_of_the_same_path_are_excused() -> None:
    routes = _routes(
        _Schema(
            _Operation("delete", "/s/{dutyId}"),
            _Operation("get", "/s/{scheduleId}"),
            _Operation("post", "/s/{x}?v=2"),
            _Operation("put", "/s/{x}/more"),
        )
    )
    assert _declared_elsewhere(routes, "/s/{scheduleId}", "DELETE") == "DELETE /s/{dutyId}"
    assert _declared_elsewhere(routes, "/s/{scheduleId}", "POST") is None  # only with v=2
    assert _declared_elsewhere(routes, "/s/{scheduleId}", "PUT") is None  # another path
    assert _one_resource(routes, "/s/{scheduleId}", "DELETE, GET") is not None
    assert _one_resource(routes, "/s/{scheduleId}", "GET, DELETE, HEAD") is not None
    assert _one_resource(routes, "/s/{scheduleId}", "DELETE") is None  # GET is missing
    assert _one_resource(routes, "/s/{scheduleId}", "DELETE, GET, POST") is None
    assert _one_resource(routes, "/s/{x}?v=2", "POST") is None  # no other key: not ambiguous
