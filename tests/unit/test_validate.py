"""Tests for specfirst.validate: every error, located, with readable messages."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from specfirst.diagnostics import Diagnostic, Level, Location
from specfirst.loader import load_spec
from specfirst.validate import run as validate_run
from specfirst.validate.keywords import _IdList
from specfirst.validation import check, validate
from tests.e2e.specs import LENIENT

FIXTURES = Path(__file__).parent / "fixtures" / "loader"


@pytest.fixture
def in_fixtures(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(FIXTURES / "validate")
    return FIXTURES / "validate"


def lines(path: str | Path) -> list[str]:
    return [d.format() for d in validate(load_spec(path))]


def lines_of(tmp_path: Path, text: str) -> list[str]:
    (tmp_path / "api.yaml").write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return lines("api.yaml")


def test_broken_30_spec_reports_every_error_with_its_location(in_fixtures: Path) -> None:
    assert lines("broken.yaml") == [
        "broken.yaml:2:1: openapi-schema: missing required property 'version'",
        "broken.yaml:7:7: duplicate-operation-id: operationId 'getTask' of GET /tasks/{taskId}"
        " is also used by DELETE /tasks/{taskId}",
        "broken.yaml:9:11: openapi-schema: path parameter 'taskId' must have required: true",
        'broken.yaml:19:17: openapi-schema: "objekt" is not one of "array", "boolean", "integer",'
        ' "number", "object", "string"',
        "broken.yaml:20:5: path-parameter: DELETE /tasks/{taskId} does not declare path parameter"
        " 'taskId'; add {name: taskId, in: path, required: true} to its parameters",
        "broken.yaml:21:7: duplicate-operation-id: operationId 'getTask' of DELETE /tasks/{taskId}"
        " is also used by GET /tasks/{taskId}",
        "broken.yaml:25:9: openapi-schema: unexpected key 'ok'"
        r" (allowed: default, /^[1-5](?:\d{2}|XX)$/, /^x-/)",
        "broken.yaml:28:5: openapi-schema: missing required property 'responses'",
        "broken.yaml:32:11: unresolved-ref: $ref '#/components/parameters/Missing' points to"
        " nothing",
    ]


def test_broken_31_spec_reports_schema_object_errors(in_fixtures: Path) -> None:
    assert lines("broken31.yaml") == [
        "broken31.yaml:15:11: path-parameter: path parameter 'verbose' is not in the path"
        " template '/pets/{petId}'",
        'broken31.yaml:31:7: invalid-default: invalid default: expected integer, got string "abc";'
        " the default is dropped from the generated code",
        "broken31.yaml:35:7: required-undefined: 'required' lists properties that no 'properties'"
        " or 'allOf' member defines: name",
        'broken31.yaml:37:7: openapi-schema: "objekt" is not one of "array", "boolean",'
        ' "integer", "null", "number", "object", "string"',
    ]


def test_diagnostics_are_error_values(in_fixtures: Path) -> None:
    diags = validate(load_spec("broken31.yaml"))
    assert diags[0] == Diagnostic(
        Level.ERROR,
        "path-parameter",
        "path parameter 'verbose' is not in the path template '/pets/{petId}'",
        Location("broken31.yaml", 15, 11),
    )
    levels = {d.rule: d.level for d in diags}
    assert levels["openapi-schema"] is Level.ERROR
    assert levels["invalid-default"] is Level.WARNING
    assert levels["required-undefined"] is Level.WARNING


@pytest.mark.parametrize("name", ["valid30.yaml", "valid31.yaml"])
def test_valid_specs_have_no_diagnostics(in_fixtures: Path, name: str) -> None:
    assert lines(name) == []


def test_valid_multi_file_spec() -> None:
    assert validate(load_spec(FIXTURES / "multi" / "api.yaml")) == []


def test_swagger_2_gets_a_conversion_hint(in_fixtures: Path) -> None:
    assert lines("swagger.yaml") == [
        "swagger.yaml:1:1: not-openapi-3: this is a Swagger 2.0 document; specfirst needs"
        " OpenAPI 3.0, 3.1 or 3.2. Convert it first, e.g. `npx swagger2openapi --yaml swagger.yaml"
        " -o swagger.openapi.yaml`, or in editor.swagger.io with Edit > Convert to OpenAPI 3"
    ]


def test_not_openapi_gets_a_hint(in_fixtures: Path) -> None:
    assert lines("not_openapi.yaml") == [
        "not_openapi.yaml:1:1: not-openapi: no 'openapi' field at the top level, so this is not"
        " an OpenAPI document; an OpenAPI 3 document starts with `openapi: 3.1.0` (or 3.0.3),"
        " `info` and `paths`"
    ]


@pytest.mark.parametrize(
    ("version", "message"),
    [
        (
            "3.3.0",
            "OpenAPI version '3.3.0' is not supported; specfirst supports 3.0.x, 3.1.x and 3.2.x",
        ),
        (
            "4.0.0",
            "OpenAPI version '4.0.0' is not supported; specfirst supports 3.0.x, 3.1.x and 3.2.x",
        ),
        ("3.0", "'openapi' must be a string such as \"3.1.0\", not 3.0; quote it"),
    ],
)
def test_unsupported_versions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, version: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    text = f"""
    info: {{title: t, version: '1'}}
    openapi: {version}
    paths: {{}}
    """
    assert lines_of(tmp_path, text) == [f"api.yaml:2:1: unsupported-version: {message}"]


def test_duplicate_operation_id_across_paths_and_webhooks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    text = """
    openapi: 3.1.0
    info: {title: t, version: '1'}
    paths:
      /a:
        get: {operationId: same, responses: {'204': {description: ok}}}
      /b:
        get: {operationId: other, responses: {'204': {description: ok}}}
        put: {operationId: same, responses: {'204': {description: ok}}}
    webhooks:
      hook:
        post: {operationId: same, responses: {'204': {description: ok}}}
    """
    assert lines_of(tmp_path, text) == [
        "api.yaml:5:11: duplicate-operation-id: operationId 'same' of GET /a is also used by"
        " PUT /b, POST hook",
        "api.yaml:8:11: duplicate-operation-id: operationId 'same' of PUT /b is also used by"
        " GET /a, POST hook",
        "api.yaml:11:12: duplicate-operation-id: operationId 'same' of POST hook is also used by"
        " GET /a, PUT /b",
    ]


def test_errors_in_referenced_files_point_into_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "pet.yaml").write_text(
        "type: object\nproperties:\n  name:\n    type: strin\n", encoding="utf-8"
    )
    text = """
    openapi: 3.0.3
    info: {title: t, version: '1'}
    paths:
      /pets:
        get:
          responses:
            '200':
              description: ok
              content:
                application/json:
                  schema: {$ref: 'schemas/pet.yaml'}
    """
    assert lines_of(tmp_path, text) == [
        'schemas/pet.yaml:4:5: openapi-schema: "strin" is not one of "array", "boolean",'
        ' "integer", "number", "object", "string"'
    ]


def test_cache_returns_same_diagnostics_without_validating(
    in_fixtures: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = load_spec("broken.yaml")
    first = validate(spec, cache_dir=tmp_path / "cache")
    assert len(first) == 9
    assert len(list((tmp_path / "cache").glob("*.json"))) == 1

    def boom(*args: object, **kwargs: object) -> list[Diagnostic]:
        raise AssertionError("validator called on a cache hit")

    monkeypatch.setattr(validate_run, "validate_uncached", boom)
    assert validate(load_spec("broken.yaml"), cache_dir=tmp_path / "cache") == first
    # another input is a miss
    with pytest.raises(AssertionError, match="validator called on a cache hit"):
        validate(load_spec("broken31.yaml"), cache_dir=tmp_path / "cache")


def test_unreadable_cache_is_recomputed(in_fixtures: Path, tmp_path: Path) -> None:
    spec = load_spec("broken31.yaml")
    expected = validate(spec, cache_dir=tmp_path)
    (cache_file,) = tmp_path.glob("*.json")
    cache_file.write_text("{not json", encoding="utf-8")
    assert validate(spec, cache_dir=tmp_path) == expected
    assert validate(spec) == expected


def test_operation_id_registry_has_set_membership_and_takes_any_value() -> None:
    ids = _IdList()
    for value in ("a", None, ["not", "hashable"], "b"):
        ids.append(value)
    assert "a" in ids and None in ids and ["not", "hashable"] in ids and "b" in ids
    assert "c" not in ids and ["other"] not in ids
    assert list(ids) == ["a", None, ["not", "hashable"], "b"]  # still the library's list


# --------------------------------------------------------------------------- lenient real-world specs


def test_invalid_defaults_and_examples_are_warnings_and_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "api.yaml").write_text(textwrap.dedent(LENIENT).lstrip(), encoding="utf-8")
    spec = load_spec("api.yaml")
    result = check(spec)
    assert [d.format() for d in result.diagnostics] == [
        'api.yaml:8:59: invalid-default: invalid default: expected boolean, got string "false";'
        " the default is dropped from the generated code",
        "api.yaml:9:71: invalid-default: invalid default: 0 is less than the minimum of 1; the"
        " default is dropped from the generated code",
        "api.yaml:21:30: invalid-default: invalid default: expected string, got null; the default"
        " is dropped from the generated code",
        "api.yaml:22:53: invalid-example: invalid example: unexpected key 'example' (allowed:"
        " name, namespace, prefix, attribute, wrapped, /^x-/); the example is dropped from the"
        " generated code",
    ]
    assert {d.level for d in result.diagnostics} == {Level.WARNING}
    repaired = result.repaired(spec).document
    params = repaired["paths"]["/items"]["get"]["parameters"]
    assert [p["schema"] for p in params] == [{"type": "boolean"}, {"type": "integer", "minimum": 1}]
    props = repaired["components"]["schemas"]["Item"]["properties"]
    assert props == {
        "name": {"type": "string"},
        "kind": {"type": "string", "xml": {"attribute": True}},
        "count": {"type": "integer", "default": 3},
    }
    # The source document, which is what the app serves, is untouched.
    source = spec.document["components"]["schemas"]["Item"]["properties"]
    assert source["name"] == {"type": "string", "default": None}
    assert spec.document["paths"]["/items"]["get"]["parameters"][0]["schema"]["default"] == "false"


def test_rule_levels_can_be_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "api.yaml").write_text(textwrap.dedent(LENIENT).lstrip(), encoding="utf-8")
    spec = load_spec("api.yaml")
    strict = validate(spec, settings={"invalid-default": Level.ERROR, "invalid-example": None})
    assert [(d.rule, d.level) for d in strict] == [("invalid-default", Level.ERROR)] * 3
    # The cache keeps what validation found; the levels apply after it.
    cached = validate(spec, cache_dir=tmp_path / "cache")
    again = validate(spec, cache_dir=tmp_path / "cache", settings={"invalid-default": None})
    assert [d.rule for d in again] == ["invalid-example"] and len(cached) == 4


def test_validate_settings_come_from_pyproject(tmp_path: Path) -> None:
    from specfirst.config import load_config

    (tmp_path / "pyproject.toml").write_text(
        "[tool.specfirst.validate]\n"
        'invalid-default = "error"\n'
        'unknown-dialect = "off"\n'
        'unresolved-ref = "warning"\n'
        'no-such-rule = "error"\n'
        'invalid-example = "loud"\n',
        encoding="utf-8",
    )
    config = load_config(cwd=tmp_path)
    assert config.validate == {"invalid-default": Level.ERROR, "unknown-dialect": None}
    problems = [d.message for d in config.problems]
    assert problems[0].startswith(
        "pyproject.toml [tool.specfirst.validate]: unknown rule 'no-such-rule'"
    )
    assert problems[1] == (
        "pyproject.toml [tool.specfirst.validate]: invalid-example = 'loud'; use \"off\","
        ' "warning" or "error"'
    )
    assert problems[2] == (
        "pyproject.toml [tool.specfirst.validate]: unresolved-ref cannot be lowered: a $ref that"
        " names nothing makes the contract ambiguous, so it stays an error"
    )


def test_an_unknown_dialect_is_a_warning_and_draft04_bounds_are_rewritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "api.yaml").write_text(
        textwrap.dedent(
            """
            openapi: 3.1.0
            info: {title: Dialects, version: '1'}
            paths: {}
            components:
              schemas:
                Old:
                  $schema: http://json-schema.org/draft-07/schema#
                  type: integer
                  maximum: 20
                  exclusiveMaximum: true
                  default: 12
                Same:
                  $schema: https://json-schema.org/draft/2020-12/schema#
                  type: integer
            """
        ).lstrip(),
        encoding="utf-8",
    )
    spec = load_spec("api.yaml")
    result = check(spec)
    assert [d.format() for d in result.diagnostics] == [
        'api.yaml:7:7: unknown-dialect: this schema declares the JSON Schema dialect "http://'
        'json-schema.org/draft-07/schema#"; specfirst reads every schema as JSON Schema 2020-12,'
        " the dialect of OpenAPI 3.1; exclusiveMaximum: true is read as draft-04 reads it"
        " (exclusiveMaximum: 20)"
    ]
    schemas = result.repaired(spec).document["components"]["schemas"]
    assert schemas["Old"] == {"type": "integer", "exclusiveMaximum": 20, "default": 12}
    assert schemas["Same"] == {"type": "integer"}


def test_contract_ambiguities_stay_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    text = """
    openapi: 3.1.0
    info: {title: t, version: '1'}
    paths:
      /search?q={q}:
        get:
          parameters: [{name: q, in: query, schema: {type: string}}]
          responses: {'200': {description: ok}}
      /rides?page={page}:
        get:
          parameters: [{name: page, in: path, required: true, schema: {type: integer}}]
          responses: {'200': {description: ok}}
    components:
      schemas:
        A: {$ref: '#/components/schemas/B'}
        B: {$ref: '#/components/schemas/A'}
    """
    assert lines_of(tmp_path, text) == [
        "api.yaml:10:20: path-parameter: path parameter 'page' is not in the path template"
        " '/rides?page={page}'",
        "api.yaml:14:9: unresolved-ref: $ref '#/components/schemas/B' never reaches content:"
        " #/components/schemas/B -> #/components/schemas/A -> #/components/schemas/B",
        "api.yaml:15:9: unresolved-ref: $ref '#/components/schemas/A' never reaches content:"
        " #/components/schemas/A -> #/components/schemas/B -> #/components/schemas/A",
    ]


def test_an_extension_under_paths_does_not_break_the_library(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    text = """
    openapi: 3.0.3
    info: {title: t, version: '1'}
    paths:
      x-codegen-contextRoot: /apis/registry/v2
      /a: {get: {responses: {'200': {description: ok}}}}
    """
    assert lines_of(tmp_path, text) == []


def test_a_wrong_ref_is_located_at_each_place_it_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    text = """
    openapi: 3.1.0
    info: {title: t, version: '1'}
    paths: {}
    components:
      schemas:
        A:
          properties:
            b: {$ref: '#/components/schemas/Missing'}
            c: {$ref: '#/components/schemas/B'}
            d: {$ref: '#/components/schemas/Missing'}
        B: {type: string}
    """
    assert lines_of(tmp_path, text) == [
        "api.yaml:8:13: unresolved-ref: $ref '#/components/schemas/Missing' points to nothing",
        "api.yaml:10:13: unresolved-ref: $ref '#/components/schemas/Missing' points to nothing",
    ]


def test_required_undefined_names_are_listed_in_a_stable_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # shipengine's calculate_rates_request_body: the library names them from a set, so the
    # message changed from run to run ("shipment_id, shipment", then "shipment, shipment_id")
    monkeypatch.chdir(tmp_path)
    found = lines_of(
        tmp_path,
        """
        openapi: 3.0.3
        info: {title: T, version: '1'}
        paths:
          /rates:
            get:
              responses:
                '200':
                  description: ok
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Rates'}
        components:
          schemas:
            Base: {type: object}
            Rates:
              allOf: [{$ref: '#/components/schemas/Base'}]
              required: [shipment_id, shipment, rates, status, errors, created_at, zone]
        """,
    )
    assert found == [
        "api.yaml:17:7: required-undefined: 'required' lists properties that no 'properties' or "
        "'allOf' member defines: created_at, errors, rates, shipment, shipment_id, status, zone"
    ]
