"""``specfirst.lint.paths``: path parameters, trailing slashes, query strings in paths."""

from __future__ import annotations

from tests.lint.conftest import LintFn, clean_document, op


def test_path_parameters(run_lint: LintFn) -> None:
    doc = clean_document()
    doc["paths"]["/things/{thingId}"]["parameters"][0]["required"] = False
    doc["paths"]["/things/{thingId}/parts/{partId}"] = {
        "get": {
            **op(doc, "/things/{thingId}"),
            "operationId": "listParts",
            "parameters": [
                {"name": "thingId", "in": "path", "required": True, "schema": {"type": "integer"}},
                {"name": "extra", "in": "path", "required": True, "schema": {"type": "string"}},
            ],
        }
    }
    assert run_lint(doc) == [
        "error path-parameters: path parameter 'thingId' of GET /things/{thingId} must be "
        "required: true",
        "error path-parameters: GET /things/{thingId}/parts/{partId} does not declare path "
        "parameter 'partId'; add {name: partId, in: path, required: true} to its parameters",
        "error path-parameters: GET /things/{thingId}/parts/{partId} declares path parameter "
        "'extra' that its path does not use",
    ]


def test_trailing_slash_and_query_string(run_lint: LintFn) -> None:
    doc = clean_document()
    doc["paths"]["/health/"] = doc["paths"].pop("/health")
    doc["paths"]["/search?q=x"] = {"get": {**op(doc, "/health/"), "operationId": "search"}}
    assert run_lint(doc) == [
        "warning path-trailing-slash: path '/health/' ends with a slash",
        "error path-query-string: path '/search?q=x' holds a query string or fragment; "
        "declare query parameters instead",
    ]


def test_paths_differing_only_in_parameter_names_are_one_path(run_lint: LintFn) -> None:
    # signl4: DELETE /teams/{teamId}/schedules/{dutyId} beside GET .../{scheduleId}
    doc = clean_document()
    item = doc["paths"]["/things/{thingId}"]
    other = {"delete": {**op(doc, "/things/{thingId}"), "operationId": "dropThing"}}
    other["delete"]["parameters"] = [{**item["parameters"][0], "name": "id"}]
    doc["paths"]["/things/{id}"] = other
    assert run_lint(doc) == [
        "warning path-equivalent: path '/things/{id}' differs from '/things/{thingId}' only in "
        "its parameters' names: one path to OpenAPI and to HTTP; declare their operations "
        "under one path key",
    ]


def test_a_query_pair_of_a_path_key_names_no_path_parameter(run_lint: LintFn) -> None:
    # medium.com's `/search/articles?query={query}`: `query` is declared in the query
    findings = run_lint(
        """
        openapi: 3.0.3
        info: {title: Search, version: "1"}
        paths:
          /search?query={query}:
            get:
              parameters:
                - {name: query, in: query, required: true, schema: {type: string}}
              responses: {"200": {description: ok}}
        """
    )
    assert not [f for f in findings if "path-parameters" in f], findings


def test_two_parameters_with_nothing_between_them_need_a_list_on_one(run_lint: LintFn) -> None:
    # healthcare.gov's `/blog/{pageName}{mediaTypeExtension}` has `enum: [.json]` on the
    # extension: the URL tells the two apart. Two free strings it cannot.
    findings = run_lint(
        """
        openapi: 3.0.3
        info: {title: Pages, version: "1"}
        paths:
          /blog/{pageName}{ext}:
            get:
              parameters:
                - {name: pageName, in: path, required: true, schema: {type: string}}
                - {name: ext, in: path, required: true, schema: {$ref: '#/components/schemas/Ext'}}
              responses: {"200": {description: ok}}
          /files/{name}{suffix}.txt:
            get:
              parameters:
                - {name: name, in: path, required: true, schema: {type: string}}
                - {name: suffix, in: path, required: true, schema: {type: string}}
              responses: {"200": {description: ok}}
          /files/{name}.{format}:
            get:
              parameters:
                - {name: name, in: path, required: true, schema: {type: string}}
                - {name: format, in: path, required: true, schema: {type: string}}
              responses: {"200": {description: ok}}
        components:
          schemas:
            Ext: {type: string, enum: [.json]}
        """
    )
    assert [f for f in findings if "path-segment-split" in f] == [
        "warning path-segment-split: GET /files/{name}{suffix}.txt: path parameters 'name' and "
        "'suffix' share a segment with nothing between them, and neither is limited to a list "
        "of values (an enum): a URL cannot tell where 'name' ends; the app gives it all it can "
        "and 'suffix' the rest. Put a literal between them, or an enum on one",
    ]
