"""Response bodies: optional properties never set are omitted, explicit nulls are kept where
the schema allows them, whichever of the two serialization modes the runtime picks."""

from __future__ import annotations

import importlib
import json
import sys
from typing import Any

import pytest

from specfirst.runtime import codec
from tests.e2e.conftest import GeneratedApi, MakeApi, client

SPEC = """
openapi: 3.1.0
info: {title: Serialization, version: "1"}
paths:
  /plain:
    get:
      operationId: plain
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Plain"}}}}}
  /default:
    get:
      operationId: withDefault
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/WithDefault"}}}}
  /nullable:
    get:
      operationId: nullable
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/WithNullable"}}}}
  /tree:
    get:
      operationId: tree
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Node"}}}}
components:
  schemas:
    Plain:
      type: object
      required: [id]
      properties:
        id: {type: integer}
        title: {type: string}
        child: {$ref: "#/components/schemas/Child"}
    WithDefault:
      type: object
      properties:
        size: {type: integer, default: 3}
    Child:
      type: object
      properties:
        name: {type: string}
    WithNullable:
      type: object
      required: [due]
      properties:
        due: {type: [string, "null"]}
        note: {type: [string, "null"]}
        title: {type: string}
    Node:
      type: object
      properties:
        label: {type: string}
        next: {$ref: "#/components/schemas/Other"}
    Other:
      type: object
      properties:
        back: {$ref: "#/components/schemas/Node"}
        comment: {type: [string, "null"]}
"""


@pytest.fixture(scope="module")
def api(make_api: MakeApi) -> GeneratedApi:
    return make_api(SPEC)


def test_mode_is_chosen_per_type(api: GeneratedApi) -> None:
    m = api.models
    assert codec._none_means_unset(list[m.Plain])
    assert not codec._none_means_unset(m.WithNullable)
    assert not codec._none_means_unset(m.WithDefault)  # an unset default stays omitted
    # the nullable field sits behind a reference cycle
    assert not codec._none_means_unset(m.Node)


async def test_bodies_keep_nulls_and_omit_unset(api: GeneratedApi) -> None:
    m = api.models

    class Service:
        async def plain(self) -> Any:
            return [m.Plain(id=1), m.Plain(id=2, title="t", child=m.Child())]

        async def with_default(self) -> Any:
            return m.WithDefault()

        async def nullable(self) -> Any:
            return m.WithNullable(due=None, note=None)

        async def tree(self) -> Any:
            return m.Node(next=m.Other(comment=None, back=m.Node(label="x")))

    async with client(api.create_app(default=Service())) as c:
        plain = await c.get("/plain")
        nullable = await c.get("/nullable")
        default = await c.get("/default")
        tree = await c.get("/tree")
    assert json.loads(plain.content) == [
        {"id": 1},
        {"id": 2, "title": "t", "child": {}},
    ]
    assert json.loads(default.content) == {}
    assert json.loads(nullable.content) == {"due": None, "note": None}
    assert json.loads(tree.content) == {"next": {"comment": None, "back": {"label": "x"}}}


def _python_calls(write: Any) -> list[str]:
    """The Python functions ``write()`` calls (from pydantic-core)."""
    calls: list[str] = []

    def profile(frame: Any, event: str, arg: Any) -> None:
        if event == "call":
            calls.append(frame.f_code.co_name)

    sys.setprofile(profile)
    try:
        write()
    finally:
        sys.setprofile(None)
    return calls


def test_exclude_none_writer_calls_no_exclude_if(api: GeneratedApi) -> None:
    """Written with ``exclude_none``, the optional-not-nullable fields' ``exclude_if`` (for a
    plain ``model_dump()``) would only repeat it: the writer leaves it out, same JSON."""
    m = api.models
    ours = importlib.import_module(f"{api.name}._runtime.codec")  # the package's own runtime
    page = [m.Plain(id=1, title="t", child=m.Child(name="c")), m.Plain(id=2, title=None)]
    write, none = ours.writer(list[m.Plain])
    assert none
    own = ours.adapter(list[m.Plain]).serializer
    assert "_is_none" in _python_calls(lambda: own.to_json(page, exclude_none=True))
    assert "_is_none" not in _python_calls(lambda: write.to_json(page, exclude_none=True))
    assert write.to_json(page, exclude_none=True) == own.to_json(page, exclude_none=True)
    assert json.loads(ours.dump_json(list[m.Plain], page)) == [
        {"id": 1, "title": "t", "child": {"name": "c"}},
        {"id": 2},
    ]
    # exclude_unset mode keeps the model's own serializer (exclude_if still applies there)
    assert ours.writer(m.Node)[0] is ours.adapter(m.Node).serializer
    assert "title" not in m.Plain(id=3, title=None).model_dump()
