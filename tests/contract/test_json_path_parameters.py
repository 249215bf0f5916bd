"""A path parameter declared as JSON text of a string is sent as JSON text (stream-io).

stream-io declares its path parameters with ``content: {application/json: {schema: {type:
string}}}``: a client sends ``/lists/%22a%22``. schemathesis does not always: its stateful
phase puts a value taken from a response into the path as it is (``/lists/%3A``), and a value
it generates loses the backslashes of its JSON escapes (it replaces a percent-encoded backslash
in a path with ``_``), so the app, reading JSON, rightly refused requests counted as
schema-valid (or, escapes replaced, longer than its ``maxLength``). The run generates such
values without characters JSON escapes, and sends a value that is not JSON text of a string
(one taken from a response) as the JSON string of its text.
"""

from __future__ import annotations

from typing import Any

from specfirst.contract import ContractOptions, format_summary, run_contract
from specfirst.contract.document import json_text_parameters
from tests.e2e.conftest import MakeApi, make_api  # noqa: F401  (fixture)

SPEC = """
openapi: 3.0.3
info: {title: Json path parameters, version: 1.0.0}
paths:
  /lists:
    post:
      operationId: createList
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [name], properties: {name: {type: string}}}
      responses:
        '201':
          description: made
          content: {application/json: {schema: {$ref: '#/components/schemas/List'}}}
  /lists/{name}:
    parameters:
      - {$ref: '#/components/parameters/Name'}
    get:
      operationId: getList
      parameters:
        - {name: owner, in: query, content: {application/json: {schema: {type: string}}}}
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/List'}}}
    delete:
      operationId: deleteList
      responses:
        '200':
          description: ok
          content: {application/json: {schema: {$ref: '#/components/schemas/List'}}}
  /providers/{name}:
    get:
      operationId: getProvider
      parameters:
        - name: name
          in: path
          required: true
          content: {application/json: {schema: {type: string, minLength: 1, maxLength: 12}}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: string}}}}
components:
  parameters:
    Name:
      name: name
      in: path
      required: true
      content: {application/json: {schema: {$ref: '#/components/schemas/Name'}}}
  schemas:
    Name: {type: string}
    List:
      type: object
      required: [name]
      properties: {name: {type: string}, owner: {type: string}}
"""


def test_a_json_text_path_parameter_is_sent_as_json(make_api: MakeApi) -> None:  # noqa: F811
    api = make_api(SPEC)
    r = api.responses

    class Lists:
        async def create_list(self, *, body: Any) -> Any:
            return r.CreateList201Response(body={"name": body.name, "owner": "x:y"})

        async def get_list(self, *, name: str, owner: str | None = None) -> Any:
            return r.GetList200Response(body={"name": name})

        async def delete_list(self, *, name: str) -> Any:
            return r.DeleteList200Response(body={"name": name})

        async def get_provider(self, *, name: str) -> Any:
            return r.GetProvider200Response(body=name)

    result = run_contract(
        ContractOptions(
            spec=api.spec_path,
            app=api.create_app(default=Lists()),
            checks=("positive_data_acceptance", "not_a_server_error"),
            max_examples=30,
        )
    )
    assert not result.failures and not result.errors, format_summary(result)


def test_which_parameters_are_json_text_of_a_string() -> None:
    document: dict[str, Any] = {
        "paths": {
            "/a/{x}/{y}/{z}": {
                "parameters": [
                    {
                        "name": "x",
                        "in": "path",
                        "content": {"application/json": {"schema": {"type": "string"}}},
                    }
                ],
                "get": {
                    "parameters": [
                        {
                            "name": "y",
                            "in": "path",
                            "content": {"application/json": {"schema": {"type": "integer"}}},
                        },
                        {"name": "z", "in": "path", "schema": {"type": "string"}},
                        {
                            "name": "h",
                            "in": "header",
                            "content": {"application/json": {"schema": {"type": "string"}}},
                        },
                        {
                            "name": "q",
                            "in": "query",
                            "content": {"application/json": {"schema": {"type": "string"}}},
                        },
                    ]
                },
            }
        }
    }
    assert json_text_parameters(document) == {
        "GET /a/{x}/{y}/{z}": frozenset({("path", "x", False), ("query", "q", False)})
    }


def test_a_value_taken_from_a_response_is_sent_as_json_text() -> None:
    """What the stateful phase puts into a case as it is (stream-io's `DELETE
    /devices?user_id=string`, `GET /channels/{type}/{id}/messages?ids=string` for a list of
    strings) is sent as JSON text; JSON text of a string is left as it is."""
    from types import SimpleNamespace

    from specfirst.contract.runner import _json_parameter_values

    parameters = [
        {"name": name, "in": where, "content": {"application/json": {"schema": {"type": "string"}}}}
        for name, where in (("id", "path"), ("user_id", "query"), ("kind", "query"))
    ]
    strings = {"type": "array", "items": {"type": "string"}}
    parameters.append(
        {"name": "ids", "in": "query", "content": {"application/json": {"schema": strings}}}
    )
    raw = {"paths": {"/devices/{id}": {"delete": {"parameters": parameters}}}}
    schema = SimpleNamespace(raw_schema=raw, build_request_url=lambda case, base: base)
    case = SimpleNamespace(
        method="DELETE",
        path="/devices/{id}",
        path_parameters={"id": "a:b"},
        query={"user_id": "string", "kind": '"x"', "other": "y", "ids": "string"},
    )
    assert _json_parameter_values(schema).build_request_url(case, "http://t") == "http://t"
    assert case.path_parameters == {"id": "%22a%3Ab%22"}
    assert case.query == {"user_id": '"string"', "kind": '"x"', "other": "y", "ids": '["string"]'}
