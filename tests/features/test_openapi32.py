"""OpenAPI 3.2: one spec using every new feature, generated, imported, served and
contract-tested; and each feature on its own, failure cases included."""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import subprocess
import sys
import textwrap
import typing
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from mypy import api as mypy_api

from specfirst.cli import main as cli_main
from specfirst.contract import ContractOptions, ExpectedStatuses, format_summary, run_contract
from specfirst.diagnostics import Level
from specfirst.diff import diff_specs
from specfirst.docs import render_reference_html
from specfirst.examples.mock import build as build_mock
from specfirst.ir import Api, ParamLocation
from specfirst.lint import lint
from specfirst.loader import load_spec
from specfirst.pipeline import build_files
from specfirst.validation import validate
from tests.contract.run_service import _stop as stop
from tests.contract.run_service import _wait_ready as wait_ready
from tests.contract.run_service import free_port
from tests.e2e.conftest import GeneratedApi, MakeApi, client, problem

REPO = Path(__file__).resolve().parents[2]

SPEC = """
openapi: 3.2.0
$self: https://pets.example.com/api/openapi.yaml
info: {title: Pets 3.2, version: "1"}
tags:
  - {name: pets, kind: nav}
  - {name: search, parent: pets, kind: nav, description: Finding pets}
  - {name: beta, kind: badge}
paths:
  /pets:
    get:
      operationId: filterPets
      tags: [pets]
      parameters:
        - name: filter
          in: querystring
          content:
            application/x-www-form-urlencoded:
              schema: {$ref: "#/components/schemas/PetFilter"}
      responses:
        "200":
          description: Matching pets
          content:
            application/json:
              schema: {type: array, items: {$ref: "https://pets.example.com/api/openapi.yaml#/components/schemas/Pet"}}
        "422": {description: Invalid filter}
    query:
      operationId: searchPets
      tags: [beta, search]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/PetQuery"}
      responses:
        "200":
          description: Matching pets
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Pet"}}
        "422": {description: Invalid query}
  /pets/{petId}:
    parameters:
      - {name: petId, in: path, required: true, schema: {type: integer, minimum: 1}}
    additionalOperations:
      PURGE:
        operationId: purgePet
        tags: [pets]
        security: [{device: ["pets:write"]}]
        responses:
          "204": {description: Purged}
          "401": {description: No credentials}
          "403": {description: Missing scope}
          "404": {description: No such pet}
  /search/json:
    get:
      operationId: searchJson
      tags: [search]
      parameters:
        - name: q
          in: querystring
          required: true
          content:
            application/json:
              schema:
                type: object
                required: [animal]
                properties:
                  animal: {$ref: "#/components/schemas/Animal"}
      responses:
        "200":
          description: The kind of animal asked for
          content:
            application/json:
              schema: {type: object, required: [kind], properties: {kind: {type: string}}}
        "422": {description: Invalid query}
  /events:
    get:
      operationId: streamEvents
      tags: [pets]
      responses:
        "200":
          description: Pet events
          content:
            text/event-stream:
              itemSchema:
                type: object
                required: [data]
                properties:
                  event: {type: string, enum: [added, removed]}
                  id: {type: string}
                  data: {type: string}
  /pets.jsonl:
    get:
      operationId: exportPets
      tags: [pets]
      responses:
        "200":
          description: Every pet, one per line
          content:
            application/jsonl:
              itemSchema: {$ref: "#/components/schemas/Pet"}
        "404": {description: No pets}
  /pets.seq:
    get:
      operationId: exportPetsSeq
      tags: [pets]
      responses:
        "200":
          description: Every pet as a JSON text sequence
          content:
            application/json-seq:
              itemSchema: {$ref: "#/components/schemas/Pet"}
components:
  schemas:
    Pet:
      type: object
      required: [id, name]
      properties:
        id: {type: integer, minimum: 1}
        name: {type: string, minLength: 1, maxLength: 20}
    PetFilter:
      type: object
      properties:
        name: {type: string, maxLength: 20}
        limit: {type: integer, minimum: 1, maximum: 100}
    PetQuery:
      type: object
      properties:
        animal: {$ref: "#/components/schemas/Animal"}
    Animal:
      oneOf:
        - {$ref: "#/components/schemas/Cat"}
        - {$ref: "#/components/schemas/Dog"}
        - {$ref: "#/components/schemas/OtherAnimal"}
      discriminator:
        propertyName: kind
        mapping:
          cat: "#/components/schemas/Cat"
          dog: "#/components/schemas/Dog"
        defaultMapping: "#/components/schemas/OtherAnimal"
    Cat:
      type: object
      required: [kind]
      properties: {kind: {const: cat}, indoor: {type: boolean}}
    Dog:
      type: object
      required: [kind]
      properties: {kind: {const: dog}, good: {type: boolean}}
    OtherAnimal:
      type: object
      properties:
        kind: {type: string, not: {enum: [cat, dog]}}
        description: {type: string}
  securitySchemes:
    device:
      type: oauth2
      flows:
        deviceAuthorization:
          deviceAuthorizationUrl: https://auth.example.com/device
          tokenUrl: https://auth.example.com/token
          scopes: {"pets:write": Change pets, "pets:read": Read pets}
"""

