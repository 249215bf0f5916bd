"""Form and multipart bodies decoded as their ``encoding`` says.

Multipart: structured fields (objects, arrays of objects) arrive as JSON parts and reach the
implementation as models; a file part's media type is checked against ``contentType`` (415
otherwise, ranges like ``image/*`` allowed); a schema-less part with a binary ``contentType``
is a file. a file part's headers are checked against ``encoding.headers``. Form-urlencoded:
``style: deepObject`` fields are read from ``name[key]=value``. A JSON body that may also come
as a form reads its structured properties from JSON text or ``name[key]`` fields.
"""

from __future__ import annotations

import importlib
import json
import logging
from pathlib import Path
from typing import Any

import pytest

from specfirst.pipeline import generate
from tests.e2e.conftest import GeneratedApi, MakeApi, client, problem

SPEC = """
openapi: 3.1.0
info: {title: Forms, version: "1"}
paths:
  /upload:
    post:
      operationId: upload
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [doc, meta]
              properties:
                doc: {type: string, format: binary}
                avatar: {type: string}
                meta:
                  type: object
                  required: [n]
                  properties:
                    n: {type: integer, minimum: 1}
                    when: {type: string, format: date}
                lines:
                  type: array
                  items: {$ref: "#/components/schemas/Line"}
                tags: {type: array, items: {type: string}}
                note: {type: string}
                layout: {type: object}
                scan: {type: string, format: binary}
            encoding:
              scan:
                contentType: image/png
                headers:
                  X-Page: {required: true, schema: {type: integer, minimum: 1}}
                  X-Lang: {schema: {type: string, enum: [en, fr]}}
              doc: {contentType: "application/pdf, image/*"}
              avatar: {contentType: image/png}
              layout:
                contentType: application/xml
              note:
                contentType: text/plain
                headers:
                  X-Note-Id: {schema: {type: integer}}
      responses:
        "200": {description: ok, content: {text/plain: {schema: {type: string}}}}
  /search:
    post:
      operationId: search
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [range]
              properties:
                q: {type: string}
                range:
                  type: object
                  properties:
                    min: {type: integer}
                    max: {type: integer}
                opts: {$ref: "#/components/schemas/Line"}
            encoding:
              range: {style: deepObject, explode: true}
              opts: {contentType: application/json}
      responses:
        "200": {description: ok, content: {text/plain: {schema: {type: string}}}}
  /spins:
    post:
      operationId: logSpin
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [artist, song]
              properties:
                artist: {type: string}
                song: {type: string}
                label: {type: string, maxLength: 3}
                duration: {type: integer, minimum: 0}
                live: {type: boolean}
                genres: {type: array, items: {type: string}}
      responses:
        "200": {description: ok, content: {text/plain: {schema: {type: string}}}}
components:
  schemas:
    Line:
      type: object
      required: [sku]
      properties:
        sku: {type: string}
        qty: {type: integer}
"""


def make_service(api: GeneratedApi) -> Any:
    r = api.responses

    class Service:
        async def upload(self, *, body: Any) -> Any:
            avatar = None
            if body.avatar is not None:
                avatar = [body.avatar.content_type, len(await body.avatar.read())]
            return r.Upload200Response(
                body=json.dumps(
                    {
                        "doc": [body.doc.content_type, len(await body.doc.read())],
                        "avatar": avatar,
                        "meta": [type(body.meta).__name__, body.meta.n, str(body.meta.when)],
                        "lines": [[type(x).__name__, x.sku, x.qty] for x in body.lines or []],
                        "tags": body.tags,
                        "note": body.note,
                        "layout": body.layout,
                        "scan": None if body.scan is None else body.scan.headers.get("x-page"),
                    }
                )
            )

        async def search(self, *, body: Any) -> Any:
            return r.Search200Response(
                body=json.dumps(
                    {
                        "q": body.q,
                        "range": [type(body.range).__name__, body.range.min, body.range.max],
                        "opts": None
                        if body.opts is None
                        else [type(body.opts).__name__, body.opts.qty],
                    }
                )
            )

        async def log_spin(self, *, body: Any) -> Any:
            fields = ("artist", "song", "label", "duration", "live", "genres")
            return r.LogSpin200Response(body=json.dumps({f: getattr(body, f) for f in fields}))

    return Service()


@pytest.fixture(scope="module")
def api(make_api: MakeApi) -> GeneratedApi:
    return make_api(SPEC)


@pytest.fixture
def app(api: GeneratedApi) -> Any:
    return api.create_app(default=make_service(api))


PDF = ("a.pdf", b"%PDF-1", "application/pdf")


