"""``specfirst.lint.responses``: problem+json errors, 401/403 on secured operations, a 2xx."""

from __future__ import annotations

from specfirst.spec_gaps import facts_of, spec_gaps
from tests.lint.conftest import LintFn, clean_document, op


def test_error_responses_are_problem_json(run_lint: LintFn) -> None:
    doc = clean_document()
    op(doc)["responses"]["400"] = {
        "description": "Bad.",
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
    op(doc)["responses"]["500"] = {"description": "Oops."}
    op(doc)["responses"]["2XX"] = {"description": "ranges are not errors"}
    assert run_lint(doc) == [
        "warning error-problem-json: GET /things response 400 declares application/json; "
        "errors should be application/problem+json (RFC 9457)",
        "warning error-problem-json: GET /things response 500 declares no body; "
        "errors should be application/problem+json (RFC 9457)",
    ]


def test_secured_operations_declare_401_and_403(run_lint: LintFn) -> None:
    doc = clean_document()
    del op(doc)["responses"]["401"]
    del op(doc)["responses"]["403"]
    # no scopes: a 403 is not needed, a 401 is
    op(doc, "/things/{thingId}")["security"] = [{"bearer": []}]
    del op(doc, "/things/{thingId}")["responses"]["403"]
    del op(doc, "/things/{thingId}")["responses"]["401"]
    assert run_lint(doc) == [
        "warning security-responses: GET /things requires authentication but does not declare "
        "a 401 response",
        "warning security-responses: GET /things requires scopes but does not declare "
        "a 403 response",
        "warning security-responses: GET /things/{thingId} requires authentication but does "
        "not declare a 401 response",
    ]


def test_optional_security_still_answers_401_and_ranges_cover(run_lint: LintFn) -> None:
    """An optional requirement (``{}``) still gets 401 for an invalid credential; a range or
    ``default`` covers a status."""
    doc = clean_document()
    op(doc)["security"] = [{"bearer": ["things:read"]}, {}]
    del op(doc)["responses"]["401"]
    del op(doc)["responses"]["403"]
    del op(doc, "/things/{thingId}")["responses"]["401"]
    del op(doc, "/things/{thingId}")["responses"]["403"]
    op(doc, "/things/{thingId}")["responses"]["4XX"] = {"$ref": "#/components/responses/Problem"}
    assert run_lint(doc) == [
        "warning security-responses: GET /things requires authentication but does not declare "
        "a 401 response",
        "warning security-responses: GET /things requires scopes but does not declare "
        "a 403 response",
    ]
    op(doc)["responses"]["default"] = {"$ref": "#/components/responses/Problem"}
    assert run_lint(doc) == []


def test_a_binary_only_response_covers_no_status_the_runtime_answers(run_lint: LintFn) -> None:
    """adobe's aem declares only ``default: application/octet-stream`` on secured downloads: the
    runtime's 401 falls under it but no error can be written in it (it goes out as problem+json),
    so it is a gap; a ``*/*`` or a text body, or a range closer to the status, closes it."""
    doc = clean_document()
    responses = op(doc, "/things/{thingId}")["responses"]
    del responses["401"]
    responses["default"] = {"description": "the file", "content": {"image/png": {}}}
    assert run_lint(doc) == [
        "warning security-responses: GET /things/{thingId} requires authentication (its default "
        "response is binary: no error fits) but does not declare a 401 response",
    ]
    for media in ("*/*", "text/plain"):
        responses["4XX"] = {"description": "any", "content": {media: {}}}
        assert not [f for f in run_lint(doc) if "security-responses" in f]


def test_a_referenced_response_is_read_where_it_is_written() -> None:
    """Facts follow a response's ``$ref`` (and a ``$ref``'d content) to see its media types."""
    doc = {
        "components": {
            "responses": {
                "File": {"$ref": "#/components/responses/Bytes"},
                "Bytes": {"description": "b", "content": {"application/octet-stream": {}}},
            }
        }
    }
    operation = {
        "security": [{"key": []}],
        "responses": {
            "200": {"description": "ok"},
            "default": {"$ref": "#/components/responses/File"},
        },
    }
    facts = facts_of(operation, doc, has_parameters=False)
    assert facts.mute == ("default",)
    assert [g.status for g in spec_gaps(facts)] == ["401"]


def test_validation_and_media_type_responses(run_lint: LintFn) -> None:
    """The status invalid requests get (422 unless only 400 is declared) and 415 on a body."""
    doc = clean_document()
    del op(doc)["responses"]["422"]
    op(doc, "/health")["requestBody"] = {
        "content": {"application/json": {"schema": {"type": "object"}}}
    }
    assert run_lint(doc) == [
        "warning validation-response: GET /things has parameters or a body (invalid requests) "
        "but does not declare a 422 response",
        "warning media-type-response: GET /health has a request body (other media types) but "
        "does not declare a 415 response",
        "warning validation-response: GET /health has parameters or a body (invalid requests) "
        "but does not declare a 422 response",
    ]
    op(doc)["responses"]["400"] = {"$ref": "#/components/responses/Problem"}
    op(doc, "/health")["responses"]["4XX"] = {"$ref": "#/components/responses/Problem"}
    assert run_lint(doc) == []


def test_a_body_read_as_the_raw_text_or_bytes_sent_is_never_answered_415() -> None:
    """The app reads a text body, a file (``format: binary``, under JSON too) and a form of a
    string alone as what was sent, whatever its ``Content-Type``: it never answers them 415,
    so no 415 is a spec gap there. A JSON body (beside text, too) is still answered 415."""
    doc = {
        "components": {
            "schemas": {"File": {"type": "string", "format": "binary"}},
            "requestBodies": {"Text": {"content": {"text/plain": {"schema": {"type": "string"}}}}},
        }
    }
    form = "application/x-www-form-urlencoded"
    string = {"schema": {"type": "string"}}
    file = {"schema": {"$ref": "#/components/schemas/File"}}
    raw = {
        "text": {"$ref": "#/components/requestBodies/Text"},
        "text beside xml": {"content": {"application/xml": {}, "text/csv": string}},
        "bytes": {"content": {"application/octet-stream": {}}},
        "file as JSON": {"content": {"application/json": file}},
        "form of a string": {"content": {form: string}},
        "form of a file": {"content": {"multipart/form-data": file}},
    }
    read = {
        "json": {"content": {"application/json": {"schema": {"type": "object"}}}},
        "json beside text": {"content": {"application/json": {}, "text/plain": string}},
        "form of an object": {"content": {form: {"schema": {"type": "object"}}}},
        "form of a string beside JSON": {"content": {form: string, "application/json": {}}},
    }

    def gaps(body: object) -> list[str]:
        operation = {"requestBody": body, "responses": {"200": {"description": "ok"}}}
        return [g.status for g in spec_gaps(facts_of(operation, doc, has_parameters=False))]

    assert {name: gaps(body) for name, body in raw.items()} == {name: ["422"] for name in raw}
    assert {name: gaps(body) for name, body in read.items()} == {
        name: ["415", "422"] for name in read
    }


def test_success_response(run_lint: LintFn) -> None:
    doc = clean_document()
    op(doc, "/health")["responses"] = {"503": {"$ref": "#/components/responses/Problem"}}
    assert run_lint(doc) == ["error success-response: GET /health declares no 2xx response"]


def test_content_keys_are_media_types(run_lint: LintFn) -> None:
    """truora.com declares a response as ``content: {PDF: {}}``: the app sends ``Content-Type:
    PDF``, which is no media type; ranges and parameters are fine. Under the imported profile
    it is a warning (the vendor's spec, served as written)."""
    from specfirst.lint import parse_lint_settings

    doc = clean_document()
    op(doc, "/things/{thingId}")["responses"]["200"]["content"] = {
        "PDF": {},
        "application/*": {},
        "text/plain; charset=utf-8": {},
    }
    op(doc, "/things/{thingId}")["requestBody"] = {"content": {"application/ json": {}}}
    op(doc, "/things/{thingId}")["responses"]["415"] = {"$ref": "#/components/responses/Problem"}

    def finding(what: str, media: str) -> str:
        return (
            f"error media-type-valid: GET /things/{{thingId}} {what} declares {media}, which "
            "is not a media type (type/subtype, e.g. application/pdf)"
        )

    assert run_lint(doc) == [  # in the order of the document's lines
        finding("response 200", "'PDF'"),
        finding("request body", "'application/ json'"),
    ]
    settings, _ = parse_lint_settings({"profile": "imported"})
    assert [line.split(":")[0] for line in run_lint(doc, settings)] == [
        "warning media-type-valid"
    ] * 2


def test_form_bodies_are_objects(run_lint: LintFn) -> None:
    """archive.org's wayback declares an array of requests under JSON, form and CSV alike: a
    form's fields are an object's properties, so nothing encodes an array as one (the app
    answers that media type 415). An object, a ``$ref`` to one, or a schema naming no type
    (a composition) is fine."""
    doc = clean_document()
    doc["components"]["schemas"]["Requests"] = {"type": "array", "items": {"type": "string"}}
    op(doc, "/things/{thingId}")["requestBody"] = {
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Requests"}},
            "application/x-www-form-urlencoded": {
                "schema": {"$ref": "#/components/schemas/Requests"}
            },
            "multipart/form-data": {"schema": {"type": "string"}},
        }
    }
    op(doc, "/things/{thingId}")["responses"]["415"] = {"$ref": "#/components/responses/Problem"}
    finding = (
        "warning form-body-object: GET /things/{{thingId}} request body {} has a schema that is "
        "not an object: a form's fields are an object's properties, so nothing encodes it; the "
        "app answers it 415"
    )
    assert run_lint(doc) == [
        finding.format("application/x-www-form-urlencoded"),
        finding.format("multipart/form-data"),
    ]
    del doc["components"]["schemas"]["Requests"]
    doc["components"]["schemas"]["Request"] = {"properties": {"url": {"type": "string"}}}
    op(doc, "/things/{thingId}")["requestBody"] = {
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {"$ref": "#/components/schemas/Request"}
            },
            "multipart/form-data": {"schema": {"oneOf": [{"type": "object"}]}},
        }
    }
    assert run_lint(doc) == []
    # alone, a string is read as the raw text sent (spoonacular's POST /food/detect)
    del doc["components"]["schemas"]["Request"]
    op(doc, "/things/{thingId}")["requestBody"] = {
        "content": {"application/x-www-form-urlencoded": {"schema": {"type": "string"}}}
    }
    assert run_lint(doc) == [
        "warning form-body-object: GET /things/{thingId} request body "
        "application/x-www-form-urlencoded has a schema that is not an object: a form's fields "
        "are an object's properties, so nothing encodes it; the app reads it as the raw text "
        "sent (a str)"
    ]
    # a binary string, as the raw bytes sent
    op(doc, "/things/{thingId}")["requestBody"] = {
        "content": {"multipart/form-data": {"schema": {"type": "string", "format": "binary"}}}
    }
    assert run_lint(doc) == [
        "warning form-body-object: GET /things/{thingId} request body multipart/form-data has "
        "a schema that is not an object: a form's fields are an object's properties, so nothing "
        "encodes it; the app reads it as the raw bytes sent (bytes)"
    ]


def test_no_content_body(run_lint: LintFn) -> None:
    """shipengine declares content for a 204: HTTP forbids a body there, the app sends none."""
    doc = clean_document()
    op(doc, "/health")["responses"]["204"]["content"] = {
        "text/plain": {"schema": {"type": "string"}},
        "application/json": {"schema": {"type": "string"}},
    }
    assert run_lint(doc) == [
        "warning no-content-body: GET /health response 204 declares content "
        "(application/json, text/plain), but a 204 has no body (RFC 9110); the app sends none"
    ]
