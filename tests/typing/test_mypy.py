"""The generated protocols are a typed contract: mypy proves an implementation conforms.

Python's answer to Go's ``var _ StrictServerInterface = (*Impl)(nil)``: a conforming
implementation passes ``mypy --strict``; returning an undeclared response class, dropping an
argument or an error hook building another model than the declared error body fails with a
pinned diagnostic naming the method.
"""

from __future__ import annotations

import os
import re
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from mypy import api as mypy_api

from specfirst.pipeline import generate

REPO = Path(__file__).resolve().parents[2]
PACKAGE = "typed_api"

SPEC = """
openapi: 3.1.0
info: {title: Typed, version: '1'}
security:
  - bearer: [things:read]
tags:
  - name: things
paths:
  /things/{thingId}:
    get:
      operationId: getThing
      tags: [things]
      parameters:
        - name: thingId
          in: path
          required: true
          schema: {type: integer}
        - name: verbose
          in: query
          schema: {type: boolean, default: false}
      responses:
        '200':
          description: The thing
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
        '404':
          description: Not found
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Error'}
  /things:
    post:
      operationId: createThing
      tags: [things]
      security:
        - bearer: [things:write]
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Thing'}
      responses:
        '201':
          description: Created
          headers:
            Location:
              required: true
              schema: {type: string}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
  /health:
    get:
      operationId: health
      tags: [things]
      security: []
      responses:
        '204':
          description: Healthy
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
  schemas:
    Thing:
      type: object
      required: [name]
      properties:
        name: {type: string}
    Error:
      type: object
      required: [message]
      properties:
        message: {type: string}
"""

HEADER = f"""
from __future__ import annotations

from dataclasses import dataclass

from fastapi import FastAPI

from {PACKAGE} import create_app, models, responses


@dataclass(frozen=True)
class User:
    name: str
    scopes: frozenset[str]


class Security:
    async def authenticate_bearer(self, token: str) -> User | None:
        return User(token, frozenset({{"things:read"}})) if token else None
"""

GOOD = """
class Things:
    async def get_thing(
        self, *, thing_id: int, verbose: bool, principal: User
    ) -> responses.GetThingResponse:
        if thing_id == 0:
            return responses.GetThing404Response(body=models.Error(message="none"))
        if verbose:
            return responses.GetThing200Response(body=models.Thing(name=principal.name))
        return models.Thing(name="plain")

    async def create_thing(self, *, body: models.Thing, principal: User) -> responses.CreateThingResponse:
        return responses.CreateThing201Response(body=body, location="/things/1")

    async def health(self) -> responses.HealthResponse:
        return None


app: FastAPI = create_app(security=Security(), things=Things())
"""

UNDECLARED = """
class Things:
    async def get_thing(
        self, *, thing_id: int, verbose: bool, principal: User
    ) -> responses.GetThingResponse:
        return responses.CreateThing201Response(body=models.Thing(name="x"), location="/x")

    async def create_thing(self, *, body: models.Thing, principal: User) -> responses.CreateThingResponse:
        return responses.CreateThing201Response(body=body, location="/things/1")

    async def health(self) -> responses.HealthResponse:
        return None
"""

ERRORS = """
from typed_api.errors import Problem, fill


class Errors:
    def error(self, problem: Problem) -> models.Error:
        return models.Error(message=f"{problem.status}: {problem.message}")


class Filled:
    def error(self, problem: Problem) -> models.Error:
        return fill(models.Error, problem)


custom: FastAPI = create_app(security=Security(), things=Things(), errors=Errors())
filled: FastAPI = create_app(security=Security(), things=Things(), errors=Filled())
"""

WRONG_ERROR_MODEL = """
from typed_api.errors import Problem


class Errors:
    def error(self, problem: Problem) -> models.Thing:
        return models.Thing(name=problem.title)


wrong: FastAPI = create_app(security=Security(), things=Things(), errors=Errors())
"""

MISSING_ARGUMENT = """
class Things:
    async def get_thing(self, *, thing_id: int, principal: User) -> responses.GetThingResponse:
        return models.Thing(name="x")

    async def create_thing(self, *, body: models.Thing, principal: User) -> responses.CreateThingResponse:
        return responses.CreateThing201Response(body=body, location="/things/1")

    async def health(self) -> responses.HealthResponse:
        return None


app: FastAPI = create_app(security=Security(), things=Things())
"""