async def test_structured_multipart_parts_arrive_as_models(app: Any) -> None:
    async with client(app) as c:
        res = await c.post(
            "/upload",
            files=[
                ("doc", PDF),
                ("avatar", ("me.png", b"\x89PNG", "image/png")),
                ("lines", (None, b'{"sku": "a", "qty": 2}', "application/json")),
                ("lines", (None, b'{"sku": "b"}', "application/json")),
            ],
            data={
                "meta": json.dumps({"n": 3, "when": "2026-11-26"}),
                "tags": ["x", "y"],
                "note": "hello",
                "layout": "<layout/>",
            },
        )
    assert res.status_code == 200, res.text
    got = res.json()
    assert got["doc"] == ["application/pdf", 6]
    assert got["avatar"] == ["image/png", 4]
    assert got["meta"] == ["UploadMetaPart", 3, "2026-11-26"]
    assert got["lines"] == [["Line", "a", 2], ["Line", "b", None]]
    assert got["tags"] == ["x", "y"]
    assert got["note"] == "hello"
    assert got["layout"] == "<layout/>"  # application/xml: handed over as text


async def test_a_malformed_multipart_body_is_an_invalid_request(app: Any) -> None:
    """Starlette refuses a body it cannot parse with a 400 of its own; the runtime answers it
    as any invalid request, with the operation's validation status (422: ``/upload`` declares
    neither 400 nor 422), as formapi.io's contract run sent it (``POST /templates``)."""
    async with client(app) as c:
        res = await c.post(
            "/upload",
            content=b"--e917\r\n-4011--e917--\r\n",
            headers={"content-type": "multipart/form-data; boundary=e917"},
        )
    assert problem(res, 422)["detail"] == "Invalid multipart data."


async def test_media_type_ranges_in_encoding_are_accepted(app: Any) -> None:
    async with client(app) as c:
        res = await c.post(
            "/upload",
            files={"doc": ("p.gif", b"GIF89a", "image/gif")},
            data={"meta": '{"n": 1}'},
        )
    assert res.status_code == 200, res.text
    assert res.json()["doc"] == ["image/gif", 6]


@pytest.mark.parametrize(
    ("files", "pointer"),
    [
        ({"doc": ("a.txt", b"hi", "text/plain")}, "/body/doc"),
        ({"doc": PDF, "avatar": ("me.jpg", b"\xff\xd8", "image/jpeg")}, "/body/avatar"),
    ],
)
async def test_file_part_of_an_unlisted_media_type_is_415(
    app: Any, files: dict[str, Any], pointer: str
) -> None:
    async with client(app) as c:
        res = await c.post("/upload", files=files, data={"meta": '{"n": 1}'})
    body = problem(res, 415)
    assert [e["pointer"] for e in body["errors"]] == [pointer]
    assert "must be" in body["detail"]


@pytest.mark.parametrize(
    ("meta", "pointer"),
    [
        ('{"n": 0}', "/body/meta/n"),  # minimum
        ('{"n": "1"}', "/body/meta/n"),  # JSON has its own types: a string is not an integer
        ('{"when": "2026-11-26"}', "/body/meta/n"),  # required property
        ("{not json", "/body/meta"),
    ],
)
async def test_invalid_json_part_is_a_validation_problem(app: Any, meta: str, pointer: str) -> None:
    async with client(app) as c:
        res = await c.post("/upload", files={"doc": PDF}, data={"meta": meta})
    body = problem(res, 422)
    assert pointer in [e["pointer"] for e in body["errors"]], body


@pytest.mark.parametrize(
    "lines",
    [
        [
            ("lines", (None, b'{"sku": "a"}', "application/json")),
            ("lines", (None, b'{"qty": 1}', "application/json")),
        ],
        # the whole array in one part, as schemathesis sends an array of objects in multipart
        # (velopayments' payee file)
        [("lines", (None, b'[{"sku": "a"}, {"qty": 1}]', "application/json"))],
    ],
)
async def test_invalid_item_of_a_repeated_json_part_names_its_index(
    app: Any, lines: list[Any]
) -> None:
    async with client(app) as c:
        res = await c.post("/upload", files=[("doc", PDF), *lines], data={"meta": '{"n": 1}'})
    body = problem(res, 422)
    assert [e["pointer"] for e in body["errors"]] == ["/body/lines/1/sku"]


async def test_deep_object_form_field(app: Any) -> None:
    async with client(app) as c:
        res = await c.post(
            "/search",
            data={"q": "x", "range[min]": "1", "range[max]": "5", "opts": '{"sku": "s", "qty": 4}'},
        )
    assert res.status_code == 200, res.text
    assert res.json() == {"q": "x", "range": ["SearchRangePart", 1, 5], "opts": ["Line", 4]}


@pytest.mark.parametrize(
    ("data", "pointer"),
    [
        ({"range[min]": "one"}, "/body/range/min"),
        ({"q": "x"}, "/body/range"),  # required, absent
        ({"range[min]": "1", "opts": '{"qty": 1}'}, "/body/opts/sku"),
    ],
)
async def test_invalid_urlencoded_structured_fields(
    app: Any, data: dict[str, str], pointer: str
) -> None:
    async with client(app) as c:
        res = await c.post("/search", data=data)
    body = problem(res, 422)
    assert pointer in [e["pointer"] for e in body["errors"]], body


