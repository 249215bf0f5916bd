"""The generated protocols are a typed contract: mypy proves an implementation conforms.

Python's answer to Go's ``var _ StrictServerInterface = (*Impl)(nil)``: a conforming
implementation passes ``mypy --strict``; returning an undeclared response class, dropping an
argument or an error hook building another model than the declared error body fails with a
pinned diagnostic naming the method. Model constructors are typed too (the pydantic plugin's
``init_typed``, as ``specfirst init`` configures it): what type-checks works at run time, and
what would fail there fails the type check.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pydantic
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
        note: {type: string}
    Error:
      type: object
      required: [message]
      properties:
        message: {type: string}
    Trigger:
      description: A property named like the keyword arguments of a model's constructor.
      type: object
      properties:
        kwargs: {type: string}
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
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder holding the package generated from ``SPEC`` (once) and the checked files."""
    root = tmp_path_factory.mktemp("typing")
    (root / "spec.yaml").write_text(SPEC, encoding="utf-8")
    result = generate(root / "spec.yaml", root / PACKAGE, cache_dir=None, force=True)
    assert result.ok, [d.format() for d in result.diagnostics]
    return root


@pytest.fixture(scope="module")
def check(
    root: Path, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str, str], tuple[int, list[str]]]:
    """``check(name, source)`` → (mypy status, error lines) of ``source`` after ``HEADER``."""
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


CONSTRUCTED = """
def optional_none() -> models.Thing:
    return models.Thing(name="x", note=None)


def named_kwargs() -> models.Trigger:
    return models.Trigger(kwargs="k")
"""

MISCONSTRUCTED = """
def required_none() -> models.Thing:
    return models.Thing(name=None)


def wrong_type() -> models.Thing:
    return models.Thing(name=3, note="n")
"""


@pytest.fixture
def run_module(root: Path) -> Iterator[Callable[[str], ModuleType]]:
    """Import a checked file (``root/<name>.py``) and the generated package, then forget them."""
    sys.path.insert(0, str(root))
    try:
        yield lambda name: _load(root / f"{name}.py", name)
    finally:
        sys.path.remove(str(root))
        for module in [
            m for m in sys.modules if m.split(".")[0] == PACKAGE or m.startswith("impl_")
        ]:
            del sys.modules[module]


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # its dataclass looks its module up there
    spec.loader.exec_module(module)
    return module


def test_none_for_an_optional_property_type_checks_and_works(
    check: Callable[[str, str], tuple[int, list[str]]],
    run_module: Callable[[str], ModuleType],
) -> None:
    assert check("impl_none", CONSTRUCTED) == (0, [])
    module = run_module("impl_none")
    assert module.optional_none().model_dump_json() == '{"name":"x"}'  # left out, as if not passed
    # a property named ``kwargs`` is no clash with the constructor's keyword arguments
    trigger = module.named_kwargs()
    assert (trigger.kwargs_, trigger.model_dump_json()) == ("k", '{"kwargs":"k"}')


def test_what_fails_at_run_time_fails_the_type_check(
    check: Callable[[str, str], tuple[int, list[str]]],
    run_module: Callable[[str], ModuleType],
) -> None:
    status, lines = check("impl_misconstructed", MISCONSTRUCTED)
    assert status == 1
    assert lines == [
        '22:30: error: Argument "name" to "Thing" has incompatible type "None"; expected "str"  '
        "[arg-type]",
        '26:30: error: Argument "name" to "Thing" has incompatible type "int"; expected "str"  '
        "[arg-type]",
    ]
    module = run_module("impl_misconstructed")
    for made in (module.required_none, module.wrong_type):
        with pytest.raises(pydantic.ValidationError, match="name"):
            made()
