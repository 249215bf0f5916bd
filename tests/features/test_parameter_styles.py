"""Parameters in every location and style, arrays and objects, ``content`` and union types."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import GeneratedApi, MakeApi, client, problem

SPEC = """
openapi: 3.1.0
info: {title: Styles, version: "1"}
paths:
  /simple/{ids}/{obj}:
    get:
      operationId: simplePath
      parameters:
        - {name: ids, in: path, required: true, schema: {type: array, items: {type: integer}}}
        - name: obj
          in: path
          required: true
          explode: true
          schema: {type: object, properties: {a: {type: integer}, b: {type: string}}}
      responses: {"200": {description: ok, content: {application/json: {schema: {}}}}}
  /label/{ids}:
    get:
      operationId: labelPath
      parameters:
        - {name: ids, in: path, required: true, style: label, explode: true,
           schema: {type: array, items: {type: string}}}
      responses: {"200": {description: ok, content: {application/json: {schema: {}}}}}
  /matrix/{ids}:
    get:
      operationId: matrixPath
      parameters:
        - {name: ids, in: path, required: true, style: matrix,
           schema: {type: array, items: {type: integer}}}
      responses: {"200": {description: ok, content: {application/json: {schema: {}}}}}
  /repos/{owner}/{id}:
    parameters:
      - {name: owner, in: path, required: true, schema: {type: string}}
      - {name: id, in: path, required: true, schema: {type: string}}
    get:
      operationId: unionPath
      parameters:
        # overrides the path-item parameter of the same name and location
        - name: id
          in: path
          required: true
          schema: {oneOf: [{type: integer}, {type: string}]}
      responses: {"200": {description: ok, content: {application/json: {schema: {}}}}}
  /query:
    get:
      operationId: queryStyles
      parameters:
        - {name: tags, in: query, schema: {type: array, items: {type: string}}}
        - {name: csv, in: query, explode: false, schema: {type: array, items: {type: integer}}}
        - {name: spaced, in: query, style: spaceDelimited, explode: false,
           schema: {type: array, items: {type: string}}}
        - {name: piped, in: query, style: pipeDelimited, explode: false,
           schema: {type: array, items: {type: string}}}
        - name: filter
          in: query
          style: deepObject
          explode: true
          schema:
            type: object
            properties: {color: {type: string}, size: {type: integer}}
        - name: where
          in: query
          content:
            application/json:
              schema: {type: object, properties: {lat: {type: number}, lon: {type: number}}, required: [lat, lon]}
      responses: {"200": {description: ok, content: {application/json: {schema: {}}}}}
  /headers:
    get:
      operationId: headerStyles
      parameters:
        - {name: X-Ids, in: header, schema: {type: array, items: {type: integer}}}
        - name: X-Obj
          in: header
          explode: true
          schema: {type: object, properties: {role: {type: string}, level: {type: integer}}}
        - {name: prefs, in: cookie, explode: false, schema: {type: array, items: {type: string}}}
      responses: {"200": {description: ok, content: {application/json: {schema: {}}}}}
