"""Declared error formats in the IR, and ``fill``: a declared error model from a problem.

The parser records, per operation, what each declared 4xx/5xx/range/``default`` response is
(problem+json, a model the hook builds, text, JSON without a schema) and names one hook method
per body type, API-wide. ``fill`` builds a valid instance of any error model from a problem:
fields by name where they fit, the simplest valid value elsewhere.
"""

from __future__ import annotations

import datetime
import uuid
from pathlib import Path
from typing import Annotated, Any, Literal

import pydantic
import pytest
from pydantic import Field

from specfirst.ir import Api, ErrorFormat
from specfirst.loader import load_spec
from specfirst.parser import ApiParser
from specfirst.parser.errors import method_name
from specfirst.runtime.base import BaseModel
from specfirst.runtime.errors import FieldError, Problem, fill

SPEC = """
openapi: 3.0.3
info: {title: Errors, version: "1"}
paths:
  /a:
    get:
      operationId: getA
      responses:
        "200": {description: ok}
        "400": {description: model, content: {application/json: {schema: {$ref: "#/components/schemas/ApiError"}}}}
        "401": {description: nothing}
        "403": {description: problem, content: {application/problem+json: {schema: {type: object}}}}
        "404": {description: both, content: {application/json: {schema: {$ref: "#/components/schemas/ApiError"}}, application/problem+json: {}}}
        4XX: {description: text, content: {text/plain; charset=utf-8: {schema: {type: string}}}}
        5XX: {description: any, content: {"*/*": {schema: {type: string}}}}
        default: {description: free, content: {application/json: {}}}
  /b:
    get:
      operationId: getB
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/ApiError"}}}}
        "409": {description: list, content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/ApiError"}}}}}
        "410": {description: image, content: {image/png: {schema: {type: string, format: binary}}}}
        "411": {description: signed first, content: {application/jose+jwe: {schema: {$ref: "#/components/schemas/ApiError"}}, application/json: {schema: {$ref: "#/components/schemas/ApiError"}}}}
        default: {description: model again, content: {application/vnd.api+json: {schema: {$ref: "#/components/schemas/ApiError"}}}}
components:
  schemas:
    ApiError:
      type: object
      required: [message]
      properties: {message: {type: string}}
"""


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Api:
    path = tmp_path_factory.mktemp("spec") / "api.yaml"
    path.write_text(SPEC)
    parser = ApiParser(load_spec(path))
    parser.set_models(frozenset(parser.models_document()["components"]["schemas"]))
    return parser.build()


def test_each_declared_error_response_is_recorded_with_its_format(api: Api) -> None:
    get_a, get_b = api.operations
    assert get_a.errors == (
        ErrorFormat("400", "application/json", "models.ApiError", "api_error"),
        ErrorFormat("401"),  # no body declared: problem+json
        # problem+json declared with a schema: the document, conformed to it where needed
        ErrorFormat("403", "application/problem+json", "models.GetA403ResponseBody"),
        ErrorFormat("404"),  # problem+json among the declared media types
        ErrorFormat("4XX", "text/plain; charset=utf-8", "str", "text"),
        # */* admits problem+json, whose document must be an instance of the declared schema
        ErrorFormat("5XX", "application/problem+json", "str"),
        ErrorFormat("default", "application/json"),  # any JSON: the problem document
    )
    assert get_b.errors == (
        ErrorFormat("409", "application/json", "list[models.ApiError]", "api_error_list"),
        ErrorFormat("410"),  # an image cannot say what went wrong
        # the first media type is opaque bytes; the JSON one declared beside it is the format
        ErrorFormat("411", "application/json", "models.ApiError", "api_error"),
        ErrorFormat("default", "application/vnd.api+json", "models.ApiError", "api_error"),
    )
    assert get_a.own_error_formats and get_b.own_error_formats


