"""Errors in the spec's own format: every answer the runtime makes itself follows the
response the operation declares for its status (exact code, else range, else ``default``).

problem+json where that is declared (or nothing is); a vendor's JSON model through the
``create_app(errors=...)`` hook (or ``fill`` without one), validated against the schema; text
for a declared ``text/plain``; the problem document for JSON without a schema.
"""

from __future__ import annotations

import logging
from types import SimpleNamespace
from typing import Any
from xml.etree import ElementTree

import pytest

from tests.e2e.conftest import GeneratedApi, MakeApi, client, problem

pytestmark = pytest.mark.filterwarnings("error")

SPEC = """
openapi: 3.0.3
info: {title: Vendor errors, version: "1"}
security: [{key: []}]
paths:
  /items/{itemId}:
    parameters:
      - {name: itemId, in: path, required: true, schema: {type: integer}}
    get:
      operationId: getItem
      tags: [items]
      parameters:
        - {name: limit, in: query, schema: {type: integer, maximum: 10}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Item"}}}}
        "400": {description: bad, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
        "401": {description: who, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
        default: {description: other, content: {application/json: {schema: {$ref: "#/components/schemas/Envelope"}}}}
    put:
      operationId: replaceItem
      tags: [items]
      security: [{oauth: [write]}]
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Item"}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Item"}}}}
        "403": {description: no, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
        5XX: {description: oops, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
  /items:
    post:
      operationId: createItem
      tags: [items]
      security: []
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Item"}}}
      responses:
        "201": {description: created}
        4XX: {description: text, content: {text/plain: {schema: {type: string}}}}
        5XX: {description: oops, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
  /problems:
    get:
      operationId: listProblems
      tags: [items]
      security: []
      parameters:
        - {name: limit, in: query, schema: {type: integer, maximum: 10}}
      responses:
        "204": {description: ok}
        "422": {description: invalid, content: {application/problem+json: {schema: {type: object}}}}
        default: {description: other, content: {application/json: {schema: {$ref: "#/components/schemas/Envelope"}}}}
  /free:
    get:
      operationId: getFree
      tags: [items]
      security: []
      parameters:
        - {name: limit, in: query, schema: {type: integer, maximum: 10}}
      responses:
        "204": {description: ok}
        "400": {description: any JSON, content: {application/json: {}}}
  /validated:
    get:
      operationId: getValidated
      tags: [items]
      security: []
      parameters:
        - {name: limit, in: query, schema: {type: integer, maximum: 10}}
      responses:
        "204": {description: ok}
        4XX: {description: invalid, content: {application/problem+json: {schema: {$ref: "#/components/schemas/ValidationProblem"}}}}
  /anything:
    get:
      operationId: getAnything
      tags: [items]
      security: []
      parameters:
        - {name: limit, in: query, schema: {type: integer, maximum: 10}}
      responses:
        "204": {description: ok}
        "422": {description: any media type, content: {"*/*": {schema: {$ref: "#/components/schemas/Error"}}}}
        default: {description: any media type, content: {"*/*": {schema: {$ref: "#/components/schemas/ValidationProblem"}}}}
  /xml:
    get:
      operationId: getXml
      tags: [items]
      parameters:
        - {name: limit, in: query, schema: {type: integer, maximum: 10}}
      responses:
        "204": {description: ok}
        "401": {description: who, content: {application/xml; charset=utf-8: {schema: {$ref: "#/components/schemas/Status"}}}}
        4XX: {description: bad, content: {application/xml: {schema: {$ref: "#/components/schemas/Status"}}}}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
    oauth:
      type: oauth2
      flows: {clientCredentials: {tokenUrl: /token, scopes: {write: w}}}
  schemas:
    Item:
      type: object
      required: [name]
      properties: {name: {type: string}}
    Error:
      type: object
      required: [code, message]
      properties:
        code: {type: integer}
        message: {type: string}
    Status:
      type: object
      xml: {name: status}
      properties:
        code: {type: string, xml: {attribute: true}}
        summary: {type: string}
        details: {type: string}
        data: {type: array, xml: {wrapped: true}, items: {type: string, xml: {name: item}}}
    ValidationProblem:
      type: object
      properties:
        type: {type: string}
        title: {type: string}
        status: {type: integer}
        errors: {type: object}
    Envelope:
      type: object
      required: [error]
      properties:
        error:
          type: object
          required: [code, message, requestId]
          properties:
            code: {type: string, pattern: "^[A-Z_]+$"}
            message: {type: string}
            requestId: {type: string, format: uuid}
            details:
              type: array
              items:
                type: object
                required: [field, message]
                properties: {field: {type: string}, message: {type: string}}
"""