"""


def _plain(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", exclude_none=True)
    return value


def echo_service(api: GeneratedApi) -> Any:
    """Every operation answers 200 with the arguments it received."""

    def echo(prefix: str) -> Any:
        async def method(self: Any, **kwargs: Any) -> Any:
            body = {k: _plain(v) for k, v in kwargs.items() if v is not None}
            return getattr(api.responses, f"{prefix}200Response")(body=body)

        return method

    names = ["SimplePath", "LabelPath", "MatrixPath", "UnionPath", "QueryStyles", "HeaderStyles"]
    methods = {"_".join(w.lower() for w in _words(n)): echo(n) for n in names}
    return type("Echo", (), methods)()


def _words(name: str) -> list[str]:
    out: list[str] = []
    for ch in name:
        if ch.isupper():
            out.append(ch)
        else:
            out[-1] += ch
    return out


@pytest.fixture(scope="module")
def api(make_api: MakeApi) -> GeneratedApi:
    return make_api(SPEC)


@pytest.fixture
def app(api: GeneratedApi) -> Any:
    return api.create_app(default=echo_service(api))


async def test_path_simple_arrays_and_exploded_objects(app: Any) -> None:
    async with client(app) as c:
        res = await c.get("/simple/1,2,3/a=5,b=x")
        bad = await c.get("/simple/1,zz/a=5")
    assert res.json() == {"ids": [1, 2, 3], "obj": {"a": 5, "b": "x"}}
    assert [e["pointer"] for e in problem(bad, 422)["errors"]] == ["/path/ids/1"]


async def test_path_label_and_matrix(app: Any) -> None:
    async with client(app) as c:
        label = await c.get("/label/.a.b.c")
        matrix = await c.get("/matrix/;ids=4,5")
    assert label.json() == {"ids": ["a", "b", "c"]}
    assert matrix.json() == {"ids": [4, 5]}


async def test_oneof_integer_string_path_parameter_is_int_or_str(
    api: GeneratedApi, app: Any
) -> None:
    async with client(app) as c:
        number = await c.get("/repos/octo/42")
        name = await c.get("/repos/octo/hello")
    assert number.json() == {"owner": "octo", "id": 42}
    assert name.json() == {"owner": "octo", "id": "hello"}
    source = api.services.__file__
    with open(source, encoding="utf-8") as handle:
        assert "id: int | str" in handle.read()


async def test_query_styles(app: Any) -> None:
    async with client(app) as c:
        res = await c.get(
            "/query",
            params=[
                ("tags", "a"),
                ("tags", "b"),
                ("csv", "1,2"),
                ("spaced", "x y"),
                ("piped", "p|q"),
                ("filter[color]", "red"),
                ("filter[size]", "3"),
                ("where", '{"lat": 1.5, "lon": 2}'),
            ],
        )
        bad_json = await c.get("/query", params={"where": "{nope"})
    assert res.json() == {
        "tags": ["a", "b"],
        "csv": [1, 2],
        "spaced": ["x", "y"],
        "piped": ["p", "q"],
        "filter": {"color": "red", "size": 3},
        "where": {"lat": 1.5, "lon": 2.0},
    }
    assert [e["pointer"] for e in problem(bad_json, 422)["errors"]] == ["/query/where"]


async def test_header_and_cookie_styles(app: Any) -> None:
    async with client(app) as c:
        c.cookies.set("prefs", "dark,compact")
        res = await c.get("/headers", headers={"X-Ids": "7,8", "X-Obj": "role=admin,level=2"})
    assert res.json() == {
        "x_ids": [7, 8],
        "x_obj": {"role": "admin", "level": 2},
        "prefs": ["dark", "compact"],
    }


REQUIRED_WITH_DEFAULT = """
openapi: 3.0.3
info: {title: Required with a default, version: "1"}
paths:
  /clients:
    get:
      operationId: listClients
      parameters:
        - name: x-auth-secret
          in: header
          required: true
          schema: {type: string, default: "[authentication secret]"}
        - {name: page, in: query, required: true, schema: {type: integer, default: 1}}
      responses: {"200": {description: ok, content: {application/json: {schema: {}}}}}
"""


async def test_a_required_parameter_with_a_default_is_still_required(make_api: MakeApi) -> None:
    # envoice.in: `required: true` headers with a placeholder `default`; the default made them
    # optional, so a request without them was answered (schemathesis: missing_required_header).
    api = make_api(REQUIRED_WITH_DEFAULT)

    class Clients:
        async def list_clients(self, *, x_auth_secret: str, page: int) -> Any:
            return api.responses.ListClients200Response(body=[x_auth_secret, page])

    app = api.create_app(default=Clients())
    async with client(app) as c:
        given = await c.get("/clients", params={"page": 2}, headers={"x-auth-secret": "s"})
        missing = await c.get("/clients")
    assert given.json() == ["s", 2]
    pointers = sorted(e["pointer"] for e in problem(missing, 422)["errors"])
    assert pointers == ["/header/x-auth-secret", "/query/page"], pointers


INTEGER_ENUMS = """
openapi: 3.0.3
info: {title: Integer enums, version: "1"}
paths:
  /query.json:
    get:
      operationId: search
      parameters:
        - {name: facets, in: query, schema: {type: integer, enum: [0, 1], default: 0}}
        - {name: levels, in: query, schema: {type: array, items: {type: integer, enum: [-1, 2]}}}
        - {name: x-mode, in: header, required: true, schema: {type: integer, enum: [3, 4]}}
      responses: {"200": {description: ok, content: {application/json: {schema: {}}}}}
