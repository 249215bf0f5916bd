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
from specfirst.contract.document import json_text_path_parameters
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
    List: {type: object, required: [name], properties: {name: {type: string}}}
"""


def test_a_json_text_path_parameter_is_sent_as_json(make_api: MakeApi) -> None:  # noqa: F811
    api = make_api(SPEC)
    r = api.responses

    class Lists:
        async def create_list(self, *, body: Any) -> Any:
            return r.CreateList201Response(body={"name": body.name})

        async def get_list(self, *, name: str) -> Any:
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


def test_which_path_parameters_are_json_text_of_a_string() -> None:
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
                            "name": "q",
                            "in": "query",
                            "content": {"application/json": {"schema": {"type": "string"}}},
                        },
                    ]
                },
            }
        }
    }
    assert json_text_path_parameters(document) == {"GET /a/{x}/{y}/{z}": frozenset({"x"})}
