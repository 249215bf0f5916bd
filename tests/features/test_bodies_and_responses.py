"""Request bodies (JSON, +json, form, multipart with encodings, octet-stream, optional, several
media types) and responses (several codes, 2XX, default, headers, 204, text, binary, streaming)."""

from __future__ import annotations

import typing
from typing import Any

import pytest

from tests.e2e.conftest import GeneratedApi, MakeApi, client, problem

SPEC = """
openapi: 3.0.3
info: {title: Bodies, version: "1"}
paths:
  /things:
    post:
      operationId: createThing
      requestBody:
        required: true
        content:
          application/vnd.thing+json:
            schema: {$ref: "#/components/schemas/Thing"}
          application/x-www-form-urlencoded:
            schema: {$ref: "#/components/schemas/Thing"}
      responses:
        "201":
          description: created
          headers:
            Location: {required: true, schema: {type: string}}
            X-Rate: {schema: {type: integer}}
          content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}
        "2XX": {description: other success}
        default:
          description: error
          content: {application/problem+json: {schema: {type: object, properties: {title: {type: string}}}}}
    patch:
      operationId: patchThing
      requestBody:
        content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}
      responses:
        "204": {description: done}
  /upload:
    post:
      operationId: upload
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [doc]
              properties:
                doc: {type: string, format: binary}
                meta: {type: object, properties: {n: {type: integer}}}
                tags: {type: array, items: {type: string}}
            encoding:
              doc: {contentType: application/pdf}
              meta: {contentType: application/json}
      responses:
        "200": {description: ok, content: {text/plain: {schema: {type: string}}}}
  /blob:
    put:
      operationId: putBlob
      requestBody:
        required: true
        content: {application/octet-stream: {schema: {type: string, format: binary}}}
      responses:
        "200": {description: ok, content: {application/octet-stream: {schema: {type: string, format: binary}}}}
  /stream:
    get:
      operationId: stream
      responses:
        "200": {description: events, content: {text/event-stream: {schema: {type: string}}}}
components:
  schemas:
    Thing:
      type: object
      required: [name]
      properties:
        name: {type: string}
        size: {type: integer}
"""


def make_service(api: GeneratedApi) -> Any:
    r, m = api.responses, api.models

    class Service:
        async def create_thing(self, *, body: Any) -> Any:
            if body.name == "later":
                return r.CreateThing2XXResponse(status_code=202)
            if body.name == "bad":
                return r.CreateThingDefaultResponse(
                    status_code=409, body=m.CreateThingDefaultResponseBody(title="taken")
                )
            return r.CreateThing201Response(body=body, location=f"/things/{body.name}", x_rate=5)

        async def patch_thing(self, *, body: Any) -> Any:
            return None

        async def upload(self, *, body: Any) -> Any:
            data = await body.doc.read()
            return r.Upload200Response(
                body=f"{body.doc.content_type}:{len(data)}:{body.meta}:{body.tags}"
            )

        async def put_blob(self, *, body: bytes) -> Any:
            return r.PutBlob200Response(body=body[::-1])

        async def stream(self) -> Any:
            async def events() -> Any:
                for n in range(3):
                    yield f"data: {n}\n\n"

            return r.Stream200Response(body=events())

    return Service()


@pytest.fixture(scope="module")
def api(make_api: MakeApi) -> GeneratedApi:
    return make_api(SPEC)


@pytest.fixture
def app(api: GeneratedApi) -> Any:
    return api.create_app(default=make_service(api))


async def test_plus_json_body_and_response_headers(app: Any) -> None:
    async with client(app) as c:
        res = await c.post(
            "/things",
            content=b'{"name": "a", "size": 2}',
            headers={"content-type": "application/vnd.thing+json"},
        )
        invalid = await c.post(
            "/things", content=b'{"size": 2}', headers={"content-type": "application/json"}
        )
    assert res.status_code == 201
    assert res.json() == {"name": "a", "size": 2}
    assert res.headers["location"] == "/things/a" and res.headers["x-rate"] == "5"
    assert [e["pointer"] for e in problem(invalid, 422)["errors"]] == ["/body/name"]


async def test_ranged_and_default_responses(app: Any) -> None:
    async with client(app) as c:
        later = await c.post("/things", json={"name": "later"})
        bad = await c.post("/things", json={"name": "bad"})
    assert later.status_code == 202 and later.content == b""
    assert bad.status_code == 409 and bad.json() == {"title": "taken"}
    assert bad.headers["content-type"] == "application/problem+json"


