"""The contract run tests the API the generated app serves (``specfirst.contract.document``).

Two real specs failed their first contract run on a literal reading the app does not share:
va.gov's facilities API declares a required ``Accept`` header (OpenAPI: ignored), and
climate.com's ``BoundaryUpload`` has ``properties`` but no ``type`` (schemathesis sent
``null``, which the generated model refuses).
"""

from __future__ import annotations

import copy
from typing import Any

import yaml

from specfirst.contract import ContractOptions, format_summary, run_contract
from specfirst.contract.document import as_the_app_reads, formless_bodies, unread_media
from tests.e2e.conftest import GeneratedApi, MakeApi, make_api  # noqa: F401  (fixture)
from tests.features.test_form_encodings import SEND_FILES

SPEC = """
openapi: 3.0.3
info: {title: Vendor, version: 1.0.0}
paths:
  /places:
    parameters:
      - {name: Accept, in: header, required: true, schema: {type: string, enum: [text/csv]}}
    get:
      operationId: listPlaces
      parameters:
        - $ref: '#/components/parameters/Authorization'
        - {name: limit, in: query, schema: {type: integer}}
        - {name: addrevision, in: query, schema: {type: string, enum: [1]}}
      responses: {'200': {description: ok, content: {application/json: {schema: {}}}}}
    post:
      operationId: uploadPlace
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Upload'}
      responses: {'201': {description: made, content: {application/json: {schema: {}}}}}
components:
  parameters:
    Authorization: {name: authorization, in: header, required: true, schema: {type: string}}
  schemas:
    Upload:
      required: [name]
      properties:
        name: {type: string}
        shape:
          properties: {kind: {type: string}}
          example: {properties: {kept: as written}}
        either: {oneOf: [{type: string}, {properties: {a: {type: string}}}]}
"""


def test_the_document_is_read_as_the_app_reads_it() -> None:
    import yaml

    document = yaml.safe_load(SPEC)
    before = copy.deepcopy(document)
    read = as_the_app_reads(document)
    assert read is not None and document == before  # a copy; the spec is left alone
    path = read["paths"]["/places"]
    assert path["parameters"] == []
    assert [p.get("name") for p in path["get"]["parameters"]] == ["limit", "addrevision"]
    assert path["get"]["parameters"][1]["schema"] == {"type": "string", "enum": ["1"]}
    upload = read["components"]["schemas"]["Upload"]
    assert upload["type"] == "object" and upload["properties"]["shape"]["type"] == "object"
    assert upload["properties"]["shape"]["example"] == {"properties": {"kept": "as written"}}
    assert "type" not in upload["properties"]["either"]  # a composition says what it is
    assert upload["properties"]["either"]["oneOf"][1]["type"] == "object"


def test_a_document_the_app_reads_literally_is_not_copied() -> None:
    import yaml

    plain = yaml.safe_load(SPEC.replace("Accept", "X-Accept").replace("authorization", "x-key"))
    plain["paths"]["/places"]["get"]["parameters"][2]["schema"]["enum"] = ["1"]
    plain["components"]["schemas"]["Upload"]["type"] = "object"
    plain["components"]["schemas"]["Upload"]["properties"]["shape"]["type"] = "object"
    plain["components"]["schemas"]["Upload"]["properties"]["either"]["oneOf"][1]["type"] = "object"
    assert as_the_app_reads(plain) is None


def test_the_run_does_not_fail_the_app_for_a_literal_reading(make_api: MakeApi) -> None:  # noqa: F811
    vendor = make_api(SPEC)

    class Places:
        async def list_places(self, *, limit: int | None = None, addrevision: Any = None) -> Any:
            return vendor.responses.ListPlaces200Response(body=[limit])

        async def upload_place(self, *, body: Any) -> Any:
            return vendor.responses.UploadPlace201Response(body=body.model_dump(mode="json"))

    app = vendor.create_app(default=Places())
    result = run_contract(ContractOptions(spec=vendor.spec_path, app=app, max_examples=10))
    assert not result.failures and not result.errors, format_summary(result)
    reached = {label for label, op in result.coverage.operations.items() if op.reached_success()}
    assert reached == {"GET /places", "POST /places"}, format_summary(result)


NUMBERS_AS_TEXT = """
openapi: 3.0.3
info: {title: OBS, version: 1.0.0}
paths:
  /request:
    post:
      operationId: createRequest
      parameters:
        - {name: cmd, in: query, required: true, schema: {type: string, enum: [create]}}
        - {name: addrevision, in: query, schema: {type: string, enum: [1]}}
        - {name: ignore_build_state, in: query, schema: {type: string, enum: [1]}}
      responses: {'200': {description: ok}, '400': {description: bad}}
"""


def test_a_string_parameter_listing_numbers_is_tested_with_their_text(
    make_api: MakeApi,  # noqa: F811
) -> None:
    """openSUSE OBS: ``{type: string, enum: [1]}`` admits nothing literally, and schemathesis
    sent ``ignore_build_state=0`` as a valid value; the app takes ``1`` (the text a client
    sends) and refuses the rest, as the run now expects."""
    obs = make_api(NUMBERS_AS_TEXT)
    seen: list[Any] = []

    class Requests:
        async def create_request(self, **arguments: Any) -> None:
            seen.append(arguments["ignore_build_state"])

    app = obs.create_app(default=Requests())
    result = run_contract(ContractOptions(spec=obs.spec_path, app=app, max_examples=10))
    assert not result.failures and not result.errors, format_summary(result)
    assert 1 in seen


BOOLEANS_AS_TEXT = """
openapi: 3.0.3
info: {title: Dictionary, version: 1.0.0}
paths:
  /search/{lang}:
    get:
      operationId: search
      parameters:
        - {name: lang, in: path, required: true, schema: {type: string, enum: [en, es]}}
        - {name: prefix, in: query, schema: {type: boolean, enum: ["false", "true"]}}
        - {name: exact, in: query, schema: {type: boolean, enum: ["true"]}}
      responses: {'200': {description: ok}, '400': {description: bad}}
"""