KEY = {"X-Key": "k"}
NO_ID = "00000000-0000-0000-0000-000000000000"


class Handler:
    async def authenticate_key(self, api_key: str) -> Any:
        return SimpleNamespace(scopes=()) if api_key == "k" else None

    async def authenticate_oauth(self, token: str) -> Any:
        return SimpleNamespace(scopes=token.split("+")) if token else None


class Items:
    def __init__(self, conflict: Exception | None = None) -> None:
        self.raise_in_get: Exception | None = None
        self.conflict = conflict or RuntimeError("no conflict given")

    async def get_item(self, *, item_id: int, limit: int | None, principal: Any) -> Any:
        if self.raise_in_get is not None:
            raise self.raise_in_get
        return {"name": f"item {item_id}"}

    async def replace_item(self, *, item_id: int, body: Any, principal: Any) -> Any:
        raise self.conflict

    async def create_item(self, *, body: Any) -> Any:
        raise RuntimeError("the database is on fire")

    async def list_problems(self, *, limit: int | None) -> None:
        return None

    async def get_free(self, *, limit: int | None) -> None:
        return None

    async def get_validated(self, *, limit: int | None) -> None:
        return None

    async def get_anything(self, *, limit: int | None) -> None:
        return None

    async def get_xml(self, *, limit: int | None, principal: Any) -> None:
        return None


class Hook:
    """A hook of one's own: records each problem, answers its own messages."""

    def __init__(self, api: GeneratedApi) -> None:
        self.models = api.models
        self.seen: list[Any] = []

    def error(self, problem: Any) -> Any:
        self.seen.append(problem)
        return self.models.Error(code=problem.status * 10, message=f"mine: {problem.message}")

    def envelope(self, problem: Any) -> Any:
        self.seen.append(problem)
        error = {"code": "MINE", "message": problem.message, "requestId": NO_ID}
        return self.models.Envelope.model_validate({"error": error})

    def text(self, problem: Any) -> str:
        self.seen.append(problem)
        return f"mine: {problem.status}"


@pytest.fixture(scope="module")
def api(make_api: MakeApi) -> GeneratedApi:
    return make_api(SPEC)


@pytest.fixture
def items(api: GeneratedApi) -> Items:
    return Items(conflict=api.package.ProblemError(409, "taken"))


@pytest.fixture
def app(api: GeneratedApi, items: Items) -> Any:
    return api.create_app(items=items, security=Handler())


def _json(response: Any, status: int, media_type: str = "application/json") -> Any:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == media_type, response.headers
    return response.json()


@pytest.mark.parametrize("per_request", [False, True], ids=["shared", "per-request"])
async def test_invalid_parameters_answer_the_declared_400_model(
    api: GeneratedApi, items: Items, per_request: bool
) -> None:
    # the shared instance takes the fast path; a factory goes through FastAPI's dependencies
    service: Any = (lambda: items) if per_request else items
    app = api.create_app(items=service, security=Handler())
    async with client(app) as c:
        path = await c.get("/items/x", headers=KEY)
        query = await c.get("/items/1", params={"limit": 99}, headers=KEY)
    message = "the request does not match the API contract"
    assert _json(path, 400) == {"code": 400, "message": message}
    assert _json(query, 400) == {"code": 400, "message": message}


async def test_missing_credentials_answer_the_declared_401_with_the_challenge(app: Any) -> None:
    async with client(app) as c:
        res = await c.get("/items/1")
    assert _json(res, 401) == {"code": 401, "message": "authentication is required"}
    assert res.headers["www-authenticate"].startswith("APIKey")


