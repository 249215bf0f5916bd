"""``specfirst.lint.security``: a security requirement whose schemes need one header."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from specfirst.lint import lint, parse_lint_settings
from specfirst.loader import load_spec
from tests.lint.conftest import LintFn, clean_document, op

CLASH = (
    "error security-header-clash: requirement {{basicAuth, tokenAuth}} of {where}: basicAuth "
    "(HTTP basic) and tokenAuth (API key) both need header Authorization, each in its own form; "
    "a request sends it once, so no client can meet it; list them as separate requirements if "
    "either will do"
)


def _clashes(found: list[str]) -> list[str]:
    return [line for line in found if line.split(":")[0].endswith(" security-header-clash")]


def _with_schemes() -> dict[str, Any]:
    doc = clean_document()
    doc["components"]["securitySchemes"].update(
        {
            "basicAuth": {"type": "http", "scheme": "basic"},
            # any spelling of the header is the same header
            "tokenAuth": {"type": "apiKey", "in": "header", "name": "authorization"},
            "queryKey": {"type": "apiKey", "in": "query", "name": "Authorization"},
            "otherKey": {"type": "apiKey", "in": "header", "name": "X-Key"},
        }
    )
    return doc


def test_a_requirement_whose_schemes_share_a_header_is_an_error(run_lint: LintFn) -> None:
    """conjur's ``rotateApiKey``: ``{basicAuth: [], conjurAuth: []}``, HTTP Basic beside an
    API key named ``Authorization``: both at once in one header, which no request can send."""
    doc = _with_schemes()
    doc["components"]["securitySchemes"]["tokenAuth"]["name"] = "authorization"
    op(doc)["security"] = [{"otherKey": []}, {"basicAuth": [], "tokenAuth": []}]
    found = _clashes(run_lint(doc))
    assert found == [CLASH.format(where="GET /things's security")], found


def test_the_document_s_requirement_is_located_at_the_requirement(tmp_path: Path) -> None:
    (tmp_path / "api.yaml").write_text(
        textwrap.dedent(
            """\
            openapi: 3.1.0
            info: {title: Vault, version: '1'}
            security:
              - basicAuth: []
              - basicAuth: []
                tokenAuth: []
            paths: {}
            components:
              securitySchemes:
                basicAuth: {type: http, scheme: basic}
                tokenAuth: {type: apiKey, in: header, name: Authorization}
            """
        ),
        encoding="utf-8",
    )
    found = [
        f"{d.location}: {d.level} {d.rule}: {d.message}"
        for d in lint(load_spec(tmp_path / "api.yaml"))
        if d.rule == "security-header-clash"
    ]
    assert found == [
        f"{tmp_path / 'api.yaml'}:5:5: " + CLASH.format(where="the document's security")
    ], found


def test_schemes_in_different_headers_or_places_do_not_clash(run_lint: LintFn) -> None:
    doc = _with_schemes()
    op(doc)["security"] = [
        {"basicAuth": [], "otherKey": []},  # Authorization and X-Key
        {"basicAuth": [], "queryKey": []},  # an API key in the query is no header
        {"bearer": ["things:read"], "otherKey": []},
        {},
    ]
    assert _clashes(run_lint(doc)) == []


def test_schemes_of_one_form_share_the_header(run_lint: LintFn) -> None:
    """Google's ``{Oauth2: [...], Oauth2c: [...]}`` (two OAuth2 flows), OAuth2 beside an HTTP
    bearer token or OpenID Connect: one bearer token serves them all. Two API keys of one
    header take one value."""
    doc = _with_schemes()
    schemes = doc["components"]["securitySchemes"]
    schemes["bearer2"] = {"type": "oauth2", "flows": schemes["bearer"]["flows"]}
    schemes["jwt"] = {"type": "http", "scheme": "Bearer"}
    schemes["oidc"] = {"type": "openIdConnect", "openIdConnectUrl": "https://id.example/.wk"}
    schemes["alsoKey"] = {"type": "apiKey", "in": "header", "name": "x-key"}
    op(doc)["security"] = [{"bearer": ["things:read"], "bearer2": ["things:read"], "jwt": []}]
    op(doc, "/things/{thingId}")["security"] = [{"oidc": [], "otherKey": [], "alsoKey": []}]
    assert _clashes(run_lint(doc)) == []


def test_bearer_beside_basic_or_an_api_key_of_authorization(run_lint: LintFn) -> None:
    doc = _with_schemes()
    schemes = doc["components"]["securitySchemes"]
    schemes["jwt"] = {"type": "http", "scheme": "Bearer"}
    schemes["oidc"] = {"type": "openIdConnect", "openIdConnectUrl": "https://id.example/.wk"}
    op(doc)["security"] = [{"bearer": ["things:read"], "jwt": [], "basicAuth": []}]
    op(doc, "/things/{thingId}")["security"] = [{"oidc": [], "tokenAuth": [], "otherKey": []}]
    assert _clashes(run_lint(doc)) == [
        "error security-header-clash: requirement {bearer, jwt, basicAuth} of GET /things's "
        "security: bearer (OAuth2), jwt (HTTP bearer) and basicAuth (HTTP basic) all need header "
        "Authorization, each in its own form; a request sends it once, so no client can meet "
        "it; list them as separate requirements if either will do",
        "error security-header-clash: requirement {oidc, tokenAuth, otherKey} of GET "
        "/things/{thingId}'s security: oidc (OpenID Connect) and tokenAuth (API key) both need "
        "header Authorization, each in its own form; a request sends it once, so no client can "
        "meet it; list them as separate requirements if either will do",
    ]


def test_the_imported_profile_makes_it_a_warning(run_lint: LintFn) -> None:
    doc = _with_schemes()
    op(doc)["security"] = [{"basicAuth": [], "tokenAuth": []}]
    settings, problems = parse_lint_settings({"profile": "imported"})
    assert problems == []
    assert _clashes(run_lint(doc, settings)) == [
        "warning" + CLASH.format(where="GET /things's security").removeprefix("error")
    ]


def test_undefined_and_referenced_schemes(run_lint: LintFn) -> None:
    """A scheme the document does not define is validation's to report; a ``$ref``'d scheme
    is followed."""
    doc = _with_schemes()
    schemes = doc["components"]["securitySchemes"]
    schemes["tokenAuth"] = {"$ref": "#/components/securitySchemes/otherKey"}
    schemes["otherKey"]["name"] = "Authorization"
    op(doc)["security"] = [{"nowhere": [], "basicAuth": []}, {"basicAuth": [], "tokenAuth": []}]
    found = _clashes(run_lint(doc))
    assert [line.split(":")[0] for line in found] == ["error security-header-clash"], found
    assert "{basicAuth, tokenAuth} of GET /things's security" in found[0], found