def test_a_boolean_parameter_listing_the_text_of_booleans_is_tested_with_those_booleans(
    make_api: MakeApi,  # noqa: F811
) -> None:
    """oxforddictionaries: ``{type: boolean, enum: ["false", "true"]}`` admits nothing
    literally; schemathesis sent ``prefix=AAA`` as valid and ``prefix=false`` as invalid. The
    app reads the members as the booleans they name, and so does the run."""
    oxford = make_api(BOOLEANS_AS_TEXT)
    seen: list[Any] = []

    class Search:
        async def search(self, **arguments: Any) -> None:
            seen.append((arguments["prefix"], arguments["exact"]))

    app = oxford.create_app(default=Search())
    result = run_contract(ContractOptions(spec=oxford.spec_path, app=app, max_examples=10))
    assert not result.failures and not result.errors, format_summary(result)
    assert {prefix for prefix, _ in seen} >= {True, False}
    assert {exact for _, exact in seen} <= {True, None}


RAW_BODY = """
openapi: 3.0.3
info: {title: OBS, version: 1.0.0}
paths:
  /build/{file}:
    put:
      operationId: putFile
      parameters:
        - {name: file, in: path, required: true, schema: {type: string}}
      requestBody:
        content:
          plain/text: {schema: {type: string}}
      responses: {'200': {description: ok}}
"""


def test_a_body_of_a_media_type_schemathesis_cannot_serialize_is_sent_raw(
    make_api: MakeApi,  # noqa: F811
) -> None:
    """openSUSE OBS uploads a file as ``plain/text``, a media type schemathesis has no
    serializer for ("Serialization not possible"); the app reads the body as bytes, and so
    the run sends it, for this run only."""
    import schemathesis.transport.requests as requests_transport

    obs = make_api(RAW_BODY)
    bodies: list[Any] = []

    class Files:
        async def put_file(self, *, file: str, body: Any) -> None:
            bodies.append(body)

    app = obs.create_app(default=Files())
    result = run_contract(ContractOptions(spec=obs.spec_path, app=app, max_examples=10))
    assert not result.failures and not result.errors, format_summary(result)
    assert any(isinstance(body, bytes) and body for body in bodies), bodies
    transport = requests_transport.REQUESTS_TRANSPORT
    assert transport.get_first_matching_media_type("plain/text") is None  # left as it was


FORMATTERS = """
openapi: 3.0.1
info: {title: ASP.NET, version: v1}
paths:
  /api/client/delete:
    post:
      operationId: ClientApi_Delete
      parameters:
        - {name: x-auth-key, in: header, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json: {schema: {$ref: '#/components/schemas/Delete'}}
          application/x-www-form-urlencoded: {schema: {$ref: '#/components/schemas/Delete'}}
          application/xml: {schema: {$ref: '#/components/schemas/Delete'}}
          text/html: {schema: {$ref: '#/components/schemas/Delete'}}
          text/xml: {schema: {$ref: '#/components/schemas/Delete'}}
      responses:
        '200': {description: OK, content: {application/json: {schema: {type: integer}}}}
        '415': {description: Unsupported Media Type}
        '422': {description: Invalid}
components:
  schemas:
    Delete: {type: object, properties: {Id: {type: integer}}}
"""


FORM_FIRST = FORMATTERS.replace(
    "          application/json: {schema: {$ref: '#/components/schemas/Delete'}}\n", ""
)


def test_a_json_body_s_undecoded_media_types_are_named_not_sent() -> None:
    """envoice.in and smart-me.com list every ASP.NET formatter for each body; the app reads
    the JSON and the form of the same schema, and hands the XML and HTML over undecoded (the
    implementation validates them), so the run cannot hold the app to the schema there."""
    import yaml

    document = yaml.safe_load(FORMATTERS)
    read = as_the_app_reads(document)
    assert read is not None
    content = read["paths"]["/api/client/delete"]["post"]["requestBody"]["content"]
    assert list(content) == ["application/json", "application/x-www-form-urlencoded"]
    assert unread_media(document) == [
        "POST /api/client/delete: request body as application/xml, text/html, text/xml (the "
        "app hands it over undecoded: the implementation validates it)"
    ]


def test_a_body_is_sent_only_as_the_app_reads_it() -> None:
    """A body with no JSON media type is read as its first kind (the form) and the app
    answers the others 415, as generate says ("accepted as … only")."""
    import yaml

    document = yaml.safe_load(FORM_FIRST)
    read = as_the_app_reads(document)
    assert read is not None
    content = read["paths"]["/api/client/delete"]["post"]["requestBody"]["content"]
    assert list(content) == ["application/x-www-form-urlencoded"]
    assert unread_media(document) == [
        "POST /api/client/delete: request body as application/xml, text/html, text/xml "
        "(read as application/x-www-form-urlencoded only)"
    ]


def test_a_form_with_object_properties_is_not_sent() -> None:
    """smart-me.com's ``CustomDeviceToPost.Values`` is an array of objects: the app reads each
    form value as JSON text, schemathesis sends each object's keys (``Values=Name``), which no
    server can read; the JSON body is sent, the form is named as not sent."""
    import yaml

    document = yaml.safe_load(FORMATTERS)
    document["components"]["schemas"]["Delete"]["properties"]["Values"] = {
        "type": "array",
        "items": {"$ref": "#/components/schemas/Value"},
    }
    document["components"]["schemas"]["Value"] = {"properties": {"Name": {"type": "string"}}}
    body = document["paths"]["/api/client/delete"]["post"]["requestBody"]["content"]
    body["application/vnd.envoice+json"] = body["application/json"]  # JSON: sent as it is
    read = as_the_app_reads(document)
    assert read is not None
    content = read["paths"]["/api/client/delete"]["post"]["requestBody"]["content"]
    assert list(content) == ["application/json", "application/vnd.envoice+json"]
    assert unread_media(document)[0] == (
        "POST /api/client/delete: request body as application/x-www-form-urlencoded (the app "
        "reads its object properties as JSON text; schemathesis would send an object's keys)"
    )


def test_a_form_of_an_array_is_not_sent() -> None:
    """archive.org's wayback declares its array of requests as JSON, form and CSV: a form's
    fields are an object's properties, so the app answers the form 415 (schemathesis sent
    the items' keys run together, ``url=a&url=b``, "Schema-valid request rejected"); the JSON
    body is sent, the form is named as not sent."""
    import yaml

    document = yaml.safe_load(FORMATTERS)
    document["components"]["schemas"]["Delete"] = {
        "type": "array",
        "items": {"type": "object", "properties": {"Id": {"type": "integer"}}},
    }
    read = as_the_app_reads(document)
    assert read is not None
    content = read["paths"]["/api/client/delete"]["post"]["requestBody"]["content"]
    assert list(content) == ["application/json"]
    assert unread_media(document)[0] == (
        "POST /api/client/delete: request body as application/x-www-form-urlencoded (its "
        "schema is not an object, so a form has no fields for it: answered 415)"
    )


