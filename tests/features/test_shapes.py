"""Request and response shapes (readOnly/writeOnly) used transitively, and model round trips.

``Book`` has a readOnly ``id`` and a writeOnly ``secret``, so it gets ``BookRequest`` and
``BookResponse``. Every container a response uses (a page, a nested object, a union, an inline
response object) must hold ``BookResponse``; every container a request body uses must hold
``BookRequest``. A model's ``model_dump()`` must be valid input for its own constructor.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from tests.e2e.conftest import GeneratedApi, MakeApi, client

SPEC = """
openapi: 3.1.0
info: {title: Shapes, version: "1"}
paths:
  /books:
    get:
      operationId: listBooks
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/BookPage"}}}}
    post:
      operationId: createBook
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Book"}}}
      responses:
        "201": {description: created, content: {application/json: {schema: {$ref: "#/components/schemas/Book"}}}}
  /shelves:
    post:
      operationId: createShelf
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Shelf"}}}
      responses:
        "201": {description: created, content: {application/json: {schema: {$ref: "#/components/schemas/Shelf"}}}}
  /search:
    get:
      operationId: search
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [hits]
                properties:
                  hits: {type: array, items: {$ref: "#/components/schemas/Item"}}
                  best: {$ref: "#/components/schemas/Book"}
components:
  schemas:
    Book:
      type: object
      required: [id, title]
      properties:
        id: {type: integer, readOnly: true}
        title: {type: string}
        isbn: {type: string}
        secret: {type: string, writeOnly: true}
        kind: {type: string, const: book}
    Magazine:
      type: object
      required: [kind, issue]
      properties:
        kind: {type: string, const: magazine}
        issue: {type: integer}
    Item:
      oneOf:
        - {$ref: "#/components/schemas/Book"}
        - {$ref: "#/components/schemas/Magazine"}
    BookPage:
      type: object
      required: [items]
      properties:
        items: {type: array, items: {$ref: "#/components/schemas/Book"}}
        next: {type: string}
    Shelf:
      type: object
      required: [name]
      properties:
        name: {type: string}
        featured: {$ref: "#/components/schemas/Book"}
        shelved: {type: array, items: {$ref: "#/components/schemas/Book"}}
        meta:
          type: object
          properties:
            created: {type: string, format: date-time, readOnly: true}
            label: {type: string}