PETS = [{"id": 1, "name": "Rex"}, {"id": 2, "name": "Tom"}, {"id": 3, "name": "Kit"}]


class Pets:
    """An implementation of the generated PetsService (items as dicts: they are validated)."""

    def __init__(self, api: GeneratedApi) -> None:
        self.models = api.models
        self.problem: type[Exception] = api.package.ProblemError  # the package's own runtime

    async def filter_pets(self, *, filter: Any) -> Any:
        found = [p for p in PETS if filter is None or not filter.name or p["name"] == filter.name]
        found = found[: filter.limit if filter is not None and filter.limit else None]
        return [self.models.Pet(**p) for p in found]

    async def purge_pet(self, *, pet_id: int, principal: Any) -> None:
        if pet_id > len(PETS):
            raise self.problem(404, f"no pet {pet_id}")

    async def stream_events(self) -> AsyncIterator[Any]:
        for pet in PETS:
            yield {"event": "added", "id": str(pet["id"]), "data": json.dumps(pet)}

    async def export_pets(self) -> AsyncIterator[Any]:
        for pet in PETS:
            yield pet

    async def export_pets_seq(self) -> AsyncIterator[Any]:
        for pet in PETS:
            yield pet


class Search:
    def __init__(self, api: GeneratedApi) -> None:
        self.models = api.models

    async def search_pets(self, *, body: Any) -> Any:
        animal = body.animal.root if body.animal is not None else None
        found = [{"id": 9, "name": type(animal).__name__}] if animal is not None else PETS
        return [self.models.Pet(**p) for p in found]

    async def search_json(self, *, q: Any) -> Any:
        return self.models.SearchJson200ResponseBody(kind=type(q.animal.root).__name__)


class Principal:
    def __init__(self, scopes: list[str]) -> None:
        self.scopes = scopes


class Security:
    async def authenticate_device(self, token: str) -> Principal | None:
        return {"writer": Principal(["pets:write"]), "reader": Principal(["pets:read"])}.get(token)


@pytest.fixture(scope="module")
def api(make_api: MakeApi) -> GeneratedApi:
    return make_api(SPEC)


@pytest.fixture(scope="module")
def app(api: GeneratedApi) -> Any:
    return api.create_app(pets=Pets(api), search=Search(api), security=Security())


@pytest.fixture(scope="module")
def ir(api: GeneratedApi) -> Api:
    built, _files, diagnostics = build_files(load_spec(api.spec_path), cache_dir=None)
    assert built is not None, diagnostics
    return built


# --------------------------------------------------------------------------- versions


