"""From a small spec to the IR: names, hoisting, parameters, responses, security."""

from __future__ import annotations

from pathlib import Path

import pytest

from specfirst.ir import Api, BodyKind, ParamLocation, Service
from specfirst.loader import load_spec
from specfirst.parser import ApiParser

SPEC = """
openapi: 3.1.0
info: {title: T, version: "1"}
servers: [{url: "https://api.example.com/{version}", variables: {version: {default: v2}}}]
security: [{bearer: [read]}, {key: []}]
paths:
  /projects/{projectId}/tasks:
    parameters:
      - {name: projectId, in: path, required: true, schema: {type: integer, minimum: 1}}
    post:
      operationId: createTask
      tags: [tasks]
      security: [{bearer: [write]}]
      parameters:
        - {name: Idempotency-Key, in: header, schema: {type: string, maxLength: 64}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [title], properties: {title: {type: string}}}
      responses:
        "201":
          description: created
          headers: {Location: {required: true, schema: {type: string}}}
          content: {application/json: {schema: {$ref: "#/components/schemas/Task"}}}
        "400": {description: bad}
    get:
      tags: [tasks]
      parameters:
        - {name: status, in: query, schema: {type: string, enum: [open, done], default: open}}
        - {name: limit, in: query, schema: {type: integer, maximum: 100}}
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Task"}}}}
        default: {description: error}
  /health:
    get:
      operationId: health
      security: [{}]
      responses:
        "204": {description: ok}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
    key: {type: apiKey, in: header, name: X-Key}
  schemas:
    Task:
      type: object
      required: [id, title]
      properties:
        id: {type: integer, readOnly: true}
        title: {type: string}
"""


def _service(api: Api, tag: str) -> Service:
    return next(s for s in api.services if s.tag == tag)


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Api:
    path = tmp_path_factory.mktemp("spec") / "api.yaml"
    path.write_text(SPEC)
    parser = ApiParser(load_spec(path))
    document = parser.models_document()
    schemas = document["components"]["schemas"]
    assert set(schemas) == {"Task", "TaskRequest", "TaskResponse", "CreateTaskRequest"}
    assert "id" not in schemas["TaskRequest"]["properties"]
    parser.set_models(frozenset(schemas))
    return parser.build()


def test_services_and_operation_names(api: Api) -> None:
    # Tags not listed under `tags:` come in alphabetical order.
    assert [s.class_name for s in api.services] == ["DefaultService", "TasksService"]
    tasks = _service(api, "tasks")
    # Operations keep path order, then HTTP method order (get, put, post, …).
    assert [op.operation_id for op in tasks.operations] == [
        "get_projects_by_project_id_tasks",
        "createTask",
    ]
    assert tasks.operations[1].py_name == "create_task"
    assert tasks.operations[1].class_prefix == "CreateTask"


def test_base_path_from_server_variables(api: Api) -> None:
    assert api.base_path == "/v2"


def test_parameters_merge_path_item_level_and_keep_constraints(api: Api) -> None:
    listing, create = _service(api, "tasks").operations
    names = [(p.location, p.name, p.py_name) for p in create.parameters]
    assert names == [
        (ParamLocation.PATH, "projectId", "project_id"),
        (ParamLocation.HEADER, "Idempotency-Key", "idempotency_key"),
    ]
    assert create.route_path == "/projects/{project_id}/tasks"
    assert [(c.name, c.value) for c in create.parameters[0].constraints] == [("ge", "1")]
    status = next(p for p in listing.parameters if p.name == "status")
    assert status.py_type == "Literal['open', 'done']"
    assert status.default == "'open'"


def test_bodies_are_hoisted_and_read_only_split(api: Api) -> None:
    create = _service(api, "tasks").operations[1]
    assert create.body is not None
    assert (create.body.kind, create.body.py_type, create.body.required) == (
        BodyKind.JSON,
        "models.CreateTaskRequest",
        True,
    )
    created = create.responses[0]
    assert (created.class_name, created.py_type) == ("CreateTask201Response", "models.TaskResponse")
    assert [(h.name, h.py_name, h.required) for h in created.headers] == [
        ("Location", "location", True)
    ]
    assert create.bare_success is None  # a required header: the result class is needed
    assert create.validation_status == 400


def test_lists_and_defaults(api: Api) -> None:
    listing = _service(api, "tasks").operations[0]
    assert [r.class_name for r in listing.responses] == [
        "GetProjectsByProjectIdTasks200Response",
        "GetProjectsByProjectIdTasksDefaultResponse",
    ]
    assert listing.responses[0].py_type == "list[models.TaskResponse]"
    assert listing.validation_status == 422