"""


async def test_integer_enum_parameters_take_their_members_as_text(make_api: MakeApi) -> None:
    # nytimes geo_api: `facets` (enum [0, 1]) refused `?facets=0` as "Input should be 0 or 1":
    # a parameter arrives as text, and pydantic's Literal[0, 1] refuses the string "0".
    api = make_api(INTEGER_ENUMS)

    class Search:
        async def search(self, *, facets: int, levels: list[int] | None, x_mode: int) -> Any:
            return api.responses.Search200Response(body=[facets, levels, x_mode])

    app = api.create_app(default=Search())
    async with client(app) as c:
        given = await c.get(
            "/query.json", params={"facets": "1", "levels": ["-1", "2"]}, headers={"x-mode": "4"}
        )
        default = await c.get("/query.json", headers={"x-mode": "3"})
        outside = await c.get("/query.json", params={"facets": "2"}, headers={"x-mode": "3"})
        text = await c.get("/query.json", params={"facets": "one"}, headers={"x-mode": "+3"})
    assert given.status_code == 200 and given.json() == [1, [-1, 2], 4], given.text
    assert default.json() == [0, None, 3]
    assert [e["pointer"] for e in problem(outside, 422)["errors"]] == ["/query/facets"]
    assert [e["pointer"] for e in problem(text, 422)["errors"]] == ["/query/facets"]


ONE_OF_ARRAYS = """
openapi: 3.0.3
info: {title: oneOf of arrays, version: "1"}
paths:
  /images:
    get:
      operationId: searchImages
      parameters:
        - name: country
          in: query
          schema:
            oneOf:
              - {type: array, items: {type: string, format: country-code-2}}
              - {type: array, items: {type: string, format: negated-country-code-2}}
      responses: {"200": {description: ok, content: {application/json: {schema: {}}}}}
"""


async def test_a_one_of_of_arrays_is_an_array_parameter(make_api: MakeApi) -> None:
    # shutterstock GET /v2/images/search: `contributor_country` is a oneOf of two arrays, read
    # as a single value, so `?contributor_country=` (the array [""]) was "not a valid list".
    api = make_api(ONE_OF_ARRAYS)

    class Images:
        async def search_images(self, *, country: Any) -> Any:
            return api.responses.SearchImages200Response(
                body=None if country is None else country.root
            )

    app = api.create_app(default=Images())
    async with client(app) as c:
        empty = await c.get("/images?country=")
        two = await c.get("/images?country=US&country=NOT%20FR")
        absent = await c.get("/images")
    assert empty.status_code == 200 and empty.json() == [""], empty.text
    assert two.json() == ["US", "NOT FR"]
    assert absent.json() is None


BOOLEAN_ENUMS = """
openapi: 3.0.3
info: {title: Boolean enums, version: "1"}
paths:
  /diff:
    post:
      operationId: diff
      parameters:
        - {name: withissues, in: query, schema: {type: string, enum: [true, 1]}}
      responses: {"200": {description: ok, content: {application/json: {schema: {}}}}}
  /categories:
    get:
      operationId: listCategories
      parameters:
        - {name: include_subcategories, in: query, schema: {type: boolean, enum: [true]}}
        - {name: either, in: query, schema: {type: boolean, enum: [true, false]}}
      responses: {"200": {description: ok, content: {application/json: {schema: {}}}}}
"""


async def test_enum_parameters_with_boolean_members_take_them_as_text(make_api: MakeApi) -> None:
    # openSUSE OBS: `withissues` (enum [true, 1]) refused both `?withissues=1` and `=true` as
    # "Input should be True or 1": the text reached pydantic's Literal[True, 1] unconverted.
    api = make_api(BOOLEAN_ENUMS)

    class Diff:
        async def diff(self, *, withissues: Any) -> Any:
            return api.responses.Diff200Response(body=[withissues])

        async def list_categories(self, **given: Any) -> Any:
            return api.responses.ListCategories200Response(body=given)

    app = api.create_app(default=Diff())
    async with client(app) as c:
        one = await c.post("/diff", params={"withissues": "1"})
        true = await c.post("/diff", params={"withissues": "true"})
        other = await c.post("/diff", params={"withissues": "yes"})
    assert one.status_code == 200 and one.json() == [1], one.text
    assert true.status_code == 200 and true.json() == [True], true.text
    assert [e["pointer"] for e in problem(other, 422)["errors"]] == ["/query/withissues"]


async def test_a_boolean_enum_of_one_member_takes_that_member_only(make_api: MakeApi) -> None:
    # discourse: `include_subcategories: {type: boolean, enum: [true]}` was a bool parameter,
    # so `?include_subcategories=false` was accepted (negative_data_rejection).
    api = make_api(BOOLEAN_ENUMS)

    class Categories:
        async def list_categories(self, **given: Any) -> Any:
            return api.responses.ListCategories200Response(body=given)

        async def diff(self, **given: Any) -> Any:
            return api.responses.Diff200Response(body=given)

    app = api.create_app(default=Categories())
    async with client(app) as c:
        true = await c.get("/categories", params={"include_subcategories": "true"})
        false = await c.get("/categories", params={"include_subcategories": "false"})
        either = await c.get("/categories", params={"either": "false"})
    assert true.status_code == 200 and true.json()["include_subcategories"] is True, true.text
    assert [e["pointer"] for e in problem(false, 422)["errors"]] == ["/query/include_subcategories"]
    assert either.status_code == 200 and either.json()["either"] is False, either.text


BOOLEANS_AS_TEXT = """
openapi: 3.0.3
info: {title: Booleans as text, version: "1"}
paths:
  /search:
    get:
      operationId: search
      parameters:
        - {name: prefix, in: query, schema: {type: boolean, enum: ["false", "true"]}}
        - {name: exact, in: query, schema: {type: boolean, enum: ["true"]}}
      responses: {"200": {description: ok, content: {application/json: {schema: {}}}}}