async def test_several_request_media_types(app: Any) -> None:
    async with client(app) as c:
        as_form = await c.post("/things", data={"name": "f", "size": "3"})
        bad_form = await c.post("/things", data={"size": "x"})
        as_xml = await c.post("/things", content=b"<a/>", headers={"content-type": "text/xml"})
    assert as_form.status_code == 201 and as_form.json() == {"name": "f", "size": 3}
    pointers = [e["pointer"] for e in problem(bad_form, 422)["errors"]]
    assert pointers == ["/body/name", "/body/size"]
    problem(as_xml, 415)


async def test_optional_body_and_204(app: Any) -> None:
    async with client(app) as c:
        empty = await c.patch("/things")
        given = await c.patch("/things", json={"name": "x"})
    assert empty.status_code == 204 and empty.content == b""
    assert given.status_code == 204


async def test_multipart_with_file_object_and_array_parts(app: Any) -> None:
    async with client(app) as c:
        res = await c.post(
            "/upload",
            files={"doc": ("a.pdf", b"%PDF-1", "application/pdf")},
            data={"meta": '{"n": 1}', "tags": ["a", "b"]},
        )
    assert res.status_code == 200, res.text
    assert res.headers["content-type"].startswith("text/plain")
    assert res.text.startswith("application/pdf:6:")
    assert res.text.endswith("['a', 'b']")


async def test_octet_stream_in_and_out(app: Any) -> None:
    async with client(app) as c:
        res = await c.put(
            "/blob", content=b"\x00\x01\x02", headers={"content-type": "application/octet-stream"}
        )
    assert res.content == b"\x02\x01\x00"
    assert res.headers["content-type"] == "application/octet-stream"


async def test_a_required_file_is_missing_without_bytes_and_content_type(app: Any) -> None:
    # A required binary body was handed to the implementation as b"" when absent; an empty
    # file (no bytes under a Content-Type) is one the binary schema allows.
    async with client(app) as c:
        missing = await c.put("/blob")
        empty = await c.put("/blob", content=b"", headers={"content-type": "application/zip"})
    assert [e["pointer"] for e in problem(missing, 422)["errors"]] == ["/body"]
    assert empty.status_code == 200 and empty.content == b""


async def test_streaming_text_response(app: Any) -> None:
    async with client(app) as c:
        res = await c.get("/stream")
    assert res.status_code == 200
    assert res.headers["content-type"].startswith("text/event-stream")
    assert res.text == "data: 0\n\ndata: 1\n\ndata: 2\n\n"


VARIANTS = """
openapi: 3.0.3
info: {title: Variants, version: "1"}
paths:
  /jobs:
    post:
      operationId: submitJob
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Options"}
          application/x-www-form-urlencoded:
            schema: {$ref: "#/components/schemas/Options"}
          multipart/form-data:
            schema:
              type: object
              properties:
                media: {type: string, format: binary}
                options: {$ref: "#/components/schemas/Options"}
          text/xml:
            schema: {$ref: "#/components/schemas/Options"}
          image/*:
            schema: {type: string, format: binary}
      responses:
        "200": {description: ok, content: {text/plain: {schema: {type: string}}}}
components:
  schemas:
    Options:
      type: object
      required: [url]
      properties:
        url: {type: string}
"""


@pytest.fixture(scope="module")
def variants_api(make_api: MakeApi) -> GeneratedApi:
    return make_api(VARIANTS)