def test_undecoded_parts_are_reported(tmp_path: Path) -> None:
    spec = tmp_path / "forms.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    result = generate(spec, tmp_path / "out", cache_dir=None, force=True)
    assert result.ok
    notes = [d.format() for d in result.diagnostics if d.rule == "unsupported"]
    assert any(
        "forms.yaml:" in n and "form field 'layout' is application/xml: received as text" in n
        for n in notes
    ), notes
    assert any("headers of multipart part 'note' are not validated" in n for n in notes), notes


async def test_file_part_headers_are_checked(app: Any, api: GeneratedApi) -> None:
    def scan(headers: dict[str, str]) -> Any:
        return ("s.png", b"\x89PNG", "image/png", headers)

    async with client(app) as c:
        ok = await c.post(
            "/upload", files={"doc": PDF, "scan": scan({"X-Page": "2"})}, data={"meta": '{"n": 1}'}
        )
        missing = await c.post(
            "/upload", files={"doc": PDF, "scan": scan({})}, data={"meta": '{"n": 1}'}
        )
        wrong = await c.post(
            "/upload",
            files={"doc": PDF, "scan": scan({"X-Page": "two", "X-Lang": "de"})},
            data={"meta": '{"n": 1}'},
        )
    assert ok.status_code == 200, ok.text
    assert ok.json()["scan"] == "2"
    assert [e["pointer"] for e in problem(missing, 422)["errors"]] == ["/body/scan/headers/X-Page"]
    assert [e["pointer"] for e in problem(wrong, 422)["errors"]] == [
        "/body/scan/headers/X-Page",
        "/body/scan/headers/X-Lang",
    ]
    checkers = importlib.import_module(f"{api.name}._runtime.forms")._constrained
    built = checkers.cache_info().currsize  # the headers' and the text fields' checkers
    async with client(app) as c:
        zero = await c.post(
            "/upload", files={"doc": PDF, "scan": scan({"X-Page": "0"})}, data={"meta": '{"n": 1}'}
        )
    (error,) = problem(zero, 422)["errors"]
    assert error["pointer"] == "/body/scan/headers/X-Page" and "greater than" in error["detail"]
    # One checker per declaration, however many requests: nothing grows per request.
    assert checkers.cache_info().currsize == built >= 2


ALTERNATES = """
openapi: 3.1.0
info: {title: Alternates, version: "1"}
paths:
  /items:
    post:
      operationId: createItem
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Item"}
          application/x-www-form-urlencoded:
            schema: {$ref: "#/components/schemas/Item"}
          multipart/form-data:
            schema: {$ref: "#/components/schemas/Item"}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Item"}}}}
components:
  schemas:
    Dim:
      type: object
      required: [w]
      properties: {w: {type: integer}, h: {type: integer}}
    Item:
      type: object
      required: [name]
      properties:
        name: {type: string}
        count: {type: integer}
        tags: {type: array, items: {type: string}}
        dim: {$ref: "#/components/schemas/Dim"}
        parts: {type: array, items: {$ref: "#/components/schemas/Dim"}}
        grid: {type: array, items: {type: array, items: {}}}
        rows: {type: array, items: {type: array, items: {type: integer}}}
"""


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"data": {"name": "a", "count": "2", "tags": "x"}}, {"count": 2, "tags": ["x"]}),
        ({"data": {"name": "a", "dim": '{"w": 1, "h": 2}'}}, {"dim": {"w": 1, "h": 2}}),
        ({"data": {"name": "a", "dim[w]": "1", "dim[h]": "2"}}, {"dim": {"w": 1, "h": 2}}),
        (
            {"data": {"name": "a", "parts": ['{"w": 1}', '{"w": 2}']}},
            {"parts": [{"w": 1}, {"w": 2}]},
        ),
        (
            {"files": [("name", (None, b"a")), ("dim", (None, b'{"w": 3}', "application/json"))]},
            {"dim": {"w": 3}},
        ),
        # velopayments' `file` of payee records: the whole array in one JSON part, as
        # schemathesis sends it (the items were read one per part only: 400 on `/body/file/0`)
        (
            {
                "files": [
                    ("name", (None, b"a")),
                    ("parts", (None, b' [{"w": 1}, {"w": 2}]', "application/json")),
                ]
            },
            {"parts": [{"w": 1}, {"w": 2}]},
        ),
        ({"data": {"name": "a", "parts": '[{"w": 4}]'}}, {"parts": [{"w": 4}]}),
        # nordigen's `access_scope`, an array of arrays: the items are JSON arrays, one per
        # part, or the whole array in one part (as schemathesis sends it; refused as text)
        ({"data": {"name": "a", "grid": ["[1]", '["x"]']}}, {"grid": [[1], ["x"]]}),
        (
            {"files": [("name", (None, b"a")), ("grid", (None, b"[[0]]", "application/json"))]},
            {"grid": [[0]]},
        ),
        ({"data": {"name": "a", "rows": ["[1, 2]", "[3]"]}}, {"rows": [[1, 2], [3]]}),
        ({"data": {"name": "a", "rows": "[[1], [2]]"}}, {"rows": [[1], [2]]}),
    ],
)
async def test_form_alternate_of_a_json_body_parses_structured_fields(
    make_api: MakeApi, kwargs: dict[str, Any], expected: dict[str, Any]
) -> None:
    api = make_api(ALTERNATES)

    class Service:
        async def create_item(self, *, body: Any) -> Any:
            assert isinstance(body, api.models.Item)
            return body

    async with client(api.create_app(default=Service())) as c:
        res = await c.post("/items", **kwargs)
    assert res.status_code == 200, res.text
    assert res.json() == {"name": "a", **expected}


