"""Request bodies (JSON, form, multipart, binary, text) and non-JSON responses."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from tests.e2e.conftest import GeneratedApi, MakeApi, client, problem
from tests.e2e.specs import BODIES


def make_service(api: GeneratedApi) -> Any:
    m, r = api.models, api.responses

    class Bodies:
        async def submit_form(self, *, body: Any) -> Any:
            return m.SubmitForm200ResponseBody(name=body.name, age=body.age)

        async def upload(self, *, body: Any) -> Any:
            data = await body.file.read()
            return r.Upload200Response(body=f"{body.file.filename}:{len(data)}:{body.note}")

        async def put_blob(self, *, body: bytes) -> Any:
            return r.PutBlob200Response(body=body[::-1], x_size=len(body))

        async def shout(self, *, body: str) -> Any:
            async def chunks() -> Any:
                for word in body.split():
                    yield word.upper() + "!"

            return r.Shout200Response(body=chunks())

    return Bodies()


@pytest.fixture(scope="module")
def api(make_api: MakeApi) -> GeneratedApi:
    return make_api(BODIES)


@pytest.fixture
def app(api: GeneratedApi) -> Any:
    return api.create_app(default=make_service(api))


async def test_form_body(app: Any) -> None:
    async with client(app) as c:
        full = await c.post("/form", data={"name": "Ann", "age": "41"})
        partial = await c.post("/form", data={"name": "Bo"})
        missing = await c.post("/form", data={"age": "3"})
        not_int = await c.post("/form", data={"name": "Cy", "age": "old"})
    assert full.status_code == 200 and full.json() == {"name": "Ann", "age": 41}
    assert partial.json() == {"name": "Bo", "age": None}
    assert [e["pointer"] for e in problem(missing, 422)["errors"]] == ["/body/name"]
    assert [e["pointer"] for e in problem(not_int, 422)["errors"]] == ["/body/age"]


async def test_form_field_constraints_are_enforced(app: Any) -> None:
    async with client(app) as c:
        short = await c.post("/form", data={"name": "A"})  # minLength: 2
    assert [e["pointer"] for e in problem(short, 422)["errors"]] == ["/body/name"]


async def test_multipart_upload_and_text_response(app: Any) -> None:
    async with client(app) as c:
        res = await c.post(
            "/upload",
            files={"file": ("a.bin", b"12345", "application/octet-stream")},
            data={"note": "hi"},
        )
        no_file = await c.post("/upload", data={"note": "hi"})
    assert res.status_code == 200
    assert res.headers["content-type"].startswith("text/plain")
    assert res.text == "a.bin:5:hi"
    assert [e["pointer"] for e in problem(no_file, 422)["errors"]] == ["/body/file"]


async def test_binary_body_and_binary_response_with_header(app: Any) -> None:
    async with client(app) as c:
        res = await c.put(
            "/blob",
            content=b"\x00\x01\xffabc",
            headers={"content-type": "application/octet-stream"},
        )
    assert res.status_code == 200
    assert res.headers["content-type"] == "application/octet-stream"
    assert res.headers["x-size"] == "6"
    assert res.content == b"cba\xff\x01\x00"


async def test_text_body_and_streamed_text_response(app: Any) -> None:
    async with client(app) as c:
        res = await c.post(
            "/text", content="make some noise", headers={"content-type": "text/plain"}
        )
    assert res.status_code == 200
    assert res.headers["content-type"].startswith("text/plain")
    assert res.text == "MAKE!SOME!NOISE!"


async def test_json_bodies_round_trip_unicode(app: Any) -> None:
    async with client(app) as c:
        res = await c.post("/form", data={"name": "Zoë ☃"})
    assert res.json()["name"] == "Zoë ☃"


OPTIONAL_FIELDS = """
openapi: 3.0.3
info: {title: Merge, version: '1'}
paths:
  /merge:
    post:
      operationId: merge
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                file: {type: array, items: {type: string, format: binary}}
      responses:
        '200': {description: Merged.}
  /note:
    post:
      operationId: note
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {type: object, properties: {text: {type: string}}}
      responses:
        '200': {description: Noted.}