async def test_a_json_body_also_read_as_its_other_declared_media_types(
    variants_api: GeneratedApi,
) -> None:
    """A body declared as JSON and as a form of another schema, text and binary (rev.ai's
    `POST /jobs`, pdfbroker.io): each media type is read into its own type, none refused."""
    r = variants_api.responses

    class Service:
        async def submit_job(self, *, body: Any) -> Any:
            return r.SubmitJob200Response(body=f"{type(body).__name__}:{body!r}")

    app = variants_api.create_app(default=Service())
    async with client(app) as c:
        as_json = await c.post("/jobs", json={"url": "u"})
        as_urlencoded = await c.post("/jobs", data={"url": "w"})
        as_form = await c.post(
            "/jobs",
            files={"media": ("a.mp3", b"ID3", "audio/mpeg")},
            data={"options": '{"url": "v"}'},
        )
        empty_form = await c.post(
            "/jobs",
            content=b"--b--\r\n",
            headers={"content-type": "multipart/form-data; boundary=b"},
        )
        bad_form = await c.post("/jobs", files={"options": (None, b'{"url": 1}')})
        as_xml = await c.post("/jobs", content=b"<o/>", headers={"content-type": "text/xml"})
        as_png = await c.post("/jobs", content=b"\x89PNG", headers={"content-type": "image/png"})
        undeclared = await c.post(
            "/jobs", content=b"%PDF", headers={"content-type": "application/pdf"}
        )
        missing = await c.post("/jobs", headers={"content-type": "multipart/form-data; boundary=b"})
    assert as_json.text == "Options:Options(url='u')"
    assert as_urlencoded.text == "Options:Options(url='w')"  # the same schema: the JSON type
    assert as_form.status_code == 200, as_form.text
    assert (
        as_form.text
        == "SubmitJobRequestFormData:SubmitJobRequestFormData(media=b'ID3', options=Options(url='v'))"
    )
    assert (
        empty_form.text
        == "SubmitJobRequestFormData:SubmitJobRequestFormData(media=None, options=None)"
    )
    assert [e["pointer"] for e in problem(bad_form, 422)["errors"]] == ["/body/options/url"]
    assert as_xml.text == "str:'<o/>'"
    assert as_png.text == "bytes:b'\\x89PNG'"
    problem(undeclared, 415)
    assert [e["pointer"] for e in problem(missing, 422)["errors"]] == ["/body"]


FORMLESS = """
openapi: 3.0.0
info: {title: Wayback, version: "1"}
paths:
  /available:
    post:
      operationId: available
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {$ref: "#/components/schemas/Requests"}
          application/json:
            schema: {$ref: "#/components/schemas/Requests"}
          text/csv:
            schema: {$ref: "#/components/schemas/Requests"}
      responses:
        "200": {description: ok, content: {text/plain: {schema: {type: string}}}}
components:
  schemas:
    Requests:
      type: array
      items:
        type: object
        required: [url]
        properties:
          url: {type: string}
          tag: {type: string}
"""


async def test_a_form_of_an_array_is_not_read(make_api: MakeApi) -> None:
    """archive.org's wayback declares its array of requests under a form too (listed first):
    a form's fields are an object's properties, so nothing encodes an array as one. The body
    is read as JSON (and CSV), and a form is answered 415, never a 422 for every form
    (schemathesis' ``url=a&tag=0&url=b``, "Schema-valid request rejected")."""
    api = make_api(FORMLESS)
    r = api.responses

    class Service:
        async def available(self, *, body: Any) -> Any:
            return r.Available200Response(body=f"{type(body).__name__}:{body!r}")

    app = api.create_app(default=Service())
    async with client(app) as c:
        as_json = await c.post("/available", json=[{"url": "a"}, {"url": "b", "tag": "1"}])
        as_csv = await c.post("/available", content=b"url\na", headers={"content-type": "text/csv"})
        as_form = await c.post("/available", data={"url": ["a", "b"], "tag": "1"})
        none = await c.post("/available")
    assert as_json.status_code == 200, as_json.text
    assert as_json.text.startswith("Requests:Requests(root=[")
    assert as_csv.text == "str:'url\\na'"
    problem(as_form, 415)
    assert none.text == "NoneType:None"


NULLABLE_CLAIMS = """
openapi: 3.0.3
info: {title: Claims, version: "1"}
paths:
  /justification:
    put:
      operationId: justify
      requestBody:
        content: {application/json: {schema: {$ref: "#/components/schemas/Justification"}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: string}}}}
  /response:
    post:
      operationId: respond
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Justification"}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: string}}}}
components:
  schemas:
    Justification:
      type: object
      nullable: true
      properties:
        reason: {type: string, enum: [Other, Late]}
"""