def test_one_hook_method_per_body_type_with_where_it_is_declared(api: Api) -> None:
    assert [(m.method, m.py_type, m.text, m.uses) for m in api.error_models] == [
        ("api_error", "models.ApiError", False, ("getA 400", "getB 411", "getB default")),
        ("text", "str", True, ("getA 4XX",)),
        ("api_error_list", "list[models.ApiError]", False, ("getB 409",)),
    ]


def test_method_names() -> None:
    assert method_name("models.HTTPError", text=False) == "http_error"
    assert method_name("models.A | models.B", text=False) == "a_or_b"
    assert method_name("dict[str, Any]", text=False) == "json_object"
    assert method_name("str", text=True) == "text"
    assert method_name("models.Class", text=False) == "class_"  # a keyword is no method name


def test_a_spec_declaring_only_problem_json_needs_no_hook_method(tmp_path: Path) -> None:
    """Its schemas are recorded where they say more than "an object", for the runtime to
    conform its document to them; none is built by the ``ErrorFormats`` hook."""
    path = tmp_path / "api.yaml"
    path.write_text(
        SPEC.split("  /b:")[0]
        .replace("application/json", "application/problem+json")
        .replace(", application/problem+json: {}", "")
        .replace("text/plain; charset=utf-8", "application/problem+json")
    )
    parser = ApiParser(load_spec(path))
    parser.set_models(frozenset(parser.models_document()["components"]["schemas"]))
    built = parser.build()
    problem = "application/problem+json"
    assert [(e.status, e.media_type, e.method) for e in built.operations[0].errors] == [
        ("400", None, None),  # Any: ApiError is not a model when only /a is generated
        ("401", None, None),
        ("403", problem, None),
        ("404", None, None),
        ("4XX", problem, None),  # a string
        ("5XX", problem, None),  # */* with a schema: the document as its instance
        ("default", None, None),  # no schema
    ]
    assert built.error_models == ()


# ------------------------------------------------------------------------------------ fill

PROBLEM = Problem(
    422,
    "Unprocessable Content",
    "the request does not match the API contract",
    instance="/things/1",
    errors=(FieldError("/body/name", "Field required"), FieldError("/query/limit", "too big")),
)


class Flat(BaseModel):
    code: int
    message: str
    status: str | None = None  # optional fields are set only when a named value fits


class Detail(BaseModel):
    field: str
    reason: str | None = None
    message: str


class Inner(BaseModel):
    code: Annotated[str, Field(pattern="^[A-Z_]+$")]
    message: str
    request_id: Annotated[uuid.UUID, Field(alias="requestId")]
    details: list[Detail] = Field(default_factory=list)


class Envelope(BaseModel):
    error: Inner


class Strict(BaseModel):
    kind: Literal["error"]
    level: Annotated[int, Field(ge=3, le=5)]
    ratio: Annotated[float, Field(gt=0)]
    tags: Annotated[list[str], Field(min_length=2)]
    at: datetime.datetime
    ref: Annotated[str, Field(min_length=4, pattern=r"^ERR-\d+$")]
    ok: bool
    success: bool


def test_fill_takes_fields_by_name_where_they_fit() -> None:
    assert fill(Flat, PROBLEM).model_dump() == {
        "code": 422,
        "message": "the request does not match the API contract",
        "status": "422",
    }


def test_fill_builds_nested_objects_and_field_errors_from_the_same_names() -> None:
    filled = fill(Envelope, PROBLEM).model_dump(mode="json")
    assert filled == {
        "error": {
            "code": "UNPROCESSABLE_CONTENT",
            "message": "the request does not match the API contract",
            "requestId": "00000000-0000-0000-0000-000000000000",
            "details": [
                {"field": "name", "reason": None, "message": "Field required"},
                {"field": "limit", "reason": None, "message": "too big"},
            ],
        }
    }


