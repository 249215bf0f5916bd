"""A big API's models and results split by tag: a request imports only what its tag uses.

The split applies from ``model_groups.MIN_CLASSES`` classes on (GitHub's API, in
``tests/corpus/test_github.py``); here the threshold is lowered so that a small spec with
three tags shows it: the package generates, imports in a fresh interpreter, answers a request
to one tag with only that tag's groups imported, keeps ``models.Pet`` working, and passes
ruff and ``mypy --strict`` like any generated package.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from mypy import api as mypy_api

from specfirst import model_groups
from specfirst.pipeline import generate

REPO = Path(__file__).resolve().parents[2]
RUFF = [sys.executable, "-m", "ruff"]

SPEC = """
openapi: 3.1.0
info: {title: Shop, version: '1'}
tags: [{name: pets}, {name: stores}, {name: users}]
paths:
  /pets/{petId}:
    get:
      operationId: getPet
      tags: [pets]
      parameters: [{name: petId, in: path, required: true, schema: {type: integer}}]
      responses:
        '200': {description: A pet, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
        '404': {description: Missing, content: {application/problem+json: {schema: {$ref: '#/components/schemas/Problem'}}}}
  /stores/{storeId}:
    get:
      operationId: getStore
      tags: [stores]
      parameters: [{name: storeId, in: path, required: true, schema: {type: integer}}]
      responses:
        '200': {description: A store, content: {application/json: {schema: {$ref: '#/components/schemas/Store'}}}}
        '404': {description: Missing, content: {application/problem+json: {schema: {$ref: '#/components/schemas/Problem'}}}}
  /users/{userId}:
    get:
      operationId: getUser
      tags: [users]
      parameters: [{name: userId, in: path, required: true, schema: {type: integer}}]
      responses:
        '200': {description: A user, content: {application/json: {schema: {$ref: '#/components/schemas/User'}}}}
        '404': {description: Missing, content: {application/problem+json: {schema: {$ref: '#/components/schemas/Problem'}}}}
components:
  schemas:
    Kind: {type: string, enum: [dog, cat]}
    NewPet:
      type: object
      required: [name]
      properties:
        name: {type: string, description: Not a Store nor an Address.}
        kind: {$ref: '#/components/schemas/Kind', default: dog}
        tags: {type: array, items: {type: string}, uniqueItems: true}
    Pet:
      allOf:
        - $ref: '#/components/schemas/NewPet'
        - type: object
          required: [id]
          properties: {id: {type: integer}}
    Address:
      type: object
      required: [city]
      properties: {city: {type: string}}
    Store:
      type: object
      required: [id, address]
      properties:
        id: {type: integer}
        address: {$ref: '#/components/schemas/Address'}
        pets: {type: array, items: {$ref: '#/components/schemas/Pet'}}
    User:
      type: object
      required: [id]
      properties:
        id: {type: integer}
        address: {$ref: '#/components/schemas/Address'}
    Problem:
      type: object
      properties: {title: {type: string}, status: {type: integer}}
    Orphan:
      type: object
      properties: {x: {type: integer}}
"""

PROBE = r"""
import asyncio, json, sys
import httpx
import shop_api

def loaded(kind):
    prefix = f"shop_api.{kind}."
    return sorted(m.removeprefix(prefix) for m in sys.modules if m.startswith(prefix))

app = shop_api.create_app(allow_unimplemented=True, lazy_routes=True)
out = {}

async def main():
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        out["spec"] = (await c.get("/openapi.json")).status_code
        out["after_spec"] = loaded("models") + loaded("responses")
        out["user"] = (await c.get("/users/1")).status_code
        out["models"] = loaded("models")
        out["responses"] = loaded("responses")

asyncio.run(main())
from shop_api import models
pet = models.Pet(id=1, name="Rex")
out["pet"] = [pet.kind.value, type(pet).__module__]
out["all"] = sorted(n for n in dir(models) if n[:1].isupper())
try:
    models.Pet.model_validate({"id": 1, "name": "Rex", "tags": ["a", "a"]})
    out["unique"] = "accepted"
except Exception as exc:
    out["unique"] = type(exc).__name__
print(json.dumps(out))
"""

USER_CODE = """
from shop_api import models, responses


def make() -> models.Pet:
    return models.Pet(id=1, name="Rex", kind=models.Kind.cat)


def answer() -> responses.GetPetResponse:
    return make()


def wrong() -> models.Store:
    return models.Pet(id=1, name="Rex")


missing = models.Missing
"""


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("groups")
    (root / "api.yaml").write_text(SPEC, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(model_groups, "MIN_CLASSES", 0)
        result = generate(root / "api.yaml", root / "shop_api", cache_dir=None, force=True)
        assert result.ok, [d.format() for d in result.diagnostics]
        again = generate(root / "api.yaml", root / "again" / "shop_api", cache_dir=None)
        assert again.ok
    return root


def _files(package: Path) -> dict[str, bytes]:
    return {
        p.relative_to(package).as_posix(): p.read_bytes()
        for p in sorted(package.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and p.name != ".specfirst-manifest.json"
    }


def test_models_and_results_are_packages_of_groups(shop: Path) -> None:
    package = shop / "shop_api"
    assert not (package / "models.py").exists() and not (package / "responses.py").exists()
    models = sorted(p.name for p in (package / "models").glob("*.py"))
    assert "_tag_stores.py" in models and "_other.py" in models
    assert len([m for m in models if m.startswith("_shared_")]) == 3
    assert sorted(p.name for p in (package / "responses").glob("*.py")) == [
        "__init__.py",
        "_pets.py",
        "_stores.py",
        "_users.py",
    ]
    assert (package / "models" / "__init__.pyi").is_file()  # what type checkers read
    assert (package / "responses" / "__init__.pyi").is_file()
    assert _files(package) == _files(shop / "again" / "shop_api")  # deterministic


def test_a_request_imports_only_the_groups_of_its_tag(shop: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=shop,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    out: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    assert out["spec"] == 200 and out["after_spec"] == []
    assert out["user"] == 501
    assert out["responses"] == ["_users"]
    package = shop / "shop_api" / "models"
    user_groups = sorted(
        p.stem for p in package.glob("_*.py") if "users" in p.read_text().split('"""')[1]
    )
    assert out["models"] == user_groups  # User; Address (stores too); Problem (every tag)
    assert "tag_stores" not in " ".join(out["models"])
    assert out["pet"] == ["dog", f"shop_api.models.{_group_of(package, 'Pet')}"]
    assert {"Address", "Kind", "NewPet", "Orphan", "Pet", "Problem", "Store", "User"} <= set(
        out["all"]
    )
    assert out["unique"] == "ValidationError"  # the schema rule went with its class


