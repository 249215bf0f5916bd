"""Names: keywords, leading digits, collisions after snake-casing, non-ASCII, very long names,
missing operationIds, missing or shared tags, duplicate operationIds (a diagnostic)."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from specfirst.pipeline import generate
from tests.e2e.conftest import GeneratedApi, MakeApi, client

LONG = "a" * 120

SPEC = f"""
openapi: 3.0.3
info: {{title: Names, version: "1"}}
paths:
  /items/{{class}}:
    get:
      operationId: meta/root
      tags: [import, Import]
      parameters:
        - {{name: class, in: path, required: true, schema: {{type: string}}}}
        - {{name: userId, in: query, schema: {{type: integer}}}}
        - {{name: user_id, in: query, schema: {{type: integer}}}}
        - {{name: 1st, in: query, schema: {{type: string}}}}
        - {{name: größe, in: query, schema: {{type: string}}}}
        - {{name: {LONG}, in: query, schema: {{type: string}}}}
      responses: {{"204": {{description: ok}}}}
  /items:
    get:
      responses: {{"204": {{description: ok}}}}
    post:
      operationId: "2fa-enable"
      tags: [import]
      responses: {{"204": {{description: ok}}}}
components:
  schemas:
    class: {{type: object, properties: {{from: {{type: string}}, "1x": {{type: integer}}}}}}
    Über: {{type: object, properties: {{ä: {{type: string}}}}}}
"""


@pytest.fixture(scope="module")
def api(make_api: MakeApi) -> GeneratedApi:
    return make_api(SPEC)


def test_generated_names(api: GeneratedApi) -> None:
    services = api.services
    import_ops = services.OPERATION_IDS["ImportService"]
    assert import_ops == {"meta_root": "meta/root", "n2fa_enable": "2fa-enable"}
    default_ops = services.OPERATION_IDS["DefaultService"]
    assert default_ops == {"get_items": "get_items"}  # derived from method and path
    assert hasattr(api.models, "Class") and "from_" in api.models.Class.model_fields
    assert hasattr(api.models, "Uber")


async def test_parameters_with_hard_names_travel(api: GeneratedApi) -> None:
    seen: dict[str, Any] = {}

    class Import:
        async def meta_root(self, **kwargs: Any) -> None:
            seen.update(kwargs)

        async def n2fa_enable(self) -> None:
            return None

    class Default:
        async def get_items(self) -> None:
            return None

    app = api.create_app(import_=Import(), default=Default())
    async with client(app) as c:
        res = await c.get(
            "/items/x",
            params={"userId": 1, "user_id": 2, "1st": "f", "größe": "L", LONG: "long"},
        )
    assert res.status_code == 204
    assert seen["class_"] == "x"
    assert (seen["user_id"], seen["user_id2"]) == (1, 2)
    assert seen["n1st"] == "f" and seen["grosse"] == "L"  # ß is transliterated, not dropped
    assert "long" in seen.values()


def test_duplicate_operation_ids_are_a_diagnostic(tmp_path: Path) -> None:
    spec = tmp_path / "dup.yaml"
    spec.write_text(
        textwrap.dedent(
            """
            openapi: 3.0.3
            info: {title: Dup, version: "1"}
            paths:
              /a: {get: {operationId: same, responses: {"204": {description: ok}}}}
              /b: {get: {operationId: same, responses: {"204": {description: ok}}}}
            """
        ),
        encoding="utf-8",
    )
    result = generate(spec, tmp_path / "out", cache_dir=None, force=True)
    messages = [d.format() for d in result.diagnostics]
    assert not result.ok
    assert any(
        "dup.yaml:5:" in m
        and "duplicate-operation-id: operationId 'same' of GET /a is also used by GET /b" in m
        for m in messages
    ), messages


TAGS_SPEC = """
openapi: 3.0.3
info: {title: Tags, version: "1"}
paths:
  /a: {get: {operationId: a, tags: [Provider], responses: {"204": {description: ok}}}}
  /b: {get: {operationId: b, tags: [docs], responses: {"204": {description: ok}}}}
  /c: {get: {operationId: c, tags: [allow unimplemented], responses: {"204": {description: ok}}}}
"""


async def test_tags_never_shadow_create_app_names(make_api: MakeApi) -> None:
    api = make_api(TAGS_SPEC)
    app = api.create_app(allow_unimplemented=True, docs=False)
    async with client(app) as c:
        res = await c.get("/a")
    assert res.status_code == 501
    ops = api.services.OPERATION_IDS
    # numbered alike everywhere: argument and module ``docs2``, protocol ``Docs2Service``
    assert set(ops) == {"Provider2Service", "Docs2Service", "AllowUnimplemented2Service"}
    import inspect

    params = inspect.signature(api.package.create_app).parameters
    assert {"provider2", "docs2", "allow_unimplemented2"} <= set(params)


NESTED_SPEC = """
openapi: 3.0.3
info: {title: Nested, version: "1"}
paths:
  /subscriptions:
    post:
      operationId: subscribe
      requestBody:
        required: true
        content:
          application/json: {schema: {$ref: "#/components/schemas/SubscriptionRequest"}}
      responses: {"202": {description: accepted}}
components:
  schemas:
    Receipt:
      type: object
      properties:
        subscriptionRequest: {type: object, properties: {id: {type: string}}, required: [id]}
    SubscriptionRequest:
      type: object
      properties: {requestId: {type: string}, receipt: {$ref: "#/components/schemas/Receipt"}}
      required: [requestId]