"""


async def test_a_boolean_enum_listing_the_text_of_booleans_takes_those_booleans(
    make_api: MakeApi,
) -> None:
    # oxforddictionaries: `prefix: {type: boolean, enum: ["false", "true"]}` admits nothing
    # literally; the members are the text a client sends, so they are the booleans they name
    # (and `enum: ["true"]` is true alone, as `enum: [true]` is).
    api = make_api(BOOLEANS_AS_TEXT)

    class Search:
        async def search(self, **given: Any) -> Any:
            return api.responses.Search200Response(body=given)

    app = api.create_app(default=Search())
    async with client(app) as c:
        false = await c.get("/search", params={"prefix": "false"})
        exact = await c.get("/search", params={"exact": "true"})
        inexact = await c.get("/search", params={"exact": "false"})
        other = await c.get("/search", params={"prefix": "AAA"})
    assert false.status_code == 200 and false.json()["prefix"] is False, false.text
    assert exact.status_code == 200 and exact.json()["exact"] is True, exact.text
    assert [e["pointer"] for e in problem(inexact, 422)["errors"]] == ["/query/exact"]
    assert [e["pointer"] for e in problem(other, 422)["errors"]] == ["/query/prefix"]


MIXED_ENUMS = """
openapi: 3.0.3
info: {title: Mixed enums, version: "1"}
paths:
  /videos:
    get:
      operationId: searchVideos
      parameters:
        - {name: aspect_ratio, in: query, schema: {type: string, enum: [43, 169, nonstandard]}}
      responses: {"200": {description: ok, content: {application/json: {schema: {}}}}}
"""


async def test_an_enum_mixing_numbers_and_strings_takes_the_numbers_as_text(
    make_api: MakeApi,
) -> None:
    # shutterstock GET /v2/videos/search: `aspect_ratio` (enum [43, 169, nonstandard]; YAML read
    # 4_3 as 43) refused `?aspect_ratio=43` as "Input should be 43, 169 or 'nonstandard'".
    api = make_api(MIXED_ENUMS)

    class Videos:
        async def search_videos(self, *, aspect_ratio: Any) -> Any:
            return api.responses.SearchVideos200Response(body=[aspect_ratio])

    app = api.create_app(default=Videos())
    async with client(app) as c:
        number = await c.get("/videos", params={"aspect_ratio": "43"})
        text = await c.get("/videos", params={"aspect_ratio": "nonstandard"})
        other = await c.get("/videos", params={"aspect_ratio": "44"})
    assert number.status_code == 200 and number.json() == [43], number.text
    assert text.json() == ["nonstandard"]
    assert [e["pointer"] for e in problem(other, 422)["errors"]] == ["/query/aspect_ratio"]


UNTYPED_ITEMS_DEFAULT = """
openapi: 3.0.3
info: {title: Checkout, version: "1"}
paths:
  /items:
    post:
      operationId: addItems
      parameters:
        - name: allowedOutdatedData
          in: query
          style: form
          schema: {type: array, items: {}, default: [paymentData]}
      responses: {"200": {description: ok, content: {application/json: {schema: {}}}}}