async def test_insufficient_scope_answers_the_declared_403(app: Any) -> None:
    async with client(app) as c:
        res = await c.put("/items/1", json={"name": "n"}, headers={"Authorization": "Bearer r"})
    body = _json(res, 403)
    assert body == {
        "code": 403,
        "message": "the credentials lack the scopes this operation requires",
    }


@pytest.mark.parametrize("lazy", [False, True], ids=["eager", "lazy"])
async def test_unknown_method_answers_default_with_allow(api: GeneratedApi, lazy: bool) -> None:
    app = api.create_app(items=Items(), security=Handler(), lazy_routes=lazy)
    async with client(app) as c:
        res = await c.delete("/items/1")
    body = _json(res, 405)
    assert body == {
        "error": {"code": "METHOD_NOT_ALLOWED", "message": "Method Not Allowed", "requestId": NO_ID}
    }
    assert res.headers["allow"] == "GET, PUT"


async def test_unimplemented_operation_answers_default(api: GeneratedApi) -> None:
    app = api.create_app(security=Handler(), allow_unimplemented=True)
    async with client(app) as c:
        res = await c.get("/items/1", headers=KEY)
    message = "operation 'getItem' is not implemented yet"
    assert _json(res, 501) == {
        "error": {"code": "NOT_IMPLEMENTED", "message": message, "requestId": NO_ID}
    }


async def test_body_errors_are_the_declared_4XX_text(app: Any) -> None:
    async with client(app) as c:
        invalid = await c.post("/items", json={})
        media = await c.post("/items", content=b"<a/>", headers={"Content-Type": "text/xml"})
        missing = await c.post("/items")
    media_type = "text/plain; charset=utf-8"
    assert invalid.status_code == 422 and invalid.headers["content-type"] == media_type
    assert (
        invalid.text
        == "the request body does not match the API contract\n/body/name: Field required"
    )
    assert media.status_code == 415 and media.headers["content-type"] == media_type
    assert media.text == "expected a JSON body, got 'text/xml'"
    assert (
        missing.status_code == 422 and missing.text == "a request body is required\n/body: required"
    )


async def test_unhandled_errors_answer_the_declared_5XX(
    app: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="specfirst"):
        async with client(app) as c:
            res = await c.post("/items", json={"name": "n"})
    assert _json(res, 500) == {"code": 500, "message": "Internal Server Error"}
    assert any("unhandled error" in r.getMessage() for r in caplog.records)


async def test_a_problem_raised_by_the_implementation_goes_through_the_hook(
    api: GeneratedApi, items: Items
) -> None:
    hook = Hook(api)
    items.raise_in_get = api.package.ProblemError(404, "no item 7", extra={"code": "gone"})
    app = api.create_app(items=items, security=Handler(), errors=hook)
    async with client(app) as c:
        raised = await c.get("/items/7", headers=KEY)
        invalid = await c.get("/items/7", params={"limit": 99}, headers=KEY)
        text = await c.post("/items", json={})
    assert _json(raised, 404) == {
        "error": {"code": "MINE", "message": "no item 7", "requestId": NO_ID}
    }
    assert _json(invalid, 400) == {
        "code": 4000,
        "message": "mine: the request does not match the API contract",
    }
    assert text.status_code == 422 and text.text == "mine: 422"
    first, second, third = hook.seen
    assert (first.status, first.title, first.detail) == (404, "Not Found", "no item 7")
    assert (first.operation_id, first.declared, first.extra) == (
        "getItem",
        "default",
        {"code": "gone"},
    )
    assert first.instance == "/items/7"
    assert [(e.pointer, e.detail) for e in second.errors] == [
        ("/query/limit", "Input should be less than or equal to 10")
    ]
    assert (second.declared, third.declared, third.operation_id) == ("400", "4XX", "createItem")