def test_security_requirements(api: Api) -> None:
    listing, create = _service(api, "tasks").operations
    assert [[(u.scheme, u.scopes) for u in r.uses] for r in create.security] == [
        [("bearer", ("write",))]
    ]
    assert [[(u.scheme, u.scopes) for u in r.uses] for r in listing.security] == [
        [("bearer", ("read",))],
        [("key", ())],
    ]
    health = _service(api, "default").operations[0]
    assert health.security == () and not health.secured
    assert health.bare_none


def test_unsupported_constructs_are_located(tmp_path: Path) -> None:
    path = tmp_path / "api.yaml"
    path.write_text(SPEC.replace("security: [{bearer: [write]}]", "security: [{nope: []}]"))
    parser = ApiParser(load_spec(path))
    parser.set_models(frozenset(parser.models_document()["components"]["schemas"]))
    parser.build()
    messages = [d.format() for d in parser.diagnostics]
    assert any(m.startswith(f"{path}:") and "unknown scheme 'nope'" in m for m in messages), (
        messages
    )


def test_read_only_and_write_only_are_dropped_at_any_inline_depth() -> None:
    from specfirst.parser.read_write import _without_marked

    schema = {
        "allOf": [
            {"$ref": "#/components/schemas/Base"},
            {
                "type": "object",
                "required": ["id", "name"],
                "properties": {
                    "id": {"type": "integer", "readOnly": True},
                    "name": {"type": "string"},
                    "tags": {"type": "array", "items": {"properties": {"at": {"readOnly": True}}}},
                },
            },
        ]
    }
    request, dropped = _without_marked(schema, "readOnly", lambda ref: None)
    assert dropped
    part = request["allOf"][1]
    assert part["required"] == ["name"] and "id" not in part["properties"]
    assert part["properties"]["tags"]["items"]["properties"] == {}
    assert schema["allOf"][1]["properties"]["id"]["readOnly"] is True  # input untouched
    same, dropped = _without_marked(schema, "writeOnly", lambda ref: None)
    assert same is schema and not dropped


# A path item that is a ``$ref`` to another serves the same operations at a second path, and
# schemas may be ``$ref``s into another operation (surevoip.co.uk, held out).
SHARED_SPEC = """
openapi: 3.0.3
info: {title: Shared, version: "1"}
paths:
  /status:
    get:
      parameters:
        - {name: verbose, in: query, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {status: {type: string}}}
  /support/status: {$ref: "#/paths/~1status"}
  /calls:
    post:
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {to: {type: string}}}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {type: object, properties: {id: {type: string}}}
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
                      required: [field, message]
                      properties:
                        field: {type: string}
                        message: {type: array, items: {type: string}}
    get:
      parameters:
        - {name: limit, in: query, schema: {$ref: "#/paths/~1status/get/parameters/0/schema"}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  list:
                    type: array
                    items: {$ref: "#/paths/~1calls/post/responses/201/content/application~1json/schema"}
        "400":
          description: bad
          content:
            application/json:
              schema: {$ref: "#/paths/~1calls/post/responses/400/content/application~1json/schema"}
        "404":
          description: gone
          content:
            application/json:
              schema: {$ref: "#/paths/~1status/get/responses/200/content/application~1json/schema"}
"""


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Api, dict[str, object]]:
    path = tmp_path_factory.mktemp("shared") / "api.yaml"
    path.write_text(SHARED_SPEC)
    parser = ApiParser(load_spec(path))
    schemas = parser.models_document()["components"]["schemas"]
    parser.set_models(frozenset(schemas))
    api = parser.build()
    assert not [d.format() for d in parser.diagnostics]
    return api, schemas


def test_a_path_item_ref_is_a_second_operation_with_names_of_its_own(
    shared: tuple[Api, dict[str, object]],
) -> None:
    api, schemas = shared
    ops = {op.path: op for s in api.services for op in s.operations}
    status, support = ops["/status"], ops["/support/status"]
    assert (status.py_name, status.class_prefix) == ("get_status", "GetStatus")
    assert (support.py_name, support.class_prefix) == ("get_support_status", "GetSupportStatus")
    assert [r.class_name for r in support.responses] == ["GetSupportStatus200Response"]
    # the schema written once is one model, whichever path serves it
    assert status.responses[0].py_type == support.responses[0].py_type
    assert status.responses[0].py_type == "models.GetStatus200ResponseBody"
    assert "GetSupportStatus200ResponseBody" not in schemas


def test_a_schema_ref_into_another_operation_takes_the_model_made_there(
    shared: tuple[Api, dict[str, object]],
) -> None:
    api, schemas = shared
    listing = next(op for s in api.services for op in s.operations if op.py_name == "get_calls")
    types = {r.status: r.py_type for r in listing.responses}
    assert types["400"] == "models.PostCalls400ResponseBody"
    assert types["404"] == "models.GetStatus200ResponseBody"
    # the runtime's own 400 (an invalid request) is built in the declared error model
    errors = {e.status: e for e in listing.errors}
    assert errors["400"].py_type == "models.PostCalls400ResponseBody"
    assert errors["400"].method
    # a non-model schema written elsewhere: the type it has there
    assert next(p for p in listing.parameters if p.name == "limit").py_type == "int"
    # inside a model: a ref to the class (the models document names no other document)
    body = schemas["GetCalls200ResponseBody"]
    assert body["properties"]["list"]["items"] == {  # type: ignore[index]
        "$ref": "#/components/schemas/PostCalls201ResponseBody"
    }


