"""Schemas: discriminators, enums, nullable and type arrays, const, readOnly/writeOnly,
additionalProperties/patternProperties, recursion, ``$ref`` with siblings, formats."""

from __future__ import annotations

import datetime
import decimal
import json
import typing
import uuid
from typing import Any

import pytest
from pydantic import ValidationError

from tests.e2e.conftest import GeneratedApi, MakeApi, client

SPEC = """
openapi: 3.1.0
info: {title: Schemas, version: "1"}
paths:
  /pets:
    post:
      operationId: addPet
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}}
  /accounts:
    post:
      operationId: createAccount
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Account"}}}
      responses:
        "201": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Account"}}}}
  /groups:
    post:
      operationId: createGroup
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Group"}}}
      responses:
        "204": {description: created}
components:
  schemas:
    Pet:
      oneOf: [{$ref: "#/components/schemas/Cat"}, {$ref: "#/components/schemas/Dog"}]
      discriminator:
        propertyName: kind
        mapping: {cat: "#/components/schemas/Cat", dog: "#/components/schemas/Dog"}
    Cat:
      type: object
      required: [kind]
      properties: {kind: {const: cat}, lives: {type: integer, default: 9}}
    Dog:
      type: object
      required: [kind]
      properties: {kind: {const: dog}, good: {type: boolean}}
    Color: {type: string, enum: [red, green], default: red}
    Level: {type: integer, enum: [1, 2, 3]}
    Mixed: {enum: [a, 1, true]}
    MailEnabled: {type: boolean, enum: [false]}
    Account:
      type: object
      required: [name]
      properties:
        id: {type: string, format: uuid, readOnly: true}
        password: {type: string, writeOnly: true}
        name: {type: string}
        nickname: {type: [string, "null"]}
        color: {$ref: "#/components/schemas/Color"}
        level: {$ref: "#/components/schemas/Level"}
        mixed: {$ref: "#/components/schemas/Mixed"}
        mail: {$ref: "#/components/schemas/MailEnabled"}
        flag: {type: boolean, enum: [true]}
        created: {type: string, format: date-time}
        birthday: {type: string, format: date}
        email: {type: string, format: email}
        site: {type: string, format: uri}
        big: {type: integer, format: int64}
        raw: {type: string, format: byte}
        amount: {type: string, format: decimal, pattern: '^-?\\d{0,10}(?:\\.\\d{0,2})?$'}
        price: {type: number, format: decimal}
        start: {type: string, format: unixtime}
        count: {type: string, format: integer}
        labels: {type: object, additionalProperties: {type: string}}
        metrics: {type: object, patternProperties: {"^m_": {type: number}}}
        codes: {type: object, patternProperties: {"^[A-Z]+$": {type: integer}}, additionalProperties: false}
        parent: {$ref: "#/components/schemas/Account", description: a $ref with a sibling}
        children: {type: array, items: {$ref: "#/components/schemas/Node"}}
    Group:
      type: object
      required: [mailEnabled, securityEnabled, level]
      properties:
        mailEnabled: {$ref: "#/components/schemas/MailEnabled"}
        securityEnabled: {type: boolean, enum: [true]}
        level: {$ref: "#/components/schemas/Level"}
    Node:
      type: object
      properties:
        next: {$ref: "#/components/schemas/Other"}
    Other:
      type: object
      properties:
        back: {$ref: "#/components/schemas/Node"}
"""


@pytest.fixture(scope="module")
def api(make_api: MakeApi) -> GeneratedApi:
    return make_api(SPEC)


def test_discriminated_union(api: GeneratedApi) -> None:
    m = api.models
    cat = m.Pet.model_validate({"kind": "cat"})
    assert type(cat.root).__name__ == "Cat" and cat.root.lives == 9
    assert type(m.Pet.model_validate({"kind": "dog", "good": True}).root).__name__ == "Dog"
    with pytest.raises(ValidationError):
        m.Pet.model_validate({"kind": "cow"})


def test_enums_and_defaults(api: GeneratedApi) -> None:
    m = api.models
    assert [c.value for c in m.Color] == ["red", "green"]
    assert [c.value for c in m.Level] == [1, 2, 3]
    account = m.AccountRequest(name="a")
    assert account.color is None or account.color.value == "red"
    with pytest.raises(ValidationError):
        m.AccountRequest(name="a", level=7)