@pytest.mark.parametrize(
    ("data", "pointer"),
    [
        ({"name": "a", "dim": '{"w": "1"}'}, "/body/dim/w"),  # JSON: a string is no integer
        ({"name": "a", "dim": "{oops"}, "/body/dim"),
        ({"name": "a", "parts": ['{"w": 1}', '{"h": 1}']}, "/body/parts/1/w"),
        ({"name": "a", "parts": '[{"w": 1}, {"h": 1}]'}, "/body/parts/1/w"),
        ({"name": "a", "grid": "[{}]"}, "/body/grid/0"),  # one part: the whole array
        ({"name": "a", "dim[h]": "1"}, "/body/dim/w"),
    ],
)
async def test_form_alternate_structured_field_errors(
    make_api: MakeApi, data: dict[str, Any], pointer: str
) -> None:
    api = make_api(ALTERNATES)
    async with client(api.create_app(allow_unimplemented=True)) as c:
        res = await c.post("/items", data=data)
    body = problem(res, 422)
    assert pointer in [e["pointer"] for e in body["errors"]], body


async def test_an_empty_form_is_an_object_with_no_fields(make_api: MakeApi) -> None:
    """``{}`` form-encoded is an empty body (envoice.in's ``POST /api/client/delete``, whose
    required body has no required property, was refused "a request body is required"): a
    required body sent as an empty form is validated as that object, so only a missing
    required property is an error, and it names the property."""
    optional = ALTERNATES.replace("required: [name]", "required: []")
    form = {"content-type": "application/x-www-form-urlencoded"}

    class Service:
        async def create_item(self, *, body: Any) -> Any:
            return body

    async with client(make_api(optional).create_app(default=Service())) as c:
        empty = await c.post("/items", content=b"", headers=form)
    async with client(make_api(ALTERNATES).create_app(default=Service())) as c:
        nameless = await c.post("/items", content=b"", headers=form)
    assert empty.status_code == 200, empty.text
    assert empty.json() == {}
    assert [e["pointer"] for e in problem(nameless, 422)["errors"]] == ["/body/name"]


async def test_an_empty_form_value_is_the_empty_string_not_a_missing_field(app: Any) -> None:
    # spinitron's POST /spins, mercure's publish: `artist=&song=` is two empty strings, which
    # `type: string` allows; FastAPI's Form() reads `name=` as absent (422 "Field required").
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    async with client(app) as c:
        empty = await c.post("/spins", content="artist=&song=&label=&live=true", headers=form)
        typed = await c.post(
            "/spins", content="artist=a&song=b&duration=7&genres=x&genres=y", headers=form
        )
        missing = await c.post("/spins", content="song=b", headers=form)
        no_number = await c.post("/spins", content="artist=a&song=b&duration=", headers=form)
        too_long = await c.post("/spins", content="artist=a&song=b&label=abcd", headers=form)
    assert empty.status_code == 200, empty.text
    assert empty.json() == {
        "artist": "",
        "song": "",
        "label": "",
        "duration": None,
        "live": True,
        "genres": None,
    }
    assert typed.status_code == 200, typed.text
    assert typed.json()["duration"] == 7 and typed.json()["genres"] == ["x", "y"]
    assert [e["pointer"] for e in problem(missing, 422)["errors"]] == ["/body/artist"]
    assert [e["pointer"] for e in problem(no_number, 422)["errors"]] == ["/body/duration"]
    assert [e["pointer"] for e in problem(too_long, 422)["errors"]] == ["/body/label"]


OPTIONAL_UPLOAD = """
openapi: 3.0.1
info: {title: Optional upload, version: "1"}
paths:
  /forecast:
    post:
      operationId: forecast
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              required: [File, Method, meta]
              properties:
                File: {type: string, format: binary}
                Method: {type: string, enum: [a, b]}
                meta: {type: object, properties: {n: {type: integer}}}
                Periodicity: {type: integer, format: int32}
      responses:
        "200": {description: ok, content: {text/plain: {schema: {type: string}}}}
"""


