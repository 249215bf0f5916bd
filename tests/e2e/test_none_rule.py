"""``None`` for an optional property that is not nullable: "not set" in Python, refused on the wire.

The property is typed ``X | None = None``, so ``Note(tag=None)`` type-checks; it must then work
at run time: the property is left out, as if it had not been passed, and the response omits
it (a ``null`` would break the schema). A ``null`` a client sends is still refused (422),
in a JSON body as in a parameter whose content is JSON.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from specfirst.contract.document import as_the_app_reads
from tests.e2e.conftest import GeneratedApi, MakeApi, client, problem

SPEC = """
openapi: 3.1.0
info: {title: Notes, version: "1"}
paths:
  /notes:
    get:
      operationId: findNotes
      tags: [notes]
      parameters:
        - name: filter
          in: query
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Filter"}
      responses:
        "200":
          description: The notes found
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Note"}}
    post:
      operationId: addNote
      tags: [notes]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Note"}
      responses:
        "201":
          description: The note as stored
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Note"}
components:
  schemas:
    Filter:
      type: object
      properties:
        tag: {type: string}
    Note:
      type: object
      required: [title]
      properties:
        title: {type: string}
        tag: {type: string}
        due: {type: [string, "null"], format: date}
        at: {type: string, format: time}
        kind: {type: string, enum: [idea, task]}
"""


@pytest.fixture(scope="module")
def api(make_api: MakeApi) -> GeneratedApi:
    return make_api(SPEC)


def notes(api: GeneratedApi) -> Any:
    m = api.models

    class Notes:
        async def find_notes(self, *, filter: Any) -> Any:
            tag = filter.tag if filter is not None else None
            return [
                m.Note(title="model", tag=tag),  # None when no tag was asked for
                {"title": "dict", "tag": tag, "due": None},  # as a FastAPI handler might
            ]

        async def add_note(self, *, body: Any) -> Any:
            return m.Note(title=body.title, tag=body.tag, due=body.due, at=body.at, kind=body.kind)

    return Notes()


def test_none_in_python_is_left_out(api: GeneratedApi) -> None:
    m = api.models
    note = m.Note(title="t", tag=None)
    assert note.model_fields_set == {"title"}
    assert "tag" not in note.model_dump() and "tag" not in json.loads(note.model_dump_json())
    assert note == m.Note(title="t")
    assert m.Note.model_validate({"title": "t", "tag": None}) == note
    # a nullable property keeps its explicit None: null is a value there
    assert m.Note(title="t", due=None).model_fields_set == {"title", "due"}


async def test_responses_omit_it_and_requests_refuse_null(api: GeneratedApi) -> None:
    async with client(api.create_app(notes=notes(api))) as c:
        found = await c.get("/notes")
        tagged = await c.get("/notes", params={"filter": '{"tag": "x"}'})
        null_param = await c.get("/notes", params={"filter": '{"tag": null}'})
        added = await c.post("/notes", json={"title": "t"})
        null_body = await c.post("/notes", json={"title": "t", "tag": None})
    assert found.status_code == 200, found.text
    assert found.json() == [{"title": "model"}, {"title": "dict", "due": None}]
    assert tagged.json() == [
        {"title": "model", "tag": "x"},
        {"title": "dict", "tag": "x", "due": None},
    ]
    assert added.status_code == 201, added.text
    assert added.json() == {"title": "t", "due": None}  # due is nullable: None is sent as null
    body = problem(null_body, 422)
    # refused by the member's own schema, so the pointer names the member
    assert [e["pointer"] for e in body["errors"]] == ["/body/tag"], body
    assert body["errors"][0]["detail"] == "tag: null is not allowed"
    param = problem(null_param, 422)
    assert "tag: null is not allowed" in json.dumps(param), param


async def test_values_given_as_json_text_are_read_strictly_from_json(api: GeneratedApi) -> None:
    """The rule refuses only ``null``: a time or an enum member, which JSON carries as a string,
    is still read as JSON (strictly), not as a Python string (adyen's ``salesDayClosingTime:
    "00:00:00Z"`` was refused, "Input should be a valid time", when the rule ran ahead of it)."""
    async with client(api.create_app(notes=notes(api))) as c:
        added = await c.post("/notes", json={"title": "t", "at": "10:00:00Z", "kind": "task"})
        null_at = await c.post("/notes", json={"title": "t", "at": None})
        number = await c.post("/notes", json={"title": "t", "at": 5})
    assert added.status_code == 201, added.text
    assert added.json() == {"title": "t", "due": None, "at": "10:00:00Z", "kind": "task"}
    assert "at: null is not allowed" in json.dumps(problem(null_at, 422))
    problem(number, 422)


NULLABLE_ITEMS = """
openapi: 3.0.3
info: {title: Charts, version: "1"}
paths:
  /data:
    post:
      operationId: chartData
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Query'}}}
      responses: {"200": {description: ok, content: {application/json: {schema: {}}}}}