"""


async def test_a_list_default_of_a_parameter_typed_by_a_root_model(make_api: MakeApi) -> None:
    # vtex Checkout-API: an array of untyped items is a root model, and its default was written
    # as the bare list (`= ["paymentData"]`), a mypy error in the generated routers.
    from specfirst.schema_types import default_literal

    schema = {"type": "array", "items": {}, "default": ["paymentData"]}
    assert (
        default_literal(schema, "models.DataParameter") == "models.DataParameter(['paymentData'])"
    )
    assert default_literal(schema, "list[str]") == "['paymentData']"
    assert default_literal(schema, "dict[str, Any]") is None
    api = make_api(UNTYPED_ITEMS_DEFAULT)

    class Items:
        async def add_items(self, *, allowed_outdated_data: Any) -> Any:
            return api.responses.AddItems200Response(body=allowed_outdated_data.root)

    app = api.create_app(default=Items())
    async with client(app) as c:
        absent = await c.post("/items")
        given = await c.post("/items", params={"allowedOutdatedData": "x"})
    assert absent.status_code == 200 and absent.json() == ["paymentData"], absent.text
    assert given.json() == ["x"]


ITEM_BOUNDS = """
openapi: 3.0.3
info: {title: Item bounds, version: "1"}
paths:
  /totals/{years}:
    get:
      operationId: totals
      parameters:
        - {name: years, in: path, required: true,
           schema: {type: array, items: {type: integer, minimum: 1900}}}
        - {name: cycle, in: query, explode: true,
           schema: {type: array, items: {type: integer, format: int32}}}
        - {name: office, in: query, style: pipeDelimited, explode: false,
           schema: {type: array, items: {type: string, maxLength: 1}}}
      responses: {"200": {description: ok, content: {application/json: {schema: {}}}}}
"""


async def test_each_item_of_an_array_parameter_holds_to_its_schema(make_api: MakeApi) -> None:
    # fec.gov: `cycle` (items int32) took -656938607210307951987261440, a 200 where the
    # contract run's negative_data_rejection expects a 4xx; the items' bounds were not read.
    api = make_api(ITEM_BOUNDS)

    class Totals:
        async def totals(
            self, *, years: list[int], cycle: list[int] | None, office: list[str] | None
        ) -> Any:
            return api.responses.Totals200Response(body=[years, cycle, office])

    app = api.create_app(default=Totals())
    huge = str(2**31)
    async with client(app) as c:
        given = await c.get("/totals/2020,2022", params={"cycle": ["2020", "-4"], "office": "H|S"})
        too_big = await c.get("/totals/2020", params={"cycle": ["2020", huge]})
        too_long = await c.get("/totals/2020", params={"office": "H|SS"})
        too_early = await c.get("/totals/2020,1800")
    assert given.status_code == 200 and given.json() == [[2020, 2022], [2020, -4], ["H", "S"]]
    assert [e["pointer"] for e in problem(too_big, 422)["errors"]] == ["/query/cycle/1"]
    assert problem(too_long, 422)["errors"][0]["pointer"].startswith("/query/office")
    assert problem(too_early, 422)["errors"][0]["pointer"].startswith("/path/years")


ALLOW_EMPTY = """
openapi: 3.0.3
info: {title: Empty values, version: "1"}
paths:
  /apps:
    get:
      operationId: listApps
      parameters:
        - {name: limit, in: query, allowEmptyValue: true, schema: {type: integer, default: 50}}
        - {name: archived, in: query, allowEmptyValue: true, schema: {type: boolean}}
        - {name: lat, in: query, required: true, allowEmptyValue: true, schema: {type: number}}
        - {name: ids, in: query, allowEmptyValue: true, schema: {type: array, items: {type: integer}}}
        - {name: q, in: query, allowEmptyValue: true, schema: {type: string}}
        - {name: strict, in: query, schema: {type: integer}}
      responses: {"200": {description: ok, content: {application/json: {schema: {}}}}}