def test_a_form_with_an_array_of_arrays_is_not_sent() -> None:
    """nordigen's ``access_scope`` is an array of arrays: the app reads each form value as one
    JSON array, schemathesis sends each inner array as Python's text of it (``[1, 'true']``),
    which is no JSON; the JSON body is sent, the form is named as not sent."""
    import yaml

    document = yaml.safe_load(FORMATTERS)
    document["components"]["schemas"]["Delete"]["properties"]["Scope"] = {
        "type": "array",
        "items": {"type": "array", "items": {}},
    }
    read = as_the_app_reads(document)
    assert read is not None
    content = read["paths"]["/api/client/delete"]["post"]["requestBody"]["content"]
    assert "application/x-www-form-urlencoded" not in content
    assert unread_media(document)[0] == (
        "POST /api/client/delete: request body as application/x-www-form-urlencoded (the app "
        "reads each item of an array of arrays as JSON text; schemathesis would send each "
        "inner array as Python text ([1, 'a']))"
    )


def test_the_run_sends_no_body_the_app_does_not_read(make_api: MakeApi) -> None:  # noqa: F811
    vendor = make_api(FORM_FIRST)

    class Clients:
        async def client_api_delete(self, *, x_auth_key: str, body: Any) -> Any:
            return vendor.responses.ClientApiDelete200Response(body=1)

    app = vendor.create_app(default=Clients())
    result = run_contract(ContractOptions(spec=vendor.spec_path, app=app, max_examples=10))
    assert not result.failures and not result.errors, format_summary(result)
    assert (
        "note: not sent: POST /api/client/delete: request body as application/xml, text/html, "
        "text/xml (read as application/x-www-form-urlencoded only)"
    ) in format_summary(result)


UNDECODED = """
openapi: 3.0.3
info: {title: Noosh, version: 1.0.0}
paths:
  /rates:
    post:
      operationId: postRates
      requestBody:
        required: true
        content:
          application/json: {schema: {$ref: '#/components/schemas/Rate'}}
          application/x-json-smile: {schema: {$ref: '#/components/schemas/Rate'}}
          text/csv: {schema: {$ref: '#/components/schemas/Rate'}}
      responses: {'204': {description: ok}, '422': {description: invalid}}
components:
  schemas:
    Rate:
      type: object
      properties: {rate: {type: number, example: 1.5}}
"""


def test_structured_media_types_handed_over_undecoded_are_not_sent(
    make_api: MakeApi,  # noqa: F811
) -> None:
    """noosh.com declares each JSON body as x-json-smile, x-yaml and text/csv too: the app
    hands those over undecoded (bytes, text) for the implementation to validate, so it cannot
    be held to the schema there, and schemathesis has no serializer for most of them ("Serialization
    not possible" on every such operation). The run sends the JSON and names the rest."""
    import yaml

    document = yaml.safe_load(UNDECODED)
    read = as_the_app_reads(document)
    assert read is not None
    content = read["paths"]["/rates"]["post"]["requestBody"]["content"]
    assert list(content) == ["application/json"]
    noosh = make_api(UNDECODED)

    class Rates:
        async def post_rates(self, *, body: Any) -> None:
            return None

    app = noosh.create_app(default=Rates())
    result = run_contract(ContractOptions(spec=noosh.spec_path, app=app, max_examples=10))
    assert not result.failures and not result.errors, format_summary(result)
    assert (
        "note: not sent: POST /rates: request body as application/x-json-smile, text/csv (the "
        "app hands it over undecoded: the implementation validates it)"
    ) in format_summary(result)


def _valid_forms_accepted(api: GeneratedApi, service: object) -> None:
    """The run sends only what the app reads (its valid requests accepted, none a 500)."""
    app = api.create_app(default=service)
    result = run_contract(
        ContractOptions(
            spec=api.spec_path,
            app=app,
            checks=("positive_data_acceptance", "not_a_server_error"),
            max_examples=20,
        )
    )
    assert not result.failures and not result.errors, format_summary(result)


NULLABLE_FORM = """
openapi: 3.0.3
info: {title: Stream, version: 1.0.0}
paths:
  /files:
    post:
      operationId: uploadFile
      requestBody:
        required: true
        content:
          multipart/form-data: {schema: {$ref: '#/components/schemas/FileUploadRequest'}}
      responses:
        '201': {description: made, content: {application/json: {schema: {type: string}}}}
components:
  schemas:
    FileUploadRequest:
      type: object
      nullable: true
      properties: {file: {type: string}, note: {type: string}}
"""


def test_a_nullable_form_body_is_sent_as_an_object(make_api: MakeApi) -> None:  # noqa: F811
    """stream-io's upload bodies are `nullable: true`: a form has no encoding of null, and
    schemathesis sent the text `None` as the whole multipart body, which the app refused."""
    stream = make_api(NULLABLE_FORM)

    class Files:
        async def upload_file(self, *, body: Any) -> Any:
            return stream.responses.UploadFile201Response(body="made")

    read = as_the_app_reads(yaml.safe_load(NULLABLE_FORM))
    assert read is not None
    schema = read["paths"]["/files"]["post"]["requestBody"]["content"]["multipart/form-data"]
    assert schema["schema"] == {
        "allOf": [{"$ref": "#/components/schemas/FileUploadRequest"}],
        "type": "object",
    }
    _valid_forms_accepted(stream, Files())


FORM_ARRAYS = """
openapi: 3.0.3
info: {title: Truora, version: 1.0.0}
paths:
  /reports/{report_id}/upload:
    parameters: [{name: report_id, in: path, required: true, schema: {type: string}}]
    post:
      operationId: batchUpload
      requestBody:
        required: true
        content:
          multipart/form-data: {schema: {$ref: '#/components/schemas/BatchUploadInput'}}
      responses:
        '200': {description: done, content: {application/json: {schema: {type: integer}}}}
        '400': {description: refused, content: {application/json: {schema: {type: object}}}}
  /tags:
    post:
      operationId: tagAll
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [tag, name]
              properties:
                tag: {type: array, items: {type: string}}
                name: {type: string}
      responses:
        '200': {description: done, content: {application/json: {schema: {type: integer}}}}
        '400': {description: refused, content: {application/json: {schema: {type: object}}}}
  /batches:
    post:
      operationId: describeBatch
      requestBody:
        required: true
        content:
          application/json: {schema: {$ref: '#/components/schemas/BatchUploadInput'}}
      responses:
        '200': {description: done, content: {application/json: {schema: {type: integer}}}}
components:
  schemas:
    BatchUploadInput:
      type: object
      required: [file]
      properties:
        file: {type: array, items: {type: string, format: binary}}
"""