@pytest.mark.parametrize("level", ["true", "false"])
def test_an_integer_enum_refuses_booleans(api: GeneratedApi, level: str) -> None:
    # pdfbroker.io: `yOrigin: false` was accepted as the member 0 (pydantic compares enum
    # members by value, even strictly, and False == 0); an enum that lists true keeps it.
    m = api.models
    with pytest.raises(ValidationError, match="not a boolean"):
        m.AccountRequest.model_validate_json(f'{{"name": "a", "level": {level}}}', strict=True)
    with pytest.raises(ValidationError, match="not a boolean"):
        m.AccountRequest(name="a", level=level == "true")
    assert m.AccountRequest.model_validate_json('{"name": "a", "level": 1}').level == 1
    mixed = m.AccountRequest.model_validate_json('{"name": "a", "mixed": true}', strict=True)
    assert mixed.mixed is not None


def test_byte_format_holds_any_bytes(api: GeneratedApi) -> None:
    # windows.net's graphrbac: `customKeyIdentifier: {format: byte}` was a Base64Str, which
    # decodes the bytes as UTF-8 too, so base64 of binary data ("1CFm": d4 21 66) was refused.
    m = api.models
    account = m.AccountRequest.model_validate_json('{"name": "a", "raw": "1CFm"}')
    assert account.raw == b"\xd4\x21\x66"
    assert json.loads(account.model_dump_json(exclude_unset=True)) == {"name": "a", "raw": "1CFm"}
    built = m.AccountRequest(name="a", raw=b"/w==")  # pydantic takes the base64 text
    assert built.raw == b"\xff" and built.model_dump(mode="json")["raw"] == "/w=="


@pytest.mark.parametrize("amount", ["", "-", "12.5", "-.5"])
def test_a_decimal_string_is_any_string_its_schema_allows(api: GeneratedApi, amount: str) -> None:
    # nordigen's `amount: {type: string, format: decimal, pattern: ^-?\d{0,10}(?:\.\d{0,2})?$}`
    # was a Decimal, which refused "" and "-" that the pattern allows: `decimal` is no JSON
    # Schema format, an annotation, so the pattern alone decides.
    m = api.models
    account = m.AccountRequest.model_validate_json(json.dumps({"name": "a", "amount": amount}))
    assert account.amount == amount
    assert json.loads(account.model_dump_json(exclude_unset=True))["amount"] == amount
    with pytest.raises(ValidationError):
        m.AccountRequest.model_validate_json('{"name": "a", "amount": "1.234"}')
    price = m.AccountRequest.model_validate_json('{"name": "a", "price": 1.5}').price
    assert isinstance(price, decimal.Decimal) and price == decimal.Decimal("1.5")


@pytest.mark.parametrize("field", ["start", "count"])
def test_a_string_of_an_integer_format_stays_a_string(api: GeneratedApi, field: str) -> None:
    # rumble.run's `scan-start: {type: string, format: unixtime, example: "0"}` was the
    # library's int64: the text "0" its schema allows was refused "Input should be a valid
    # integer", and a JSON number taken.
    m = api.models
    account = m.AccountRequest.model_validate_json(json.dumps({"name": "a", field: "0"}))
    assert getattr(account, field) == "0"
    with pytest.raises(ValidationError):
        m.AccountRequest.model_validate_json(json.dumps({"name": "a", field: 0}))


@pytest.mark.parametrize("field", ["mail", "flag"])
@pytest.mark.parametrize("number", ["0", "1", "0.0"])
def test_a_boolean_enum_refuses_numbers(api: GeneratedApi, field: str, number: str) -> None:
    # windows.net's graphrbac: `mailEnabled: {type: boolean, enum: [false]}` took 0 (an Enum of
    # False, and pydantic compares members by value: 0 == False).
    m = api.models
    with pytest.raises(ValidationError, match="not a number"):
        m.AccountRequest.model_validate_json(f'{{"name": "a", "{field}": {number}}}')
    mail = m.AccountRequest.model_validate_json('{"name": "a", "mail": false, "flag": true}')
    assert mail.mail is not None and mail.mail.value is False
    assert mail.flag is not None and mail.flag.value is True