async def test_a_nullable_body_schema_takes_a_json_null(make_api: MakeApi) -> None:
    # just-eat's Justification says `nullable: true`: a `null` body is one the spec allows, and
    # was refused (400/422) as not an object.
    api = make_api(NULLABLE_CLAIMS)
    r = api.responses

    class Service:
        async def justify(self, *, body: Any) -> Any:
            return r.Justify200Response(body=repr(body))

        async def respond(self, *, body: Any) -> Any:
            return r.Respond200Response(body=repr(body))

    app = api.create_app(default=Service())
    async with client(app) as c:
        null = await c.put(
            "/justification", content=b"null", headers={"content-type": "application/json"}
        )
        given = await c.put("/justification", json={"reason": "Late"})
        required = await c.post(
            "/response", content=b"null", headers={"content-type": "application/json"}
        )
        absent = await c.post("/response")
        wrong = await c.put("/justification", json=[1])
    assert null.status_code == 200 and null.json() == "None"
    assert given.status_code == 200 and "Late" in given.json()
    assert required.status_code == 200 and required.json() == "None"
    problem(absent, 422)
    problem(wrong, 422)


NULLABLE = """
openapi: 3.0.3
info: {title: Nullable body, version: "1"}
paths:
  /lists:
    post:
      operationId: createList
      requestBody:
        required: true
        content:
          application/json: {schema: {$ref: "#/components/schemas/ListRequest"}}
          application/x-www-form-urlencoded: {schema: {$ref: "#/components/schemas/ListRequest"}}
      responses:
        "200": {description: ok, content: {text/plain: {schema: {type: string}}}}
components:
  schemas:
    ListRequest:
      type: object
      nullable: true
      required: [name]
      properties:
        name: {type: string}
        words: {type: array, items: {type: string}}
        meta: {type: object, properties: {a: {type: integer}}}
"""


async def test_a_nullable_body_schema_admits_a_null_body(make_api: MakeApi) -> None:
    """stream-io's request bodies are `nullable: true` models: `null` is a valid body, even a
    required one, and reaches the handler as None; anything else is still validated."""
    api = make_api(NULLABLE)
    r = api.responses

    class Service:
        async def create_list(self, *, body: Any) -> Any:
            return r.CreateList200Response(body=repr(body))

    app = api.create_app(default=Service())
    async with client(app) as c:
        null = await c.post("/lists", content=b"null", headers={"content-type": "application/json"})
        given = await c.post("/lists", json={"name": "a"})
        as_form = await c.post("/lists", data={"name": "f", "meta": '{"a": 1}'})
        invalid = await c.post("/lists", json={"words": []})
        empty = await c.post("/lists", headers={"content-type": "application/json"})
    assert (null.status_code, null.text) == (200, "None")
    assert given.text == "ListRequest(name='a', words=None, meta=None)"
    assert as_form.text == "ListRequest(name='f', words=None, meta=Meta(a=1))", as_form.text
    assert [e["pointer"] for e in problem(invalid, 422)["errors"]] == ["/body/name"]
    assert empty.status_code == 422


TEXT_JSON = """
openapi: 3.0.1
info: {title: Humanize, version: "1"}
paths:
  /text/humanize:
    post:
      operationId: humanize
      requestBody:
        content:
          application/json: {schema: {$ref: "#/components/schemas/TextDto"}}
          text/json: {schema: {$ref: "#/components/schemas/TextDto"}}
          application/*+json: {schema: {$ref: "#/components/schemas/TextDto"}}
      responses:
        "200":
          description: ok
          content:
            text/json: {schema: {$ref: "#/components/schemas/TextDto"}}
components:
  schemas:
    TextDto:
      type: object
      required: [text]
      properties:
        text: {type: string}
"""


async def test_text_json_is_json(make_api: MakeApi) -> None:
    # ASP.NET's Swashbuckle declares every body as application/json, text/json and
    # application/*+json (randommer.io's POST /api/Text/Humanize, letmc.com's diary):
    # text/json was text, so the implementation got a `str` to parse and validate itself,
    # and a response declared only as text/json was a `str` to serialize by hand.
    # schemathesis (and clients) read text/json as JSON; so does the app now.
    api = make_api(TEXT_JSON)

    class Service:
        async def humanize(self, *, body: Any) -> Any:
            assert isinstance(body, api.models.TextDto), repr(body)
            return api.models.TextDto(text=body.text.upper())

    async with client(api.create_app(default=Service())) as c:
        as_text_json = await c.post(
            "/text/humanize", content=b'{"text": "hi"}', headers={"content-type": "text/json"}
        )
        invalid = await c.post(
            "/text/humanize", content=b'{"words": 1}', headers={"content-type": "text/json"}
        )
    assert as_text_json.status_code == 200, as_text_json.text
    assert as_text_json.headers["content-type"].startswith("text/json")
    assert as_text_json.json() == {"text": "HI"}
    assert [e["pointer"] for e in problem(invalid, 422)["errors"]] == ["/body/text"]


