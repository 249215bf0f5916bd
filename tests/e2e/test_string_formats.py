"""String formats (``email``, ``uri``, ``hostname``, ``ipv6``, ``time`` …) checked at run time.

Their values stay ``str`` (pydantic's ``EmailStr`` refuses ``x@host.test``, which the format
allows, and ``AnyUrl`` rewrites what it reads), so nothing checked them: a contract run on
ndhm-gateway and flat.io sent a body whose ``format: email`` or ``uri`` field held no address
(even ``""``) and the server answered 2xx. Now every such value is checked as schemathesis
judges it (jsonschema-rs), in bodies, parameters and form fields, and the type stays ``str``.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import GeneratedApi, MakeApi, client, problem

pytestmark = pytest.mark.filterwarnings("error")

# format -> (valid values, including what schemathesis generates; invalid values)
CASES: dict[str, tuple[list[str], list[str]]] = {
    "email": (["x@host.test", "a@b", '"a b"@c.d', "user@[127.0.0.1]"], ["", "a", "a@", "@b", "a b@c"]),
    "idn-email": (["é@ü.de", "x@host.test"], ["", "é"]),
    "uri": (["https://example.com/a?b=c", "urn:isbn:0451450523", "mailto:x@y"], ["", "a", "/rel", "http://a b"]),
    "uri-reference": (["", "/rel", "#frag", "https://a"], ["a b", "%zz"]),
    "iri": (["https://ü.de/ä"], ["", "/rel"]),
    "iri-reference": (["", "/ä"], ["a b"]),
    "hostname": (["example.com", "a"], ["", "-a", "a..b", "a_b"]),
    "ipv4": (["192.0.2.1"], ["", "01.2.3.4", "1.2.3", "::1"]),
    "ipv6": (["::1", "2001:db8::1", "::ffff:1.2.3.4"], ["", "fe80::1%eth0", "1.2.3.4"]),
    "time": (["09:30:00Z", "09:30:00.5+01:00"], ["", "09:30:00", "09:30", "9:30:00Z"]),
    "duration": (["P1D", "PT1H30M", "P1W"], ["", "P", "PT", "1", "PT0.5S"]),
    "uuid": (["3fa85f64-5717-4562-b3fc-2c963f66afa6"], ["", "3fa85f6457174562b3fc2c963f66afa6", "{3fa85f64-5717-4562-b3fc-2c963f66afa6}"]),
    "uri-template": (["https://example.com/{id}", ""], ["{"]),
}  # fmt: skip

FIELDS = {fmt: fmt.replace("-", "_") for fmt in CASES}
# read into objects by the types datamodel-code-generator gives them (UUID, IPv4Address, time,
# timedelta); every other format stays a ``str``
PARSED = {"uuid", "ipv4", "ipv6", "time", "duration"}


def _spec(openapi: str) -> str:
    props = "\n".join(
        f"        {name}: {{type: string, format: {fmt}}}" for fmt, name in FIELDS.items()
    )
    params = "\n".join(
        f"        - {{name: {name}, in: query, schema: {{type: string, format: {fmt}}}}}"
        for fmt, name in FIELDS.items()
    )
    return f"""
openapi: {openapi}
info: {{title: Formats, version: '1'}}
paths:
  /things:
    post:
      operationId: createThing
      requestBody:
        required: true
        content:
          application/json:
            schema: {{$ref: '#/components/schemas/Thing'}}
          application/x-www-form-urlencoded:
            schema: {{$ref: '#/components/schemas/Thing'}}
      responses:
        '200': {{$ref: '#/components/responses/Echo'}}
    get:
      operationId: findThings
      parameters:
{params}
        - {{name: X-Mail, in: header, schema: {{type: string, format: email}}}}
        - name: mails
          in: query
          style: form
          explode: false
          schema: {{type: array, items: {{type: string, format: email}}}}
      responses:
        '200': {{$ref: '#/components/responses/Echo'}}
  /hosts/{{host}}:
    get:
      operationId: getHost
      parameters:
        - {{name: host, in: path, required: true, schema: {{type: string, format: hostname}}}}
      responses:
        '200': {{$ref: '#/components/responses/Echo'}}
  /uploads:
    post:
      operationId: upload
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [file, owner]
              properties:
                file: {{type: string, format: binary}}
                owner: {{type: string, format: email}}
      responses:
        '200': {{$ref: '#/components/responses/Echo'}}
components:
  schemas:
    Mail: {{type: string, format: email}}
    Thing:
      type: object
      properties:
{props}
        mails: {{type: array, items: {{type: string, format: email}}}}
        maybe: {{type: [string, 'null'], format: email}}
        contact: {{$ref: '#/components/schemas/Mail'}}
        note: {{type: string, format: email, enum: [not an address]}}
  responses:
    Echo:
      description: what the service received, as Python reprs
      content:
        application/json:
          schema:
            type: object
            required: [echo]
            properties:
              echo: {{type: string}}