def test_a_required_form_array_is_sent_with_an_item(make_api: MakeApi) -> None:  # noqa: F811
    """truora's batch upload requires `file`, an array of files: a form has a part (or field)
    per item, so `{"file": []}` went out as a multipart with no parts, the field left out,
    which the app rightly refused ("Schema-valid request rejected"). The run sends an item at
    least; the JSON body sharing the schema can still be sent `[]`."""
    document = yaml.safe_load(FORM_ARRAYS)
    read = as_the_app_reads(document)
    assert read is not None
    paths = read["paths"]
    upload = paths["/reports/{report_id}/upload"]["post"]["requestBody"]["content"]
    assert upload["multipart/form-data"]["schema"]["properties"]["file"] == {
        "type": "array",
        "items": {"type": "string", "format": "binary"},
        "minItems": 1,
    }
    tags = paths["/tags"]["post"]["requestBody"]["content"]["application/x-www-form-urlencoded"]
    assert tags["schema"]["properties"]["tag"]["minItems"] == 1
    assert "minItems" not in tags["schema"]["properties"]["name"]
    shared = read["components"]["schemas"]["BatchUploadInput"]["properties"]["file"]
    assert "minItems" not in shared
    assert paths["/batches"]["post"]["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/BatchUploadInput"
    }
    truora = make_api(FORM_ARRAYS)

    class Uploads:
        async def batch_upload(self, *, report_id: str, body: Any) -> int:
            return len(body.file)

        async def tag_all(self, *, body: Any) -> int:
            return len(body.tag)

        async def describe_batch(self, *, body: Any) -> int:
            return len(body.file)

    _valid_forms_accepted(truora, Uploads())


def test_a_required_array_leaves_an_unsendable_form_alternate_out() -> None:
    """A JSON body whose urlencoded alternate (the same schema) has an object property is
    sent as JSON only, also when that schema has a required array the form readings copy
    (the copy is no longer the JSON body's schema, so the alternate is judged first)."""
    document = yaml.safe_load(FORM_ARRAYS)
    properties = document["components"]["schemas"]["BatchUploadInput"]["properties"]
    properties["meta"] = {"type": "object", "properties": {"k": {"type": "string"}}}
    content = document["paths"]["/batches"]["post"]["requestBody"]["content"]
    content["application/x-www-form-urlencoded"] = copy.deepcopy(content["application/json"])
    read = as_the_app_reads(document)
    assert read is not None
    assert list(read["paths"]["/batches"]["post"]["requestBody"]["content"]) == ["application/json"]


BOOLEAN_BOUNDS = """
openapi: 3.0.1
info: {title: Portfolio Optimizer, version: 1.0.0}
paths:
  /ulcer-index:
    post:
      operationId: ulcerIndex
      requestBody:
        required: true
        content:
          application/json:
            examples:
              From portfolio values: {value: {portfolios: [{portfolioValues: [100, 95, 70]}]}}
              With a rate: {value: {portfolios: [{portfolioValues: [100, 95]}], riskFreeRate: 0}}
            schema:
              type: object
              required: [portfolios, riskFreeRate]
              properties:
                portfolios:
                  type: array
                  minItems: 1
                  items:
                    type: object
                    required: [portfolioValues]
                    properties:
                      portfolioValues:
                        type: array
                        minItems: 2
                        items: {type: number, minimum: 0, exclusiveMinimum: true}
                riskFreeRate: {type: number}
      responses: {'200': {description: ok, content: {application/json: {schema: {type: number}}}}}
  /kurtosis:
    post:
      operationId: kurtosis
      requestBody:
        required: true
        content:
          application/json:
            example: {values: [1, 2]}
            schema:
              type: object
              required: [values, weights]
              properties:
                values: {type: array, items: {type: number}}
                weights: {type: array, items: {type: number}}
      responses: {'200': {description: ok, content: {application/json: {schema: {type: number}}}}}
"""


def test_a_refused_example_schemathesis_cannot_check_is_not_sent(make_api: MakeApi) -> None:  # noqa: F811
    """portfoliooptimizer.io (3.0): the ulcer-index example leaves out the required
    `riskFreeRate`. schemathesis checks examples as JSON Schema 2020-12, cannot read the
    schema's boolean `exclusiveMinimum`, so took the example as valid and sent it: the app's
    422 failed "Schema-valid request rejected". The run leaves it out and says so; the valid
    example stays, and an example schemathesis can judge (no boolean bound) is left to it."""
    document = yaml.safe_load(BOOLEAN_BOUNDS)
    read = as_the_app_reads(document)
    assert read is not None
    media = read["paths"]["/ulcer-index"]["post"]["requestBody"]["content"]["application/json"]
    assert list(media["examples"]) == ["With a rate"]
    kurtosis = read["paths"]["/kurtosis"]["post"]["requestBody"]["content"]["application/json"]
    assert kurtosis["example"] == {"values": [1, 2]}
    assert unread_media(document) == [
        "POST /ulcer-index: request body example 'From portfolio values' (its schema refuses "
        "it: 'riskFreeRate' is a required property)"
    ]
    portfolio = make_api(BOOLEAN_BOUNDS)

    class Analysis:
        async def ulcer_index(self, *, body: Any) -> Any:
            return portfolio.responses.UlcerIndex200Response(body=len(body.portfolios))

        async def kurtosis(self, *, body: Any) -> Any:
            return portfolio.responses.Kurtosis200Response(body=len(body.values))

    app = portfolio.create_app(default=Analysis())
    result = run_contract(ContractOptions(spec=portfolio.spec_path, app=app, max_examples=10))
    assert not result.failures and not result.errors, format_summary(result)
    assert "note: not sent: POST /ulcer-index: request body example" in format_summary(result)


