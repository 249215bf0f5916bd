"""Tags named like what the packages already use: one consistent, distinct name everywhere.

Superset's spec has a tag ``Security``: its implementing class collided with the scaffolded
security handler ``Security`` in ``main.py`` (``TypeError: Security() takes no arguments``,
and mypy failed on the import). A tag named after any module, class or ``create_app`` argument
the generated package or the scaffolded implementation uses gets one numbered name, spelt alike
in the generated protocol and router, ``create_app``'s argument, the implementation's module and
class; the project ``init`` writes imports, serves every operation and passes ``specfirst check``.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from specfirst.cli import main
from specfirst.naming import RESERVED
from specfirst.parser.services import TAKEN_CLASSES, TAKEN_MODULES
from tests.contract.test_example_stubs import project as example_project

NAME = "reserved"
NAME_API = f"{NAME}_api"
# tag -> its module (and create_app argument) and implementing class: each collides
TAGS = {
    "Security": ("security2", "Security2"),  # the security handler: module, class, argument
    "Errors": ("errors2", "Errors2"),  # the error hook: module, class, argument
    "Principal": ("principal_2", "Principal2"),  # what tag modules import from security.py
    "main": ("main2", "Main2"),  # the implementation's main.py
    "examples": ("examples2", "Examples2"),  # the example stubs' examples.py
    "PreferMiddleware": ("prefer_middleware2", "PreferMiddleware2"),  # main.py imports it
    "PRODUCTION": ("production2", "PRODUCTION2"),  # main.py's flag
    "Literal": ("literal2", "Literal2"),  # what tag modules import from typing
    "lazy routes": ("lazy_routes2", "LazyRoutes2"),  # create_app's arguments and locals
    "undeclared problems": ("undeclared_problems2", "UndeclaredProblems2"),
    "lazy": ("lazy2", "Lazy2"),
    "tuple": ("tuple2", "Tuple2"),
    "pets": ("pets", "Pets"),  # and a tag that collides with nothing keeps its name
}


def _spec() -> dict[str, Any]:
    def json_body(schema: dict[str, Any], **more: Any) -> dict[str, Any]:
        return {"application/json": {"schema": schema, **more}}

    tagged = {"type": "object", "required": ["tag"], "properties": {"tag": {"type": "string"}}}
    responses = {
        "400": {"description": "Bad.", "content": json_body({"$ref": "#/components/schemas/E"})}
    }
    paths = {
        f"/op{index}": {
            "get": {
                "operationId": f"op{index}",
                "tags": [tag],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": json_body(tagged, example={"tag": tag}),
                    },
                    **responses,
                },
            }
        }
        for index, tag in enumerate(TAGS)
    }
    error = {
        "type": "object",
        "required": ["message"],
        "properties": {"message": {"type": "string"}},
    }
    return {
        "openapi": "3.0.3",
        "info": {"title": "Reserved", "version": "1"},
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"E": error},
        },
    }


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """``init --stubs examples`` on the spec (every scaffolded file: errors.py, examples.py)."""
    tmp = tmp_path_factory.mktemp("reserved")
    spec = tmp / "reserved.json"
    spec.write_text(json.dumps(_spec()), encoding="utf-8")
    with example_project(tmp, spec, NAME) as root:
        yield root


def test_each_colliding_tag_has_one_numbered_name_everywhere(project: Path) -> None:
    services = importlib.import_module(f"{NAME}_api.services")
    for tag, (module, cls) in TAGS.items():
        assert f"{cls}Service" in services.OPERATION_IDS, (tag, sorted(services.OPERATION_IDS))
        assert (project / NAME_API / "routers" / f"{module}.py").is_file(), tag
        source = (project / NAME / f"{module}.py").read_text(encoding="utf-8")
        assert f"\nclass {cls}:" in source, (tag, module)
        main_py = (project / NAME / "main.py").read_text(encoding="utf-8")
        assert f"from {NAME}.{module} import {cls}\n" in main_py, tag
        assert f"    {module}={cls}()," in main_py, tag
    # the scaffold's own files are still its own
    assert "\nclass Security:" in (project / NAME / "security.py").read_text(encoding="utf-8")
    assert "\nclass Errors:" in (project / NAME / "errors.py").read_text(encoding="utf-8")
    assert "class PreferMiddleware" in (project / NAME / "examples.py").read_text(encoding="utf-8")


async def test_the_app_main_builds_serves_every_tag(project: Path) -> None:
    """``main.py`` builds the app (no shadowed import) and each operation reaches its stub."""
    app = importlib.import_module(f"{NAME}.main").app
    security = importlib.import_module(f"{NAME}.security")
    headers = {"Authorization": f"Bearer {security.dev_credential()}"}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        for index, tag in enumerate(TAGS):
            response = await client.get(f"/op{index}", headers=headers)
            assert (response.status_code, response.json()) == (200, {"tag": tag}), tag
            assert (await client.get(f"/op{index}")).status_code == 401, tag


def test_the_project_passes_check(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """mypy --strict and ruff on the generated package and the scaffolded implementation."""
    capsys.readouterr()
    with contextlib.chdir(project):
        code = main(["check"])
    said = capsys.readouterr()
    assert code == 0, said.out + said.err
    assert "mypy ok" in said.err, said.err


def _names(path: Path) -> set[str]:
    """Every name ``path``'s code binds or reads (not attributes: ``models.X`` is no name)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.arg):
            found.add(node.arg)
        elif isinstance(node, ast.alias):
            found.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            found.add(node.name)
    return found


def test_the_reserved_names_cover_what_the_templates_bind(project: Path) -> None:
    """Whatever the templates come to use, a tag can take none of it: ``create_app``'s names
    (its arguments are the tag modules') are reserved module names, and the capitalised names
    ``main.py`` and a tag module see are reserved class names. The tags' own are left out."""
    tag_modules = {module for module, _ in TAGS.values()}
    app_names = {
        n
        for n in _names(project / NAME_API / "app.py")
        if n.islower() and not n.startswith("_") and n not in tag_modules
    }
    assert app_names <= TAKEN_MODULES | RESERVED, sorted(app_names - TAKEN_MODULES - RESERVED)
    impl = project / NAME
    seen = _names(impl / "main.py") | _names(impl / "pets.py")
    tag_classes = {cls for _, cls in TAGS.values()}
    capitalised = {n for n in seen if n[:1].isupper()} - tag_classes
    assert capitalised <= TAKEN_CLASSES | RESERVED, sorted(capitalised - TAKEN_CLASSES - RESERVED)