"""


@pytest.fixture(scope="module")
def api(make_api: MakeApi) -> GeneratedApi:
    return make_api(_spec("3.1.0"))


@pytest.fixture
def app(api: GeneratedApi) -> Any:
    def reply(*values: Any) -> Any:
        return api.models.FindThings200ResponseBody(echo=" ".join(repr(v) for v in values))

    class Service:
        async def create_thing(self, *, body: Any) -> Any:
            return reply(body.model_dump(exclude_none=True))

        async def find_things(self, **params: Any) -> Any:
            return reply(*(params[k] for k in sorted(params) if params[k] is not None))

        async def get_host(self, *, host: Any) -> Any:
            return reply(host)

        async def upload(self, *, body: Any) -> Any:
            return reply(body.owner)

    return api.create_app(default=Service())


def _pointers(response: Any) -> list[str]:
    return [e["pointer"] for e in problem(response, 422)["errors"]]


@pytest.mark.parametrize(
    ("fmt", "value"), [(fmt, v) for fmt, (good, _) in CASES.items() for v in good]
)
async def test_a_valid_value_is_accepted_and_kept_as_sent(app: Any, fmt: str, value: str) -> None:
    name = FIELDS[fmt]
    async with client(app) as c:
        body = await c.post("/things", json={name: value})
        form = await c.post("/things", data={name: value})
        query = await c.get("/things", params={name: value})
    expected = {name: value}
    if fmt in PARSED:
        assert body.status_code == 200, body.text
        assert form.status_code == 200, form.text
    else:
        assert body.json()["echo"] == repr(expected)  # a str, exactly as sent
        assert form.json()["echo"] == repr(expected)
    assert query.status_code == 200, query.text


@pytest.mark.parametrize(
    ("fmt", "value"), [(fmt, v) for fmt, (_, bad) in CASES.items() for v in bad]
)
async def test_an_invalid_value_is_refused_where_it_is(app: Any, fmt: str, value: str) -> None:
    name = FIELDS[fmt]
    async with client(app) as c:
        body = await c.post("/things", json={name: value})
        form = await c.post("/things", data={name: value})
        query = await c.get("/things", params={name: value})
    assert _pointers(body) == [f"/body/{name}"]
    assert _pointers(form) == [f"/body/{name}"]
    assert _pointers(query) == [f"/query/{name}"]
    detail = problem(body, 422)["errors"][0]["detail"]
    assert f"(format {fmt})" in detail, detail


async def test_items_root_models_headers_paths_and_parts_are_checked(app: Any) -> None:
    async with client(app) as c:
        good = await c.post(
            "/things", json={"mails": ["a@b.c"], "maybe": None, "contact": "x@host.test"}
        )
        item = await c.post("/things", json={"mails": ["a@b.c", "nope"]})
        nullable = await c.post("/things", json={"maybe": "nope"})
        root = await c.post("/things", json={"contact": "nope"})
        header = await c.get("/things", headers={"X-Mail": "nope"})
        styled = await c.get("/things", params={"mails": "a@b.c,nope"})
        path = await c.get("/hosts/-bad")
        part = await c.post("/uploads", files={"file": ("a.txt", b"x")}, data={"owner": "nope"})
        part_ok = await c.post(
            "/uploads", files={"file": ("a.txt", b"x")}, data={"owner": "x@host.test"}
        )
        enum = await c.post("/things", json={"note": "not an address"})
    assert good.status_code == 200, good.text
    assert _pointers(item) == ["/body/mails/1"]
    assert _pointers(nullable) == ["/body/maybe"]
    assert _pointers(root) == ["/body/contact"]
    assert _pointers(header) == ["/header/X-Mail"]
    assert _pointers(styled)[0].startswith("/query/mails")
    assert _pointers(path) == ["/path/host"]
    assert _pointers(part) == ["/body/owner"]
    assert part_ok.json()["echo"] == "'x@host.test'"
    assert enum.status_code == 200, enum.text  # an enum's members decide, not the format


def test_the_types_stay_str(api: GeneratedApi) -> None:
    thing = api.models.Thing(email="x@host.test", uri="https://example.com")
    assert type(thing.email) is str and thing.email == "x@host.test"
    assert thing.uri == "https://example.com"  # not rewritten (AnyUrl would add a slash)
    assert thing.model_dump(exclude_none=True) == {"email": "x@host.test", "uri": "https://example.com"}  # fmt: skip


def test_a_uuid_under_openapi_30_is_pydantics(make_api: MakeApi) -> None:
    """Under OpenAPI 3.0 schemathesis reads ``uuid`` as Python's ``uuid.UUID`` does, which
    accepts every form pydantic's ``UUID`` accepts (no hyphens, braces): no check is added."""
    api = make_api(_spec("3.0.3").replace("{type: [string, 'null'], format: email}", "{type: string, format: email, nullable: true}"))  # fmt: skip
    braced = "{3fa85f64-5717-4562-b3fc-2c963f66afa6}"
    assert str(api.models.Thing.model_validate_json(f'{{"uuid": "{braced}"}}').uuid) == braced[1:-1]
    with pytest.raises(ValueError, match="format email"):
        api.models.Thing.model_validate_json('{"email": "nope"}')