INLINE_ANSWERS = """
paths:
  /answerInlineQuery:
    post:
      operationId: answerInlineQuery
      requestBody:
        required: true
        content:
          application/json: {schema: {$ref: '#/components/schemas/Answer'}}
          application/x-www-form-urlencoded: {schema: {$ref: '#/components/schemas/Answer'}}
      responses:
        '200': {description: sent, content: {text/plain: {schema: {type: string}}}}
components:
  schemas:
    Answer:
      type: object
      required: [results]
      properties:
        results: {type: array, items: {$ref: '#/components/schemas/Result'}}
    Result:
      anyOf:
        - {type: object, properties: {photo_url: {type: string}}}
        - {type: object, properties: {video_url: {type: string}}}
"""


def _telegram() -> dict[str, Any]:
    """telegram.org's sendAnimation (tests.features.test_form_encodings) and answerInlineQuery."""
    document: dict[str, Any] = yaml.safe_load(SEND_FILES)
    more = yaml.safe_load(INLINE_ANSWERS)
    document["paths"].update(more["paths"])
    document["components"]["schemas"].update(more["components"]["schemas"])
    return document


def test_a_required_form_part_that_admits_null_is_sent(make_api: MakeApi) -> None:  # noqa: F811
    """telegram.org's `animation` is an upload (`InputFile`, an empty schema) or a file_id:
    schemathesis generated null, sent no part for it, the property left out, and the app
    rightly refused it ("Schema-valid request rejected"). The run sends a value; an optional
    part (`target`) may still be left out, and the shared `InputFile` is not changed."""
    document = _telegram()
    read = as_the_app_reads(document)
    assert read is not None
    body = read["paths"]["/sendAnimation"]["post"]["requestBody"]["content"]
    properties = body["multipart/form-data"]["schema"]["properties"]
    assert properties["animation"]["not"] == {"enum": [None]}
    assert "not" not in properties["chat_id"] and "not" not in properties["target"]
    assert (
        read["components"]["schemas"]["InputFile"] == document["components"]["schemas"]["InputFile"]
    )
    telegram = make_api(yaml.safe_dump(document, sort_keys=False))
    r = telegram.responses

    class Bot:
        async def send_animation(self, *, body: Any) -> Any:
            return r.SendAnimation200Response(body=str(body.animation is not None))

        async def answer_inline_query(self, *, body: Any) -> Any:
            return r.AnswerInlineQuery200Response(body=str(len(body.results)))

    _valid_forms_accepted(telegram, Bot())


def test_a_form_with_an_array_of_object_compositions_is_not_sent() -> None:
    """telegram.org's `answerInlineQuery` form alternate has `results`, an array of `anyOf`
    objects: read as JSON text, sent by schemathesis as the objects' keys."""
    assert unread_media(_telegram()) == [
        "POST /answerInlineQuery: request body as application/x-www-form-urlencoded (the app "
        "reads its object properties as JSON text; schemathesis would send an object's keys)"
    ]


SYNC = """
openapi: 3.0.3
info: {title: Relations, version: 1.0.0}
paths:
  /apis/{apiId}/versions/{apiVersionId}/{entityType}/{entityId}/syncWithSchema:
    parameters:
      - {name: apiId, in: path, required: true, schema: {type: string, example: "{{apiId}}"}}
      - {name: apiVersionId, in: path, required: true, schema: {type: string, example: "{{v}}"}}
      - {name: entityType, in: path, required: true, schema: {type: string, example: "{{type}}"}}
      - {name: entityId, in: path, required: true, schema: {type: string, example: "{{id}}"}}
    put:
      operationId: sync
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object, properties: {success: {type: boolean}}}
"""


def test_a_path_example_schemathesis_cannot_send_is_left_out(make_api: MakeApi) -> None:  # noqa: F811
    # getpostman.com declares Postman variables as its path parameters' examples
    # (`{{apiId}}`): schemathesis never sends a path value with `{`, `}` or `/`, yet drew
    # the examples in fuzzing and filtered them out, until the example-stub run of
    # `PUT …/{entityType}/{entityId}/syncWithSchema` failed Hypothesis' health check
    # ("Failed Health Check": filter_too_much). Such examples are left out, and named.
    document = yaml.safe_load(SYNC)
    path = document["paths"][
        "/apis/{apiId}/versions/{apiVersionId}/{entityType}/{entityId}/syncWithSchema"
    ]
    # the parameter's own examples too, and a named one at a time
    path["parameters"][1]["example"] = "{{v}}"
    path["parameters"].append({"name": "note", "in": "query", "schema": {"example": "{{n}}"}})
    path["parameters"][2]["examples"] = {"postman": {"value": "{{type}}"}, "mock": {"value": "m"}}
    read = as_the_app_reads(copy.deepcopy(document))
    assert read is not None
    path = read["paths"][
        "/apis/{apiId}/versions/{apiVersionId}/{entityType}/{entityId}/syncWithSchema"
    ]
    api_id, version, entity_type, entity_id, note = path["parameters"]
    assert "example" not in api_id["schema"] and "example" not in version
    assert "example" not in version["schema"] and "example" not in entity_type["schema"]
    assert entity_type["examples"] == {"mock": {"value": "m"}}
    assert "example" not in entity_id["schema"]
    assert note["schema"]["example"] == "{{n}}"  # a query value may hold them
    label = "PUT /apis/{apiId}/versions/{apiVersionId}/{entityType}/{entityId}/syncWithSchema"
    assert (
        f"{label}: path parameter 'apiId' example '{{{{apiId}}}}' (schemathesis sends no path value with '{{', '}}' or '/')"
        in unread_media(document)
    )

    api = make_api(SYNC)

    class Relations:
        async def sync(self, **kwargs: Any) -> Any:
            return api.models.Sync200ResponseBody(success=True)

    result = run_contract(
        ContractOptions(
            spec=api.spec_path,
            app=api.create_app(default=Relations()),
            phases=("examples", "fuzzing"),
            seed=20240601,
        )
    )
    assert not result.errors and not result.failures, format_summary(result)


ALLOF_EXTRAS = """
openapi: 3.0.3
info: {title: Users, version: 1.0.0}
paths:
  /users:
    post:
      operationId: createUser
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/UserCreate'}}}
      responses:
        '201': {description: made, content: {application/json: {schema: {type: boolean}}}}
  /strict:
    post:
      operationId: createStrict
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/StrictCreate'}}}
      responses:
        '201': {description: made, content: {application/json: {schema: {type: string}}}}
components:
  schemas:
    UserBase:
      type: object
      additionalProperties: {type: object}
      properties: {surname: {type: string}}
    UserCreate:
      type: object
      allOf: [{$ref: '#/components/schemas/UserBase'}]
      required: [accountEnabled]
      properties: {accountEnabled: {type: boolean}}
    StrictCreate:
      type: object
      additionalProperties: false
      allOf: [{$ref: '#/components/schemas/UserBase'}]
      required: [name]
      properties: {name: {type: string}}
"""


