"""``specfirst mock``: canned responses from the spec that pass schemathesis' response checks."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from specfirst.contract import ContractOptions, format_summary, run_contract
from specfirst.mock import _Schemas, mock_app, mock_app_from_path, synthesize
from tests.contract.test_catches_breaks import SPEC as THINGS
from tests.e2e.conftest import client

ROOT = Path(__file__).resolve().parents[2]
RESPONSE_CHECKS = [
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
]


@pytest.fixture(scope="module")
def reference_mock() -> Any:
    return mock_app_from_path(ROOT / "specs" / "api.yaml")


def test_schemathesis_response_checks_pass_against_the_reference_spec_mock(
    reference_mock: Any,
) -> None:
    result = run_contract(
        ContractOptions(
            spec=ROOT / "specs" / "api.yaml",
            app=reference_mock,
            headers={"Authorization": "Bearer anything"},
            checks=[*RESPONSE_CHECKS, "not_a_server_error"],
            max_examples=5,
        )
    )
    assert result.ok, format_summary(result)
    assert len(result.operations) == 35


def test_schemathesis_response_checks_pass_against_a_spec_without_examples(tmp_path: Path) -> None:
    spec = tmp_path / "things.yaml"
    spec.write_text(textwrap.dedent(THINGS))
    result = run_contract(
        ContractOptions(
            spec=spec,
            app=mock_app_from_path(spec),
            headers={"Authorization": "Bearer x"},
            checks=RESPONSE_CHECKS,
            max_examples=10,
        )
    )
    assert result.ok, format_summary(result)


async def test_answers_with_the_spec_example_and_declared_headers(reference_mock: Any) -> None:
    async with client(reference_mock) as http:
        res = await http.post("/v1/projects", json={"name": "Relaunch"}, headers={"X-API-Key": "k"})
    assert res.status_code == 201
    assert res.headers["content-type"] == "application/json"
    assert res.json()["name"] == "Website relaunch"  # the spec's example
    assert res.headers["location"] == "/v1/projects/2b0c5f0e-4f7a-4f5e-9a55-2c1f1d3f8a10"
    assert res.headers["etag"] == '"a1B2c3D4e5F6g7H8"'


async def test_validates_requests_with_problem_details(reference_mock: Any) -> None:
    async with client(reference_mock) as http:
        anonymous = await http.get("/v1/projects")
        bad_body = await http.post("/v1/projects", json={"name": ""}, headers={"X-API-Key": "k"})
        bad_query = await http.get("/v1/projects?limit=0&bogus=1", headers={"X-API-Key": "k"})
        bad_path = await http.get("/v1/projects/not-a-uuid", headers={"X-API-Key": "k"})
        wrong_method = await http.put("/v1/projects")
        unknown = await http.get("/v1/nowhere")
    assert anonymous.status_code == 401 and anonymous.headers["www-authenticate"].startswith(
        "Bearer"
    )
    for res in (bad_body, bad_query, bad_path):
        assert res.status_code == 422
        assert res.headers["content-type"] == "application/problem+json"
    assert [e["pointer"] for e in bad_body.json()["errors"]] == ["/body/name"]
    assert {e["pointer"] for e in bad_query.json()["errors"]} == {"/query/limit", "/query/bogus"}
    assert bad_path.json()["errors"][0]["pointer"] == "/path/projectId"
    assert wrong_method.status_code == 405 and wrong_method.headers["allow"] == "GET, POST"
    assert unknown.status_code == 404


async def test_form_bodies_and_content_types_are_checked(reference_mock: Any) -> None:
    async with client(reference_mock) as http:
        ok = await http.post(
            "/v1/auth/token",
            data={"grant_type": "password", "username": "a@example.com", "password": "pw"},
        )
        wrong_type = await http.post("/v1/auth/token", json={"grant_type": "password"})
    assert ok.status_code == 200 and ok.json()["token_type"] == "Bearer"
    assert ok.headers["cache-control"] == "no-store"
    assert wrong_type.status_code == 415


def test_synthesizes_values_within_the_schema_bounds() -> None:
    schemas = _Schemas(
        {
            "openapi": "3.1.0",
            "components": {"schemas": {"Id": {"type": "string", "format": "uuid"}}},
        }
    )
    schema = {
        "type": "object",
        "required": ["id", "code", "n", "tags"],
        "properties": {
            "id": {"$ref": "#/components/schemas/Id"},
            "code": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{2}$"},
            "n": {"type": "integer", "minimum": 10, "maximum": 20, "multipleOf": 4},
            "tags": {"type": "array", "items": {"type": "string", "minLength": 3}, "minItems": 2},
            "secret": {"type": "string", "writeOnly": True},
            "kind": {"oneOf": [{"type": "null"}, {"enum": ["a", "b"]}]},
        },
    }
    value = synthesize(schema, schemas)
    assert schemas.validator(schema).is_valid(value), value
    assert "secret" not in value and value["kind"] == "a" and value["n"] == 12


async def test_mock_app_from_a_document() -> None:
    app = mock_app(
        {
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {
                "/n": {
                    "get": {
                        "responses": {
                            "200": {
                                "description": "ok",
                                "content": {
                                    "application/json": {
                                        "schema": {
                                            "type": "integer",
                                            "nullable": True,
                                            "minimum": 5,
                                        }
                                    }
                                },
                            }
                        }
                    }
                }
            },
        }
    )
    async with client(app) as http:
        assert (await http.get("/n")).json() == 5


async def test_mock_mounts_under_the_same_base_path_as_the_generated_app() -> None:
    app = mock_app(
        {
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "servers": [{"url": "https://h/{base}", "variables": {"base": {"default": "/api/v1"}}}],
            "paths": {"/n": {"get": {"responses": {"204": {"description": "ok"}}}}},
        }
    )
    async with client(app) as http:
        assert (await http.get("/api/v1/n")).status_code == 204
        assert (await http.get("/n")).status_code == 404


async def test_prefer_code_picks_a_declared_response(reference_mock: Any) -> None:
    """Prism's convention: `Prefer: code=409` answers the operation's declared 409."""
    async with client(reference_mock) as http:
        conflict = await http.post(
            "/v1/projects",
            json={"name": "Relaunch"},
            headers={"X-API-Key": "k", "Prefer": "code=409"},
        )
        undeclared = await http.get(
            "/v1/projects", headers={"X-API-Key": "k", "Prefer": "code=418"}
        )
        invalid = await http.post(
            "/v1/projects", json={"name": ""}, headers={"X-API-Key": "k", "Prefer": "code=409"}
        )
    assert conflict.status_code == 409
    assert conflict.headers["content-type"] == "application/problem+json"
    assert conflict.json()["status"] == 409  # the spec's example of its Conflict response
    assert undeclared.status_code == 400
    assert "listProjects declares no 418 response" in undeclared.json()["detail"]
    assert invalid.status_code == 422  # the request is still validated first


PREFER_SPEC = """
openapi: 3.1.0
info: {title: Books, version: 1.0.0}
paths:
  /books:
    get:
      operationId: listBooks
      responses:
        '200':
          description: Books.
          headers:
            X-Total-Count: {schema: {type: integer, minimum: 0}, example: 40}
          content:
            application/json:
              schema:
                type: object
                required: [items]
                properties:
                  items: {type: array, items: {type: string}}
              examples:
                few: {value: {items: [Dune, Emma]}}
                none: {value: {items: []}}
"""


async def test_prefer_example_and_consistent_counts(tmp_path: Path) -> None:
    spec = tmp_path / "books.yaml"
    spec.write_text(PREFER_SPEC)
    app = mock_app_from_path(spec)
    async with client(app) as http:
        default = await http.get("/books")
        none = await http.get("/books", headers={"Prefer": "example=none"})
        both = await http.get("/books", headers={"Prefer": "code=200, example=few"})
        unknown = await http.get("/books", headers={"Prefer": "example=many"})
    assert default.json() == {"items": ["Dune", "Emma"]}
    assert default.headers["x-total-count"] == "2"  # agrees with the items, not the header's 40
    assert none.json() == {"items": []} and none.headers["x-total-count"] == "0"
    assert both.json() == {"items": ["Dune", "Emma"]} and both.headers["x-total-count"] == "2"
    assert unknown.status_code == 400
    assert "no example 'many' (its examples: few, none)" in unknown.json()["detail"]