GROUP = {"mailEnabled": False, "securityEnabled": True, "level": 1}


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("mailEnabled", 0, "not a number"),
        ("securityEnabled", 1, "not a number"),
        ("securityEnabled", 1.0, "not a number"),
        ("level", True, "not a boolean"),
    ],
)
def test_an_enum_pydantic_builds_as_a_definition_is_as_strict(
    api: GeneratedApi, field: str, value: Any, message: str
) -> None:
    # graphrbac's GroupCreateParameters: a required `mailEnabled: enum [false]` is an Enum that
    # pydantic builds as a definition of its own (a definition-ref in the model's schema): it
    # took 0 where the same Enum in an optional field refused it.
    m = api.models
    with pytest.raises(ValidationError, match=message):
        m.Group.model_validate_json(json.dumps({**GROUP, field: value}))
    group = m.Group.model_validate_json(json.dumps(GROUP))
    assert (group.mailEnabled.value, group.securityEnabled.value, group.level.value) == (
        False,
        True,
        1,
    )


def test_read_only_and_write_only_shapes(api: GeneratedApi) -> None:
    m = api.models
    assert "id" not in m.AccountRequest.model_fields
    assert "password" in m.AccountRequest.model_fields
    assert "password" not in m.AccountResponse.model_fields
    assert "id" in m.AccountResponse.model_fields


def test_nullable_formats_maps_and_recursion(api: GeneratedApi) -> None:
    m = api.models
    a = m.AccountResponse.model_validate(
        {
            "name": "n",
            "nickname": None,
            "id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
            "created": "2024-01-02T03:04:05Z",
            "birthday": "2024-01-02",
            "email": "a@example.com",
            "site": "https://example.com",
            "big": 2**62,
            "labels": {"x": "y"},
            "metrics": {"m_a": 1.5},
            "parent": {"name": "p"},
            "children": [{"next": {"back": {"next": {}}}}],
        }
    )
    assert a.nickname is None
    assert isinstance(a.id, uuid.UUID)
    assert isinstance(a.created, datetime.datetime) and isinstance(a.birthday, datetime.date)
    assert a.big == 2**62
    assert a.parent is not None and a.parent.name == "p"
    assert a.email == "a@example.com" and a.site == "https://example.com"  # kept as strings
    with pytest.raises(ValidationError):
        m.AccountResponse.model_validate({"name": "n", "birthday": "not-a-date"})


@pytest.mark.parametrize(
    ("field", "value", "valid"),
    [
        ("metrics", {"m_a": 1.5, "m_b": 2}, True),
        ("metrics", {"other": "any value"}, True),  # matches no pattern: allowed
        ("metrics", {"m_a": "1.5"}, False),
        ("metrics", {"m_a": None}, False),
        ("codes", {"AB": 1}, True),
        ("codes", {"ab": 1}, False),  # additionalProperties: false
        ("codes", {"AB": "1"}, False),
    ],
)
def test_pattern_properties(api: GeneratedApi, field: str, value: Any, valid: bool) -> None:
    data = json.dumps({"name": "n", field: value})
    if valid:
        assert getattr(api.models.AccountResponse.model_validate_json(data), field) == value
    else:
        with pytest.raises(ValidationError, match=field):
            api.models.AccountResponse.model_validate_json(data, strict=True)


async def test_over_http(api: GeneratedApi) -> None:
    r = api.responses

    class Service:
        async def add_pet(self, *, body: Any) -> Any:
            return body

        async def create_account(self, *, body: Any) -> Any:
            data = body.model_dump(exclude_unset=True)
            data.pop("password", None)
            data["id"] = uuid.UUID(int=1)
            return r.CreateAccount201Response(body=api.models.AccountResponse(**data))

        async def create_group(self, *, body: Any) -> None:
            return None

    app = api.create_app(default=Service())
    async with client(app) as c:
        cat = await c.post("/pets", json={"kind": "cat"})
        cow = await c.post("/pets", json={"kind": "cow"})
        acc = await c.post("/accounts", json={"name": "a", "password": "s"})
        group = await c.post("/groups", json=GROUP)
        mail = await c.post("/groups", json={**GROUP, "mailEnabled": 0})
    assert group.status_code == 204, group.text
    assert mail.status_code == 422, mail.text
    assert cat.json() == {"kind": "cat"}
    assert cow.status_code == 422
    assert acc.status_code == 201
    assert acc.json() == {"name": "a", "id": str(uuid.UUID(int=1))}
    hints = typing.get_type_hints(api.services.DefaultService.create_account, vars(api.services))
    assert hints["body"].__name__ == "AccountRequest"