def test_additional_properties_in_an_allof_cover_the_names_no_part_declares() -> None:
    document = yaml.safe_load(ALLOF_EXTRAS)
    before = copy.deepcopy(document)
    read = as_the_app_reads(document)
    assert read is not None and document == before
    schemas = read["components"]["schemas"]
    assert schemas["UserBase"] == before["components"]["schemas"]["UserBase"]  # alone: as is
    base = schemas["UserCreate"]["allOf"][0]
    assert base["properties"] == {
        "surname": {"type": "string"},
        "accountEnabled": {"type": "boolean"},
    }
    assert base["additionalProperties"] == {"type": "object"}
    strict = schemas["StrictCreate"]
    assert strict["properties"] == {"name": {"type": "string"}, "surname": {"type": "string"}}
    assert strict["allOf"][0]["properties"] == {
        "surname": {"type": "string"},
        "name": {"type": "string"},
    }


def test_the_run_sends_what_the_subclassing_models_take(make_api: MakeApi) -> None:  # noqa: F811
    vendor = make_api(ALLOF_EXTRAS)

    class Users:
        async def create_user(self, *, body: Any) -> Any:
            return vendor.responses.CreateUser201Response(body=body.accountEnabled)

        async def create_strict(self, *, body: Any) -> Any:
            return vendor.responses.CreateStrict201Response(body=body.name)

    app = vendor.create_app(default=Users())
    options = ContractOptions(
        spec=vendor.spec_path, app=app, max_examples=10, phases=("examples", "fuzzing")
    )
    result = run_contract(options)
    assert not result.failures and not result.errors and not result.gates, format_summary(result)
    reached = {label for label, op in result.coverage.operations.items() if op.reached_success()}
    assert reached == {"POST /users", "POST /strict"}, format_summary(result)


CLOSED_ALLOF_EXAMPLES = """
openapi: 3.0.3
info: {title: Labels, version: 1.0.0}
paths:
  /labels:
    post:
      operationId: createLabel
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/CreateLabel'}}}
      responses:
        '200': {description: made, content: {application/json: {schema: {type: string}}}}
components:
  schemas:
    Shipment:
      type: object
      required: [carrier]
      properties: {carrier: {type: string, example: ups}}
    Label:
      type: object
      additionalProperties: false
      properties:
        shipment:
          allOf: [{$ref: '#/components/schemas/Shipment'}]
          writeOnly: true
        charge_event: {type: string, enum: [carrier_default, on_creation]}
        is_return_label: {type: boolean}
        label_id: {type: string, readOnly: true, example: se-1}
        tracking_number: {type: string, minLength: 1, example: '782758401696'}
        weight: {type: number, minimum: 0, exclusiveMinimum: true}
    CreateLabel:
      type: object
      additionalProperties: false
      allOf: [{$ref: '#/components/schemas/Label'}]
      required: [shipment]
      properties:
        service_point_id: {type: string, nullable: true, example: '614940'}
"""


def test_closed_allof_examples_keep_the_parts_schemas(make_api: MakeApi) -> None:  # noqa: F811
    # shipengine's create_label_request_body: the names of `label` were declared as `{}` on
    # the closed parent, and schemathesis' examples, which merge an allOf with the parent's
    # properties winning, sent every one as null ("shipment": null): "Schema-valid request
    # rejected" and no 200 in 1159 requests. schemathesis checks the examples it assembles,
    # but not where it cannot read the schema (draft-04's boolean exclusiveMinimum).
    vendor = make_api(CLOSED_ALLOF_EXAMPLES)

    class Labels:
        async def create_label(self, *, body: Any) -> Any:
            return vendor.responses.CreateLabel200Response(body=body.shipment.carrier)

    app = vendor.create_app(default=Labels())
    options = ContractOptions(spec=vendor.spec_path, app=app, max_examples=10)
    result = run_contract(options)
    assert not result.failures and not result.errors and not result.gates, format_summary(result)
    read = as_the_app_reads(yaml.safe_load(CLOSED_ALLOF_EXAMPLES))
    assert read is not None
    shipment = read["components"]["schemas"]["CreateLabel"]["properties"]["shipment"]
    assert shipment["allOf"] == [{"$ref": "#/components/schemas/Shipment"}]


CLOSED_WITH_ALTERNATIVES = """
openapi: 3.0.3
info: {title: Rates, version: 1.0.0}
paths:
  /rates/bulk:
    post:
      operationId: compareBulkRates
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/BulkRates'}}}
      responses:
        '200': {description: rated, content: {application/json: {schema: {type: integer}}}}
components:
  schemas:
    RateOptions:
      type: object
      properties:
        rate_options:
          type: object
          properties: {carrier_ids: {type: array, items: {type: string}}}
    ByShipmentIds:
      type: object
      required: [shipment_ids]
      properties: {shipment_ids: {type: array, items: {type: string}}}
    ByShipments:
      type: object
      required: [shipments]
      properties:
        shipments:
          type: array
          minItems: 1
          items: {type: object, properties: {weight: {type: number}}}
    BulkRates:
      type: object
      additionalProperties: false
      allOf: [{$ref: '#/components/schemas/RateOptions'}]
      oneOf:
        - {$ref: '#/components/schemas/ByShipmentIds'}
        - {$ref: '#/components/schemas/ByShipments'}
      required: [rate_options]
"""