"""


async def test_a_nested_object_never_takes_a_components_name(make_api: MakeApi) -> None:
    """An inline object named like a component schema that comes after its owner (ndhm.gov.in's
    gateway: ``HIUSubscriptionRequestReceipt.subscriptionRequest`` and ``SubscriptionRequest``)
    is numbered; the component keeps its name, so a body of the component is read as it."""
    api = make_api(NESTED_SPEC)
    seen: list[Any] = []

    class Default:
        async def subscribe(self, *, body: Any) -> None:
            seen.append(body)

    app = api.create_app(default=Default())
    async with client(app) as c:
        accepted = await c.post(
            "/subscriptions",
            json={"requestId": "r1", "receipt": {"subscriptionRequest": {"id": "s1"}}},
        )
        refused = await c.post("/subscriptions", json={"id": "s1"})
    assert accepted.status_code == 202, accepted.text
    assert refused.status_code == 422
    [body] = seen
    assert isinstance(body, api.models.SubscriptionRequest) and body.requestId == "r1"
    nested = body.receipt.subscriptionRequest
    assert nested.id == "s1" and not isinstance(nested, api.models.SubscriptionRequest)


LONG_SCHEMA = (
    "Body_update_private_content_of_the_allowlist_of_the_user_v1_allowlist_private__allowlist_id"
    "__content_put"
)
LONG_SPEC = f"""
openapi: 3.0.3
info: {{title: Long, version: "1"}}
paths:
  /lists/{{id}}/origin:
    put:
      operationId: change_status_of_the_origin_allowlist_v1_allowlist_private__allowlist_id__origin_put
      parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [origin]
              properties: {{origin: {{type: string, minLength: 1}}}}
      responses: {{"204": {{description: ok}}}}
  /lists/{{id}}/content:
    put:
      operationId: updateContent
      parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]
      requestBody:
        content: {{application/json: {{schema: {{$ref: "#/components/schemas/{LONG_SCHEMA}"}}}}}}
      responses: {{"204": {{description: ok}}}}
components:
  schemas:
    {LONG_SCHEMA}:
      type: object
      properties: {{append: {{type: array, items: {{type: string}}}}}}
"""


async def test_bodies_of_classes_with_long_names_are_validated(make_api: MakeApi) -> None:
    """A class name past the identifier limit keeps its digest as a word of its own, so the
    class the models module defines is the one the routers read: threatjammer's
    ``Body_update_private_content_…`` and the inline body of a long operationId were read as
    ``Any``, and ``{"append": null}`` or ``{"origin": ""}`` accepted."""
    api = make_api(LONG_SPEC)
    got: list[Any] = []

    class Default:
        async def change_status_of_the_origin_allowlist_v1_allowlist_private_allo_548066ad(
            self, **kwargs: Any
        ) -> None:
            got.append(kwargs["body"])

        async def update_content(self, **kwargs: Any) -> None:
            got.append(kwargs["body"])

    long_names = [n for n in vars(api.models) if n.startswith("Body") and len(n) > 70]
    assert long_names and all("_" not in n for n in long_names), long_names
    app = api.create_app(default=Default())
    async with client(app) as c:
        assert (await c.put("/lists/1/content", json={"append": None})).status_code == 422
        assert (await c.put("/lists/1/origin", json={"origin": ""})).status_code == 422
        assert (await c.put("/lists/1/content", json={"append": ["a"]})).status_code == 204
        assert (await c.put("/lists/1/origin", json={"origin": "a"})).status_code == 204
    assert [type(body).__module__ for body in got] == [api.models.__name__] * 2


VIEWS_SPEC = """
openapi: 3.0.3
info: {title: Views, version: "1"}
paths:
  /a: {get: {operationId: service, tags: [t], responses: {"204": {description: ok}}}}
  /b: {get: {operationId: router, tags: [t], responses: {"204": {description: ok}}}}
  /c: {get: {operationId: models, tags: [t], responses: {"204": {description: ok}}}}
  /d:
    get:
      operationId: last
      tags: [t]
      parameters: [{name: n, in: query, schema: {type: integer}}]
      responses: {"204": {description: ok}}
"""


async def test_operations_named_like_a_routers_own_names_keep_them(make_api: MakeApi) -> None:
    """maif's otoroshi has an operation ``service``: its view function, defined in
    ``build_router``, rebound the ``service`` provider there (mypy: "already defined"); one
    named ``router`` would rebind the router every later view registers on, ``models`` the
    module every later view reads. Such views take another name; routes and methods keep
    theirs."""
    api = make_api(VIEWS_SPEC)
    source = (api.path / "routers" / "t.py").read_text(encoding="utf-8")
    for name in ("service", "router", "models"):
        assert f"async def {name}_(" in source
        assert f'name="{name}"' in source

    class T:
        async def service(self) -> None:
            return None

        async def router(self) -> None:
            return None

        async def models(self) -> None:
            return None

        async def last(self, *, n: int | None = None) -> None:
            return None

    async with client(api.create_app(t=T())) as c:
        answers = [await c.get(path) for path in ("/a", "/b", "/c", "/d?n=1")]
        refused = await c.get("/d?n=x")
    assert [a.status_code for a in answers] == [204, 204, 204, 204]
    assert refused.status_code == 422