async def test_an_optional_multipart_body_may_be_left_out(make_api: MakeApi) -> None:
    """A body that is not ``required`` may be absent even when its schema has required file
    or JSON parts (i-cue.solutions' ``POST /forecast/file-to-forecast`` was refused 422 "File:
    Field required" for a request with no body); a form that is sent still needs them."""
    api = make_api(OPTIONAL_UPLOAD)
    r = api.responses

    class Service:
        async def forecast(self, *, body: Any) -> Any:
            if body is None:
                return r.Forecast200Response(body="none")
            return r.Forecast200Response(body=f"{body.file.filename} {body.method} {body.meta}")

    async with client(api.create_app(default=Service())) as c:
        absent = await c.post("/forecast")
        sent = await c.post(
            "/forecast",
            files=[("File", ("a.csv", b"x,y", "text/csv"))],
            data={"Method": "a", "meta": '{"n": 2}'},
        )
        fileless = await c.post(
            "/forecast", files=[("x", ("a", b"", "text/plain"))], data={"Method": "a", "meta": "{}"}
        )
        metaless = await c.post(
            "/forecast", files=[("File", ("a.csv", b"x,y", "text/csv"))], data={"Method": "a"}
        )
    assert absent.status_code == 200, absent.text
    assert absent.text == "none"
    assert sent.status_code == 200, sent.text
    assert sent.text.startswith("a.csv a ")
    assert [e["pointer"] for e in problem(fileless, 422)["errors"]] == ["/body/File"]
    assert [e["pointer"] for e in problem(metaless, 422)["errors"]] == ["/body/meta"]


SEND_FILES = """
openapi: 3.0.0
info: {title: Send files, version: "1"}
paths:
  /sendAnimation:
    post:
      operationId: sendAnimation
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [chat_id, animation]
              properties:
                chat_id: {anyOf: [{type: integer}, {type: string}]}
                animation: {anyOf: [{$ref: "#/components/schemas/InputFile"}, {type: string}]}
                target: {anyOf: [{$ref: "#/components/schemas/Line"}, {type: string}]}
                reply_markup: {anyOf: [{$ref: "#/components/schemas/Line"}]}
      responses:
        "200": {description: ok, content: {text/plain: {schema: {type: string}}}}
components:
  schemas:
    InputFile: {description: "the contents of a file, uploaded as multipart parts are"}
    Line:
      type: object
      required: [sku]
      properties:
        sku: {type: string}
"""


async def test_a_union_with_a_text_member_is_read_as_text_json_or_an_upload(
    make_api: MakeApi,
) -> None:
    # telegram.org's send* operations: `chat_id` is an integer or a string ("@channel"),
    # `animation` an uploaded file (an empty schema) or a file_id string. Both were read as
    # JSON text by FastAPI's Form(): "@channel" and a file_id were invalid JSON, an upload
    # "not a valid string", and an empty file_id (which `type: string` allows) "Field required".
    api = make_api(SEND_FILES)

    def shown(value: Any) -> Any:
        while hasattr(value, "root"):  # the part's RootModel, InputFile's RootModel[Any]
            value = value.root
        if hasattr(value, "filename"):
            return ["upload", value.filename]
        return [type(value).__name__, value.model_dump() if hasattr(value, "model_dump") else value]

    class Service:
        async def send_animation(self, *, body: Any) -> Any:
            fields = ("chat_id", "animation", "target", "reply_markup")
            return api.responses.SendAnimation200Response(
                body=json.dumps({f: shown(getattr(body, f)) for f in fields})
            )

    gif = ("a.gif", b"GIF89a", "image/gif")
    async with client(api.create_app(default=Service())) as c:
        text = await c.post("/sendAnimation", data={"chat_id": "@news", "animation": "AgAD"})
        empty = await c.post(
            "/sendAnimation",
            data={"chat_id": "42", "animation": "", "target": '{"sku": "s"}'},
        )
        upload = await c.post(
            "/sendAnimation",
            data={"chat_id": "42", "target": "{not json", "reply_markup": '{"sku": "k"}'},
            files={"animation": gif},
        )
        missing = await c.post("/sendAnimation", data={"animation": "AgAD"})
        file_chat = await c.post("/sendAnimation", data={"animation": "x"}, files={"chat_id": gif})
    assert text.status_code == 200, text.text
    assert json.loads(text.text) == {
        "chat_id": ["str", "@news"],
        "animation": ["str", "AgAD"],
        "target": ["NoneType", None],
        "reply_markup": ["NoneType", None],
    }
    assert empty.status_code == 200, empty.text
    assert json.loads(empty.text)["animation"] == ["str", ""]
    assert json.loads(empty.text)["target"] == ["Line", {"sku": "s"}]
    assert upload.status_code == 200, upload.text
    assert json.loads(upload.text)["animation"] == ["upload", "a.gif"]
    assert json.loads(upload.text)["target"] == ["str", "{not json"]
    assert json.loads(upload.text)["reply_markup"] == ["Line", {"sku": "k"}]
    assert [e["pointer"] for e in problem(missing, 422)["errors"]] == ["/body/chat_id"]
    # neither member takes a file: one error per member, under the field
    pointers = [e["pointer"] for e in problem(file_chat, 422)["errors"]]
    assert pointers and all(p.startswith("/body/chat_id/") for p in pointers), pointers