def test_a_closed_schemas_alternatives_declare_names_too(make_api: MakeApi) -> None:  # noqa: F811
    # shipengine's compare_bulk_rates_request_body: closed, allOf [rate options], oneOf [by
    # shipment ids, by shipments]. Read literally no body is valid (the alternatives' names
    # are none of the closed schema's); schemathesis sent only invalid ones (400, 997 times).
    # Each alternative is the holder merged with it, closed over its own names and the holder's.
    read = as_the_app_reads(yaml.safe_load(CLOSED_WITH_ALTERNATIVES))
    assert read is not None
    bulk = read["components"]["schemas"]["BulkRates"]
    assert set(bulk) == {"oneOf"}
    assert [a["allOf"][1] for a in bulk["oneOf"]] == [
        {"$ref": "#/components/schemas/RateOptions"}
    ] * 2  # the holder's allOf parts, spliced in
    held = [alternative["allOf"][0] for alternative in bulk["oneOf"]]
    assert [sorted(h["properties"]) for h in held] == [
        ["rate_options", "shipment_ids"],
        ["rate_options", "shipments"],
    ]
    assert all(
        h["additionalProperties"] is False and h["required"] == ["rate_options"] for h in held
    )
    assert held[1]["properties"]["shipments"]["minItems"] == 1
    assert [a["allOf"][2] for a in bulk["oneOf"]] == [
        {"$ref": "#/components/schemas/ByShipmentIds"},
        {"$ref": "#/components/schemas/ByShipments"},
    ]
    vendor = make_api(CLOSED_WITH_ALTERNATIVES)

    class Rates:
        async def compare_bulk_rates(self, *, body: Any) -> Any:
            return vendor.responses.CompareBulkRates200Response(body=1)

    app = vendor.create_app(default=Rates())
    options = ContractOptions(spec=vendor.spec_path, app=app, max_examples=10)
    result = run_contract(options)
    assert not result.failures and not result.errors and not result.gates, format_summary(result)


CLOSED_WITH_OPEN_ALTERNATIVES = """
openapi: 3.0.3
info: {title: Rates, version: 1.0.0}
paths:
  /rates/estimate:
    post:
      operationId: estimateRates
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Estimate'}}}
      responses:
        '200': {description: rated, content: {application/json: {schema: {type: integer}}}}
        '400': {description: refused}
components:
  schemas:
    Options:
      type: object
      properties:
        weight: {type: integer, minimum: 1}
        from_city: {type: string, minLength: 1}
    ById:
      type: object
      properties: {carrier_id: {type: string}}
    ByIds:
      type: object
      properties: {carrier_ids: {type: array, minItems: 1, items: {type: string}}}
    Estimate:
      type: object
      additionalProperties: false
      allOf: [{$ref: '#/components/schemas/Options'}]
      required: [weight, from_city]
      oneOf:
        - {$ref: '#/components/schemas/ById'}
        - {$ref: '#/components/schemas/ByIds'}
"""


def test_a_closed_holder_of_open_alternatives_is_tested_as_the_models_read_it(
    make_api: MakeApi,  # noqa: F811
) -> None:
    # shipengine's estimate_rates_request_body: the alternatives are open objects that
    # require nothing, so only the holder's closedness tells them apart. With their names
    # declared on the holder every body was valid under both (no accepted case); the app took
    # {"carrier_ids": 5}. Each alternative closed over its names and the holder's takes a body
    # with one alternative's names, as the models do.
    read = as_the_app_reads(yaml.safe_load(CLOSED_WITH_OPEN_ALTERNATIVES))
    assert read is not None
    alternatives = read["components"]["schemas"]["Estimate"]["oneOf"]
    assert [sorted(a["allOf"][0]["properties"]) for a in alternatives] == [
        ["carrier_id", "from_city", "weight"],
        ["carrier_ids", "from_city", "weight"],
    ]
    vendor = make_api(CLOSED_WITH_OPEN_ALTERNATIVES)
    taken: list[str] = []

    class Rates:
        async def estimate_rates(self, *, body: Any) -> Any:
            taken.append(type(body.root).__name__)
            return vendor.responses.EstimateRates200Response(body=body.root.weight)

    app = vendor.create_app(default=Rates())
    options = ContractOptions(spec=vendor.spec_path, app=app, max_examples=20)
    result = run_contract(options)
    assert not result.failures and not result.errors and not result.gates, format_summary(result)
    reached = {label for label, op in result.coverage.operations.items() if op.reached_success()}
    assert reached == {"POST /rates/estimate"}, format_summary(result)
    assert set(taken) <= {"Estimate1", "Estimate2"} and taken


OPTIONAL_NULLABLE_FORM = """
openapi: 3.0.1
info: {title: Members, version: 1.0.0}
paths:
  /members/{sid}:
    parameters: [{name: sid, in: path, required: true, schema: {type: string}}]
    post:
      operationId: updateMember
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties:
                LastConsumedMessageIndex: {type: integer, nullable: true}
                Attributes: {type: string, nullable: true}
      responses:
        '200': {description: done, content: {application/json: {schema: {type: string}}}}
"""


def test_an_optional_form_field_that_admits_null_is_sent_as_a_value_or_left_out(
    make_api: MakeApi,  # noqa: F811
) -> None:
    """twilio.com's UpdateMember form has an optional `nullable: true` integer: a form has no
    encoding of null (RFC 6570 leaves an undefined value out), yet schemathesis sent the text
    `null` for it, which the app rightly refused as no integer ("Schema-valid request
    rejected"). The run sends a value or leaves the field out."""
    read = as_the_app_reads(yaml.safe_load(OPTIONAL_NULLABLE_FORM))
    assert read is not None
    body = read["paths"]["/members/{sid}"]["post"]["requestBody"]["content"]
    properties = body["application/x-www-form-urlencoded"]["schema"]["properties"]
    assert properties["LastConsumedMessageIndex"] == {"type": "integer"}
    assert properties["Attributes"] == {"type": "string"}
    members = make_api(OPTIONAL_NULLABLE_FORM)

    class Members:
        async def update_member(self, *, sid: str, body: Any) -> str:
            return "none" if body is None else str(body.last_consumed_message_index)

    _valid_forms_accepted(members, Members())


POLICIES = """
openapi: 3.0.3
info: {title: Conjur, version: 1.0.0}
paths:
  /policies/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
    put:
      operationId: replacePolicy
      requestBody:
        required: true
        content:
          text/plain:
            schema: {$ref: '#/paths/~1policies~1%7Bid%7D/put/requestBody/content/text~1yaml/schema'}
          text/yaml:
            schema: {type: string, minLength: 1}
      responses: {'201': {description: loaded}, '422': {description: bad}}
    patch:
      operationId: updatePolicy
      requestBody:
        required: true
        content:
          text/plain:
            schema: {$ref: '#/paths/~1policies~1%7Bid%7D/put/requestBody/content/text~1yaml/schema'}
          application/x-yaml:
            schema: {$ref: '#/paths/~1policies~1%7Bid%7D/put/requestBody/content/text~1yaml/schema'}
      responses: {'201': {description: loaded}, '422': {description: bad}}
"""