# Patterns pydantic's default (Rust) engine refuses: one compiles past its size limit
# (seldon.local's), one looks ahead. Root models must use the same engine as the other models.
PATTERNS = """
openapi: 3.0.3
info: {title: Patterns, version: "1"}
paths:
  /codes:
    post:
      operationId: addCode
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Code"}}}
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/Tagged"}}}
components:
  schemas:
    Code: {type: string, maxLength: 2097152, pattern: "^.{1,2097152}"}
    Tag: {type: string, pattern: "^(?!x)[a-z]+$"}
    Tagged:
      type: object
      properties:
        code: {$ref: "#/components/schemas/Code"}
        tags: {type: array, items: {$ref: "#/components/schemas/Tag"}}
"""


async def test_root_models_with_patterns_the_default_engine_refuses(make_api: MakeApi) -> None:
    api = make_api(PATTERNS)
    m = api.models
    assert m.Code.model_validate("a").root == "a"
    with pytest.raises(ValidationError):
        m.Code.model_validate("")
    assert m.Tagged.model_validate({"code": "c", "tags": ["ab"]}).tags[0].root == "ab"
    with pytest.raises(ValidationError):
        m.Tag.model_validate("xy")

    class Service:
        async def add_code(self, *, body: Any) -> Any:
            return m.Tagged(code=body, tags=[])

    async with client(api.create_app(default=Service())) as c:
        ok = await c.post("/codes", json="abc")
        empty = await c.post("/codes", json="")
    assert ok.status_code == 200 and ok.json() == {"code": "abc", "tags": []}
    assert empty.status_code == 422


# ably's control API: a discriminator over members that do not all require its property
# (`aws_access_keys` leaves `authenticationMode` out of `required`). JSON Schema takes a value
# without it when one member does; pydantic's tagged union refused it ("unable to extract tag").
OPTIONAL_TAG = """
openapi: 3.0.3
info: {title: Optional tag, version: "1"}
paths:
  /targets:
    post:
      operationId: addTarget
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Target"}}}
      responses:
        "201": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Target"}}}}
components:
  schemas:
    Keys:
      type: object
      additionalProperties: false
      required: [keyId, secret]
      properties:
        keyId: {type: string}
        secret: {type: string}
        mode: {type: string, enum: [credentials]}
    Role:
      type: object
      additionalProperties: false
      required: [arn, mode]
      properties:
        arn: {type: string}
        mode: {type: string, enum: [assumeRole]}
    Target:
      type: object
      additionalProperties: false
      required: [auth]
      properties:
        auth:
          oneOf: [{$ref: "#/components/schemas/Keys"}, {$ref: "#/components/schemas/Role"}]
          discriminator:
            propertyName: mode
            mapping: {credentials: "#/components/schemas/Keys", assumeRole: "#/components/schemas/Role"}
"""


async def test_a_discriminator_some_member_does_not_require_is_a_plain_union(
    make_api: MakeApi,
) -> None:
    api = make_api(OPTIONAL_TAG)

    class Service:
        async def add_target(self, *, body: Any) -> Any:
            return body

    async with client(api.create_app(default=Service())) as c:
        untagged = await c.post("/targets", json={"auth": {"keyId": "k", "secret": "s"}})
        tagged = await c.post("/targets", json={"auth": {"mode": "assumeRole", "arn": "a"}})
        keys = {"mode": "credentials", "keyId": "k", "secret": "s"}
        tagged_keys = await c.post("/targets", json={"auth": keys})
        wrong_tag = await c.post("/targets", json={"auth": {"mode": "credentials", "arn": "a"}})
        neither = await c.post("/targets", json={"auth": {"arn": "a"}})  # Role requires mode
    assert untagged.status_code == 201, untagged.text
    assert untagged.json() == {"auth": {"keyId": "k", "secret": "s"}}
    assert tagged.status_code == 201 and tagged.json()["auth"]["arn"] == "a"
    assert tagged_keys.status_code == 201 and tagged_keys.json() == {"auth": keys}
    assert wrong_tag.status_code == 422
    assert neither.status_code == 422