def _group_of(package: Path, name: str) -> str:
    return next(p.stem for p in package.glob("_*.py") if f"\nclass {name}(" in p.read_text())


def test_ruff_passes_on_the_split_package(shop: Path) -> None:
    for command in (["check"], ["format", "--check"]):
        done = subprocess.run(
            [*RUFF, *command, "--config", str(REPO / "pyproject.toml"), str(shop / "shop_api")],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict_sees_every_model_through_the_package(shop: Path) -> None:
    (shop / "user_code.py").write_text(USER_CODE, encoding="utf-8")
    stdout, stderr, status = mypy_api.run(
        [
            "--strict",
            "--config-file",
            str(REPO / "pyproject.toml"),
            "--cache-dir",
            str(shop / ".mypy-cache"),
            "--no-error-summary",
            "--hide-error-context",
            str(shop / "shop_api"),
            str(shop / "user_code.py"),
        ]
    )
    errors = [line.split(": error: ", 1)[1] for line in stdout.splitlines() if ": error: " in line]
    # the package itself is clean; the user's two mistakes are caught, nothing else
    assert [line for line in stdout.splitlines() if "shop_api" in line.split(":")[0]] == []
    assert len(errors) == 2, stdout + stderr
    assert any('"Pet", expected "Store"' in e for e in errors), errors
    assert any('has no attribute "Missing"' in e for e in errors), errors
    assert status == 1