components:
  schemas:
    Step: {type: object, properties: {operation: {type: string}}}
    Query:
      type: object
      properties:
        steps:
          type: array
          items: {allOf: [{$ref: '#/components/schemas/Step'}], nullable: true, description: A step.}
        strict: {type: array, items: {allOf: [{$ref: '#/components/schemas/Step'}]}}
        one: {allOf: [{$ref: '#/components/schemas/Step'}], nullable: true}
"""


async def test_a_nullable_reference_in_array_items_takes_null(make_api: MakeApi) -> None:
    """superset's ``post_processing`` items are ``{allOf: [$ref], nullable: true}`` (apispec's
    way to make a reference nullable in 3.0): a ``null`` item is valid, as it is for a
    property written so; items without ``nullable`` still refuse it."""
    api = make_api(NULLABLE_ITEMS)

    class Default:
        async def chart_data(self, *, body: Any) -> Any:
            return api.responses.ChartData200Response(body=body.model_dump(mode="json"))

    async with client(api.create_app(default=Default())) as c:
        taken = await c.post("/data", json={"steps": [None, {"operation": "pivot"}], "one": None})
        refused = await c.post("/data", json={"strict": [None]})
    assert taken.status_code == 200, taken.text
    assert taken.json()["steps"] == [None, {"operation": "pivot"}]
    assert [e["pointer"] for e in problem(refused, 422)["errors"]] == ["/body/strict/0"]


UNREAD_DEFAULT_AND_UNTYPED = """
openapi: 3.0.0
info: {title: Jobs, version: "1"}
paths:
  /jobs:
    post:
      operationId: findJobs
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                jobTypes: {type: integer, enum: [1, 2], default: [1]}
                city: {type: string, enum: [Victoria, Vancouver], default: Victoria}
                setting: {$ref: '#/components/schemas/Setting'}
                open: {$ref: '#/components/schemas/Open'}
      responses: {"200": {description: ok, content: {application/json: {schema: {}}}}}
components:
  schemas:
    Setting:
      properties: {rate: {type: number}}
    Open:
      properties: {rate: {type: number}}
      nullable: true