"""


async def test_a_required_form_of_optional_fields_is_refused_when_absent(
    make_api: MakeApi,
) -> None:
    """pdfblocks' ``merge_documents``: no field refuses a request without a body, the
    endpoint does; an empty form under a form ``Content-Type`` stays valid, and an optional
    form body may be left out."""
    api = make_api(OPTIONAL_FIELDS)

    class Service:
        async def merge(self, *, body: Any) -> Any:
            return api.responses.Merge200Response()

        async def note(self, *, body: Any) -> Any:
            return api.responses.Note200Response()

    app = api.create_app(default=Service())
    async with client(app) as c:
        absent = await c.post("/merge")
        form = {"Content-Type": "multipart/form-data; boundary=x"}
        empty = await c.post("/merge", content=b"", headers=form)
        one = await c.post("/merge", files={"file": ("a.pdf", b"%PDF", "application/pdf")})
        optional = await c.post("/note")
    assert [e["pointer"] for e in problem(absent, 422)["errors"]] == ["/body"]
    assert one.status_code == 200, one.text
    assert empty.status_code == 200, empty.text
    assert optional.status_code == 200, optional.text


OPTIONAL_FORM = """
openapi: 3.0.3
info: {title: Spots, version: '1'}
paths:
  /spots:
    post:
      operationId: makeSpot
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string}
                take: {type: integer}
      responses:
        '201': {description: Made.}