FORM_ONLY = """
openapi: 3.0.0
info: {title: Formless, version: "1"}
paths:
  /batch:
    post:
      operationId: batch
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema: {type: array, items: {type: object, properties: {url: {type: string}}}}
      responses:
        "200": {description: ok, content: {text/plain: {schema: {type: string}}}}
  /note:
    post:
      operationId: note
      requestBody:
        content:
          multipart/form-data: {schema: {type: string}}
      responses:
        "200": {description: ok, content: {text/plain: {schema: {type: string}}}}
  /detect:
    post:
      operationId: detect
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema: {type: string, maxLength: 40, pattern: "^[a-z]+="}
            example: "text=I like to eat tacos"
      responses:
        "200": {description: ok, content: {text/plain: {schema: {type: string}}}}
  /upload:
    post:
      operationId: upload
      requestBody:
        required: true
        content:
          multipart/form-data: {schema: {type: string, format: binary}}
      responses:
        "200": {description: ok, content: {text/plain: {schema: {type: string}}}}
"""


def _form_only_service(api: Any, got: list[Any]) -> Any:
    """The service of :data:`FORM_ONLY`: each handler records the body it got in ``got``."""
    r = api.responses

    class Service:
        async def batch(self, *, body: Any) -> Any:
            got.append(body)
            return r.Batch200Response(body=repr(body))

        async def detect(self, *, body: str) -> Any:
            got.append(body)
            return r.Detect200Response(body=body)

        async def note(self, *, body: str | None) -> Any:
            got.append(body)
            return r.Note200Response(body=repr(body))

        async def upload(self, *, body: bytes) -> Any:
            got.append(body)
            return r.Upload200Response(body=repr(body))

    return Service()


async def test_a_form_of_no_object_alone_is_not_read(make_api: MakeApi) -> None:
    """A form or multipart body whose schema is an array, and no other media type: no form
    has fields for it, so no body is read (415, whatever its type), and a required one is
    still required (422)."""
    api = make_api(FORM_ONLY)
    app = api.create_app(default=_form_only_service(api, []))
    async with client(app) as c:
        problem(await c.post("/batch", data={"url": "a", "other": "1"}), 415)
        problem(await c.post("/batch", files={"url": ("a", b"x")}), 415)
        problem(await c.post("/batch", json=[{"url": "a"}]), 415)
        missing = await c.post("/batch")
    assert [e["pointer"] for e in problem(missing, 422)["errors"]] == ["/body"]


async def test_a_form_of_a_string_alone_is_read_as_its_text(make_api: MakeApi) -> None:
    """A form or multipart body whose only schema is a string (spoonacular's ``POST
    /food/detect``, its example the form's encoded text): the handler gets the text sent, as
    for a ``text/plain`` body, its schema's keywords checked (422); a required one left out is
    refused (422), an optional one left out is None."""
    api = make_api(FORM_ONLY)
    got: list[Any] = []
    text = "text=I like to eat tacos&x=%C3%A9+1"
    form = {"content-type": "application/x-www-form-urlencoded"}
    app = api.create_app(default=_form_only_service(api, got))
    async with client(app) as c:
        detected = await c.post("/detect", content=text.encode(), headers=form)
        noted = await c.post(
            "/note", content=b"title=Beans", headers={"content-type": "multipart/form-data"}
        )
        missing = await c.post("/detect")
        too_long = await c.post("/detect", content=b"text=" + b"a" * 40, headers=form)
        unmatched = await c.post("/detect", content=b"=tacos", headers=form)
        left_out = await c.post("/note")
    assert detected.status_code == 200, detected.text
    assert detected.text == text
    assert noted.status_code == 200 and noted.text == "'title=Beans'"
    assert [e["pointer"] for e in problem(missing, 422)["errors"]] == ["/body"]
    for refused in (too_long, unmatched):  # its schema's keywords apply to the text
        assert [e["pointer"] for e in problem(refused, 422)["errors"]] == ["/body"]
    assert left_out.status_code == 200 and left_out.text == "None"
    assert got == [text, "title=Beans", None]