def test_a_media_type_left_out_keeps_the_schema_others_refer_to(
    make_api: MakeApi,  # noqa: F811
) -> None:
    """conjur: every policy body's media type refers to PUT's ``text/yaml`` schema, which the
    run leaves out (the app reads ``text/plain`` only); the reference then named nothing, so
    schemathesis sent no body and each operation answered only 422. The run keeps the schema."""
    read = as_the_app_reads(yaml.safe_load(POLICIES))
    assert read is not None
    for method in ("put", "patch"):
        content = read["paths"]["/policies/{id}"][method]["requestBody"]["content"]
        assert content == {"text/plain": {"schema": {"type": "string", "minLength": 1}}}
    conjur = make_api(POLICIES)
    bodies: list[Any] = []

    class Policies:
        async def replace_policy(self, *, id: str, body: Any) -> Any:
            bodies.append(body)
            return conjur.responses.ReplacePolicy201Response()

        async def update_policy(self, *, id: str, body: Any) -> Any:
            bodies.append(body)
            return conjur.responses.UpdatePolicy201Response()

    app = conjur.create_app(default=Policies())
    result = run_contract(ContractOptions(spec=conjur.spec_path, app=app, max_examples=10))
    assert not result.failures and not result.errors, format_summary(result)
    reached = {label for label, op in result.coverage.operations.items() if op.reached_success()}
    assert reached == {"PUT /policies/{id}", "PATCH /policies/{id}"}, format_summary(result)


REQUIRED_UNDECLARED = """
openapi: 3.0.1
info: {title: Staff, version: 1.0.0}
paths:
  /employees:
    post:
      operationId: createEmployee
      requestBody:
        content:
          application/json:
            schema:
              allOf: [{$ref: '#/components/schemas/Employee'}]
      responses:
        '201': {description: made, content: {application/json: {schema: {type: string}}}}
        '400': {description: refused, content: {application/json: {schema: {type: object}}}}
components:
  schemas:
    Employee:
      type: object
      additionalProperties: false
      required: [name, canApprove]
      properties:
        name: {type: string, maxLength: 20}
        phone: {type: string, nullable: true}
"""


def test_a_required_name_no_property_declares_is_declared_where_others_are_forbidden() -> None:
    """e-conomic's ``Employee`` requires ``canApprove``, declares it nowhere and forbids other
    names: literally no object is valid. The run's document declares it (any value), as the
    generated model reads it."""
    document = yaml.safe_load(REQUIRED_UNDECLARED)
    before = copy.deepcopy(document)
    read = as_the_app_reads(document)
    assert read is not None and document == before
    employee = read["components"]["schemas"]["Employee"]
    assert employee["properties"] == {
        **before["components"]["schemas"]["Employee"]["properties"],
        "canApprove": {},
    }
    assert employee["additionalProperties"] is False


def test_a_body_that_requires_a_name_it_does_not_declare_is_accepted_with_it(
    make_api: MakeApi,  # noqa: F811
) -> None:
    """The contract run's positive cases carry ``canApprove`` (schemathesis sent
    ``canApprove: null`` as valid); the app took that for an undeclared member and answered
    400 to every body, "Schema-valid request rejected"."""
    staff = make_api(REQUIRED_UNDECLARED)

    class Staff:
        async def create_employee(self, *, body: Any) -> Any:
            return staff.responses.CreateEmployee201Response(body=body.name if body else "")

    app = staff.create_app(default=Staff())
    options = ContractOptions(
        spec=staff.spec_path, app=app, max_examples=10, phases=("coverage", "fuzzing")
    )
    result = run_contract(options)
    assert not result.failures and not result.errors and not result.gates, format_summary(result)
    reached = {label for label, op in result.coverage.operations.items() if op.reached_success()}
    assert reached == {"POST /employees"}, format_summary(result)


def test_an_operation_whose_only_form_is_no_object_cannot_succeed_with_a_body() -> None:
    """A form of an array as the only media type: the app answers any body 415, so the run
    exempts the operation's success gate and notes the 415s (rule form-body-object); a form
    of an array beside JSON is read as JSON, a form of an object is read, and a form of a
    string alone is read as its raw text."""
    array = {"type": "array", "items": {"type": "object", "properties": {"u": {"type": "string"}}}}
    form = "application/x-www-form-urlencoded"
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/alone": {"post": {"requestBody": {"$ref": "#/components/requestBodies/Alone"}}},
            "/beside": {
                "post": {
                    "requestBody": {
                        "content": {
                            form: {"schema": {"$ref": "#/components/schemas/Many"}},
                            "application/json": {"schema": {"$ref": "#/components/schemas/Many"}},
                        }
                    }
                }
            },
            "/object": {
                "post": {"requestBody": {"content": {form: {"schema": {"type": "object"}}}}}
            },
            "/text": {
                "post": {
                    "requestBody": {
                        "content": {"multipart/form-data": {"schema": {"type": "string"}}}
                    }
                }
            },
        },
        "components": {
            "schemas": {"Many": array},
            "requestBodies": {
                "Alone": {"content": {form: {"schema": {"$ref": "#/components/schemas/Many"}}}}
            },
        },
    }
    labels = ["POST /alone", "POST /beside", "POST /object", "POST /text", "GET /none"]
    found = formless_bodies(document, labels)
    assert sorted(found) == ["POST /alone"]
    read = as_the_app_reads(document)
    assert read is not None
    assert read["paths"]["/text"]["post"]["requestBody"]["content"] == {
        "text/plain": {"schema": {"type": "string"}}
    }
    assert found["POST /alone"] == (
        f"its request body is {form} of a schema that is not an object, which no form "
        "encodes: the app answers any body 415 (lint rule form-body-object)"
    )


def test_a_form_text_body_shared_by_operations_is_sent_as_text_for_each() -> None:
    """libretranslate's ``requestBodies/postDetect``, a form of a string alone, used by two
    operations: read as text once, not a ``KeyError`` the second time (the run aborted)."""
    form = "application/x-www-form-urlencoded"
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            path: {"post": {"requestBody": {"$ref": "#/components/requestBodies/Text"}}}
            for path in ("/detect", "/translate")
        },
        "components": {
            "requestBodies": {"Text": {"content": {form: {"schema": {"type": "string"}}}}}
        },
    }
    read = as_the_app_reads(document)
    assert read is not None
    assert read["components"]["requestBodies"]["Text"]["content"] == {
        "text/plain": {"schema": {"type": "string"}}
    }