"""


@pytest.fixture(scope="module")
def api(make_api: MakeApi) -> GeneratedApi:
    return make_api(SPEC)


def _annotation(model: Any, field: str) -> str:
    return str(model.model_fields[field].annotation)


def test_response_containers_hold_response_shapes(api: GeneratedApi) -> None:
    m = api.models
    assert "BookResponse" in _annotation(m.BookPageResponse, "items")
    assert "BookResponse" in _annotation(m.ShelfResponse, "featured")
    assert "BookResponse" in _annotation(m.ShelfResponse, "shelved")
    assert "BookResponse" in str(m.ItemResponse.model_fields["root"].annotation)
    # The inline response object is used by one response only: rewritten in place.
    body = m.Search200ResponseBody
    assert "ItemResponse" in _annotation(body, "hits")
    assert "BookResponse" in _annotation(body, "best")
    hints = api.responses.ListBooksResponse
    assert "BookPageResponse" in str(hints) and "models.BookPage " not in str(hints)


def test_request_containers_hold_request_shapes(api: GeneratedApi) -> None:
    m = api.models
    assert "BookRequest" in _annotation(m.ShelfRequest, "featured")
    assert "BookRequest" in _annotation(m.ShelfRequest, "shelved")
    # Shapes only where a role uses them: no page of request books, no plain copies.
    assert not hasattr(m, "BookPageRequest") and not hasattr(m, "ItemRequest")
    shelf = m.ShelfRequest.model_validate({"name": "s", "featured": {"title": "t", "secret": "x"}})
    assert "id" not in type(shelf.featured).model_fields
    # readOnly inside an inline nested object counts too.
    request_meta = m.ShelfRequest.model_validate({"name": "s", "meta": {"label": "l"}}).meta
    assert "created" not in type(request_meta).model_fields
    response_meta = m.ShelfResponse.model_validate(
        {"name": "s", "meta": {"created": "2026-01-01T00:00:00Z"}}
    ).meta
    assert response_meta.created is not None


async def test_returning_response_shapes_from_containers(api: GeneratedApi) -> None:
    m = api.models
    book = m.BookResponse(id=1, title="Dune")

    class Service:
        async def list_books(self) -> Any:
            return m.BookPageResponse(items=[book])

        async def create_book(self, *, body: Any) -> Any:
            assert isinstance(body, m.BookRequest)
            return api.responses.CreateBook201Response(
                body=m.BookResponse(id=7, **body.model_dump(exclude={"secret"}))
            )

        async def create_shelf(self, *, body: Any) -> Any:
            assert isinstance(body.featured, m.BookRequest)
            featured = m.BookResponse(id=1, **body.featured.model_dump(exclude={"secret"}))
            return api.responses.CreateShelf201Response(
                body=m.ShelfResponse(name=body.name, featured=featured)
            )

        async def search(self) -> Any:
            return m.Search200ResponseBody(hits=[m.ItemResponse(book)], best=book)

    async with client(api.create_app(default=Service())) as c:
        page = await c.get("/books")
        created = await c.post("/books", json={"title": "T", "secret": "s", "isbn": "1"})
        shelf = await c.post("/shelves", json={"name": "n", "featured": {"title": "F"}})
        found = await c.get("/search")
    assert page.status_code == 200 and page.json() == {"items": [{"id": 1, "title": "Dune"}]}
    assert created.status_code == 201
    assert created.json() == {"id": 7, "title": "T", "isbn": "1"}
    assert shelf.status_code == 201
    assert shelf.json() == {"name": "n", "featured": {"id": 1, "title": "F"}}
    assert found.json() == {
        "hits": [{"id": 1, "title": "Dune"}],
        "best": {"id": 1, "title": "Dune"},
    }


def test_model_dump_round_trips_through_the_constructor(api: GeneratedApi) -> None:
    m = api.models
    book = m.Book(id=1, title="Dune")  # isbn: optional, not nullable, unset
    assert "isbn" not in book.model_dump()
    assert m.Book(**book.model_dump()) == book
    assert m.Book.model_validate_json(book.model_dump_json()) == book
    page = m.BookPageResponse(items=[m.BookResponse(id=1, title="Dune")])
    assert m.BookPageResponse(**page.model_dump()) == page
    assert json.loads(page.model_dump_json()) == {"items": [{"id": 1, "title": "Dune"}]}
    # Converting between shapes the natural way.
    assert m.Book(**m.BookResponse(id=2, title="X").model_dump()).id == 2
    # None from Python is the type's "not set": left out, as if not passed.
    assert m.Book(id=1, title="Dune", isbn=None) == book
    # An explicit null in JSON is still refused: the schema does not allow it.
    with pytest.raises(ValidationError, match="isbn: null is not allowed"):
        m.Book.model_validate_json('{"id": 1, "title": "Dune", "isbn": null}')


INHERITED = """
openapi: 3.0.3
info: {title: D, version: "1"}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Pet"}}}}}
    post:
      operationId: addPet
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}
      responses:
        "201": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}}
  /kennels:
    get:
      operationId: getKennel
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Kennel"}}}}
components:
  schemas:
    Pet:
      oneOf:
        - {$ref: "#/components/schemas/Cat"}
        - {$ref: "#/components/schemas/Dog"}
      discriminator:
        propertyName: kind
        mapping: {cat: "#/components/schemas/Cat", dog: "#/components/schemas/Dog"}
    Cat:
      type: object
      required: [kind, id]
      properties: {kind: {type: string}, id: {type: integer, readOnly: true}, lives: {type: integer}}
    Dog:
      type: object
      required: [kind]
      properties: {kind: {type: string}, good: {type: boolean}}
    Base:
      type: object
      properties: {id: {type: integer, readOnly: true}, secret: {type: string, writeOnly: true}}
    Kennel:
      allOf:
        - {$ref: "#/components/schemas/Base"}
        - type: object
          properties:
            pets: {type: array, items: {$ref: "#/components/schemas/Pet"}}
            self: {$ref: "#/components/schemas/Kennel"}
"""


def test_discriminated_unions_inheritance_and_recursion(make_api: MakeApi) -> None:
    m = make_api(INHERITED).models
    # The union's mapping follows its members to their response shapes.
    pet = m.PetResponse.model_validate({"kind": "cat", "id": 1})
    assert type(pet.root) is m.CatResponse and pet.root.id == 1
    assert type(m.PetRequest.model_validate({"kind": "cat"}).root) is m.CatRequest
    # allOf: the response shape derives from the base's response shape; recursion follows.
    assert issubclass(m.KennelResponse, m.BaseResponse)
    assert "PetResponse" in _annotation(m.KennelResponse, "pets")
    assert "KennelResponse" in _annotation(m.KennelResponse, "self")
    assert "secret" not in m.KennelResponse.model_fields
    assert not hasattr(m, "KennelRequest")  # no request uses a kennel


RENAMED = """
openapi: 3.0.3
info: {title: Renamed, version: "1"}
paths:
  /me:
    get:
      operationId: getMe
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                oneOf:
                  - {$ref: "#/components/schemas/public-user"}
                  - {$ref: "#/components/schemas/private-user"}
                discriminator:
                  propertyName: view
                  mapping:
                    public: "#/components/schemas/public-user"
                    private: "#/components/schemas/private-user"
components:
  schemas:
    public-user:
      type: object
      required: [view]
      properties: {view: {type: string}, name: {type: string}}
    private-user:
      type: object
      required: [view]
      properties: {view: {type: string}, email: {type: string}}
"""


def test_discriminator_mapping_to_renamed_components(make_api: MakeApi) -> None:
    # Component keys become class names (public-user → PublicUser); the mapping follows them,
    # so the discriminator values stay the spec's ("public"), not the class names.
    m = make_api(RENAMED).models
    body = m.GetMe200ResponseBody.model_validate({"view": "public", "name": "n"})
    assert type(body.root) is m.PublicUser
    with pytest.raises(ValidationError):
        m.GetMe200ResponseBody.model_validate({"view": "PublicUser"})