"""


async def test_null_is_refused_beside_a_dropped_default_and_for_an_untyped_object(
    make_api: MakeApi,
) -> None:
    """A default of none of the declared types is dropped from the model (gov.bc.ca's
    ``jobTypes: {type: integer, default: [1]}``), so the property is ``None`` when absent and
    still refuses a JSON ``null``; so does a reference to a schema with ``properties`` and no
    ``type`` (xero's ``BookDepreciationSetting``), a model as the object its author meant,
    unless it says ``nullable: true``."""
    api = make_api(UNREAD_DEFAULT_AND_UNTYPED)

    class Default:
        async def find_jobs(self, *, body: Any) -> Any:
            return api.responses.FindJobs200Response(body=body.model_dump(mode="json"))

    async with client(api.create_app(default=Default())) as c:
        left_out = await c.post("/jobs", json={})
        null_default = await c.post("/jobs", json={"jobTypes": None})
        null_untyped = await c.post("/jobs", json={"setting": None})
        nullable = await c.post("/jobs", json={"open": None, "setting": {"rate": 1}})
    assert left_out.status_code == 200, left_out.text
    assert left_out.json() == {"city": "Victoria", "open": None}  # open is nullable
    assert [e["pointer"] for e in problem(null_default, 422)["errors"]] == ["/body/jobTypes"]
    assert [e["pointer"] for e in problem(null_untyped, 422)["errors"]] == ["/body/setting"]
    assert nullable.status_code == 200, nullable.text


ENUM_OF_ANOTHER_TYPE = """
openapi: 3.0.0
info: {title: Jobs, version: "1"}
paths:
  /jobs:
    post:
      operationId: findJobs
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                jobTypes: {type: integer, enum: [[1], [2]], default: [1]}
                region: {type: integer, enum: [1, [2]]}
      responses: {"200": {description: ok, content: {application/json: {schema: {}}}}}
"""


async def test_an_enum_of_members_not_of_its_type_admits_only_those_that_are(
    make_api: MakeApi,
) -> None:
    """JSON Schema requires a value of the ``type`` and in the ``enum``: gov.bc.ca's
    ``jobTypes: {type: integer, enum: [[1], [2]]}`` admits no value at all, so the property
    may only be left out; an array member beside an integer one is no valid value either."""
    api = make_api(ENUM_OF_ANOTHER_TYPE)

    class Default:
        async def find_jobs(self, *, body: Any) -> Any:
            return api.responses.FindJobs200Response(body=body.model_dump(mode="json"))

    async with client(api.create_app(default=Default())) as c:
        left_out = await c.post("/jobs", json={"region": 1})
        member = await c.post("/jobs", json={"jobTypes": [2]})
        number = await c.post("/jobs", json={"jobTypes": 2})
        null = await c.post("/jobs", json={"jobTypes": None})
        array_region = await c.post("/jobs", json={"region": [2]})
    assert left_out.status_code == 200, left_out.text
    assert left_out.json() == {"region": 1}
    for refused in (member, number, null):
        assert [e["pointer"] for e in problem(refused, 422)["errors"]] == ["/body/jobTypes"]
    assert "jobTypes: no value is valid" in json.dumps(problem(number, 422))
    assert [e["pointer"] for e in problem(array_region, 422)["errors"]] == ["/body/region"]


ENUM_OF_TEXT = """
openapi: 3.0.3
info: {title: shards, version: "1"}
paths:
  /shards:
    post:
      operationId: setShards
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [shards]
              properties:
                shards: {type: integer, format: int32, enum: ["1", "2", "32"]}
                ratio: {type: number, enum: ["1.5", "2"]}
                mixed: {type: integer, enum: ["1", "x"]}
      responses: {"200": {description: ok, content: {application/json: {schema: {}}}}}
"""


async def test_an_enum_of_the_text_of_its_type_takes_the_values_it_names(
    make_api: MakeApi,
) -> None:
    """whatsapp's ``shards: {type: integer, enum: ["1", … "32"]}``, its example ``32``: the
    model takes the integers the texts name (datamodel-code-generator took ``"1.5"`` as text
    under ``type: number``), a text that names no value of the type is none, and the run's
    document reads the enums alike, so schemathesis has a valid body to send."""
    api = make_api(ENUM_OF_TEXT)

    class Default:
        async def set_shards(self, *, body: Any) -> Any:
            return api.responses.SetShards200Response(body=body.model_dump(mode="json"))

    async with client(api.create_app(default=Default())) as c:
        taken = await c.post("/shards", json={"shards": 32, "ratio": 1.5, "mixed": 1})
        unlisted = await c.post("/shards", json={"shards": 3})
        text = await c.post("/shards", json={"shards": 2, "ratio": "1.5"})
        no_value = await c.post("/shards", json={"shards": 2, "mixed": "x"})
    assert taken.status_code == 200, taken.text
    assert taken.json() == {"shards": 32, "ratio": 1.5, "mixed": 1}
    for refused, pointer in ((unlisted, "/body/shards"), (text, "/body/ratio")):
        assert [e["pointer"] for e in problem(refused, 422)["errors"]] == [pointer]
    assert [e["pointer"] for e in problem(no_value, 422)["errors"]] == ["/body/mixed"]
    read = as_the_app_reads(yaml.safe_load(ENUM_OF_TEXT))
    assert read is not None
    body = read["paths"]["/shards"]["post"]["requestBody"]["content"]["application/json"]
    props = body["schema"]["properties"]
    assert props["shards"]["enum"] == [1, 2, 32]
    assert props["ratio"]["enum"] == [1.5, 2]
    assert props["mixed"]["enum"] == [1]