def _spec(tmp_path: Path, text: str, name: str = "api.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_validate_accepts_32_and_names_the_versions_it_supports(tmp_path: Path) -> None:
    assert validate(load_spec(_spec(tmp_path, SPEC))) == []
    bad = _spec(tmp_path, "openapi: 3.3.0\ninfo: {title: x, version: '1'}\npaths: {}\n", "v.yaml")
    [diag] = validate(load_spec(bad))
    assert diag.rule == "unsupported-version"
    assert diag.message.endswith("specfirst supports 3.0.x, 3.1.x and 3.2.x")


def test_validate_uses_the_32_schema(tmp_path: Path) -> None:
    # 3.2 keys are errors in a 3.1 document (and the 3.2 schema checks their shape).
    as_31 = _spec(tmp_path, SPEC.replace("openapi: 3.2.0", "openapi: 3.1.1"), "v31.yaml")
    assert any(d.level is Level.ERROR for d in validate(load_spec(as_31)))
    broken = SPEC.replace("in: querystring\n          content:", "in: querystring\n          x:")
    diags = validate(load_spec(_spec(tmp_path, broken, "qs.yaml")))
    assert any(d.rule == "openapi-schema" and d.level is Level.ERROR for d in diags)


# --------------------------------------------------------------------------- QUERY, additionalOperations


async def test_query_method_reads_and_validates_its_body(app: Any) -> None:
    async with client(app) as c:
        ok = await c.request("QUERY", "/pets", json={"animal": {"kind": "cat"}})
        assert ok.status_code == 200, ok.text
        assert ok.json() == [{"id": 9, "name": "Cat"}]
        bad = await c.request("QUERY", "/pets", json={"animal": {"kind": "cat", "indoor": "x"}})
        problem(bad, 422)
        assert (await c.delete("/pets")).status_code == 405


async def test_additional_operation_is_served_under_its_own_method(app: Any) -> None:
    async with client(app) as c:
        assert (await c.request("PURGE", "/pets/1")).status_code == 401
        reader = {"Authorization": "Bearer reader"}
        assert (await c.request("PURGE", "/pets/1", headers=reader)).status_code == 403
        writer = {"Authorization": "Bearer writer"}
        assert (await c.request("PURGE", "/pets/1", headers=writer)).status_code == 204
        problem(await c.request("PURGE", "/pets/99", headers=writer), 404)
        problem(await c.request("PURGE", "/pets/0", headers=writer), 422)
        assert (await c.get("/pets/1")).status_code in (404, 405)


def test_additional_operation_in_the_ir(ir: Api) -> None:
    purge = next(op for op in ir.operations if op.operation_id == "purgePet")
    assert (purge.method, purge.http_method) == ("purge", "PURGE")
    assert purge.pointer[-2:] == ("additionalOperations", "PURGE")
    query = next(op for op in ir.operations if op.operation_id == "searchPets")
    assert query.http_method == "QUERY"


# --------------------------------------------------------------------------- querystring


async def test_querystring_form_is_one_model(app: Any) -> None:
    async with client(app) as c:
        everything = await c.get("/pets")
        assert everything.json() == PETS
        some = await c.get("/pets?limit=2")
        assert [p["id"] for p in some.json()] == [1, 2]
        named = await c.get("/pets?name=Tom&limit=5")
        assert named.json() == [PETS[1]]
        body = problem(await c.get("/pets?limit=0"), 422)
        assert body["errors"][0]["pointer"] == "/querystring/filter/limit"


async def test_querystring_json_document(app: Any) -> None:
    async with client(app) as c:
        fish = await c.get("/search/json?" + json.dumps({"animal": {"kind": "fish"}}))
        assert fish.json() == {"kind": "OtherAnimal"}
        dog = await c.get("/search/json?%7B%22animal%22%3A%7B%22kind%22%3A%22dog%22%7D%7D")
        assert dog.json() == {"kind": "Dog"}
        problem(await c.get("/search/json"), 422)
        problem(await c.get("/search/json?{not json"), 422)


def test_querystring_parameter_in_the_ir(ir: Api) -> None:
    [param] = next(op for op in ir.operations if op.operation_id == "filterPets").parameters
    assert param.location is ParamLocation.QUERYSTRING
    assert param.content_type == "application/x-www-form-urlencoded"
    assert param.py_type == "models.PetFilter"


# --------------------------------------------------------------------------- itemSchema streams


def test_streamed_operations_are_async_generators_in_the_protocol(api: GeneratedApi) -> None:
    import inspect

    for name, item in (
        ("export_pets", api.models.Pet),
        ("stream_events", api.models.StreamEvents200Item),
    ):
        method = getattr(api.services.PetsService, name)
        returns = typing.get_type_hints(method, vars(api.services))["return"]
        assert typing.get_origin(returns) is AsyncIterator and typing.get_args(returns) == (item,)
        assert not inspect.iscoroutinefunction(method)  # a plain def: implemented by yielding


async def test_json_lines_and_json_seq_streams(app: Any) -> None:
    async with client(app) as c:
        lines = await c.get("/pets.jsonl")
        assert lines.status_code == 200
        assert lines.headers["content-type"] == "application/jsonl"
        assert [json.loads(line) for line in lines.text.splitlines()] == PETS
        seq = await c.get("/pets.seq")
        assert seq.headers["content-type"] == "application/json-seq"
        records = seq.content.split(b"\x1e")
        assert records[0] == b"" and [json.loads(r) for r in records[1:]] == PETS


async def test_server_sent_events_stream(app: Any) -> None:
    async with client(app) as c:
        res = await c.get("/events")
    assert res.headers["content-type"].startswith("text/event-stream")
    events = [block.splitlines() for block in res.text.strip().split("\n\n")]
    assert events[0] == ["event: added", "id: 1", 'data: {"id": 1, "name": "Rex"}']
    assert len(events) == 3


async def test_server_sent_event_with_multi_line_data(api: GeneratedApi) -> None:
    class MultiLine(Pets):
        async def stream_events(self) -> AsyncIterator[Any]:
            yield {"data": "first\nsecond", "id": "7\n8"}

    app = api.create_app(pets=MultiLine(api), search=Search(api), security=Security())
    async with client(app) as c:
        res = await c.get("/events")
    # One data line per line (the client joins them back); no other field may span lines.
    assert res.text == "id: 7 8\ndata: first\ndata: second\n\n"


def test_plain_events_skip_the_serializer_and_frame_the_same() -> None:
    from pydantic import BaseModel

    from specfirst.runtime import streaming

    class Plain(BaseModel):
        event: str | None = None
        id: str | None = None
        data: str
        retry: int | None = None

    class Rich(Plain):
        tags: list[str]

    event = Plain(event="added", data="a\nb", retry=3)
    assert streaming._plain_event(Plain) and not streaming._plain_event(Rich)
    fast = streaming._frame(Plain, event, "sse")
    assert fast == streaming._sse_event(streaming._dump_fields(Plain, event))
    assert fast == b"event: added\ndata: a\ndata: b\nretry: 3\n\n"
    assert streaming._frame(Rich, Rich(data="x", tags=["t"]), "sse") == b'data: x\ntags: ["t"]\n\n'


async def test_stream_problems_and_invalid_items(api: GeneratedApi) -> None:
    class Failing(Pets):
        async def export_pets(self) -> AsyncIterator[Any]:
            raise self.problem(404, "no pets yet")
            yield  # an async generator that raises before its first item

        async def export_pets_seq(self) -> AsyncIterator[Any]:
            yield {"id": 0, "name": "invalid: id below minimum"}

    app = api.create_app(pets=Failing(api), search=Search(api), security=Security())
    async with client(app) as c:
        problem(await c.get("/pets.jsonl"), 404)
        invalid = await c.get("/pets.seq")
        assert invalid.status_code == 500
        assert "id below minimum" not in invalid.text  # the item is not leaked


def test_create_app_wants_an_async_generator_for_a_stream(api: GeneratedApi) -> None:
    class Wrong(Pets):
        async def export_pets(self) -> Any:  # type: ignore[override]
            return PETS

    with pytest.raises(api.StartupError) as caught:
        api.create_app(pets=Wrong(api), search=Search(api), security=Security())
    assert "Wrong.export_pets must be an async generator ('async def' that yields each item)" in (
        str(caught.value)
    )
    assert "operationId 'exportPets'" in str(caught.value)


async def test_unimplemented_stream_answers_501(api: GeneratedApi) -> None:
    app = api.create_app(search=Search(api), security=Security(), allow_unimplemented=True)
    async with client(app) as c:
        problem(await c.get("/pets.jsonl"), 501)


# --------------------------------------------------------------------------- tags


def test_tag_parent_and_kind(ir: Api, tmp_path: Path) -> None:
    services = {s.tag: s for s in ir.services}
    # A badge labels operations, it never becomes their service.
    assert set(services) == {"pets", "search"}
    assert (services["search"].parent, services["search"].kind) == ("pets", "nav")
    assert [op.operation_id for op in services["search"].operations] == [
        "searchPets",
        "searchJson",
    ]
    html = render_reference_html(load_spec(_spec(tmp_path, SPEC)))
    assert "pets / search" in html


@pytest.mark.parametrize(
    ("tags", "message"),
    [
        ("[{name: a, parent: b}]", "tag 'a' names parent 'b', which is not a declared tag"),
        (
            "[{name: a, parent: b}, {name: b, parent: a}]",
            "tag parents form a loop: a -> b -> a",
        ),
    ],
)
def test_tag_parent_errors(tmp_path: Path, tags: str, message: str) -> None:
    text = f"openapi: 3.2.0\ninfo: {{title: t, version: '1'}}\ntags: {tags}\npaths: {{}}\n"
    diags = validate(load_spec(_spec(tmp_path, text)))
    assert [(d.rule, d.message) for d in diags][:1] == [("tag-parent", message)]
    assert diags[0].location is not None and diags[0].location.line == 3


# --------------------------------------------------------------------------- $self


def test_self_is_the_base_of_refs(tmp_path: Path) -> None:
    spec = load_spec(_spec(tmp_path, SPEC))
    items = spec.document["paths"]["/pets"]["get"]["responses"]["200"]["content"]
    assert items["application/json"]["schema"]["items"] == {"$ref": "#/components/schemas/Pet"}


def test_self_relative_documents_are_read_from_disk(tmp_path: Path) -> None:
    _spec(
        tmp_path,
        "components: {schemas: {Pet: {type: object, properties: {id: {type: integer}}}}}\n",
        "common.yaml",
    )
    entry = _spec(
        tmp_path,
        """
        openapi: 3.2.0
        $self: https://example.com/apis/shop/openapi.yaml
        info: {title: t, version: '1'}
        paths:
          /pet:
            get:
              operationId: getPet
              responses:
                "200":
                  description: ok
                  content:
                    application/json:
                      schema: {$ref: "https://example.com/apis/shop/common.yaml#/components/schemas/Pet"}
          /other:
            get:
              operationId: other
              responses:
                "200":
                  description: ok
                  content:
                    application/json:
                      schema: {$ref: "common.yaml#/components/schemas/Pet"}
        """,
    )
    spec = load_spec(entry)
    assert validate(spec) == []
    assert spec.document["components"]["schemas"]["Pet"]["properties"] == {
        "id": {"type": "integer"}
    }


def test_self_does_not_make_other_hosts_local(tmp_path: Path) -> None:
    text = SPEC.replace(
        'items: {$ref: "https://pets.example.com/api/openapi.yaml#/',
        'items: {$ref: "https://elsewhere.example.com/api/openapi.yaml#/',
    )
    with pytest.raises(Exception) as caught:
        load_spec(_spec(tmp_path, text))
    assert "remote $ref" in str(caught.value)


# --------------------------------------------------------------------------- defaultMapping


def test_default_mapping_routes_unknown_and_missing_values(api: GeneratedApi) -> None:
    Animal = api.models.Animal
    assert type(Animal.model_validate({"kind": "cat"}).root).__name__ == "Cat"
    assert type(Animal.model_validate({"kind": "dog", "good": True}).root).__name__ == "Dog"
    fish = Animal.model_validate({"kind": "fish", "description": "wet"})
    assert type(fish.root).__name__ == "OtherAnimal"
    assert type(Animal.model_validate({}).root).__name__ == "OtherAnimal"
    assert fish.model_dump(mode="json", exclude_unset=True) == {
        "kind": "fish",
        "description": "wet",
    }
    with pytest.raises(ValueError):
        Animal.model_validate({"kind": "cat", "indoor": "no idea"})


def test_default_mapping_that_cannot_be_applied_is_reported(tmp_path: Path) -> None:
    text = """
    openapi: 3.2.0
    info: {title: t, version: '1'}
    paths: {}
    components:
      schemas:
        Shape:
          oneOf:
            - {type: object, properties: {kind: {const: circle}}}
            - {$ref: '#/components/schemas/Other'}
          discriminator: {propertyName: kind, defaultMapping: '#/components/schemas/Other'}
        Other: {type: object, properties: {kind: {type: string}}}
    """
    built, _files, diagnostics = build_files(load_spec(_spec(tmp_path, text)), cache_dir=None)
    assert built is not None
    assert [d.message for d in diagnostics if "defaultMapping" in d.message] == [
        "discriminator defaultMapping of schema 'Shape' is not applied: it is applied to a "
        "oneOf/anyOf of component $refs with a component as default"
    ]


# --------------------------------------------------------------------------- device flow


def test_device_authorization_flow(ir: Api, tmp_path: Path) -> None:
    [scheme] = ir.schemes
    assert scheme.flows == ("deviceAuthorization",)
    assert scheme.device_authorization_url == "https://auth.example.com/device"
    assert scheme.token_url == "https://auth.example.com/token"
    assert scheme.scopes == ("pets:write", "pets:read")
    html = render_reference_html(load_spec(_spec(tmp_path, SPEC)))
    assert (
        "deviceAuthorization (https://auth.example.com/device, https://auth.example.com/token)"
        in html
    )


# --------------------------------------------------------------------------- the other commands


def test_lint_reads_querystring_and_item_schemas(tmp_path: Path) -> None:
    findings = lint(load_spec(_spec(tmp_path, SPEC)))
    assert "list-pagination" not in {d.rule for d in findings}  # `limit` is in the querystring
    bad = SPEC.replace(
        "                  data: {type: string}\n",
        "                  data: {type: string}\n                example: {data: 5}\n",
    )
    assert bad != SPEC
    findings = lint(load_spec(_spec(tmp_path, bad, "bad.yaml")))
    [example] = [d for d in findings if d.rule == "example-valid"]
    assert example.location is not None and (example.location.line, example.location.col) == (
        93,
        27,
    )


def test_diff_sees_additional_and_query_operations(tmp_path: Path) -> None:
    old = _spec(tmp_path, SPEC, "old.yaml")
    new = _spec(
        tmp_path,
        SPEC.replace("      PURGE:\n", "      PURGE2:\n").replace("    query:\n", "    search:\n"),
        "new.yaml",
    )
    report = diff_specs(load_spec(old), load_spec(new))
    removed = {f.message for f in report.findings if f.severity.value == "breaking"}
    assert any("PURGE /pets/{petId}" in m for m in removed), removed
    assert any("QUERY /pets" in m for m in removed), removed


async def test_mock_serves_32(tmp_path: Path) -> None:
    """``specfirst mock``: the generated app with example stubs, 3.2's streams and methods too."""
    mock = build_mock(_spec(tmp_path, SPEC), cache_dir=tmp_path / "cache")
    async with client(mock.app) as c:
        lines = await c.get("/pets.jsonl")
        assert lines.status_code == 200
        assert all(json.loads(line)["id"] >= 1 for line in lines.text.splitlines())
        problem(await c.get("/pets?limit=0"), 422)
        assert (await c.request("QUERY", "/pets", json={})).status_code == 200
        assert (await c.request("PURGE", "/pets/1")).status_code == 401
        purged = await c.request("PURGE", "/pets/1", headers=mock.headers)
        assert purged.status_code == 204


# --------------------------------------------------------------------------- contract and types


# schemathesis (4.32) reads a discriminator as "the value must be one of the mapping's":
# it does not know 3.2's defaultMapping, so it sends {"kind": "AAA", "good": false} as
# schema-violating data, while the spec sends any other kind to OtherAnimal. Only 200 is
# added, for the two operations that take an Animal; nothing is switched off.
DEFAULT_MAPPING_IS_VALID = ExpectedStatuses(
    "negative_data_rejection",
    ("200",),
    ("searchPets", "searchJson"),
    "discriminator defaultMapping: an unmapped kind is an OtherAnimal, not an error",
)


def _live_server(api: GeneratedApi, folder: Path) -> contextlib.AbstractContextManager[str]:
    """uvicorn serving the generated package with this module's implementation, on 127.0.0.1."""
    (api.root / f"{api.name}_main.py").write_text(
        textwrap.dedent(
            f"""
            from types import SimpleNamespace

            import {api.name} as package
            from tests.features.test_openapi32 import Pets, Search, Security

            api = SimpleNamespace(models=package.models, package=package)
            app = package.create_app(pets=Pets(api), search=Search(api), security=Security())
            """
        )
    )

    @contextlib.contextmanager
    def serve() -> Iterator[str]:
        port = free_port()
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(api.root), str(REPO)])}
        log_path = folder / "server.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [
                    *(sys.executable, "-m", "uvicorn", f"{api.name}_main:app"),
                    *("--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"),
                ],
                cwd=api.root,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            url = f"http://127.0.0.1:{port}"
            wait_ready(url + "/openapi.json", process, log_path, 60.0)
            yield url
        finally:
            stop(process.pid, process)

    return serve()