def test_a_shared_operation_declares_its_callbacks_once(tmp_path: Path) -> None:
    path = tmp_path / "api.yaml"
    path.write_text(
        """
openapi: 3.1.0
info: {title: Callbacks, version: "1"}
paths:
  /subscribe:
    post:
      requestBody:
        content:
          application/json:
            schema: {type: object, required: [url], properties: {url: {type: string}}}
      callbacks:
        onEvent:
          "{$request.body#/url}":
            post:
              requestBody:
                content:
                  application/json:
                    schema: {type: object, properties: {event: {type: string}}}
              responses: {"204": {description: ok}}
      responses: {"201": {description: created}}
  /v2/subscribe: {$ref: "#/paths/~1subscribe"}
"""
    )
    parser = ApiParser(load_spec(path))
    parser.set_models(frozenset(parser.models_document()["components"]["schemas"]))
    api = parser.build()
    assert [(cb.owner, cb.url_function) for cb in api.callbacks] == [
        ("post_subscribe", "post_subscribe_on_event_url")
    ]


def test_a_nullable_body_schema_admits_a_null_body(tmp_path: Path) -> None:
    # stream-io: every request body is a `$ref` to a `nullable: true` model, and schemathesis
    # sends `null`, a valid body even when the body is required: the handler receives None.
    path = tmp_path / "api.yaml"
    path.write_text(
        """
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /lists:
    post:
      operationId: createList
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/ListRequest"}}}
      responses: {"201": {description: ok}}
    put:
      operationId: replaceList
      requestBody:
        content: {application/json: {schema: {$ref: "#/components/schemas/ListRequest"}}}
      responses: {"200": {description: ok}}
    patch:
      operationId: patchList
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Plain"}}}
      responses: {"200": {description: ok}}
components:
  schemas:
    ListRequest:
      type: object
      nullable: true
      required: [name]
      properties: {name: {type: string}}
    Plain:
      type: object
      properties: {name: {type: string}}
"""
    )
    parser = ApiParser(load_spec(path))
    parser.set_models(frozenset(parser.models_document()["components"]["schemas"]))
    ops = {op.operation_id: op for s in parser.build().services for op in s.operations}
    types = {name: op.body.py_type for name, op in ops.items() if op.body is not None}
    assert types == {
        "createList": "models.ListRequest | None",
        "replaceList": "models.ListRequest | None",
        "patchList": "models.Plain",
    }


def test_a_form_of_an_array_is_read_only_when_nothing_else_is(tmp_path: Path) -> None:
    # archive.org's wayback: an array under JSON, form and CSV. A form's fields are an
    # object's properties, so an array has no form encoding: another media type is read (even
    # one preferred after forms, text/csv), the form is answered 415 and generate says where.
    path = tmp_path / "api.yaml"
    path.write_text(
        """
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /with-json:
    post:
      operationId: withJson
      requestBody:
        content:
          application/x-www-form-urlencoded: {schema: {$ref: "#/components/schemas/Requests"}}
          application/json: {schema: {$ref: "#/components/schemas/Requests"}}
      responses: {"200": {description: ok}}
  /with-text:
    post:
      operationId: withText
      requestBody:
        content:
          multipart/form-data: {schema: {$ref: "#/components/schemas/Requests"}}
          text/csv: {schema: {type: string}}
      responses: {"200": {description: ok}}
components:
  schemas:
    Requests: {type: array, items: {type: object, properties: {url: {type: string}}}}
"""
    )
    parser = ApiParser(load_spec(path))
    parser.set_models(frozenset(parser.models_document()["components"]["schemas"]))
    ops = {op.operation_id: op for s in parser.build().services for op in s.operations}
    bodies = {name: op.body for name, op in ops.items() if op.body is not None}
    assert {name: (b.media_type, b.alternates) for name, b in bodies.items()} == {
        "withJson": ("application/json", ()),
        "withText": ("text/csv", ()),
    }
    found = [
        (d.level.value, d.location.line if d.location else 0, d.message)
        for d in parser.diagnostics
        if d.rule == "unsupported"
    ]
    assert found == [
        (
            "warning",
            line,  # the form's schema
            f"request body media type {media} has a schema that is not an object: a form's "
            "fields are an object's properties, so it has no encoding; answered 415 (the body "
            f"is read as {read})",
        )
        for line, media, read in (
            (10, "application/x-www-form-urlencoded", "application/json"),
            (18, "multipart/form-data", "text/csv"),
        )
    ]