@pytest.mark.parametrize(("status", "title"), [(406, "Not Acceptable"), (413, "Content Too Large")])
async def test_other_statuses_follow_the_declaration_that_covers_them(
    api: GeneratedApi, items: Items, status: int, title: str
) -> None:
    items.raise_in_get = api.package.ProblemError(status)
    app = api.create_app(items=items, security=Handler())
    async with client(app) as c:
        res = await c.get("/items/1", headers=KEY)
    body = _json(res, status)
    assert body == {
        "error": {"code": title.upper().replace(" ", "_"), "message": title, "requestId": NO_ID}
    }


async def test_field_errors_fill_a_declared_details_array(api: GeneratedApi, items: Items) -> None:
    errors = [{"pointer": "/body/name", "detail": "too short"}]
    items.raise_in_get = api.package.ProblemError(409, "conflict", errors=errors)
    app = api.create_app(items=items, security=Handler())
    async with client(app) as c:
        res = await c.get("/items/1", headers=KEY)
    assert _json(res, 409)["error"]["details"] == [{"field": "name", "message": "too short"}]


async def test_an_exact_problem_json_declaration_beats_default(app: Any) -> None:
    async with client(app) as c:
        res = await c.get("/problems", params={"limit": 99})
    body = problem(res, 422)
    assert [e["pointer"] for e in body["errors"]] == ["/query/limit"]


async def test_a_declared_problem_schema_gets_the_document_conformed_where_needed(
    app: Any,
) -> None:
    """pdfblocks declares problem+json whose ``errors`` is an object (ASP.NET's messages by
    field): the runtime's list of field errors would violate it, so the document follows the
    schema; a document the schema admits (no field errors) goes out as it is."""
    async with client(app) as c:
        invalid = await c.get("/validated", params={"limit": 99})
        unknown = await c.post("/validated")
    body = _json(invalid, 422, "application/problem+json")
    assert body["errors"] == {"limit": ["Input should be less than or equal to 10"]}
    assert (body["status"], body["title"]) == (422, "Unprocessable Content")
    assert problem(unknown, 405) == {
        "type": "about:blank",
        "title": "Method Not Allowed",
        "status": 405,
        "instance": "/validated",
    }


async def test_any_media_type_with_a_schema_gets_the_document_as_its_instance(app: Any) -> None:
    """hubapi declares ``*/*`` with an error schema of its own: problem+json is one media type
    of ``*/*``, but the answer must still be an instance of the schema, which the problem
    document is not (it has no ``code``); a schema that admits the document gets it as it is."""
    async with client(app) as c:
        invalid = await c.get("/anything", params={"limit": 99})
        unknown = await c.post("/anything")
    body = _json(invalid, 422, "application/problem+json")
    assert body == {"code": 422, "message": "the request does not match the API contract"}
    assert problem(unknown, 405)["title"] == "Method Not Allowed"


async def test_errors_declared_in_xml_are_sent_in_xml(app: Any) -> None:
    """openSUSE's OBS declares its errors as ``<status code="…"><summary>…</summary></status>``
    (``application/xml``): the runtime's 401 and 422 follow the schema's ``xml`` keywords."""
    async with client(app) as c:
        anonymous = await c.get("/xml")
        invalid = await c.get("/xml", params={"limit": 99}, headers=KEY)
    assert anonymous.status_code == 401, anonymous.text
    assert anonymous.headers["content-type"] == "application/xml; charset=utf-8"
    assert "www-authenticate" in anonymous.headers
    root = ElementTree.fromstring(anonymous.content)
    assert (root.tag, root.get("code"), root.findtext("summary")) == (
        "status",
        "401",
        "Unauthorized",
    )
    assert invalid.status_code == 422, invalid.text
    assert invalid.headers["content-type"] == "application/xml"
    root = ElementTree.fromstring(invalid.content)
    assert root.get("code") == "422"
    assert root.findtext("details") == "the request does not match the API contract"


async def test_json_without_a_schema_gets_the_problem_document(app: Any) -> None:
    async with client(app) as c:
        res = await c.get("/free", params={"limit": 99})
    body = _json(res, 400)
    assert body["status"] == 400 and body["title"] == "Invalid request"
    assert [e["pointer"] for e in body["errors"]] == ["/query/limit"]