"""


@pytest.mark.parametrize("lazy", [False, True])
async def test_an_empty_value_a_parameter_allows_is_the_parameter_left_out(
    make_api: MakeApi, lazy: bool
) -> None:
    # daniweb GET /apps: `allowEmptyValue: true` on integer and boolean query parameters, and
    # `?limit=` refused as "unable to parse string as an integer" (positive_data_acceptance).
    api = make_api(ALLOW_EMPTY)

    class Apps:
        async def list_apps(self, **given: Any) -> Any:
            return api.responses.ListApps200Response(body=given)

    app = api.create_app(default=Apps, lazy_routes=lazy)
    async with client(app) as c:
        empty = await c.get("/apps?limit=&archived=&lat=&ids=&q=")
        given = await c.get("/apps?limit=3&archived=true&lat=1.5&ids=1&ids=2&q=x")
        refused = await c.get("/apps?lat=1&strict=")
    assert empty.status_code == 200, empty.text
    assert empty.json() == {
        "limit": 50,
        "archived": None,
        "lat": None,
        "ids": [],
        "q": "",
        "strict": None,
    }
    assert given.json() == {
        "limit": 3,
        "archived": True,
        "lat": 1.5,
        "ids": [1, 2],
        "q": "x",
        "strict": None,
    }
    assert [e["pointer"] for e in problem(refused, 422)["errors"]] == ["/query/strict"]


REQUIRED_OBJECTS = """
openapi: 3.0.2
info: {title: Required objects in the query, version: "1"}
paths:
  /services/search:
    get:
      operationId: searchServices
      parameters:
        - {name: queryMap, in: query, required: true,
           schema: {type: object, additionalProperties: {type: string}}}
      responses: {"200": {description: ok, content: {application/json: {schema: {}}}}}
  /filtered:
    get:
      operationId: filtered
      parameters:
        - {name: filter, in: query, required: true, style: deepObject, explode: true,
           schema: {type: object, properties: {color: {type: string}}}}
      responses: {"200": {description: ok, content: {application/json: {schema: {}}}}}
  /named:
    get:
      operationId: named
      parameters:
        - {name: by, in: query, required: true,
           schema: {type: object, properties: {name: {type: string}}, required: [name]}}
      responses: {"200": {description: ok, content: {application/json: {schema: {}}}}}
"""


async def test_a_required_exploded_object_is_empty_when_the_query_has_none_of_its_keys(
    make_api: MakeApi,
) -> None:
    # microcks.local: `queryMap` (required, form/explode, free-form) was refused "Field required"
    # with no query string, though the empty object, schema-valid, serializes to nothing
    # (schemathesis: positive_data_acceptance). The schema still decides: `by` needs `name`.
    api = make_api(REQUIRED_OBJECTS)

    class Search:
        async def search_services(self, *, query_map: Any) -> Any:
            return api.responses.SearchServices200Response(body=_plain(query_map))

        async def filtered(self, *, filter: Any) -> Any:
            return api.responses.Filtered200Response(body=_plain(filter))

        async def named(self, *, by: Any) -> Any:
            return api.responses.Named200Response(body=_plain(by))

    app = api.create_app(default=Search())
    async with client(app) as c:
        empty = await c.get("/services/search")
        given = await c.get("/services/search", params={"name": "x", "labels.env": "dev"})
        no_filter = await c.get("/filtered")
        a_filter = await c.get("/filtered", params={"filter[color]": "red"})
        unnamed = await c.get("/named")
    assert empty.status_code == 200 and empty.json() == {}, empty.text
    assert given.json() == {"name": "x", "labels.env": "dev"}
    assert no_filter.status_code == 200 and no_filter.json() == {}, no_filter.text
    assert a_filter.json() == {"color": "red"}
    assert [e["pointer"] for e in problem(unnamed, 422)["errors"]] == ["/query/by/name"]


JSON_QUERY = """
openapi: 3.0.3
info: {title: JSON text in a query, version: "1"}
paths:
  /info:
    get:
      operationId: info
      parameters:
        - name: q
          in: query
          content:
            application/json:
              schema:
                type: object
                properties:
                  page: {type: integer}
                  columns:
                    type: object
                    additionalProperties:
                      type: object
                      properties: {page_size: {type: integer}}
      responses: {"200": {description: ok, content: {application/json: {schema: {}}}}}
"""


@pytest.mark.parametrize(
    ("q", "status"),
    [
        ('{"page": 2, "columns": {"a": {"page_size": 10}}}', 200),
        ('{"page": 2.0}', 200),  # JSON Schema counts 2.0 as an integer
        ('{"page": false}', 422),  # JSON has its own types: false is not 0
        ('{"page": "2"}', 422),
        ('{"columns": {"a": {"page_size": true}}}', 422),
    ],
)
async def test_a_json_query_parameter_is_json_with_json_types(
    make_api: MakeApi, q: str, status: int
) -> None:
    # superset's `q` (`content: application/json`): a boolean inside it was taken for an
    # integer, as in a query string's text, where a body refuses it (negative_data_rejection).
    api = make_api(JSON_QUERY)

    class Info:
        async def info(self, *, q: Any = None) -> Any:
            return api.responses.Info200Response(body=q is not None)

    app = api.create_app(default=Info())
    async with client(app) as c:
        response = await c.get("/info", params={"q": q})
    assert response.status_code == status, response.text