async def test_a_form_of_a_binary_string_alone_is_read_as_its_bytes(make_api: MakeApi) -> None:
    """A form or multipart body whose only schema is a binary string (``format: binary``): the
    handler gets the bytes sent (typed ``bytes``), as for an ``application/octet-stream`` body,
    not a 415; a required one left out is refused (422)."""
    api = make_api(FORM_ONLY)
    got: list[Any] = []
    sent = b"\x89PNG\r\n\xff"
    app = api.create_app(default=_form_only_service(api, got))
    async with client(app) as c:
        uploaded = await c.post(
            "/upload", content=sent, headers={"content-type": "multipart/form-data"}
        )
        missing = await c.post("/upload")
    assert uploaded.status_code == 200, uploaded.text
    assert got == [sent]
    assert [e["pointer"] for e in problem(missing, 422)["errors"]] == ["/body"]
    hints = typing.get_type_hints(api.services.DefaultService.upload, vars(api.services))
    assert hints["body"] is bytes


TEXT_FORMATS = """
openapi: {version}
info: {{title: Formats, version: "1"}}
paths:
  /ids:
    post:
      operationId: postId
      requestBody:
        required: true
        content: {{text/plain: {{schema: {{type: string, format: uuid}}}}}}
      responses:
        "200": {{description: ok, content: {{text/plain: {{schema: {{type: string}}}}}}}}
        "400": {{description: invalid}}
  /at:
    post:
      operationId: postAt
      requestBody:
        required: true
        content: {{text/plain: {{schema: {{$ref: '#/components/schemas/At'}}}}}}
      responses:
        "200": {{description: ok, content: {{text/plain: {{schema: {{type: string}}}}}}}}
  /mail:
    post:
      operationId: postMail
      requestBody:
        content:
          application/x-www-form-urlencoded: {{schema: {{type: string, format: email}}}}
      responses:
        "200": {{description: ok, content: {{text/plain: {{schema: {{type: string}}}}}}}}
components:
  schemas:
    At: {{type: string, format: date-time, maxLength: 30}}
"""


@pytest.mark.parametrize("version", ["3.0.3", "3.1.0"])
async def test_a_text_bodys_format_is_checked(make_api: MakeApi, version: str) -> None:
    """A text body's ``format`` (``uuid``, ``date-time``, ``email`` …, its schema inline or a
    component's, or a form of a string read as its text) is checked as a model checks a
    string property of it: a text that breaks it is refused with the validation status (400
    where only that is declared); the handler gets the text sent, a ``str``."""
    api = make_api(TEXT_FORMATS.format(version=version))
    r = api.responses
    got: list[Any] = []

    class Service:
        async def post_id(self, *, body: str) -> Any:
            got.append(body)
            return r.PostId200Response(body=body)

        async def post_at(self, *, body: str) -> Any:
            got.append(body)
            return r.PostAt200Response(body=body)

        async def post_mail(self, *, body: str | None) -> Any:
            got.append(body)
            return r.PostMail200Response(body=repr(body))

    uuid = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
    text = {"content-type": "text/plain"}
    form = {"content-type": "application/x-www-form-urlencoded"}
    async with client(api.create_app(default=Service())) as c:
        good = [
            await c.post("/ids", content=uuid, headers=text),
            await c.post("/at", content="2025-10-15T13:51:09Z", headers=text),
            await c.post("/mail", content="a@example.com", headers=form),
        ]
        bad = [
            (await c.post("/ids", content="not-a-uuid", headers=text), 400),
            (await c.post("/at", content="2025-10-15 13:51", headers=text), 422),
            (await c.post("/at", content="2025-02-30T00:00:00Z", headers=text), 422),
            # the text stays a str: its maxLength holds too
            (await c.post("/at", content="2025-10-15T13:51:09.123456+01:00", headers=text), 422),
            (await c.post("/mail", content="no at sign", headers=form), 422),
        ]
    assert [g.status_code for g in good] == [200] * 3, [g.text for g in good]
    assert got == [uuid, "2025-10-15T13:51:09Z", "a@example.com"]
    for res, status in bad:
        assert [e["pointer"] for e in problem(res, status)["errors"]] == ["/body"], res.text