def test_fill_gives_every_other_required_field_a_valid_value() -> None:
    filled = fill(Strict, PROBLEM)
    assert (filled.kind, filled.level, filled.ratio, filled.tags) == ("error", 3, 0.5, ["", ""])
    assert filled.ref == "ERR-0" and not filled.ok and not filled.success


def test_fill_code_prefers_the_extension_member_then_the_status() -> None:
    class Coded(BaseModel):
        code: str

    extended = Problem(404, "Not Found", extra={"code": "task_missing"})
    assert fill(Coded, extended).code == "task_missing"
    assert fill(Coded, Problem(404, "Not Found")).code == "404"


def test_fill_text_and_lists() -> None:
    assert fill(str, PROBLEM) == (
        "the request does not match the API contract\n/body/name: Field required\n"
        "/query/limit: too big"
    )
    message = "the request does not match the API contract"
    assert fill(list[Flat], PROBLEM) == [Flat(code=422, message=message, status="422")]


def test_fill_says_when_no_valid_value_can_be_built() -> None:
    class Impossible(BaseModel):
        value: Annotated[str, Field(min_length=3, max_length=2)]

    with pytest.raises(ValueError, match="no valid Impossible could be built"):
        fill(Impossible, PROBLEM)


def test_fill_is_validated_like_any_model() -> None:
    class Checked(BaseModel):
        message: str

        @pydantic.field_validator("message")
        @classmethod
        def not_the_detail(cls, value: Any) -> Any:
            if "contract" in value:
                raise ValueError("no contract talk")
            return value

    # the named value is refused by the model, so the placeholder replaces it
    assert fill(Checked, PROBLEM).message == ""


def test_fill_gives_an_object_of_errors_the_messages_by_field() -> None:
    """ASP.NET's ``ValidationProblemDetails`` (pdfblocks): ``errors`` maps a field to its
    messages; a list of field errors is refused there, so the object is built instead."""

    class ValidationProblem(BaseModel):
        title: str | None = None
        status: int | None = None
        errors: dict[str, Any] | None = None

    repeated = Problem(422, "Unprocessable Content", errors=(*PROBLEM.errors, PROBLEM.errors[0]))
    assert fill(ValidationProblem, repeated).errors == {
        "name": ["Field required", "Field required"],
        "limit": ["too big"],
    }


def test_fill_gives_a_list_field_the_named_value_as_its_item() -> None:
    """surevoip.co.uk: ``errors: [{field, message: [string]}]``; the message is its one item."""

    class FieldMessages(BaseModel):
        field: str
        message: list[str]
        codes: list[int] = Field(default_factory=list)

    class Errors(BaseModel):
        errors: list[FieldMessages]
        status: Annotated[list[int], Field(max_length=0)] = Field(default_factory=list)

    filled = fill(Errors, PROBLEM).model_dump()
    assert filled["errors"] == [
        {"field": "name", "message": ["Field required"], "codes": []},
        {"field": "limit", "message": ["too big"], "codes": []},
    ]
    assert filled["status"] == []  # no room for the status there


def test_fill_builds_no_two_items_alike() -> None:
    """izettle's ``ErrorResponse.violations``: ``uniqueItems`` of ``ConstraintViolation``s whose
    fields (``propertyName``, ``developerMessage``) no field error fills, so each error built
    the same empty item and no valid body could be built (the 400 was answered 500)."""
    from specfirst.runtime.base import constrain

    class Violation(BaseModel):
        propertyName: str | None = None
        developerMessage: str | None = None

    class ErrorResponse(BaseModel):
        developerMessage: str | None = None
        violations: list[Violation] | None = None

    constrain(ErrorResponse, unique=("violations",))
    alike = Problem(
        400, "Bad Request", errors=(FieldError("/body/a", "x"), FieldError("/body/b", "x"))
    )
    filled = fill(ErrorResponse, alike)
    assert filled.violations == [Violation()]
    # items that differ are all kept
    details = fill(Envelope, PROBLEM).error.details
    assert [d.field for d in details] == ["name", "limit"]
