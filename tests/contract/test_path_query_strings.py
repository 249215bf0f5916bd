"""A path key with a query string is no path of its own to HTTP (formapi.io).

formapi.io declares ``POST /combined_submissions?v=2`` beside ``GET /combined_submissions``.
schemathesis probes the ``?v=2`` path item with the methods it does not list and expects 405,
but ``GET /combined_submissions?v=2`` is the declared ``GET /combined_submissions`` with one
more query parameter, which the generated app (as any server) answers: the probe is noted, not
failed. A method no path item declares at that path still has to be 405.
"""

from __future__ import annotations

from typing import Any

import yaml

from specfirst.contract import ContractOptions, format_summary, run_contract
from specfirst.contract.paths import _declared_elsewhere, _routes
from tests.e2e.conftest import MakeApi, make_api  # noqa: F401  (fixture)

SPEC = """
openapi: 3.0.3
info: {title: Vendor, version: 1.0.0}
paths:
  /subs:
    get:
      operationId: listSubs
      responses: {'200': {description: ok, content: {application/json: {schema: {type: array, items: {type: integer}}}}}}
  /subs?v=2:
    post:
      operationId: combine
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [n], properties: {n: {type: integer}}}
      responses:
        '201': {description: made, content: {application/json: {schema: {type: integer}}}}
        '422': {description: invalid}
"""


def test_a_probe_the_spec_declares_at_the_bare_path_is_not_failed(make_api: MakeApi) -> None:  # noqa: F811
    vendor = make_api(SPEC)

    class Subs:
        async def list_subs(self) -> Any:
            return vendor.responses.ListSubs200Response(body=[1])

        async def combine(self, *, body: Any) -> Any:
            return vendor.responses.Combine201Response(body=body.n)

    app = vendor.create_app(default=Subs())
    result = run_contract(
        ContractOptions(spec=vendor.spec_path, app=app, phases=("coverage",), max_examples=5)
    )
    assert not result.failures and not result.errors, format_summary(result)
    assert (
        "POST /subs?v=2: unsupported_method not counted: GET /subs?v=2 is GET /subs, which the "
        "spec declares (a query string in a path key does not make a path of its own)"
    ) in result.notes


class _Operation:
    def __init__(self, method: str, path: str) -> None:
        self.method, self.path, self.label = method, path, f"{method.upper()} {path}"


class _Schema:
    def __init__(self, *operations: _Operation) -> None:
        self.operations = operations

    def get_all_operations(self) -> list[Any]:
        return [type("Ok", (), {"ok": lambda _, op=op: op})() for op in self.operations]


def test_only_a_method_declared_at_the_same_url_is_excused() -> None:
    routes = _routes(
        _Schema(
            _Operation("get", "/t/{id}"),
            _Operation("post", "/t/{x}?v=2"),
            _Operation("put", "/t/{id}?v=3"),
        )
    )
    assert _declared_elsewhere(routes, "/t/{x}?v=2", "GET") == "GET /t/{id}"
    assert _declared_elsewhere(routes, "/t/{x}?v=2", "DELETE") is None  # no one declares it
    assert _declared_elsewhere(routes, "/t/{x}?v=2", "PUT") is None  # only with v=3
    assert _declared_elsewhere(routes, "/t/{id}", "POST") is None  # a bare path is its own


NAMED = """
openapi: 3.0.3
info: {title: Search, version: 1.0.0}
paths:
  /search/articles?query={query}:
    get:
      parameters:
        - {name: query, in: query, required: true, schema: {type: string}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: string}}}}
"""


def test_a_query_pair_naming_a_query_parameter_is_that_parameter(make_api: MakeApi) -> None:  # noqa: F811
    # medium.com: `/search/articles?query={query}` with `query` declared in the query. The app
    # required the literal pair `query={query}` (every request a 404), lint asked for a path
    # parameter `query`, and schemathesis refused the path ("Path parameter 'query' is not
    # defined"). The pair names the query parameter: served at /search/articles, read from it.
    from specfirst.contract.document import as_the_app_reads

    vendor = make_api(NAMED)

    class Search:
        async def get_search_articles_query_query(self, *, query: str) -> Any:
            return vendor.responses.GetSearchArticlesQueryQuery200Response(body=f"found {query}")

    app = vendor.create_app(default=Search())
    result = run_contract(ContractOptions(spec=vendor.spec_path, app=app, max_examples=5))
    assert result.ok and not result.errors, format_summary(result)
    assert result.coverage.reached() == (1, 1), format_summary(result)
    document = yaml.safe_load(NAMED)
    assert list((as_the_app_reads(document) or {})["paths"]) == ["/search/articles"]