"""


async def test_an_optional_form_body_with_required_fields_may_be_left_out(
    make_api: MakeApi,
) -> None:
    """prss.org's ``POST /api/v2/spots``: the body is optional, so a request without one is
    the service's ``body=None``; a form that is sent still needs its required fields."""
    api = make_api(OPTIONAL_FORM)
    seen: list[Any] = []

    class Service:
        async def make_spot(self, *, body: Any) -> Any:
            seen.append(body)
            return api.responses.MakeSpot201Response()

    app = api.create_app(default=Service())
    async with client(app) as c:
        absent = await c.post("/spots")
        sent = await c.post("/spots", data={"name": "a", "take": "2"})
        missing = await c.post("/spots", data={"take": "2"})
        empty = await c.post(
            "/spots", content=b"", headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
    assert absent.status_code == 201, absent.text
    assert sent.status_code == 201, sent.text
    assert seen[0] is None and (seen[1].name, seen[1].take) == ("a", 2)
    assert [e["pointer"] for e in problem(missing, 422)["errors"]] == ["/body/name"]
    assert [e["pointer"] for e in problem(empty, 422)["errors"]] == ["/body/name"]


LOCATED = """
openapi: 3.0.3
info: {title: Located, version: '1'}
paths:
  /things:
    post:
      operationId: makeThing
      parameters:
        - {name: at, in: query, required: true, schema: {type: string}}
      responses:
        '201':
          description: Made.
          headers:
            Location: {schema: {type: string}}
"""


@pytest.mark.parametrize(
    ("at", "bad"),
    [("/a\nLocation: /b", "'\\n' at 2"), ("/caf\u20ac", "'\u20ac' at 4")],
    ids=["line-break", "beyond-latin-1"],
)
async def test_a_header_value_http_cannot_carry_is_a_located_undeclared_response(
    make_api: MakeApi, caplog: pytest.LogCaptureFixture, at: str, bad: str
) -> None:
    """velopayments' ``Location`` example holds line breaks: an implementation returning
    such a value gets the 500 of an undeclared response naming the operation and the header,
    not a crash; a Latin-1 value still goes out as it always did."""
    api = make_api(LOCATED)

    class Service:
        async def make_thing(self, *, at: str) -> Any:
            return api.responses.MakeThing201Response(location=at)

    app = api.create_app(default=Service())
    with caplog.at_level(logging.ERROR, logger="specfirst"):
        async with client(app) as c:
            refused = await c.post("/things", params={"at": at})
            latin = await c.post("/things", params={"at": "/caf\u00e9"})
    assert "does not declare" in problem(refused, 500)["detail"]
    [record] = [r for r in caplog.records if r.name == "specfirst"]
    assert "'makeThing'" in record.getMessage()
    assert f"header Location: {bad} cannot be sent" in record.getMessage()
    assert latin.status_code == 201 and latin.headers.raw[-1] == (b"location", b"/caf\xe9")


UNDECLARED_REQUIRED = """
openapi: 3.0.3
info: {title: Meta, version: '1'}
paths:
  /meta:
    put:
      operationId: putMeta
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Meta'}
      responses:
        '200':
          description: Stored.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Meta'}
components:
  schemas:
    Meta:
      type: object
      required: [id, group]
      properties:
        id: {type: string}
        groupId: {type: string}
"""


async def test_a_required_name_the_schema_does_not_declare_is_in_the_model(
    make_api: MakeApi,
) -> None:
    """apicurio's ``ArtifactMetaData`` requires ``group`` beside its ``groupId``: the model
    requires it as the schema does (any value), so a request without it is refused and an
    implementation can send it."""
    api = make_api(UNDECLARED_REQUIRED)

    class Service:
        async def put_meta(self, *, body: Any) -> Any:
            return body

    app = api.create_app(default=Service())
    async with client(app) as c:
        without = await c.put("/meta", json={"id": "a", "groupId": "g"})
        with_group = await c.put("/meta", json={"id": "a", "group": {"any": ["value"]}})
    assert [e["pointer"] for e in problem(without, 422)["errors"]] == ["/body/group"]
    assert with_group.status_code == 200, with_group.text
    assert with_group.json() == {"id": "a", "group": {"any": ["value"]}}


CLOSED_UNDECLARED_REQUIRED = """
openapi: 3.0.1
info: {title: Staff, version: '1'}
paths:
  /employees:
    post:
      operationId: createEmployee
      requestBody:
        required: true
        content:
          application/json:
            schema:
              allOf: [{$ref: '#/components/schemas/Employee'}]
      responses:
        '200':
          description: Stored.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Employee'}
components:
  schemas:
    Employee:
      type: object
      additionalProperties: false
      required: [name, canApprove]
      properties:
        name: {type: string}
"""


async def test_a_required_name_beside_no_other_names_is_in_the_model(make_api: MakeApi) -> None:
    """e-conomic's ``Employee`` requires ``canApprove``, declares it nowhere and forbids other
    names (the body is an ``allOf`` of it): the model requires it with any value, so the body
    with it is accepted and one without it refused; other names stay refused."""
    api = make_api(CLOSED_UNDECLARED_REQUIRED)

    class Service:
        async def create_employee(self, *, body: Any) -> Any:
            return body

    app = api.create_app(default=Service())
    async with client(app) as c:
        with_it = await c.post("/employees", json={"name": "a", "canApprove": None})
        without = await c.post("/employees", json={"name": "a"})
        other = await c.post("/employees", json={"name": "a", "canApprove": 1, "x": 2})
    assert with_it.status_code == 200, with_it.text
    assert with_it.json() == {"name": "a", "canApprove": None}
    assert [e["pointer"] for e in problem(without, 422)["errors"]] == ["/body/canApprove"]
    assert [e["pointer"] for e in problem(other, 422)["errors"]] == ["/body/x"]


async def test_a_part_header_name_multipart_cannot_parse_is_an_invalid_request(app: Any) -> None:
    """velopayments' contract run printed ``Found invalid character 195 in header at 36``:
    python-multipart's own warning about a part header name with a non-ASCII byte, in a
    request the run sent on purpose. The request is refused as invalid (the operation's
    validation status, 422 here), with a problem, not a 500."""
    body = (
        '--x\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n'
        "X-Caf\u00e9: 1\r\n\r\nabc\r\n--x--\r\n"
    ).encode()
    async with client(app) as c:
        res = await c.post(
            "/upload", content=body, headers={"Content-Type": "multipart/form-data; boundary=x"}
        )
    assert problem(res, 422)["detail"] == "Invalid multipart data."