@pytest.fixture(scope="module")
def check(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str], tuple[int, list[str]]]:
    """Generate the spec once; return ``check(name, source)`` → (mypy status, error lines)."""
    root = tmp_path_factory.mktemp("typing")
    (root / "spec.yaml").write_text(SPEC, encoding="utf-8")
    result = generate(root / "spec.yaml", root / PACKAGE, cache_dir=None, force=True)
    assert result.ok, [d.format() for d in result.diagnostics]
    cache = tmp_path_factory.getbasetemp() / "mypy-cache"

    def run(name: str, source: str) -> tuple[int, list[str]]:
        path = root / f"{name}.py"
        path.write_text(textwrap.dedent(HEADER) + textwrap.dedent(source), encoding="utf-8")
        args = [
            "--strict",
            "--config-file",
            str(REPO / "pyproject.toml"),
            "--cache-dir",
            str(cache),
            "--no-error-summary",
            "--no-pretty",
            "--show-error-codes",
            "--hide-error-context",
            "--show-column-numbers",
            str(path),
        ]
        old = os.environ.get("MYPYPATH")
        os.environ["MYPYPATH"] = os.pathsep.join([str(root), str(REPO)])
        try:
            stdout, stderr, status = mypy_api.run(args)
        finally:
            if old is None:
                del os.environ["MYPYPATH"]
            else:
                os.environ["MYPYPATH"] = old
        lines = [
            re.sub(r"^.*?\.py:", "", line)
            for line in stdout.splitlines()
            if ": error:" in line or ": note:" in line
        ]
        assert not stderr, stderr
        return status, lines

    return run


def test_generated_package_and_conforming_implementation_pass(
    check: Callable[[str, str], tuple[int, list[str]]],
) -> None:
    status, lines = check("impl_good", GOOD)
    assert (status, lines) == (0, [])


def test_undeclared_response_class_is_a_type_error(
    check: Callable[[str, str], tuple[int, list[str]]],
) -> None:
    status, lines = check("impl_undeclared", UNDECLARED)
    assert status == 1
    assert lines == [
        '25:16: error: Incompatible return value type (got "CreateThing201Response", expected '
        '"GetThing200Response | GetThing404Response | Thing")  [return-value]'
    ]


def test_error_hooks_building_the_declared_model_pass(
    check: Callable[[str, str], tuple[int, list[str]]],
) -> None:
    status, lines = check("impl_errors", GOOD + ERRORS)
    assert (status, lines) == (0, [])


def test_an_error_hook_returning_another_model_is_a_type_error(
    check: Callable[[str, str], tuple[int, list[str]]],
) -> None:
    status, lines = check("impl_wrong_error", GOOD + WRONG_ERROR_MODEL)
    assert status == 1
    assert lines == [
        '48:74: error: Argument "errors" to "create_app" has incompatible type "Errors"; '
        'expected "ErrorFormats | None"  [arg-type]',
        '48:74: note: Following member(s) of "Errors" have conflicts:',
        "48:74: note:     Expected:",
        "48:74: note:         def error(self, problem: Problem) -> Error",
        "48:74: note:     Got:",
        "48:74: note:         def error(self, problem: Problem) -> Thing",
    ]


def test_missing_argument_is_a_type_error_naming_the_method(
    check: Callable[[str, str], tuple[int, list[str]]],
) -> None:
    status, lines = check("impl_missing_argument", MISSING_ARGUMENT)
    assert status == 1
    assert lines == [
        '32:55: error: Argument "things" to "create_app" has incompatible type "Things"; expected '
        '"ThingsService[User] | Callable[..., ThingsService[User]] | None"  [arg-type]',
        '32:55: note: Following member(s) of "Things" have conflicts:',
        "32:55: note:     Expected:",
        "32:55: note:         def get_thing(self, *, thing_id: int, verbose: bool, principal: User) -> "
        "Coroutine[Any, Any, GetThing200Response | GetThing404Response | Thing]",
        "32:55: note:     Got:",
        "32:55: note:         def get_thing(self, *, thing_id: int, principal: User) -> "
        "Coroutine[Any, Any, GetThing200Response | GetThing404Response | Thing]",
    ]