FILE_PARTS = """
openapi: 3.0.0
info: {title: File parts, version: "1"}
paths:
  /files:
    post:
      operationId: uploadFile
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [body]
              properties:
                body: {type: string, format: byte}
                scans: {type: array, items: {type: string, format: binary}}
                name: {type: string}
            encoding:
              scans: {contentType: "text/plain, application/octet-stream"}
      responses:
        "200": {description: ok, content: {text/plain: {schema: {type: string}}}}
"""


async def test_a_file_part_may_come_without_a_filename(make_api: MakeApi) -> None:
    # xero.com's files API: `POST /Files` declares `body: {type: string, format: byte}`, base64
    # text by OpenAPI's reading (a primitive part is text/plain), which schemathesis sends as a
    # plain part; the SDKs upload it as a file. A part without a filename (RFC 7578 makes it
    # optional) is text to Starlette, and FastAPI's File() refused it ("Expected UploadFile"),
    # and read an empty one as absent. Each part is the file of its bytes, either way.
    api = make_api(FILE_PARTS)

    async def shown(upload: Any) -> list[Any]:
        return [upload.filename, (await upload.read()).decode()]

    class Service:
        async def upload_file(self, *, body: Any) -> Any:
            scans = [await shown(s) for s in body.scans or []]
            seen = {"body": await shown(body.body_), "scans": scans, "name": body.name}
            return api.responses.UploadFile200Response(body=json.dumps(seen))

    async with client(api.create_app(default=Service())) as c:
        text = await c.post("/files", data={"body": "/Q==", "name": "a"})
        empty = await c.post("/files", data={"body": ""})
        upload = await c.post(
            "/files",
            files=[
                ("body", ("a.bin", b"raw", "application/octet-stream")),
                ("scans", (None, b"one", "text/plain")),
                ("scans", ("two.txt", b"two", "text/plain")),
            ],
        )
        missing = await c.post("/files", data={"name": "a"})
    assert text.status_code == 200, text.text
    assert json.loads(text.text) == {"body": [None, "/Q=="], "scans": [], "name": "a"}
    assert empty.status_code == 200, empty.text
    assert json.loads(empty.text)["body"] == [None, ""]
    assert upload.status_code == 200, upload.text
    assert json.loads(upload.text) == {
        "body": ["a.bin", "raw"],
        "scans": [[None, "one"], ["two.txt", "two"]],
        "name": None,
    }
    assert [e["pointer"] for e in problem(missing, 422)["errors"]] == ["/body/body"]