def test_contract_run_passes_against_the_served_32_spec(api: GeneratedApi, tmp_path: Path) -> None:
    with _live_server(api, tmp_path) as url:
        result = run_contract(
            ContractOptions(
                spec=api.spec_path,
                url=url,
                headers={"Authorization": "Bearer writer"},
                max_examples=15,
                expected_statuses=(DEFAULT_MAPPING_IS_VALID,),
            )
        )
    assert result.ok, format_summary(result)
    # schemathesis tests every operation it knows: QUERY included; additionalOperations are
    # not in its model of a path item (PURGE is driven over HTTP above instead).
    assert result.operations >= {
        "GET /pets",
        "QUERY /pets",
        "GET /search/json",
        "GET /events",
        "GET /pets.jsonl",
        "GET /pets.seq",
    }, result.operations
    assert result.cases > 50


def test_implementation_type_checks(
    api: GeneratedApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    impl = tmp_path / "impl_32.py"
    impl.write_text(
        textwrap.dedent(
            f"""
            from collections.abc import AsyncIterator

            from {api.name} import models, responses, services


            class Pets:
                async def filter_pets(
                    self, *, filter: models.PetFilter | None
                ) -> responses.FilterPetsResponse:
                    return []

                async def purge_pet(self, *, pet_id: int, principal: object) -> None:
                    return None

                async def stream_events(self) -> AsyncIterator[models.StreamEvents200Item]:
                    yield models.StreamEvents200Item(data="{{}}")

                async def export_pets(self) -> AsyncIterator[models.Pet]:
                    yield models.Pet(id=1, name="a")

                async def export_pets_seq(self) -> AsyncIterator[models.Pet]:
                    yield models.Pet(id=1, name="a")


            class WrongItem(Pets):
                async def export_pets(self) -> AsyncIterator[models.PetFilter]:  # wrong item
                    yield models.PetFilter()


            ok: services.PetsService[object] = Pets()
            wrong: services.PetsService[object] = WrongItem()
            """
        )
    )
    monkeypatch.setenv("MYPYPATH", os.pathsep.join([str(api.root), str(REPO)]))
    out, err, status = mypy_api.run(
        [
            "--strict",
            "--config-file",
            str(REPO / "pyproject.toml"),
            "--cache-dir",
            str(tmp_path / "mypy-cache"),
            "--no-error-summary",
            str(impl),
        ]
    )
    errors = [line for line in out.splitlines() if ": error:" in line]
    # Pets conforms (line 31); WrongItem (lines 26-32) yields the wrong item type.
    assert {int(line.split(":")[1]) for line in errors} == {27, 32}, out + err
    assert 'Incompatible types in assignment (expression has type "WrongItem"' in out
    assert "def export_pets(self) -> AsyncIterator[Pet]" in out
    assert status == 1


async def test_init_writes_async_generator_stubs_for_streams(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = REPO / "tests" / "golden" / "openapi32" / "spec" / "api.yaml"
    with contextlib.chdir(tmp_path):
        assert cli_main(["init", "zoo", "--spec", str(spec)]) == 0
    project = tmp_path / "zoo"
    pets = (project / "zoo" / "pets.py").read_text(encoding="utf-8")
    assert "    async def export_pets(\n        self,\n    ) -> AsyncIterator[models.Pet]:" in pets
    assert 'raise NotImplementedOperation("exportPets")\n        yield' in pets
    sys.path.insert(0, str(project))
    try:
        app = importlib.import_module("zoo.main").app  # create_app accepts the stubs
        async with client(app) as c:
            problem(await c.get("/v3/pets.jsonl"), 501)
            problem(await c.request("QUERY", "/v3/pets", json={}), 501)
    finally:
        sys.path.remove(str(project))
        for name in [n for n in sys.modules if n.split(".")[0] in {"zoo", "zoo_api"}]:
            del sys.modules[name]
    capsys.readouterr()