IMPLICIT_TAGS = """
openapi: 3.0.3
info: {title: Implicit tags, version: "1"}
paths:
  /reports:
    post:
      operationId: createReport
      requestBody:
        required: true
        content:
          application/json:
            schema:
              oneOf: [{$ref: "#/components/schemas/VOICE-CALL"}, {$ref: "#/components/schemas/sms.v2"}]
              discriminator: {propertyName: product}
      responses:
        "201": {description: ok, content: {application/json: {schema: {type: object}}}}
components:
  schemas:
    VOICE-CALL:
      type: object
      required: [product]
      properties: {product: {type: string}, to: {type: string}}
    sms.v2:
      type: object
      required: [product]
      properties: {product: {type: string}, text: {type: string}}
"""


async def test_an_implicit_discriminator_value_is_the_schema_name_not_its_class_name(
    make_api: MakeApi,
) -> None:
    """OpenAPI's implicit mapping tags a member with its component's name, which need not
    be a Python identifier (``VOICE-CALL`` becomes class ``VOICECALL``)."""
    api = make_api(IMPLICIT_TAGS)

    received: list[tuple[str, dict[str, Any]]] = []

    class Service:
        async def create_report(self, *, body: Any) -> Any:
            received.append((type(body.root).__name__, body.model_dump(exclude_unset=True)))
            return {}

    async with client(api.create_app(default=Service())) as c:
        voice = await c.post("/reports", json={"product": "VOICE-CALL", "to": "x"})
        sms = await c.post("/reports", json={"product": "sms.v2", "text": "hi"})
        mangled = await c.post("/reports", json={"product": "VOICECALL"})
    assert voice.status_code == 201, voice.text
    assert sms.status_code == 201, sms.text
    assert mangled.status_code == 422
    assert received == [
        ("VOICECALL", {"product": "VOICE-CALL", "to": "x"}),
        ("SmsV2", {"product": "sms.v2", "text": "hi"}),
    ]


# wealthreader.com: `type: array` beside `properties` (and `items`). JSON Schema applies
# `properties` to objects only, so the schema takes arrays alone; datamodel-code-generator
# read the properties as another shape (`list[...] | Accounts1`) and took any object too.
# `type: integer` beside `properties` became a class that refused every integer.
KEYWORDS_OF_OTHER_TYPES = """
openapi: 3.0.3
info: {title: Keywords of other types, version: "1"}
paths:
  /accounts:
    post:
      operationId: addAccounts
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/accounts"}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/accounts"}}}}
  /counts:
    post:
      operationId: addCount
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/count"}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/count"}}}}
components:
  schemas:
    accounts:
      type: array
      items: {type: object}
      required: [uuid]
      properties:
        uuid: {type: string}
    count:
      type: integer
      properties:
        total: {type: integer}
"""


async def test_keywords_of_a_type_the_schema_excludes_make_no_shape(make_api: MakeApi) -> None:
    api = make_api(KEYWORDS_OF_OTHER_TYPES)
    m = api.models
    assert m.Accounts.model_validate([{"a": 1}]).root == [{"a": 1}]
    with pytest.raises(ValidationError):
        m.Accounts.model_validate({"uuid": "x"})
    assert m.Count.model_validate(3).root == 3

    class Service:
        async def add_accounts(self, *, body: Any) -> Any:
            return body

        async def add_count(self, *, body: Any) -> Any:
            return body

    async with client(api.create_app(default=Service())) as c:
        listed = await c.post("/accounts", json=[{"uuid": "u"}])
        single = await c.post("/accounts", json={"uuid": "u"})
        count = await c.post("/counts", json=3)
        counted = await c.post("/counts", json={"total": 3})
    assert listed.status_code == 200 and listed.json() == [{"uuid": "u"}], listed.text
    assert single.status_code == 422, single.text
    assert count.status_code == 200 and count.json() == 3, count.text
    assert counted.status_code == 422, counted.text