async def test_nothing_declared_stays_problem_json(app: Any) -> None:
    async with client(app) as c:
        nowhere = await c.get("/nowhere")
    problem(nowhere, 404)


async def test_an_undeclared_status_is_still_a_500_in_the_declared_format(
    api: GeneratedApi, items: Items, caplog: pytest.LogCaptureFixture
) -> None:
    bearer = {"Authorization": "Bearer write"}
    strict = api.create_app(items=items, security=Handler())
    lenient = api.create_app(items=items, security=Handler(), undeclared_problems="log")
    with caplog.at_level(logging.ERROR, logger="specfirst"):
        async with client(strict) as c:
            error = await c.put("/items/1", json={"name": "n"}, headers=bearer)
        async with client(lenient) as c:
            logged = await c.put("/items/1", json={"name": "n"}, headers=bearer)
    message = "the server produced a response the API does not declare"
    assert _json(error, 500) == {"code": 500, "message": message}
    assert problem(logged, 409)["detail"] == "taken"  # nothing declared for 409: problem+json
    assert sum("contract violation" in r.getMessage() for r in caplog.records) == 2


async def test_an_invalid_hook_result_is_a_logged_500_never_sent(
    api: GeneratedApi, items: Items, caplog: pytest.LogCaptureFixture
) -> None:
    class Invalid(Hook):
        def error(self, problem: Any) -> Any:
            return self.models.Error.model_construct(code="four hundred")

        def envelope(self, problem: Any) -> Any:
            raise KeyError("requestId")

    app = api.create_app(items=items, security=Handler(), errors=Invalid(api))
    with caplog.at_level(logging.ERROR, logger="specfirst"):
        async with client(app) as c:
            invalid = await c.get("/items/x", headers=KEY)
            failing = await c.delete("/items/1")
    for res in (invalid, failing):
        body = problem(res, 500)
        assert body["detail"] == "the server could not answer in the error format the API declares"
    logged = [r.getMessage() for r in caplog.records]
    assert any("errors.error() gave no valid application/json body for a 400" in m for m in logged)
    assert any("errors.envelope()" in m and "'requestId'" in m for m in logged)


def test_a_hook_lacking_a_method_refuses_to_start(api: GeneratedApi) -> None:
    class Partial:
        def error(self, problem: Any) -> Any:
            return None

    with pytest.raises(api.StartupError) as caught:
        api.create_app(items=Items(), security=Handler(), errors=Partial())
    assert "Partial lacks ErrorFormats.envelope" in str(caught.value)
    assert "Partial lacks ErrorFormats.text" in str(caught.value)


# An error schema that is a ``$ref`` into another operation's response (surevoip.co.uk, held
# out): the runtime's own answers follow it as they follow the operation declaring it.
BORROWED_SPEC = """
openapi: 3.0.3
info: {title: Borrowed errors, version: "1"}
paths:
  /announcements:
    post:
      responses:
        "201": {description: created}
        "400":
          description: bad
          content:
            application/json:
              schema:
                type: object
                required: [errors]
                properties:
                  errors:
                    type: array
                    items:
                      type: object
                      required: [message, field]
                      properties:
                        field: {type: string}
                        message: {type: array, items: {type: string}}
  /calls:
    get:
      parameters:
        - {name: validate, in: query, schema: {type: integer}}
      responses:
        "204": {description: ok}
        "400":
          description: bad query
          content:
            application/json:
              schema:
                $ref: "#/paths/~1announcements/post/responses/400/content/application~1json/schema"
"""


async def test_an_error_schema_borrowed_from_another_operation_is_followed(
    make_api: MakeApi,
) -> None:
    api = make_api(BORROWED_SPEC)

    class Default:
        async def get_calls(self, **_: Any) -> None:
            return None

        async def post_announcements(self) -> None:
            return None

    app = api.create_app(default=Default())
    async with client(app) as c:
        res = await c.get("/calls", params={"validate": "x"})
    body = _json(res, 400)
    assert body["errors"][0]["field"] == "validate"
    assert isinstance(body["errors"][0]["message"], list) and body["errors"][0]["message"]
    api.models.PostAnnouncements400ResponseBody.model_validate(body)