async def test_a_malformed_multipart_body_is_not_logged_as_a_warning(
    app: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """python-multipart logs each header it cannot parse ("Found invalid character 13 in header
    at 77", id4i.de's example-stub contract run) before the runtime answers it: the client's
    mistake, already answered 4xx, as noise in the server's log."""
    with caplog.at_level(logging.WARNING):
        async with client(app) as c:
            res = await c.post(
                "/upload",
                content=b"--e917\r\nbad\rname: x\r\n\r\nv\r\n--e917--\r\n",
                headers={"content-type": "multipart/form-data; boundary=e917"},
            )
    assert problem(res, 422)
    assert not [r for r in caplog.records if r.name.startswith("python_multipart")], caplog.text


CLOSED_FORM = """
openapi: 3.0.3
info: {title: Certificates, version: "1"}
paths:
  /apps/{id}/pkcs12:
    post:
      operationId: uploadPkcs12
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              additionalProperties: false
              required: [p12File, p12Pass]
              properties:
                p12File: {type: string, format: binary}
                p12Pass: {type: string}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: integer}}}}
  /open:
    post:
      operationId: uploadOpen
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {type: object, properties: {name: {type: string}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: integer}}}}
"""


async def test_a_closed_form_refuses_fields_it_does_not_declare(make_api: MakeApi) -> None:
    # ably's `app_pkcs12` (additionalProperties: false): FastAPI's File/Form parameters read the
    # declared parts only, so an undeclared one went through (negative_data_rejection).
    api = make_api(CLOSED_FORM)

    class Apps:
        async def upload_pkcs12(self, *, id: str, body: Any) -> Any:
            return len(await body.p12_file.read()) if body is not None else -1

        async def upload_open(self, *, body: Any) -> Any:
            return 0

    files = {"p12File": ("c.p12", b"\x00\x01", "application/octet-stream")}
    async with client(api.create_app(default=Apps())) as c:
        ok = await c.post("/apps/a/pkcs12", files=files, data={"p12Pass": "s"})
        extra = await c.post("/apps/a/pkcs12", files=files, data={"p12Pass": "s", "x-other": "1"})
        absent = await c.post("/apps/a/pkcs12")
        open_extra = await c.post("/open", data={"name": "n", "x-other": "1"})
    assert ok.status_code == 200 and ok.json() == 2, ok.text
    assert [e["pointer"] for e in problem(extra, 422)["errors"]] == ["/body/x-other"]
    assert absent.status_code == 200 and absent.json() == -1, absent.text  # optional body
    assert open_extra.status_code == 200, open_extra.text  # other properties allowed there


REPEATED = """
openapi: 3.1.0
info: {title: Repeated parts, version: "1"}
paths:
  /notes:
    post:
      operationId: addNote
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [title]
              properties:
                title: {type: string}
                count: {type: integer}
                tags: {type: array, items: {type: string}}
                either: {anyOf: [{type: integer}, {type: string}]}
                many: {anyOf: [{type: string}, {type: array, items: {type: string}}]}
                range:
                  type: object
                  properties: {min: {type: integer}, max: {type: integer}}
            encoding:
              range: {style: deepObject, explode: true}
      responses:
        "200": {description: ok, content: {text/plain: {schema: {type: string}}}}
        "400": {description: bad, content: {application/problem+json: {schema: {}}}}
  /scans:
    post:
      operationId: addScan
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [doc]
              properties:
                doc: {type: string, format: binary}
                pages: {type: array, items: {type: string, format: binary}}
                meta: {type: object, properties: {n: {type: integer}}}
                lines:
                  type: array
                  items: {type: object, properties: {sku: {type: string}}}
                mixed: {anyOf: [{type: integer}, {description: an upload or a file_id}]}
                note: {type: string}
      responses:
        "200": {description: ok, content: {text/plain: {schema: {type: string}}}}
  /memos:
    post:
      operationId: addMemo
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema: {type: object, properties: {title: {type: string}}}
      responses:
        "204": {description: ok}
        "400": {description: bad, content: {text/plain: {schema: {type: string}}}}
  /clips:
    post:
      operationId: addClip
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                clip: {anyOf: [{type: integer}, {description: an upload or a file_id}]}
                caption: {type: string}
      responses:
        "200": {description: ok, content: {text/plain: {schema: {type: string}}}}
  /things:
    post:
      operationId: addThing
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Thing"}
          application/x-www-form-urlencoded:
            schema: {$ref: "#/components/schemas/Thing"}
      responses:
        "200": {description: ok, content: {text/plain: {schema: {type: string}}}}
components:
  schemas:
    Thing:
      type: object
      properties:
        name: {type: string}
        meta: {type: object, properties: {n: {type: integer}}}
        tags: {type: array, items: {type: string}}
"""


@pytest.fixture(scope="module")
def repeated(make_api: MakeApi) -> GeneratedApi:
    return make_api(REPEATED)


def repeated_app(api: GeneratedApi, seen: list[Any] | None = None) -> Any:
    r = api.responses

    def plain(value: Any) -> Any:
        while hasattr(value, "root"):
            value = value.root
        if hasattr(value, "model_dump"):
            return value.model_dump()
        return value.filename if hasattr(value, "filename") else value

    class Service:
        async def add_note(self, *, body: Any) -> Any:
            fields = ("title", "count", "tags", "either", "many", "range")
            return r.AddNote200Response(
                body=json.dumps({f: plain(getattr(body, f)) for f in fields})
            )

        async def add_scan(self, *, body: Any) -> Any:
            if seen is not None:
                seen.append(body)
            fields = ("doc", "pages", "meta", "lines", "mixed", "note")
            return r.AddScan200Response(
                body=json.dumps(
                    {
                        f: [plain(v) for v in value] if isinstance(value, list) else plain(value)
                        for f in fields
                        for value in [getattr(body, f)]
                    }
                )
            )

        async def add_memo(self, *, body: Any) -> None:
            return None

        async def add_clip(self, *, body: Any) -> Any:
            if seen is not None:
                seen.append(body.clip.root)  # the part's RootModel holds the upload
            return r.AddClip200Response(body=json.dumps([plain(body.clip), body.caption]))

        async def add_thing(self, *, body: Any) -> Any:
            return r.AddThing200Response(body=json.dumps(body.model_dump(exclude_none=True)))

    return api.create_app(default=Service())


URLENCODED = {"content-type": "application/x-www-form-urlencoded"}


@pytest.mark.parametrize(
    "sent, field",
    [
        ("title=a&title=b", "title"),
        ("title=a&count=1&count=2", "count"),
        ("title=a&either=1&either=x", "either"),
    ],
)
async def test_a_repeated_scalar_form_field_is_refused(
    repeated: GeneratedApi, sent: str, field: str
) -> None:
    # schemathesis' negative_data_rejection sends an array for a string (`a=1&a=2`, digitallocker's
    # example-stub run), and FastAPI's Form() takes the last value: the schema refuses an array.
    async with client(repeated_app(repeated)) as c:
        res = await c.post("/notes", content=sent, headers=URLENCODED)
    errors = problem(res, 400)["errors"]  # the status the operation declares for invalid input
    assert [e["pointer"] for e in errors] == [f"/body/{field}"], errors
    assert "2 times" in errors[0]["detail"], errors


async def test_a_repeated_form_field_is_refused_in_the_declared_error_format(
    repeated: GeneratedApi,
) -> None:
    async with client(repeated_app(repeated)) as c:
        once = await c.post("/memos", content="title=a", headers=URLENCODED)
        twice = await c.post("/memos", content="title=a&title=b", headers=URLENCODED)
    assert once.status_code == 204, once.text
    assert twice.status_code == 400, twice.text
    assert twice.headers["content-type"].startswith("text/plain"), twice.headers
    assert "title" in twice.text, twice.text


async def test_a_repeated_form_field_its_schema_takes_as_an_array_is_collected(
    repeated: GeneratedApi,
) -> None:
    sent = "title=a&tags=x&tags=y&many=p&many=q&range[min]=1&range[max]=2"
    async with client(repeated_app(repeated)) as c:
        res = await c.post("/notes", content=sent, headers=URLENCODED)
        once = await c.post("/notes", content="title=a&many=p", headers=URLENCODED)
        deep = await c.post(
            "/notes", content="title=a&range[min]=1&range[min]=2", headers=URLENCODED
        )
    assert res.status_code == 200, res.text
    assert json.loads(res.text) == {
        "title": "a",
        "count": None,
        "tags": ["x", "y"],
        "either": None,
        "many": ["p", "q"],
        "range": {"min": 1, "max": 2},
    }
    assert json.loads(once.text)["many"] == "p", once.text
    assert [e["pointer"] for e in problem(deep, 400)["errors"]] == ["/body/range/min"]


PART = (None, b"v", "text/plain")


@pytest.mark.parametrize(
    "parts, field",
    [
        ([("doc", PDF), ("doc", PDF)], "doc"),
        ([("doc", PDF), ("meta", (None, b'{"n": 1}', "application/json"))] * 2, "meta"),
        ([("doc", PDF), ("note", PART), ("note", PART)], "note"),
    ],
)
async def test_a_repeated_scalar_multipart_part_is_refused(
    repeated: GeneratedApi, parts: list[Any], field: str
) -> None:
    if field == "meta":
        parts = parts[:2] + parts[3:]  # one doc, two meta parts
    async with client(repeated_app(repeated)) as c:
        res = await c.post("/scans", files=parts)
    errors = problem(res, 422)["errors"]
    assert [e["pointer"] for e in errors] == [f"/body/{field}"], errors


async def test_repeated_multipart_parts_of_arrays_are_collected(repeated: GeneratedApi) -> None:
    parts = [
        ("doc", PDF),
        ("pages", ("1.png", b"1", "image/png")),
        ("pages", ("2.png", b"2", "image/png")),
        ("lines", (None, b'{"sku": "a"}', "application/json")),
        ("lines", (None, b'{"sku": "b"}', "application/json")),
        ("meta", ("meta.json", b'{"n": 1}', "application/json")),  # a JSON part sent as a file
    ]
    async with client(repeated_app(repeated)) as c:
        res = await c.post("/scans", files=parts)
    assert res.status_code == 200, res.text
    seen = json.loads(res.text)
    assert seen["pages"] == ["1.png", "2.png"]
    assert seen["lines"] == [{"sku": "a"}, {"sku": "b"}]
    assert seen["meta"] == {"n": 1}


async def test_an_empty_json_part_is_empty_text_not_an_absent_field(repeated: GeneratedApi) -> None:
    # as for text fields (rt.form_value): `meta=` is the empty string, which is no JSON document
    # (FastAPI's Form() read it as absent, so an optional object field took it as None)
    async with client(repeated_app(repeated)) as c:
        res = await c.post("/scans", files=[("doc", PDF), ("meta", (None, b"", "text/plain"))])
    assert [e["pointer"] for e in problem(res, 422)["errors"]] == ["/body/meta"]


async def test_a_repeated_structured_field_of_a_json_body_sent_as_a_form_is_refused(
    repeated: GeneratedApi,
) -> None:
    async with client(repeated_app(repeated)) as c:
        meta = await c.post("/things", content='meta={"n":1}&meta={"n":2}', headers=URLENCODED)
        name = await c.post("/things", content="name=a&name=b", headers=URLENCODED)
        tags = await c.post("/things", content="name=a&tags=x&tags=y", headers=URLENCODED)
    assert [e["pointer"] for e in problem(meta, 422)["errors"]] == ["/body/meta"]
    assert [e["pointer"] for e in problem(name, 422)["errors"]] == ["/body/name"]
    assert tags.status_code == 200 and json.loads(tags.text) == {"name": "a", "tags": ["x", "y"]}


async def test_uploads_read_for_any_form_field_are_closed_after_the_response(
    repeated: GeneratedApi,
) -> None:
    # a union with a text member takes an upload as it is (rt.form_mixed): in a form without a
    # file field, nothing closed its spooled file; every form's files are closed after the response
    seen: list[Any] = []
    parts = [("clip", ("c.gif", b"GIF89a", "image/gif")), ("caption", (None, b"hi", "text/plain"))]
    async with client(repeated_app(repeated, seen)) as c:
        res = await c.post("/clips", files=parts)
    assert res.status_code == 200, res.text
    assert json.loads(res.text) == ["c.gif", "hi"]
    assert seen[0].file.closed
